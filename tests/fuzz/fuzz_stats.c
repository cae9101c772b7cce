/* fuzz_stats.c: libFuzzer target for the statistics panel: the input is
 * read as an observations CSV (fz_obs_read_csv through a memory file, as
 * 'fzstat stats' does) and whatever rows survive go through fz_stats_run
 * (panel, z-scores, ranks, index, YoY, roll-ups, trends, correlations,
 * composite with the bundled weights). Checks every table cell is either
 * NA or a finite number: NA is a flag, never NaN or Inf in a cell. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "fuzz_util.h"
#include "obs.h"
#include "stats.h"
#include "table.h"
#include "tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_table *weights;
    static int init;
    if (!init) {
        fz_diag d;
        fz_diag_init(&d);
        weights = fz_csv_read_table(fuzz_data_path("weights.csv"), &d);
        fz_diag_release(&d);
        init = 1;
    }
    if (size > 16384)
        return 0; /* the panel is O(rows^2) in places; keep inputs cheap */
    const char *path = fuzz_memfile(data, size);
    if (!path)
        return 0;
    fz_diag d;
    fz_diag_init(&d);
    fz_obs *obs = fz_obs_new();
    if (fz_obs_read_csv(path, obs, &d) == 0) {
        fz_stats_opts o = { .weights = weights, .source = "fuzz.csv" };
        fz_stats *s = fz_stats_run(obs, &o, &d);
        if (s) {
            size_t n;
            const fz_table *const *t = fz_stats_tables(s, &n);
            for (size_t k = 0; k < n; k++)
                for (size_t c = 0; c < fz_table_ncols(t[k]); c++)
                    for (size_t r = 0; r < fz_table_nrows(t[k]); r++)
                        if (fz_table_coltype(t[k], c) == FZ_COL_NUM &&
                            !fz_table_is_na(t[k], r, c) && !isfinite(fz_table_num(t[k], r, c)))
                            abort();
            fz_stats_free(s);
        }
    }
    fz_obs_free(obs);
    fz_diag_release(&d);
    return 0;
}
