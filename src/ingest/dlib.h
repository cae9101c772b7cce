/* dlib.h: a shared library opened on first use (dlopen) instead of at
 * startup, so a run that never meets a PDF or a scan does not pay for
 * loading poppler or tesseract and the ~100 libraries behind them.
 *
 * The caller lists the symbols it needs and where their addresses go; the
 * library is opened RTLD_LOCAL (its symbols do not leak into the global
 * scope) and never closed. The caller makes the call once (pthread_once):
 * fz_dlib_open itself keeps no state. */
#ifndef FZ_DLIB_H
#define FZ_DLIB_H

#include <stddef.h>

typedef struct fz_dlib_sym {
    const char *name;  /* "poppler_page_get_text" */
    void      **addr;  /* where its address goes */
} fz_dlib_sym;

/* Opens the library `soname` and resolves syms[0..n). Returns its handle,
 * or NULL and a message in why[0..whylen) ("libfoo.so.1: cannot open
 * shared object file", "libfoo.so.1 has no symbol foo_bar"); then every
 * *addr is left NULL. */
void *fz_dlib_open(const char *soname, const fz_dlib_sym *syms, size_t n, char *why,
                   size_t whylen);

#endif
