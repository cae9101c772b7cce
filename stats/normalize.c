/* normalize.c: per-cell normalizations of the panel: within an indicator,
 * year and level (z-score, min-max 0-100, rank, percentile); within a unit
 * over years (index to a base year, year-over-year change); per 10,000
 * residents from a population table (nearest year); share of the parent's
 * total. Rates get no per-capita value and no share: a rate is never summed. */
#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "statsint.h"
#include "threads.h"
#include "xalloc.h"

static int same_group(const fz_panel *p, const fz_cell *x, const fz_cell *y)
{
    return x->k == y->k && x->year == y->year &&
           p->units[x->unit].level == p->units[y->unit].level;
}

#ifndef NDEBUG
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* First index in sorted[0..n) whose value is not below x (upper: above x). */
static size_t bound(const double *sorted, size_t n, double x, int upper)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (upper ? sorted[mid] <= x : sorted[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
#endif

/* The group's mean, sd, min and max go to groups[g]; each cell keeps g, its
 * rank and its place among equal values (fz_cell_z() and kin use them). */
static void peers(fz_panel *p, const uint32_t *idx, size_t n, uint32_t g)
{
    double *v = fz_xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = p->cells[idx[i]].value;
    double mean = gsl_stats_mean(v, 1, n);
    double sd = n >= 2 ? gsl_stats_sd_m(v, 1, n, mean) : NAN;
    double mn = v[0], mx = v[0];
    for (size_t i = 1; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
    }
    /* values above, below and equal to each one: the group's places sorted
     * by value, where equal values (==, so -0 and 0 too) are a run */
    p->groups[g] = (fz_group){ mean, sd, mn, mx, (uint32_t)n };
    uint32_t *at = fz_xmalloc(n * sizeof *at);
    for (size_t i = 0; i < n; i++)
        at[i] = (uint32_t)i;
    fz_rows_by_value(at, n, v, 1);
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && v[at[e]] == v[at[s]])
            e++;
        size_t above = n - e, below = s, equal = e - s;
        for (size_t i = s; i < e; i++) {
            fz_cell *c = &p->cells[idx[at[i]]];
            c->grp = g;
            c->rank = (int)(above + 1);
            c->mid2 = (uint32_t)(2 * below + equal - 1);
        }
        s = e;
    }
    free(at);
#ifndef NDEBUG /* debug builds check the places against a sorted copy */
    double *sorted = fz_xmalloc(n * sizeof *sorted);
    memcpy(sorted, v, n * sizeof *v);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[idx[i]];
        size_t lo = bound(sorted, n, v[i], 0), hi = bound(sorted, n, v[i], 1);
        assert(c->rank == (int)(n - hi + 1) && c->mid2 == (uint32_t)(2 * lo + (hi - lo) - 1));
    }
    free(sorted);
#endif
    free(v);
}

static void by_group(fz_panel *p)
{
    size_t n = p->ncells;
    if (!n)
        return;
    uint32_t *idx = fz_panel_order32(p, fz_panel_cmp_group); /* kept for summarize.c */
    free(p->by_group);
    p->by_group = idx;
    size_t ng = 0;
    for (size_t s = 0; s < n; s++)
        ng += s == 0 || !same_group(p, &p->cells[idx[s - 1]], &p->cells[idx[s]]);
    assert(ng < FZ_NONE && n < FZ_NONE);
    p->groups = fz_xmalloc(ng * sizeof *p->groups);
    p->ngroups = ng;
    uint32_t g = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && same_group(p, &p->cells[idx[s]], &p->cells[idx[e]]))
            e++;
        peers(p, idx + s, e - s, g++);
        s = e;
    }
}

static void over_years(fz_panel *p)
{
    size_t n = p->ncells;
    if (!n)
        return;
    uint32_t *idx = fz_panel_order32(p, fz_panel_cmp_series); /* kept for summarize.c */
    free(p->by_series);
    p->by_series = idx;
    int want = p->opts->base_year;
    p->base_year = want;
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && p->cells[idx[e]].unit == p->cells[idx[s]].unit &&
               p->cells[idx[e]].k == p->cells[idx[s]].k)
            e++;
        int base = want ? want : p->cells[idx[s]].year;
        uint32_t bc = FZ_NONE; /* index = 100 * value / the base's value, if not 0 */
        for (size_t k = s; k < e; k++)
            if (p->cells[idx[k]].year == base)
                bc = idx[k];
        for (size_t k = s; k < e; k++) {
            fz_cell *c = &p->cells[idx[k]];
            c->base = bc; /* and the base year is want, or bc's year */
            /* debug builds check the cell of the year before as the
             * series gives it against the one found when read */
            assert(fz_cell_prev(p, c) ==
                   (k > s && (int64_t)p->cells[idx[k - 1]].year + 1 == c->year ? idx[k - 1]
                                                                              : FZ_NONE));
        }
        s = e;
    }
}

/* ---- population --------------------------------------------------------- */

typedef struct popent {
    char   sig[FZ_CODE_MAX];
    int    year;
    double pop;
    size_t row;   /* 0-based data row in the table, for repeats */
} popent;

