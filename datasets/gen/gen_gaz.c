/* gen_gaz.c: reads datasets/gazetteer.csv (code,name,level,parent) for fzgen.
 * Rows keep file order; parents are found by code through a sorted index, so
 * the file need not be sorted. Limits: 4 KB per line, 2,000,000 rows, 63
 * bytes per code. Names with quotes are accepted (RFC 4180 quoting). */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

enum { MAX_LINE = 4096, MAX_ROWS = 2000000, MAX_CODE = 63, NFIELD = 4 };

/* Splits one CSV line into NFIELD fields in place; returns the field count. */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    while (n < NFIELD) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p) {
                if (*p == '"' && p[1] != '"')
                    break;
                if (*p == '"')
                    p++; /* "" is one quote */
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            *w = '\0';
            if (*p == ',')
                p++;
            else
                break;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
    }
    return n;
}

static int level_of(const char *s)
{
    if (!strcmp(s, "province"))
        return GEN_PROVINCE;
    if (!strcmp(s, "prefecture"))
        return GEN_PREFECTURE;
    if (!strcmp(s, "county"))
        return GEN_COUNTY;
    if (!strcmp(s, "township"))
        return GEN_TOWNSHIP;
    return 0;
}

static const gen_region *sort_base;

static int by_code(const void *a, const void *b)
{
    return strcmp(sort_base[*(const long *)a].code, sort_base[*(const long *)b].code);
}

static int by_name(const void *a, const void *b)
{
    const gen_region *x = &sort_base[*(const long *)a], *y = &sort_base[*(const long *)b];
    if (x->level != y->level)
        return x->level - y->level;
    int c = strcmp(x->name, y->name);
    return c ? c : (*(const long *)a > *(const long *)b) - (*(const long *)a < *(const long *)b);
}

static long find_code(const gen_gaz *g, const long *idx, const char *code)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->r[idx[mid]].code, code);
        if (c == 0)
            return idx[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int gen_gaz_load(gen_gaz *g, const char *path, char *err, size_t errlen)
{
    g->r = NULL;
    g->n = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return FZ_EIO;
    }
    char line[MAX_LINE + 2];
    char **parents = NULL;
    size_t cap = 0;
    long lineno = 0;
    int rc = FZ_OK;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        size_t len = strlen(line);
        if (len > MAX_LINE) {
            snprintf(err, errlen, "'%s' line %ld: longer than %d bytes", path, lineno, MAX_LINE);
            rc = FZ_ELIMIT;
            goto done;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* saved by Excel */
            memmove(line, line + 3, len - 2);
        if (lineno == 1 && !strncmp(line, "code,", 5))
            continue;
        if (!len)
            continue;
        char *f[NFIELD];
        int lvl;
        if (split(line, f) != NFIELD || !*f[0] || !*f[1] || !(lvl = level_of(f[2])) ||
            strlen(f[0]) > MAX_CODE || strlen(f[3]) > MAX_CODE) {
            snprintf(err, errlen, "'%s' line %ld: expected code,name,level,parent", path, lineno);
            rc = FZ_EINPUT;
            goto done;
        }
        if (g->n >= MAX_ROWS) {
            snprintf(err, errlen, "'%s': more than %d rows", path, MAX_ROWS);
            rc = FZ_ELIMIT;
            goto done;
        }
        if (g->n == cap) {
            cap = cap ? 2 * cap : 1024;
            g->r = fz_xreallocarray(g->r, cap, sizeof *g->r);
            parents = fz_xreallocarray(parents, cap, sizeof *parents);
        }
        gen_region *r = &g->r[g->n];
        r->code = fz_xstrdup(f[0]);
        r->name = fz_xstrdup(f[1]);
        r->level = lvl;
        r->parent = -1;
        r->namesakes = 1;
        parents[g->n++] = fz_xstrdup(f[3]);
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        rc = FZ_EIO;
        goto done;
    }
    if (g->n == 0) {
        snprintf(err, errlen, "'%s': no divisions", path);
        rc = FZ_EINPUT;
        goto done;
    }
    long *idx = fz_xreallocarray(NULL, g->n, sizeof *idx);
    for (size_t i = 0; i < g->n; i++)
        idx[i] = (long)i;
    sort_base = g->r;
    qsort(idx, g->n, sizeof *idx, by_code);
    for (size_t i = 0; i < g->n; i++)
        if (*parents[i])
            g->r[i].parent = find_code(g, idx, parents[i]);
    /* namesakes: runs of equal (level, name) in name order */
    qsort(idx, g->n, sizeof *idx, by_name);
    for (size_t i = 0; i < g->n;) {
        size_t j = i + 1;
        while (j < g->n && g->r[idx[j]].level == g->r[idx[i]].level &&
               !strcmp(g->r[idx[j]].name, g->r[idx[i]].name))
            j++;
        for (size_t k = i; k < j; k++)
            g->r[idx[k]].namesakes = (int)(j - i);
        i = j;
    }
    free(idx);
done:
    for (size_t i = 0; i < g->n; i++)
        free(parents[i]);
    free(parents);
    fclose(fp);
    if (rc < 0)
        gen_gaz_release(g);
    return rc;
}

void gen_gaz_release(gen_gaz *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->r[i].code);
        free(g->r[i].name);
    }
    free(g->r);
    g->r = NULL;
    g->n = 0;
}

long gen_gaz_up(const gen_gaz *g, long i, int lvl)
{
    while (i >= 0 && g->r[i].level > lvl)
        i = g->r[i].parent;
    return (i >= 0 && g->r[i].level == lvl) ? i : -1;
}
