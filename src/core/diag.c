/* diag.c: a list of user-facing diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

const char *fz_strerror(int code)
{
    switch (code) {
    case FZ_OK: return "success";
    case FZ_EIO: return "input/output error";
    case FZ_EINPUT: return "malformed input";
    case FZ_ELIMIT: return "input exceeds a limit";
    case FZ_ENOTFOUND: return "not found";
    case FZ_EDEP: return "missing dependency";
    case FZ_EUNSUPPORTED: return "unsupported format";
    default: return "unknown error";
    }
}

void fz_diag_init(fz_diag *d)
{
    memset(d, 0, sizeof *d);
}

void fz_diag_clear(fz_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    d->n = 0;
    memset(d->counts, 0, sizeof d->counts);
}

void fz_diag_release(fz_diag *d)
{
    fz_diag_clear(d);
    free(d->items);
    fz_diag_init(d);
}

static fz_diag_item *push(fz_diag *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = fz_xreallocarray(d->items, d->cap, sizeof *d->items);
    }
    return &d->items[d->n++];
}

void fz_diag_add(fz_diag *d, fz_diag_level level, const char *file, long line,
                 const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = fz_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    fz_diag_item *it = push(d);
    it->level = level;
    it->file = file ? fz_xstrdup(file) : NULL;
    it->line = line;
    it->msg = msg;
    d->counts[level]++;
}

void fz_diag_move(fz_diag *dst, fz_diag *src)
{
    for (size_t i = 0; i < src->n; i++) {
        *push(dst) = src->items[i];
        dst->counts[src->items[i].level]++;
    }
    src->n = 0;
    memset(src->counts, 0, sizeof src->counts);
}

size_t fz_diag_count(const fz_diag *d, fz_diag_level level)
{
    return d->counts[level];
}
