/* rollup.c: roll-ups up the hierarchy (townships -> county -> prefecture ->
 * province; a parent's code is the 6/4/2-digit prefix of its children's).
 * Counts are summed, rates averaged (mean and median): a rate is never
 * summed. A child's value is its own reported figure, or else its own
 * roll-up, so a county without a report still counts towards its prefecture
 * through its townships. Department reports stay out.
 *
 * The table is a view: each row keeps its numbers and the list of its
 * children (own figures by cell, roll-ups by row), and child_codes and
 * obs_rows are spelled out from that list when read. Spelled out in advance
 * they would be the largest part of a large corpus's statistics. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "statsint.h"
#include "xalloc.h"

#define ROLLUP_TAG 0x80000000u /* in a child reference: a roll-up row, else a cell */

/* A figure that feeds the next level up: a unit's own figure or a roll-up.
 * A large corpus has millions of items, so an item is only its reference:
 * the value, year, indicator and kind, the code (the unit's significant
 * code cut to the level's length, or the roll-up row's code), the unit
 * whose path names the parents and the number of non-exact inputs behind
 * the value come from the cell or row it refers to (item_value() and kin). */
typedef struct item {
    uint32_t ref;                  /* cell index, or roll-up row | ROLLUP_TAG */
} item;

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
    return &s->v[s->n++];
}

/* One roll-up row. The parent's code is the first plen characters of its
 * unit's significant code (a roll-up's code is a prefix of its children's);
 * the median of a rate is worked out from the children when read. */
typedef struct rrow {
    double   value;              /* the sum, or the mean of a rate */
    uint32_t kids;               /* first child reference in rollup.kids */
    uint32_t n;                  /* children reported (references from kids) */
    uint32_t known;              /* children known */
    uint32_t qn;                 /* qualified_n */
    uint32_t unit;               /* the unit whose path names this parent */
    uint32_t own;                /* the parent's own figure: a cell; FZ_NONE */
    int      year;
    unsigned k : 28;             /* the indicator: index in the panel's inds */
    unsigned plen : 3;           /* code length: 2, 4 or 6 */
    unsigned rate : 1;
} rrow;

typedef struct rollup {
    const fz_panel *p;
    int       clen;  /* the code length of the items being rolled up: 9, 6 or 4 */
    rrow     *rows;  size_t nrows, caprows;
    uint32_t *kids;  size_t nkids, capkids;
} rollup;

static rrow *push_row(rollup *ru)
{
    if (ru->nrows == ru->caprows) {
        ru->caprows = ru->caprows ? ru->caprows * 2 : 64;
        ru->rows = fz_xreallocarray(ru->rows, ru->caprows, sizeof *ru->rows);
    }
    assert(ru->nrows < ROLLUP_TAG);
    return &ru->rows[ru->nrows++];
}

static void push_kid(rollup *ru, uint32_t ref)
{
    if (ru->nkids == ru->capkids) {
        ru->capkids = ru->capkids ? ru->capkids * 2 : 64;
        ru->kids = fz_xreallocarray(ru->kids, ru->capkids, sizeof *ru->kids);
    }
    assert(ru->nkids < UINT32_MAX);
    ru->kids[ru->nkids++] = ref;
}

/* Room for nrows more rows, nkids more children and nrows more items in
 * up (a level's own count): the arrays grow once a level, to their size,
 * instead of doubling. */
static void reserve_level(rollup *ru, size_t nrows, size_t nkids, items *up)
{
    if (ru->nrows + nrows > ru->caprows) {
        ru->caprows = ru->nrows + nrows;
        ru->rows = fz_xreallocarray(ru->rows, ru->caprows, sizeof *ru->rows);
    }
    if (ru->nkids + nkids > ru->capkids) {
        ru->capkids = ru->nkids + nkids;
        ru->kids = fz_xreallocarray(ru->kids, ru->capkids, sizeof *ru->kids);
    }
    if (up && up->n + nrows > up->cap) {
        up->cap = up->n + nrows;
        up->v = fz_xreallocarray(up->v, up->cap, sizeof *up->v);
    }
}

static uint32_t item_unit(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].unit
                                : ru->p->cells[it->ref].unit;
}

static double item_value(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].value
                                : ru->p->cells[it->ref].value;
}

static int item_year(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].year
                                : ru->p->cells[it->ref].year;
}

static uint32_t item_k(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].k : ru->p->cells[it->ref].k;
}

static int item_rate(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].rate
                                : ru->p->cells[it->ref].rate;
}

static int item_own(const item *it)
{
    return !(it->ref & ROLLUP_TAG); /* 1: a reported figure, 0: a roll-up */
}

static uint32_t item_qn(const rollup *ru, const item *it)
{
    return it->ref & ROLLUP_TAG ? ru->rows[it->ref & ~ROLLUP_TAG].qn
                                : ru->p->cells[it->ref].qual != FZ_QUAL_EXACT;
}

/* The code of an item, cut to its length, into out: a prefix of its unit's
 * significant code. */
/* The first len (< FZ_CODE_MAX) characters of a unit's significant code:
 * the whole array is copied (a unit's array is zeroed past its code), then
 * cut. */
