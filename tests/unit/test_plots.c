/* test_plots.c: the chart layer. Scales, ticks and colours are checked as
 * numbers; charts are checked as geometry on tiny fixtures (bar lengths
 * proportional to values, missing values drawn as missing, sorted order);
 * the renderer is checked for page count, determinism and file formats.
 * Also leaves plots_demo.pdf (every chart kind) in the working directory for
 * looking at. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "check.h"
#include "err.h"
#include "plots.h"
#include "render.h"
#include "xalloc.h"

/* cairo 1.16 leaks one array (768 bytes) for every PDF that shows text
 * (reproduced without fzstat: a PDF surface, cairo_show_text, finish,
 * destroy, cairo_debug_reset_static_data), and fontconfig keeps its parsed
 * configuration until exit (only FcFini frees it, unsafe while cairo holds
 * fonts). LeakSanitizer reads this hook in sanitizer builds; elsewhere it is
 * an unused function. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-6 * fmax(1, fabs(b));
}

static void test_scales(void)
{
    CHECK(near(fz_nice_step(100, 5), 20));
    CHECK(near(fz_nice_step(1, 5), 0.2));
    CHECK(near(fz_nice_step(7, 5), 2));
    CHECK(near(fz_nice_step(12, 5), 2.5));
    CHECK(near(fz_nice_step(4130, 5), 1000));

    fz_scale s;
    fz_scale_linear(&s, 0, 87, 0, 200);
    fz_scale_nice(&s, 5);
    CHECK(near(s.d0, 0) && near(s.d1, 100));
    double t[32];
    size_t n = fz_scale_ticks(&s, 5, t, 32);
    CHECK(n == 6 && near(t[0], 0) && near(t[1], 20) && near(t[5], 100));
    CHECK(near(fz_scale_map(&s, 50), 100));

    /* awkward domain: 413..99.5 reversed keeps its direction */
    fz_scale_linear(&s, 413, 99.5, 0, 1);
    fz_scale_nice(&s, 5);
    CHECK(s.d0 > s.d1 && near(s.d0, 500) && near(s.d1, 0));

    /* every tick is a multiple of a 1/2/2.5/5 x 10^k step */
    fz_scale_linear(&s, -3.7, 12.2, 0, 1);
    fz_scale_nice(&s, 5);
    n = fz_scale_ticks(&s, 5, t, 32);
    int nice = n >= 3;
    for (size_t i = 1; i < n; i++)
        nice = nice && near(t[i] - t[i - 1], t[1] - t[0]);
    CHECK(nice && near(t[1] - t[0], 5) && near(t[0], -5) && near(t[n - 1], 15));
    fz_scale_linear(&s, 0, 11.5, 0, 1);
    n = fz_scale_ticks(&s, 5, t, 32);
    CHECK(n == 5 && near(t[1], 2.5) && near(t[4], 10));

    fz_scale_log(&s, 3, 4500, 0, 100);
    fz_scale_nice(&s, 5);
    CHECK(near(s.d0, 1) && near(s.d1, 10000));
    n = fz_scale_ticks(&s, 5, t, 32);
    CHECK(n == 5 && near(t[0], 1) && near(t[4], 10000));
    CHECK(near(fz_scale_map(&s, 100), 50));
    fz_scale_log(&s, 10, 900, 0, 100);
    fz_scale_nice(&s, 5);
    n = fz_scale_ticks(&s, 5, t, 32);
    CHECK(n == 7 && near(t[1], 20) && near(t[2], 50)); /* 1-2-5 on a short span */

    fz_scale_band(&s, 4, 0.2, 0, 84);
    CHECK(near(fz_scale_band_start(&s, 0), 4) && near(fz_scale_bandwidth(&s), 16));
    CHECK(near(fz_scale_band_start(&s, 3), 64));

    char buf[64];
    CHECK(strcmp(fz_plot_tick_label(1200, 100, buf, sizeof buf), "1,200") == 0);
    CHECK(strcmp(fz_plot_tick_label(0.25, 0.05, buf, sizeof buf), "0.25") == 0);
    CHECK(strcmp(fz_plot_tick_label(-0.0000001, 2.5, buf, sizeof buf), "0.0") == 0);
    CHECK(strcmp(fz_plot_tick_label(-1234567, 1, buf, sizeof buf), "-1,234,567") == 0);
}

static void test_colours(void)
{
    int distinct = 1;
    for (size_t i = 0; i < 8; i++)
        for (size_t j = i + 1; j < 8; j++) {
            fz_rgb a = fz_plot_palette(i), b = fz_plot_palette(j);
            distinct = distinct && (a.r != b.r || a.g != b.g || a.b != b.b);
        }
    CHECK(distinct);
    CHECK(fz_plot_palette(9).r == fz_plot_palette(1).r);
    fz_rgb v0 = fz_plot_viridis(0), v1 = fz_plot_viridis(1), vm = fz_plot_viridis(0.5);
    CHECK(near(v0.r, 0.267) && near(v1.g, 0.906));
    /* perceptually ordered: lightness increases along viridis */
    double l0 = 0.3 * v0.r + 0.59 * v0.g + 0.11 * v0.b, lm = 0.3 * vm.r + 0.59 * vm.g + 0.11 * vm.b,
           l1 = 0.3 * v1.r + 0.59 * v1.g + 0.11 * v1.b;
    CHECK(l0 < lm && lm < l1);
    fz_rgb d0 = fz_plot_diverging(0), dn = fz_plot_diverging(-1), dp = fz_plot_diverging(5);
    CHECK(d0.r > 0.95 && d0.g > 0.95 && d0.b > 0.95);
    CHECK(dn.b > dn.r && dp.r > dp.b);
    CHECK(near(dp.r, fz_plot_diverging(1).r)); /* clamped */
}

/* ---- fixtures --------------------------------------------------------------- */

static const fz_mark *find_rect(const fz_plot_layout *l, long row, long col)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->marks[i].kind == FZ_MARK_RECT && l->marks[i].role == FZ_ROLE_DATA &&
            l->marks[i].row == row && l->marks[i].col == col)
            return &l->marks[i];
    return NULL;
}

static const fz_mark *find_text(const fz_plot_layout *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->marks[i].kind == FZ_MARK_TEXT && strstr(l->marks[i].text, s))
            return &l->marks[i];
    return NULL;
}

static const char *const regions4[] = { "大路边镇", "新城镇", "西湖区司法局", "丰台区" };

