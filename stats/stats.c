/* stats.c: fz_stats_run() and the tables that list the panel itself (long,
 * wide, conflicts). The panel is built in panel.c, normalized in
 * normalize.c, summarized in summarize.c and rolled up in rollup.c. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "statsint.h"
#include "threads.h"
#include "xalloc.h"

struct fz_stats {
    fz_table *t[FZ_STATS_NTABLES]; /* in the order of stats.h */
};

static const char *const table_names[FZ_STATS_NTABLES] = {
    "long", "wide", "summary", "trends", "correlations", "composite", "rollups", "conflicts",
    "coverage"
};

static void flags_text(unsigned f, fz_buf *b)
{
    fz_buf_reset(b);
    if (f & FL_LATER_REPORT)
        fz_buf_adds(b, "later_report");
    if (f & FL_DIFFERING)
        fz_buf_adds(b, b->len ? ";differing_primary" : "differing_primary");
    if (f & FL_NEAREST_POP)
        fz_buf_adds(b, b->len ? ";nearest_population" : "nearest_population");
}

static fz_table *long_table(const fz_panel *p)
{
    fz_table *t = fz_table_new("long");
    static const struct { const char *name; fz_coltype type; int dec; } cols[] = {
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
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        fz_table_add_col(t, cols[i].name, cols[i].type, cols[i].dec);
    fz_buf fl;
    fz_buf_init(&fl);
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_cell *c = &p->cells[i];
        const fz_unit *u = &p->units[c->unit];
        const fz_obs_row *row = fz_obs_row_at(p->obs, c->row);
        const fz_obs_doc *doc = fz_obs_doc_at(p->obs, c->doc);
        size_t r = fz_table_add_row(t);
        size_t k = 0;
        fz_table_set_text(t, r, k++, u->code);
        fz_table_set_text(t, r, k++, u->name);
        fz_table_set_text(t, r, k++, u->dept);
        fz_table_set_text(t, r, k++, fz_level_name(u->level));
        fz_table_set_text(t, r, k++, u->level == FZ_LEVEL_DEPARTMENT ? u->sig : u->parent);
        fz_table_set_num(t, r, k++, c->year);
        fz_table_set_text(t, r, k++, c->ind);
        fz_table_set_text(t, r, k++, c->rate ? "rate" : "count");
        fz_table_set_num(t, r, k++, c->value);
        fz_table_set_num(t, r, k++, c->value_high);
        fz_table_set_text(t, r, k++, c->measure);
        fz_table_set_text(t, r, k++, fz_qual_name(c->qual));
        fz_table_set_num(t, r, k++, c->z);
        fz_table_set_num(t, r, k++, c->minmax);
        fz_table_set_num(t, r, k++, c->rank);
        fz_table_set_num(t, r, k++, c->pct);
        fz_table_set_num(t, r, k++, c->npeers);
        fz_table_set_num(t, r, k++, c->base_year ? c->base_year : NAN);
        fz_table_set_num(t, r, k++, c->index);
        fz_table_set_num(t, r, k++, c->yoy);
        fz_table_set_num(t, r, k++, c->yoy_pct);
        fz_table_set_num(t, r, k++, c->pop);
        fz_table_set_num(t, r, k++, c->pop_year ? c->pop_year : NAN);
        fz_table_set_num(t, r, k++, c->per10k);
        fz_table_set_num(t, r, k++, c->ptotal);
        fz_table_set_num(t, r, k++, c->share);
        flags_text(c->flags, &fl);
        fz_table_set_text(t, r, k++, fl.data);
        fz_table_set_num(t, r, k++, (double)c->row + 1);
        fz_table_set_num(t, r, k++, (double)c->doc + 1);
        fz_table_set_text(t, r, k++, doc->file ? doc->file : "");
        fz_table_set_num(t, r, k++, row->line > 0 ? (double)row->line : NAN);
        fz_table_set_num(t, r, k++, row->page > 0 ? (double)row->page : NAN);
        /* borrowed from the fz_obs, which outlives the fz_stats */
        fz_table_set_text_ref(t, r, k++, row->phrase ? row->phrase : "");
        fz_table_set_text_ref(t, r, k++, row->snippet ? row->snippet : "");
    }
    fz_buf_release(&fl);
    return t;
}

