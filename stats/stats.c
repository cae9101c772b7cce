/* stats.c: fz_stats_run() and the tables that list the panel itself (long,
 * wide, conflicts). The panel is built in panel.c, normalized in
 * normalize.c, summarized in summarize.c and rolled up in rollup.c. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "statsint.h"
#include "threads.h"
#include "xalloc.h"

struct fz_stats {
    fz_table *t[FZ_STATS_NTABLES]; /* in the order of stats.h */
    fz_panel *panel;               /* read by the views among them (long) */
    int       later;               /* 1: the roll-ups are left for fz_stats_finish() */
};

static const char *const table_names[FZ_STATS_NTABLES] = {
    "long", "wide", "summary", "trends", "correlations", "composite", "rollups", "conflicts",
    "coverage"
};

/* The long table restates the panel cell by cell, so it is a view over the
 * panel (which fz_stats keeps) rather than a copy: for a large corpus a copy
 * would be the largest thing in memory. Texts point into the panel's units,
 * the fz_obs or static strings, so they stay valid until fz_stats_free(). */
enum {
    L_CODE, L_NAME, L_DEPT, L_LEVEL, L_PARENT, L_YEAR, L_IND, L_KIND, L_VALUE, L_HIGH,
    L_UNIT, L_QUAL, L_Z, L_MINMAX, L_RANK, L_PCT, L_NPEERS, L_BASE, L_INDEX, L_YOY,
    L_YOYPCT, L_POP, L_POPYEAR, L_PER10K, L_PTOTAL, L_SHARE, L_FLAGS, L_OBSROW, L_DOC,
    L_FILE, L_LINE, L_PAGE, L_PHRASE, L_SNIPPET, L_NCOLS
};

static const struct { const char *name; fz_coltype type; int dec; } long_cols[L_NCOLS] = {
    { "region_code", FZ_COL_TEXT, -1 }, { "region_name", FZ_COL_TEXT, -1 },
    { "department", FZ_COL_TEXT, -1 },  { "level", FZ_COL_TEXT, -1 },
    { "parent_code", FZ_COL_TEXT, -1 }, { "year", FZ_COL_NUM, 0 },
    { "indicator", FZ_COL_TEXT, -1 },   { "kind", FZ_COL_TEXT, -1 },
    { "value", FZ_COL_NUM, -1 },        { "value_high", FZ_COL_NUM, -1 },
    { "unit", FZ_COL_TEXT, -1 },        { "qualifier", FZ_COL_TEXT, -1 },
    { "zscore", FZ_COL_NUM, 4 },        { "minmax", FZ_COL_NUM, 2 },
    { "rank", FZ_COL_NUM, 0 },          { "percentile", FZ_COL_NUM, 2 },
    { "n_peers", FZ_COL_NUM, 0 },       { "base_year", FZ_COL_NUM, 0 },
    { "index", FZ_COL_NUM, 2 },         { "yoy_change", FZ_COL_NUM, -1 },
    { "yoy_pct", FZ_COL_NUM, 2 },       { "population", FZ_COL_NUM, -1 },
    { "population_year", FZ_COL_NUM, 0 }, { "per10k", FZ_COL_NUM, 4 },
    { "parent_total", FZ_COL_NUM, -1 }, { "parent_share", FZ_COL_NUM, 2 },
    { "flags", FZ_COL_TEXT, -1 },       { "obs_row", FZ_COL_NUM, 0 },
    { "doc", FZ_COL_NUM, 0 },           { "file", FZ_COL_TEXT, -1 },
    { "line", FZ_COL_NUM, 0 },          { "page", FZ_COL_NUM, 0 },
    { "phrase", FZ_COL_TEXT, -1 },      { "snippet", FZ_COL_TEXT, -1 },
};

/* flags as ';'-separated names, by FL_* bits */
static const char *const flag_texts[8] = {
    "",
    "later_report",
    "differing_primary",
    "later_report;differing_primary",
    "nearest_population",
    "later_report;nearest_population",
    "differing_primary;nearest_population",
    "later_report;differing_primary;nearest_population",
};

