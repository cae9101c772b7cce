/* diag.h: diagnostics collected by library code for the CLI to print.
 * Library code never prints: it adds one fz_diag_item per problem, already
 * worded for the user ("cannot read 'a.html': binary file"). The CLI prints
 * them, one line each, and maps them to an exit status. Not thread-safe: use
 * one fz_diag per worker and fz_diag_move() them together in input order. */
#ifndef FZ_DIAG_H
#define FZ_DIAG_H

#include <stddef.h>

typedef enum {
    FZ_DIAG_NOTE,  /* information (e.g. "nearest population year used") */
    FZ_DIAG_WARN,  /* input read, but something in it was repaired or ignored */
    FZ_DIAG_SKIP,  /* an input file or row was skipped entirely */
    FZ_DIAG_FATAL  /* the run cannot produce its output */
} fz_diag_level;

typedef struct fz_diag_item {
    fz_diag_level level;
    char *file; /* the file concerned, or NULL */
    long  line; /* 1-based line in that file, or 0 */
    char *msg;  /* complete message, lower-case, no final period */
} fz_diag_item;

typedef struct fz_diag {
    fz_diag_item *items;
    size_t n, cap;
    size_t counts[4]; /* items per level */
} fz_diag;

void fz_diag_init(fz_diag *d);
void fz_diag_release(fz_diag *d);
void fz_diag_clear(fz_diag *d);
void fz_diag_add(fz_diag *d, fz_diag_level level, const char *file, long line,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void fz_diag_move(fz_diag *dst, fz_diag *src); /* appends src's items; src is cleared */
size_t fz_diag_count(const fz_diag *d, fz_diag_level level);

#endif