static void test_bar(void)
{
    fz_plot_cell cells[4] = { { 10, 1, 0 }, { 40, 1, 0 }, { 0, 0, 0 }, { 20, 1, 1 } };
    const char *cols[] = { "2022" };
    fz_plot_spec s = { .kind = FZ_CHART_BAR, .title = "行政处罚案件（件），2022年",
                       .source = "示例数据 synthetic sample", .nrows = 4, .rows = regions4,
                       .ncols = 1, .cols = cols, .cells = cells };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_build(&s, 400, 220, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 3);
    const fz_mark *a = find_rect(&l, 0, 0), *b = find_rect(&l, 1, 0), *c = find_rect(&l, 3, 0);
    CHECK(a && b && c && !find_rect(&l, 2, 0)); /* the NA region has no bar */
    if (a && b && c) {
        double wa = a->x1 - a->x0, wb = b->x1 - b->x0, wc = c->x1 - c->x0;
        CHECK(near(wb / wa, 4) && near(wc / wa, 2)); /* lengths proportional to values */
        CHECK(near(a->x0, b->x0));                   /* one baseline */
        CHECK(b->y0 < c->y0 && c->y0 < a->y0);       /* sorted: 40, 20, 10 */
        CHECK(c->hollow && !a->hollow);              /* 20 is approximate */
    }
    CHECK(find_text(&l, "≈20") != NULL);
    CHECK(find_text(&l, "无数据") != NULL);
    CHECK(find_text(&l, "来源：示例数据") != NULL);
    CHECK(find_text(&l, "约数") != NULL); /* legend note for the approximate value */
    /* tick labels are nice numbers: 0, 10, ..., 40 */
    CHECK(find_text(&l, "40") && find_text(&l, "30"));
    /* no two category labels overlap */
    int apart = 1;
    for (size_t i = 0; i < l.n; i++)
        for (size_t j = i + 1; j < l.n; j++) {
            const fz_mark *p = &l.marks[i], *q = &l.marks[j];
            if (p->kind == FZ_MARK_TEXT && q->kind == FZ_MARK_TEXT && p->role == FZ_ROLE_LABEL &&
                q->role == FZ_ROLE_LABEL && p->align == FZ_ALIGN_RIGHT &&
                q->align == FZ_ALIGN_RIGHT)
                apart = apart && fabs(p->y0 - q->y0) >= p->size;
        }
    CHECK(apart);

    /* hundreds of regions: top-N bars and a "其余 N 个" row */
    enum { N = 300 };
    fz_plot_cell *many = fz_xcalloc(N, sizeof *many);
    char **names = fz_xcalloc(N, sizeof *names);
    for (size_t i = 0; i < N; i++) {
        names[i] = fz_xasprintf("地区%zu", i);
        many[i] = (fz_plot_cell){ (double)((i * 37) % 101), i % 7 != 0, 0 };
    }
    s.nrows = N;
    s.rows = (const char *const *)names;
    s.cells = many;
    s.top_n = 15;
    CHECK(fz_plot_build(&s, 400, 300, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 15);
    size_t nok = N - (N + 6) / 7;
    char want[64];
    snprintf(want, sizeof want, "其余 %zu 个", nok - 15);
    CHECK(find_text(&l, want) != NULL);
    /* the top bar is the largest value */
    double top_y = 1e9, top_w = 0, max_w = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.marks[i].kind == FZ_MARK_RECT && l.marks[i].role == FZ_ROLE_DATA) {
            double w = l.marks[i].x1 - l.marks[i].x0;
            max_w = fmax(max_w, w);
            if (l.marks[i].y0 < top_y) {
                top_y = l.marks[i].y0;
                top_w = w;
            }
        }
    CHECK(near(top_w, max_w));
    for (size_t i = 0; i < N; i++)
        free(names[i]);
    free(names);
    free(many);

    /* all missing: axes, no bars, a 无数据 note; never bars of 0 */
    fz_plot_cell none[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    s.nrows = 2;
    s.rows = regions4;
    s.cells = none;
    CHECK(fz_plot_build(&s, 400, 200, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_TEXT, FZ_ROLE_NA) >= 1);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_plot_layout_release(&l);
    fz_diag_release(&d);
}

static const char *const years3[] = { "2020", "2021", "2022" };
static const double years3x[] = { 2020, 2021, 2022 };

static void test_grouped_lines_heatmap(void)
{
    fz_plot_cell cells[9] = {
        { 5, 1, 0 }, { 10, 1, 0 }, { 0, 0, 0 },   /* 大路边镇: 2022 missing */
        { 20, 1, 0 }, { 0, 0, 0 }, { 30, 1, 1 },  /* 新城镇: 2021 missing */
        { 1, 1, 0 }, { 2, 1, 0 }, { 3, 1, 0 },
    };
    fz_plot_spec s = { .kind = FZ_CHART_GROUPED, .title = "调解纠纷（件）", .nrows = 3,
                       .rows = regions4, .ncols = 3, .cols = years3, .xs = years3x,
                       .cells = cells };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_build(&s, 420, 260, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 7);
    size_t na_cells = 0;
    for (size_t i = 0; i < l.n; i++)
        na_cells += l.marks[i].kind == FZ_MARK_HATCH && l.marks[i].row >= 0;
    CHECK(na_cells == 2);
    const fz_mark *a = find_rect(&l, 0, 0), *b = find_rect(&l, 0, 1), *z = find_rect(&l, 1, 2);
    CHECK(a && b && z && !find_rect(&l, 0, 2));
    if (a && b && z) {
        CHECK(near((b->y1 - b->y0) / (a->y1 - a->y0), 2));
        CHECK(near(a->y1, b->y1)); /* common baseline */
        CHECK(z->hollow);
    }
    CHECK(find_text(&l, "2021") != NULL); /* legend */

    s.kind = FZ_CHART_LINES;
    CHECK(fz_plot_build(&s, 420, 260, NULL, NULL, &l, &d) == 0);
    /* segments only between stated neighbours: 1 + 0 + 2 */
    CHECK(fz_plot_layout_count(&l, FZ_MARK_LINE, FZ_ROLE_DATA) == 3);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_POINT, FZ_ROLE_DATA) == 7);
    /* direct labels at the series ends, not overlapping */
    const fz_mark *la = find_text(&l, "大路边镇"), *lb = find_text(&l, "新城镇");
    CHECK(la && lb && fabs(la->y0 - lb->y0) >= la->size);

    s.kind = FZ_CHART_HEATMAP;
    CHECK(fz_plot_build(&s, 420, 200, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 7);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_HATCH, FZ_ROLE_NA) >= 2);
    const fz_mark *lo = find_rect(&l, 2, 0), *hi = find_rect(&l, 1, 2);
    CHECK(lo && hi && lo->fill.r < hi->fill.r); /* viridis: dark low, yellow high */

    s.kind = FZ_CHART_DIST;
    fz_plot_cell med[3] = { { 5, 1, 0 }, { 6, 1, 0 }, { 0, 0, 0 } };
    s.col_marks = med;
    CHECK(fz_plot_build(&s, 420, 200, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_POINT, FZ_ROLE_DATA) == 7);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_LINE, FZ_ROLE_FIT) == 2);
    CHECK(find_text(&l, "n=2") != NULL);
    fz_plot_layout_release(&l);
    fz_diag_release(&d);
}

/* The first and last marks of a kind in l that have a row (-1 if none);
 * the number of them. */
static size_t cell_marks(const fz_plot_layout *l, fz_mark_kind kind, long *first, long *last)
{
    size_t n = 0;
    *first = *last = -1;
    for (size_t i = 0; i < l->n; i++)
        if (l->marks[i].kind == kind && l->marks[i].row >= 0) {
            if (*first < 0)
                *first = (long)i;
            *last = (long)i;
            n++;
        }
    return n;
}

/* The missing cells of a heatmap and the stubs of grouped bars come after
 * the filled cells or bars, one after the other (the renderer hatches them
 * as one group), in row order; a heatmap's cells keep their places. Grouped
 * bars with a pale bar below the baseline (a negative approximate value,
 * whose outline could reach a stub) keep each stub in its place. */
static void test_hatch_order(void)
{
    enum { NR = 9, NC = 7 };
    const char *rows[NR], *cols[NC];
    fz_plot_cell cells[NR * NC];
    uint64_t seed = 42;
    size_t missing = 0;
    for (size_t r = 0; r < NR; r++)
        rows[r] = regions4[r % 4];
    for (size_t k = 0; k < NC; k++)
        cols[k] = years3[k % 3];
    for (size_t i = 0; i < NR * NC; i++) {
        uint64_t x = check_xorshift(&seed);
        cells[i] = (fz_plot_cell){ (double)(x % 50) + 1, x % 3 != 0, (x >> 8) % 5 == 0 };
        missing += x % 3 == 0;
    }
    fz_plot_spec s = { .kind = FZ_CHART_HEATMAP, .title = "覆盖", .nrows = NR, .rows = rows,
                       .ncols = NC, .cols = cols, .cells = cells, .hide_values = 1 };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    long hf, hl, rf, rl;
    CHECK(fz_plot_build(&s, 420, 300, NULL, NULL, &l, &d) == 0);
    CHECK(cell_marks(&l, FZ_MARK_HATCH, &hf, &hl) == missing);
    CHECK(cell_marks(&l, FZ_MARK_RECT, &rf, &rl) == NR * NC - missing);
    CHECK(rl < hf && hl - hf + 1 == (long)missing);
    for (long i = hf + 1; i <= hl; i++) {
        const fz_mark *a = &l.marks[i - 1], *b = &l.marks[i];
        CHECK(a->row < b->row || (a->row == b->row && a->col < b->col));
        CHECK(b->y0 > a->y0 || (b->y0 == a->y0 && b->x0 > a->x0));
    }
    for (long i = hf; i <= hl; i++) { /* no filled cell overlaps a hatched one */
        const fz_mark *h = &l.marks[i];
        for (long j = rf; j <= rl; j++) {
            const fz_mark *r = &l.marks[j];
            if (r->kind == FZ_MARK_RECT && r->row >= 0)
                CHECK(r->x1 < h->x0 || r->x0 > h->x1 || r->y1 < h->y0 || r->y0 > h->y1);
        }
    }

    s.kind = FZ_CHART_GROUPED;
    s.top_n = NR;
    CHECK(fz_plot_build(&s, 420, 260, NULL, NULL, &l, &d) == 0);
    CHECK(cell_marks(&l, FZ_MARK_HATCH, &hf, &hl) == missing);
    CHECK(cell_marks(&l, FZ_MARK_RECT, &rf, &rl) == NR * NC - missing);
    CHECK(rl < hf && hl - hf + 1 == (long)missing);

    /* a negative approximate value: each stub in its place */
    cells[0] = (fz_plot_cell){ -20, 1, 1 };
    CHECK(fz_plot_build(&s, 420, 260, NULL, NULL, &l, &d) == 0);
    CHECK(cell_marks(&l, FZ_MARK_HATCH, &hf, &hl) == missing);
    long prev_r = -1, prev_k = -1;
    for (size_t i = 0; i < l.n; i++) { /* bars and stubs in cell order */
        const fz_mark *m = &l.marks[i];
        if (m->row < 0 || (m->kind != FZ_MARK_HATCH && m->kind != FZ_MARK_RECT))
            continue;
        CHECK(m->row > prev_r || (m->row == prev_r && m->col > prev_k));
        prev_r = m->row;
        prev_k = m->col;
    }
    fz_plot_layout_release(&l);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_diag_release(&d);
}