static double long_num(const void *ctx, size_t r, size_t col)
{
    const fz_panel *p = ctx;
    const fz_cell *c = &p->cells[r];
    switch (col) {
    case L_YEAR: return c->year;
    case L_VALUE: return c->value;
    case L_HIGH: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->qual == FZ_QUAL_RANGE ? row->value_high : NAN;
    }
    case L_Z: return fz_cell_z(p, c);
    case L_MINMAX: return fz_cell_minmax(p, c);
    case L_RANK: return c->rank ? c->rank : NAN;
    case L_PCT: return fz_cell_pct(p, c);
    case L_NPEERS: return fz_cell_npeers(p, c);
    case L_BASE: {
        int b = fz_cell_base_year(p, c);
        return b ? b : NAN;
    }
    case L_INDEX: return fz_cell_index(p, c);
    case L_YOY: return fz_cell_yoy(p, c, fz_cell_prev(p, c));
    case L_YOYPCT: return fz_cell_yoy_pct(p, c, fz_cell_prev(p, c));
    case L_POP: return fz_cell_pop(p, c);
    case L_POPYEAR: {
        int y = fz_cell_pop_year(p, c);
        return y ? y : NAN;
    }
    case L_PER10K: return fz_cell_pop_year(p, c) ? 10000.0 * c->value / fz_cell_pop(p, c) : NAN;
    case L_PTOTAL: return fz_cell_ptotal(p, c);
    case L_SHARE: {
        double t = fz_cell_ptotal(p, c);
        return t > 0 ? 100.0 * c->value / t : NAN;
    }
    case L_OBSROW: return (double)c->row + 1;
    case L_DOC: return (double)fz_obs_row_at(p->obs, c->row)->doc + 1;
    case L_LINE: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->line > 0 ? (double)row->line : NAN;
    }
    case L_PAGE: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->page > 0 ? (double)row->page : NAN;
    }
    default: return NAN;
    }
}

static const char *long_text(const void *ctx, size_t r, size_t col, fz_buf *scratch)
{
    const fz_panel *p = ctx;
    const fz_cell *c = &p->cells[r];
    const fz_unit *u = &p->units[c->unit];
    (void)scratch;
    switch (col) {
    case L_CODE: return u->code;
    case L_NAME: return u->name;
    case L_DEPT: return u->dept;
    case L_LEVEL: return fz_level_name(u->level);
    case L_PARENT: return u->level == FZ_LEVEL_DEPARTMENT ? u->sig : u->parent;
    case L_IND: return p->inds[c->k];
    case L_KIND: return c->rate ? "rate" : "count";
    case L_UNIT: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->unit ? row->unit : "";
    }
    case L_QUAL: return fz_qual_name(c->qual);
    case L_FLAGS: return flag_texts[c->flags & 7];
    case L_FILE: {
        const fz_obs_doc *doc = fz_obs_doc_at(p->obs, fz_obs_row_at(p->obs, c->row)->doc);
        return doc->file ? doc->file : "";
    }
    case L_PHRASE: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->phrase ? row->phrase : "";
    }
    case L_SNIPPET: {
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        return row->snippet ? row->snippet : "";
    }
    default: return NULL;
    }
}

/* A whole row of the long table: what long_num() and long_text() give for
 * each column, the cell, its unit and obs row looked up once. */
