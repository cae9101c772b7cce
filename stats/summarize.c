/* summarize.c: tables that summarize the panel: per indicator/year/level
 * distribution (summary), per unit OLS trend and CAGR (trends), pairwise
 * correlations (correlations), who reported what (coverage) and the weighted
 * composite index (composite). GSL gets only valid values; a statistic of
 * too few values is NA. */
#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "statsint.h"
#include "xalloc.h"

static const char *kind_name(int rate) { return rate ? "rate" : "count"; }

/* ---- summary ------------------------------------------------------------ */

/* |v[k] - med| falls as k rises while v[k] < med and rises from there (the
 * rounding of a difference is monotone), so the deviations are two sorted
 * runs that merge into sorted order; only the middle one or two are needed. */
double fz_mad_sorted(const double *v, size_t n, double med)
{
    if (n == 0)
        return NAN;
    size_t lo = 0, hi = n; /* split: the first v[k] >= med */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < med)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t i = lo, j = lo; /* next: v[i - 1] going down, v[j] going up */
    double prev = NAN, cur = NAN;
    for (size_t t = 0; t <= n / 2; t++) {
        double d;
        if (i > 0 && (j == n || fabs(v[i - 1] - med) <= fabs(v[j] - med)))
            d = fabs(v[--i] - med);
        else
            d = fabs(v[j++] - med);
        prev = cur;
        cur = d;
    }
    return n % 2 ? cur : (prev + cur) / 2;
}

/* The table is a view: a row keeps the statistics of its group (one peer
 * group: indicator, year, level) and where its cells are listed in the
 * panel's by_group order, which fz_stats keeps for it; the texts, the
 * outliers' regions and obs_rows are read from the cells (stored, obs_rows
 * was the number of every cell of the panel, about 10 bytes a cell). */
typedef struct srow {
    double   mean, sd, med, q1, q3, min, max, mad; /* NAN when not defined */
    double   outliers;                             /* NAN: not looked for */
    uint32_t first, n;                             /* by_group[first .. first + n) */
    uint32_t qn;                                   /* qualified_n */
} srow;

typedef struct summary {
    const fz_panel *p;
    srow           *rows;
} summary;

enum {
    S_IND, S_KIND, S_YEAR, S_LEVEL, S_N, S_MEAN, S_SD, S_MED, S_Q1, S_Q3, S_MIN, S_MAX, S_CV,
    S_MAD, S_OUTL, S_OUTLREG, S_QN, S_ROWS, S_NCOLS
};

static const struct { const char *name; fz_coltype type; int dec; } sum_cols[S_NCOLS] = {
    { "indicator", FZ_COL_TEXT, -1 }, { "kind", FZ_COL_TEXT, -1 },
    { "year", FZ_COL_NUM, 0 },        { "level", FZ_COL_TEXT, -1 },
    { "n", FZ_COL_NUM, 0 },           { "mean", FZ_COL_NUM, 4 },
    { "sd", FZ_COL_NUM, 4 },          { "median", FZ_COL_NUM, 4 },
    { "q1", FZ_COL_NUM, 4 },          { "q3", FZ_COL_NUM, 4 },
    { "min", FZ_COL_NUM, -1 },        { "max", FZ_COL_NUM, -1 },
    { "cv", FZ_COL_NUM, 4 },          { "mad", FZ_COL_NUM, 4 },
    { "outliers", FZ_COL_NUM, 0 },    { "outlier_regions", FZ_COL_TEXT, -1 },
    { "qualified_n", FZ_COL_NUM, 0 }, { "obs_rows", FZ_COL_TEXT, -1 },
};

/* an outlier: further than 3.5 scaled MADs from the median */
static int is_outlier(const srow *r, double v)
{
    return fabs(v - r->med) > 3.5 * 1.4826 * r->mad;
}

static double summary_num(const void *ctx, size_t row, size_t col)
{
    const summary *sm = ctx;
    const srow *r = &sm->rows[row];
    switch (col) {
    case S_YEAR: return sm->p->cells[sm->p->by_group[r->first]].year;
    case S_N: return (double)r->n;
    case S_MEAN: return r->mean;
    case S_SD: return r->sd;
    case S_MED: return r->med;
    case S_Q1: return r->q1;
    case S_Q3: return r->q3;
    case S_MIN: return r->min;
    case S_MAX: return r->max;
    case S_CV: return (isfinite(r->sd) && r->mean != 0) ? r->sd / r->mean : NAN;
    case S_MAD: return r->mad;
    case S_OUTL: return r->outliers;
    case S_QN: return (double)r->qn;
    default: return NAN;
    }
}

static const char *summary_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const summary *sm = ctx;
    const fz_panel *p = sm->p;
    const srow *r = &sm->rows[row];
    const uint32_t *idx = p->by_group + r->first;
    const fz_cell *c0 = &p->cells[idx[0]];
    switch (col) {
    case S_IND: return p->inds[c0->k];
    case S_KIND: return kind_name(c0->rate);
    case S_LEVEL: return fz_level_name(p->units[c0->unit].level);
    case S_OUTLREG:
        if (!isfinite(r->outliers))
            return NULL;
        for (uint32_t k = 0; k < r->n; k++) {
            const fz_cell *c = &p->cells[idx[k]];
            if (is_outlier(r, c->value)) {
                if (scratch->len)
                    fz_buf_addc(scratch, ';');
                fz_buf_adds(scratch, p->units[c->unit].code);
            }
        }
        return scratch->len ? scratch->data : "";
    case S_ROWS:
        for (uint32_t k = 0; k < r->n; k++)
            fz_add_obs_row(scratch, p->cells[idx[k]].row);
        return scratch->data;
    default: return NULL;
    }
}

