/* statsint.h: the panel shared by the files of stats/ (private; the public
 * interface is stats.h). panel.c builds it from the fz_obs; normalize.c fills
 * the per-cell normalizations; summarize.c and rollup.c read it; stats.c
 * turns it into tables. */
#ifndef FZ_STATSINT_H
#define FZ_STATSINT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "obs.h"
#include "stats.h"
#include "table.h"

#define FZ_CODE_MAX 16 /* significant code digits + NUL (9 are used) */

enum { FL_LATER_REPORT = 1, FL_DIFFERING = 2, FL_NEAREST_POP = 4 };

typedef struct fz_unit {
    const char *code;      /* region code as the document gives it */
    const char *dept;      /* department for a department report, else "" */
    const char *name;      /* region name */
    const char *path[3];   /* province, prefecture, county names of the document */
    fz_level    level;     /* level used for comparisons (department kept) */
    int         sig_len;   /* significant digits: 2, 4, 6 or 9 */
    char        sig[FZ_CODE_MAX];    /* significant code */
    char        parent[FZ_CODE_MAX]; /* parent's significant code, "" for none */
} fz_unit;

/* One cell per unit, year and indicator; a large corpus has millions, so the
 * fields are small and what can be derived is not stored: value_high and the
 * unit as written are in the obs row, the indicator id is inds[k], and the
 * normalizations are computed when read (fz_cell_z() and kin below) from the
 * cell's peer group, the cells its series refers to and the parent's total. */
#define FZ_NONE UINT32_MAX /* no group, cell or total */

/* 44 bytes, packed to 4-byte alignment (a double's 8 would pad it to 48);
 * x86 reads the value at any alignment. The series' cell of the year
 * before is not stored: fz_cell_prev() finds it next to the cell. */
#pragma pack(push, 4)
typedef struct fz_cell {
    double   value;         /* the primary figure */
    uint32_t unit;          /* index into units */
    uint32_t row;           /* obs row index (0-based); its doc is the cell's document */
    int      year;
    uint32_t grp;           /* peer group (indicator, year, level) in groups; FZ_NONE */
    int      rank;          /* 1 = largest value in the group; 0: none */
    uint32_t mid2;          /* 2 * (peers below) + (peers equal, itself included) - 1 */
    uint32_t base;          /* the series' cell of its base year; FZ_NONE */
    uint32_t ptot;          /* the parent's total in ptotals; FZ_NONE */
    unsigned k : 24;        /* the indicator: index in the panel's inds */
    unsigned rate : 1;      /* 1: a rate (never summed), 0: a count */
    unsigned flags : 3;     /* FL_* */
    unsigned qual : 4;      /* fz_qual */
} fz_cell;
#pragma pack(pop)

#define FZ_MAX_INDS ((size_t)1 << 24) /* distinct indicators a panel can number */

/* A cell's population (from the nearest year of the population table). */
typedef struct fz_pop {
    double pop;
    int    year;            /* 0: no population */
} fz_pop;

/* The values of one peer group (indicator, year, level). */
typedef struct fz_group {
    double   mean, sd;      /* sd NAN for one value */
    double   min, max;
    uint32_t n;
} fz_group;

typedef struct fz_uyear {
    size_t unit;
    int    year;
    size_t doc;             /* the kept document */
    int    later_report;    /* 1 if another report for this unit-year was dropped */
} fz_uyear;

typedef struct fz_conflict {
    const char *type;
    size_t      unit_doc;   /* doc giving region code/name */
    int         year;       /* 0: none */
    const char *ind;        /* "" for document-level problems */
    long        doc_kept, doc_other;          /* 0-based, -1 none */
    double      value_kept, value_other;      /* NAN none */
    long        row_kept, row_other;          /* 0-based, -1 none */
    char       *detail;     /* owned */
} fz_conflict;

typedef struct fz_panel {
    const fz_obs        *obs;
    const fz_stats_opts *opts;
    fz_diag             *diag;
    fz_unit   *units;  size_t nunits;
    fz_uyear  *uy;     size_t nuy;
    fz_cell   *cells;  size_t ncells;   /* sorted by unit, year, indicator */
    const char **inds; size_t ninds;    /* distinct indicators in the panel, sorted */
    int         *ind_rate;              /* per inds[i] */
    fz_group    *groups;  size_t ngroups;  /* peer groups (normalize.c) */
    double      *ptotals; size_t nptotals; /* parents' totals (normalize.c) */
    fz_pop      *pop;                   /* per cell, NULL without a population table */
    int          base_year;             /* the index base year asked for; 0: each series' first */
    /* cells in the orders of fz_panel_cmp_group and fz_panel_cmp_series, kept
     * by normalize.c for the summaries; by_series is freed once the tables
     * are built, by_group is kept for the summary table (a view) */
    uint32_t    *by_group, *by_series;
    fz_conflict *conf; size_t nconf, capconf;
} fz_panel;