/* A dist column with a box draws the box and only the values beyond its
 * whiskers as dots; a column without one keeps every dot. */
static void test_dist_boxes(void)
{
    enum { N = 30 };
    const char *rows[N], *cols[] = { "2021", "2022" };
    fz_plot_cell cells[N * 2];
    for (size_t r = 0; r < N; r++) {
        rows[r] = "单位";
        cells[r * 2] = (fz_plot_cell){ r == 0 ? 100 : r == 1 ? -50 : (double)r, 1, r == 0 };
        cells[r * 2 + 1] = (fz_plot_cell){ (double)r, r % 3 != 0, 0 };
    }
    fz_plot_box boxes[2] = { { 1, 9, 15.5, 22, 2, 29 }, { 0, 0, 0, 0, 0, 0 } };
    fz_plot_cell med[2] = { { 15, 1, 0 }, { 14, 1, 0 } };
    fz_plot_spec s = { .kind = FZ_CHART_DIST, .title = "分布", .nrows = N, .rows = rows,
                       .ncols = 2, .cols = cols, .cells = cells, .col_marks = med,
                       .col_boxes = boxes };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_build(&s, 420, 220, NULL, NULL, &l, &d) == 0);
    size_t pts0 = 0, pts1 = 0, fit0 = 0, fit1 = 0, box = 0;
    for (size_t i = 0; i < l.n; i++) {
        const fz_mark *m = &l.marks[i];
        if (m->kind == FZ_MARK_POINT && m->role == FZ_ROLE_DATA) {
            pts0 += m->col == 0;
            pts1 += m->col == 1;
            if (m->col == 0)
                CHECK(m->row == 0 || m->row == 1); /* 100 and -50: beyond the whiskers */
        }
        if (m->kind == FZ_MARK_LINE && m->role == FZ_ROLE_FIT) {
            fit0 += m->col == 0;
            fit1 += m->col == 1;
        }
        if (m->kind == FZ_MARK_RECT && m->role == FZ_ROLE_DATA && m->col == 0)
            box++;
    }
    CHECK(pts0 == 2);
    CHECK(pts1 == 20); /* every stated value of the column without a box */
    CHECK(fit0 == 1 && fit1 == 1); /* the box's median; the passed median */
    CHECK(box == 1);
    CHECK(find_text(&l, "n=30") != NULL && find_text(&l, "n=20") != NULL);
    int note = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.marks[i].kind == FZ_MARK_TEXT && strstr(l.marks[i].text, "1.5 倍四分位距"))
            note = 1;
    CHECK(note); /* the chart says what the box shows */

    s.col_boxes = NULL; /* without boxes: dots only */
    CHECK(fz_plot_build(&s, 420, 220, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_POINT, FZ_ROLE_DATA) == N + 20);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_RECT, FZ_ROLE_DATA) == 0);
    fz_plot_layout_release(&l);
    fz_diag_release(&d);
}

static void test_scatter_slope(void)
{
    const char *cols[] = { "行政处罚案件", "行政复议案件" };
    fz_plot_cell cells[8] = { { 1, 1, 0 }, { 2, 1, 0 }, { 2, 1, 0 }, { 3, 1, 1 },
                              { 3, 1, 0 }, { 0, 0, 0 }, { 4, 1, 0 }, { 5, 1, 0 } };
    fz_plot_spec s = { .kind = FZ_CHART_SCATTER, .title = "两项指标", .nrows = 4,
                       .rows = regions4, .ncols = 2, .cols = cols, .cells = cells,
                       .has_fit = 1, .fit_a = 0.5, .fit_b = 1.1, .fit_r = 0.987, .fit_n = 3 };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_build(&s, 360, 260, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_POINT, FZ_ROLE_DATA) == 3);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_LINE, FZ_ROLE_FIT) == 1);
    CHECK(find_text(&l, "r = 0.99") != NULL);

    /* ranks: 1 is drawn on top */
    const char *yrs[] = { "2021", "2022" };
    fz_plot_cell ranks[8] = { { 1, 1, 0 }, { 3, 1, 0 }, { 2, 1, 0 }, { 1, 1, 0 },
                              { 3, 1, 0 }, { 2, 1, 0 }, { 0, 0, 0 }, { 4, 1, 0 } };
    fz_plot_spec sl = { .kind = FZ_CHART_SLOPE, .title = "名次", .nrows = 4, .rows = regions4,
                        .ncols = 2, .cols = yrs, .cells = ranks };
    CHECK(fz_plot_build(&sl, 360, 260, NULL, NULL, &l, &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_LINE, FZ_ROLE_DATA) == 3);
    const fz_mark *first = NULL;
    for (size_t i = 0; i < l.n; i++)
        if (l.marks[i].kind == FZ_MARK_LINE && l.marks[i].role == FZ_ROLE_DATA &&
            l.marks[i].row == 0)
            first = &l.marks[i];
    CHECK(first && first->y0 < first->y1); /* rank 1 -> 3 goes down */

    /* misuse is a diagnostic, not a crash */
    s.ncols = 1;
    CHECK(fz_plot_build(&s, 360, 260, NULL, NULL, &l, &d) == FZ_EINPUT);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 1);
    fz_chart_kind k;
    CHECK(fz_chart_kind_parse("heatmap", &k) == 0 && k == FZ_CHART_HEATMAP);
    CHECK(fz_chart_kind_parse("pie", &k) == FZ_EINPUT);
    fz_plot_layout_release(&l);
    fz_diag_release(&d);
}