static void summary_release(const void *ctx)
{
    summary *sm = (summary *)ctx;
    free(sm->rows);
    free(sm);
}

fz_table *fz_summary_table(const fz_panel *p)
{
    const uint32_t *idx = p->by_group; /* kept by normalize.c */
    size_t most = 1, nr = 0; /* the largest group; the rows */
    for (size_t g = 0; g < p->ngroups; g++)
        most = p->groups[g].n > most ? p->groups[g].n : most;
    summary *sm = fz_xmalloc(sizeof *sm);
    sm->p = p;
    sm->rows = fz_xmalloc((p->ngroups ? p->ngroups : 1) * sizeof *sm->rows);
    double *v = fz_xmalloc(most * sizeof *v);
    for (size_t s = 0; s < p->ncells;) {
        const fz_cell *c0 = &p->cells[idx[s]];
        fz_level lv = p->units[c0->unit].level;
        size_t e = s + 1;
        while (e < p->ncells && p->cells[idx[e]].k == c0->k &&
               p->cells[idx[e]].year == c0->year && p->units[p->cells[idx[e]].unit].level == lv)
            e++;
        size_t n = e - s, qn = 0;
        for (size_t k = 0; k < n; k++) {
            const fz_cell *c = &p->cells[idx[s + k]];
            v[k] = c->value;
            qn += c->qual != FZ_QUAL_EXACT;
        }
        assert(nr < p->ngroups); /* a run of the order is a peer group */
        srow *r = &sm->rows[nr++];
        r->first = (uint32_t)s;
        r->n = (uint32_t)n;
        r->qn = (uint32_t)qn;
        r->mean = gsl_stats_mean(v, 1, n);
        r->sd = n >= 2 ? gsl_stats_sd_m(v, 1, n, r->mean) : NAN;
        gsl_sort(v, 1, n); /* v is our copy: sorting it is fine */
        r->med = gsl_stats_median_from_sorted_data(v, 1, n);
        r->q1 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.25);
        r->q3 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.75);
        r->min = v[0];
        r->max = v[n - 1];
        r->mad = fz_mad_sorted(v, n, r->med);
        r->outliers = NAN;
        if (n >= 3 && r->mad > 0) {
            r->outliers = 0;
            for (size_t k = s; k < e; k++)
                r->outliers += is_outlier(r, p->cells[idx[k]].value);
        }
        s = e;
    }
    free(v);
    const fz_table_view view = { sm, summary_num, summary_text, summary_release };
    fz_table *t = fz_table_new_view("summary", nr, &view);
    for (size_t i = 0; i < S_NCOLS; i++)
        fz_table_add_col(t, sum_cols[i].name, sum_cols[i].type, sum_cols[i].dec);
    return t;
}

/* ---- trends ------------------------------------------------------------- */

/* The table is a view: a row keeps the p-value and CAGR and where its
 * series' cells are listed (ord); the fit (a few sums over the series'
 * years and values), the texts, years, first and last values, qualified_n
 * and obs_rows are worked out from the cells when read. Stored as a table,
 * the obs_rows alone would be one distinct string per series. */
typedef struct trow {
    double   pv, cagr; /* NAN when not defined */
    uint32_t first, n; /* the series: ord[first .. first + n) */
} trow;

typedef struct trends {
    const fz_panel *p;
    trow     *rows;
    uint32_t *ord;  /* cells of the series with a row, each by year */
} trends;

/* gsl_fit_linear of a series' values on its years: slope, intercept,
 * slope_se and t, NAN when not defined */
typedef struct tfit {
    double slope, icpt, se, tv;
} tfit;

/* x and y: room for n values */
static tfit fit_series(const fz_panel *p, const uint32_t *ord, size_t n, double *x, double *y)
{
    for (size_t k = 0; k < n; k++) {
        x[k] = p->cells[ord[k]].year;
        y[k] = p->cells[ord[k]].value;
    }
    tfit f = { NAN, NAN, NAN, NAN };
    double c0, c1, cov00, cov01, cov11, sumsq;
    if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) == GSL_SUCCESS) {
        f.slope = c1;
        f.icpt = c0;
        f.se = sqrt(cov11);
        if (isfinite(f.se) && f.se > 0)
            f.tv = f.slope / f.se;
    }
    return f;
}

/* The fit of a row's series, when read. */
static tfit row_fit(const trends *tr, const trow *r)
{
    double xs[64], ys[64];
    double *x = xs, *y = ys;
    if (r->n > 64) {
        x = fz_xmalloc(2 * (size_t)r->n * sizeof *x);
        y = x + r->n;
    }
    tfit f = fit_series(tr->p, tr->ord + r->first, r->n, x, y);
    if (x != xs)
        free(x);
    return f;
}

enum {
    T_CODE, T_NAME, T_DEPT, T_LEVEL, T_IND, T_KIND, T_NYEARS, T_FIRSTY, T_LASTY, T_FIRSTV,
    T_LASTV, T_SLOPE, T_ICPT, T_SE, T_T, T_DF, T_P, T_CAGR, T_QN, T_ROWS, T_NCOLS
};

