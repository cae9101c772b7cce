/* test_report_check.c: fz_plot_check() and fz_plot_check_multiples(), which
 * the report's layout pass asks instead of building its charts, against
 * fz_plot_build() and fz_plot_build_multiples() on random specs, valid and
 * not (missing arrays, no columns, one column for a scatter or slope, boxes
 * around the smallest size, unknown kinds, panels too small): the same
 * return value and the same diagnostics. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "err.h"
#include "plots.h"

static int same_diag(const fz_diag *a, const fz_diag *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->items[i].level != b->items[i].level || strcmp(a->items[i].msg, b->items[i].msg))
            return 0;
    return 1;
}

typedef struct tallies {
    size_t bad, built, mismatches;
} tallies;

/* Counts one random spec: the build's answer rb (diagnostics b) against the
 * check's rc (c), which must agree; releases both diagnostics. */
static void tally(tallies *t, int rb, fz_diag *b, int rc, fz_diag *c)
{
    if (rb != rc || !same_diag(b, c))
        t->mismatches++;
    t->bad += rb != 0;
    t->built += rb == 0;
    fz_diag_release(b);
    fz_diag_release(c);
}

#define MAXR 6
#define MAXC 5

typedef struct fixture {
    const char *rows[MAXR];
    const char *cols[MAXC];
    fz_plot_cell cells[MAXR * MAXC];
    double xs[MAXC];
    fz_plot_box boxes[MAXC];
    fz_plot_cell marks[MAXC];
} fixture;

static void fixture_init(fixture *f, uint64_t *st)
{
    static const char *const names[] = { "北京市", "朝阳区", "某某县司法局", "A", "长长长长长长长长长长长长长名称" };
    static const char *const years[] = { "2019", "2020", "2021", "2022", "2023" };
    for (size_t i = 0; i < MAXR; i++)
        f->rows[i] = names[check_xorshift(st) % 5];
    for (size_t k = 0; k < MAXC; k++) {
        f->cols[k] = years[k];
        f->xs[k] = 2019 + (double)k;
        f->marks[k] = (fz_plot_cell){ (double)(check_xorshift(st) % 100), 1, 0 };
        f->boxes[k] = (fz_plot_box){ 0 };
    }
    for (size_t i = 0; i < MAXR * MAXC; i++) {
        uint64_t x = check_xorshift(st);
        f->cells[i] = (fz_plot_cell){ (double)(x % 2000) / 7.0 - 50, (x >> 20) % 4 != 0,
                                      (x >> 24) % 5 == 0 };
    }
}

static void random_spec(fz_plot_spec *s, fixture *f, uint64_t *st)
{
    memset(s, 0, sizeof *s);
    uint64_t x = check_xorshift(st);
    s->kind = (fz_chart_kind)(x % 9); /* two past the last kind */
    s->title = x >> 4 & 1 ? "标题：某指标（件），2022年" : NULL;
    s->subtitle = x >> 5 & 1 ? "副标题" : NULL;
    s->source = x >> 6 & 1 ? "来源：示例" : "";
    s->nrows = (size_t)(x >> 8) % (MAXR + 1);
    s->ncols = (size_t)(x >> 12) % (MAXC + 1);
    s->rows = (x >> 16) % 8 ? f->rows : NULL;
    s->cols = (x >> 19) % 8 ? f->cols : NULL;
    s->cells = (x >> 22) % 8 ? f->cells : NULL;
    s->xs = x >> 25 & 1 ? f->xs : NULL;
    s->top_n = (size_t)(x >> 26) % 4;
    s->diverging = x >> 28 & 1;
    s->clamp = 2.5;
    s->hide_values = x >> 29 & 1;
    s->col_marks = x >> 30 & 1 ? f->marks : NULL;
    s->has_fit = x >> 31 & 1;
    s->fit_a = 1;
    s->fit_b = 0.5;
    s->fit_n = (size_t)(x >> 32) % 3;
    s->fixed = x >> 34 & 1;
    s->fixed_lo = 0;
    s->fixed_hi = 300;
    s->log = (x >> 35) % 8 == 0;
}

/* a width or height near the smallest a chart accepts, or a usual one */
static double random_size(uint64_t *st, double least)
{
    uint64_t x = check_xorshift(st);
    switch (x % 4) {
    case 0:
        return least - 1 + (double)((x >> 8) % 3);
    case 1:
        return least - 0.5 + (double)((x >> 8) % 1000) / 1000.0;
    default:
        return least + (double)((x >> 8) % 500);
    }
}

static void test_single(void)
{
    uint64_t st = 0x5eed1234abcdULL;
    fixture f;
    tallies t = { 0 };
    for (int it = 0; it < 3000; it++) {
        fixture_init(&f, &st);
        fz_plot_spec s;
        random_spec(&s, &f, &st);
        double w = random_size(&st, 120), h = random_size(&st, 80);
        fz_diag d1, d2;
        fz_diag_init(&d1);
        fz_diag_init(&d2);
        fz_plot_layout l;
        fz_plot_layout_init(&l);
        int rb = fz_plot_build(&s, w, h, NULL, NULL, &l, &d1);
        int rc = fz_plot_check(&s, w, h, &d2);
        tally(&t, rb, &d1, rc, &d2);
        fz_plot_layout_release(&l);
    }
    CHECK(t.mismatches == 0);
    CHECK(t.bad > 300 && t.built > 300); /* both answers were exercised */
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_plot_check(NULL, 400, 300, &d) == FZ_EINPUT && d.n == 1);
    fz_diag_release(&d);
}

static void test_multiples(void)
{
    uint64_t st = 0xfeedbeef77ULL;
    fixture f;
    tallies t = { 0 };
    for (int it = 0; it < 1500; it++) {
        fixture_init(&f, &st);
        fz_plot_spec specs[6];
        uint64_t x = check_xorshift(&st);
        size_t n = (size_t)(x % 7), ncols = (size_t)(x >> 4) % 4;
        for (size_t i = 0; i < n; i++) {
            random_spec(&specs[i], &f, &st);
            if ((x >> (8 + i)) & 1) { /* mostly the report's panels: lines of one unit */
                specs[i].kind = FZ_CHART_LINES;
                specs[i].nrows = 1;
                specs[i].rows = &f.rows[i];
                specs[i].ncols = MAXC;
                specs[i].cols = f.cols;
                specs[i].cells = &f.cells[i * MAXC];
            }
        }
        const char *title = x >> 20 & 1 ? "某指标：年份最多的 6 个单位，同一纵轴" : (x >> 21 & 1 ? "" : NULL);
        double w = 130 + (double)((x >> 24) % 600), h = 60 + (double)((x >> 34) % 400);
        fz_diag d1, d2;
        fz_diag_init(&d1);
        fz_diag_init(&d2);
        fz_plot_layout l;
        fz_plot_layout_init(&l);
        int rb = fz_plot_build_multiples(specs, n, ncols, title, "示例", w, h, NULL, NULL, &l,
                                         &d1);
        int rc = fz_plot_check_multiples(specs, n, ncols, title, w, h, &d2);
        tally(&t, rb, &d1, rc, &d2);
        fz_plot_layout_release(&l);
    }
    CHECK(t.mismatches == 0);
    CHECK(t.bad > 100 && t.built > 100);
}

int main(void)
{
    test_single();
    test_multiples();
    return check_done();
}
