/* rollup.c: roll-ups up the hierarchy (townships -> county -> prefecture ->
 * province; a parent's code is the 6/4/2-digit prefix of its children's).
 * Counts are summed, rates averaged (mean and median): a rate is never
 * summed. A child's value is its own reported figure, or else its own
 * roll-up, so a county without a report still counts towards its prefecture
 * through its townships. Department reports stay out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "statsint.h"
#include "xalloc.h"

typedef struct item {
    char        code[FZ_CODE_MAX]; /* significant code */
    const char *ind;
    const char *const *path;       /* province, prefecture, county names (the unit's) */
    double      value;
    size_t      rows;              /* obs_rows behind the value: offset in the rows pool */
    int         year;
    unsigned    qn;                /* non-exact inputs behind the value */
    signed char len;               /* code length: 9, 6, 4, 2 */
    signed char rate;
    signed char own;               /* 1: a reported figure, 0: a roll-up */
} item;

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = x->len - y->len;
    /* group by parent prefix: compare the first (len of the parent) digits */
    int pl = x->len >= 9 ? 6 : x->len >= 6 ? 4 : 2;
    if (!c)
        c = strncmp(x->code, y->code, (size_t)pl);
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    if (!c)
        c = fz_ind_cmp(x->ind, y->ind);
    if (!c)
        c = strcmp(x->code, y->code);
    if (!c)
        c = y->own - x->own; /* a reported figure before a roll-up */
    return c;
}

typedef struct items {
    item  *v;
    size_t n, cap;
} items;

static item *push(items *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = fz_xreallocarray(s->v, s->cap, sizeof *s->v);
    }
    item *it = &s->v[s->n++];
    memset(it, 0, sizeof *it);
    return it;
}

static int parent_len(int len)
{
    return len >= 9 ? 6 : len >= 6 ? 4 : len >= 4 ? 2 : 0;
}

/* Own figures of non-department units, sorted by (code, year, indicator), to
 * show a parent's reported value next to its roll-up. */
typedef struct ownfig {
    const char *sig;
    int         year;
    const char *ind;
    double      value;
} ownfig;

static int cmp_own(const void *a, const void *b)
{
    const ownfig *x = a, *y = b;
    int c = strcmp(x->sig, y->sig);
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    return c ? c : fz_ind_cmp(x->ind, y->ind);
}

static ownfig *own_figures(const fz_panel *p, size_t *n)
{
    ownfig *o = fz_xmalloc((p->ncells ? p->ncells : 1) * sizeof *o);
    *n = 0;
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_cell *c = &p->cells[i];
        const fz_unit *u = &p->units[c->unit];
        if (u->level != FZ_LEVEL_DEPARTMENT)
            o[(*n)++] = (ownfig){ u->sig, c->year, c->ind, c->value };
    }
    if (*n)
        qsort(o, *n, sizeof *o, cmp_own);
    return o;
}

static double own_value(const ownfig *o, size_t n, const char *code, int year, const char *ind)
{
    ownfig key = { code, year, ind, 0 };
    const ownfig *f = n ? bsearch(&key, o, n, sizeof *o, cmp_own) : NULL;
    return f ? f->value : NAN;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct child codes under parent (any year, any indicator): codes is the
 * sorted, de-duplicated list of child codes of this level, so the children
 * of one parent are a contiguous run. */
static size_t children_known(const char *const *codes, size_t n, const char *parent, int plen)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first code >= parent */
        size_t mid = (lo + hi) / 2;
        if (strcmp(codes[mid], parent) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && strncmp(codes[k], parent, (size_t)plen) == 0)
        k++;
    return k - lo;
}

static int cmp_row(const fz_table *t, size_t a, size_t b)
{
    int c = strcmp(fz_table_text(t, a, 0), fz_table_text(t, b, 0));
    if (!c) {
        double ya = fz_table_num(t, a, 3), yb = fz_table_num(t, b, 3);
        c = (ya > yb) - (ya < yb);
    }
    if (!c)
        c = strcmp(fz_table_text(t, a, 4), fz_table_text(t, b, 4));
    return c;
}