/* column col of a number column (f: the row's fit, NULL when col needs none) */
static double trends_num_of(const trends *tr, const trow *r, const tfit *f, size_t col)
{
    const uint32_t *ord = tr->ord + r->first;
    const fz_cell *c0 = &tr->p->cells[ord[0]], *c1 = &tr->p->cells[ord[r->n - 1]];
    switch (col) {
    case T_NYEARS: return (double)r->n;
    case T_FIRSTY: return c0->year;
    case T_LASTY: return c1->year;
    case T_FIRSTV: return c0->value;
    case T_LASTV: return c1->value;
    case T_SLOPE: return f->slope;
    case T_ICPT: return f->icpt;
    case T_SE: return f->se;
    case T_T: return f->tv;
    case T_DF: return (double)(r->n - 2);
    case T_P: return r->pv;
    case T_CAGR: return r->cagr;
    case T_QN: {
        size_t qn = 0;
        for (uint32_t k = 0; k < r->n; k++)
            qn += tr->p->cells[ord[k]].qual != FZ_QUAL_EXACT;
        return (double)qn;
    }
    default: return NAN;
    }
}

static double trends_num(const void *ctx, size_t row, size_t col)
{
    const trends *tr = ctx;
    const trow *r = &tr->rows[row];
    tfit f = { NAN, NAN, NAN, NAN };
    if (col >= T_SLOPE && col <= T_T)
        f = row_fit(tr, r);
    return trends_num_of(tr, r, &f, col);
}

static const char *trends_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const trends *tr = ctx;
    const trow *r = &tr->rows[row];
    const fz_cell *c0 = &tr->p->cells[tr->ord[r->first]];
    const fz_unit *u = &tr->p->units[c0->unit];
    switch (col) {
    case T_CODE: return u->code;
    case T_NAME: return u->name;
    case T_DEPT: return u->dept;
    case T_LEVEL: return fz_level_name(u->level);
    case T_IND: return tr->p->inds[c0->k];
    case T_KIND: return kind_name(c0->rate);
    case T_ROWS:
        for (uint32_t k = 0; k < r->n; k++)
            fz_add_obs_row(scratch, tr->p->cells[tr->ord[r->first + k]].row);
        return scratch->data;
    default: return NULL;
    }
}

/* A whole row: the fit worked out once. */
static void trends_row(const void *ctx, size_t row, fz_table_value *out, fz_buf *scratch)
{
    static const int text_col[T_NCOLS] = { [T_CODE] = 1, [T_NAME] = 1, [T_DEPT] = 1,
                                           [T_LEVEL] = 1, [T_IND] = 1, [T_KIND] = 1,
                                           [T_ROWS] = 1 };
    const trends *tr = ctx;
    const trow *r = &tr->rows[row];
    tfit f = row_fit(tr, r);
    for (size_t c = 0; c < T_NCOLS; c++) {
        if (text_col[c]) {
            fz_buf_reset(&scratch[c]);
            out[c].text = trends_text(ctx, row, c, &scratch[c]);
        } else {
            out[c].num = trends_num_of(tr, r, &f, c);
        }
    }
}

static void trends_release(const void *ctx)
{
    trends *tr = (trends *)ctx;
    free(tr->rows);
    free(tr->ord);
    free(tr);
}

fz_table *fz_trends_table(const fz_panel *p)
{
    const uint32_t *idx = p->by_series; /* kept by normalize.c */
    /* the series of three years or more, and the longest */
    size_t nrows = 0, ncells = 0, most = 1;
    for (size_t s = 0; s < p->ncells;) {
        const fz_cell *c0 = &p->cells[idx[s]];
        size_t e = s + 1;
        while (e < p->ncells && p->cells[idx[e]].unit == c0->unit && p->cells[idx[e]].k == c0->k)
            e++;
        if (e - s >= 3) {
            nrows++;
            ncells += e - s;
            most = e - s > most ? e - s : most;
        }
        s = e;
    }
    assert(ncells < UINT32_MAX);
    trends *tr = fz_xmalloc(sizeof *tr);
    tr->p = p;
    tr->rows = fz_xmalloc((nrows ? nrows : 1) * sizeof *tr->rows);
    tr->ord = fz_xmalloc((ncells ? ncells : 1) * sizeof *tr->ord);
    double *x = fz_xmalloc(most * sizeof *x);
    double *y = fz_xmalloc(most * sizeof *y);
    size_t nr = 0, no = 0;
    for (size_t s = 0; s < p->ncells;) {
        const fz_cell *c0 = &p->cells[idx[s]];
        size_t e = s + 1;
        while (e < p->ncells && p->cells[idx[e]].unit == c0->unit && p->cells[idx[e]].k == c0->k)
            e++;
        size_t n = e - s;
        if (n < 3) {
            s = e;
            continue;
        }
        trow *r = &tr->rows[nr++];
        r->first = (uint32_t)no;
        r->n = (uint32_t)n;
        memcpy(tr->ord + no, idx + s, n * sizeof *idx);
        no += n;
        tfit f = fit_series(p, idx + s, n, x, y);
        r->pv = isfinite(f.se) && f.se > 0 ? 2 * gsl_cdf_tdist_Q(fabs(f.tv), (double)(n - 2))
                                           : NAN;
        double first = y[0], last = y[n - 1];
        double span = x[n - 1] - x[0];
        r->cagr = (first > 0 && last >= 0 && span > 0)
                      ? 100.0 * (pow(last / first, 1.0 / span) - 1) : NAN;
        s = e;
    }
    free(x);
    free(y);

    const fz_table_view v = { tr, trends_num, trends_text, trends_release };
    fz_table *t = fz_table_new_view("trends", nr, &v);
    fz_table_set_row_fn(t, trends_row);
    static const struct { const char *name; fz_coltype type; int dec; } cols[T_NCOLS] = {
        { "region_code", FZ_COL_TEXT, -1 }, { "region_name", FZ_COL_TEXT, -1 },
        { "department", FZ_COL_TEXT, -1 },  { "level", FZ_COL_TEXT, -1 },
        { "indicator", FZ_COL_TEXT, -1 },   { "kind", FZ_COL_TEXT, -1 },
        { "n_years", FZ_COL_NUM, 0 },       { "first_year", FZ_COL_NUM, 0 },
        { "last_year", FZ_COL_NUM, 0 },     { "first_value", FZ_COL_NUM, -1 },
        { "last_value", FZ_COL_NUM, -1 },   { "slope", FZ_COL_NUM, 4 },
        { "intercept", FZ_COL_NUM, 4 },     { "slope_se", FZ_COL_NUM, 4 },
        { "t", FZ_COL_NUM, 4 },             { "df", FZ_COL_NUM, 0 },
        { "p_value", FZ_COL_NUM, 6 },       { "cagr", FZ_COL_NUM, 4 },
        { "qualified_n", FZ_COL_NUM, 0 },   { "obs_rows", FZ_COL_TEXT, -1 },
    };
    for (size_t i = 0; i < T_NCOLS; i++)
        fz_table_add_col(t, cols[i].name, cols[i].type, cols[i].dec);
    return t;
}