static void test_multiples(void)
{
    /* three panels, one region each, one shared value axis */
    fz_plot_cell cells[9] = { { 5, 1, 0 },  { 10, 1, 0 }, { 0, 0, 0 },
                              { 50, 1, 0 }, { 0, 0, 0 },  { 100, 1, 1 },
                              { 1, 1, 0 },  { 2, 1, 0 },  { 3, 1, 0 } };
    fz_plot_spec p[3];
    for (size_t i = 0; i < 3; i++)
        p[i] = (fz_plot_spec){ .kind = FZ_CHART_LINES, .title = regions4[i], .nrows = 1,
                               .rows = &regions4[i], .ncols = 3, .cols = years3,
                               .xs = years3x, .cells = &cells[i * 3], .fixed = 1,
                               .fixed_lo = 1, .fixed_hi = 100 };
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_build_multiples(p, 3, 2, "调解纠纷（件）", "示例数据", 500, 400, NULL, NULL, &l,
                                  &d) == 0);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_POINT, FZ_ROLE_DATA) == 7);
    CHECK(fz_plot_layout_count(&l, FZ_MARK_LINE, FZ_ROLE_DATA) == 3);
    CHECK(find_text(&l, "调解纠纷") && find_text(&l, "来源：示例数据"));
    CHECK(find_text(&l, "新城镇") && find_text(&l, "西湖区司法局"));
    /* every mark inside the box; panel 3 sits in the second row */
    int inside = 1;
    double y_first = 0, y_third = 0;
    for (size_t i = 0; i < l.n; i++) {
        const fz_mark *m = &l.marks[i];
        inside = inside && m->x0 >= 0 && m->x0 <= 500 && m->y0 >= 0 && m->y0 <= 400;
        if (m->kind == FZ_MARK_TEXT && strcmp(m->text, regions4[0]) == 0)
            y_first = m->y0;
        if (m->kind == FZ_MARK_TEXT && strcmp(m->text, regions4[2]) == 0)
            y_third = m->y0;
    }
    CHECK(inside);
    CHECK(y_third > y_first + 100);
    /* one shared axis: the value 100 of panel 2 and the top tick of panel 1
     * are at the same height relative to their panels */
    double top1 = 1e9, top2 = 1e9;
    for (size_t i = 0; i < l.n; i++) {
        const fz_mark *m = &l.marks[i];
        if (m->kind == FZ_MARK_TEXT && m->role == FZ_ROLE_TICK && strcmp(m->text, "100") == 0) {
            if (m->x0 < 250)
                top1 = fmin(top1, m->y0);
            else
                top2 = fmin(top2, m->y0);
        }
    }
    CHECK(top1 < 1e9 && near(top1, top2));
    CHECK(fz_plot_build_multiples(p, 0, 2, "x", "", 500, 400, NULL, NULL, &l, &d) == FZ_EINPUT);
    fz_plot_layout_release(&l);
    fz_diag_release(&d);
}

/* ---- rendering ---------------------------------------------------------------- */

static char *render_demo(fz_plot_fonts *f, size_t *len, fz_diag *d)
{
    char *mem = NULL;
    FILE *fp = open_memstream(&mem, len);
    fz_pdoc_meta meta = { "示例", NULL, NULL, "fzstat test", 1700000000 };
    fz_pdoc *doc = fz_pdoc_new(f, FZ_PDOC_PDF, fp, 595, 842, &meta, d);
    fz_plot_cell cells[12] = {
        { 5, 1, 0 }, { 10, 1, 0 }, { 0, 0, 0 },  { 20, 1, 0 }, { 0, 0, 0 }, { 30, 1, 1 },
        { 1, 1, 0 }, { 2, 1, 0 },  { 3, 1, 0 },  { 8, 1, 0 },  { 9, 1, 1 }, { 7, 1, 0 },
    };
    fz_plot_spec s = { .title = "调解纠纷（件），2020—2022年", .subtitle = "四个地区",
                       .source = "示例数据 synthetic sample，2020—2022年", .nrows = 4,
                       .rows = regions4, .ncols = 3, .cols = years3, .xs = years3x,
                       .cells = cells };
    fz_pdoc_page(doc);
    fz_pdoc_dest(doc, "p1", 0, 0);
    fz_pdoc_outline(doc, 0, "图表一", "p1");
    for (int k = 0; k < 4; k++) {
        s.kind = (fz_chart_kind)k;
        fz_pdoc_chart(doc, &s, 20 + (k % 2) * 280, 30 + (k / 2) * 260, 270, 250, d);
    }
    fz_pdoc_page(doc);
    fz_pdoc_dest(doc, "p2", 0, 0);
    fz_pdoc_outline(doc, 0, "图表二", "p2");
    s.kind = FZ_CHART_DIST;
    fz_pdoc_chart(doc, &s, 20, 30, 270, 250, d);
    const char *c2[] = { "2021", "2022" };
    s.cols = c2;
    s.ncols = 2;
    fz_plot_cell sc[8] = { { 3, 1, 0 }, { 4, 1, 0 }, { 5, 1, 0 }, { 4.5, 1, 1 },
                           { 7, 1, 0 }, { 9, 1, 0 }, { 2, 1, 0 }, { 0, 0, 0 } };
    s.cells = sc;
    s.kind = FZ_CHART_SCATTER;
    s.has_fit = 1;
    s.fit_a = 1;
    s.fit_b = 1.05;
    s.fit_r = 0.91;
    s.fit_n = 3;
    fz_pdoc_chart(doc, &s, 300, 30, 270, 250, d);
    fz_plot_cell rk[8] = { { 1, 1, 0 }, { 2, 1, 0 }, { 2, 1, 0 }, { 1, 1, 0 },
                           { 3, 1, 0 }, { 4, 1, 0 }, { 4, 1, 0 }, { 3, 1, 0 } };
    s.cells = rk;
    s.kind = FZ_CHART_SLOPE;
    fz_pdoc_chart(doc, &s, 20, 300, 270, 250, d);
    fz_pdoc_style st = { 9, 0, { 0, 0, 0 }, FZ_ALIGN_LEFT, 0 };
    fz_pdoc_text(doc, 300, 300, 250, "文字可以选择和搜索：大路边镇。This wraps inside its box.",
                 &st);
    fz_pdoc_link(doc, "p1", 300, 300, 250, 20);
    int rc = fz_pdoc_finish(doc, d);
    fz_pdoc_free(doc);
    fclose(fp);
    return rc == 0 ? mem : (free(mem), NULL);
}

static size_t count(const char *hay, size_t n, const char *needle)
{
    size_t c = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            c++;
    return c;
}

/* The fonts for a test, d initialized for its diagnostics; NULL (a failed
 * check, d released) when no CJK font is found. */
static fz_plot_fonts *test_fonts(fz_diag *d)
{
    fz_diag_init(d);
    fz_plot_fonts *f = fz_plot_fonts_new(d);
    CHECK(f != NULL);
    if (!f)
        fz_diag_release(d);
    return f;
}

/* Fonts warmed (font sets made ahead, all sizes first) measure and draw as
 * fonts that were not: the same widths at the warmed sizes and others,
 * the same PDF bytes. */
static void test_fonts_warm(void)
{
    fz_diag d, d2;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    fz_plot_fonts *g = test_fonts(&d2);
    if (!g) {
        fz_plot_fonts_free(f);
        fz_diag_release(&d);
        return;
    }
    static const double sizes[] = { 6.5, 7, 7.5, 9.5, 10.5, 26 };
    static const int bold[] = { 0, 1, 0, 1, 0, 1 };
    fz_plot_fonts_warm(f, sizes, bold, sizeof sizes / sizeof *sizes);
    static const char *const texts[] = { "大路边镇 2021年", "n = 18（件），fzstat 0.1.0…",
                                         "Pearson r 与 Spearman ρ" };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (double size = 6.5; size <= 12; size += 0.5)
            for (int b = 0; b < 2; b++)
                CHECK(fz_plot_fonts_measure(f, texts[t], size, b) ==
                      fz_plot_fonts_measure(g, texts[t], size, b));
    size_t n1 = 0, n2 = 0;
    char *a = render_demo(f, &n1, &d), *c = render_demo(g, &n2, &d2);
    CHECK(a && c && n1 == n2 && memcmp(a, c, n1) == 0);
    free(a);
    free(c);
    fz_plot_fonts_free(g);
    fz_plot_fonts_free(f);
    fz_diag_release(&d2);
    fz_diag_release(&d);
}

