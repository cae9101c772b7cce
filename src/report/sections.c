/* sections.c: the report's data sections: one per indicator, the composite
 * index, correlations and coverage. Each reads the stats tables (long,
 * summary, composite, correlations, coverage, wide), picks rows, orders them
 * and hands them to the charts; no statistic is computed here. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repint.h"
#include "strs.h"
#include "xalloc.h"

#define MAX_LINES 8     /* series on a line chart */
#define MAX_HEAT 30     /* units on a z-score heatmap */
#define MATRIX_ROWS 48  /* region-years per coverage matrix page */
#define MATRIX_MAX 960  /* region-years in the coverage matrix at most */
#define CORR_MIN_N 10   /* pairs shown when enough data */
#define SUMMARY_YEARS 4 /* years in an indicator's summary table */

/* ---- rows by indicator ------------------------------------------------------ */

/* Sections read one indicator's rows of long, summary and trends many times
 * (twice per indicator: layout pass and PDF). Each table is ordered once by
 * (indicator, row); an indicator's rows are then one range of that order,
 * in table order, as a scan of the whole table would meet them. The order
 * is a counting sort over the column's distinct texts (a few dozen
 * indicators over hundreds of thousands of rows). */
static const char *const *sort_keys; /* for by_key; qsort has no context argument */

static int by_key(const void *a, const void *b)
{
    return strcmp(sort_keys[*(const size_t *)a], sort_keys[*(const size_t *)b]);
}

static void rows_release(rep_rows *rr)
{
    free(rr->rows);
    free(rr->keys);
    free(rr->start);
    memset(rr, 0, sizeof *rr);
}

static void inds_free(rep *r);

void rep_index_free(rep *r)
{
    inds_free(r);
    if (!r->idx)
        return;
    for (size_t i = 0; i < r->idx->n; i++)
        rows_release(&r->idx->by[i]);
    free(r->idx);
    r->idx = NULL;
}

static unsigned long str_hash(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

/* rr->rows ordered by (text of col, row), with the distinct texts. */
static void rows_index(rep_rows *rr)
{
    size_t n = rr->n, cap = 64, nk = 0;
    size_t *id = fz_xcalloc(n + 1, sizeof *id);
    size_t *slot = fz_xcalloc(cap, sizeof *slot); /* key number + 1, 0: empty */
    const char **key = fz_xcalloc(cap / 2 + 1, sizeof *key);
    /* the key numbers of the texts met last, by the text's address: a
     * column's texts are kept where they are (key[] keeps them too), so an
     * address met before is the same text, and most rows repeat one of a
     * few dozen */
    enum { SEEN = 64 };
    const char *seen[SEEN] = { 0 };
    size_t seen_id[SEEN];
    for (size_t i = 0; i < n; i++) {
        const char *s = rep_text(rr->t, i, rr->col);
        size_t sq = (size_t)((uintptr_t)s >> 3) % SEEN;
        if (seen[sq] == s) {
            id[i] = seen_id[sq];
            continue;
        }
        size_t k = str_hash(s) & (cap - 1);
        while (slot[k] && strcmp(key[slot[k] - 1], s) != 0)
            k = (k + 1) & (cap - 1);
        if (!slot[k]) {
            key[nk] = s;
            slot[k] = ++nk;
            if (2 * nk >= cap) { /* grow: rehash the distinct keys */
                cap *= 2;
                free(slot);
                slot = fz_xcalloc(cap, sizeof *slot);
                key = fz_xreallocarray(key, cap / 2 + 1, sizeof *key);
                for (size_t j = 0; j < nk; j++) {
                    size_t q = str_hash(key[j]) & (cap - 1);
                    while (slot[q])
                        q = (q + 1) & (cap - 1);
                    slot[q] = j + 1;
                }
                k = (size_t)-1; /* found again below */
                for (size_t q = str_hash(s) & (cap - 1); k == (size_t)-1; q = (q + 1) & (cap - 1))
                    if (strcmp(key[slot[q] - 1], s) == 0)
                        k = q;
            }
        }
        id[i] = slot[k] - 1;
        seen[sq] = s;
        seen_id[sq] = id[i];
    }
    /* keys in strcmp order; rank[id] its place */
    size_t *order = fz_xcalloc(nk + 1, sizeof *order), *rank = fz_xcalloc(nk + 1, sizeof *rank);
    for (size_t j = 0; j < nk; j++)
        order[j] = j;
    sort_keys = key;
    qsort(order, nk, sizeof *order, by_key);
    sort_keys = NULL;
    rr->keys = fz_xcalloc(nk + 1, sizeof *rr->keys);
    rr->start = fz_xcalloc(nk + 2, sizeof *rr->start);
    for (size_t j = 0; j < nk; j++) {
        rank[order[j]] = j;
        rr->keys[j] = key[order[j]];
    }
    for (size_t i = 0; i < n; i++)
        rr->start[rank[id[i]] + 1]++;
    for (size_t j = 0; j < nk; j++)
        rr->start[j + 1] += rr->start[j];
    size_t *next = fz_xcalloc(nk + 1, sizeof *next);
    memcpy(next, rr->start, nk * sizeof *next);
    for (size_t i = 0; i < n; i++) /* in row order: stable */
        rr->rows[next[rank[id[i]]]++] = i;
    rr->nkeys = nk;
    free(next);
    free(order);
    free(rank);
    free(key);
    free(slot);
    free(id);
}

/* The rows of t whose column col reads key (rep_text), in row order; *n of
 * them. The array is borrowed until rep_index_free(). */
static const size_t *rows_with(const rep *r, const fz_table *t, int col, const char *key,
                               size_t *n)
{
    *n = 0;
    if (!t || col < 0 || !r->idx)
        return NULL;
    rep_index *ix = r->idx;
    rep_rows *rr = NULL;
    for (size_t i = 0; i < ix->n && !rr; i++)
        if (ix->by[i].t == t && ix->by[i].col == col)
            rr = &ix->by[i];
    if (!rr) {
        if (ix->n == REP_INDEX_MAX)
            rows_release(&ix->by[--ix->n]); /* not expected: a few tables are indexed */
        rr = &ix->by[ix->n++];
        rr->t = t;
        rr->col = col;
        rr->n = fz_table_nrows(t);
        rr->rows = fz_xcalloc(rr->n + 1, sizeof *rr->rows);
        rows_index(rr);
    }
    size_t lo = 0, hi = rr->nkeys; /* first key >= key */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rr->keys[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == rr->nkeys || strcmp(rr->keys[lo], key) != 0)
        return rr->rows; /* *n = 0 */
    *n = rr->start[lo + 1] - rr->start[lo];
    return rr->rows + rr->start[lo];
}

/* ---- one indicator's rows from the long table ---------------------------- */

typedef struct unitrec {
    const char *key;    /* region_code + department, in the arena of keys below */
    char *name;         /* display name: after the key in its block, or its own
                         * allocation when name_own */
    int name_own;
    const char *level;
    int nyears;
    size_t first;       /* its observations are o[first .. first+nyears) */
    double latest;      /* value in its latest year (for ordering) */
} unitrec;

typedef struct obsv {
    size_t row;         /* row in long */
    size_t unit;        /* index into units */
    int year;
    double v;
    int approx;
} obsv;

typedef struct ind_data {
    const fz_table *t;
    int c_code, c_name, c_dept, c_level, c_year, c_value, c_qual, c_z, c_rank, c_per,
        c_file, c_line, c_phrase, c_unit;
    obsv *o;
    size_t n;
    unitrec *u;
    size_t nu;
    char **keys;        /* owned key strings */
    int *years;
    size_t ny;
    size_t *by_years;   /* units with the most years first, the first
                         * BY_YEARS_KEPT of them (units_by_years) */
} ind_data;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void ind_release(ind_data *g)
{
    for (size_t i = 0; i < g->nu; i++) {
        if (g->u[i].name_own)
            free(g->u[i].name);
        free(g->keys[i]);
    }
    free(g->u);
    free(g->keys);
    free(g->o);
    free(g->years);
    free(g->by_years);
    memset(g, 0, sizeof *g);
}

/* units with the most years first; ties: larger latest value, then name */
static const ind_data *sort_g;

static int by_years(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const ind_data *g = sort_g;
    if (g->u[x].nyears != g->u[y].nyears)
        return g->u[y].nyears - g->u[x].nyears;
    double vx = g->u[x].latest, vy = g->u[y].latest;
    if (vx != vy)
        return vx > vy ? -1 : 1;
    return strcmp(g->u[x].name, g->u[y].name);
}

/* The first BY_YEARS_KEPT units in by_years order (all of them when there
 * are fewer): the charts read no further (lines, small multiples and the
 * z-score heatmap take the first MAX_LINES, PANELS and MAX_HEAT). Picked in
 * one pass over the units by insertion into the kept ones, a unit placed
 * after those it does not precede: units that compare equal stay in index
 * order, as qsort (glibc's merge sort, stable) left them when all were
 * sorted; debug builds compare with that sort. */
#define BY_YEARS_KEPT MAX_HEAT

static size_t *units_by_years(const ind_data *g)
{
    size_t k = g->nu < BY_YEARS_KEPT ? g->nu : BY_YEARS_KEPT, n = 0;
    size_t *ix = fz_xcalloc(k + 1, sizeof *ix);
    sort_g = g;
    for (size_t i = 0; i < g->nu; i++) {
        if (n == k && by_years(&i, &ix[n - 1]) >= 0)
            continue; /* not before the last kept */
        size_t at = n < k ? n : k - 1; /* drops the last when full */
        while (at > 0 && by_years(&i, &ix[at - 1]) < 0) {
            ix[at] = ix[at - 1];
            at--;
        }
        ix[at] = i;
        if (n < k)
            n++;
    }
#ifndef NDEBUG
    size_t *all = fz_xcalloc(g->nu + 1, sizeof *all);
    for (size_t i = 0; i < g->nu; i++)
        all[i] = i;
    qsort(all, g->nu, sizeof *all, by_years);
    assert(memcmp(all, ix, k * sizeof *ix) == 0);
    free(all);
#endif
    sort_g = NULL;
    return ix;
}

/* Adds y to the distinct years, kept in order (a corpus spans a few
 * years: a search and a short move instead of sorting every row's year). */
static void year_add(ind_data *g, int y)
{
    size_t lo = 0, hi = g->ny;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->years[mid] < y)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < g->ny && g->years[lo] == y)
        return;
    memmove(g->years + lo + 1, g->years + lo, (g->ny - lo) * sizeof *g->years);
    g->years[lo] = y;
    g->ny++;
}