/* ---- correlations ------------------------------------------------------- */

/* Correlations are worked out level by level, each level a part that can run
 * on its own thread (fz_corr_part()); the table lists the parts in level
 * order. A level's unit-years are a matrix stored by column (indicator):
 * NAN where the report does not state it, with a bit per present cell.
 * A pair's rows are those where both bits are set; Spearman's rho comes from
 * each indicator's rows sorted by value once per level (rank.c). */
static const fz_level corr_levels[] = { FZ_LEVEL_PROVINCE, FZ_LEVEL_PREFECTURE, FZ_LEVEL_COUNTY,
                                        FZ_LEVEL_TOWNSHIP, FZ_LEVEL_DEPARTMENT, FZ_LEVEL_NONE };
enum { CORR_NLEVELS = sizeof corr_levels / sizeof *corr_levels };

typedef struct corr_row {
    uint32_t x, y, n;
    double   pr, sr, sl, ic;
} corr_row;

typedef struct corr_part {
    fz_level  level;
    size_t    nrow;  /* unit-years of the level */
    corr_row *rows;
    size_t    nrows;
} corr_part;

struct fz_corr {
    const fz_panel *p;
    corr_part       part[CORR_NLEVELS];
    size_t          nparts;
};

fz_corr *fz_corr_new(const fz_panel *p)
{
    fz_corr *c = fz_xcalloc(1, sizeof *c);
    c->p = p;
    if (p->ninds < 2 || p->nuy == 0)
        return c;
    size_t per_level[CORR_NLEVELS] = { 0 };
    for (size_t i = 0; i < p->ncells;) { /* unit-years come in runs of cells */
        const fz_cell *c0 = &p->cells[i];
        size_t e = i;
        while (e < p->ncells && p->cells[e].unit == c0->unit && p->cells[e].year == c0->year)
            e++;
        for (size_t li = 0; li < CORR_NLEVELS; li++)
            if (p->units[c0->unit].level == corr_levels[li])
                per_level[li]++;
        i = e;
    }
    for (size_t li = 0; li < CORR_NLEVELS; li++)
        if (per_level[li])
            c->part[c->nparts++] = (corr_part){ corr_levels[li], per_level[li], NULL, 0 };
    return c;
}

size_t fz_corr_nparts(const fz_corr *c)
{
    return c->nparts;
}

size_t fz_corr_part_size(const fz_corr *c, size_t i)
{
    return c->part[i].nrow;
}

/* gsl_stats_variance(v, 1, n) > 0, for n >= 1 finite values: their mean is
 * computed running, so it is exactly the value when all are equal (variance
 * 0), and when they are not, some value differs from it; with magnitudes
 * up to 1e150 and a spread of 1e-150 or more nothing overflows or underflows
 * on the way, so the variance is then positive. Other values ask GSL. */
int fz_varies(const double *v, size_t n)
{
    double mn = v[0], mx = v[0];
    for (size_t i = 1; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
    }
    if (mn == mx)
        return 0;
    if (mn >= -1e150 && mx <= 1e150 && mx - mn >= 1e-150)
        return 1;
    return gsl_stats_variance(v, 1, n) > 0;
}

static void add_corr_row(corr_part *pt, size_t *cap, const corr_row *r)
{
    if (pt->nrows == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        pt->rows = fz_xreallocarray(pt->rows, *cap, sizeof *pt->rows);
    }
    pt->rows[pt->nrows++] = *r;
}