static void code_prefix(const char src[FZ_CODE_MAX], size_t len, char out[FZ_CODE_MAX])
{
    memcpy(out, src, FZ_CODE_MAX);
    out[len] = '\0';
}

static void item_code(const rollup *ru, const item *it, char out[FZ_CODE_MAX])
{
    code_prefix(ru->p->units[item_unit(ru, it)].sig, (size_t)ru->clen, out);
}

/* The code of a row, into out. */
static void row_code(const rollup *ru, const rrow *r, char out[FZ_CODE_MAX])
{
    code_prefix(ru->p->units[r->unit].sig, r->plen, out);
}

/* Items of one code length. Ties (two units with one significant code)
 * keep the order of the cells, as a stable sort would. */
static int cmp_item(const void *a, const void *b, void *ctx)
{
    const rollup *ru = ctx;
    const item *x = a, *y = b;
    char cx[FZ_CODE_MAX], cy[FZ_CODE_MAX];
    item_code(ru, x, cx);
    item_code(ru, y, cy);
    int pl = ru->clen >= 9 ? 6 : ru->clen >= 6 ? 4 : 2;
    /* group by parent prefix: compare the first (len of the parent) digits */
    int c = strncmp(cx, cy, (size_t)pl);
    int yx = item_year(ru, x), yy = item_year(ru, y);
    uint32_t kx = item_k(ru, x), ky = item_k(ru, y);
    if (!c)
        c = (yx > yy) - (yx < yy);
    if (!c)
        c = (kx > ky) - (kx < ky); /* inds are in strcmp order */
    if (!c)
        c = strcmp(cx, cy);
    if (!c)
        c = item_own(y) - item_own(x); /* a reported figure before a roll-up */
    if (!c)
        c = (x->ref > y->ref) - (x->ref < y->ref);
    return c;
}

static int parent_len(int len)
{
    return len >= 9 ? 6 : len >= 6 ? 4 : len >= 4 ? 2 : 0;
}

/* Own figures of non-department units, sorted by (code, year, indicator), to
 * show a parent's reported value next to its roll-up: cell indices, in cell
 * order where the keys tie (a stable sort). */
static int own_cmp_key(const fz_panel *p, const char *sig, int year, uint32_t k,
                       uint32_t cell)
{
    const fz_cell *c = &p->cells[cell];
    int r = strcmp(sig, p->units[c->unit].sig);
    if (!r)
        r = (year > c->year) - (year < c->year);
    return r ? r : (k > c->k) - (k < c->k); /* inds are in strcmp order */
}

static int cmp_own(const void *a, const void *b, void *ctx)
{
    const fz_panel *p = ctx;
    const fz_cell *x = &p->cells[*(const uint32_t *)a];
    return own_cmp_key(p, p->units[x->unit].sig, x->year, x->k, *(const uint32_t *)b);
}

/* o[0..n) (ascending cell indices) sorted as qsort_r with cmp_own sorts them
 * (glibc's is a stable merge sort) by a radix sort of packed keys, when every
 * code is at most 9 digits and the keys fit in 64 bits: a code padded with
 * zeros to 9 digits, then its length, orders as strcmp does (a code comes
 * right before the longer codes it begins). Returns the sorted cells, or
 * NULL (o untouched) when the keys do not apply. */
/* The own figures: found through their units by code (the units of one
 * significant code are few, usually one, and a unit's cells are sorted by
 * year and indicator), and, where two units of one code both have the
 * figure, by the comparator's order of all own figures, built then. */
typedef struct own_list {
    const fz_panel *p;
    uint32_t *cell;   /* all own figures sorted by cmp_own; NULL until needed */
    size_t    n;
    uint64_t *ucode;  /* per unit: its code padded to 9 digits << 4 | its length;
                         NULL: not every code is 9 digits or fewer */
    uint32_t *ubyc;   /* the non-department units by ucode, then unit */
    size_t    nu;
    uint32_t *ufirst; /* per unit: its first cell (nunits + 1) */
    uint64_t  want;   /* the ucode own_find() looked for last (0: none) */
    size_t    wlo;    /* where its units start in ubyc */
} own_list;

/* o[0..n) (ascending cell indices) sorted as qsort_r with cmp_own sorts them
 * (glibc's is a stable merge sort) by a radix sort of packed keys, when every
 * code is at most 9 digits and the keys fit in 64 bits: a code padded with
 * zeros to 9 digits, then its length, orders as strcmp does (a code comes
 * right before the longer codes it begins). Returns the sorted cells, or
 * NULL (o untouched) when the keys do not apply. */
