/* tablechart.c: one chart from one statistics table (fz_report_plot, behind
 * 'fzstat plot'). Picks the rows (indicator, level, years), groups them by
 * unit and hands the values, qualifiers, ranks and fits that stats/ wrote
 * to the chart layer. Nothing is computed here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "render.h"
#include "repint.h"
#include "xalloc.h"

#define MAX_UNITS 5000 /* distinct units in one chart's table */

typedef struct tc {
    const fz_table *t;
    int c_code, c_name, c_dept, c_level, c_year, c_ind, c_val, c_qual;
    char **key, **name;  /* per unit */
    int *nvals;          /* values per unit */
    size_t nu;
    size_t *unit_of;     /* per table row: unit index, or (size_t)-1 when filtered out */
    int *years;
    size_t ny;
} tc;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void tc_release(tc *g)
{
    for (size_t i = 0; i < g->nu; i++) {
        free(g->key[i]);
        free(g->name[i]);
    }
    free(g->key);
    free(g->name);
    free(g->nvals);
    free(g->unit_of);
    free(g->years);
}

/* Groups the rows that pass the filters into units and years. */
static int tc_load(tc *g, const fz_table *t, const fz_chart_req *q, const char *valcol,
                   fz_diag *diag)
{
    memset(g, 0, sizeof *g);
    g->t = t;
    g->c_code = rep_col_of(t, "region_code");
    g->c_name = rep_col_of(t, "region_name");
    g->c_dept = rep_col_of(t, "department");
    g->c_level = rep_col_of(t, "level");
    g->c_year = rep_col_of(t, "year");
    g->c_ind = rep_col_of(t, "indicator");
    g->c_val = rep_col_of(t, valcol);
    g->c_qual = rep_col_of(t, "qualifier");
    if (g->c_val < 0 || g->c_year < 0 || (g->c_code < 0 && g->c_name < 0)) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0,
                    "table '%s' needs region_code or region_name, year and '%s' columns",
                    fz_table_name(t), valcol);
        return FZ_EINPUT;
    }
    size_t nr = fz_table_nrows(t);
    if (g->c_ind >= 0 && (!q->indicator || !*q->indicator)) {
        for (size_t i = 1; i < nr; i++)
            if (strcmp(rep_text(t, i, g->c_ind), rep_text(t, 0, g->c_ind)) != 0) {
                fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0,
                            "table '%s' has several indicators: choose one with --indicator",
                            fz_table_name(t));
                return FZ_EINPUT;
            }
    }
    g->key = fz_xcalloc(nr + 1, sizeof *g->key);
    g->name = fz_xcalloc(nr + 1, sizeof *g->name);
    g->nvals = fz_xcalloc(nr + 1, sizeof *g->nvals);
    g->unit_of = fz_xcalloc(nr + 1, sizeof *g->unit_of);
    g->years = fz_xcalloc(nr + 1, sizeof *g->years);
    for (size_t i = 0; i < nr; i++) {
        g->unit_of[i] = (size_t)-1;
        double y, v;
        if (g->c_ind >= 0 && q->indicator && *q->indicator &&
            strcmp(rep_text(t, i, g->c_ind), q->indicator) != 0)
            continue;
        if (q->level && *q->level && strcmp(rep_text(t, i, g->c_level), q->level) != 0)
            continue;
        if (!rep_num(t, i, g->c_year, &y) || !rep_num(t, i, g->c_val, &v))
            continue;
        char *key = fz_xasprintf("%s|%s|%s", rep_text(t, i, g->c_code), rep_text(t, i, g->c_dept),
                                 g->c_code < 0 ? rep_text(t, i, g->c_name) : "");
        size_t u = g->nu;
        for (size_t k = g->nu; k-- > 0;) /* rows of a unit are usually adjacent */
            if (strcmp(g->key[k], key) == 0) {
                u = k;
                break;
            }
        if (u == g->nu) {
            if (g->nu >= MAX_UNITS) {
                free(key);
                fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "more than %d units in one chart",
                            MAX_UNITS);
                return FZ_ELIMIT;
            }
            g->key[u] = key;
            const char *nm = rep_text(t, i, g->c_name);
            g->name[u] = rep_cat(*nm ? nm : rep_text(t, i, g->c_code),
                                      rep_text(t, i, g->c_dept));
            g->nu++;
        } else {
            free(key);
        }
        g->nvals[u]++;
        g->unit_of[i] = u;
        g->years[g->ny++] = (int)y;
    }
    qsort(g->years, g->ny, sizeof *g->years, cmp_int);
    size_t k = 0;
    for (size_t i = 0; i < g->ny; i++)
        if (k == 0 || g->years[k - 1] != g->years[i])
            g->years[k++] = g->years[i];
    g->ny = k;
    /* one name, two units: add the code */
    for (size_t a = 0; a < g->nu; a++)
        for (size_t b = a + 1; b < g->nu; b++)
            if (strcmp(g->name[a], g->name[b]) == 0)
                for (int z = 0; z < 2; z++) {
                    size_t x = z ? b : a;
                    char *nm = fz_xasprintf("%s(%.*s)", g->name[x],
                                            (int)strcspn(g->key[x], "|"), g->key[x]);
                    free(g->name[x]);
                    g->name[x] = nm;
                }
    if (g->nu == 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "no rows of table '%s' match: nothing to draw",
                    fz_table_name(t));
        return FZ_EINPUT;
    }
    return 0;
}

