/* test_gazetteer_path.c: fz_gazetteer_path() against the snprintf form it
 * had, for every row of the bundled gazetteer and every buffer size up to
 * the whole path (truncation included, even inside a character). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gazetteer.h"

static size_t ref_path(const fz_gazetteer *g, int32_t i, char *out, size_t cap)
{
    int32_t chain[8];
    int n = 0;
    for (int32_t k = i; k >= 0 && n < 8; k = fz_gazetteer_at(g, (size_t)k)->parent)
        chain[n++] = k;
    size_t need = 0;
    if (cap)
        out[0] = '\0';
    for (int j = n - 1; j >= 0; j--) {
        const char *name = fz_gazetteer_at(g, (size_t)chain[j])->name;
        int w = snprintf(cap > need ? out + need : NULL, cap > need ? cap - need : 0, "%s%s",
                         j == n - 1 ? "" : "/", name);
        need += (size_t)w;
    }
    return need;
}

int main(void)
{
    char *path = check_source("datasets/gazetteer.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load(path, &d);
    free(path);
    CHECK(g != NULL);
    if (!g)
        return check_done();
    size_t rows = fz_gazetteer_count(g), bad = 0, checked = 0;
    char a[600], b[600];
    for (size_t i = 0; i < rows; i++) {
        size_t full = ref_path(g, (int32_t)i, b, sizeof b);
        /* every size for one row in 97, else a few */
        for (size_t cap = 0; cap <= full + 1 && cap < sizeof a; cap += i % 97 == 0 ? 1 : 7) {
            memset(a, 'x', sizeof a);
            memset(b, 'x', sizeof b);
            size_t na = fz_gazetteer_path(g, (int32_t)i, cap ? a : NULL, cap);
            size_t nb = ref_path(g, (int32_t)i, cap ? b : NULL, cap);
            checked++;
            if (na != nb || memcmp(a, b, sizeof a) != 0) {
                if (bad++ < 5)
                    fprintf(stderr, "row %zu cap %zu: %zu '%.*s' vs %zu '%.*s'\n", i, cap, na,
                            (int)(cap ? cap : 1), cap ? a : "", nb, (int)(cap ? cap : 1),
                            cap ? b : "");
            }
        }
    }
    fprintf(stderr, "%zu paths and sizes, %zu differ\n", checked, bad);
    CHECK(bad == 0 && checked > rows);
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    return check_done();
}
