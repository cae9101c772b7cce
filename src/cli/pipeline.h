/* pipeline.h: the extraction pipeline shared by 'fzstat extract' and
 * 'fzstat report': expand the inputs, then for every file read → resolve
 * region and year → extract figures, on N worker threads, and merge the
 * results into one fz_obs in input order (output is byte-identical whatever
 * the number of threads).
 *
 * Skipped files do not enter the table; each gets one FZ_DIAG_SKIP line in
 * diag, in input order. */
#ifndef FZ_PIPELINE_H
#define FZ_PIPELINE_H

#include <stddef.h>

#include "diag.h"
#include "obs.h"

typedef struct fz_pipeline_opts {
    int         jobs;           /* worker threads; <= 0: one per core */
    unsigned    extract_flags;  /* FZ_EXTRACT_* */
    const char *lexicon;        /* path, or NULL for the data directory's */
    const char *gazetteer;      /* path, or NULL for the data directory's */
} fz_pipeline_opts;

typedef struct fz_pipeline_stats {
    size_t files;    /* files found under the inputs */
    size_t read;     /* files read and processed */
    size_t skipped;  /* files skipped (unreadable, binary, ...) */
    size_t bytes;    /* bytes of the files read */
    size_t figures;  /* rows added to the table */
    double seconds;  /* wall time of the whole run */
} fz_pipeline_stats;

/* 0 when the run completed (some files may have been skipped: see st);
 * FZ_E* when it could not start (no lexicon, no gazetteer, no inputs): then
 * a FATAL diagnostic says why. */
int fz_pipeline_run(char *const *inputs, size_t ninputs, const fz_pipeline_opts *o,
                    fz_obs *obs, fz_diag *diag, fz_pipeline_stats *st);

/* The same, but each file's rows go to on_rows instead of obs: it is called
 * for each file read, in input order, one call at a time (from any worker
 * thread), with that file's table part (its document is index 0 of part)
 * and the index its document gets in obs. obs gets the documents only. */
typedef void (*fz_pipeline_rows_fn)(void *ctx, const fz_obs *part, size_t doc_index);
int fz_pipeline_run_rows(char *const *inputs, size_t ninputs, const fz_pipeline_opts *o,
                         fz_pipeline_rows_fn on_rows, void *ctx, fz_obs *obs, fz_diag *diag,
                         fz_pipeline_stats *st);

/* Path of the bundled sample corpus (datasets/sample), or NULL; caller frees. */
char *fz_pipeline_sample_dir(void);

#endif
