/* fuzz_obscsv.c: libFuzzer target for the observations CSV reader
 * (fz_obs_read_csv, the input of 'fzstat stats') through a memory file.
 * Checks that every row points at a document that exists. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "obs.h"
#include "tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_memfile(data, size);
    if (!path)
        return 0;
    fz_diag d;
    fz_diag_init(&d);
    fz_obs *obs = fz_obs_new();
    int rc = fz_obs_read_csv(path, obs, &d);
    if (rc < 0 && d.n == 0)
        abort();
    size_t nd = fz_obs_ndocs(obs);
    for (size_t i = 0; i < fz_obs_nrows(obs); i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        if (r->doc >= nd || !r->indicator || !r->unit || r->qual > FZ_QUAL_RANGE)
            abort();
    }
    fz_obs_free(obs);
    fz_diag_release(&d);
    return 0;
}
