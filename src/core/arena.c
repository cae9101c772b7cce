/* arena.c: chained blocks of at least 64 KiB; large requests get their own block.
 * Strings are packed byte by byte; fz_arena_alloc() memory is 8-aligned. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct fz_arena_block {
    fz_arena_block *next;
    size_t cap;
    _Alignas(8) unsigned char data[];
};

enum { BLOCK = 64 * 1024 };

void fz_arena_init(fz_arena *a)
{
    memset(a, 0, sizeof *a);
}

void fz_arena_release(fz_arena *a)
{
    fz_arena_block *b = a->head;
    while (b) {
        fz_arena_block *next = b->next;
        free(b);
        b = next;
    }
    fz_arena_init(a);
}

void fz_arena_reset(fz_arena *a)
{
    if (!a->head)
        return;
    fz_arena_block *keep = a->head;
    while (keep->next) {
        fz_arena_block *next = keep->next;
        free(keep);
        keep = next;
    }
    a->head = keep;
    a->used = 0;
    a->total = 0;
}

/* n bytes at an offset that is a multiple of align (1 or 8) in a block. */
static void *bump(fz_arena *a, size_t n, size_t align)
{
    size_t at = a->head ? (a->used + align - 1) & ~(align - 1) : 0;
    if (!a->head || at + n > a->head->cap) {
        size_t cap = n > BLOCK ? n : BLOCK;
        fz_arena_block *b = fz_xmalloc(sizeof *b + cap);
        b->cap = cap;
        if (a->head && n > BLOCK) {
            /* keep filling the current block: chain the big one behind it */
            b->next = a->head->next;
            a->head->next = b;
            a->total += n;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    void *p = a->head->data + at;
    a->used = at + n;
    a->total += n;
    return p;
}

void *fz_arena_alloc(fz_arena *a, size_t n)
{
    return bump(a, (n + 7) & ~(size_t)7, 8);
}

char *fz_arena_strndup(fz_arena *a, const char *s, size_t n)
{
    char *p = bump(a, n + 1, 1); /* text needs no alignment */
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *fz_arena_strdup(fz_arena *a, const char *s)
{
    return s ? fz_arena_strndup(a, s, strlen(s)) : fz_arena_strndup(a, "", 0);
}