static void long_row(const void *ctx, size_t r, fz_table_value *out, fz_buf *scratch)
{
    const fz_panel *p = ctx;
    const fz_cell *c = &p->cells[r];
    const fz_unit *u = &p->units[c->unit];
    const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
    const fz_obs_doc *doc = fz_obs_doc_at(p->obs, row->doc);
    (void)scratch;
    /* The rows are read in cell order, the obs rows and their texts in
     * another: the obs row of a cell some rows ahead is fetched now, and
     * the texts of one nearer (its obs row fetched before). */
    if (r + 8 < p->ncells)
        __builtin_prefetch(fz_obs_row_at(p->obs, p->cells[r + 8].row));
    if (r + 4 < p->ncells) {
        const fz_obs_row *ahead = fz_obs_row_at(p->obs, p->cells[r + 4].row);
        __builtin_prefetch(ahead->phrase);
        __builtin_prefetch(ahead->snippet);
    }
    out[L_CODE].text = u->code;
    out[L_NAME].text = u->name;
    out[L_DEPT].text = u->dept;
    out[L_LEVEL].text = fz_level_name(u->level);
    out[L_PARENT].text = u->level == FZ_LEVEL_DEPARTMENT ? u->sig : u->parent;
    out[L_YEAR].num = c->year;
    out[L_IND].text = p->inds[c->k];
    out[L_KIND].text = c->rate ? "rate" : "count";
    out[L_VALUE].num = c->value;
    out[L_HIGH].num = row->qual == FZ_QUAL_RANGE ? row->value_high : NAN;
    out[L_UNIT].text = row->unit ? row->unit : "";
    out[L_QUAL].text = fz_qual_name(c->qual);
    out[L_Z].num = fz_cell_z(p, c);
    out[L_MINMAX].num = fz_cell_minmax(p, c);
    out[L_RANK].num = c->rank ? c->rank : NAN;
    out[L_PCT].num = fz_cell_pct(p, c);
    out[L_NPEERS].num = fz_cell_npeers(p, c);
    int b = fz_cell_base_year(p, c);
    out[L_BASE].num = b ? b : NAN;
    out[L_INDEX].num = fz_cell_index(p, c);
    uint32_t prev = fz_cell_prev(p, c);
    out[L_YOY].num = fz_cell_yoy(p, c, prev);
    out[L_YOYPCT].num = fz_cell_yoy_pct(p, c, prev);
    int py = fz_cell_pop_year(p, c);
    double pop = fz_cell_pop(p, c);
    out[L_POP].num = pop;
    out[L_POPYEAR].num = py ? py : NAN;
    out[L_PER10K].num = py ? 10000.0 * c->value / pop : NAN;
    double t = fz_cell_ptotal(p, c);
    out[L_PTOTAL].num = t;
    out[L_SHARE].num = t > 0 ? 100.0 * c->value / t : NAN;
    out[L_FLAGS].text = flag_texts[c->flags & 7];
    out[L_OBSROW].num = (double)c->row + 1;
    out[L_DOC].num = (double)row->doc + 1;
    out[L_FILE].text = doc->file ? doc->file : "";
    out[L_LINE].num = row->line > 0 ? (double)row->line : NAN;
    out[L_PAGE].num = row->page > 0 ? (double)row->page : NAN;
    out[L_PHRASE].text = row->phrase ? row->phrase : "";
    out[L_SNIPPET].text = row->snippet ? row->snippet : "";
}

static fz_table *long_table(const fz_panel *p)
{
    const fz_table_view v = { p, long_num, long_text, NULL };
    fz_table *t = fz_table_new_view("long", p->ncells, &v);
    fz_table_set_row_fn(t, long_row);
    for (size_t i = 0; i < L_NCOLS; i++)
        fz_table_add_col(t, long_cols[i].name, long_cols[i].type, long_cols[i].dec);
    return t;
}

/* The wide table is a view too: row i is unit-year i, and its cells are the
 * panel cells from first[i] to first[i + 1] (sorted by indicator). */
typedef struct wide_view {
    const fz_panel *p;
    uint32_t       *first; /* nuy + 1 entries */
} wide_view;

static double wide_num(const void *ctx, size_t row, size_t col)
{
    const wide_view *w = ctx;
    const fz_uyear *uy = &w->p->uy[row];
    if (col == 4)
        return uy->year;
    if (col == 5)
        return (double)uy->doc + 1;
    const fz_cell *c = NULL;
    uint32_t k = (uint32_t)(col - 6) / 2;
    for (uint32_t i = w->first[row]; i < w->first[row + 1] && !c; i++)
        if (w->p->cells[i].k == k)
            c = &w->p->cells[i];
    return c ? c->value : NAN;
}

static const char *wide_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const wide_view *w = ctx;
    const fz_unit *u = &w->p->units[w->p->uy[row].unit];
    (void)scratch;
    switch (col) {
    case 0: return u->code;
    case 1: return u->name;
    case 2: return u->dept;
    case 3: return fz_level_name(u->level);
    default: break;
    }
    uint32_t k = (uint32_t)(col - 6) / 2;
    for (uint32_t i = w->first[row]; i < w->first[row + 1]; i++)
        if (w->p->cells[i].k == k)
            return fz_qual_name(w->p->cells[i].qual);
    return NULL;
}

/* A whole row of the wide table: its cells gone through once, in order
 * (the first cell of an indicator gives its value and qualifier, as
 * wide_num() and wide_text() find it) instead of searched for each
 * column. */
