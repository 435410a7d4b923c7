# TraceScenario.cmake - benchmark scenarios measured with tracestat.
#
# Part of trace.h's CMake package: `find_package(trace)` (or
# add_subdirectory of the trace source tree) makes this function available.
#
#   trace_add_scenario(<name>
#                      COMMAND <cmd> [<arg>...]
#                      [RUNS <n>]                 # default 10
#                      [WARMUP <k>]               # discarded runs first, default 0
#                      [FAIL <spec>...]           # default "median:5%"
#                      [BASELINE <file>]          # default ${CMAKE_SOURCE_DIR}/bench/<name>.baseline.json
#                      [WORKING_DIRECTORY <dir>]) # default the current binary dir
#
# adds three custom targets, the counterparts of `make bench`, `make
# bench-save` and `make bench-compare`:
#
#   <name>-bench          runs the scenario: `tracestat run -n <n> [--warmup <k>]
#                         -o <runs> -- <cmd>...` into a fresh directory
#                         <runs> = ${CMAKE_CURRENT_BINARY_DIR}/<name>-runs,
#                         then prints `tracestat summary <runs>`.
#   <name>-bench-save     runs the scenario, then `tracestat save -o <baseline>
#                         <runs>`: the baseline file to commit or keep in CI.
#   <name>-bench-compare  runs the scenario, then `tracestat compare <baseline>
#                         <runs> --fail <spec>...`: the build fails when a gated
#                         label regressed (exit 1) or when no comparison was
#                         possible (a missing baseline, exit 3).
#
#   cmake --build build --target requests-bench-compare   # the CI gate
#
# COMMAND is run by tracestat, with LOG_FORMAT=json, RUNS times; each run's
# stdout is one log file in <runs>. If its first word names an executable
# target of this build, it is replaced by that target's file and the target is
# built first. Give environment variables through `${CMAKE_COMMAND} -E env
# VAR=value <cmd>`. The keywords (RUNS, FAIL, ...) end COMMAND, so the command
# cannot have an argument spelled like one of them. Each FAIL spec becomes one
# `--fail` option (the last matching spec wins), e.g.
#   FAIL "median:5%" "db.*=median:3%" "flaky.*=ignore"
# A relative BASELINE is relative to the current source directory.
#
# The targets read the properties TRACE_SCENARIO_RUNS_DIR and
# TRACE_SCENARIO_BASELINE set on <name>-bench, for scripts that need the paths
# (for example a CI step that renders `tracestat compare ... --format md`).
#
# tracestat is the package's imported executable trace::tracestat once
# installed, or the `tracestat` target of the build tree when trace is a
# subdirectory of the project; else, as a last resort, the program named by
# the cache variable TRACE_TRACESTAT_EXECUTABLE (found on PATH by default).

include_guard(GLOBAL)

# Sets <out_cmd> to the command that runs tracestat and <out_deps> to the
# build-tree targets that must be built first.
function(trace__scenario_tracestat out_cmd out_deps)
  set(deps "")
  foreach(candidate IN ITEMS trace::tracestat tracestat)
    if(TARGET ${candidate})
      get_target_property(type ${candidate} TYPE)
      if(type STREQUAL "EXECUTABLE")
        get_target_property(real ${candidate} ALIASED_TARGET)
        if(NOT real)
          set(real ${candidate})
        endif()
        get_target_property(imported ${real} IMPORTED)
        if(NOT imported)
          list(APPEND deps ${real})
        endif()
        set(${out_cmd} "$<TARGET_FILE:${real}>" PARENT_SCOPE)
        set(${out_deps} "${deps}" PARENT_SCOPE)
        return()
      endif()
    endif()
  endforeach()
  find_program(TRACE_TRACESTAT_EXECUTABLE tracestat
               DOC "tracestat program used by trace_add_scenario()")
  if(NOT TRACE_TRACESTAT_EXECUTABLE)
    message(FATAL_ERROR
      "trace_add_scenario: tracestat not found. It is built with trace when "
      "TRACE_BUILD_TOOLS is ON (the default); otherwise set "
      "TRACE_TRACESTAT_EXECUTABLE to its path.")
  endif()
  set(${out_cmd} "${TRACE_TRACESTAT_EXECUTABLE}" PARENT_SCOPE)
  set(${out_deps} "" PARENT_SCOPE)
endfunction()