/* panel.c */
void fz_panel_build(fz_panel *p);
void fz_panel_release(fz_panel *p);
int  fz_panel_ind(const fz_panel *p, const char *id); /* index in inds or -1 */
void fz_code_sig(const char *code, fz_level level, char *sig, int *sig_len);
void fz_add_obs_row(fz_buf *b, size_t row);           /* appends "n" or ";n" (1-based) */

/* normalize.c */
int  fz_normalize(fz_panel *p);  /* 0 or FZ_EINPUT (unusable population table) */

/* summarize.c */
fz_table *fz_summary_table(const fz_panel *p);
fz_table *fz_trends_table(const fz_panel *p);
fz_table *fz_correlations_table(const fz_panel *p);
fz_table *fz_coverage_table(const fz_panel *p);
/* The composite in two steps: the weights read (their problems go to d;
 * NULL and *err < 0 when the table is unusable), then the table built from
 * them (frees ws), which may run on another thread. */
typedef struct fz_weights fz_weights;
fz_weights *fz_composite_weights(const fz_panel *p, fz_diag *d, int *err);
fz_table   *fz_composite_build(const fz_panel *p, fz_weights *ws);

/* rank.c */
#define FZ_SPEARMAN_MAX ((size_t)1 << 20) /* larger n: use gsl_stats_spearman */
/* Sorts rows[0..n) by their (finite) values in a column of a matrix (col: its
 * first cell; stride: the row length), ascending. */
void   fz_rows_by_value(uint32_t *rows, size_t n, const double *col, size_t stride);
/* Spearman's rho (ties get mean ranks, as gsl_stats_spearman) of columns x
 * and y of a matrix (xcol, ycol: their first cells; stride: the row length)
 * over the rows where both are finite. ox and oy list the rows where x and
 * y are finite, sorted by fz_rows_by_value; rank is scratch with a slot per
 * row. NAN if there are no such rows, more than FZ_SPEARMAN_MAX, or either
 * column is constant over them. */
double fz_spearman_sorted(const uint32_t *ox, size_t nx, const double *xcol,
                          const uint32_t *oy, size_t ny, const double *ycol, size_t stride,
                          uint64_t *rank);

/* fz_spearman_sorted() with presence as bits (bit r of bx: row r has an x)
 * and the values of ox and oy beside them in their order (svx, svy). */
double fz_spearman_bits(const uint32_t *ox, const double *svx, size_t nx, const uint64_t *bx,
                        const uint32_t *oy, const double *svy, size_t ny, const uint64_t *by,
                        uint64_t *rank);

/* summarize.c: the correlations level by level: fz_corr_new(), then
 * fz_corr_part() for each part (parts may run on threads of their own),
 * then fz_corr_table(), which frees the fz_corr. fz_correlations_table()
 * does all three. */
typedef struct fz_corr fz_corr;
fz_corr  *fz_corr_new(const fz_panel *p);
size_t    fz_corr_nparts(const fz_corr *c);
size_t    fz_corr_part_size(const fz_corr *c, size_t i); /* unit-years of part i */
void      fz_corr_part(fz_corr *c, size_t i);
fz_table *fz_corr_table(fz_corr *c);
/* gsl_stats_variance(v, 1, n) > 0 for n >= 1 finite values, mostly without
 * computing it. */
int       fz_varies(const double *v, size_t n);

/* rollup.c */
fz_table *fz_rollups_table(const fz_panel *p);

/* strcmp for indicator ids: the fz_obs stores each distinct id once, so
 * equal ids are usually the same pointer. */
static inline int fz_ind_cmp(const char *a, const char *b)
{
    return a == b ? 0 : strcmp(a, b);
}

/* The normalizations of cell i, as normalize.c defines them; NAN when not
 * defined. */
static inline double fz_cell_z(const fz_panel *p, const fz_cell *c)
{
    if (c->grp == FZ_NONE)
        return NAN;
    const fz_group *g = &p->groups[c->grp];
    return (isfinite(g->sd) && g->sd > 0) ? (c->value - g->mean) / g->sd : NAN;
}

static inline double fz_cell_minmax(const fz_panel *p, const fz_cell *c)
{
    if (c->grp == FZ_NONE)
        return NAN;
    const fz_group *g = &p->groups[c->grp];
    return g->max > g->min ? 100.0 * (c->value - g->min) / (g->max - g->min) : NAN;
}

