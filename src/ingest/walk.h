/* walk.h: expands command-line inputs into the list of files to read.
 *
 * A file is taken as given (even a hidden one); "-" stands for stdin and
 * is kept as "-"; a directory is searched recursively, skipping entries
 * whose name starts with '.', and the files found under it are sorted by
 * full path with strcmp, so results never depend on the file system's
 * order. Symbolic links are followed; a link loop, a dangling link, an
 * unreadable directory or a missing input gives one FZ_DIAG_SKIP
 * diagnostic and the walk goes on. Inputs keep their command-line order.
 * Library code: never prints. */
#ifndef FZ_WALK_H
#define FZ_WALK_H

#include <stddef.h>

#include "diag.h"

#define FZ_WALK_MAX_DEPTH 64 /* deeper directories are skipped with a diagnostic */

typedef struct fz_pathlist {
    char **paths; /* each owned by the list */
    size_t n, cap;
} fz_pathlist;

void fz_pathlist_init(fz_pathlist *l);
void fz_pathlist_release(fz_pathlist *l);
void fz_pathlist_add(fz_pathlist *l, const char *path); /* copies path */

/* Appends the files named by inputs[0..n) to out. Returns 0 if every input
 * and everything under it could be used, otherwise the first error
 * (FZ_ENOTFOUND, FZ_EIO, FZ_ELIMIT); out holds whatever was found either way. */
int fz_walk(char *const *inputs, size_t n, fz_pathlist *out, fz_diag *diag);

#endif
