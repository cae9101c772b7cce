/* arena.h: a bump allocator for many small strings with one lifetime.
 * Nothing is freed individually; fz_arena_release() frees everything. */
#ifndef FZ_ARENA_H
#define FZ_ARENA_H

#include <stddef.h>

typedef struct fz_arena_block fz_arena_block;

typedef struct fz_arena {
    fz_arena_block *head; /* current block; older blocks are chained behind */
    size_t used;          /* bytes used in head */
    size_t total;         /* bytes handed out, all blocks */
} fz_arena;

void  fz_arena_init(fz_arena *a);
void  fz_arena_release(fz_arena *a);
void  fz_arena_reset(fz_arena *a);    /* keeps the first block for reuse */
void *fz_arena_alloc(fz_arena *a, size_t n);       /* aligned to 8 */
char *fz_arena_strndup(fz_arena *a, const char *s, size_t n);
char *fz_arena_strdup(fz_arena *a, const char *s); /* NULL gives "" */

#endif