static void wide_row(const void *ctx, size_t row, fz_table_value *out, fz_buf *scratch)
{
    const wide_view *w = ctx;
    const fz_uyear *uy = &w->p->uy[row];
    const fz_unit *u = &w->p->units[uy->unit];
    (void)scratch;
    out[0].text = u->code;
    out[1].text = u->name;
    out[2].text = u->dept;
    out[3].text = fz_level_name(u->level);
    out[4].num = uy->year;
    out[5].num = (double)uy->doc + 1;
    for (size_t k = 0; k < w->p->ninds; k++) {
        out[6 + 2 * k].num = NAN;
        out[7 + 2 * k].text = NULL;
    }
    for (uint32_t i = w->first[row], e = w->first[row + 1]; i < e; i++) {
        const fz_cell *c = &w->p->cells[i];
        fz_table_value *v = &out[6 + 2 * (size_t)c->k];
        if (!v[1].text) { /* the indicator's first cell (a qualifier is never NULL) */
            v[0].num = c->value;
            v[1].text = fz_qual_name(c->qual);
        }
    }
}

static void wide_release(const void *ctx)
{
    wide_view *w = (wide_view *)ctx;
    free(w->first);
    free(w);
}

static fz_table *wide_table(const fz_panel *p)
{
    /* Every unit-year is a row, even one whose report states no indicator:
     * its cells are NA, not 0. Unit-years are in unit, year order already. */
    wide_view *w = fz_xmalloc(sizeof *w);
    w->p = p;
    w->first = fz_xmalloc((p->nuy + 1) * sizeof *w->first);
    size_t ci = 0;
    for (size_t i = 0; i < p->nuy; i++) {
        const fz_uyear *uy = &p->uy[i];
        w->first[i] = (uint32_t)ci;
        while (ci < p->ncells && p->cells[ci].unit == uy->unit && p->cells[ci].year == uy->year)
            ci++;
    }
    w->first[p->nuy] = (uint32_t)ci;
    const fz_table_view v = { w, wide_num, wide_text, wide_release };
    fz_table *t = fz_table_new_view("wide", p->nuy, &v);
    fz_table_set_row_fn(t, wide_row);
    const char *tc[] = { "region_code", "region_name", "department", "level" };
    for (size_t i = 0; i < 4; i++)
        fz_table_add_col(t, tc[i], FZ_COL_TEXT, -1);
    fz_table_add_col(t, "year", FZ_COL_NUM, 0);
    fz_table_add_col(t, "doc", FZ_COL_NUM, 0);
    for (size_t k = 0; k < p->ninds; k++) {
        char *q = fz_xasprintf("%s_qualifier", p->inds[k]);
        fz_table_add_col(t, p->inds[k], FZ_COL_NUM, -1);
        fz_table_add_col(t, q, FZ_COL_TEXT, -1);
        free(q);
    }
    return t;
}

static int cmp_conf(const void *a, const void *b, void *ctx)
{
    const fz_conflict *sort_conf = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const fz_conflict *x = &sort_conf[i], *y = &sort_conf[j];
    long dx = x->doc_other >= 0 ? x->doc_other : x->doc_kept;
    long dy = y->doc_other >= 0 ? y->doc_other : y->doc_kept;
    if (dx != dy)
        return dx < dy ? -1 : 1;
    if (x->row_other != y->row_other)
        return x->row_other < y->row_other ? -1 : 1;
    return (i > j) - (i < j);
}

