# scopes.cmake - the cmocka tests of issue 4: scoped stopwatches, spans,
# trace IDs, W3C traceparent, sampling, summary mode, memory samples and the
# compile-time removal of scopes and contexts. Included from
# tests/CMakeLists.txt (after its cmocka and Threads set-up); it also works
# on its own in any project that defines trace::trace.
#
#   ctest -L scopes            these tests only
#   ctest -L scopes -LE nosan  what a sanitizer build runs of them
#
# Each test program re-runs itself (/proc/self/exe MODE ...) for the cases
# that need a fresh process or a different environment, and parses records
# with jq (test_scope_util.h). Together they take a few seconds.

set(TRACE_SCOPES_DIR "${CMAKE_CURRENT_LIST_DIR}")

if(NOT TARGET Threads::Threads)
  set(THREADS_PREFER_PTHREAD_FLAG ON)
  find_package(Threads REQUIRED)
endif()

# cmocka: the target tests/CMakeLists.txt made, or our own.
if(TARGET trace_test_cmocka)
  set(TRACE_SCOPES_CMOCKA trace_test_cmocka)
else()
  find_path(TRACE_SCOPES_CMOCKA_INCLUDE_DIR cmocka.h)
  find_library(TRACE_SCOPES_CMOCKA_LIBRARY cmocka)
  if(NOT TRACE_SCOPES_CMOCKA_INCLUDE_DIR OR NOT TRACE_SCOPES_CMOCKA_LIBRARY)
    message(FATAL_ERROR "The scope tests need cmocka (Debian: apt-get install libcmocka-dev).")
  endif()
  add_library(trace_scopes_cmocka INTERFACE)
  target_include_directories(trace_scopes_cmocka SYSTEM INTERFACE
                             "${TRACE_SCOPES_CMOCKA_INCLUDE_DIR}")
  target_link_libraries(trace_scopes_cmocka INTERFACE "${TRACE_SCOPES_CMOCKA_LIBRARY}")
  set(TRACE_SCOPES_CMOCKA trace_scopes_cmocka)
endif()

find_program(TRACE_SCOPES_JQ jq)
if(NOT TRACE_SCOPES_JQ)
  message(WARNING "jq not found: the scope tests parse records with jq and will fail "
                  "(Debian: apt-get install jq).")
endif()

# trace_scopes_test(name [LABELS l...] SOURCES s...) - one cmocka program.
function(trace_scopes_test name)
  cmake_parse_arguments(arg "" "" "LABELS;SOURCES" ${ARGN})
  set(srcs "")
  foreach(s IN LISTS arg_SOURCES)
    list(APPEND srcs "${TRACE_SCOPES_DIR}/${s}")
  endforeach()
  add_executable(${name} ${srcs})
  target_link_libraries(${name} PRIVATE trace::trace ${TRACE_SCOPES_CMOCKA} Threads::Threads)
  if(TARGET trace_warnings)
    target_link_libraries(${name} PRIVATE trace_warnings)
  endif()
  target_include_directories(${name} PRIVATE "${TRACE_SCOPES_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set(labels scopes ${arg_LABELS})
  set_tests_properties(${name} PROPERTIES TIMEOUT 60 LABELS "${labels}")
  if(UNIX AND NOT APPLE)
    target_link_libraries(${name} PRIVATE m) # sqrt, pow (glibc keeps them in libm)
  endif()
endfunction()

# 1-3. Stopwatch records, CPU time, spans and the call tree. Interposes
# clock_gettime to count clock reads (a filtered scope reads none).
trace_scopes_test(test_scope SOURCES test_scope.c test_scope_fresh.c)

# 4. Trace and span IDs: formats, uniqueness across threads and fork.
# Interposes getrandom to count seeds.
trace_scopes_test(test_ids SOURCES test_ids.c)

# 5. W3C traceparent, TRACEPARENT, contexts across threads and processes.
trace_scopes_test(test_traceparent SOURCES test_traceparent.c)

# 6. Sampling of verbose traces: ratio, determinism across processes, forcing.
trace_scopes_test(test_sampling SOURCES test_sampling.c)

# 7. Summary mode: per-label statistics, histogram, flush and exit.
trace_scopes_test(test_summary SOURCES test_summary.c)

# 8. Memory samples. RSS under a sanitizer is not what the test expects.
trace_scopes_test(test_memory LABELS nosan SOURCES test_memory.c)

# 9. Compile-time removal of scopes and contexts: built with TRACE_DISABLE
# and with TRACE_MIN_LEVEL=TRACE_LEVEL_ERROR; each looks for the strings of
# removed calls in its own binary.
trace_scopes_test(test_scope_removal_disable SOURCES test_scope_removal.c)
target_compile_definitions(test_scope_removal_disable PRIVATE TRACE_DISABLE)
trace_scopes_test(test_scope_removal_error SOURCES test_scope_removal.c)
target_compile_definitions(test_scope_removal_error PRIVATE TRACE_MIN_LEVEL=TRACE_LEVEL_ERROR)

# The same macros with arguments from static functions used nowhere else:
# no warning in a TRACE_DISABLE file, below TRACE_MIN_LEVEL, or enabled.
# Compiled by the test itself, with the C compiler of this build.
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  foreach(trace_cfg DISABLE ERROR ENABLED)
    if(trace_cfg STREQUAL "DISABLE")
      set(trace_def -DTRACE_DISABLE)
    elseif(trace_cfg STREQUAL "ERROR")
      set(trace_def -DTRACE_MIN_LEVEL=TRACE_LEVEL_ERROR)
    else()
      set(trace_def -DTRACE_MIN_LEVEL=TRACE_LEVEL_DEBUG)
    endif()
    string(TOLOWER "test_scope_warnings_${trace_cfg}" trace_t)
    add_test(NAME ${trace_t}
             COMMAND "${CMAKE_C_COMPILER}" -std=c11 -Wall -Wextra -Wpedantic -Wshadow
                     -Wconversion -Werror ${trace_def} "-I${TRACE_SCOPES_DIR}/../include"
                     -c "${TRACE_SCOPES_DIR}/test_scope_warnings.c"
                     -o "${CMAKE_CURRENT_BINARY_DIR}/${trace_t}.o")
    set_tests_properties(${trace_t} PROPERTIES TIMEOUT 60 LABELS scopes)
  endforeach()
endif()