void fz_corr_part(fz_corr *c, size_t i)
{
    const fz_panel *p = c->p;
    corr_part *pt = &c->part[i];
    size_t ni = p->ninds, nrow = pt->nrow, nw = (nrow + 63) / 64, cap = 0;
    double *m = fz_xmalloc(nrow * ni * sizeof *m); /* column x: m + x * nrow */
    uint64_t *bits = fz_xcalloc(nw * ni, sizeof *bits); /* column x: bits + x * nw */
    size_t *count = fz_xcalloc(ni + 1, sizeof *count);
    for (size_t k = 0; k < nrow * ni; k++)
        m[k] = NAN;
    size_t r = 0;
    for (size_t j = 0; j < p->ncells;) {
        const fz_cell *c0 = &p->cells[j];
        size_t e = j;
        while (e < p->ncells && p->cells[e].unit == c0->unit && p->cells[e].year == c0->year)
            e++;
        if (p->units[c0->unit].level == pt->level) {
            for (size_t k = j; k < e; k++) {
                size_t x = p->cells[k].k;
                m[x * nrow + r] = p->cells[k].value;
                bits[x * nw + r / 64] |= (uint64_t)1 << (r % 64);
                count[x + 1]++;
            }
            r++;
        }
        j = e;
    }
    /* each indicator's present rows sorted by value: ord[first[x]..first[x + 1]) */
    size_t *first = count;
    for (size_t x = 0; x < ni; x++)
        first[x + 1] += first[x];
    uint32_t *ord = fz_xmalloc((first[ni] ? first[ni] : 1) * sizeof *ord);
    double *sv = fz_xmalloc((first[ni] ? first[ni] : 1) * sizeof *sv);
    for (size_t x = 0; x < ni; x++) {
        size_t f = first[x];
        const double *col = m + x * nrow;
        for (size_t row = 0; row < nrow; row++)
            if (isfinite(col[row]))
                ord[f++] = (uint32_t)row;
        fz_rows_by_value(ord + first[x], f - first[x], col, 1);
        for (size_t k = first[x]; k < f; k++)
            sv[k] = col[ord[k]];
    }
    double *a = fz_xmalloc((nrow ? nrow : 1) * sizeof *a);
    double *b = fz_xmalloc((nrow ? nrow : 1) * sizeof *b);
    uint64_t *rank = fz_xmalloc((nrow ? nrow : 1) * sizeof *rank);
    double *work = NULL; /* for gsl_stats_spearman beyond FZ_SPEARMAN_MAX */
    for (size_t x = 0; x < ni; x++)
        for (size_t y = x + 1; y < ni; y++) {
            const uint64_t *bx = bits + x * nw, *by = bits + y * nw;
            const double *cx = m + x * nrow, *cy = m + y * nrow;
            size_t n = 0;
            for (size_t w = 0; w < nw; w++)
                for (uint64_t both = bx[w] & by[w]; both; both &= both - 1) {
                    size_t row = w * 64 + (size_t)__builtin_ctzll(both);
                    a[n] = cx[row];
                    b[n] = cy[row];
                    n++;
                }
            if (n == 0)
                continue;
            corr_row cr = { (uint32_t)x, (uint32_t)y, (uint32_t)n, NAN, NAN, NAN, NAN };
            if (n >= 3 && fz_varies(a, n) && fz_varies(b, n)) {
                cr.pr = gsl_stats_correlation(a, 1, b, 1, n);
                if (n <= FZ_SPEARMAN_MAX) {
                    cr.sr = fz_spearman_bits(ord + first[x], sv + first[x], first[x + 1] - first[x],
                                             bx, ord + first[y], sv + first[y],
                                             first[y + 1] - first[y], by, rank);
                } else {
                    if (!work)
                        work = fz_xmalloc(2 * nrow * sizeof *work);
                    cr.sr = gsl_stats_spearman(a, 1, b, 1, n, work);
                }
                /* the OLS line of y on x, for scatter plots (plots/ computes nothing) */
                double c0, c1, v00, v01, v11, ss;
                if (gsl_fit_linear(a, 1, b, 1, n, &c0, &c1, &v00, &v01, &v11, &ss) ==
                    GSL_SUCCESS) {
                    cr.sl = c1;
                    cr.ic = c0;
                }
            }
            add_corr_row(pt, &cap, &cr);
        }
    free(m);
    free(bits);
    free(count);
    free(ord);
    free(sv);
    free(a);
    free(b);
    free(rank);
    free(work);
}

fz_table *fz_corr_table(fz_corr *c)
{
    const fz_panel *p = c->p;
    fz_table *t = fz_table_new("correlations");
    fz_table_add_col(t, "level", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "indicator_x", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "indicator_y", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "n", FZ_COL_NUM, 0);
    fz_table_add_col(t, "pearson", FZ_COL_NUM, 4);
    fz_table_add_col(t, "spearman", FZ_COL_NUM, 4);
    fz_table_add_col(t, "slope", FZ_COL_NUM, 6);
    fz_table_add_col(t, "intercept", FZ_COL_NUM, 6);
    for (size_t i = 0; i < c->nparts; i++) {
        const corr_part *pt = &c->part[i];
        for (size_t k = 0; k < pt->nrows; k++) {
            const corr_row *cr = &pt->rows[k];
            size_t r = fz_table_add_row(t);
            fz_table_set_text(t, r, 0, fz_level_name(pt->level));
            fz_table_set_text(t, r, 1, p->inds[cr->x]);
            fz_table_set_text(t, r, 2, p->inds[cr->y]);
            fz_table_set_num(t, r, 3, (double)cr->n);
            fz_table_set_num(t, r, 4, cr->pr);
            fz_table_set_num(t, r, 5, cr->sr);
            fz_table_set_num(t, r, 6, cr->sl);
            fz_table_set_num(t, r, 7, cr->ic);
        }
        free(pt->rows);
    }
    free(c);
    return t;
}