static fz_table *conflicts_table(const fz_panel *p)
{
    fz_table *t = fz_table_new("conflicts");
    const char *tc[] = { "type", "region_code", "region_name" };
    for (size_t i = 0; i < 3; i++)
        fz_table_add_col(t, tc[i], FZ_COL_TEXT, -1);
    fz_table_add_col(t, "year", FZ_COL_NUM, 0);
    fz_table_add_col(t, "indicator", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "doc_kept", FZ_COL_NUM, 0);
    fz_table_add_col(t, "doc_other", FZ_COL_NUM, 0);
    const char *tf[] = { "file_kept", "file_other", "published_kept", "published_other" };
    for (size_t i = 0; i < 4; i++)
        fz_table_add_col(t, tf[i], FZ_COL_TEXT, -1);
    fz_table_add_col(t, "value_kept", FZ_COL_NUM, -1);
    fz_table_add_col(t, "value_other", FZ_COL_NUM, -1);
    fz_table_add_col(t, "obs_row_kept", FZ_COL_NUM, 0);
    fz_table_add_col(t, "obs_row_other", FZ_COL_NUM, 0);
    fz_table_add_col(t, "detail", FZ_COL_TEXT, -1);
    size_t *ord = fz_xmalloc((p->nconf ? p->nconf : 1) * sizeof *ord);
    for (size_t i = 0; i < p->nconf; i++)
        ord[i] = i;
    qsort_r(ord, p->nconf, sizeof *ord, cmp_conf, p->conf);
    for (size_t i = 0; i < p->nconf; i++) {
        const fz_conflict *c = &p->conf[ord[i]];
        const fz_obs_doc *ud = fz_obs_doc_at(p->obs, c->unit_doc);
        size_t r = fz_table_add_row(t);
        fz_table_set_text(t, r, 0, c->type);
        fz_table_set_text(t, r, 1, ud->region_code ? ud->region_code : "");
        fz_table_set_text(t, r, 2, ud->region_name ? ud->region_name : "");
        fz_table_set_num(t, r, 3, c->year ? c->year : NAN);
        fz_table_set_text(t, r, 4, c->ind);
        const long docs[2] = { c->doc_kept, c->doc_other };
        for (int k = 0; k < 2; k++) {
            if (docs[k] < 0)
                continue;
            const fz_obs_doc *d = fz_obs_doc_at(p->obs, (size_t)docs[k]);
            fz_table_set_num(t, r, 5 + (size_t)k, (double)docs[k] + 1);
            fz_table_set_text(t, r, 7 + (size_t)k, d->file ? d->file : "");
            fz_table_set_text(t, r, 9 + (size_t)k, d->published ? d->published : "");
        }
        fz_table_set_num(t, r, 11, c->value_kept);
        fz_table_set_num(t, r, 12, c->value_other);
        fz_table_set_num(t, r, 13, c->row_kept >= 0 ? (double)c->row_kept + 1 : NAN);
        fz_table_set_num(t, r, 14, c->row_other >= 0 ? (double)c->row_other + 1 : NAN);
        fz_table_set_text(t, r, 15, c->detail ? c->detail : "");
    }
    free(ord);
    return t;
}

/* The tables only read the finished panel, so they can be built on several
 * threads; each lands in its own slot (the
 * correlations, a part per level, in the fz_corr), so the result does not
 * depend on the number of threads. Costliest first. */
typedef struct build_task {
    size_t slot;                           /* table slot; or a part of the correlations */
    fz_table *(*build)(const fz_panel *p); /* NULL: correlations part 'part', or the
                                              composite (slot 5) */
    size_t part;
} build_task;

static const build_task table_tasks[] = {
    { 2, fz_summary_table, 0 }, { 3, fz_trends_table, 0 }, { 1, wide_table, 0 },
    { 8, fz_coverage_table, 0 }, { 7, conflicts_table, 0 }, { 0, long_table, 0 },
};
enum { NTABLE_TASKS = sizeof table_tasks / sizeof *table_tasks };

typedef struct build_ctx {
    const fz_panel *p;
    fz_stats       *s;
    fz_corr        *corr;
    fz_weights     *weights; /* for the composite */
    build_task      task[2 + FZ_STATS_NTABLES + 8];
    size_t          ntasks;
    atomic_size_t   next;
} build_ctx;

static void *build_some(void *arg)
{
    build_ctx *c = arg;
    for (size_t i; (i = atomic_fetch_add(&c->next, 1)) < c->ntasks;) {
        const build_task *t = &c->task[i];
        if (t->build)
            c->s->t[t->slot] = t->build(c->p);
        else if (t->slot == 5)
            c->s->t[5] = fz_composite_build(c->p, c->weights);
        else
            fz_corr_part(c->corr, t->part);
    }
    return NULL;
}

