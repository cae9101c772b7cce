/* panel.c: from observations to the panel: one kept document per unit and
 * year (the later published one), one primary figure per indicator, and the
 * conflicts met on the way. Documents without a region code or a year are
 * not in the panel; each is listed as a conflict row so it is counted. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "statsint.h"
#include "strs.h"
#include "xalloc.h"

int fz_level_order(fz_level l)
{
    switch (l) {
    case FZ_LEVEL_PROVINCE: return 0;
    case FZ_LEVEL_PREFECTURE: return 1;
    case FZ_LEVEL_COUNTY: return 2;
    case FZ_LEVEL_TOWNSHIP: return 3;
    case FZ_LEVEL_DEPARTMENT: return 4;
    default: return 5;
    }
}

void fz_add_obs_row(fz_buf *b, size_t row)
{
    char d[24], *q = d + sizeof d;
    size_t n = row + 1;
    do {
        *--q = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    if (b->len)
        *--q = ';';
    fz_buf_add(b, q, (size_t)(d + sizeof d - q));
}

static int all_zero(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '0')
            return 0;
    return 1;
}

/* Significant digits of a division code. The level decides when it is known
 * (441800 of a prefecture is 4418); otherwise trailing zero groups do
 * (441882102 township, 441882 county, 441800 prefecture, 440000 province). */
void fz_code_sig(const char *code, fz_level level, char *sig, int *sig_len)
{
    size_t len = strlen(code);
    int n;
    switch (level) {
    case FZ_LEVEL_PROVINCE: n = 2; break;
    case FZ_LEVEL_PREFECTURE: n = 4; break;
    case FZ_LEVEL_COUNTY: n = 6; break;
    case FZ_LEVEL_TOWNSHIP: n = 9; break;
    default:
        if (len >= 9 && !all_zero(code + 6, 3))
            n = 9;
        else if (len >= 6 && !all_zero(code + 4, 2))
            n = 6;
        else if (len >= 4 && !all_zero(code + 2, 2))
            n = 4;
        else
            n = 2;
    }
    if ((size_t)n > len)
        n = (int)len;
    if (n > FZ_CODE_MAX - 1)
        n = FZ_CODE_MAX - 1;
    memcpy(sig, code, (size_t)n);
    sig[n] = '\0';
    *sig_len = n;
}

static fz_level level_of_len(int n)
{
    return n >= 9 ? FZ_LEVEL_TOWNSHIP : n >= 6 ? FZ_LEVEL_COUNTY
         : n >= 4 ? FZ_LEVEL_PREFECTURE : FZ_LEVEL_PROVINCE;
}