static void test_render(void)
{
    fz_diag d;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    CHECK(strstr(fz_plot_fonts_family(f), "CJK") != NULL);
    double w1 = fz_plot_fonts_measure(f, "大路边镇", 10, 0);
    CHECK(w1 > 35 && w1 < 45); /* four CJK characters at 10 pt: about 1 em each */
    size_t n1 = 0, n2 = 0;
    char *a = render_demo(f, &n1, &d), *b = render_demo(f, &n2, &d);
    CHECK(a && b);
    if (a && b) {
        CHECK(n1 > 1000 && memcmp(a, "%PDF-", 5) == 0);
        CHECK(n1 == n2 && memcmp(a, b, n1) == 0); /* deterministic bytes */
        CHECK(count(a, n1, "/Type /Page\n") + count(a, n1, "/Type /Page ") +
                  count(a, n1, "/Type /Page>") ==
              2);
        CHECK(count(a, n1, "/Outlines") >= 1);
        CHECK(count(a, n1, "/FontFile") >= 1); /* fonts embedded */
        /* chart points are drawn from one form per size and colour */
        CHECK(count(a, n1, "/Subtype /Form") >= 1);
        FILE *out = fopen("plots_demo.pdf", "wb");
        if (out) {
            fwrite(a, 1, n1, out);
            fclose(out);
        }
    }
    free(a);
    free(b);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);

    /* one chart to PNG and SVG files */
    fz_plot_cell cells[4] = { { 10, 1, 0 }, { 40, 1, 0 }, { 0, 0, 0 }, { 20, 1, 1 } };
    const char *cols[] = { "2022" };
    fz_plot_spec s = { .kind = FZ_CHART_BAR, .title = "行政处罚案件（件），2022年", .nrows = 4,
                       .rows = regions4, .ncols = 1, .cols = cols, .cells = cells };
    CHECK(fz_plot_save(f, &s, "plots_test.png", 400, 240, 0, &d) == 0);
    size_t n = 0;
    char *png = check_slurp("plots_test.png", &n);
    CHECK(png && n > 8 && memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    CHECK(fz_plot_save(f, &s, "plots_test.svg", 400, 240, 0, &d) == 0);
    char *svg = check_slurp("plots_test.svg", &n);
    CHECK(svg && strstr(svg, "<svg") != NULL);
    free(svg);
    CHECK(fz_plot_save(f, &s, "plots_test.gif", 400, 240, 0, &d) == FZ_EINPUT);
    /* output under a plain file fails cleanly */
    CHECK(fz_plot_save(f, &s, "plots_test.png/x.png", 400, 240, 0, &d) == FZ_EIO);
    remove("plots_test.png");
    remove("plots_test.svg");
    fz_plot_fonts_free(f);
    fz_diag_release(&d);
}

/* A document of 9 pages (charts, hatches, points, text, nested bookmarks,
 * destinations and links) drawn straight onto the PDF (threads < 0) or
 * page by page through recordings (fz_pdoc_record_pages). ids: the
 * bookmark ids returned, 12 of them. done: pages 1, 3, 5 and 7 end with
 * fz_pdoc_page_done(), and the document with fz_pdoc_end_pages() and
 * fz_plot_fonts_trim() before fz_pdoc_finish(). */
static char *render_pages(fz_plot_fonts *f, int threads, int done, size_t *len, int *ids,
                          fz_diag *d)
{
    char *mem = NULL;
    FILE *fp = open_memstream(&mem, len);
    fz_pdoc_meta meta = { "示例", NULL, NULL, "fzstat test", 1700000000 };
    fz_pdoc *doc = fz_pdoc_new(f, FZ_PDOC_PDF, fp, 595, 842, &meta, d);
    if (threads >= 0)
        fz_pdoc_record_pages(doc, threads);
    fz_plot_cell cells[12] = {
        { 5, 1, 0 }, { 10, 1, 0 }, { 0, 0, 0 },  { 20, 1, 0 }, { 0, 0, 0 }, { 30, 1, 1 },
        { 1, 1, 0 }, { 2, 1, 0 },  { 3, 1, 0 },  { 8, 1, 0 },  { 9, 1, 1 }, { 7, 1, 0 },
    };
    fz_plot_spec s = { .title = "调解纠纷（件），2020—2022年", .subtitle = "四个地区",
                       .source = "示例数据 synthetic sample，2020—2022年", .nrows = 4,
                       .rows = regions4, .ncols = 3, .cols = years3, .xs = years3x,
                       .cells = cells };
    fz_pdoc_style st = { 9, 0, { 0, 0, 0 }, FZ_ALIGN_LEFT, 0 };
    size_t nid = 0;
    ids[nid++] = fz_pdoc_outline(doc, 0, "封面", "p1"); /* before the first page */
    int top = 0;
    for (int pg = 1; pg <= 9; pg++) {
        CHECK(fz_pdoc_page(doc) == pg);
        char name[16], title[32];
        snprintf(name, sizeof name, "p%d", pg);
        fz_pdoc_dest(doc, name, 56, 58 + pg);
        snprintf(title, sizeof title, "第%d页", pg);
        if (pg % 3 == 1)
            ids[nid++] = top = fz_pdoc_outline(doc, 0, title, name);
        else
            ids[nid++] = fz_pdoc_outline(doc, top, title, name);
        s.kind = (fz_chart_kind)(pg % 5);
        fz_pdoc_chart(doc, &s, 20, 80, 270, 250, d);
        fz_pdoc_hatch(doc, 300, 80, 20, 10);
        fz_pdoc_text(doc, 300, 300, 250, "文字可以选择和搜索：大路边镇。This wraps inside its box.",
                     &st);
        fz_pdoc_link(doc, pg > 1 ? "p1" : "p9", 300, 300, 250, 20);
        if (done && pg % 2 && pg < 9)
            fz_pdoc_page_done(doc);
    }
    ids[nid++] = fz_pdoc_outline(doc, 99, "无此上级", "p1"); /* no such parent: 0 */
    ids[nid++] = fz_pdoc_outline(doc, ids[1], "最后", "p9");
    if (done) {
        fz_pdoc_end_pages(doc);
        fz_plot_fonts_trim(f);
    }
    int rc = fz_pdoc_finish(doc, d);
    fz_pdoc_free(doc);
    fclose(fp);
    return rc == 0 ? mem : (free(mem), NULL);
}

/* Pages recorded and then written, on this thread or on a second one,
 * give the same bytes; against a document drawn straight onto the PDF:
 * the same pages, bookmarks (and their ids), destinations, links, fonts
 * and forms. Pages handed over early (fz_pdoc_page_done, fz_pdoc_end_pages)
 * change nothing. A recorded document freed without finishing stops its
 * writer, whether its pages were ended or not. */
static void test_record_pages(void)
{
    fz_diag d;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    size_t n[5] = { 0 };
    int ids[5][12];
    char *a = render_pages(f, -1, 0, &n[0], ids[0], &d);
    char *b = render_pages(f, 1, 0, &n[1], ids[1], &d);
    char *c = render_pages(f, 2, 0, &n[2], ids[2], &d);
    char *e = render_pages(f, 2, 1, &n[3], ids[3], &d);
    char *g = render_pages(f, -1, 1, &n[4], ids[4], &d);
    CHECK(a && b && c && e && g);
    if (a && b && c && e && g) {
        CHECK(n[1] == n[2] && memcmp(b, c, n[1]) == 0);
        /* pages handed over early: the same bytes (a straight document
         * ignores fz_pdoc_page_done) */
        CHECK(n[1] == n[3] && memcmp(b, e, n[1]) == 0);
        CHECK(n[0] == n[4] && memcmp(a, g, n[0]) == 0);
        CHECK(memcmp(ids[0], ids[1], sizeof ids[0]) == 0);
        CHECK(memcmp(ids[0], ids[2], sizeof ids[0]) == 0);
        CHECK(ids[0][0] == 1 && ids[0][10] == 0 && ids[0][11] == 11);
        static const char *const keys[] = { "/Type /Page\n", "/Type /Page ", "/Type /Page>",
                                            "/Subtype /Link", "/Dest (", "/Title <",
                                            "/FontFile", "/Outlines" };
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
            size_t ca = count(a, n[0], keys[k]), cb = count(b, n[1], keys[k]);
            if (ca != cb)
                fprintf(stderr, "  %s: %zu straight, %zu recorded\n", keys[k], ca, cb);
            CHECK(ca == cb);
        }
        CHECK(count(b, n[1], "/Subtype /Link") == 9);
        CHECK(count(b, n[1], "(p9) [") == 1); /* the named destinations */
    }
    free(a);
    free(b);
    free(c);
    free(e);
    free(g);
    /* freed before finishing, with pages queued for the writer (and once
     * after handing it the end) */
    for (int ended = 0; ended < 2; ended++) {
        char *mem = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&mem, &len);
        fz_pdoc_meta meta = { "示例", NULL, NULL, "fzstat test", 1700000000 };
        fz_pdoc *doc = fz_pdoc_new(f, FZ_PDOC_PDF, fp, 595, 842, &meta, &d);
        fz_pdoc_record_pages(doc, 2);
        fz_pdoc_style st = { 9, 0, { 0, 0, 0 }, FZ_ALIGN_LEFT, 0 };
        for (int pg = 1; pg <= 6; pg++) {
            fz_pdoc_page(doc);
            fz_pdoc_text(doc, 50, 50, 400, "未完成的文档", &st);
            fz_pdoc_dest(doc, "x", 0, 0);
        }
        if (ended)
            fz_pdoc_end_pages(doc);
        fz_pdoc_free(doc);
        fclose(fp);
        free(mem);
    }
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_plot_fonts_free(f);
    fz_diag_release(&d);
}

