/* fuzz_read.c - libFuzzer target for tracestat's reader and grouping stage.
 *
 * Build: cmake -DTRACESTAT_FUZZ=ON -DCMAKE_C_COMPILER=clang ...; then
 *   ./fuzz_read -max_len=3000000 -timeout=10 corpus/
 * The input is read as a JSON-lines stream (through the same fixed buffer as
 * a file), every record is grouped as one run, and the whole input is also
 * walked with the generic JSON cursor. Any crash, leak, sanitizer report or
 * hang is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ts_reader *reader;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_set set;
    ts_record rec;
    char *copy;
    ts_json j;
    if (!reader) reader = ts_reader_new();
    if (!reader) return 0;

    ts_set_init(&set, "fuzz");
    ts_reader_open_mem(reader, data, size, "fuzz");
    ts_set_begin_run(&set, "fuzz");
    while (ts_reader_next(reader, &rec, &set.errs) > 0) ts_set_add(&set, &rec);
    ts_set_end_run(&set);
    ts_reader_close(reader);
    ts_set_free(&set);

    /* the generic cursor (used for baselines and fingerprints) on the same bytes */
    copy = malloc(size + 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    ts_json_init(&j, copy, size);
    if (ts_json_skip(&j) == 0) (void)ts_json_finish(&j);
    ts_json_init(&j, copy, size);
    {
        ts_fingerprint fp;
        (void)ts_fingerprint_parse(&j, &fp);
    }
    free(copy);
    return 0;
}
