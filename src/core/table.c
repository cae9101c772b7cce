/* table.c: row-major cells; text lives in an arena owned by the table. */
#include "table.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

/* A cell holds a number or a text pointer, by its column's type; whether it
 * is NA lives in a parallel byte array (16 + 1 bytes a cell, not 24: the
 * long table of a large corpus has millions of cells). */
typedef union cell {
    double      num;  /* number columns */
    const char *text; /* text columns */
} cell;

typedef struct col {
    const char *name;
    fz_coltype  type;
    int         decimals;
} col;

struct fz_table {
    const char *name;
    col   *cols;
    size_t ncols, capcols;
    cell  *cells;
    unsigned char *na; /* 1: cell is NA; same layout as cells */
    size_t nrows, caprows;
    fz_arena arena;
};

fz_table *fz_table_new(const char *name)
{
    fz_table *t = fz_xcalloc(1, sizeof *t);
    fz_arena_init(&t->arena);
    t->name = fz_arena_strdup(&t->arena, name);
    return t;
}

void fz_table_free(fz_table *t)
{
    if (!t)
        return;
    free(t->cols);
    free(t->cells);
    free(t->na);
    fz_arena_release(&t->arena);
    free(t);
}

const char *fz_table_name(const fz_table *t) { return t->name; }

size_t fz_table_add_col(fz_table *t, const char *name, fz_coltype type, int decimals)
{
    assert(t->nrows == 0);
    if (t->ncols == t->capcols) {
        t->capcols = t->capcols ? t->capcols * 2 : 16;
        t->cols = fz_xreallocarray(t->cols, t->capcols, sizeof *t->cols);
    }
    t->cols[t->ncols] = (col){ fz_arena_strdup(&t->arena, name), type, decimals };
    return t->ncols++;
}

size_t fz_table_add_row(fz_table *t)
{
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? t->caprows * 2 : 64;
        t->cells = fz_xreallocarray(t->cells, t->caprows * (t->ncols ? t->ncols : 1),
                                    sizeof *t->cells);
        t->na = fz_xreallocarray(t->na, t->caprows * (t->ncols ? t->ncols : 1), 1);
    }
    cell *row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++)
        row[c].num = NAN;
    memset(t->na + t->nrows * t->ncols, 1, t->ncols);
    return t->nrows++;
}

static size_t idx(const fz_table *t, size_t row, size_t c)
{
    assert(row < t->nrows && c < t->ncols);
    return row * t->ncols + c;
}

void fz_table_set_text(fz_table *t, size_t row, size_t c, const char *s)
{
    size_t i = idx(t, row, c);
    assert(t->cols[c].type == FZ_COL_TEXT);
    if (!s || t->cols[c].type != FZ_COL_TEXT) {
        t->na[i] = 1;
        return;
    }
    t->cells[i].text = fz_arena_strdup(&t->arena, s);
    t->na[i] = 0;
}

void fz_table_set_num(fz_table *t, size_t row, size_t c, double v)
{
    size_t i = idx(t, row, c);
    assert(t->cols[c].type == FZ_COL_NUM);
    t->cells[i].num = v;
    t->na[i] = !isfinite(v) || t->cols[c].type != FZ_COL_NUM;
}

void fz_table_set_na(fz_table *t, size_t row, size_t c)
{
    t->na[idx(t, row, c)] = 1;
}

size_t fz_table_nrows(const fz_table *t) { return t->nrows; }
size_t fz_table_ncols(const fz_table *t) { return t->ncols; }
const char *fz_table_colname(const fz_table *t, size_t c) { return t->cols[c].name; }
fz_coltype fz_table_coltype(const fz_table *t, size_t c) { return t->cols[c].type; }

int fz_table_find_col(const fz_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

int fz_table_is_na(const fz_table *t, size_t row, size_t c)
{
    return t->na[idx(t, row, c)];
}

double fz_table_num(const fz_table *t, size_t row, size_t c)
{
    size_t i = idx(t, row, c);
    return (t->na[i] || t->cols[c].type != FZ_COL_NUM) ? NAN : t->cells[i].num;
}

const char *fz_table_text(const fz_table *t, size_t row, size_t c)
{
    size_t i = idx(t, row, c);
    return (t->na[i] || t->cols[c].type != FZ_COL_TEXT) ? "" : t->cells[i].text;
}

char *fz_format_num(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    if (decimals >= 0) {
        snprintf(buf, n, "%.*f", decimals, v);
        if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
            memmove(buf, buf + 1, strlen(buf)); /* never print -0.00 */
        return buf;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v == 0 ? 0.0 : v);
        return buf;
    }
    snprintf(buf, n, "%.15g", v);
    return buf;
}

char *fz_table_format(const fz_table *t, size_t row, size_t c, char *buf, size_t n)
{
    size_t i = idx(t, row, c);
    if (t->na[i]) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    if (t->cols[c].type == FZ_COL_TEXT) {
        snprintf(buf, n, "%s", t->cells[i].text);
        return buf;
    }
    return fz_format_num(t->cells[i].num, t->cols[c].decimals, buf, n);
}