function(trace_add_scenario name)
  cmake_parse_arguments(PARSE_ARGV 1 arg
    ""
    "RUNS;WARMUP;BASELINE;WORKING_DIRECTORY"
    "COMMAND;FAIL")

  set(where "trace_add_scenario(${name})")
  if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "${where}: the name may use letters, digits and _.+- only.")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(kw IN LISTS arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${where}: ${kw} needs a value.")
  endforeach()
  if(NOT arg_COMMAND)
    message(FATAL_ERROR "${where}: COMMAND is required.")
  endif()

  if(NOT DEFINED arg_RUNS)
    set(arg_RUNS 10)
  endif()
  if(NOT arg_RUNS MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "${where}: RUNS must be a positive integer, not '${arg_RUNS}'.")
  endif()
  set(warmup "")
  if(DEFINED arg_WARMUP)
    if(NOT arg_WARMUP MATCHES "^[0-9]+$")
      message(FATAL_ERROR "${where}: WARMUP must be an integer >= 0, not '${arg_WARMUP}'.")
    endif()
    if(arg_WARMUP GREATER 0)
      set(warmup --warmup ${arg_WARMUP})
    endif()
  endif()
  if(NOT arg_FAIL)
    set(arg_FAIL "median:5%")
  endif()
  set(fail_opts "")
  foreach(spec IN LISTS arg_FAIL)
    list(APPEND fail_opts --fail "${spec}")
  endforeach()

  if(NOT DEFINED arg_BASELINE)
    set(arg_BASELINE "${CMAKE_SOURCE_DIR}/bench/${name}.baseline.json")
  endif()
  get_filename_component(baseline "${arg_BASELINE}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(baseline_dir "${baseline}" DIRECTORY)

  if(DEFINED arg_WORKING_DIRECTORY)
    get_filename_component(workdir "${arg_WORKING_DIRECTORY}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(workdir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()

  set(runs "${CMAKE_CURRENT_BINARY_DIR}/${name}-runs")

  trace__scenario_tracestat(tracestat deps)

  # A scenario that starts with one of this build's executables runs that
  # executable, built first.
  set(command ${arg_COMMAND})
  list(GET command 0 first)
  if(TARGET "${first}")
    get_target_property(type "${first}" TYPE)
    if(type STREQUAL "EXECUTABLE")
      get_target_property(real "${first}" ALIASED_TARGET)
      if(NOT real)
        set(real "${first}")
      endif()
      list(REMOVE_AT command 0)
      list(INSERT command 0 "$<TARGET_FILE:${real}>")
      get_target_property(imported "${real}" IMPORTED)
      if(NOT imported)
        list(APPEND deps "${real}")
      endif()
    endif()
  endif()

  # A fresh directory per measurement: runs of an older build never mix in.
  if(CMAKE_VERSION VERSION_LESS 3.17)
    set(clean_runs "${CMAKE_COMMAND}" -E remove_directory "${runs}")
  else()
    set(clean_runs "${CMAKE_COMMAND}" -E rm -rf "${runs}")
  endif()

  add_custom_target(${name}-bench
    COMMAND ${clean_runs}
    COMMAND ${tracestat} run -n ${arg_RUNS} ${warmup} -o "${runs}" -- ${command}
    COMMAND ${tracestat} summary "${runs}"
    WORKING_DIRECTORY "${workdir}"
    COMMENT "Scenario ${name}: ${arg_RUNS} runs into ${runs}"
    USES_TERMINAL
    VERBATIM)
  if(deps)
    add_dependencies(${name}-bench ${deps})
  endif()
  set_target_properties(${name}-bench PROPERTIES
    TRACE_SCENARIO_RUNS_DIR "${runs}"
    TRACE_SCENARIO_BASELINE "${baseline}")

  add_custom_target(${name}-bench-save
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${baseline_dir}"
    COMMAND ${tracestat} save -o "${baseline}" "${runs}"
    WORKING_DIRECTORY "${workdir}"
    COMMENT "Scenario ${name}: saving the baseline ${baseline}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies(${name}-bench-save ${name}-bench)

  add_custom_target(${name}-bench-compare
    COMMAND ${tracestat} compare "${baseline}" "${runs}" ${fail_opts}
    WORKING_DIRECTORY "${workdir}"
    COMMENT "Scenario ${name}: comparing with the baseline ${baseline}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies(${name}-bench-compare ${name}-bench)
endfunction()
