/* buf.h: a growable byte buffer, always NUL-terminated.
 * Owned by whoever called fz_buf_init(); fz_buf_reset() keeps the memory for
 * reuse (one buffer per worker, not one per file). */
#ifndef FZ_BUF_H
#define FZ_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct fz_buf {
    char  *data; /* NUL-terminated contents (never NULL after init) */
    size_t len;  /* bytes used, not counting the NUL */
    size_t cap;  /* bytes allocated */
} fz_buf;

void fz_buf_init(fz_buf *b);
void fz_buf_release(fz_buf *b);
void fz_buf_reset(fz_buf *b);                  /* len = 0, keeps memory */
void fz_buf_grow(fz_buf *b, size_t extra);     /* fz_buf_reserve when it must allocate */
void fz_buf_adds(fz_buf *b, const char *s);
void fz_buf_printf(fz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *fz_buf_steal(fz_buf *b);                 /* caller frees; b is empty after */

/* Room for extra more bytes. Inline with fz_buf_add and fz_buf_addc: they
 * are called for every few bytes of text, and mostly the room is there. */
static inline void fz_buf_reserve(fz_buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        fz_buf_grow(b, extra);
}

static inline void fz_buf_add(fz_buf *b, const void *p, size_t n)
{
    fz_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void fz_buf_addc(fz_buf *b, char c)
{
    fz_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

#endif