/* the cell of unit u in year y */
static int tc_cell(const tc *g, size_t u, int year, fz_plot_cell *out)
{
    for (size_t i = 0; i < fz_table_nrows(g->t); i++) {
        double y, v;
        if (g->unit_of[i] != u || !rep_num(g->t, i, g->c_year, &y) || (int)y != year)
            continue;
        if (!rep_num(g->t, i, g->c_val, &v))
            continue;
        *out = (fz_plot_cell){ v, 1, rep_qual_approx(rep_text(g->t, i, g->c_qual)) };
        return 1;
    }
    return 0;
}

static const char *taxo(const fz_table *tax, const char *id, const char *col)
{
    int ci = rep_col_of(tax, "id"), cc = rep_col_of(tax, col);
    for (size_t i = 0; tax && ci >= 0 && cc >= 0 && i < fz_table_nrows(tax); i++)
        if (strcmp(rep_text(tax, i, ci), id) == 0)
            return rep_text(tax, i, cc);
    return "";
}

static int draw(const fz_plot_spec *s, const char *path, double w, double h, long long epoch,
                fz_diag *diag)
{
    fz_plot_fonts *f = fz_plot_fonts_new(diag);
    if (!f)
        return FZ_EDEP;
    int rc = fz_plot_save(f, s, path, w, h, epoch, diag);
    fz_plot_fonts_free(f);
    return rc;
}