/* Adds "(code)" to the name of every unit whose name another unit has too
 * (unless it has a parenthesis already). Namesakes are found by hashing the
 * names as they were before any is changed. */
static void name_namesakes(ind_data *g)
{
    size_t cap = 16;
    while (cap < 2 * g->nu)
        cap *= 2;
    size_t *slot = fz_xcalloc(cap, sizeof *slot);        /* unit + 1, 0: empty */
    size_t *first = fz_xcalloc(g->nu + 1, sizeof *first); /* the first unit of its name */
    size_t *count = fz_xcalloc(g->nu + 1, sizeof *count); /* units of the name (first's) */
    for (size_t u = 0; u < g->nu; u++) {
        size_t k = str_hash(g->u[u].name) & (cap - 1);
        while (slot[k] && strcmp(g->u[slot[k] - 1].name, g->u[u].name) != 0)
            k = (k + 1) & (cap - 1);
        if (!slot[k])
            slot[k] = u + 1;
        first[u] = slot[k] - 1;
        count[first[u]]++;
    }
    for (size_t u = 0; u < g->nu; u++) {
        unitrec *x = &g->u[u];
        if (count[first[u]] < 2 || strchr(x->name, '('))
            continue;
        char *nm = fz_xasprintf("%s(%.*s)", x->name, (int)strcspn(x->key, "|"), x->key);
        if (x->name_own)
            free(x->name);
        x->name = nm;
        x->name_own = 1;
    }
    free(count);
    free(first);
    free(slot);
}

static void ind_load(const rep *r, const char *id, ind_data *g)
{
    memset(g, 0, sizeof *g);
    const fz_table *t = fz_stats_table(r->st, "long");
    g->t = t;
    g->c_code = rep_col_of(t, "region_code");
    g->c_name = rep_col_of(t, "region_name");
    g->c_dept = rep_col_of(t, "department");
    g->c_level = rep_col_of(t, "level");
    g->c_year = rep_col_of(t, "year");
    g->c_value = rep_col_of(t, "value");
    g->c_qual = rep_col_of(t, "qualifier");
    g->c_z = rep_col_of(t, "zscore");
    g->c_rank = rep_col_of(t, "rank");
    g->c_per = rep_col_of(t, "per10k");
    g->c_file = rep_col_of(t, "file");
    g->c_line = rep_col_of(t, "line");
    g->c_phrase = rep_col_of(t, "phrase");
    g->c_unit = rep_col_of(t, "unit");
    int c_ind = rep_col_of(t, "indicator");
    size_t nr = 0;
    const size_t *rows = rows_with(r, t, c_ind, id, &nr);
    /* written before they are read (a unit when it is met): not zeroed */
    g->o = fz_xreallocarray(NULL, nr + 1, sizeof *g->o);
    g->u = fz_xreallocarray(NULL, nr + 1, sizeof *g->u);
    g->keys = fz_xreallocarray(NULL, nr + 1, sizeof *g->keys);
    g->years = fz_xreallocarray(NULL, nr + 1, sizeof *g->years);
    fz_buf kb; /* the row's key "code|department", built in place */
    fz_buf_init(&kb);
    for (size_t ri = 0; ri < nr; ri++) {
        size_t i = rows[ri];
        double v, y;
        if (!rep_num(t, i, g->c_value, &v) || !rep_num(t, i, g->c_year, &y))
            continue; /* NA stays out: it is drawn as missing, never as 0 */
        /* long is sorted by region_code, department: a unit's rows are
         * adjacent. The row's key "code|department" is compared with the
         * last unit's piece by piece and built only for a new unit (each
         * text read once: a cell of long is computed at every read). */
        size_t u = 0;
        const char *code = rep_text(t, i, g->c_code), *dept = rep_text(t, i, g->c_dept);
        int same = 0;
        if (g->nu) {
            const char *last = g->keys[g->nu - 1];
            size_t cl = strlen(code);
            same = strncmp(last, code, cl) == 0 && last[cl] == '|' &&
                   strcmp(last + cl + 1, dept) == 0;
        }
        if (same) {
            u = g->nu - 1;
        } else {
            u = g->nu++;
            fz_buf_reset(&kb);
            fz_buf_adds(&kb, code);
            fz_buf_addc(&kb, '|');
            fz_buf_adds(&kb, dept);
            fz_buf_addc(&kb, '\0'); /* the name follows the key in one block */
            const char *nm = rep_text(t, i, g->c_name);
            fz_buf_adds(&kb, *nm ? nm : code);
            fz_buf_adds(&kb, dept);
            char *key = fz_xmalloc(kb.len + 1);
            memcpy(key, kb.data, kb.len + 1);
            g->keys[u] = key;
            g->u[u] = (unitrec){ 0 };
            g->u[u].first = g->n;
            g->u[u].key = key;
            g->u[u].name = key + strlen(key) + 1;
            g->u[u].level = rep_text(t, i, g->c_level);
        }
        g->u[u].nyears++;
        g->o[g->n++] = (obsv){ i, u, (int)y, v, rep_qual_approx(rep_text(t, i, g->c_qual)) };
        year_add(g, (int)y);
    }
    fz_buf_release(&kb);
    /* two units with one name (两个"城关镇"): add the code so labels differ */
    name_namesakes(g);
    for (size_t u = 0; u < g->nu; u++) /* o[] is in year order within a unit */
        g->u[u].latest = g->u[u].nyears ? g->o[g->u[u].first + (size_t)g->u[u].nyears - 1].v
                                        : -INFINITY;
    g->by_years = units_by_years(g);
}

/* The rows of plan entry i's indicator: loaded when the layout pass first
 * asks and kept for the drawing pass, which drops them (ind_drop) when its
 * section is done; both passes see the same data. The layout pass keeps at
 * most IND_KEEP_BYTES of them (fz_report_opts.keep_bytes; all of them up to
 * some 10,000 reports): past that, the drawing pass reads an indicator's
 * rows again, so that memory does not grow with the corpus. */
#define IND_KEEP_BYTES ((size_t)32 << 20)

struct rep_inds {
    ind_data **g; /* per plan entry, or NULL */
    size_t n;
    size_t kept;  /* bytes kept by the layout pass (ind_bytes) */
};

static ind_data *ind_get(rep *r, size_t i, const char *id)
{
    if (!r->inds) {
        r->inds = fz_xcalloc(1, sizeof *r->inds);
        r->inds->n = r->nsec;
        r->inds->g = fz_xcalloc(r->nsec + 1, sizeof *r->inds->g);
    }
    if (!r->inds->g[i]) {
        r->inds->g[i] = fz_xcalloc(1, sizeof **r->inds->g);
        ind_load(r, id, r->inds->g[i]);
    }
    return r->inds->g[i];
}

static void ind_drop(rep *r, size_t i)
{
    if (!r->inds || !r->inds->g[i])
        return;
    ind_release(r->inds->g[i]);
    free(r->inds->g[i]);
    r->inds->g[i] = NULL;
}

/* About the heap an indicator's rows take (a unit's key and name strings
 * counted as 64 bytes). */
static size_t ind_bytes(const ind_data *g)
{
    size_t per_unit = sizeof *g->u + sizeof *g->keys + sizeof *g->by_years + 64;
    return sizeof *g + g->n * sizeof *g->o + g->nu * per_unit + g->ny * sizeof *g->years;
}

/* Section i is composed: the drawing pass is done with its rows; the layout
 * pass keeps them for it while they fit IND_KEEP_BYTES. */
static void ind_done(rep *r, size_t i)
{
    if (!r->inds || !r->inds->g[i])
        return;
    size_t b = ind_bytes(r->inds->g[i]);
    size_t keep = r->o->keep_bytes ? r->o->keep_bytes : IND_KEEP_BYTES;
    if (!r->drawing && r->inds->kept + b <= keep)
        r->inds->kept += b;
    else
        ind_drop(r, i);
}

static void inds_free(rep *r)
{
    if (!r->inds)
        return;
    for (size_t i = 0; i < r->inds->n; i++)
        ind_drop(r, i);
    free(r->inds->g);
    free(r->inds);
    r->inds = NULL;
}

static const obsv *find_obs(const ind_data *g, size_t unit, int year)
{
    const unitrec *u = &g->u[unit];
    for (size_t i = u->first; i < u->first + (size_t)u->nyears; i++)
        if (g->o[i].year == year)
            return &g->o[i];
    return NULL;
}

/* ---- plan ------------------------------------------------------------------ */

void rep_plan_indicators(rep *r)
{
    const fz_table *lt = fz_stats_table(r->st, "long");
    int ci = rep_col_of(lt, "indicator");
    if (!lt || ci < 0)
        return;
    /* taxonomy order when the taxonomy is known, else byte order of ids;
     * ids in the data but not in the taxonomy come last */
    size_t nr = fz_table_nrows(lt), n = 0;
    const char **ids = fz_xcalloc(nr + 1, sizeof *ids);
    for (size_t i = 0; i < nr; i++)
        if (*rep_text(lt, i, ci))
            ids[n++] = rep_text(lt, i, ci);
    n = fz_strs_sort_unique(ids, n);
    char *used = fz_xcalloc(n + 1, 1);
    const fz_table *tax = r->o->indicators;
    int ti = rep_col_of(tax, "id");
    int num = 1;
    char title[256];
    for (size_t i = 0; tax && ti >= 0 && i < fz_table_nrows(tax); i++) {
        const char *id = rep_text(tax, i, ti);
        for (size_t j = 0; j < n; j++)
            if (!used[j] && strcmp(ids[j], id) == 0) { /* ids[] come from lt */
                used[j] = 1;
                const char *unit = rep_ind_unit(r, id, NULL);
                snprintf(title, sizeof title, "2.%d %s%s%s%s", num++, rep_ind_name(r, id),
                         *unit ? "（" : "", unit, *unit ? "）" : "");
                rep_plan_add(r, 1, title, ids[j]);
            }
    }
    for (size_t j = 0; j < n; j++)
        if (!used[j]) {
            snprintf(title, sizeof title, "2.%d %s", num++, rep_ind_name(r, ids[j]));
            rep_plan_add(r, 1, title, ids[j]);
        }
    free(used);
    free(ids);
}

