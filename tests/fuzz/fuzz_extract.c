/* fuzz_extract.c: libFuzzer target for the extractor: the input is read as
 * a document (fz_reader_read_mem), then fz_extract_doc runs with the real
 * lexicon (datasets/lexicon.csv, loaded once), with and without
 * FZ_EXTRACT_ALL_QUANTITIES. Checks that every row is well formed: its
 * document index, a line inside the decoded input and a known qualifier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "extract.h"
#include "fuzz_util.h"
#include "lexicon.h"
#include "obs.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_reader *r;
    static fz_lexicon *lex;
    static fz_extractor *x;
    static fz_obs *obs;
    if (!r) {
        fz_diag d;
        fz_diag_init(&d);
        lex = fz_lexicon_load(fuzz_data_path("lexicon.csv"), &d);
        fz_diag_release(&d);
        if (!lex) {
            fprintf(stderr, "fuzz_extract: cannot load %s\n", fuzz_data_path("lexicon.csv"));
            abort();
        }
        x = fz_extractor_new(lex);
        r = fz_reader_new();
        obs = fz_obs_new();
    }
    fz_diag d;
    fz_diag_init(&d);
    fz_document doc;
    memset(&doc, 0, sizeof doc);
    if (fz_reader_read_mem(r, "fuzz.txt", data, size, &doc, &d) == 0) {
        for (unsigned flags = 0; flags < 2; flags++) {
            fz_obs_clear(obs);
            int amb = 0;
            int n = fz_extract_doc(x, &doc, 0, flags, obs, &amb);
            if (n < 0 || (size_t)n != fz_obs_nrows(obs) || amb < 0)
                abort();
            for (size_t i = 0; i < fz_obs_nrows(obs); i++) {
                const fz_obs_row *row = fz_obs_row_at(obs, i);
                if (row->doc != 0 || row->line < 1 || row->qual > FZ_QUAL_RANGE ||
                    !row->indicator || !row->unit || !row->phrase || !row->snippet)
                    abort();
                if (!flags && fz_lexicon_find(lex, row->indicator) < 0)
                    abort();
            }
        }
    }
    fz_diag_release(&d);
    return 0;
}
