/* buf.c: growable byte buffer (doubling growth, NUL kept after the data). */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void fz_buf_init(fz_buf *b)
{
    b->cap = 64;
    b->len = 0;
    b->data = fz_xmalloc(b->cap);
    b->data[0] = '\0';
}

void fz_buf_release(fz_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void fz_buf_reset(fz_buf *b)
{
    b->len = 0;
    b->data[0] = '\0';
}

void fz_buf_grow(fz_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = fz_xrealloc(b->data, cap);
    b->cap = cap;
}

void fz_buf_adds(fz_buf *b, const char *s)
{
    fz_buf_add(b, s, strlen(s));
}

void fz_buf_printf(fz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= b->cap - b->len) {
        fz_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

char *fz_buf_steal(fz_buf *b)
{
    char *p = b->data;
    fz_buf_init(b);
    return p;
}
