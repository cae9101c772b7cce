/* fuzz_numeral.c: libFuzzer target for the numeral and quantity parser
 * (src/extract/numeral.h): fz_numeral_parse at every byte, fz_quantity_at
 * wherever fz_numeral_start allows a numeral, and the fz_quantity_next scan.
 * Checks the offsets each call reports stay inside the buffer and move
 * forward. The input is copied into an exact-size block (no NUL), so a read
 * past len is an ASan error. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "numeral.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* every call is O(n); keep the per-input cost bounded */
    char *t = malloc(size ? size : 1);
    memcpy(t, data, size);
    for (size_t i = 0; i < size; i++) {
        double v;
        int ch;
        size_t used = fz_numeral_parse(t + i, size - i, &v, &ch);
        if (used > size - i)
            abort();
        size_t skip = 0;
        if (fz_numeral_start(t, size, i, &skip)) {
            fz_quantity q;
            if (fz_quantity_at(t, size, i, &q)) {
                if (q.start > q.end || q.end > size || q.num_start < q.start ||
                    q.num_end > q.end || memchr(q.unit, '\0', sizeof q.unit) == NULL)
                    abort();
                fz_measure_known(q.unit);
            }
        } else if (skip == 0) {
            abort(); /* "at least 1" */
        }
        fz_utf8_prev(t, i);
    }
    size_t pos = 0, last = 0;
    fz_quantity q;
    int n = 0;
    while (fz_quantity_next(t, size, &pos, &q)) {
        if (pos > size || q.end > size || (n && pos <= last))
            abort();
        last = pos;
        n++;
    }
    if (pos != size)
        abort(); /* "0 when there is none (then *pos == len)" */
    free(t);
    return 0;
}