static void build_tables(const fz_panel *p, fz_stats *s, int jobs, int rollups,
                         fz_weights *weights)
{
    build_ctx c = { .p = p, .s = s, .corr = fz_corr_new(p), .weights = weights };
    if (rollups)
        c.task[c.ntasks++] = (build_task){ 6, fz_rollups_table, 0 };
    /* the correlations' parts, largest first (a few levels: insertion) */
    size_t np = fz_corr_nparts(c.corr), first = c.ntasks;
    for (size_t i = 0; i < np && i < 8; i++) {
        size_t j = c.ntasks++;
        for (; j > first && fz_corr_part_size(c.corr, c.task[j - 1].part) <
                                fz_corr_part_size(c.corr, i); j--)
            c.task[j] = c.task[j - 1];
        c.task[j] = (build_task){ 4, NULL, i };
    }
    c.task[c.ntasks++] = (build_task){ 5, NULL, 0 };
    for (size_t i = 0; i < NTABLE_TASKS; i++)
        c.task[c.ntasks++] = table_tasks[i];
    atomic_init(&c.next, 0);
    int n = jobs < 1 ? 1 : (size_t)jobs > c.ntasks ? (int)c.ntasks : jobs;
    fz_threads_run(build_some, &c, 0, n);
    s->t[4] = fz_corr_table(c.corr);
}

fz_stats *fz_stats_run(const fz_obs *obs, const fz_stats_opts *opts, fz_diag *diag)
{
    static int gsl_quiet;
    if (!gsl_quiet) {
        gsl_set_error_handler_off(); /* GSL reports by return value, never aborts */
        gsl_quiet = 1;
    }
    fz_stats_opts none = { 0 };
    fz_panel p = { .obs = obs, .opts = opts ? opts : &none, .diag = diag };
    fz_panel_build(&p);
    if (fz_normalize(&p) < 0) {
        fz_panel_release(&p);
        return NULL;
    }
    /* the composite is a view over the panel, so it is made from the panel
     * fz_stats keeps; its weights are read here (their diagnostics come
     * first), the table is built with the others */
    fz_panel *kept = fz_xmalloc(sizeof *kept);
    *kept = p;
    int err = 0;
    fz_weights *weights = fz_composite_weights(kept, diag, &err);
    if (err) {
        fz_panel_release(kept);
        free(kept);
        return NULL;
    }
    size_t excluded = 0;
    for (size_t i = 0; i < kept->nconf; i++)
        excluded += strcmp(kept->conf[i].type, "no_region") == 0 ||
                    strcmp(kept->conf[i].type, "no_year") == 0;
    if (excluded)
        fz_diag_add(diag, FZ_DIAG_NOTE, kept->opts->source, 0,
                    "%zu of %zu documents left out of the panel: no region code or no year "
                    "(listed in conflicts)", excluded, fz_obs_ndocs(obs));
    fz_stats *s = fz_xcalloc(1, sizeof *s);
    s->panel = kept;
    s->later = kept->opts->rollups_later && kept->ncells <= FZ_ROLLUPS_LATER_CELLS;
    build_tables(s->panel, s, kept->opts->jobs, !s->later, weights);
    free(s->panel->by_series); /* only the builders read it; by_group the summary too */
    s->panel->by_series = NULL;
    s->panel->opts = NULL; /* the caller's, and no longer needed */
    s->panel->diag = NULL;
    return s;
}

void fz_stats_finish(fz_stats *s)
{
    if (!s->later)
        return;
    s->t[6] = fz_rollups_table(s->panel);
    s->later = 0;
}

void fz_stats_free(fz_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < FZ_STATS_NTABLES; i++)
        fz_table_free(s->t[i]);
    if (s->panel)
        fz_panel_release(s->panel);
    free(s->panel);
    free(s);
}

const fz_table *fz_stats_table(const fz_stats *s, const char *name)
{
    for (size_t i = 0; i < FZ_STATS_NTABLES; i++)
        if (strcmp(table_names[i], name) == 0)
            return s->t[i];
    return NULL;
}

void fz_stats_release_table(fz_stats *s, const char *name)
{
    for (size_t i = 0; i < FZ_STATS_NTABLES; i++)
        if (strcmp(table_names[i], name) == 0) {
            fz_table_free(s->t[i]);
            s->t[i] = NULL;
        }
}

const fz_table *const *fz_stats_tables(const fz_stats *s, size_t *n)
{
    if (n)
        *n = FZ_STATS_NTABLES;
    return (const fz_table *const *)s->t;
}