static int plot_scatter(const fz_table *t, const fz_chart_req *q, const char *path, double w,
                        double h, fz_diag *diag)
{
    int cx = rep_col_of(t, q->x ? q->x : ""), cy = rep_col_of(t, q->y ? q->y : "");
    if (cx < 0 || cy < 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0,
                    "scatter needs --x and --y naming two indicator columns of the wide table");
        return FZ_EINPUT;
    }
    char *qx = fz_xasprintf("%s_qualifier", q->x), *qy = fz_xasprintf("%s_qualifier", q->y);
    int cqx = rep_col_of(t, qx), cqy = rep_col_of(t, qy), cl = rep_col_of(t, "level"),
        cn = rep_col_of(t, "region_name"), cd = rep_col_of(t, "department"),
        cyr = rep_col_of(t, "year");
    free(qx);
    free(qy);
    size_t nr = fz_table_nrows(t), n = 0;
    const char **rows = fz_xcalloc(nr + 1, sizeof *rows);
    char **own = fz_xcalloc(nr + 1, sizeof *own);
    fz_plot_cell *cells = fz_xcalloc(2 * nr + 2, sizeof *cells);
    for (size_t i = 0; i < nr; i++) {
        double vx, vy;
        if (q->level && *q->level && strcmp(rep_text(t, i, cl), q->level) != 0)
            continue;
        if (!rep_num(t, i, cx, &vx) || !rep_num(t, i, cy, &vy))
            continue;
        char yr[16];
        rep_fmt_year(t, i, cyr, yr, sizeof yr);
        own[n] = fz_xasprintf("%s%s %s", rep_text(t, i, cn), rep_text(t, i, cd), yr);
        rows[n] = own[n];
        cells[2 * n] = (fz_plot_cell){ vx, 1, rep_qual_approx(rep_text(t, i, cqx)) };
        cells[2 * n + 1] = (fz_plot_cell){ vy, 1, rep_qual_approx(rep_text(t, i, cqy)) };
        n++;
    }
    /* r and the line from the correlations table: the row for this pair
     * (and level); the line only when x and y are in the table's order */
    fz_plot_spec s = { .kind = FZ_CHART_SCATTER, .source = q->source, .nrows = n, .rows = rows,
                       .ncols = 2, .cells = cells };
    const fz_table *ct = q->correlations;
    int kx = rep_col_of(ct, "indicator_x"), ky = rep_col_of(ct, "indicator_y"),
        kl = rep_col_of(ct, "level"), kp = rep_col_of(ct, "pearson"), kn = rep_col_of(ct, "n"),
        ks = rep_col_of(ct, "slope"), ki = rep_col_of(ct, "intercept");
    for (size_t i = 0; ct && i < fz_table_nrows(ct); i++) {
        int same = strcmp(rep_text(ct, i, kx), q->x) == 0 && strcmp(rep_text(ct, i, ky), q->y) == 0;
        int swapped =
            strcmp(rep_text(ct, i, kx), q->y) == 0 && strcmp(rep_text(ct, i, ky), q->x) == 0;
        if (!same && !swapped)
            continue;
        if (q->level && *q->level && strcmp(rep_text(ct, i, kl), q->level) != 0)
            continue;
        double rr, nn;
        if (rep_num(ct, i, kp, &rr) && rep_num(ct, i, kn, &nn)) {
            s.fit_r = rr;
            s.fit_n = (size_t)nn;
            s.has_fit = same && rep_num(ct, i, ki, &s.fit_a) && rep_num(ct, i, ks, &s.fit_b);
        }
        break;
    }
    const char *nx = taxo(q->indicators, q->x, "name_zh"), *ny = taxo(q->indicators, q->y, "name_zh");
    const char *cols[2] = { *nx ? nx : q->x, *ny ? ny : q->y };
    s.cols = cols;
    char *title = fz_xasprintf("%s × %s", cols[0], cols[1]);
    s.title = q->title ? q->title : title;
    int rc = n ? draw(&s, path, w, h, q->epoch, diag) : FZ_EINPUT;
    if (!n)
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "no row states both '%s' and '%s'", q->x, q->y);
    free(title);
    for (size_t i = 0; i < n; i++)
        free(own[i]);
    free(own);
    free(rows);
    free(cells);
    return rc;
}

/* units with more values first, then larger latest value, then name */
static const tc *sort_g;
static int sort_year;

static int by_weight(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_g->nvals[x] != sort_g->nvals[y])
        return sort_g->nvals[y] - sort_g->nvals[x];
    fz_plot_cell cx = { 0, 0, 0 }, cy = { 0, 0, 0 };
    int hx = tc_cell(sort_g, x, sort_year, &cx), hy = tc_cell(sort_g, y, sort_year, &cy);
    if (hx != hy)
        return hy - hx;
    if (hx && cx.v != cy.v)
        return cx.v > cy.v ? -1 : 1;
    return strcmp(sort_g->name[x], sort_g->name[y]);
}

