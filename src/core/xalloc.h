/* xalloc.h: allocation that never returns NULL.
 * On out-of-memory these print one line to stderr and abort: callers never
 * check. Everything returned is freed with free(). */
#ifndef FZ_XALLOC_H
#define FZ_XALLOC_H

#include <stddef.h>

void *fz_xmalloc(size_t n);
void *fz_xcalloc(size_t count, size_t size);
void *fz_xrealloc(void *p, size_t n);
void *fz_xreallocarray(void *p, size_t count, size_t size); /* checks overflow */
char *fz_xstrdup(const char *s);
char *fz_xstrndup(const char *s, size_t n);   /* copies at most n bytes, adds NUL */
char *fz_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