/* ---- charts of one indicator ----------------------------------------------- */

typedef struct spec_buf {
    const char **rows;
    const char **cols;
    char **own;         /* strings to free */
    size_t nown;
    fz_plot_cell *cells;
    double *xs;
} spec_buf;

static void sb_init(spec_buf *b, size_t nrows, size_t ncols)
{
    b->rows = fz_xcalloc(nrows + 1, sizeof *b->rows);
    b->cols = fz_xcalloc(ncols + 1, sizeof *b->cols);
    b->own = fz_xcalloc(ncols + nrows + 8, sizeof *b->own);
    b->nown = 0;
    b->cells = fz_xcalloc(nrows * ncols + 1, sizeof *b->cells); /* cleared: sparse */
    b->xs = fz_xcalloc(ncols + 1, sizeof *b->xs);
}

static const char *sb_str(spec_buf *b, char *s)
{
    b->own[b->nown++] = s;
    return s;
}

static void sb_release(spec_buf *b)
{
    for (size_t i = 0; i < b->nown; i++)
        free(b->own[i]);
    free(b->own);
    free(b->rows);
    free(b->cols);
    free(b->cells);
    free(b->xs);
}

static double bar_height(size_t n, size_t top)
{
    size_t slots = (n < top ? n : top) + (n > top ? 2 : 0);
    double h = 78 + 14.0 * (double)slots;
    return h < 120 ? 120 : h > 420 ? 420 : h;
}

static size_t top_n(const rep *r)
{
    return r->o->top_n ? r->o->top_n : 25;
}

static void chart_bar_latest(rep *r, const ind_data *g, const char *name, const char *unit,
                             int year)
{
    spec_buf b;
    sb_init(&b, g->nu, 1);
    size_t n = 0, napprox = 0;
    char yl[16];
    snprintf(yl, sizeof yl, "%d", year);
    b.cols[0] = yl;
    for (size_t u = 0; u < g->nu; u++) {
        const obsv *o = find_obs(g, u, year);
        if (!o)
            continue; /* units without a figure this year are not ranked */
        b.rows[n] = g->u[u].name;
        b.cells[n] = (fz_plot_cell){ o->v, 1, o->approx };
        napprox += o->approx != 0;
        n++;
    }
    char *title = fz_xasprintf("%s（%s），%d年：各单位", name, unit, year);
    char *sub = fz_xasprintf("%zu 个单位载明此项，按数值从大到小排列", n);
    fz_plot_spec s = { .kind = FZ_CHART_BAR, .title = title, .subtitle = sub,
                       .source = r->source, .nrows = n, .rows = b.rows, .ncols = 1,
                       .cols = b.cols, .cells = b.cells, .top_n = top_n(r) };
    double h = bar_height(n, top_n(r));
    if (n && rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
        r->y += h + 8;
    free(title);
    free(sub);
    sb_release(&b);
}

/* medians from the summary table, when one row covers (indicator, year) */
static int summary_median(const rep *r, const char *id, int year, double *med)
{
    const fz_table *t = fz_stats_table(r->st, "summary");
    int ci = rep_col_of(t, "indicator"), cy = rep_col_of(t, "year"),
        cm = rep_col_of(t, "median");
    int found = 0;
    size_t nr = 0;
    const size_t *rows = rows_with(r, t, ci, id, &nr);
    for (size_t ri = 0; ri < nr; ri++) {
        size_t i = rows[ri];
        double y;
        if (!rep_num(t, i, cy, &y) || (int)y != year)
            continue;
        if (++found > 1)
            return 0; /* several levels: no single median to draw */
        if (!rep_num(t, i, cm, med))
            return 0;
    }
    return found == 1;
}

static double quantile_sorted(const double *v, size_t n, double f)
{
    double d = f * (double)(n - 1);
    size_t i = (size_t)d;
    d -= (double)i;
    return i + 1 >= n ? v[n - 1] : (1 - d) * v[i] + d * v[i + 1];
}

/* v[0..n) ascending, by an LSD radix sort of their bits (a byte a pass,
 * the eight counts taken in one pass, a byte all keys share passed over:
 * most values are whole numbers of a few digits) instead of qsort. The key
 * of a double orders as the double does: its bits with the sign flipped,
 * every bit flipped for a negative one. No NaN; -0 comes before 0. */
void rep_sort_doubles(double *v, size_t n)
{
    if (n < 2)
        return;
    uint64_t *key = fz_xreallocarray(NULL, 2 * n, sizeof *key), *tmp = key + n;
    size_t (*count)[256] = fz_xcalloc(8, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &v[i], sizeof b);
        key[i] = b >> 63 ? ~b : b | (uint64_t)1 << 63;
        for (int d = 0; d < 8; d++)
            count[d][(key[i] >> (8 * d)) & 255]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d], sum = 0;
        if (c[key[0] >> (8 * d) & 255] == n)
            continue; /* one byte in every key */
        for (int k = 0; k < 256; k++) {
            size_t m = c[k];
            c[k] = sum;
            sum += m;
        }
        for (size_t i = 0; i < n; i++)
            tmp[c[(key[i] >> (8 * d)) & 255]++] = key[i];
        uint64_t *t = key;
        key = tmp;
        tmp = t;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t b = key[i] >> 63 ? key[i] & ~((uint64_t)1 << 63) : ~key[i];
        memcpy(&v[i], &b, sizeof b);
    }
    free(count);
    free(key < tmp ? key : tmp);
}

void rep_box_of(double *v, size_t n, fz_plot_box *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    rep_sort_doubles(v, n);
    out->ok = 1;
    out->q1 = quantile_sorted(v, n, 0.25);
    out->median = quantile_sorted(v, n, 0.5);
    out->q3 = quantile_sorted(v, n, 0.75);
    double reach = 1.5 * (out->q3 - out->q1);
    size_t lo = 0, hi = n - 1;
    while (lo < n - 1 && v[lo] < out->q1 - reach)
        lo++;
    while (hi > 0 && v[hi] > out->q3 + reach)
        hi--;
    out->lo = v[lo];
    out->hi = v[hi];
}

static void chart_dist(rep *r, const ind_data *g, const char *id, const char *name,
                       const char *unit, double x, double w, double h)
{
    /* the layout pass needs only the chart's box (fz_plot_check): its
     * labels, medians, dots and boxes are left out there, and it has no
     * rows (no cells to allocate and clear: units x years) */
    size_t nrows = r->drawing ? g->nu : 0;
    spec_buf b;
    sb_init(&b, nrows, g->ny);
    fz_plot_cell *med = fz_xcalloc(g->ny + 1, sizeof *med);
    for (size_t k = 0; r->drawing && k < g->ny; k++) {
        b.cols[k] = sb_str(&b, fz_xasprintf("%d", g->years[k]));
        double m;
        if (summary_median(r, id, g->years[k], &m))
            med[k] = (fz_plot_cell){ m, 1, 0 };
    }
    size_t *per_year = fz_xcalloc(g->ny + 1, sizeof *per_year), most = 0;
    for (size_t u = 0; r->drawing && u < g->nu; u++) {
        b.rows[u] = g->u[u].name;
        /* the unit's observations in one pass (in year order, as years[]
         * is: the search for a year's column goes on from the last one),
         * each year's first one as find_obs() gives it */
        const obsv *o = g->o + g->u[u].first, *end = o + g->u[u].nyears;
        for (size_t k = 0; o < end; o++) {
            if (g->years[k] > o->year)
                k = 0; /* not in year order: years[] has every year */
            while (g->years[k] != o->year)
                k++;
            fz_plot_cell *c = &b.cells[u * g->ny + k];
            if (c->ok)
                continue;
            *c = (fz_plot_cell){ o->v, 1, o->approx };
            if (isfinite(o->v) && ++per_year[k] > most)
                most = per_year[k];
        }
    }
    /* thousands of dots in a year hide each other and cost a mark each:
     * then every year with enough units is summarised as a box */
    fz_plot_box *boxes = NULL;
    if (most > DIST_BOX_UNITS) {
        boxes = fz_xcalloc(g->ny, sizeof *boxes);
        double *v = fz_xcalloc(most, sizeof *v);
        for (size_t k = 0; k < g->ny; k++) {
            if (per_year[k] < DIST_BOX_MIN)
                continue;
            size_t n = 0;
            for (size_t u = 0; u < g->nu; u++) {
                const fz_plot_cell *c = &b.cells[u * g->ny + k];
                if (c->ok && isfinite(c->v))
                    v[n++] = c->v;
            }
            rep_box_of(v, n, &boxes[k]);
        }
        free(v);
        r->boxplots = 1;
    }
    char *title = fz_xasprintf("%s（%s）：各年分布", name, unit);
    fz_plot_spec s = { .kind = FZ_CHART_DIST, .title = title,
                       .subtitle = boxes ? "单位较多，每年画作箱线图；须线以外的单位逐个画点"
                                         : "每点一个单位",
                       .source = r->source, .nrows = nrows, .rows = b.rows, .ncols = g->ny,
                       .cols = b.cols, .cells = b.cells, .col_marks = med, .col_boxes = boxes };
    rep_chart(r, &s, x, w, h);
    free(title);
    free(med);
    free(boxes);
    free(per_year);
    sb_release(&b);
}