int fz_panel_ind(const fz_panel *p, const char *id)
{
    size_t lo = 0, hi = p->ninds;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->inds[mid], id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

double fz_median_of(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double *c = fz_xmalloc(n * sizeof *c);
    memcpy(c, v, n * sizeof *c);
    for (size_t i = 1; i < n; i++) { /* insertion sort: groups are small */
        double x = c[i];
        size_t j = i;
        while (j > 0 && c[j - 1] > x) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = x;
    }
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

static fz_conflict *add_conflict(fz_panel *p, const char *type, size_t unit_doc)
{
    if (p->nconf == p->capconf) {
        p->capconf = p->capconf ? p->capconf * 2 : 16;
        p->conf = fz_xreallocarray(p->conf, p->capconf, sizeof *p->conf);
    }
    fz_conflict *c = &p->conf[p->nconf++];
    *c = (fz_conflict){ type, unit_doc, 0, "", -1, -1, NAN, NAN, -1, -1, NULL };
    return c;
}

/* ---- documents into units and unit-years -------------------------------- */

static const char *dept_key(const fz_obs_doc *d)
{
    return d->level == FZ_LEVEL_DEPARTMENT && d->department ? d->department : "";
}

static int cmp_doc(const void *a, const void *b, void *ctx)
{
    const fz_obs *sort_obs = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const fz_obs_doc *x = fz_obs_doc_at(sort_obs, i), *y = fz_obs_doc_at(sort_obs, j);
    int c = strcmp(x->region_code, y->region_code);
    if (!c)
        c = strcmp(dept_key(x), dept_key(y));
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    if (!c)
        c = strcmp(x->published ? x->published : "", y->published ? y->published : "");
    if (!c)
        c = (i > j) - (i < j);
    return c;
}

static size_t add_unit(fz_panel *p, const fz_obs_doc *d, size_t *cap)
{
    if (p->nunits == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        p->units = fz_xreallocarray(p->units, *cap, sizeof *p->units);
    }
    fz_unit *u = &p->units[p->nunits];
    memset(u, 0, sizeof *u);
    u->code = d->region_code;
    u->dept = dept_key(d);
    u->name = d->region_name ? d->region_name : "";
    u->path[0] = d->province ? d->province : "";
    u->path[1] = d->prefecture ? d->prefecture : "";
    u->path[2] = d->county ? d->county : "";
    fz_level geo = d->level == FZ_LEVEL_DEPARTMENT ? FZ_LEVEL_NONE : d->level;
    fz_code_sig(d->region_code, geo, u->sig, &u->sig_len);
    u->level = d->level == FZ_LEVEL_NONE ? level_of_len(u->sig_len) : d->level;
    int plen = u->sig_len >= 9 ? 6 : u->sig_len >= 6 ? 4 : u->sig_len >= 4 ? 2 : 0;
    memcpy(u->parent, u->sig, (size_t)plen);
    u->parent[plen] = '\0';
    return p->nunits++;
}

static void choose_docs(fz_panel *p)
{
    const fz_obs *obs = p->obs;
    size_t nd = fz_obs_ndocs(obs), ncand = 0;
    size_t *cand = fz_xcalloc(nd ? nd : 1, sizeof *cand);
    for (size_t i = 0; i < nd; i++) {
        const fz_obs_doc *d = fz_obs_doc_at(obs, i);
        if (!d->region_code || !d->region_code[0]) {
            fz_conflict *c = add_conflict(p, "no_region", i);
            c->doc_other = (long)i;
            c->year = d->has_year ? d->year : 0;
            c->detail = fz_xasprintf("region not resolved (%s); %d figures left out",
                                     d->region_status && *d->region_status ? d->region_status
                                                                          : "unresolved",
                                     d->figures);
        } else if (!d->has_year) {
            fz_conflict *c = add_conflict(p, "no_year", i);
            c->doc_other = (long)i;
            c->detail = fz_xasprintf("report year unknown; %d figures left out", d->figures);
        } else {
            cand[ncand++] = i;
        }
    }
    qsort_r(cand, ncand, sizeof *cand, cmp_doc, (void *)obs);
    size_t capunits = 0, capuy = 0;
    for (size_t k = 0; k < ncand;) {
        const fz_obs_doc *d = fz_obs_doc_at(obs, cand[k]);
        size_t u = add_unit(p, d, &capunits);
        size_t e = k;
        while (e < ncand) {
            const fz_obs_doc *x = fz_obs_doc_at(obs, cand[e]);
            if (strcmp(x->region_code, d->region_code) || strcmp(dept_key(x), dept_key(d)))
                break;
            e++;
        }
        for (size_t g = k; g < e;) {
            int year = fz_obs_doc_at(obs, cand[g])->year;
            size_t h = g;
            while (h < e && fz_obs_doc_at(obs, cand[h])->year == year)
                h++;
            size_t kept = cand[h - 1]; /* latest published, then latest document */
            for (size_t o = g; o + 1 < h; o++) {
                const fz_obs_doc *od = fz_obs_doc_at(obs, cand[o]);
                const fz_obs_doc *kd = fz_obs_doc_at(obs, kept);
                fz_conflict *c = add_conflict(p, "duplicate_report", kept);
                c->year = year;
                c->doc_kept = (long)kept;
                c->doc_other = (long)cand[o];
                c->detail = fz_xasprintf("two reports for one region and year; kept the %s",
                                         strcmp(kd->published ? kd->published : "",
                                                od->published ? od->published : "")
                                             ? "later published one"
                                             : "later document (same publication date)");
            }
            if (p->nuy == capuy) {
                capuy = capuy ? capuy * 2 : 32;
                p->uy = fz_xreallocarray(p->uy, capuy, sizeof *p->uy);
            }
            p->uy[p->nuy++] = (fz_uyear){ u, year, kept, h - g > 1 };
            g = h;
        }
        k = e;
    }
    free(cand);
}

/* ---- primary figures into cells ---------------------------------------- */

/* The row counts as a figure of the panel: primary, with an indicator and a
 * finite value. */
static int is_figure(const fz_obs_row *r)
{
    return r->primary && r->indicator && r->indicator[0] && isfinite(r->value);
}

static int cmp_cell(const void *a, const void *b, void *ctx)
{
    const fz_cell *x = a, *y = b;
    (void)ctx;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k); /* inds are in strcmp order */
}

static int is_rate_unit(const char *u)
{
    /* "%", "％" (EF BC 85), "‰" (E2 80 B0), "percent" */
    if (!u || (u[0] != '%' && u[0] != '\xEF' && u[0] != '\xE2' && u[0] != 'p'))
        return 0;
    return strcmp(u, "%") == 0 || strcmp(u, "％") == 0 || strcmp(u, "‰") == 0 ||
           strcmp(u, "percent") == 0;
}

static int taxonomy_kind(const fz_table *t, const char *id)
{
    if (!t)
        return -1;
    int ci = fz_table_find_col(t, "id"), ck = fz_table_find_col(t, "kind");
    if (ci < 0 || ck < 0)
        return -1;
    for (size_t r = 0; r < fz_table_nrows(t); r++)
        if (strcmp(fz_table_text(t, r, (size_t)ci), id) == 0) {
            const char *k = fz_table_text(t, r, (size_t)ck);
            return strcmp(k, "rate") == 0 ? 1 : strcmp(k, "count") == 0 ? 0 : -1;
        }
    return -1;
}

/* The indicator ids of the figures by pointer: the fz_obs stores each
 * distinct short id once, so the pointers are few; a long id can be stored
 * more than once, and each of its pointers maps to the one index. */
typedef struct ind_map {
    const char **key;
    uint32_t    *k;
    size_t       cap, n;
} ind_map;

static size_t ind_slot(const ind_map *m, const char *id)
{
    size_t h = (size_t)(((uintptr_t)id >> 3) * 0x9E3779B97F4A7C15u) & (m->cap - 1);
    while (m->key[h] && m->key[h] != id)
        h = (h + 1) & (m->cap - 1);
    return h;
}

static void ind_add(ind_map *m, const char *id)
{
    size_t h = ind_slot(m, id);
    if (m->key[h])
        return;
    m->key[h] = id;
    if (++m->n * 2 <= m->cap)
        return;
    ind_map g = { fz_xcalloc(m->cap * 2, sizeof *g.key), NULL, m->cap * 2, m->n };
    for (size_t j = 0; j < m->cap; j++)
        if (m->key[j])
            g.key[ind_slot(&g, m->key[j])] = m->key[j];
    free(m->key);
    *m = g;
}

static void fill_cells(fz_panel *p)
{
    const fz_obs *obs = p->obs;
    size_t nd = fz_obs_ndocs(obs), nr = fz_obs_nrows(obs);
    /* Rows by document (counting sort keeps row order within a document). */
    size_t *start = fz_xcalloc(nd + 1, sizeof *start);
    for (size_t i = 0; i < nr; i++) {
        size_t d = fz_obs_row_at(obs, i)->doc;
        if (d < nd)
            start[d + 1]++;
    }
    for (size_t d = 0; d < nd; d++)
        start[d + 1] += start[d];
    size_t *byrow = fz_xcalloc(nr ? nr : 1, sizeof *byrow);
    size_t *fill = fz_xcalloc(nd ? nd : 1, sizeof *fill);
    for (size_t i = 0; i < nr; i++) {
        size_t d = fz_obs_row_at(obs, i)->doc;
        if (d < nd)
            byrow[start[d] + fill[d]++] = i;
    }
    free(fill);

    /* Distinct indicators of the kept documents' figures (the cells'), sorted
     * by strcmp, and the index of each pointer among them. */
    ind_map map = { fz_xcalloc(64, sizeof *map.key), NULL, 64, 0 };
    for (size_t u = 0; u < p->nuy; u++)
        for (size_t j = start[p->uy[u].doc]; j < start[p->uy[u].doc + 1]; j++) {
            const fz_obs_row *r = fz_obs_row_at(obs, byrow[j]);
            if (is_figure(r))
                ind_add(&map, r->indicator);
        }
    const char **ids = fz_xcalloc(map.n ? map.n : 1, sizeof *ids);
    size_t n = 0;
    for (size_t j = 0; j < map.cap; j++)
        if (map.key[j])
            ids[n++] = map.key[j];
    n = fz_strs_sort_unique(ids, n);
    assert(n < FZ_MAX_INDS);
    p->inds = ids;
    p->ninds = n;
    map.k = fz_xmalloc(map.cap * sizeof *map.k);
    for (size_t j = 0; j < map.cap; j++)
        if (map.key[j]) {
            int k = fz_panel_ind(p, map.key[j]);
            assert(k >= 0);
            map.k[j] = (uint32_t)k;
        }

    /* One cell per unit-year and indicator: the first figure; a later one
     * that differs is a conflict. at[k] is the unit-year's cell of k while
     * stamp[k] is the unit-year's number + 1. */
    uint32_t *at = fz_xcalloc(n ? n : 1, sizeof *at);
    size_t *stamp = fz_xcalloc(n ? n : 1, sizeof *stamp);
    size_t cap = 0;
    for (size_t k = 0; k < p->nuy; k++) {
        const fz_uyear *uy = &p->uy[k];
        size_t first = p->ncells;
        for (size_t j = start[uy->doc]; j < start[uy->doc + 1]; j++) {
            size_t ri = byrow[j];
            const fz_obs_row *r = fz_obs_row_at(obs, ri);
            if (!is_figure(r))
                continue;
            uint32_t ki = map.k[ind_slot(&map, r->indicator)];
            if (stamp[ki] == k + 1) {
                fz_cell *dup = &p->cells[at[ki]];
                if (dup->value != r->value || dup->qual != r->qual) {
                    dup->flags |= FL_DIFFERING;
                    fz_conflict *c = add_conflict(p, "differing_primary", uy->doc);
                    c->year = uy->year;
                    c->ind = r->indicator;
                    c->doc_kept = c->doc_other = (long)uy->doc;
                    c->value_kept = dup->value;
                    c->value_other = r->value;
                    c->row_kept = (long)dup->row;
                    c->row_other = (long)ri;
                    c->detail = fz_xasprintf("two primary figures in one report; kept the first "
                                             "(%s, %s)",
                                             fz_qual_name(dup->qual), fz_qual_name(r->qual));
                }
                continue;
            }
            if (p->ncells == cap) {
                cap = cap ? cap * 2 : 256;
                p->cells = fz_xreallocarray(p->cells, cap, sizeof *p->cells);
            }
            assert(p->ncells < UINT32_MAX);
            stamp[ki] = k + 1;
            at[ki] = (uint32_t)p->ncells;
            fz_cell *c = &p->cells[p->ncells++];
            memset(c, 0, sizeof *c);
            assert(uy->unit < UINT32_MAX && ri < UINT32_MAX && r->qual < 16);
            c->unit = (uint32_t)uy->unit;
            c->year = uy->year;
            c->value = r->value;
            c->qual = (unsigned)r->qual & 15;
            c->row = (uint32_t)ri;
            c->k = ki & 0xFFFFFF;
            c->flags = uy->later_report ? FL_LATER_REPORT : 0;
            c->grp = c->base = c->ptot = FZ_NONE;
        }
        /* this unit-year's cells by indicator (a few: insertion sort) */
        for (size_t i = first + 1; i < p->ncells; i++) {
            fz_cell x = p->cells[i];
            size_t j = i;
            for (; j > first && p->cells[j - 1].k > x.k; j--)
                p->cells[j] = p->cells[j - 1];
            p->cells[j] = x;
        }
    }
    free(start);
    free(byrow);
    free(at);
    free(stamp);
    free(map.key);
    free(map.k);
    /* The unit-years are in unit, year order, so sorting each one's cells by
     * indicator sorts the whole array; checked, and sorted whole if not. */
    int sorted = 1;
    for (size_t i = 1; i < p->ncells && sorted; i++)
        sorted = cmp_cell(&p->cells[i - 1], &p->cells[i], p) < 0;
    if (!sorted && p->ncells)
        qsort_r(p->cells, p->ncells, sizeof *p->cells, cmp_cell, p);
    if (p->ncells && p->ncells < cap)
        p->cells = fz_xreallocarray(p->cells, p->ncells, sizeof *p->cells);

    /* The kind of each indicator. */
    p->ind_rate = fz_xcalloc(n ? n : 1, sizeof *p->ind_rate);
    size_t *pct = fz_xcalloc(n ? n : 1, sizeof *pct), *all = fz_xcalloc(n ? n : 1, sizeof *all);
    for (size_t i = 0; i < p->ncells; i++) {
        unsigned k = p->cells[i].k;
        all[k]++;
        pct[k] += is_rate_unit(fz_obs_row_at(p->obs, p->cells[i].row)->unit);
    }
    const fz_table *tax = p->opts->indicators;
    int tax_id = tax ? fz_table_find_col(tax, "id") : -1;
    for (size_t k = 0; k < n; k++) {
        int t = taxonomy_kind(p->opts->indicators, ids[k]);
        size_t r = 0; /* an id the taxonomy does not know: a typo or another lexicon */
        while (tax_id >= 0 && r < fz_table_nrows(tax) &&
               strcmp(fz_table_text(tax, r, (size_t)tax_id), ids[k]) != 0)
            r++;
        if (tax_id >= 0 && r == fz_table_nrows(tax))
            fz_diag_add(p->diag, FZ_DIAG_WARN, p->opts->source, 0,
                        "unknown indicator '%s': not in the lexicon, kept as it is", ids[k]);
        /* Without a taxonomy, an indicator is a rate when most of its figures
         * are percentages (完成率达98%). */
        p->ind_rate[k] = t >= 0 ? t : pct[k] * 2 > all[k];
    }
    for (size_t i = 0; i < p->ncells; i++)
        p->cells[i].rate = p->ind_rate[p->cells[i].k] ? 1 : 0;
    free(pct);
    free(all);
}

void fz_panel_build(fz_panel *p)
{
    choose_docs(p);
    fill_cells(p);
}

void fz_panel_release(fz_panel *p)
{
    for (size_t i = 0; i < p->nconf; i++)
        free(p->conf[i].detail);
    free(p->conf);
    free(p->units);
    free(p->uy);
    free(p->cells);
    free(p->inds);
    free(p->ind_rate);
    free(p->groups);
    free(p->ptotals);
    free(p->pop);
    free(p->by_group);
    free(p->by_series);
}

int fz_panel_cmp_group(const void *a, const void *b, void *ctx)
{
    const fz_panel *sort_p = ctx;
    const fz_cell *x = &sort_p->cells[*(const size_t *)a], *y = &sort_p->cells[*(const size_t *)b];
    int c = (x->k > y->k) - (x->k < y->k); /* inds are in strcmp order */
    if (!c)
        c = (x->year > y->year) - (x->year < y->year);
    if (!c) {
        int lx = fz_level_order(sort_p->units[x->unit].level);
        int ly = fz_level_order(sort_p->units[y->unit].level);
        c = (lx > ly) - (lx < ly);
    }
    if (!c)
        c = (x->unit > y->unit) - (x->unit < y->unit);
    return c;
}

int fz_panel_cmp_series(const void *a, const void *b, void *ctx)
{
    const fz_panel *sort_p = ctx;
    const fz_cell *x = &sort_p->cells[*(const size_t *)a], *y = &sort_p->cells[*(const size_t *)b];
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    int c = (x->k > y->k) - (x->k < y->k);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

int fz_bits(uint64_t v)
{
    int b = 0;
    while (b < 64 && (v >> b))
        b++;
    return b;
}

void fz_radix_sort(uint64_t *key, size_t n)
{
    enum { DIGIT = 11, BUCKETS = 1 << DIGIT };
    uint64_t all = 0;
    for (size_t i = 0; i < n; i++)
        all |= key[i];
    if (!all)
        return;
    uint64_t *tmp = fz_xmalloc((n ? n : 1) * sizeof *tmp);
    uint64_t *in = key, *out = tmp;
    size_t *count = fz_xmalloc(BUCKETS * sizeof *count);
    for (int shift = 0; shift < 64 && (all >> shift); shift += DIGIT) {
        memset(count, 0, BUCKETS * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(in[i] >> shift) & (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            out[count[(in[i] >> shift) & (BUCKETS - 1)]++] = in[i];
        uint64_t *t = in;
        in = out;
        out = t;
    }
    if (in != key)
        memcpy(key, in, n * sizeof *key);
    free(count);
    free(tmp);
}

/* The radix keys of fz_panel_order, sorted, or NULL when they do not fit;
 * *mask then gets the mask of the cell index in their low bits. */
static uint64_t *order_keys(const fz_panel *p, int (*cmp)(const void *, const void *, void *),
                            uint64_t *mask)
{
    size_t n = p->ncells;
    int ymin = n ? p->cells[0].year : 0, ymax = ymin;
    for (size_t i = 0; i < n; i++) {
        ymin = p->cells[i].year < ymin ? p->cells[i].year : ymin;
        ymax = p->cells[i].year > ymax ? p->cells[i].year : ymax;
    }
    int ib = fz_bits(p->ninds ? p->ninds - 1 : 0);
    int yb = fz_bits((uint64_t)((int64_t)ymax - ymin));
    int ub = fz_bits(p->nunits ? p->nunits - 1 : 0);
    int lb = 3; /* fz_level_order: 0..5 */
    int group = cmp == fz_panel_cmp_group;
    int nb = fz_bits(n ? n - 1 : 0); /* the cell index in the low bits */
    if (!(group || cmp == fz_panel_cmp_series) || ib + yb + ub + (group ? lb : 0) + nb > 64)
        return NULL;
    /* The keys order the cells as cmp does: inds are sorted by strcmp, so an
     * indicator's index orders as its id; no two cells share a key. */
    uint64_t *key = fz_xmalloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const fz_cell *c = &p->cells[i];
        uint64_t y = (uint64_t)((int64_t)c->year - ymin), k;
        if (group) {
            uint64_t lv = (uint64_t)fz_level_order(p->units[c->unit].level);
            k = (((((uint64_t)c->k << yb) | y) << lb | lv) << ub) | c->unit;
        } else {
            k = ((((uint64_t)c->unit << ib) | c->k) << yb) | y;
        }
        key[i] = nb < 64 ? k << nb | i : i;
    }
    fz_radix_sort(key, n);
    *mask = nb < 64 ? ((uint64_t)1 << nb) - 1 : ~(uint64_t)0;
    return key;
}

static size_t *order_qsort(const fz_panel *p, int (*cmp)(const void *, const void *, void *))
{
    size_t n = p->ncells;
    size_t *idx = fz_xmalloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, cmp, (void *)p);
    return idx;
}

size_t *fz_panel_order(const fz_panel *p, int (*cmp)(const void *, const void *, void *))
{
    uint64_t mask;
    uint64_t *key = order_keys(p, cmp, &mask);
    if (!key)
        return order_qsort(p, cmp);
    size_t n = p->ncells;
    size_t *idx = fz_xmalloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = (size_t)(key[i] & mask);
    free(key);
    return idx;
}

uint32_t *fz_panel_order32(const fz_panel *p, int (*cmp)(const void *, const void *, void *))
{
    size_t n = p->ncells;
    assert(n < UINT32_MAX);
    uint64_t mask;
    uint64_t *key = order_keys(p, cmp, &mask);
    if (!key) {
        size_t *idx = order_qsort(p, cmp);
        uint32_t *o = fz_xmalloc((n ? n : 1) * sizeof *o);
        for (size_t i = 0; i < n; i++)
            o[i] = (uint32_t)idx[i];
        free(idx);
        return o;
    }
    /* the indices into the front of the keys' array: index i goes to bytes
     * 4i..4i+3, which hold key i/2, already read */
    unsigned char *b = (unsigned char *)key;
    for (size_t i = 0; i < n; i++) {
        uint64_t k;
        memcpy(&k, b + 8 * i, sizeof k);
        uint32_t v = (uint32_t)(k & mask);
        memcpy(b + 4 * i, &v, sizeof v);
    }
    return fz_xreallocarray(key, n ? n : 1, sizeof(uint32_t));
}