static int cmp_pop(const void *a, const void *b)
{
    const popent *x = a, *y = b;
    int c = strcmp(x->sig, y->sig);
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static const char *cell_text(const fz_table *t, size_t r, size_t c, char *buf, size_t n)
{
    return fz_table_format(t, r, c, buf, n);
}

static int parse_double(const char *s, double *out)
{
    if (!*s || strlen(s) > 64 || strspn(s, "0123456789+-.eE ") < strlen(s))
        return -1;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int per_capita(fz_panel *p)
{
    const fz_table *t = p->opts->population;
    if (!t)
        return 0;
    const char *src = fz_table_name(t); /* the population file, not the observations */
    int cc = fz_table_find_col(t, "region_code"), cy = fz_table_find_col(t, "year");
    int cp = fz_table_find_col(t, "population");
    if (cc < 0 || cy < 0 || cp < 0) {
        fz_diag_add(p->diag, FZ_DIAG_FATAL, src, 0,
                    "population table '%s' needs columns region_code, year, population",
                    fz_table_name(t));
        return FZ_EINPUT;
    }
    size_t nr = fz_table_nrows(t), n = 0;
    popent *pe = fz_xcalloc(nr ? nr : 1, sizeof *pe);
    char b1[64], b2[64], b3[64];
    for (size_t r = 0; r < nr; r++) {
        const char *code = cell_text(t, r, (size_t)cc, b1, sizeof b1);
        const char *ys = cell_text(t, r, (size_t)cy, b2, sizeof b2);
        const char *ps = cell_text(t, r, (size_t)cp, b3, sizeof b3);
        double y, pop;
        if (!*code || strspn(code, "0123456789") != strlen(code) || parse_double(ys, &y) < 0 ||
            y != floor(y) || y < 1000 || y > 9999 || parse_double(ps, &pop) < 0 || pop <= 0) {
            fz_diag_add(p->diag, FZ_DIAG_WARN, src, (long)r + 2,
                        "population row %zu ignored: needs a numeric code, a year and a "
                        "positive population", r + 1);
            continue;
        }
        int len;
        fz_code_sig(code, FZ_LEVEL_NONE, pe[n].sig, &len);
        pe[n].year = (int)y;
        pe[n].pop = pop;
        pe[n].row = r;
        n++;
    }
    qsort(pe, n, sizeof *pe, cmp_pop);
    size_t kept = 0; /* a region and year given twice: the first row wins, said once */
    for (size_t i = 0; i < n; i++) {
        if (kept && strcmp(pe[kept - 1].sig, pe[i].sig) == 0 && pe[kept - 1].year == pe[i].year) {
            fz_diag_add(p->diag, FZ_DIAG_WARN, src, (long)pe[i].row + 2,
                        "population row %zu ignored: repeats the region and year of row %zu",
                        pe[i].row + 1, pe[kept - 1].row + 1);
            continue;
        }
        pe[kept++] = pe[i];
    }
    n = kept;
    size_t nearest = 0;
    for (size_t i = 0; i < p->ncells; i++) {
        fz_cell *c = &p->cells[i];
        if (c->rate)
            continue;
        const char *sig = p->units[c->unit].sig;
        const popent *best = NULL;
        size_t lo = 0, hi = n;
        while (lo < hi) { /* first entry of this code */
            size_t mid = (lo + hi) / 2;
            if (strcmp(pe[mid].sig, sig) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* sorted by year: the first of a tie is the earlier year */
        for (size_t k = lo; k < n && strcmp(pe[k].sig, sig) == 0; k++)
            if (!best || abs(pe[k].year - c->year) < abs(best->year - c->year))
                best = &pe[k];
        if (!best)
            continue;
        if (!p->pop)
            p->pop = fz_xcalloc(p->ncells, sizeof *p->pop);
        p->pop[i] = (fz_pop){ best->pop, best->year }; /* per10k = 10000 * value / pop */
        if (best->year != c->year) {
            c->flags |= FL_NEAREST_POP;
            nearest++;
        }
    }
    if (nearest)
        fz_diag_add(p->diag, FZ_DIAG_NOTE, src, 0,
                    "per-capita figures: population of the nearest year used for %zu of them "
                    "(see population_year)", nearest);
    free(pe);
    return 0;
}

/* ---- share of the parent's total ---------------------------------------- */

static int cmp_parent(const void *a, const void *b, void *ctx)
{
    const fz_panel *sort_p = ctx;
    const fz_cell *x = &sort_p->cells[*(const size_t *)a], *y = &sort_p->cells[*(const size_t *)b];
    const fz_unit *ux = &sort_p->units[x->unit], *uy = &sort_p->units[y->unit];
    int c = (ux->level > uy->level) - (ux->level < uy->level);
    if (!c)
        c = strcmp(ux->parent, uy->parent);
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    if (!c)
        c = (x->k > y->k) - (x->k < y->k); /* inds are in strcmp order */
    return c;
}

static int cmp_unit_parent(const void *a, const void *b, void *ctx)
{
    const fz_unit *units = ctx;
    return strcmp(units[*(const size_t *)a].parent, units[*(const size_t *)b].parent);
}

/* Sorts idx[0..n) (ascending cell indices) as a stable qsort_r with
 * cmp_parent would: by a radix sort of keys (level, parent, year,
 * indicator, then the cell index) when they fit in 64 bits. Returns the
 * group key of each idx[i] then, else NULL. */
static uint64_t *parent_order(const fz_panel *p, size_t *idx, size_t n)
{
    /* parents as ranks in strcmp order */
    size_t *byp = fz_xmalloc((p->nunits ? p->nunits : 1) * sizeof *byp);
    for (size_t u = 0; u < p->nunits; u++)
        byp[u] = u;
    qsort_r(byp, p->nunits, sizeof *byp, cmp_unit_parent, p->units);
    uint32_t *prank = fz_xmalloc((p->nunits ? p->nunits : 1) * sizeof *prank);
    uint32_t r = 0;
    for (size_t i = 0; i < p->nunits; i++) {
        if (i && strcmp(p->units[byp[i]].parent, p->units[byp[i - 1]].parent) != 0)
            r++;
        prank[byp[i]] = r;
    }
    free(byp);
    int ymin = 0, ymax = 0, lmax = 0;
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[idx[i]];
        int lv = (int)p->units[c->unit].level;
        ymin = i == 0 || c->year < ymin ? c->year : ymin;
        ymax = i == 0 || c->year > ymax ? c->year : ymax;
        lmax = lv > lmax ? lv : lmax;
    }
    int lb = fz_bits((uint64_t)lmax), pb = fz_bits(r), yb = fz_bits((uint64_t)((int64_t)ymax - ymin));
    int ib = fz_bits(p->ninds ? p->ninds - 1 : 0);
    int nb = fz_bits(p->ncells ? p->ncells - 1 : 0); /* the cell index in the low bits */
    if (lb + pb + yb + ib + nb > 64) {
        free(prank);
        qsort_r(idx, n, sizeof *idx, cmp_parent, (void *)p);
        return NULL;
    }
    uint64_t *key = fz_xmalloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[idx[i]];
        uint64_t lv = (uint64_t)p->units[c->unit].level;
        uint64_t y = (uint64_t)((int64_t)c->year - ymin);
        uint64_t k = (((((lv << pb) | prank[c->unit]) << yb) | y) << ib) | c->k;
        key[i] = nb < 64 ? k << nb | idx[i] : idx[i];
    }
    free(prank);
    fz_radix_sort(key, n);
    uint64_t mask = nb < 64 ? ((uint64_t)1 << nb) - 1 : ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        idx[i] = (size_t)(key[i] & mask);
        key[i] = nb < 64 ? key[i] >> nb : 0; /* the group */
    }
    return key;
}

static void shares(fz_panel *p)
{
    size_t n = 0;
    size_t *idx = fz_xmalloc((p->ncells ? p->ncells : 1) * sizeof *idx);
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_unit *u = &p->units[p->cells[i].unit];
        if (!p->cells[i].rate && u->parent[0] && u->level != FZ_LEVEL_DEPARTMENT)
            idx[n++] = i;
    }
    /* the cells of a group in cell order: the sum adds them in that order */
    uint64_t *key = parent_order(p, idx, n);
    size_t ng = 0;
    for (size_t s = 0; s < n; s++)
        ng += s == 0 || (key ? key[s] != key[s - 1] : cmp_parent(&idx[s - 1], &idx[s], p) != 0);
    p->ptotals = fz_xmalloc((ng ? ng : 1) * sizeof *p->ptotals);
    p->nptotals = ng;
    uint32_t g = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && (key ? key[e] == key[s] : cmp_parent(&idx[s], &idx[e], p) == 0))
            e++;
        double sum = 0;
        for (size_t k = s; k < e; k++)
            sum += p->cells[idx[k]].value;
        p->ptotals[g] = sum; /* the share is 100 * value / sum, see the long table */
        for (size_t k = s; k < e; k++)
            p->cells[idx[k]].ptot = g;
        g++;
        s = e;
    }
    free(key);
    free(idx);
}

/* by_group() writes the cells' group, rank and place, over_years() their
 * base and previous cells, shares() their parent's total: different fields,
 * so the first runs beside the other two when there are threads. */
static void *normalize_part(void *arg)
{
    fz_panel **pp = arg;
    if (pp[1]) { /* the first part */
        by_group(pp[0]);
    } else {
        over_years(pp[0]);
        shares(pp[0]);
    }
    return NULL;
}

int fz_normalize(fz_panel *p)
{
    fz_panel *args[2][2] = { { p, p }, { p, NULL } };
    int ran = p->opts->jobs > 1 ? fz_threads_run(normalize_part, args, sizeof args[0], 2) : 0;
    if (ran < 1)
        normalize_part(args[0]);
    if (ran < 2) /* no second thread */
        normalize_part(args[1]);
    return per_capita(p);
}