fz_table *fz_correlations_table(const fz_panel *p)
{
    fz_corr *c = fz_corr_new(p);
    for (size_t i = 0; i < fz_corr_nparts(c); i++)
        fz_corr_part(c, i);
    return fz_corr_table(c);
}

/* ---- coverage ----------------------------------------------------------- */

fz_table *fz_coverage_table(const fz_panel *p)
{
    fz_table *t = fz_table_new("coverage");
    fz_table_add_col(t, "indicator", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "kind", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "year", FZ_COL_NUM, 0);
    fz_table_add_col(t, "level", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "units", FZ_COL_NUM, 0);
    fz_table_add_col(t, "reporting", FZ_COL_NUM, 0);
    fz_table_add_col(t, "coverage", FZ_COL_NUM, 2);
    fz_table_add_col(t, "qualified_n", FZ_COL_NUM, 0);
    /* (year, level) pairs with their number of units, from the unit-years. */
    int miny = 0, maxy = 0;
    for (size_t i = 0; i < p->nuy; i++) {
        if (i == 0 || p->uy[i].year < miny)
            miny = p->uy[i].year;
        if (i == 0 || p->uy[i].year > maxy)
            maxy = p->uy[i].year;
    }
    if (!p->nuy)
        return t;
    size_t ny = (size_t)(maxy - miny + 1), nl = 6;
    size_t *units = fz_xcalloc(ny * nl, sizeof *units);
    for (size_t i = 0; i < p->nuy; i++)
        units[(size_t)(p->uy[i].year - miny) * nl +
              (size_t)fz_level_order(p->units[p->uy[i].unit].level)]++;
    static const fz_level byorder[] = { FZ_LEVEL_PROVINCE, FZ_LEVEL_PREFECTURE, FZ_LEVEL_COUNTY,
                                        FZ_LEVEL_TOWNSHIP, FZ_LEVEL_DEPARTMENT, FZ_LEVEL_NONE };
    size_t *rep = fz_xcalloc(ny * nl, sizeof *rep), *qual = fz_xcalloc(ny * nl, sizeof *qual);
    /* each indicator's cells in cell order (a counting sort by index) as
     * their year and level slot << 1 | qualified, written in one pass over
     * the cells (the cells are not read again) */
    size_t *first = fz_xcalloc(p->ninds + 1, sizeof *first);
    uint64_t *byind = fz_xmalloc((p->ncells ? p->ncells : 1) * sizeof *byind);
    for (size_t i = 0; i < p->ncells; i++)
        first[p->cells[i].k + 1]++;
    for (size_t k = 0; k < p->ninds; k++)
        first[k + 1] += first[k];
    for (size_t i = 0; i < p->ncells; i++) {
        const fz_cell *c = &p->cells[i];
        size_t at = (size_t)(c->year - miny) * nl + (size_t)fz_level_order(p->units[c->unit].level);
        byind[first[c->k]++] = (uint64_t)at << 1 | (c->qual != FZ_QUAL_EXACT);
    }
    for (size_t k = p->ninds; k > 0; k--) /* first[k] is now where k + 1 starts */
        first[k] = first[k - 1];
    first[0] = 0;
    for (size_t k = 0; k < p->ninds; k++) {
        memset(rep, 0, ny * nl * sizeof *rep);
        memset(qual, 0, ny * nl * sizeof *qual);
        for (size_t j = first[k]; j < first[k + 1]; j++) {
            rep[byind[j] >> 1]++;
            qual[byind[j] >> 1] += byind[j] & 1;
        }
        for (size_t y = 0; y < ny; y++)
            for (size_t l = 0; l < nl; l++) {
                size_t at = y * nl + l;
                if (!units[at])
                    continue;
                size_t r = fz_table_add_row(t);
                fz_table_set_text(t, r, 0, p->inds[k]);
                fz_table_set_text(t, r, 1, kind_name(p->ind_rate[k]));
                fz_table_set_num(t, r, 2, miny + (double)y);
                fz_table_set_text(t, r, 3, fz_level_name(byorder[l]));
                fz_table_set_num(t, r, 4, (double)units[at]);
                fz_table_set_num(t, r, 5, (double)rep[at]);
                fz_table_set_num(t, r, 6, 100.0 * (double)rep[at] / (double)units[at]);
                fz_table_set_num(t, r, 7, (double)qual[at]);
            }
    }
    free(first);
    free(byind);
    free(units);
    free(rep);
    free(qual);
    return t;
}

/* ---- composite index ---------------------------------------------------- */

typedef struct weight {
    const char *ind;
    double      w;
    int         dir;
    long        k;     /* index of ind in the panel's inds, -1 if absent */
} weight;

/* 1 if id is in the taxonomy (columns id, ...), or there is no taxonomy. */
static int known_indicator(const fz_table *tax, const char *id)
{
    int ci = tax ? fz_table_find_col(tax, "id") : -1;
    if (ci < 0)
        return 1;
    for (size_t r = 0; r < fz_table_nrows(tax); r++)
        if (strcmp(fz_table_text(tax, r, (size_t)ci), id) == 0)
            return 1;
    return 0;
}