/* Draws l (PNG when png, else PDF) into a new buffer; *len its size. With
 * top, the marks from l->n on to top->n are drawn after l, one at a time
 * through the document's own primitives (texts, centred ones in a box,
 * boxes, hatches, lines), with the chart's origin at (8, 8). group:
 * fz_pdoc_group_texts(). */
static char *draw_marks(fz_plot_fonts *f, const fz_plot_layout *l, const fz_plot_layout *top,
                        int png, int group, size_t *len, fz_diag *d)
{
    char *mem = NULL;
    FILE *fp = open_memstream(&mem, len);
    fz_pdoc_meta meta = { "hatch", NULL, NULL, "fzstat test", 1700000000 };
    fz_pdoc *doc = fz_pdoc_new(f, png ? FZ_PDOC_PNG : FZ_PDOC_PDF, fp, 300, 200, &meta, d);
    CHECK(doc != NULL);
    if (doc) {
        fz_pdoc_page(doc);
        fz_pdoc_group_texts(doc, group);
        fz_pdoc_layout(doc, l, 0, 0);
        for (size_t i = top ? l->n : 0; top && i < top->n; i++) {
            const fz_mark *m = &top->marks[i];
            double x = 8 + m->x0, y = 8 + m->y0;
            fz_pdoc_style st = { m->size, m->bold, m->fill, m->align, 0 };
            if (m->kind == FZ_MARK_TEXT) /* centred ones in a box 40 wide */
                fz_pdoc_text_put(doc, x, y, m->align == FZ_ALIGN_CENTER ? 40 : 0, m->text, &st);
            else if (m->kind == FZ_MARK_RECT)
                fz_pdoc_rect(doc, x, y, m->x1 - m->x0, m->y1 - m->y0, m->fill);
            else if (m->kind == FZ_MARK_HATCH)
                fz_pdoc_hatch(doc, x, y, m->x1 - m->x0, m->y1 - m->y0);
            else if (m->kind == FZ_MARK_LINE)
                fz_pdoc_line(doc, x, y, 8 + m->x1, 8 + m->y1, m->stroke, m->lw);
        }
        CHECK(fz_pdoc_finish(doc, d) == 0);
        fz_pdoc_free(doc);
    }
    fclose(fp);
    return mem;
}

static char *draw_layout(fz_plot_fonts *f, const fz_plot_layout *l, int png, size_t *len,
                         fz_diag *d)
{
    return draw_marks(f, l, NULL, png, 0, len, d);
}

typedef struct png_in {
    const char *p;
    size_t n, at;
} png_in;

static cairo_status_t png_read(void *ud, unsigned char *buf, unsigned int len)
{
    png_in *in = ud;
    if (len > in->n - in->at)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(buf, in->p + in->at, len);
    in->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Decodes a PNG (cairo's image surface, 4 bytes a pixel); NULL if it fails. */
static cairo_surface_t *png_decode(const char *p, size_t n)
{
    png_in in = { p, n, 0 };
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &in);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    return s;
}

/* The pixels of two images of one size that differ, the largest difference
 * of a channel in *maxd; pixels within 1 pixel of one of the n boxes
 * (points, 2 pixels a point) are skipped when skip. (size_t)-1 if the sizes
 * differ. */
static size_t png_diff(cairo_surface_t *a, cairo_surface_t *b, const fz_mark *box, size_t n,
                       int skip, int *maxd)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return (size_t)-1;
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char *da = cairo_image_surface_get_data(a), *db = cairo_image_surface_get_data(b);
    size_t nd = 0;
    *maxd = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const unsigned char *pa = da + (size_t)y * (size_t)sa + 4 * (size_t)x;
            const unsigned char *pb = db + (size_t)y * (size_t)sb + 4 * (size_t)x;
            if (memcmp(pa, pb, 4) == 0)
                continue;
            int near_box = 0;
            for (size_t i = 0; skip && i < n && !near_box; i++)
                near_box = box[i].kind == FZ_MARK_HATCH && x + 1 >= 2 * box[i].x0 &&
                           x <= 2 * box[i].x1 + 1 && y + 1 >= 2 * box[i].y0 &&
                           y <= 2 * box[i].y1 + 1;
            if (near_box)
                continue;
            nd++;
            for (int c = 0; c < 4; c++)
                *maxd = abs(pa[c] - pb[c]) > *maxd ? abs(pa[c] - pb[c]) : *maxd;
        }
    return nd;
}

/* Hatch marks one after the other in one style are hatched as one group
 * (one fill, clip and stroke), their lines where x + y is a multiple of 3
 * in the layout's coordinates, so a box looks the same in a group as drawn
 * alone, and boxes in a grid are clipped to their columns and then to the
 * runs of them in a row. Random rows of hatched and filled cells (some
 * hatches in another colour, stubs 5.5 points high in some rounds, some
 * narrower in every fourth round, which is no grid then; the hatches after
 * the filled cells or among them): the PNG
 * differs by rounding only (a few pixels, by a few levels) when an empty
 * mark after each hatch makes every group one box; outside the hatched
 * boxes it is the same, pixel for pixel, as with plain boxes in their
 * place (the lines stay inside); the PDF's bytes are deterministic and it
 * holds no form (hatches are drawn in place). */
static void test_hatch_groups(void)
{
    fz_diag d;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 12; round++) {
        fz_plot_layout l[3];
        size_t n = 96, hatches = 0, groups = 0;
        double area = 0; /* of the hatched boxes */
        for (int k = 0; k < 3; k++) {
            fz_plot_layout_init(&l[k]);
            l[k].marks = fz_xcalloc(2 * n, sizeof *l[k].marks);
            l[k].cap = 2 * n;
        }
        fz_mark cell[96];
        for (size_t i = 0; i < n; i++) {
            unsigned r = (unsigned)(check_xorshift(&seed) >> 33);
            size_t row = i / 12, colk = i % 12;
            double colw = 11.593 + (double)(round % 3) * 0.37, y = 17.3 + 12.0 * (double)row;
            double x = 20.25 + colw * (double)colk;
            int hatch = r % 3 != 0, grey = hatch && r % 13 == 0;
            int odd = hatch && r % 11 == 0 && round % 4 == 3; /* no grid then */
            fz_mark *m = &cell[i];
            memset(m, 0, sizeof *m);
            m->row = m->col = -1;
            m->kind = hatch ? FZ_MARK_HATCH : FZ_MARK_RECT;
            m->x0 = x + 0.5;
            m->x1 = x + colw - 0.5 - (odd ? 2 : 0); /* odd: a narrower box */
            m->y0 = y + 0.5;
            m->y1 = y + 12 - 0.5 - (round % 3 == 1 ? 6 : 0); /* stubs */
            m->fill = hatch ? (fz_rgb){ 0.96, 0.96, 0.96 } : (fz_rgb){ 0.2, 0.5, 0.5 };
            m->stroke = grey ? (fz_rgb){ 0.3, 0.3, 0.3 } : (fz_rgb){ 0.62, 0.62, 0.62 };
            m->lw = 0.4;
        }
        /* even rounds: the hatches after the filled cells (a grid), odd
         * rounds: in cell order (runs in a row) */
        for (int pass = round % 2 ? 1 : 0; pass < 2; pass++)
            for (size_t i = 0; i < n; i++) {
                fz_mark m = cell[i];
                if (round % 2 == 0 && (m.kind == FZ_MARK_HATCH) != pass)
                    continue;
                l[0].marks[l[0].n++] = m;
                l[1].marks[l[1].n++] = m;
                m.kind = FZ_MARK_RECT; /* plain */
                l[2].marks[l[2].n++] = m;
                if (cell[i].kind == FZ_MARK_HATCH) {
                    hatches++;
                    area += 4 * (m.x1 - m.x0) * (m.y1 - m.y0); /* pixels */
                    /* an empty box: draws nothing, ends the group */
                    fz_mark *e = &l[1].marks[l[1].n++];
                    memset(e, 0, sizeof *e);
                    e->kind = FZ_MARK_RECT;
                    e->x0 = e->x1 = m.x0;
                    e->y0 = e->y1 = m.y0;
                }
            }
        for (size_t i = 0; i < l[0].n; i++) {
            const fz_mark *m = &l[0].marks[i];
            groups += m->kind == FZ_MARK_HATCH &&
                      (i == 0 || m[-1].kind != FZ_MARK_HATCH || m[-1].stroke.r != m->stroke.r);
        }
        CHECK(groups < hatches); /* some groups are larger than one box */
        size_t len[3] = { 0, 0, 0 };
        char *png[3] = { NULL, NULL, NULL };
        cairo_surface_t *img[3] = { NULL, NULL, NULL };
        for (int k = 0; k < 3; k++) {
            png[k] = draw_layout(f, &l[k], 1, &len[k], &d);
            img[k] = png[k] ? png_decode(png[k], len[k]) : NULL;
            CHECK(img[k] != NULL);
        }
        if (img[0] && img[1] && img[2]) {
            int maxd = 0;
            size_t nd = png_diff(img[0], img[1], NULL, 0, 0, &maxd);
            CHECK(nd < 2000 && maxd <= 8); /* of 60,000 pixels */
            nd = png_diff(img[0], img[2], l[0].marks, l[0].n, 0, &maxd);
            CHECK((double)nd > area / 4); /* the lines show */
            nd = png_diff(img[0], img[2], l[0].marks, l[0].n, 1, &maxd);
            CHECK(nd == 0);
        }
        for (int k = 0; k < 3; k++) {
            cairo_surface_destroy(img[k]);
            free(png[k]);
        }
        char *pdf[2] = { NULL, NULL };
        for (int k = 0; k < 2; k++)
            pdf[k] = draw_layout(f, &l[0], 0, &len[k], &d);
        CHECK(len[0] == len[1] && memcmp(pdf[0], pdf[1], len[0]) == 0);
        CHECK(count(pdf[0], len[0], "/Subtype /Form") == 0);
        for (int k = 0; k < 2; k++)
            free(pdf[k]);
        for (int k = 0; k < 3; k++)
            fz_plot_layout_release(&l[k]);
    }
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_plot_fonts_free(f);
    fz_diag_release(&d);
}

