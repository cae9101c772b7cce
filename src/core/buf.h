/* buf.h: a growable byte buffer, always NUL-terminated.
 * Owned by whoever called fz_buf_init(); fz_buf_reset() keeps the memory for
 * reuse (one buffer per worker, not one per file). */
#ifndef FZ_BUF_H
#define FZ_BUF_H

#include <stddef.h>

typedef struct fz_buf {
    char  *data; /* NUL-terminated contents (never NULL after init) */
    size_t len;  /* bytes used, not counting the NUL */
    size_t cap;  /* bytes allocated */
} fz_buf;

void fz_buf_init(fz_buf *b);
void fz_buf_release(fz_buf *b);
void fz_buf_reset(fz_buf *b);                  /* len = 0, keeps memory */
void fz_buf_reserve(fz_buf *b, size_t extra);  /* room for extra more bytes */
void fz_buf_add(fz_buf *b, const void *p, size_t n);
void fz_buf_addc(fz_buf *b, char c);
void fz_buf_adds(fz_buf *b, const char *s);
void fz_buf_printf(fz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *fz_buf_steal(fz_buf *b);                 /* caller frees; b is empty after */

#endif
