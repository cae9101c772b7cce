/* outfile.h: write an output file atomically.
 *
 * fz_outfile_open() creates a temporary file next to the final path
 * (".name.XXXXXX" in the same directory, so rename() is atomic); write to
 * of->fp; then fz_outfile_commit() flushes, fsyncs and renames it into place,
 * or fz_outfile_abort() removes it. Until commit the previous file under the
 * final name is untouched, so an interrupted run never leaves a truncated
 * output and never destroys the old one.
 *
 *     fz_outfile of;
 *     if (fz_outfile_open(&of, "out/obs.csv", diag) < 0) return FZ_EIO;
 *     if (write_rows(of.fp, tab) < 0) goto fail;
 *     return fz_outfile_commit(&of, diag);
 * fail:
 *     fz_outfile_abort(&of);
 *     return FZ_EIO;
 */
#ifndef FZ_OUTFILE_H
#define FZ_OUTFILE_H

#include <stdio.h>

#include "diag.h"

typedef struct fz_outfile {
    FILE *fp;    /* write here */
    char *path;  /* final path */
    char *tmp;   /* temporary path, removed or renamed by commit/abort */
    int   fd;    /* descriptor under fp */
} fz_outfile;

int  fz_outfile_open(fz_outfile *of, const char *path, fz_diag *diag);   /* 0 or FZ_EIO */
int  fz_outfile_commit(fz_outfile *of, fz_diag *diag);                  /* 0 or FZ_EIO */
void fz_outfile_abort(fz_outfile *of);

/* Test seam: after this many more bytes every write fails with ENOSPC
 * (-1 restores normal behaviour). Also set by FZSTAT_TEST_FAIL_AFTER. */
void fz_outfile_fail_after(long long bytes);

/* Creates a directory and its parents (mkdir -p); 0 or FZ_EIO with a diagnostic. */
int fz_mkdirs(const char *dir, fz_diag *diag);

#endif
