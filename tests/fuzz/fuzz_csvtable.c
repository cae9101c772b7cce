/* fuzz_csvtable.c: libFuzzer target for the generic CSV table reader
 * (fz_csv_read_table: population and weights files) through a memory file.
 * A table that loads is walked cell by cell. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "table.h"
#include "tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_memfile(data, size);
    if (!path)
        return 0;
    fz_diag d;
    fz_diag_init(&d);
    fz_table *t = fz_csv_read_table(path, &d);
    if (t) {
        size_t nc = fz_table_ncols(t), nr = fz_table_nrows(t);
        for (size_t c = 0; c < nc; c++) {
            const char *name = fz_table_colname(t, c);
            if (!name)
                abort();
            for (size_t r = 0; r < nr; r++)
                fz_table_text(t, r, c);
        }
        fz_table_free(t);
    } else if (d.n == 0) {
        abort();
    }
    fz_diag_release(&d);
    return 0;
}