/* Texts kept back and drawn grouped by colour and size (fz_pdoc_group_texts)
 * look the same: random texts (some vertical, some overlapping each other)
 * among boxes, hatches, lines and points that overlap some of them, drawn
 * as a chart and through the document's own primitives, give the same PNG,
 * pixel for pixel, with and without grouping, and the same PDF bytes each
 * time; a heatmap's cells, each with a label in white or black, make a
 * smaller PDF with grouping. */
static void test_group_texts(void)
{
    static const char *const texts[] = { "12", "北京市", "n = 18", "0.45", "县级市…", "—",
                                         "2019年", "Q3" };
    const fz_rgb colours[3] = { { 1, 1, 1 }, { 0.13, 0.13, 0.13 }, { 0.42, 0.42, 0.42 } };
    const double sizes[3] = { 6.649414, 7, 9 };
    fz_diag d;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    uint64_t seed = 0x6a09e667f3bcc909ULL;
    for (int round = 0; round < 24; round++) {
        fz_plot_layout l[2];
        fz_plot_layout_init(&l[0]);
        fz_plot_layout_init(&l[1]);
        size_t n = 40 + (size_t)(check_xorshift(&seed) % 160), nchart = n / 2;
        l[1].marks = fz_xcalloc(n, sizeof *l[1].marks);
        l[1].w = 300;
        l[1].h = 200;
        for (size_t i = 0; i < n; i++) {
            fz_mark *m = &l[1].marks[i];
            uint64_t r = check_xorshift(&seed);
            unsigned kind = (unsigned)(r % 10);
            m->x0 = (double)((r >> 8) % 270);
            m->y0 = (double)((r >> 20) % 180);
            m->x1 = m->x0 + 4 + (double)((r >> 32) % 30);
            m->y1 = m->y0 + 4 + (double)((r >> 40) % 16);
            m->fill = colours[(r >> 48) % 3];
            m->fill.g = kind < 5 ? m->fill.g : (double)((r >> 50) % 5) / 4;
            m->stroke = colours[(r >> 52) % 3];
            m->row = m->col = -1;
            if (kind < 5) {
                m->kind = FZ_MARK_TEXT;
                m->text = texts[(r >> 54) % 8];
                m->size = sizes[(r >> 57) % 3];
                m->bold = (int)((r >> 59) & 1);
                m->align = (fz_align)((r >> 60) % 3);
                m->vertical = i < nchart && (r >> 62) == 0;
            } else if (kind < 8) {
                m->kind = FZ_MARK_RECT;
                m->hollow = i < nchart && kind == 7;
                m->lw = m->hollow ? 0.8 : 0;
            } else if (kind == 8) {
                m->kind = (r >> 62) ? FZ_MARK_LINE : FZ_MARK_HATCH;
                m->lw = 0.4 + (double)((r >> 58) % 4) / 4;
                m->dash = (int)((r >> 61) & 1);
            } else {
                m->kind = i < nchart ? FZ_MARK_POINT : FZ_MARK_RECT;
                m->r = 1.5 + (double)((r >> 58) % 4);
                m->lw = 0.4;
            }
        }
        l[0].marks = l[1].marks;
        l[0].n = nchart;
        l[1].n = n;
        size_t len[2] = { 0, 0 };
        char *png[2];
        cairo_surface_t *img[2];
        for (int k = 0; k < 2; k++) {
            png[k] = draw_marks(f, &l[0], &l[1], 1, k, &len[k], &d);
            img[k] = png[k] ? png_decode(png[k], len[k]) : NULL;
            CHECK(img[k] != NULL);
        }
        if (img[0] && img[1]) {
            int maxd = 0;
            CHECK(png_diff(img[0], img[1], NULL, 0, 0, &maxd) == 0);
        }
        char *pdf[3];
        size_t plen[3] = { 0, 0, 0 };
        for (int k = 0; k < 3; k++)
            pdf[k] = draw_marks(f, &l[0], &l[1], 0, k > 0, &plen[k], &d);
        CHECK(plen[1] == plen[2] && memcmp(pdf[1], pdf[2], plen[1]) == 0);
        for (int k = 0; k < 2; k++) {
            cairo_surface_destroy(img[k]);
            free(png[k]);
        }
        for (int k = 0; k < 3; k++)
            free(pdf[k]);
        l[0].marks = NULL;
        fz_plot_layout_release(&l[0]);
        fz_plot_layout_release(&l[1]);
    }
    fz_plot_layout hm;
    fz_plot_layout_init(&hm);
    hm.marks = fz_xcalloc(2 * 240, sizeof *hm.marks);
    for (int i = 0; i < 240; i++) {
        fz_mark *c = &hm.marks[hm.n++], *t = &hm.marks[hm.n++];
        c->kind = FZ_MARK_RECT;
        c->x0 = 20 * (i % 12);
        c->y0 = 13 * (i / 12);
        c->x1 = c->x0 + 19;
        c->y1 = c->y0 + 12;
        c->fill = fz_plot_palette((size_t)i);
        t->kind = FZ_MARK_TEXT;
        t->x0 = c->x0 + 9.5;
        t->y0 = c->y0 + 6;
        t->text = texts[i % 2 ? 0 : 3];
        t->size = sizes[0];
        t->align = FZ_ALIGN_CENTER;
        t->fill = colours[i % 3 == 0];
    }
    size_t hlen[2] = { 0, 0 };
    char *hpdf[2];
    for (int k = 0; k < 2; k++)
        hpdf[k] = draw_marks(f, &hm, NULL, 0, k, &hlen[k], &d);
    CHECK(hlen[1] < hlen[0] - hlen[0] / 20);
    for (int k = 0; k < 2; k++)
        free(hpdf[k]);
    fz_plot_layout_release(&hm);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_plot_fonts_free(f);
    fz_diag_release(&d);
}