static int cmp_rowidx(const void *a, const void *b, void *ctx)
{
    const fz_table *sort_t = ctx;
    return cmp_row(sort_t, *(const size_t *)a, *(const size_t *)b);
}

fz_table *fz_rollups_table(const fz_panel *p)
{
    fz_table *t = fz_table_new("rollups");
    const char *tc[] = { "region_code", "region_name", "level" };
    for (size_t i = 0; i < 3; i++)
        fz_table_add_col(t, tc[i], FZ_COL_TEXT, -1);
    fz_table_add_col(t, "year", FZ_COL_NUM, 0);
    fz_table_add_col(t, "indicator", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "kind", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "method", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "value", FZ_COL_NUM, -1);
    fz_table_add_col(t, "median", FZ_COL_NUM, -1);
    fz_table_add_col(t, "children_reported", FZ_COL_NUM, 0);
    fz_table_add_col(t, "children_known", FZ_COL_NUM, 0);
    fz_table_add_col(t, "coverage", FZ_COL_NUM, 2);
    fz_table_add_col(t, "own_value", FZ_COL_NUM, -1);
    fz_table_add_col(t, "qualified_n", FZ_COL_NUM, 0);
    fz_table_add_col(t, "child_codes", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "obs_rows", FZ_COL_TEXT, -1);

    size_t nown = 0;
    ownfig *own = own_figures(p, &nown);
    items s = { 0 };
    fz_buf pool; /* every item's obs_rows, NUL-terminated, one after the other */
    fz_buf_init(&pool);
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_cell *c = &p->cells[i];
        const fz_unit *u = &p->units[c->unit];
        if (u->level == FZ_LEVEL_DEPARTMENT || u->sig_len < 4)
            continue;
        item *it = push(&s);
        memcpy(it->code, u->sig, sizeof it->code);
        it->len = (signed char)(u->sig_len >= 9 ? 9 : u->sig_len >= 6 ? 6 : 4);
        it->code[it->len] = '\0';
        it->year = c->year;
        it->ind = c->ind;
        it->rate = (signed char)c->rate;
        it->value = c->value;
        it->own = 1;
        it->qn = c->qual != FZ_QUAL_EXACT;
        it->rows = pool.len;
        char d[24], *q = d + sizeof d; /* the 1-based row number and a NUL */
        size_t num = c->row + 1;
        *--q = '\0';
        do {
            *--q = (char)('0' + num % 10);
            num /= 10;
        } while (num);
        fz_buf_add(&pool, q, (size_t)(d + sizeof d - q));
        it->path = u->path;
    }
    fz_buf kids, rows;
    fz_buf_init(&kids);
    fz_buf_init(&rows);
    static const int child_lens[] = { 9, 6, 4 };
    for (size_t step = 0; step < 3; step++) {
        int clen = child_lens[step], plen = parent_len(clen);
        if (s.n)
            qsort(s.v, s.n, sizeof *s.v, cmp_item);
        /* items of length clen are contiguous (sorted by len first) */
        size_t lo = 0;
        while (lo < s.n && s.v[lo].len != clen)
            lo++;
        size_t hi = lo;
        while (hi < s.n && s.v[hi].len == clen)
            hi++;
        /* copies: pushing roll-ups below may move s.v */
        char *codebuf = fz_xmalloc((hi - lo + 1) * FZ_CODE_MAX);
        const char **codes = fz_xmalloc((hi - lo + 1) * sizeof *codes);
        size_t ncodes = 0;
        for (size_t k = lo; k < hi; k++, ncodes++) {
            memcpy(codebuf + ncodes * FZ_CODE_MAX, s.v[k].code, FZ_CODE_MAX);
            codes[ncodes] = codebuf + ncodes * FZ_CODE_MAX;
        }
        qsort(codes, ncodes, sizeof *codes, cmp_code);
        size_t u = 0;
        for (size_t k = 0; k < ncodes; k++)
            if (u == 0 || strcmp(codes[u - 1], codes[k]) != 0)
                codes[u++] = codes[k];
        ncodes = u;
        double *vals = fz_xmalloc((hi - lo + 1) * sizeof *vals);
        for (size_t g = lo; g < hi;) {
            const item *g0 = &s.v[g];
            size_t e = g + 1;
            while (e < hi && strncmp(s.v[e].code, g0->code, (size_t)plen) == 0 &&
                   s.v[e].year == g0->year && fz_ind_cmp(s.v[e].ind, g0->ind) == 0)
                e++;
            size_t n = 0, qn = 0;
            double sum = 0;
            fz_buf_reset(&kids);
            fz_buf_reset(&rows);
            for (size_t k = g; k < e; k++) {
                const item *it = &s.v[k];
                if (k > g && strcmp(it->code, s.v[k - 1].code) == 0)
                    continue; /* the child's own figure came first; skip its roll-up */
                vals[n++] = it->value;
                sum += it->value;
                qn += it->qn;
                if (kids.len)
                    fz_buf_addc(&kids, ';');
                fz_buf_adds(&kids, it->code);
                if (rows.len)
                    fz_buf_addc(&rows, ';');
                fz_buf_adds(&rows, pool.data + it->rows);
            }
            char parent[FZ_CODE_MAX];
            memcpy(parent, g0->code, (size_t)plen);
            parent[plen] = '\0';
            double value = g0->rate ? sum / (double)n : sum;
            /* path index of the parent's name: county 2, prefecture 1, province 0 */
            const char *pname = g0->path[plen == 6 ? 2 : plen == 4 ? 1 : 0];
            size_t known = children_known(codes, ncodes, parent, plen);
            size_t r = fz_table_add_row(t);
            fz_table_set_text(t, r, 0, parent);
            fz_table_set_text(t, r, 1, pname);
            fz_table_set_text(t, r, 2, plen == 6 ? "county" : plen == 4 ? "prefecture"
                                                                        : "province");
            fz_table_set_num(t, r, 3, g0->year);
            fz_table_set_text(t, r, 4, g0->ind);
            fz_table_set_text(t, r, 5, g0->rate ? "rate" : "count");
            fz_table_set_text(t, r, 6, g0->rate ? "mean" : "sum");
            fz_table_set_num(t, r, 7, value);
            if (g0->rate)
                fz_table_set_num(t, r, 8, fz_median_of(vals, n));
            fz_table_set_num(t, r, 9, (double)n);
            fz_table_set_num(t, r, 10, (double)known);
            fz_table_set_num(t, r, 11, known ? 100.0 * (double)n / (double)known : NAN);
            fz_table_set_num(t, r, 12, own_value(own, nown, parent, g0->year, g0->ind));
            fz_table_set_num(t, r, 13, (double)qn);
            fz_table_set_text(t, r, 14, kids.data);
            fz_table_set_text(t, r, 15, rows.data);
            if (plen >= 4) { /* feeds the next level up */
                item copy = *g0;
                item *it = push(&s);
                g0 = NULL; /* push may move s.v */
                *it = copy;
                memcpy(it->code, parent, sizeof parent);
                it->len = (signed char)plen;
                it->value = value;
                it->own = 0;
                it->qn = (unsigned)qn;
                it->rows = pool.len;
                fz_buf_add(&pool, rows.data, rows.len + 1);
            }
            g = e;
        }
        free(vals);
        free(codes);
        free(codebuf);
    }
    fz_buf_release(&kids);
    fz_buf_release(&rows);
    fz_buf_release(&pool);
    free(s.v);
    free(own);

    /* Re-order rows by region_code, year, indicator. */
    size_t nr = fz_table_nrows(t);
    size_t *ord = fz_xmalloc((nr ? nr : 1) * sizeof *ord);
    for (size_t i = 0; i < nr; i++)
        ord[i] = i;
    qsort_r(ord, nr, sizeof *ord, cmp_rowidx, t);
    fz_table_reorder(t, ord);
    free(ord);
    return t;
}