static void chart_lines(rep *r, const ind_data *g, const char *name, const char *unit, double x,
                        double w, double h)
{
    const size_t *ix = g->by_years;
    size_t n = 0;
    while (n < g->nu && n < MAX_LINES && g->u[ix[n]].nyears >= 2)
        n++;
    spec_buf b;
    sb_init(&b, n, g->ny);
    for (size_t k = 0; k < g->ny; k++) {
        b.cols[k] = sb_str(&b, fz_xasprintf("%d", g->years[k]));
        b.xs[k] = g->years[k];
    }
    for (size_t i = 0; i < n; i++) {
        b.rows[i] = g->u[ix[i]].name;
        for (size_t k = 0; k < g->ny; k++) {
            const obsv *o = find_obs(g, ix[i], g->years[k]);
            if (o)
                b.cells[i * g->ny + k] = (fz_plot_cell){ o->v, 1, o->approx };
        }
    }
    char *title = fz_xasprintf("%s（%s）：单位走势", name, unit);
    char *sub = fz_xasprintf("年份最多的 %zu 个单位", n);
    fz_plot_spec s = { .kind = FZ_CHART_LINES, .title = title, .subtitle = sub,
                       .source = r->source, .nrows = n, .rows = b.rows, .ncols = g->ny,
                       .cols = b.cols, .xs = b.xs, .cells = b.cells };
    rep_chart(r, &s, x, w, h);
    free(title);
    free(sub);
    sb_release(&b);
}

/* Small multiples: one panel per unit with 3+ years (up to 6), one shared
 * value axis so panels compare by position. */
#define PANELS 6
_Static_assert(PANELS <= BY_YEARS_KEPT && MAX_LINES <= BY_YEARS_KEPT,
               "the charts read only the first BY_YEARS_KEPT units by years");

static int chart_multiples(rep *r, const ind_data *g, const char *name, const char *unit)
{
    const size_t *ix = g->by_years;
    size_t n = 0;
    while (n < g->nu && n < PANELS && g->u[ix[n]].nyears >= 3)
        n++;
    if (n < 4) {
        return 0;
    }
    spec_buf b;
    sb_init(&b, n, g->ny);
    fz_plot_spec specs[PANELS];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < g->ny; k++) {
        b.cols[k] = sb_str(&b, fz_xasprintf("%d", g->years[k]));
        b.xs[k] = g->years[k];
    }
    for (size_t i = 0; i < n; i++) {
        b.rows[i] = g->u[ix[i]].name;
        for (size_t k = 0; k < g->ny; k++) {
            const obsv *o = find_obs(g, ix[i], g->years[k]);
            if (!o)
                continue;
            b.cells[i * g->ny + k] = (fz_plot_cell){ o->v, 1, o->approx };
            lo = fmin(lo, o->v);
            hi = fmax(hi, o->v);
        }
    }
    for (size_t i = 0; i < n; i++)
        specs[i] = (fz_plot_spec){ .kind = FZ_CHART_LINES, .title = b.rows[i], .nrows = 1,
                                   .rows = &b.rows[i], .ncols = g->ny, .cols = b.cols,
                                   .xs = b.xs, .cells = &b.cells[i * g->ny], .fixed = 1,
                                   .fixed_lo = lo, .fixed_hi = hi };
    char *title = fz_xasprintf("%s（%s）：年份最多的 %zu 个单位，同一纵轴", name, unit, n);
    double h = 300;
    rep_need(r, h);
    if (fz_pdoc_multiples(r->d, specs, n, 3, title, r->source, MARGIN_L, r->y, CONTENT_W, h,
                          r->diag) == 0)
        r->y += h + 8;
    free(title);
    sb_release(&b);
    return 1;
}

/* the level with most units in a year (ranks compare only within a level);
 * a tie goes to the byte-smaller level name. A corpus has a few levels:
 * they are counted in a short list (sorted when there are more). */
#define LEVELS_LISTED 16

static const char *main_level_sorted(const ind_data *g, int year)
{
    const char **lv = fz_xcalloc(g->nu + 1, sizeof *lv);
    size_t n = 0;
    for (size_t a = 0; a < g->nu; a++)
        if (find_obs(g, a, year))
            lv[n++] = g->u[a].level;
    qsort(lv, n, sizeof *lv, fz_strs_cmp);
    const char *best = NULL;
    size_t bestn = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && strcmp(lv[a], lv[b]) == 0)
            b++;
        if (b - a > bestn) { /* equal counts: the earlier (smaller) name stays */
            best = lv[a];
            bestn = b - a;
        }
        a = b;
    }
    free(lv);
    return best;
}

static const char *main_level(const ind_data *g, int year)
{
    const char *lv[LEVELS_LISTED];
    size_t cnt[LEVELS_LISTED], nl = 0;
    for (size_t a = 0; a < g->nu; a++) {
        if (!find_obs(g, a, year))
            continue;
        const char *s = g->u[a].level;
        size_t k = 0;
        while (k < nl && strcmp(lv[k], s) != 0)
            k++;
        if (k == nl) {
            if (nl == LEVELS_LISTED)
                return main_level_sorted(g, year);
            lv[nl] = s;
            cnt[nl++] = 0;
        }
        cnt[k]++;
    }
    const char *best = NULL;
    size_t bestn = 0;
    for (size_t k = 0; k < nl; k++)
        if (cnt[k] > bestn || (cnt[k] == bestn && strcmp(lv[k], best) < 0)) {
            best = lv[k];
            bestn = cnt[k];
        }
#ifndef NDEBUG
    const char *sorted = main_level_sorted(g, year);
    assert(best ? sorted && strcmp(best, sorted) == 0 : !sorted);
#endif
    return best;
}