static void test_text_cache(void)
{
    fz_diag d;
    fz_plot_fonts *f = test_fonts(&d);
    if (!f)
        return;
    char *mem = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&mem, &len);
    fz_pdoc_meta meta = { "缓存", NULL, NULL, "fzstat test", 1700000000 };
    /* the cache belongs to the fonts: the reference answers come from fonts
     * of their own (their own context and cache) */
    fz_plot_fonts *g = fz_plot_fonts_new(&d);
    fz_pdoc *pdf = fz_pdoc_new(f, FZ_PDOC_PDF, fp, 595, 842, &meta, &d);
    fz_pdoc *lay = fz_pdoc_new(f, FZ_PDOC_LAYOUT, NULL, 595, 842, &meta, &d);
    fz_pdoc *ref = g ? fz_pdoc_new(g, FZ_PDOC_LAYOUT, NULL, 595, 842, &meta, &d) : NULL;
    CHECK(pdf && lay && ref);
    if (!pdf || !lay || !ref) {
        fz_pdoc_free(pdf);
        fz_pdoc_free(lay);
        fz_pdoc_free(ref);
        fclose(fp);
        free(mem);
        fz_plot_fonts_free(g);
        fz_plot_fonts_free(f);
        fz_diag_release(&d);
        return;
    }
    fz_pdoc_page(pdf);
    fz_pdoc_page(lay);
    const char *long_text = "地方政府法治政府建设年度报告中的指标数字：抽取、归一与比较。"
                            "This sentence wraps inside a narrow box, twice or more.";
    fz_pdoc_style st[] = { { 9, 0, { 0, 0, 0 }, FZ_ALIGN_LEFT, 0 },
                           { 9, 1, { 0, 0, 0 }, FZ_ALIGN_LEFT, 0 },
                           { 7.5, 0, { 0, 0, 0 }, FZ_ALIGN_RIGHT, 1 },
                           { 12, 0, { 0, 0, 0 }, FZ_ALIGN_CENTER, 0 } };
    const double widths[] = { 0, 60, 200 };
    int same = 1;
    for (int round = 0; round < 3; round++) /* the second and third rounds hit the cache */
        for (size_t i = 0; i < sizeof st / sizeof *st; i++)
            for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
                double w = widths[k];
                /* fresh fonts have an empty cache: their answer is the reference */
                fz_plot_fonts *nf = fz_plot_fonts_new(&d);
                fz_pdoc *fresh = fz_pdoc_new(nf, FZ_PDOC_LAYOUT, NULL, 595, 842, &meta, &d);
                double h0 = fz_pdoc_text_height(fresh, w, long_text, &st[i]);
                fz_pdoc_free(fresh);
                fz_plot_fonts_free(nf);
                same &= near(fz_pdoc_text_height(pdf, w, long_text, &st[i]), h0);
                same &= near(fz_pdoc_text(pdf, 20, 20, w, long_text, &st[i]), h0);
                same &= near(fz_pdoc_text_height(lay, w, long_text, &st[i]), h0);
                same &= near(fz_pdoc_text(lay, 20, 20, w, long_text, &st[i]), h0);
            }
    CHECK(same);
    /* drawing without a height: the layout document skips it */
    fz_pdoc_text_put(pdf, 20, 60, 100, long_text, &st[2]);
    fz_pdoc_text_put(lay, 20, 60, 100, long_text, &st[2]);
    /* narrower boxes wrap into more lines: the box is part of the key */
    CHECK(fz_pdoc_text_height(pdf, 60, long_text, &st[0]) >
          fz_pdoc_text_height(pdf, 200, long_text, &st[0]));
    /* more distinct strings than the cache holds, drawn and measured */
    char buf[64];
    same = 1;
    for (int i = 0; i < 20000; i++) {
        snprintf(buf, sizeof buf, "第%d行 row %d", i, i);
        double h0 = fz_pdoc_text_height(ref, 100, buf, &st[i % 4]);
        same &= near(fz_pdoc_text(pdf, 20, 40 + (i % 700), 100, buf, &st[i % 4]), h0);
        same &= near(fz_pdoc_text(lay, 20, 40, 100, buf, &st[i % 4]), h0);
        if (i % 97 == 0) /* an early string again, after the cache started over */
            same &= near(fz_pdoc_text(pdf, 20, 20, 0, long_text, &st[0]),
                         fz_pdoc_text_height(ref, 0, long_text, &st[0]));
    }
    CHECK(same);
    /* a PNG document sets the shared context up for another target: the
     * cache starts over, and the PDF and layout documents measure as before */
    char *pm = NULL;
    size_t pl = 0;
    FILE *pf = open_memstream(&pm, &pl);
    fz_pdoc *png = fz_pdoc_new(f, FZ_PDOC_PNG, pf, 100, 100, &meta, &d);
    CHECK(png != NULL);
    if (png) {
        fz_pdoc_page(png);
        fz_pdoc_text(png, 0, 0, 60, long_text, &st[0]);
        CHECK(fz_pdoc_finish(png, &d) == 0);
        fz_pdoc_free(png);
    }
    fclose(pf);
    free(pm);
    for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
        double h0 = fz_pdoc_text_height(ref, 60, long_text, &st[i]);
        CHECK(near(fz_pdoc_text_height(lay, 60, long_text, &st[i]), h0));
        CHECK(near(fz_pdoc_text(pdf, 20, 20, 60, long_text, &st[i]), h0));
    }
    CHECK(fz_pdoc_finish(pdf, &d) == 0);
    CHECK(fz_pdoc_finish(lay, &d) == 0);
    fz_pdoc_free(pdf);
    fz_pdoc_free(lay);
    fz_pdoc_free(ref);
    fclose(fp);
    CHECK(len > 1000 && mem && memcmp(mem, "%PDF-", 5) == 0);
    free(mem);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    fz_plot_fonts_free(g);
    fz_plot_fonts_free(f);
    fz_diag_release(&d);
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
    return check_xorshift(&rng);
}

/* fz_plot_tick_label as it was written with snprintf: the reference */
static char *tick_label_ref(double v, double step, char *buf, size_t n)
{
    int dec = 0;
    if (step > 0 && isfinite(step)) {
        double st = step;
        while (dec < 6 && fabs(st - round(st)) > 1e-9 * fmax(1, st)) {
            st *= 10;
            dec++;
        }
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", dec, v);
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
        memmove(tmp, tmp + 1, strlen(tmp));
    const char *p = tmp;
    char out[96];
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    snprintf(out + o, sizeof out - o, "%s", p + intlen);
    snprintf(buf, n, "%s", out);
    return buf;
}

static void test_tick_labels(void)
{
    static const double steps[] = { 1, 0.5, 0.25, 0.1, 2.5, 5, 1000, 0.001, 1e-6, 0.3, 0 };
    static const double vals[] = { 0, -0.0, -0.0000001, 1234567.5, -1234.5, 0.125, 999999.9999,
                                   1e12, -1e-9, 2.5, 3.5, 1e300, INFINITY, -INFINITY, NAN };
    int same = 1;
    char a[64], b[64];
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
            fz_plot_tick_label(vals[i], steps[k], a, sizeof a);
            tick_label_ref(vals[i], steps[k], b, sizeof b);
            same &= strcmp(a, b) == 0;
            fz_plot_tick_label(vals[i], steps[k], a, 5); /* cut short alike */
            tick_label_ref(vals[i], steps[k], b, 5);
            same &= strcmp(a, b) == 0;
        }
    for (int i = 0; i < 200000; i++) {
        uint64_t r = next();
        double v = ((double)(int64_t)(r >> 8) / 72057594037927936.0) * pow(10, (double)(r % 14) - 4);
        double st = steps[(r >> 3) % (sizeof steps / sizeof *steps)];
        fz_plot_tick_label(v, st, a, sizeof a);
        tick_label_ref(v, st, b, sizeof b);
        same &= strcmp(a, b) == 0;
    }
    CHECK(same);
}

int main(void)
{
    test_tick_labels();
    test_scales();
    test_colours();
    test_bar();
    test_grouped_lines_heatmap();
    test_hatch_order();
    test_hatch_groups();
    test_scatter_slope();
    test_dist_boxes();
    test_multiples();
    test_render();
    test_fonts_warm();
    test_record_pages();
    test_text_cache();
    test_group_texts();
    return check_done();
}