static fz_table *wide_table(const fz_panel *p)
{
    fz_table *t = fz_table_new("wide");
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
    /* Every unit-year is a row, even one whose report states no indicator:
     * its cells are NA, not 0. Unit-years are in unit, year order already. */
    size_t ci = 0;
    for (size_t i = 0; i < p->nuy; i++) {
        const fz_uyear *uy = &p->uy[i];
        const fz_unit *u = &p->units[uy->unit];
        size_t r = fz_table_add_row(t);
        fz_table_set_text(t, r, 0, u->code);
        fz_table_set_text(t, r, 1, u->name);
        fz_table_set_text(t, r, 2, u->dept);
        fz_table_set_text(t, r, 3, fz_level_name(u->level));
        fz_table_set_num(t, r, 4, uy->year);
        fz_table_set_num(t, r, 5, (double)uy->doc + 1);
        while (ci < p->ncells && p->cells[ci].unit == uy->unit && p->cells[ci].year == uy->year) {
            const fz_cell *c = &p->cells[ci++];
            size_t k = (size_t)fz_panel_ind(p, c->ind);
            fz_table_set_num(t, r, 6 + 2 * k, c->value);
            fz_table_set_text(t, r, 7 + 2 * k, fz_qual_name(c->qual));
        }
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

/* The tables other than the composite only read the finished panel, so
 * they can be built on several threads; each lands in its own slot, so the
 * result does not depend on the number of threads. Costliest first. */
static const struct {
    size_t slot;
    fz_table *(*build)(const fz_panel *p);
} builders[] = {
    { 6, fz_rollups_table }, { 4, fz_correlations_table }, { 0, long_table },
    { 3, fz_trends_table },  { 2, fz_summary_table },      { 1, wide_table },
    { 8, fz_coverage_table }, { 7, conflicts_table },
};
enum { NBUILDERS = sizeof builders / sizeof *builders };

typedef struct build_ctx {
    const fz_panel *p;
    fz_stats       *s;
    atomic_size_t   next;
} build_ctx;

static void *build_some(void *arg)
{
    build_ctx *c = arg;
    for (size_t i; (i = atomic_fetch_add(&c->next, 1)) < NBUILDERS;)
        c->s->t[builders[i].slot] = builders[i].build(c->p);
    return NULL;
}

static void build_tables(const fz_panel *p, fz_stats *s, int jobs)
{
    build_ctx c = { .p = p, .s = s };
    atomic_init(&c.next, 0);
    fz_threads_run(build_some, &c, 0, jobs < 1 ? 1 : jobs > NBUILDERS ? NBUILDERS : jobs);
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
    int err = 0;
    fz_table *composite = fz_composite_table(&p, diag, &err);
    if (err) {
        fz_table_free(composite);
        fz_panel_release(&p);
        return NULL;
    }
    size_t excluded = 0;
    for (size_t i = 0; i < p.nconf; i++)
        excluded += strcmp(p.conf[i].type, "no_region") == 0 ||
                    strcmp(p.conf[i].type, "no_year") == 0;
    if (excluded)
        fz_diag_add(diag, FZ_DIAG_NOTE, p.opts->source, 0,
                    "%zu of %zu documents left out of the panel: no region code or no year "
                    "(listed in conflicts)", excluded, fz_obs_ndocs(obs));
    fz_stats *s = fz_xcalloc(1, sizeof *s);
    s->t[5] = composite;
    build_tables(&p, s, p.opts->jobs);
    fz_panel_release(&p);
    return s;
}

void fz_stats_free(fz_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < FZ_STATS_NTABLES; i++)
        fz_table_free(s->t[i]);
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