int fz_report_plot(const fz_table *t, const fz_chart_req *q, const char *path, double w,
                   double h, fz_diag *diag)
{
    if (q->kind == FZ_CHART_SCATTER)
        return plot_scatter(t, q, path, w, h, diag);
    const char *valcol = q->value;
    if (!valcol)
        valcol = q->kind == FZ_CHART_SLOPE          ? "rank"
                 : rep_col_of(t, "value") < 0 && rep_col_of(t, "composite") >= 0 ? "composite"
                                                                                  : "value";
    tc g;
    int rc = tc_load(&g, t, q, valcol, diag);
    if (rc < 0) {
        tc_release(&g);
        return rc;
    }
    int latest = q->year ? q->year : g.years[g.ny - 1];
    const char *ind = q->indicator && *q->indicator ? q->indicator : "";
    if (!*ind && g.c_ind >= 0)
        ind = rep_text(t, 0, g.c_ind);
    const char *name = *ind ? taxo(q->indicators, ind, "name_zh") : "";
    const char *unit = *ind ? taxo(q->indicators, ind, "unit") : "";
    if (!*name)
        name = *ind ? ind : valcol;

    size_t *ord = fz_xcalloc(g.nu + 1, sizeof *ord);
    for (size_t i = 0; i < g.nu; i++)
        ord[i] = i;
    sort_g = &g;
    sort_year = latest;
    qsort(ord, g.nu, sizeof *ord, by_weight);
    sort_g = NULL;

    fz_plot_spec s = { .kind = (fz_chart_kind)q->kind, .source = q->source, .top_n = q->top_n };
    const char **rows = fz_xcalloc(g.nu + 1, sizeof *rows);
    char **cols = fz_xcalloc(g.ny + 2, sizeof *cols);
    double *xs = fz_xcalloc(g.ny + 2, sizeof *xs);
    fz_plot_cell *cells = NULL;
    size_t ncols = 0, n = 0;
    char *title = NULL;
    if (q->kind == FZ_CHART_BAR || q->kind == FZ_CHART_SLOPE) {
        int y1 = latest, y0 = q->from;
        if (q->kind == FZ_CHART_SLOPE && !y0)
            for (size_t k = 0; k < g.ny; k++)
                if (g.years[k] < y1)
                    y0 = g.years[k];
        if (q->kind == FZ_CHART_SLOPE && !y0) {
            fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "slope chart needs two years; only %d has data", y1);
            rc = FZ_EINPUT;
            goto done;
        }
        ncols = q->kind == FZ_CHART_BAR ? 1 : 2;
        int ys[2] = { q->kind == FZ_CHART_BAR ? y1 : y0, y1 };
        for (size_t k = 0; k < ncols; k++)
            cols[k] = fz_xasprintf("%d", ys[k]);
        cells = fz_xcalloc((g.nu + 1) * ncols, sizeof *cells);
        for (size_t i = 0; i < g.nu; i++) {
            fz_plot_cell c[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
            int any = 0;
            for (size_t k = 0; k < ncols; k++)
                any |= tc_cell(&g, ord[i], ys[k], &c[k]);
            if (!any)
                continue; /* a unit without this year is not in the chart */
            rows[n] = g.name[ord[i]];
            memcpy(&cells[n * ncols], c, ncols * sizeof *c);
            n++;
        }
        if (q->kind == FZ_CHART_BAR)
            title = fz_xasprintf("%s%s%s%s，%d年", name, *unit ? "（" : "", unit, *unit ? "）" : "", y1);
        else
            title = fz_xasprintf("%s：名次 %d→%d", name, y0, y1);
    } else {
        ncols = g.ny;
        for (size_t k = 0; k < g.ny; k++) {
            cols[k] = fz_xasprintf("%d", g.years[k]);
            xs[k] = g.years[k];
        }
        cells = fz_xcalloc((g.nu + 1) * ncols, sizeof *cells);
        for (size_t i = 0; i < g.nu; i++) {
            rows[n] = g.name[ord[i]];
            for (size_t k = 0; k < ncols; k++)
                tc_cell(&g, ord[i], g.years[k], &cells[n * ncols + k]);
            n++;
        }
        if (q->kind == FZ_CHART_HEATMAP && strcmp(valcol, "zscore") == 0) {
            s.diverging = 1;
            s.clamp = 2.5;
        }
        title = fz_xasprintf("%s%s%s%s，%d—%d年", name, *unit ? "（" : "", unit, *unit ? "）" : "",
                             g.years[0], g.years[g.ny - 1]);
    }
    if (strcmp(valcol, "value") != 0) { /* say what is drawn when it is not the figure */
        static const char *const names[][2] = { { "zscore", "z 分数" },   { "minmax", "极差分" },
                                                { "rank", "名次" },       { "percentile", "百分位" },
                                                { "index", "指数" },      { "per10k", "每万人" },
                                                { "yoy_pct", "同比 %" },  { "yoy_change", "同比变化" },
                                                { "parent_share", "占上级 %" } };
        const char *label = valcol;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strcmp(valcol, names[i][0]) == 0)
                label = names[i][1];
        char *t2 = fz_xasprintf("%s · %s", title, label);
        free(title);
        title = t2;
    }
    s.title = q->title ? q->title : title;
    s.nrows = n;
    s.rows = rows;
    s.ncols = ncols;
    s.cols = (const char *const *)cols;
    s.xs = xs;
    s.cells = cells;
    rc = draw(&s, path, w, h, q->epoch, diag);
done:
    free(title);
    for (size_t k = 0; k < ncols; k++)
        free(cols[k]);
    free(cols);
    free(xs);
    free(rows);
    free(cells);
    free(ord);
    tc_release(&g);
    return rc;
}