/* 100 * (below + (equal - 1) / 2) / (n - 1); mid2 / 2 is that sum, exactly */
static inline double fz_cell_pct(const fz_panel *p, const fz_cell *c)
{
    if (c->grp == FZ_NONE || p->groups[c->grp].n < 2)
        return NAN;
    return 100.0 * ((double)c->mid2 / 2) / (double)(p->groups[c->grp].n - 1);
}

static inline int fz_cell_npeers(const fz_panel *p, const fz_cell *c)
{
    return c->grp == FZ_NONE ? 0 : (int)p->groups[c->grp].n;
}

static inline double fz_cell_index(const fz_panel *p, const fz_cell *c)
{
    if (c->base == FZ_NONE || p->cells[c->base].value == 0)
        return NAN;
    return 100.0 * c->value / p->cells[c->base].value;
}

/* the series' base year (0: none): the one asked for, or its first year */
static inline int fz_cell_base_year(const fz_panel *p, const fz_cell *c)
{
    if (p->base_year) /* set by normalize.c */
        return p->base_year;
    return c->base == FZ_NONE ? 0 : p->cells[c->base].year;
}

static inline int fz_cell_pop_year(const fz_panel *p, const fz_cell *c)
{
    return p->pop ? p->pop[c - p->cells].year : 0;
}

/* The series' cell of the year before c's, FZ_NONE if it has none. The
 * cells are sorted by unit, year and indicator with one cell per unit, year
 * and indicator: it is in the unit-year just before c's, if that is of the
 * year before. */
static inline uint32_t fz_cell_prev(const fz_panel *p, const fz_cell *c)
{
    const fz_cell *q = c;
    while (q > p->cells && q[-1].unit == c->unit && q[-1].year == c->year)
        q--;
    while (q > p->cells && q[-1].unit == c->unit && (int64_t)q[-1].year + 1 == c->year) {
        q--;
        if (q->k <= c->k)
            return q->k == c->k ? (uint32_t)(q - p->cells) : FZ_NONE;
    }
    return FZ_NONE;
}

/* yoy_change and yoy_pct against the cell prev (fz_cell_prev()) */
static inline double fz_cell_yoy(const fz_panel *p, const fz_cell *c, uint32_t prev)
{
    return prev == FZ_NONE ? NAN : c->value - p->cells[prev].value;
}

static inline double fz_cell_yoy_pct(const fz_panel *p, const fz_cell *c, uint32_t prev)
{
    if (prev == FZ_NONE)
        return NAN;
    double pv = p->cells[prev].value;
    return pv != 0 ? 100.0 * (c->value - pv) / pv : NAN;
}

static inline double fz_cell_ptotal(const fz_panel *p, const fz_cell *c)
{
    return c->ptot == FZ_NONE ? NAN : p->ptotals[c->ptot];
}

static inline double fz_cell_pop(const fz_panel *p, const fz_cell *c)
{
    return fz_cell_pop_year(p, c) ? p->pop[c - p->cells].pop : NAN;
}

/* Small helpers shared by the files. */
double fz_median_of(const double *v, size_t n);  /* copies; NAN if n == 0 */
/* The median absolute deviation from med of v[0..n), sorted ascending: the
 * same double as fz_median_of() of the deviations, in O(n). NAN if n == 0. */
double fz_mad_sorted(const double *v, size_t n, double med);
int    fz_level_order(fz_level l);               /* province first, department last */
/* qsort_r comparator of cell indices (ctx: the fz_panel): indicator, year,
 * level, unit — the order of the groups normalizations and summaries use. */
int    fz_panel_cmp_group(const void *a, const void *b, void *ctx);
/* qsort_r comparator of cell indices: unit, indicator, year (a series). */
int    fz_panel_cmp_series(const void *a, const void *b, void *ctx);

/* Cell indices in the order of fz_panel_cmp_group or fz_panel_cmp_series,
 * sorted by a radix sort of packed integer keys (indicator index, year,
 * level, unit) when they fit in 64 bits, else by qsort_r. Caller frees. */
size_t *fz_panel_order(const fz_panel *p, int (*cmp)(const void *, const void *, void *));
/* The same order as 4-byte cell indices (the radix keys' array, shrunk).
 * Caller frees. */
uint32_t *fz_panel_order32(const fz_panel *p, int (*cmp)(const void *, const void *, void *));

/* Sorts key[0..n) ascending (LSD radix). Callers put an index in the low
 * bits of each key, so keys are unique and the sort acts as a stable one. */
void fz_radix_sort(uint64_t *key, size_t n);
/* Bits needed for values 0..v. */
int  fz_bits(uint64_t v);

#endif