static int read_weights(const fz_panel *p, weight **out, size_t *nout, fz_diag *d)
{
    const fz_table *t = p->opts->weights;
    *out = NULL;
    *nout = 0;
    if (!t)
        return 0;
    const char *src = fz_table_name(t);
    int ci = fz_table_find_col(t, "indicator"), cw = fz_table_find_col(t, "weight");
    int cd = fz_table_find_col(t, "direction");
    if (ci < 0 || cw < 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, NULL, 0,
                    "weights table '%s' needs columns indicator, weight (and direction)", src);
        return FZ_EINPUT;
    }
    size_t nr = fz_table_nrows(t), n = 0;
    weight *w = fz_xcalloc(nr ? nr : 1, sizeof *w);
    char buf[64];
    for (size_t r = 0; r < nr; r++) {
        const char *id = fz_table_text(t, r, (size_t)ci);
        const char *ws = fz_table_format(t, r, (size_t)cw, buf, sizeof buf);
        char *end;
        double wv = strtod(ws, &end);
        int bad = !*id || !*ws || *end || !isfinite(wv) || wv <= 0;
        int dir = 1;
        if (!bad && cd >= 0) {
            char db[16];
            const char *ds = fz_table_format(t, r, (size_t)cd, db, sizeof db);
            if (strcmp(ds, "-1") == 0)
                dir = -1;
            else if (*ds && strcmp(ds, "1") != 0 && strcmp(ds, "+1") != 0)
                bad = 1;
        }
        for (size_t k = 0; k < n && !bad; k++)
            if (strcmp(w[k].ind, id) == 0) {
                fz_diag_add(d, FZ_DIAG_WARN, src, (long)r + 2,
                            "weights: indicator '%s' listed twice; the first is used", id);
                bad = 2;
            }
        if (!bad && !known_indicator(p->opts->indicators, id)) {
            fz_diag_add(d, FZ_DIAG_WARN, src, (long)r + 2,
                        "weights row %zu ignored: unknown indicator '%s'", r + 1, id);
            bad = 2;
        }
        if (bad == 1)
            fz_diag_add(d, FZ_DIAG_WARN, src, (long)r + 2,
                        "weights row %zu ignored: needs an indicator, a positive weight and "
                        "direction 1 or -1", r + 1);
        if (bad)
            continue;
        w[n++] = (weight){ id, wv, dir, fz_panel_ind(p, id) };
    }
    *out = w;
    *nout = n;
    return 0;
}


/* A row with a composite, for ranking within year and level. */
typedef struct rankent {
    double   comp;
    uint64_t grp;   /* (year - the first year) * 6 + level order */
    size_t   row;
} rankent;

/* year, level, then composite descending, then row (stable) */
static int cmp_rank(const void *a, const void *b)
{
    const rankent *x = a, *y = b;
    if (x->grp != y->grp)
        return x->grp < y->grp ? -1 : 1;
    int r = (x->comp < y->comp) - (x->comp > y->comp);
    return r ? r : (x->row > y->row) - (x->row < y->row);
}

/* The table is a view: a row keeps its numbers and its unit-year's cells;
 * texts and obs_rows are read from the cells (stored, obs_rows was one
 * distinct string per unit-year). */
typedef struct crow {
    uint32_t first, end;   /* the unit-year's cells */
    double   comp;         /* composite, NAN without components */
    double   cov;          /* coverage, % of the weight */
    double   rank;         /* NAN: none */
    uint32_t ncomp, qn;
} crow;

typedef struct composite {
    const fz_panel *p;
    crow          *rows;
    unsigned char *weighted; /* per indicator: 1 if it has a weight */
    size_t         nw;       /* weights */
} composite;

enum {
    C_CODE, C_NAME, C_DEPT, C_LEVEL, C_YEAR, C_COMP, C_RANK, C_NCOMP, C_NW, C_COV, C_QN,
    C_ROWS, C_NCOLS
};

static const struct { const char *name; fz_coltype type; int dec; } comp_cols[C_NCOLS] = {
    { "region_code", FZ_COL_TEXT, -1 }, { "region_name", FZ_COL_TEXT, -1 },
    { "department", FZ_COL_TEXT, -1 },  { "level", FZ_COL_TEXT, -1 },
    { "year", FZ_COL_NUM, 0 },          { "composite", FZ_COL_NUM, 2 },
    { "rank", FZ_COL_NUM, 0 },          { "n_components", FZ_COL_NUM, 0 },
    { "n_weights", FZ_COL_NUM, 0 },     { "coverage", FZ_COL_NUM, 2 },
    { "qualified_n", FZ_COL_NUM, 0 },   { "obs_rows", FZ_COL_TEXT, -1 },
};

static double composite_num(const void *ctx, size_t row, size_t col)
{
    const composite *cv = ctx;
    const crow *r = &cv->rows[row];
    switch (col) {
    case C_YEAR: return cv->p->cells[r->first].year;
    case C_COMP: return r->comp;
    case C_RANK: return r->rank;
    case C_NCOMP: return (double)r->ncomp;
    case C_NW: return (double)cv->nw;
    case C_COV: return r->cov;
    case C_QN: return (double)r->qn;
    default: return NAN;
    }
}

static const char *composite_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const composite *cv = ctx;
    const crow *r = &cv->rows[row];
    const fz_unit *u = &cv->p->units[cv->p->cells[r->first].unit];
    switch (col) {
    case C_CODE: return u->code;
    case C_NAME: return u->name;
    case C_DEPT: return u->dept;
    case C_LEVEL: return fz_level_name(u->level);
    case C_ROWS: /* the components: weighted cells with a min-max */
        for (uint32_t i = r->first; i < r->end; i++) {
            const fz_cell *c = &cv->p->cells[i];
            if (cv->weighted[c->k] && isfinite(fz_cell_minmax(cv->p, c)))
                fz_add_obs_row(scratch, c->row);
        }
        return scratch->data;
    default: return NULL;
    }
}