static int chart_slope(rep *r, const ind_data *g, const char *name)
{
    int y1 = g->years[g->ny - 1], y0 = g->years[g->ny - 2];
    const char *lvl = main_level(g, y1);
    if (!lvl)
        return 0;
    spec_buf b;
    sb_init(&b, g->nu, 2);
    b.cols[0] = sb_str(&b, fz_xasprintf("%d", y0));
    b.cols[1] = sb_str(&b, fz_xasprintf("%d", y1));
    size_t n = 0, both = 0;
    for (size_t u = 0; u < g->nu; u++) {
        if (strcmp(g->u[u].level, lvl) != 0)
            continue;
        const obsv *a = find_obs(g, u, y0), *z = find_obs(g, u, y1);
        double ra, rz;
        int oka = a && rep_num(g->t, a->row, g->c_rank, &ra);
        int okz = z && rep_num(g->t, z->row, g->c_rank, &rz);
        if (!oka && !okz)
            continue;
        b.rows[n] = g->u[u].name;
        if (oka)
            b.cells[n * 2] = (fz_plot_cell){ ra, 1, a->approx };
        if (okz)
            b.cells[n * 2 + 1] = (fz_plot_cell){ rz, 1, z->approx };
        both += oka && okz;
        n++;
    }
    if (both < 3) { /* fewer than three lines say nothing a table would not */
        sb_release(&b);
        return 0;
    }
    char *title = fz_xasprintf("%s：名次变化 %d→%d", name, y0, y1);
    char *sub = fz_xasprintf("%s级单位内排名，1 为最大", rep_level_zh(lvl));
    fz_plot_spec s = { .kind = FZ_CHART_SLOPE, .title = title, .subtitle = sub,
                       .source = r->source, .nrows = n, .rows = b.rows, .ncols = 2,
                       .cols = b.cols, .cells = b.cells, .top_n = 30 };
    /* tall enough for one name per rank, no taller */
    double h = 90 + 12.0 * (double)(n < 30 ? n : 30);
    h = h < 170 ? 170 : h > 330 ? 330 : h;
    if (rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
        r->y += h + 8;
    free(title);
    free(sub);
    sb_release(&b);
    return 1;
}

static int chart_zheat(rep *r, const ind_data *g, const char *name, double x, double w)
{
    const size_t *ix = g->by_years;
    size_t n = g->nu < MAX_HEAT ? g->nu : MAX_HEAT;
    /* fill the rest of the page rather than leave it empty, if a dozen
     * rows fit there */
    double room = PAGE_H - MARGIN_B - r->y;
    if (80 + 13.0 * (double)n > room && room >= 80 + 13.0 * 12)
        n = (size_t)((room - 80) / 13);
    spec_buf b;
    sb_init(&b, n, g->ny);
    size_t nz = 0;
    for (size_t k = 0; k < g->ny; k++)
        b.cols[k] = sb_str(&b, fz_xasprintf("%d", g->years[k]));
    for (size_t i = 0; i < n; i++) {
        b.rows[i] = g->u[ix[i]].name;
        for (size_t k = 0; k < g->ny; k++) {
            const obsv *o = find_obs(g, ix[i], g->years[k]);
            double z;
            if (o && rep_num(g->t, o->row, g->c_z, &z)) {
                b.cells[i * g->ny + k] = (fz_plot_cell){ z, 1, o->approx };
                nz++;
            }
        }
    }
    int drawn = 0;
    if (nz > 0) {
        double h = 80 + 13.0 * (double)n;
        h = h > 460 ? 460 : h;
        char *title = fz_xasprintf("%s：z 分数（单位 × 年份）", name);
        fz_plot_spec s = { .kind = FZ_CHART_HEATMAP, .title = title,
                           .subtitle = "同年同层级内标准化；蓝低红高；斜线格为未载明或无法标准化",
                           .source = r->source, .nrows = n, .rows = b.rows, .ncols = g->ny,
                           .cols = b.cols, .cells = b.cells, .diverging = 1, .clamp = 2.5,
                           .top_n = MAX_HEAT };
        if (rep_chart(r, &s, x, w, h) == 0)
            r->y += h + 8;
        free(title);
        drawn = 1;
    }
    sb_release(&b);
    return drawn;
}

/* ---- tables of one indicator ------------------------------------------------- */

static const ind_data *sort_v;
static int sort_year;

static int by_value(const void *a, const void *b)
{
    const obsv *x = *(const obsv *const *)a, *y = *(const obsv *const *)b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return strcmp(sort_v->u[x->unit].name, sort_v->u[y->unit].name);
}

/* The places of the first k of base[0..n) (elements of sz bytes) in the
 * order a stable sort by cmp gives (glibc's qsort is a merge sort), into
 * keep[0..k) in that order; with last, of the last k, the last first.
 * One pass inserting each element into the kept ones (all met before it:
 * a tie puts it after them, or before them with last) instead of sorting
 * all of base: a table shows a few of thousands of units. k <= n. */
static void pick_ends(const void *base, size_t n, size_t sz, size_t k,
                      int (*cmp)(const void *, const void *), int last, size_t *keep)
{
    const char *b = base;
    size_t m = 0;
    for (size_t i = 0; i < n && k; i++) {
        const void *x = b + i * sz;
#define PICK_BEFORE(j) (last ? cmp(x, b + keep[j] * sz) >= 0 : cmp(x, b + keep[j] * sz) < 0)
        if (m == k && !PICK_BEFORE(m - 1))
            continue;
        size_t at = m < k ? m++ : k - 1; /* drops the last kept when full */
        for (; at > 0 && PICK_BEFORE(at - 1); at--)
            keep[at] = keep[at - 1];
#undef PICK_BEFORE
        keep[at] = i;
    }
}

/* base[0..n) with its first k elements in stable cmp order (pick_ends) at
 * its start; the rest of it in no order. Debug builds compare with qsort. */
static void first_k(void *base, size_t n, size_t sz, size_t k,
                    int (*cmp)(const void *, const void *))
{
    if (k > n)
        k = n;
    char *b = base, *tmp = fz_xmalloc(k * sz + 1);
    size_t *keep = fz_xreallocarray(NULL, k + 1, sizeof *keep);
    pick_ends(base, n, sz, k, cmp, 0, keep);
    for (size_t j = 0; j < k; j++)
        memcpy(tmp + j * sz, b + keep[j] * sz, sz);
#ifndef NDEBUG
    qsort(base, n, sz, cmp);
    assert(memcmp(base, tmp, k * sz) == 0);
#endif
    memcpy(base, tmp, k * sz);
    free(keep);
    free(tmp);
}

/* The TOP_BOTTOM first and last of v[0..n) (n > 2 * TOP_BOTTOM) in
 * by_value order to its ends, each end in that order (what the table
 * shows); debug builds compare with qsort. */
#define TOP_BOTTOM 5

static void ends_by_value(const obsv **v, size_t n)
{
    size_t top[TOP_BOTTOM], bot[TOP_BOTTOM]; /* bot: the last first */
    pick_ends(v, n, sizeof *v, TOP_BOTTOM, by_value, 0, top);
    pick_ends(v, n, sizeof *v, TOP_BOTTOM, by_value, 1, bot);
    const obsv *t[TOP_BOTTOM], *z[TOP_BOTTOM];
    for (size_t k = 0; k < TOP_BOTTOM; k++) {
        t[k] = v[top[k]];
        z[k] = v[bot[k]];
    }
#ifndef NDEBUG
    qsort(v, n, sizeof *v, by_value);
    for (size_t k = 0; k < TOP_BOTTOM; k++)
        assert(v[k] == t[k] && v[n - 1 - k] == z[k]);
#endif
    for (size_t k = 0; k < TOP_BOTTOM; k++) {
        v[k] = t[k];
        v[n - 1 - k] = z[k];
    }
}

static void table_top_bottom(rep *r, const ind_data *g, int year)
{
    const obsv **v = fz_xcalloc(g->n + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->o[i].year == year)
            v[n++] = &g->o[i];
    /* the layout pass needs where the rows go, not what they say: it
     * neither orders nor formats them */
    if (r->drawing) {
        sort_v = g;
        sort_year = year;
        if (n > 12)
            ends_by_value(v, n);
        else
            qsort(v, n, sizeof *v, by_value);
        sort_v = NULL;
    }
    char head[96];
    snprintf(head, sizeof head, n > 12 ? "%d年最高与最低的单位" : "%d年各单位", year);
    rep_heading(r, head, 10.5);
    rep_col c[] = { { "名次", 30, FZ_ALIGN_RIGHT }, { "单位", 98, FZ_ALIGN_LEFT },
                    { "层级", 30, FZ_ALIGN_LEFT },  { "数值", 50, FZ_ALIGN_RIGHT },
                    { "限定", 46, FZ_ALIGN_LEFT },  { "z", 32, FZ_ALIGN_RIGHT },
                    { "每万人", 40, FZ_ALIGN_RIGHT }, { "原文（文件:行）", CONTENT_W - 326, FZ_ALIGN_LEFT } };
    rep_table_head(r, c, 8);
    for (size_t i = 0; i < n; i++) {
        if (n > 12 && i == TOP_BOTTOM) {
            char gap[64];
            snprintf(gap, sizeof gap, "…… 中间 %zu 个单位", n - 2 * TOP_BOTTOM);
            const char *cells[] = { "", gap, "", "", "", "", "", "" };
            rep_table_row(r, c, 8, cells);
            i = n - TOP_BOTTOM;
        }
        if (!r->drawing) {
            static const char *const blank[8] = { "", "", "", "", "", "", "", "" };
            rep_table_row(r, c, 8, blank);
            continue;
        }
        const obsv *o = v[i];
        char rk[32], val[64], z[32], per[32], src[512];
        rep_fmt_cell(g->t, o->row, g->c_rank, rk, sizeof rk);
        rep_fmt(o->v, val, sizeof val);
        double hi;
        if (rep_num(g->t, o->row, rep_col_of(g->t, "value_high"), &hi)) { /* 10-20件 */
            char h2[32];
            size_t len = strlen(val);
            snprintf(val + len, sizeof val - len, "–%s", rep_fmt(hi, h2, sizeof h2));
        }
        double zz;
        if (rep_num(g->t, o->row, g->c_z, &zz))
            snprintf(z, sizeof z, "%.2f", zz);
        else
            snprintf(z, sizeof z, "—");
        rep_fmt_cell(g->t, o->row, g->c_per, per, sizeof per);
        const char *file = rep_base(rep_text(g->t, o->row, g->c_file));
        char ln[32];
        rep_fmt_cell(g->t, o->row, g->c_line, ln, sizeof ln);
        snprintf(src, sizeof src, "%s（%s:%s）", rep_text(g->t, o->row, g->c_phrase),
                 file, ln);
        const char *cells[] = { rk, g->u[o->unit].name, rep_level_zh(g->u[o->unit].level),
                                val, rep_qual_zh(rep_text(g->t, o->row, g->c_qual)), z, per,
                                src };
        rep_table_row(r, c, 8, cells);
    }
    free(v);
    r->y += 8;
}

static void table_summary(rep *r, const char *id)
{
    const fz_table *t = fz_stats_table(r->st, "summary");
    int ci = rep_col_of(t, "indicator");
    static const char *const cols[] = { "year", "level", "n",   "mean", "median", "q1",
                                        "q3",   "min",   "max", "cv",   "qualified_n" };
    int cc[11];
    for (size_t k = 0; k < 11; k++)
        cc[k] = rep_col_of(t, cols[k]);
    size_t n = 0, nr = 0;
    const size_t *rows = rows_with(r, t, ci, id, &nr);
    int years[SUMMARY_YEARS] = { 0 };
    size_t ny = 0;
    /* the latest SUMMARY_YEARS years; summary.csv has them all */
    for (size_t ri = nr; ri-- > 0;) {
        size_t i = rows[ri];
        double y;
        if (!rep_num(t, i, cc[0], &y))
            continue;
        n++;
        int seen = 0;
        for (size_t k = 0; k < ny; k++)
            seen |= years[k] == (int)y;
        if (!seen && ny < SUMMARY_YEARS)
            years[ny++] = (int)y;
        else if (!seen) {
            size_t lo = 0; /* replace the smallest year kept if this one is later */
            for (size_t k = 1; k < ny; k++)
                if (years[k] < years[lo])
                    lo = k;
            if ((int)y > years[lo])
                years[lo] = (int)y;
        }
    }
    if (!n)
        return;
    rep_heading(r, "近年汇总统计", 10.5);
    double w = CONTENT_W / 11;
    rep_col c[11] = { { "年份", w, FZ_ALIGN_RIGHT }, { "层级", w, FZ_ALIGN_LEFT },
                      { "n", w, FZ_ALIGN_RIGHT },    { "均值", w, FZ_ALIGN_RIGHT },
                      { "中位数", w, FZ_ALIGN_RIGHT }, { "Q1", w, FZ_ALIGN_RIGHT },
                      { "Q3", w, FZ_ALIGN_RIGHT },   { "最小", w, FZ_ALIGN_RIGHT },
                      { "最大", w, FZ_ALIGN_RIGHT }, { "变异系数", w, FZ_ALIGN_RIGHT },
                      { "约数等", w, FZ_ALIGN_RIGHT } };
    rep_table_head(r, c, 11);
    for (size_t ri = 0; ri < nr; ri++) {
        size_t i = rows[ri];
        double y;
        if (!rep_num(t, i, cc[0], &y))
            continue;
        int keep = 0;
        for (size_t k = 0; k < ny; k++)
            keep |= years[k] == (int)y;
        if (!keep)
            continue;
        if (!r->drawing) { /* the layout pass: where the row goes */
            static const char *const blank[11] = { "", "", "", "", "", "", "", "", "", "", "" };
            rep_table_row(r, c, 11, blank);
            continue;
        }
        char b[11][64];
        const char *cells[11];
        for (size_t k = 0; k < 11; k++) {
            if (k == 1)
                snprintf(b[k], sizeof b[k], "%s", rep_level_zh(rep_text(t, i, cc[k])));
            else if (k == 0)
                rep_fmt_year(t, i, cc[k], b[k], sizeof b[k]);
            else
                rep_fmt_cell(t, i, cc[k], b[k], sizeof b[k]);
            cells[k] = b[k];
        }
        rep_table_row(r, c, 11, cells);
    }
    rep_note(r, "均值与中位数等只在同一层级内计算；“约数等”为含限定词（余、约、以上等）的数字个数。"
                "更早年份见 summary.csv。");
}

/* Units with 3+ years: the OLS slope per year, p-value and CAGR from the
 * trends table, the steepest (by |t|) first. */
typedef struct tval {
    size_t row; /* trends row */
    double t;   /* |t|, or -1 when NA */
} tval;

static int by_abs_t(const void *a, const void *b)
{
    const tval *x = a, *y = b;
    if (x->t != y->t)
        return x->t > y->t ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

#define TRENDS_SHOWN 8 /* units in an indicator's trends table */

static void table_trends(rep *r, const char *id)
{
    const fz_table *t = fz_stats_table(r->st, "trends");
    int ci = rep_col_of(t, "indicator"), ct = rep_col_of(t, "t");
    size_t nr = 0, n = 0;
    const size_t *rows = rows_with(r, t, ci, id, &nr);
    tval *v = fz_xcalloc(nr + 1, sizeof *v);
    for (size_t ri = 0; ri < nr; ri++) {
        size_t i = rows[ri];
        double tv;
        v[n].row = i;
        v[n].t = rep_num(t, i, ct, &tv) ? fabs(tv) : -1; /* NA t sorts last */
        n++;
    }
    if (n == 0) {
        free(v);
        return;
    }
    if (r->drawing) /* the layout pass only counts the rows */
        first_k(v, n, sizeof *v, TRENDS_SHOWN, by_abs_t);
    rep_heading(r, "单位趋势（3 年及以上）", 10.5);
    int cn = rep_col_of(t, "region_name"), cd = rep_col_of(t, "department"),
        cny = rep_col_of(t, "n_years"), cf = rep_col_of(t, "first_year"),
        cl = rep_col_of(t, "last_year"), cs = rep_col_of(t, "slope"), cp = rep_col_of(t, "p_value"),
        cg = rep_col_of(t, "cagr"), cfv = rep_col_of(t, "first_value"),
        clv = rep_col_of(t, "last_value");
    rep_col c[] = { { "单位", 120, FZ_ALIGN_LEFT },       { "年数", 34, FZ_ALIGN_RIGHT },
                    { "年份", 70, FZ_ALIGN_LEFT },        { "首值→末值", 90, FZ_ALIGN_RIGHT },
                    { "斜率/年", 60, FZ_ALIGN_RIGHT },    { "p", 45, FZ_ALIGN_RIGHT },
                    { "年均增长%", CONTENT_W - 419, FZ_ALIGN_RIGHT } };
    rep_table_head(r, c, 7);
    for (size_t k = 0; k < n && k < TRENDS_SHOWN; k++) {
        if (!r->drawing) {
            static const char *const blank[7] = { "", "", "", "", "", "", "" };
            rep_table_row(r, c, 7, blank);
            continue;
        }
        size_t i = v[k].row;
        char nm[256], ny[16], yrs[40], fl[80], sl[40], p[40], g[40], a[32], b[32], y0[16], y1[16];
        snprintf(nm, sizeof nm, "%s%s", rep_text(t, i, cn), rep_text(t, i, cd));
        rep_fmt_cell(t, i, cny, ny, sizeof ny);
        snprintf(yrs, sizeof yrs, "%s—%s", rep_fmt_year(t, i, cf, y0, sizeof y0),
                 rep_fmt_year(t, i, cl, y1, sizeof y1));
        snprintf(fl, sizeof fl, "%s→%s", rep_fmt_cell(t, i, cfv, a, sizeof a),
                 rep_fmt_cell(t, i, clv, b, sizeof b));
        double x;
        snprintf(sl, sizeof sl, "—"); /* NA unless stated */
        snprintf(p, sizeof p, "—");
        snprintf(g, sizeof g, "—");
        if (rep_num(t, i, cs, &x))
            snprintf(sl, sizeof sl, "%+.1f", x);
        if (rep_num(t, i, cp, &x))
            snprintf(p, sizeof p, "%.3f", x);
        if (rep_num(t, i, cg, &x))
            snprintf(g, sizeof g, "%+.1f", x);
        const char *cells[] = { nm, ny, yrs, fl, sl, p, g };
        rep_table_row(r, c, 7, cells);
    }
    char note[320];
    snprintf(note, sizeof note,
             "按 |t| 排序，列出前 %zu 个（共 %zu 个）；斜率为逐年数值对年份的最小二乘斜率，"
             "年数少时 p 值很不稳定。全部见 trends.csv。",
             n < TRENDS_SHOWN ? n : (size_t)TRENDS_SHOWN, n);
    rep_note(r, note);
    free(v);
}

void rep_indicator(rep *r, size_t sec_i)
{
    const char *id = r->sec[sec_i].ind;
    rep_section(r, sec_i);
    const ind_data *g = ind_get(r, sec_i, id);
    if (g->n == 0) {
        rep_note(r, "此指标没有可用数字。");
        ind_done(r, sec_i);
        return;
    }
    const char *unit = rep_ind_unit(r, id, rep_text(g->t, g->o[0].row, g->c_unit));
    const char *name = rep_ind_name(r, id);
    int latest = g->years[g->ny - 1];
    size_t nl = 0, na = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->o[i].year == latest) {
            nl++;
            na += g->o[i].approx != 0;
        }
    char buf[512];
    snprintf(buf, sizeof buf,
             "共有 %zu 个单位在 %zu 个年份（%d—%d）载明此项，计 %zu 个数字；"
             "最近一年 %d 年有 %zu 个单位，其中 %zu 个为约数或界限。",
             g->nu, g->ny, g->years[0], latest, g->n, latest, nl, na);
    rep_para(r, buf);
    chart_bar_latest(r, g, name, unit, latest);
    if (g->ny >= 2) {
        double half = (CONTENT_W - 12) / 2, h = 230;
        rep_need(r, h);
        size_t multi = 0, three = 0;
        for (size_t u = 0; u < g->nu; u++) {
            multi += g->u[u].nyears >= 2;
            three += g->u[u].nyears >= 3;
        }
        if (multi && three < 4) {
            chart_dist(r, g, id, name, unit, MARGIN_L, half, h);
            chart_lines(r, g, name, unit, MARGIN_L + half + 12, half, h);
        } else {
            chart_dist(r, g, id, name, unit, MARGIN_L, CONTENT_W, h);
        }
        r->y += h + 8;
        if (three >= 4)
            chart_multiples(r, g, name, unit);
        chart_slope(r, g, name);
        chart_zheat(r, g, name, MARGIN_L, CONTENT_W);
    }
    table_top_bottom(r, g, latest);
    table_trends(r, id);
    table_summary(r, id);
    ind_done(r, sec_i);
}

/* ---- composite index ------------------------------------------------------- */

typedef struct pair {
    size_t row; /* table row */
    double r;   /* the value it is ordered by */
} pair;

static int by_value_desc(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->r != y->r)
        return x->r > y->r ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

int rep_has_composite(const rep *r)
{
    const fz_table *t = fz_stats_table(r->st, "composite");
    int cc = rep_col_of(t, "composite");
    double v;
    for (size_t i = 0; t && i < fz_table_nrows(t); i++)
        if (rep_num(t, i, cc, &v))
            return 1;
    return 0;
}

/* Grouped bars: the units scoring highest in the latest year, over the
 * last few years (a missing year is a hatched stub, not a zero bar). */
#define GROUP_UNITS 8
#define GROUP_YEARS 4

static void composite_grouped(rep *r, const fz_table *t, int latest)
{
    int cy = rep_col_of(t, "year"), cc = rep_col_of(t, "composite"),
        ck = rep_col_of(t, "region_code"), cd = rep_col_of(t, "department"),
        cn = rep_col_of(t, "region_name"), cq = rep_col_of(t, "qualified_n");
    size_t nr = fz_table_nrows(t);
    int years[GROUP_YEARS];
    size_t ny = 0;
    for (int y = latest; y > latest - 30 && ny < GROUP_YEARS; y--)
        for (size_t i = 0; i < nr; i++) {
            double yy, v;
            if (rep_num(t, i, cy, &yy) && (int)yy == y && rep_num(t, i, cc, &v)) {
                years[ny++] = y;
                break;
            }
        }
    if (ny < 2)
        return;
    for (size_t a = 0, z = ny - 1; a < z; a++, z--) { /* oldest first */
        int tmp = years[a];
        years[a] = years[z];
        years[z] = tmp;
    }
    pair *ord = fz_xcalloc(nr + 1, sizeof *ord);
    size_t no = 0;
    for (size_t i = 0; i < nr; i++) {
        double yy, v;
        if (rep_num(t, i, cy, &yy) && (int)yy == latest && rep_num(t, i, cc, &v))
            ord[no++] = (pair){ i, v };
    }
    size_t n = no < GROUP_UNITS ? no : GROUP_UNITS;
    spec_buf b;
    sb_init(&b, n, ny);
    if (r->drawing) { /* the layout pass needs only how many units there are */
        qsort(ord, no, sizeof *ord, by_value_desc);
        for (size_t k = 0; k < ny; k++)
            b.cols[k] = sb_str(&b, fz_xasprintf("%d", years[k]));
        char *code[GROUP_UNITS], *dept[GROUP_UNITS];
        for (size_t u = 0; u < n; u++) {
            size_t ru = ord[u].row;
            b.rows[u] = sb_str(&b, rep_cat(rep_text(t, ru, cn), rep_text(t, ru, cd)));
            code[u] = fz_xstrdup(rep_text(t, ru, ck));
            dept[u] = fz_xstrdup(rep_text(t, ru, cd));
        }
        /* each unit's cells in one pass over the rows (a later row of a
         * year replaces an earlier one, as before) */
        for (size_t i = 0; n && i < nr; i++) {
            const char *ci = rep_text(t, i, ck);
            size_t u = 0;
            while (u < n && strcmp(ci, code[u]) != 0)
                u++;
            if (u == n)
                continue;
            const char *di = rep_text(t, i, cd);
            double yy, v, q = 0;
            if (!rep_num(t, i, cy, &yy) || !rep_num(t, i, cc, &v))
                continue;
            for (; u < n; u++) {
                if (strcmp(ci, code[u]) != 0 || strcmp(di, dept[u]) != 0)
                    continue;
                for (size_t k = 0; k < ny; k++)
                    if (years[k] == (int)yy)
                        b.cells[u * ny + k] =
                            (fz_plot_cell){ v, 1, rep_num(t, i, cq, &q) && q > 0 };
            }
        }
        for (size_t u = 0; u < n; u++) {
            free(code[u]);
            free(dept[u]);
        }
    }
    char *sub = fz_xasprintf("%d年得分最高的 %zu 个单位", latest, n);
    fz_plot_spec s = { .kind = FZ_CHART_GROUPED, .title = "综合指数：近年变化", .subtitle = sub,
                       .source = r->source, .nrows = n, .rows = b.rows, .ncols = ny,
                       .cols = b.cols, .cells = b.cells, .top_n = GROUP_UNITS };
    double h = 250;
    if (n && rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
        r->y += h + 8;
    free(sub);
    free(ord);
    sb_release(&b);
}

void rep_composite(rep *r, size_t sec_i)
{
    rep_section(r, sec_i);
    const fz_table *t = fz_stats_table(r->st, "composite");
    int cn = rep_col_of(t, "region_name"), cd = rep_col_of(t, "department"),
        cy = rep_col_of(t, "year"), cc = rep_col_of(t, "composite"), crk = rep_col_of(t, "rank"),
        cl = rep_col_of(t, "level"), ccov = rep_col_of(t, "coverage"),
        cq = rep_col_of(t, "qualified_n");
    size_t nr = fz_table_nrows(t);
    int latest = 0;
    double y, v;
    for (size_t i = 0; i < nr; i++)
        if (rep_num(t, i, cy, &y) && rep_num(t, i, cc, &v) && (int)y > latest)
            latest = (int)y;
    rep_para(r, "综合指数把有权重的指标换算为 0—100 的极差分（方向为负的指标取 100 减之）后加权平均；"
                "只用单位当年载明的指标，覆盖率说明用了多少权重。不同层级的单位分别排名。");
    spec_buf b;
    sb_init(&b, nr, 1);
    char **names = fz_xcalloc(nr + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) {
        if (!rep_num(t, i, cy, &y) || (int)y != latest || !rep_num(t, i, cc, &v))
            continue;
        if (!r->drawing) { /* the layout pass: how many bars, not which */
            n++;
            continue;
        }
        names[n] = rep_cat(rep_text(t, i, cn), rep_text(t, i, cd));
        b.rows[n] = names[n];
        double q = 0;
        b.cells[n] = (fz_plot_cell){ v, 1, rep_num(t, i, cq, &q) && q > 0 };
        n++;
    }
    char yl[16];
    snprintf(yl, sizeof yl, "%d", latest);
    b.cols[0] = yl;
    char *title = fz_xasprintf("综合指数（0—100），%d年", latest);
    fz_plot_spec s = { .kind = FZ_CHART_BAR, .title = title,
                       .subtitle = "空心柱：所用指标中含约数或界限", .source = r->source,
                       .nrows = n, .rows = b.rows, .ncols = 1, .cols = b.cols, .cells = b.cells,
                       .top_n = top_n(r) };
    double h = bar_height(n, top_n(r));
    if (n && rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
        r->y += h + 8;
    free(title);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    sb_release(&b);
    composite_grouped(r, t, latest);

    char head[64];
    snprintf(head, sizeof head, "%d年各单位综合指数（从高到低）", latest);
    rep_heading(r, head, 10.5);
    rep_col c[] = { { "年份", 40, FZ_ALIGN_RIGHT },  { "单位", 150, FZ_ALIGN_LEFT },
                    { "层级", 50, FZ_ALIGN_LEFT },   { "综合指数", 70, FZ_ALIGN_RIGHT },
                    { "名次", 50, FZ_ALIGN_RIGHT },  { "权重覆盖%", 60, FZ_ALIGN_RIGHT },
                    { "约数等", CONTENT_W - 420, FZ_ALIGN_RIGHT } };
    rep_table_head(r, c, 7);
    pair *ord = fz_xcalloc(nr + 1, sizeof *ord);
    size_t no = 0;
    for (size_t i = 0; i < nr; i++)
        if (rep_num(t, i, cy, &y) && (int)y == latest && rep_num(t, i, cc, &v))
            ord[no++] = (pair){ i, v };
    if (r->drawing)
        qsort(ord, no, sizeof *ord, by_value_desc);
    for (size_t k = 0; k < no && k < LIST_MAX; k++) {
        if (!r->drawing) { /* the layout pass: where the row goes */
            static const char *const blank[7] = { "", "", "", "", "", "", "" };
            rep_table_row(r, c, 7, blank);
            continue;
        }
        size_t i = ord[k].row;
        v = ord[k].r;
        char yr[16], val[32], rk[32], cov[32], q[32], nm[256];
        rep_fmt_year(t, i, cy, yr, sizeof yr);
        snprintf(val, sizeof val, "%.1f", v);
        rep_fmt_cell(t, i, crk, rk, sizeof rk);
        double cv;
        if (rep_num(t, i, ccov, &cv))
            snprintf(cov, sizeof cov, "%.0f", cv);
        else
            snprintf(cov, sizeof cov, "—");
        rep_fmt_cell(t, i, cq, q, sizeof q);
        snprintf(nm, sizeof nm, "%s%s", rep_text(t, i, cn), rep_text(t, i, cd));
        const char *cells[] = { yr, nm, rep_level_zh(rep_text(t, i, cl)), val, rk, cov, q };
        rep_table_row(r, c, 7, cells);
    }
    free(ord);
}

/* ---- correlations ------------------------------------------------------------ */

static int by_abs_r(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (fabs(x->r) != fabs(y->r))
        return fabs(x->r) > fabs(y->r) ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static pair *corr_pairs(const rep *r, size_t *np)
{
    const fz_table *t = fz_stats_table(r->st, "correlations");
    int cp = rep_col_of(t, "pearson"), cn = rep_col_of(t, "n");
    size_t nr = t ? fz_table_nrows(t) : 0;
    pair *p = fz_xcalloc(nr + 1, sizeof *p);
    size_t k = 0;
    /* r of 3 points is 1.00 too easily: when larger samples exist, show only
     * pairs with n >= CORR_MIN_N */
    double need = 3, v, n;
    for (size_t i = 0; i < nr; i++)
        if (rep_num(t, i, cp, &v) && rep_num(t, i, cn, &n) && n >= CORR_MIN_N)
            need = CORR_MIN_N;
    for (size_t i = 0; i < nr; i++)
        if (rep_num(t, i, cp, &v) && rep_num(t, i, cn, &n) && n >= need)
            p[k++] = (pair){ i, v };
    qsort(p, k, sizeof *p, by_abs_r);
    *np = k;
    return p;
}

int rep_has_correlations(const rep *r)
{
    size_t n;
    free(corr_pairs(r, &n));
    return n > 0;
}

static void scatter_pair(rep *r, size_t crow, double x, double w, double h)
{
    const fz_table *ct = fz_stats_table(r->st, "correlations");
    const fz_table *wt = fz_stats_table(r->st, "wide");
    const char *lvl = rep_text(ct, crow, rep_col_of(ct, "level"));
    const char *ix = rep_text(ct, crow, rep_col_of(ct, "indicator_x"));
    const char *iy = rep_text(ct, crow, rep_col_of(ct, "indicator_y"));
    char *qx = fz_xasprintf("%s_qualifier", ix), *qy = fz_xasprintf("%s_qualifier", iy);
    int cx = rep_col_of(wt, ix), cy = rep_col_of(wt, iy), cqx = rep_col_of(wt, qx),
        cqy = rep_col_of(wt, qy), cl = rep_col_of(wt, "level"), cn = rep_col_of(wt, "region_name"),
        cd = rep_col_of(wt, "department"), cyr = rep_col_of(wt, "year");
    size_t nr = wt ? fz_table_nrows(wt) : 0;
    spec_buf b;
    sb_init(&b, r->drawing ? nr : 0, 2);
    b.cols[0] = rep_ind_name(r, ix);
    b.cols[1] = rep_ind_name(r, iy);
    size_t n = 0;
    /* the layout pass needs only the chart's box: no points */
    for (size_t i = 0; r->drawing && i < nr; i++) {
        double vx, vy;
        if (strcmp(rep_text(wt, i, cl), lvl) != 0 || !rep_num(wt, i, cx, &vx) ||
            !rep_num(wt, i, cy, &vy))
            continue;
        char yr[16];
        rep_fmt_year(wt, i, cyr, yr, sizeof yr);
        b.rows[n] = sb_str(&b, fz_xasprintf("%s%s %s", rep_text(wt, i, cn), rep_text(wt, i, cd),
                                            yr));
        b.cells[n * 2] = (fz_plot_cell){ vx, 1, rep_qual_approx(rep_text(wt, i, cqx)) };
        b.cells[n * 2 + 1] = (fz_plot_cell){ vy, 1, rep_qual_approx(rep_text(wt, i, cqy)) };
        n++;
    }
    double pr = 0, nn = 0, a = 0, sl = 0;
    rep_num(ct, crow, rep_col_of(ct, "pearson"), &pr);
    rep_num(ct, crow, rep_col_of(ct, "n"), &nn);
    /* the fit line is drawn only when stats/ provides it */
    int fit = rep_num(ct, crow, rep_col_of(ct, "intercept"), &a) &&
              rep_num(ct, crow, rep_col_of(ct, "slope"), &sl);
    char *title = fz_xasprintf("%s × %s", b.cols[0], b.cols[1]);
    char *sub = fz_xasprintf("%s级单位年份，每点一个", rep_level_zh(lvl));
    fz_plot_spec s = { .kind = FZ_CHART_SCATTER, .title = title, .subtitle = sub,
                       .source = r->source, .nrows = n, .rows = b.rows, .ncols = 2,
                       .cols = b.cols, .cells = b.cells, .has_fit = fit, .fit_a = a,
                       .fit_b = sl, .fit_r = pr, .fit_n = (size_t)nn };
    rep_chart(r, &s, x, w, h);
    free(title);
    free(sub);
    free(qx);
    free(qy);
    sb_release(&b);
}

void rep_correlations(rep *r, size_t sec_i)
{
    rep_section(r, sec_i);
    rep_para(r, "同一层级内，两项指标在同一单位同一年都有数字时计算相关系数（成对完整）。"
                "报告中的数字多为工作量，相关不代表因果；n 小时系数很不稳定。");
    size_t np;
    pair *p = corr_pairs(r, &np);
    double half = (CONTENT_W - 12) / 2, h = 250;
    if (np > 0) {
        rep_need(r, h);
        scatter_pair(r, p[0].row, MARGIN_L, np > 1 ? half : CONTENT_W, h);
        if (np > 1)
            scatter_pair(r, p[1].row, MARGIN_L + half + 12, half, h);
        r->y += h + 8;
    }
    const fz_table *t = fz_stats_table(r->st, "correlations");
    int cl = rep_col_of(t, "level"), cx = rep_col_of(t, "indicator_x"),
        cy = rep_col_of(t, "indicator_y"), cn = rep_col_of(t, "n"),
        cp = rep_col_of(t, "pearson"), cs = rep_col_of(t, "spearman");
    rep_heading(r, "相关系数（按绝对值排序）", 10.5);
    {
        char note[160];
        snprintf(note, sizeof note, "样本足够时只列 n ≥ %d 的指标对；全部指标对见 correlations.csv。",
                 CORR_MIN_N);
        rep_note(r, note);
    }
    rep_col c[] = { { "层级", 50, FZ_ALIGN_LEFT },   { "指标 X", 140, FZ_ALIGN_LEFT },
                    { "指标 Y", 140, FZ_ALIGN_LEFT }, { "n", 40, FZ_ALIGN_RIGHT },
                    { "Pearson", 55, FZ_ALIGN_RIGHT }, { "Spearman", CONTENT_W - 425, FZ_ALIGN_RIGHT } };
    rep_table_head(r, c, 6);
    for (size_t i = 0; i < np && i < 25; i++) {
        size_t row = p[i].row;
        char n[32], pe[32], sp[32];
        rep_fmt_cell(t, row, cn, n, sizeof n);
        double v;
        snprintf(pe, sizeof pe, "%.2f", p[i].r);
        if (rep_num(t, row, cs, &v))
            snprintf(sp, sizeof sp, "%.2f", v);
        else
            snprintf(sp, sizeof sp, "—");
        const char *cells[] = { rep_level_zh(rep_text(t, row, cl)),
                                rep_ind_name(r, rep_text(t, row, cx)),
                                rep_ind_name(r, rep_text(t, row, cy)), n, pe, sp };
        rep_table_row(r, c, 6, cells);
    }
    (void)cp;
    free(p);
}

/* ---- coverage ---------------------------------------------------------------- */

/* Indicators x years, coverage % (from the coverage table). */
static void coverage_heat(rep *r)
{
    const fz_table *t = fz_stats_table(r->st, "coverage");
    int ci = rep_col_of(t, "indicator"), cy = rep_col_of(t, "year"), cl = rep_col_of(t, "level"),
        cc = rep_col_of(t, "coverage");
    size_t nr = t ? fz_table_nrows(t) : 0;
    if (!nr) {
        rep_note(r, "没有覆盖率数据。");
        return;
    }
    int *years = fz_xcalloc(nr + 1, sizeof *years);
    size_t ny = 0;
    double y;
    for (size_t i = 0; i < nr; i++)
        if (rep_num(t, i, cy, &y))
            years[ny++] = (int)y;
    qsort(years, ny, sizeof *years, cmp_int);
    size_t k = 0;
    for (size_t i = 0; i < ny; i++)
        if (k == 0 || years[k - 1] != years[i])
            years[k++] = years[i];
    ny = k;
    /* rows: indicator (+ level when there are several), in table order */
    char **keys = fz_xcalloc(nr + 1, sizeof *keys);
    size_t nk = 0;
    int several = 0;
    for (size_t i = 1; i < nr; i++)
        several |= strcmp(rep_text(t, i, cl), rep_text(t, 0, cl)) != 0;
    spec_buf b;
    sb_init(&b, nr, ny ? ny : 1);
    for (size_t i = 0; i < nr; i++) {
        char *key = fz_xasprintf("%s|%s", rep_text(t, i, ci), several ? rep_text(t, i, cl) : "");
        size_t row = nk;
        for (size_t j = 0; j < nk; j++)
            if (strcmp(keys[j], key) == 0)
                row = j;
        if (row == nk) {
            keys[nk] = key;
            const char *nm = rep_ind_name(r, rep_text(t, i, ci));
            b.rows[nk++] = sb_str(&b, several ? fz_xasprintf("%s · %s", nm,
                                                             rep_level_zh(rep_text(t, i, cl)))
                                              : fz_xstrdup(nm));
        } else {
            free(key);
        }
        double c;
        if (rep_num(t, i, cy, &y) && rep_num(t, i, cc, &c))
            for (size_t q = 0; q < ny; q++)
                if (years[q] == (int)y)
                    b.cells[row * ny + q] = (fz_plot_cell){ round(c), 1, 0 }; /* whole % */
    }
    for (size_t q = 0; q < ny; q++)
        b.cols[q] = sb_str(&b, fz_xasprintf("%d", years[q]));
    size_t chunk = 40;
    for (size_t s0 = 0; s0 < nk; s0 += chunk) {
        size_t n = nk - s0 < chunk ? nk - s0 : chunk;
        double h = 90 + 13.0 * (double)n;
        fz_plot_spec s = { .kind = FZ_CHART_HEATMAP, .title = "覆盖率：载明该指标的单位占比（%）",
                           .subtitle = "按指标与年份；斜线格为该年无此层级的报告",
                           .source = r->source, .nrows = n, .rows = b.rows + s0, .ncols = ny,
                           .cols = b.cols, .cells = b.cells + s0 * ny, .top_n = chunk };
        if (rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
            r->y += h + 8;
    }
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    free(years);
    sb_release(&b);
}

/* Region-years x indicators from the wide table: which figures each report states. */
static void coverage_matrix(rep *r)
{
    const fz_table *t = fz_stats_table(r->st, "wide");
    size_t nr = t ? fz_table_nrows(t) : 0, nc = t ? fz_table_ncols(t) : 0;
    int cn = rep_col_of(t, "region_name"), cd = rep_col_of(t, "department"),
        cy = rep_col_of(t, "year");
    /* indicator columns are the ones with a <id>_qualifier partner */
    int *ic = fz_xcalloc(nc + 1, sizeof *ic), *qc = fz_xcalloc(nc + 1, sizeof *qc);
    size_t ni = 0;
    for (size_t c = 0; c < nc; c++) {
        char *q = fz_xasprintf("%s_qualifier", fz_table_colname(t, c));
        int k = rep_col_of(t, q);
        free(q);
        if (k >= 0) {
            ic[ni] = (int)c;
            qc[ni++] = k;
        }
    }
    if (!nr || !ni) {
        rep_note(r, "没有可列出的单位年份。");
        free(ic);
        free(qc);
        return;
    }
    size_t rows = nr < MATRIX_MAX ? nr : MATRIX_MAX;
    spec_buf b;
    sb_init(&b, rows, ni);
    for (size_t k = 0; k < ni; k++)
        b.cols[k] = rep_ind_name(r, fz_table_colname(t, (size_t)ic[k]));
    /* the layout pass needs only the charts' sizes (rows per page) */
    for (size_t i = 0; r->drawing && i < rows; i++) {
        char yr[16];
        rep_fmt_year(t, i, cy, yr, sizeof yr);
        b.rows[i] = sb_str(&b, fz_xasprintf("%s%s %s", rep_text(t, i, cn), rep_text(t, i, cd), yr));
        for (size_t k = 0; k < ni; k++) {
            double v;
            if (rep_num(t, i, ic[k], &v))
                b.cells[i * ni + k] =
                    (fz_plot_cell){ 1, 1, rep_qual_approx(rep_text(t, i, qc[k])) };
        }
    }
    for (size_t s0 = 0; s0 < rows;) {
        /* as many rows as fit in the rest of the page */
        double room = PAGE_H - MARGIN_B - r->y - 150;
        if (room < 12 * 10) {
            rep_new_page(r);
            room = PAGE_H - MARGIN_B - r->y - 150;
        }
        size_t n = (size_t)(room / 12);
        if (n > MATRIX_ROWS)
            n = MATRIX_ROWS;
        if (n > rows - s0)
            n = rows - s0;
        double h = 150 + 12.0 * (double)n;
        char *title = fz_xasprintf("覆盖矩阵：单位年份 %zu—%zu / %zu", s0 + 1, s0 + n, nr);
        fz_plot_spec s = { .kind = FZ_CHART_HEATMAP, .title = title,
                           .subtitle = "实心格：报告载明；浅色格：约数或界限；斜线格：未载明",
                           .source = r->source, .nrows = n, .rows = b.rows + s0, .ncols = ni,
                           .cols = b.cols, .cells = b.cells + s0 * ni, .top_n = MATRIX_ROWS,
                           .hide_values = 1 };
        if (rep_chart(r, &s, MARGIN_L, CONTENT_W, h) == 0)
            r->y += h + 8;
        free(title);
        s0 += n;
    }
    if (nr > rows) {
        char note[128];
        snprintf(note, sizeof note, "另有 %zu 个单位年份未列出，见 wide.csv。", nr - rows);
        rep_note(r, note);
    }
    free(ic);
    free(qc);
    sb_release(&b);
}

void rep_coverage(rep *r, size_t sec_i)
{
    if (sec_i == (size_t)-1) {
        coverage_heat(r);
        return;
    }
    rep_section(r, sec_i);
    rep_para(r, "每行一个单位年份（一份报告），每列一项指标。此图回答“哪些报告说了哪些数字”，"
                "空缺是报告没有写，而不是数值为 0。");
    coverage_matrix(r);
}
