/* check.c: counts checks and reports each failure with its location. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int passed, failed;

void check_at(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

int check_done(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

char *check_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = fz_xmalloc(cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += r;
        if (cap - len < 2) {
            cap *= 2;
            buf = fz_xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[len] = '\0';
    if (n)
        *n = len;
    return buf;
}

static char *join(const char *env, const char *fallback, const char *rel)
{
    const char *base = getenv(env);
    return fz_xasprintf("%s/%s", base && *base ? base : fallback, rel);
}

char *check_shared(const char *rel)
{
    return join("FZ_SHARED", "../shared", rel);
}

char *check_source(const char *rel)
{
    return join("FZ_SOURCE", ".", rel);
}

uint64_t check_xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}