static uint32_t *own_radix(const fz_panel *p, const uint32_t *o, size_t n)
{
    int ymin = 0, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[o[i]];
        const fz_unit *u = &p->units[c->unit];
        if (u->sig_len > 9 || strspn(u->sig, "0123456789") != (size_t)u->sig_len)
            return NULL;
        ymin = i == 0 || c->year < ymin ? c->year : ymin;
        ymax = i == 0 || c->year > ymax ? c->year : ymax;
    }
    int yb = fz_bits((uint64_t)((int64_t)ymax - ymin)), ib = fz_bits(p->ninds ? p->ninds - 1 : 0);
    int nb = fz_bits(n ? n - 1 : 0), cb = 30 + 4; /* 9 digits < 2^30, a length 0..9 */
    if (cb + yb + ib + nb > 64)
        return NULL;
    uint64_t *key = fz_xmalloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[o[i]];
        const fz_unit *u = &p->units[c->unit];
        uint64_t code = 0;
        for (int d = 0; d < 9; d++)
            code = code * 10 + (uint64_t)(d < u->sig_len ? u->sig[d] - '0' : 0);
        uint64_t y = (uint64_t)((int64_t)c->year - ymin);
        uint64_t k = ((((code << 4) | (uint64_t)u->sig_len) << yb | y) << ib) | c->k;
        key[i] = nb < 64 ? k << nb | i : i;
    }
    fz_radix_sort(key, n);
    uint64_t mask = nb < 64 ? ((uint64_t)1 << nb) - 1 : ~(uint64_t)0;
    uint32_t *out = fz_xmalloc((n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = o[key[i] & mask];
    free(key);
    return out;
}

/* ol->cell: every own figure sorted by cmp_own. */
static void own_sort_all(own_list *ol)
{
    const fz_panel *p = ol->p;
    uint32_t *o = fz_xmalloc((p->ncells ? p->ncells : 1) * sizeof *o);
    size_t n = 0;
    for (size_t i = 0; i < p->ncells; i++)
        if (p->units[p->cells[i].unit].level != FZ_LEVEL_DEPARTMENT)
            o[n++] = (uint32_t)i;
    ol->n = n;
    uint32_t *sorted = n ? own_radix(p, o, n) : NULL;
    if (sorted) {
#ifndef NDEBUG /* debug builds check the keys against the comparator */
        qsort_r(o, n, sizeof *o, cmp_own, (void *)p);
        assert(memcmp(o, sorted, n * sizeof *o) == 0);
#endif
        free(o);
        ol->cell = sorted;
        return;
    }
    if (n)
        qsort_r(o, n, sizeof *o, cmp_own, (void *)p);
    ol->cell = o;
}

/* The units by code, when every non-department unit's code is 9 digits or
 * fewer; else every own figure sorted. */
static void own_init(const fz_panel *p, own_list *ol)
{
    memset(ol, 0, sizeof *ol);
    ol->p = p;
    size_t nu = 0;
    for (size_t u = 0; u < p->nunits; u++) {
        const fz_unit *un = &p->units[u];
        if (un->level == FZ_LEVEL_DEPARTMENT)
            continue;
        if (un->sig_len > 9 || strspn(un->sig, "0123456789") != (size_t)un->sig_len) {
            own_sort_all(ol);
            return;
        }
        nu++;
    }
    int ub = fz_bits(p->nunits ? p->nunits - 1 : 0);
    if (34 + ub > 64) { /* 9 digits < 2^30, a length 0..9; then the unit */
        own_sort_all(ol);
        return;
    }
    ol->ucode = fz_xcalloc(p->nunits ? p->nunits : 1, sizeof *ol->ucode);
    uint64_t *key = fz_xmalloc((nu ? nu : 1) * sizeof *key);
    nu = 0;
    for (size_t u = 0; u < p->nunits; u++) {
        const fz_unit *un = &p->units[u];
        if (un->level == FZ_LEVEL_DEPARTMENT)
            continue;
        uint64_t code = 0;
        for (int d = 0; d < 9; d++)
            code = code * 10 + (uint64_t)(d < un->sig_len ? un->sig[d] - '0' : 0);
        ol->ucode[u] = (code << 4) | (uint64_t)un->sig_len;
        key[nu++] = ol->ucode[u] << ub | u;
    }
    fz_radix_sort(key, nu);
    ol->ubyc = fz_xmalloc((nu ? nu : 1) * sizeof *ol->ubyc);
    for (size_t i = 0; i < nu; i++)
        ol->ubyc[i] = (uint32_t)(key[i] & (((uint64_t)1 << ub) - 1));
    ol->nu = nu;
    free(key);
    /* cells are sorted by unit: each unit's first cell */
    ol->ufirst = fz_xcalloc(p->nunits + 1, sizeof *ol->ufirst);
    for (size_t i = 0; i < p->ncells; i++)
        ol->ufirst[p->cells[i].unit + 1]++;
    for (size_t u = 0; u < p->nunits; u++)
        ol->ufirst[u + 1] += ol->ufirst[u];
#ifndef NDEBUG /* for the check of every search (roll_level) */
    own_sort_all(ol);
#endif
}

static void own_release(own_list *ol)
{
    free(ol->cell);
    free(ol->ucode);
    free(ol->ubyc);
    free(ol->ufirst);
}

/* The probes of glibc's bsearch(), so that of two own figures with one key
 * the same one is found. */
static uint32_t own_cell(const fz_panel *p, const uint32_t *o, size_t n, const char *code,
                        int year, uint32_t ind)
{
    size_t l = 0, u = n;
    while (l < u) {
        size_t idx = (l + u) / 2;
        int c = own_cmp_key(p, code, year, ind, o[idx]);
        if (c < 0)
            u = idx;
        else if (c > 0)
            l = idx + 1;
        else
            return o[idx];
    }
    return FZ_NONE;
}

/* The own figure of a parent (code: pcode; when bynum, also pv, its plen
 * digits as a number) for year and indicator ind: through the units of that
 * code when ucode is there; the comparator's search over all own figures
 * otherwise, or when two units of the code have the figure (which of them
 * that search finds depends on where they lie). */
static uint32_t own_find(own_list *ol, const char *pcode, int bynum, uint64_t pv, int plen,
                         int year, uint32_t ind)
{
    if (ol->ucode && bynum) {
        uint64_t code = pv;
        for (int d = plen; d < 9; d++)
            code *= 10;
        uint64_t want = (code << 4) | (uint64_t)plen;
        size_t lo = 0, hi = ol->nu;
        if (want == ol->want) /* a parent's groups come one after another */
            lo = ol->wlo;
        while (lo < hi && want != ol->want) { /* the first unit of the code */
            size_t mid = lo + (hi - lo) / 2;
            if (ol->ucode[ol->ubyc[mid]] < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        ol->want = want;
        ol->wlo = lo;
        uint32_t found = FZ_NONE;
        size_t nfound = 0;
        for (size_t i = lo; i < ol->nu && ol->ucode[ol->ubyc[i]] == want; i++) {
            uint32_t u = ol->ubyc[i];
            size_t l = ol->ufirst[u], h = ol->ufirst[u + 1];
            while (l < h) { /* the unit's cells by year, indicator */
                size_t mid = l + (h - l) / 2;
                const fz_cell *c = &ol->p->cells[mid];
                if (c->year < year || (c->year == year && c->k < ind))
                    l = mid + 1;
                else
                    h = mid;
            }
            if (l < ol->ufirst[u + 1] && ol->p->cells[l].year == year &&
                ol->p->cells[l].k == ind) {
                found = (uint32_t)l;
                nfound++;
            }
        }
        if (nfound < 2)
            return found;
    }
    if (!ol->cell)
        own_sort_all(ol);
    return own_cell(ol->p, ol->cell, ol->n, pcode, year, ind);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Distinct child codes under parent (any year, any indicator): codes is the
 * sorted, de-duplicated list of child codes of this level, so the children
 * of one parent are a contiguous run. */
static size_t children_known(const char (*codes)[FZ_CODE_MAX], size_t n, const char *parent,
                             int plen)
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

static int cmp_rrow(const void *a, const void *b, void *ctx)
{
    const rollup *ru = ctx;
    const rrow *x = &ru->rows[*(const size_t *)a], *y = &ru->rows[*(const size_t *)b];
    char cx[FZ_CODE_MAX], cy[FZ_CODE_MAX];
    row_code(ru, x, cx);
    row_code(ru, y, cy);
    int c = strcmp(cx, cy);
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    if (!c)
        c = (x->k > y->k) - (x->k < y->k); /* inds are in strcmp order */
    return c;
}

/* ord[0..nrows) as qsort_r with cmp_rrow would order the rows: by a radix
 * sort of keys when every code is 2, 4 or 6 digits. A code is then a
 * prefix-padded number (4401 -> 440100) and its length: strcmp puts a code
 * right before the longer codes it begins. */
static void sort_rows(const rollup *ru, size_t *ord)
{
    size_t n = ru->nrows;
    int digits = 1, ymin = 0, ymax = 0;
    char rc[FZ_CODE_MAX];
    for (size_t i = 0; i < n && digits; i++) {
        const rrow *r = &ru->rows[i];
        row_code(ru, r, rc);
        digits = strspn(rc, "0123456789") == (size_t)r->plen && rc[r->plen] == '\0';
        ymin = i == 0 || r->year < ymin ? r->year : ymin;
        ymax = i == 0 || r->year > ymax ? r->year : ymax;
    }
    int yb = fz_bits((uint64_t)((int64_t)ymax - ymin));
    int ib = fz_bits(ru->p->ninds ? ru->p->ninds - 1 : 0), cb = fz_bits(999999 * 3 + 2);
    int nb = fz_bits(n ? n - 1 : 0); /* the row index in the low bits */
    if (!digits || cb + yb + ib + nb > 64) {
        qsort_r(ord, n, sizeof *ord, cmp_rrow, (void *)ru);
        return;
    }
    uint64_t *key = fz_xmalloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const rrow *r = &ru->rows[i];
        row_code(ru, r, rc);
        uint64_t code = 0;
        for (int d = 0; d < 6; d++)
            code = code * 10 + (uint64_t)(d < r->plen ? rc[d] - '0' : 0);
        code = code * 3 + (uint64_t)(r->plen == 2 ? 0 : r->plen == 4 ? 1 : 2);
        uint64_t y = (uint64_t)((int64_t)r->year - ymin);
        uint64_t k = (code << yb | y) << ib | r->k;
        key[i] = nb < 64 ? k << nb | i : i;
    }
    fz_radix_sort(key, n);
    uint64_t mask = nb < 64 ? ((uint64_t)1 << nb) - 1 : ~(uint64_t)0;
    for (size_t i = 0; i < n; i++)
        ord[i] = (size_t)(key[i] & mask);
    free(key);
}

/* Rolls the items of one code length (clen) up to their parents: one row per
 * parent, year and indicator, appended to ru; the parents' items (for the
 * next level) are appended to up unless up is NULL. */
/* Sorts the items of one code length as qsort with cmp_item would: by a
 * radix sort of packed keys (parent prefix, year, indicator, rest of the
 * code, roll-up after own figure) when every code is clen digits and the
 * key fits in 64 bits; equal keys keep their order (cell order). */
static int sort_items(const rollup *ru, items *s, int clen)
{
    const fz_panel *p = ru->p;
    int plen = parent_len(clen);
    size_t n = s->n;
    int digits = 1, ymin = 0, ymax = 0;
    char code[FZ_CODE_MAX];
    for (size_t i = 0; i < n && digits; i++) {
        const item *it = &s->v[i];
        item_code(ru, it, code);
        digits = strspn(code, "0123456789") == (size_t)clen && code[clen] == '\0';
        int year = item_year(ru, it);
        ymin = i == 0 || year < ymin ? year : ymin;
        ymax = i == 0 || year > ymax ? year : ymax;
    }
    uint64_t pmax = 1, smax = 1;
    for (int i = 0; i < plen; i++)
        pmax *= 10;
    for (int i = plen; i < clen; i++)
        smax *= 10;
    int pb = fz_bits(pmax - 1), sb = fz_bits(smax - 1);
    int yb = fz_bits((uint64_t)((int64_t)ymax - ymin)), ib = fz_bits(p->ninds ? p->ninds - 1 : 0);
    int nb = fz_bits(n ? n - 1 : 0); /* the item's place in the low bits */
    if (!digits || pb + yb + ib + sb + 1 + nb > 64) {
        if (n)
            qsort_r(s->v, n, sizeof *s->v, cmp_item, (void *)ru);
        return digits;
    }
    uint64_t *key = fz_xmalloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const item *it = &s->v[i];
        item_code(ru, it, code);
        uint64_t pre = 0, suf = 0;
        for (int d = 0; d < plen; d++)
            pre = pre * 10 + (uint64_t)(code[d] - '0');
        for (int d = plen; d < clen; d++)
            suf = suf * 10 + (uint64_t)(code[d] - '0');
        uint64_t y = (uint64_t)((int64_t)item_year(ru, it) - ymin);
        uint64_t k = (((((pre << yb | y) << ib | item_k(ru, it)) << sb) | suf) << 1) |
                     (uint64_t)!item_own(it);
        key[i] = nb < 64 ? k << nb | i : i;
    }
    fz_radix_sort(key, n);
    /* key[i] becomes the old place of the item that goes to place i; the
     * items move along the cycles of that permutation, in place */
    uint64_t mask = nb < 64 ? ((uint64_t)1 << nb) - 1 : ~(uint64_t)0;
    for (size_t i = 0; i < n; i++)
        key[i] &= mask;
    for (size_t i = 0; i < n; i++) {
        if (key[i] == i)
            continue;
        item tmp = s->v[i];
        size_t j = i;
        for (;;) {
            size_t from = (size_t)key[j];
            key[j] = j;
            if (from == i) {
                s->v[j] = tmp;
                break;
            }
            s->v[j] = s->v[from];
            j = from;
        }
    }
    free(key);
    return digits;
}

/* children_known() for codes that are all clen digits, as numbers: the
 * children of a parent are the codes from parent * mult to (parent + 1) *
 * mult. */
static size_t lower_num(const uint64_t *codes, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (codes[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void roll_level(rollup *ru, items *s, int clen, items *up, own_list *own)
{
    int plen = parent_len(clen);
    ru->clen = clen; /* the length item_code() cuts to */
    int digits = sort_items(ru, s, clen);
    /* the distinct child codes, sorted: as numbers when they are all digits */
    char (*codes)[FZ_CODE_MAX] = NULL;
    uint64_t *ncode = NULL, mult = 1;
    size_t ncodes = 0;
    char tmp[FZ_CODE_MAX];
    for (int i = plen; i < clen; i++)
        mult *= 10;
    uint64_t *num = NULL; /* each item's code as a number, when all are digits */
    if (digits) {
        num = fz_xmalloc((s->n + 1) * sizeof *num);
        ncode = fz_xmalloc((s->n + 1) * sizeof *ncode);
        for (size_t k = 0; k < s->n; k++) {
            item_code(ru, &s->v[k], tmp);
            uint64_t v = 0;
            for (int d = 0; d < clen; d++)
                v = v * 10 + (uint64_t)(tmp[d] - '0');
            num[k] = ncode[k] = v;
        }
        fz_radix_sort(ncode, s->n);
        for (size_t k = 0; k < s->n; k++)
            if (ncodes == 0 || ncode[ncodes - 1] != ncode[k])
                ncode[ncodes++] = ncode[k];
    } else {
        codes = fz_xmalloc((s->n + 1) * sizeof *codes);
        for (size_t k = 0; k < s->n; k++)
            item_code(ru, &s->v[k], codes[k]);
        qsort(codes, s->n, sizeof *codes, cmp_code);
        for (size_t k = 0; k < s->n; k++)
            if (ncodes == 0 || strcmp(codes[ncodes - 1], codes[k]) != 0)
                memmove(codes[ncodes++], codes[k], sizeof *codes);
    }
    if (num) { /* the rows, children and items this level adds: room for exactly those */
        size_t ng = 0, nk = 0;
        for (size_t k = 0; k < s->n; k++) {
            int start = k == 0 || num[k] / mult != num[k - 1] / mult ||
                        item_year(ru, &s->v[k]) != item_year(ru, &s->v[k - 1]) ||
                        item_k(ru, &s->v[k]) != item_k(ru, &s->v[k - 1]);
            ng += start;
            nk += start || num[k] != num[k - 1];
        }
        reserve_level(ru, ng, nk, up);
    }
    char gcode[FZ_CODE_MAX], ecode[FZ_CODE_MAX], prev[FZ_CODE_MAX];
    uint64_t known_pv = UINT64_MAX; /* the parent whose children known is known */
    uint32_t known = 0;
    for (size_t g = 0; g < s->n;) {
        const item *g0 = &s->v[g];
        int gyear = item_year(ru, g0), grate = item_rate(ru, g0);
        uint32_t gk = item_k(ru, g0);
        size_t e = g + 1;
        if (num) { /* the parent is the code's first plen digits: num / mult */
            uint64_t gp = num[g] / mult;
            while (e < s->n && num[e] / mult == gp && item_year(ru, &s->v[e]) == gyear &&
                   item_k(ru, &s->v[e]) == gk)
                e++;
        } else {
            item_code(ru, g0, gcode);
            while (e < s->n) {
                item_code(ru, &s->v[e], ecode);
                if (strncmp(ecode, gcode, (size_t)plen) != 0 ||
                    item_year(ru, &s->v[e]) != gyear || item_k(ru, &s->v[e]) != gk)
                    break;
                e++;
            }
        }
        size_t n = 0, qn = 0, first = ru->nkids;
        double sum = 0;
        for (size_t k = g; k < e; k++) {
            const item *it = &s->v[k];
            int same;
            if (num) {
                same = k > g && num[k] == num[k - 1];
            } else {
                item_code(ru, it, ecode);
                same = k > g && strcmp(ecode, prev) == 0;
                memcpy(prev, ecode, sizeof prev);
            }
            if (same)
                continue; /* the child's own figure came first; skip its roll-up */
            sum += item_value(ru, it);
            qn += item_qn(ru, it);
            push_kid(ru, it->ref);
            n++;
        }
        uint32_t ri = (uint32_t)ru->nrows;
        uint32_t unit = item_unit(ru, g0);
        rrow *r = push_row(ru);
        memset(r, 0, sizeof *r);
        r->plen = (unsigned)plen & 7;
        r->rate = (unsigned)grate & 1;
        r->year = gyear;
        r->k = gk & 0xFFFFFFF;
        r->unit = unit;
        r->value = grate ? sum / (double)n : sum;
        r->n = (uint32_t)n;
        char pcode[FZ_CODE_MAX];
        item_code(ru, g0, pcode);
        pcode[plen] = '\0';
        uint64_t pv = 0;
        if (num) {
            pv = num[g] / mult;
            if (pv != known_pv) { /* a parent's groups (years, indicators) come together */
                known_pv = pv;
                known = (uint32_t)(lower_num(ncode, ncodes, (pv + 1) * mult) -
                                   lower_num(ncode, ncodes, pv * mult));
            }
            r->known = known;
        } else {
            r->known = (uint32_t)children_known(codes, ncodes, pcode, plen);
        }
        r->own = own_find(own, pcode, num != NULL, pv, plen, gyear, gk);
        /* debug builds check the search through the units against the comparator */
        assert(r->own == own_cell(ru->p, own->cell, own->n, pcode, gyear, gk));
        r->qn = (uint32_t)qn;
        r->kids = (uint32_t)first;
        if (up) { /* feeds the next level up */
            item *it = push(up);
            it->ref = ri | ROLLUP_TAG;
        }
        g = e;
    }
    free(codes);
    free(ncode);
    free(num);
}

/* ---- the view ------------------------------------------------------------ */

enum {
    R_CODE, R_NAME, R_LEVEL, R_YEAR, R_IND, R_KIND, R_METHOD, R_VALUE, R_MEDIAN, R_NREP,
    R_KNOWN, R_COVERAGE, R_OWN, R_QN, R_KIDS, R_ROWS, R_NCOLS
};

/* The median of the children's values (the values the mean was taken of). */
static double kids_median(const rollup *ru, const rrow *r)
{
    double small[64] = { 0 };
    double *v = r->n <= 64 ? small : fz_xmalloc(r->n * sizeof *v);
    for (uint32_t k = 0; k < r->n; k++) {
        uint32_t ref = ru->kids[r->kids + k];
        v[k] = ref & ROLLUP_TAG ? ru->rows[ref & ~ROLLUP_TAG].value : ru->p->cells[ref].value;
    }
    double m = fz_median_of(v, r->n);
    if (v != small)
        free(v);
    return m;
}

static double rollup_num(const void *ctx, size_t row, size_t col)
{
    const rollup *ru = ctx;
    const rrow *r = &ru->rows[row];
    switch (col) {
    case R_YEAR: return r->year;
    case R_VALUE: return r->value;
    case R_MEDIAN: return r->rate ? kids_median(ru, r) : NAN;
    case R_NREP: return (double)r->n;
    case R_KNOWN: return (double)r->known;
    case R_COVERAGE: return r->known ? 100.0 * (double)r->n / (double)r->known : NAN;
    case R_OWN: return r->own == FZ_NONE ? NAN : ru->p->cells[r->own].value;
    case R_QN: return (double)r->qn;
    default: return NAN;
    }
}

/* Appends the 1-based row number, after a ';' unless b is empty. */
static void add_row_number(fz_buf *b, size_t row)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    char d[48], *end = d + 24, *q = end; /* 16 bytes are copied from q */
    size_t num = row + 1;
    while (num >= 100) { /* two digits at a time from the right */
        size_t r = num % 100;
        num /= 100;
        q -= 2;
        memcpy(q, pairs + 2 * r, 2);
    }
    if (num >= 10) {
        q -= 2;
        memcpy(q, pairs + 2 * num, 2);
    } else {
        *--q = (char)('0' + num);
    }
    fz_buf_reserve(b, 24);
    char *p = b->data + b->len;
    *p = ';';
    p += b->len != 0;
    memcpy(p, q, 16); /* at most 20 digits: the rest below */
    if (end - q > 16)
        memcpy(p + 16, q + 16, (size_t)(end - q) - 16);
    b->len = (size_t)(p - b->data) + (size_t)(end - q);
    b->data[b->len] = '\0';
}

/* The obs_rows behind row r: its children's, in child order. */
static void add_obs_rows(const rollup *ru, const rrow *r, fz_buf *b)
{
    for (uint32_t k = 0; k < r->n; k++) {
        uint32_t ref = ru->kids[r->kids + k];
        if (ref & ROLLUP_TAG)
            add_obs_rows(ru, &ru->rows[ref & ~ROLLUP_TAG], b);
        else
            add_row_number(b, ru->p->cells[ref].row);
    }
}

static const char *rollup_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const rollup *ru = ctx;
    const rrow *r = &ru->rows[row];
    switch (col) {
    case R_CODE:
        fz_buf_add(scratch, ru->p->units[r->unit].sig, r->plen);
        return scratch->data;
    case R_NAME:
        /* path index of the parent's name: county 2, prefecture 1, province 0 */
        return ru->p->units[r->unit].path[r->plen == 6 ? 2 : r->plen == 4 ? 1 : 0];
    case R_LEVEL: return r->plen == 6 ? "county" : r->plen == 4 ? "prefecture" : "province";
    case R_IND: return ru->p->inds[r->k];
    case R_KIND: return r->rate ? "rate" : "count";
    case R_METHOD: return r->rate ? "mean" : "sum";
    case R_KIDS: {
        /* each child's code: its sig array copied whole (FZ_CODE_MAX bytes),
         * the part that is its code kept */
        size_t clen = r->plen == 6 ? 9 : r->plen == 4 ? 6 : 4;
        fz_buf_reserve(scratch, (size_t)r->n * (FZ_CODE_MAX + 1));
        char *p = scratch->data + scratch->len;
        for (uint32_t k = 0; k < r->n; k++) {
            uint32_t ref = ru->kids[r->kids + k];
            *p = ';';
            p += k != 0;
            const char *sig;
            size_t n;
            if (ref & ROLLUP_TAG) {
                const rrow *kr = &ru->rows[ref & ~ROLLUP_TAG];
                sig = ru->p->units[kr->unit].sig;
                n = kr->plen;
            } else {
                sig = ru->p->units[ru->p->cells[ref].unit].sig;
                for (n = 0; n < clen && sig[n]; n++)
                    ;
            }
            memcpy(p, sig, FZ_CODE_MAX);
            p += n;
        }
        scratch->len = (size_t)(p - scratch->data);
        scratch->data[scratch->len] = '\0';
        return scratch->data;
    }
    case R_ROWS:
        add_obs_rows(ru, r, scratch);
        return scratch->data;
    default: return NULL;
    }
}

/* A whole row of the view: rollup_num() and rollup_text() for each column,
 * called directly. */
static void rollup_row(const void *ctx, size_t row, fz_table_value *out, fz_buf *scratch)
{
    fz_buf_reset(&scratch[R_CODE]);
    fz_buf_reset(&scratch[R_KIDS]);
    fz_buf_reset(&scratch[R_ROWS]);
    out[R_CODE].text = rollup_text(ctx, row, R_CODE, &scratch[R_CODE]);
    out[R_NAME].text = rollup_text(ctx, row, R_NAME, NULL);
    out[R_LEVEL].text = rollup_text(ctx, row, R_LEVEL, NULL);
    out[R_YEAR].num = rollup_num(ctx, row, R_YEAR);
    out[R_IND].text = rollup_text(ctx, row, R_IND, NULL);
    out[R_KIND].text = rollup_text(ctx, row, R_KIND, NULL);
    out[R_METHOD].text = rollup_text(ctx, row, R_METHOD, NULL);
    out[R_VALUE].num = rollup_num(ctx, row, R_VALUE);
    out[R_MEDIAN].num = rollup_num(ctx, row, R_MEDIAN);
    out[R_NREP].num = rollup_num(ctx, row, R_NREP);
    out[R_KNOWN].num = rollup_num(ctx, row, R_KNOWN);
    out[R_COVERAGE].num = rollup_num(ctx, row, R_COVERAGE);
    out[R_OWN].num = rollup_num(ctx, row, R_OWN);
    out[R_QN].num = rollup_num(ctx, row, R_QN);
    out[R_KIDS].text = rollup_text(ctx, row, R_KIDS, &scratch[R_KIDS]);
    out[R_ROWS].text = rollup_text(ctx, row, R_ROWS, &scratch[R_ROWS]);
}

static void rollup_release(const void *ctx)
{
    rollup *ru = (rollup *)ctx;
    free(ru->rows);
    free(ru->kids);
    free(ru);
}

/* The items array of a cell's own figure (0: 9 digits, 1: 6, 2: 4), or -1:
 * a department, or a province (no parent). */
static int item_level(const fz_panel *p, const fz_cell *c)
{
    const fz_unit *u = &p->units[c->unit];
    if (u->level == FZ_LEVEL_DEPARTMENT || u->sig_len < 4)
        return -1;
    return u->sig_len >= 9 ? 0 : u->sig_len >= 6 ? 1 : 2;
}

fz_table *fz_rollups_table(const fz_panel *p)
{
    own_list own;
    own_init(p, &own);
    rollup *ru = fz_xcalloc(1, sizeof *ru);
    ru->p = p;
    /* own figures by code length; roll-ups join the next length as they come */
    items lv[3] = { { 0 } }; /* lengths 9, 6, 4 */
    assert(p->ncells < ROLLUP_TAG && p->ninds < (1u << 28));
    for (size_t i = 0; i < p->ncells; i++) { /* counted first: room for exactly those */
        int l = item_level(p, &p->cells[i]);
        if (l >= 0)
            lv[l].cap++;
    }
    for (int l = 0; l < 3; l++)
        lv[l].v = fz_xmalloc((lv[l].cap ? lv[l].cap : 1) * sizeof *lv[l].v);
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_cell *c = &p->cells[i];
        int l = item_level(p, c);
        if (l < 0)
            continue;
        item *it = push(&lv[l]);
        it->ref = (uint32_t)i;
    }
    roll_level(ru, &lv[0], 9, &lv[1], &own);
    free(lv[0].v);
    roll_level(ru, &lv[1], 6, &lv[2], &own);
    free(lv[1].v);
    roll_level(ru, &lv[2], 4, NULL, &own);
    free(lv[2].v);
    own_release(&own);

    /* Rows by region_code, year, indicator (no two rows share all three);
     * children refer to rows by their new places. */
    size_t nr = ru->nrows;
    size_t *ord = fz_xmalloc((nr ? nr : 1) * sizeof *ord);
    for (size_t i = 0; i < nr; i++)
        ord[i] = i;
    sort_rows(ru, ord);
    uint32_t *at = fz_xmalloc((nr ? nr : 1) * sizeof *at);
    for (size_t i = 0; i < nr; i++)
        at[ord[i]] = (uint32_t)i;
    for (size_t k = 0; k < ru->nkids; k++)
        if (ru->kids[k] & ROLLUP_TAG)
            ru->kids[k] = at[ru->kids[k] & ~ROLLUP_TAG] | ROLLUP_TAG;
    /* Rows moved into their places in place, cycle by cycle (a sorted copy
     * would double the largest array of the roll-ups): at[i] is where row i
     * goes; a placed row is marked by at[i] == i. */
    for (size_t i = 0; i < nr; i++) {
        while (at[i] != i) {
            uint32_t j = at[i];
            rrow tmp = ru->rows[j];
            ru->rows[j] = ru->rows[i];
            ru->rows[i] = tmp;
            at[i] = at[j];
            at[j] = j;
        }
    }
    free(at);
    free(ord);
    if (nr && nr < ru->caprows) {
        ru->rows = fz_xreallocarray(ru->rows, nr, sizeof *ru->rows);
        ru->caprows = nr;
    }

    const fz_table_view v = { ru, rollup_num, rollup_text, rollup_release };
    fz_table *t = fz_table_new_view("rollups", nr, &v);
    fz_table_set_row_fn(t, rollup_row);
    static const struct { const char *name; fz_coltype type; int dec; } cols[R_NCOLS] = {
        { "region_code", FZ_COL_TEXT, -1 }, { "region_name", FZ_COL_TEXT, -1 },
        { "level", FZ_COL_TEXT, -1 },       { "year", FZ_COL_NUM, 0 },
        { "indicator", FZ_COL_TEXT, -1 },   { "kind", FZ_COL_TEXT, -1 },
        { "method", FZ_COL_TEXT, -1 },      { "value", FZ_COL_NUM, -1 },
        { "median", FZ_COL_NUM, -1 },       { "children_reported", FZ_COL_NUM, 0 },
        { "children_known", FZ_COL_NUM, 0 }, { "coverage", FZ_COL_NUM, 2 },
        { "own_value", FZ_COL_NUM, -1 },    { "qualified_n", FZ_COL_NUM, 0 },
        { "child_codes", FZ_COL_TEXT, -1 }, { "obs_rows", FZ_COL_TEXT, -1 },
    };
    for (size_t i = 0; i < R_NCOLS; i++)
        fz_table_add_col(t, cols[i].name, cols[i].type, cols[i].dec);
    return t;
}