static void composite_release(const void *ctx)
{
    composite *cv = (composite *)ctx;
    free(cv->rows);
    free(cv->weighted);
    free(cv);
}

struct fz_weights {
    weight *w;
    size_t  nw;
};

fz_weights *fz_composite_weights(const fz_panel *p, fz_diag *d, int *err)
{
    fz_weights *ws = fz_xmalloc(sizeof *ws);
    *err = read_weights(p, &ws->w, &ws->nw, d);
    if (*err) {
        free(ws->w);
        free(ws);
        return NULL;
    }
    return ws;
}

fz_table *fz_composite_build(const fz_panel *p, fz_weights *ws)
{
    weight *w = ws->w;
    size_t nw = ws->nw;
    free(ws);
    if (nw == 0) {
        free(w);
        fz_table *t = fz_table_new("composite");
        for (size_t i = 0; i < C_NCOLS; i++)
            fz_table_add_col(t, comp_cols[i].name, comp_cols[i].type, comp_cols[i].dec);
        return t;
    }
    double wall = 0;
    for (size_t k = 0; k < nw; k++)
        wall += w[k].w;
    composite *cv = fz_xmalloc(sizeof *cv);
    cv->p = p;
    cv->nw = nw;
    cv->weighted = fz_xcalloc(p->ninds ? p->ninds : 1, 1);
    for (size_t j = 0; j < nw; j++)
        if (w[j].k >= 0)
            cv->weighted[w[j].k] = 1;
    /* One pass over unit-year runs of the sorted cells. */
    size_t cap = 64, nrow = 0;
    cv->rows = fz_xmalloc(cap * sizeof *cv->rows);
    double *comp = fz_xmalloc(cap * sizeof *comp);
    size_t *first = fz_xmalloc(cap * sizeof *first);
    for (size_t i = 0; i < p->ncells;) {
        const fz_cell *c0 = &p->cells[i];
        size_t e = i;
        while (e < p->ncells && p->cells[e].unit == c0->unit && p->cells[e].year == c0->year)
            e++;
        double sw = 0, sws = 0, wpres = 0;
        size_t ncomp = 0, present = 0, qn = 0;
        for (size_t k = i; k < e; k++) {
            const fz_cell *c = &p->cells[k];
            for (size_t j = 0; j < nw; j++) {
                if (w[j].k != (long)c->k)
                    continue;
                present++;
                double minmax = fz_cell_minmax(p, c);
                if (!isfinite(minmax))
                    break;
                double score = w[j].dir > 0 ? minmax : 100 - minmax;
                sw += w[j].w;
                sws += w[j].w * score;
                wpres += w[j].w;
                ncomp++;
                qn += c->qual != FZ_QUAL_EXACT;
                break;
            }
        }
        if (present) {
            if (nrow == cap) {
                cap *= 2;
                cv->rows = fz_xreallocarray(cv->rows, cap, sizeof *cv->rows);
                comp = fz_xreallocarray(comp, cap, sizeof *comp);
                first = fz_xreallocarray(first, cap, sizeof *first);
            }
            double cval = ncomp ? sws / sw : NAN;
            cv->rows[nrow] = (crow){ (uint32_t)i, (uint32_t)e, cval, 100.0 * wpres / wall, NAN,
                                     (uint32_t)ncomp, (uint32_t)qn };
            comp[nrow] = cval;
            first[nrow] = i;
            nrow++;
        }
        i = e;
    }
    /* Rank within year and level: 1 = highest composite, ties share. */
    int ymin = 0;
    for (size_t r = 0; r < nrow; r++)
        if (r == 0 || p->cells[first[r]].year < ymin)
            ymin = p->cells[first[r]].year;
    rankent *ord = fz_xmalloc((nrow ? nrow : 1) * sizeof *ord);
    size_t m = 0;
    for (size_t r = 0; r < nrow; r++)
        if (isfinite(comp[r])) {
            const fz_cell *c = &p->cells[first[r]];
            uint64_t y = (uint64_t)((int64_t)c->year - ymin);
            ord[m++] = (rankent){ comp[r], y * 6 + (uint64_t)fz_level_order(p->units[c->unit].level),
                                  r };
        }
    qsort(ord, m, sizeof *ord, cmp_rank);
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && ord[e].grp == ord[g].grp)
            e++;
        double rank = 1;
        for (size_t k = g; k < e; k++) {
            if (k > g && ord[k].comp != ord[k - 1].comp)
                rank = (double)(k - g + 1);
            cv->rows[ord[k].row].rank = rank;
        }
        g = e;
    }
    free(ord);
    free(comp);
    free(first);
    free(w);
    if (nrow && nrow < cap)
        cv->rows = fz_xreallocarray(cv->rows, nrow, sizeof *cv->rows);
    const fz_table_view v = { cv, composite_num, composite_text, composite_release };
    fz_table *t = fz_table_new_view("composite", nrow, &v);
    for (size_t i = 0; i < C_NCOLS; i++)
        fz_table_add_col(t, comp_cols[i].name, comp_cols[i].type, comp_cols[i].dec);
    return t;
}
