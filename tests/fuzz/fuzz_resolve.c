/* fuzz_resolve.c: libFuzzer target for the region and year resolver
 * (fz_region_resolve_text on the raw input, and fz_region_lookup on its
 * first line) with the real gazetteer (datasets/gazetteer.csv) loaded once.
 * The input is copied into an exact-size block (not NUL-terminated: the text
 * API takes a length). Checks the result is consistent: a resolved status
 * has a row and a code, candidates are gazetteer rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "gazetteer.h"
#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_gazetteer *g;
    static fz_resolution res;
    if (!g) {
        fz_diag d;
        fz_diag_init(&d);
        g = fz_gazetteer_load(fuzz_data_path("gazetteer.csv"), &d);
        fz_diag_release(&d);
        if (!g) {
            fprintf(stderr, "fuzz_resolve: cannot load %s\n", fuzz_data_path("gazetteer.csv"));
            abort();
        }
        fz_resolution_init(&res);
    }
    if (size > 65536)
        return 0;
    char *t = malloc(size ? size : 1);
    memcpy(t, data, size);
    fz_region_resolve_text(g, t, size, &res);
    size_t nrows = fz_gazetteer_count(g);
    if (res.status == FZ_REGION_RESOLVED &&
        (res.region < 0 || (size_t)res.region >= nrows || !res.code || !*res.code))
        abort();
    for (size_t i = 0; i < res.ncand; i++)
        if (res.cand[i] < 0 || (size_t)res.cand[i] >= nrows)
            abort();
    if (res.has_year && (res.year < 1900 || res.year > 2200))
        fprintf(stderr, "fuzz_resolve: odd year %d\n", res.year);
    free(t);

    /* The query API takes a C string: the first line, capped. */
    char q[256];
    size_t n = 0;
    while (n < size && n < sizeof q - 1 && data[n] != '\n' && data[n] != '\0') {
        q[n] = (char)data[n];
        n++;
    }
    q[n] = '\0';
    int32_t out[8];
    size_t total = fz_region_lookup(g, q, out, 8);
    for (size_t i = 0; i < total && i < 8; i++)
        if (out[i] < 0 || (size_t)out[i] >= nrows)
            abort();
    return 0;
}
