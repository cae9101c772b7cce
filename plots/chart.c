/* chart.c: builds chart layouts (marks as plain data) from an fz_plot_spec.
 *
 * Every chart shares one frame: title and subtitle on top, the plot area,
 * legend notes and the source line at the bottom. Text is measured through
 * the caller's measure function so labels are truncated or spread before
 * anything is drawn; the renderer only paints what is decided here. Nothing
 * here computes a statistic: sorting bars by value is ordering, not
 * analysis, and ranks, medians and fit lines come in through the spec. */
#include "plots.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "table.h"
#include "xalloc.h"

#define PAD 8.0          /* outer margin, points */
#define TITLE_PT 10.5
#define SUB_PT 8.0
#define LABEL_PT 7.5
#define TICK_PT 7.0
#define NOTE_PT 6.5
#define MAX_SERIES 8     /* lines: more would need colours nobody can tell apart */

static const fz_rgb INK = { 0.13, 0.13, 0.13 };
static const fz_rgb GREY = { 0.42, 0.42, 0.42 };
static const fz_rgb GRIDC = { 0.88, 0.88, 0.88 };
static const fz_rgb NA_BG = { 0.96, 0.96, 0.96 };
static const fz_rgb NA_LN = { 0.62, 0.62, 0.62 };

typedef struct ctx {
    fz_plot_layout *l;
    fz_plot_measure fn;
    void *ud;
    int any_na;     /* a missing value was drawn as missing */
    int any_approx; /* an approximate value was marked */
} ctx;

/* ---- mark helpers ------------------------------------------------------ */

static fz_mark *add(ctx *c, fz_mark_kind kind, fz_mark_role role)
{
    fz_plot_layout *l = c->l;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->marks = fz_xreallocarray(l->marks, l->cap, sizeof *l->marks);
    }
    fz_mark *m = &l->marks[l->n++];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->role = role;
    m->row = m->col = -1;
    return m;
}

static fz_mark *rect(ctx *c, fz_mark_role role, double x0, double y0, double x1, double y1,
                     fz_rgb fill)
{
    fz_mark *m = add(c, FZ_MARK_RECT, role);
    m->x0 = fmin(x0, x1);
    m->x1 = fmax(x0, x1);
    m->y0 = fmin(y0, y1);
    m->y1 = fmax(y0, y1);
    m->fill = fill;
    return m;
}

static fz_mark *hatch(ctx *c, double x0, double y0, double x1, double y1)
{
    fz_mark *m = add(c, FZ_MARK_HATCH, FZ_ROLE_NA);
    m->x0 = fmin(x0, x1);
    m->x1 = fmax(x0, x1);
    m->y0 = fmin(y0, y1);
    m->y1 = fmax(y0, y1);
    m->fill = NA_BG;
    m->stroke = NA_LN;
    m->lw = 0.4;
    return m;
}

static fz_mark *line(ctx *c, fz_mark_role role, double x0, double y0, double x1, double y1,
                     fz_rgb col, double lw)
{
    fz_mark *m = add(c, FZ_MARK_LINE, role);
    m->x0 = x0;
    m->y0 = y0;
    m->x1 = x1;
    m->y1 = y1;
    m->stroke = col;
    m->lw = lw;
    return m;
}

static fz_mark *point(ctx *c, fz_mark_role role, double x, double y, double r, fz_rgb col,
                      int hollow)
{
    fz_mark *m = add(c, FZ_MARK_POINT, role);
    m->x0 = x;
    m->y0 = y;
    m->r = r;
    m->fill = col;
    m->stroke = col;
    m->lw = 0.9;
    m->hollow = hollow;
    return m;
}

static double tw(ctx *c, const char *s, double size, int bold)
{
    if (c->fn)
        return c->fn(c->ud, s, size, bold);
    return fz_plot_text_estimate(s, size) * (bold ? 1.05 : 1);
}

static fz_mark *text(ctx *c, fz_mark_role role, double x, double y, const char *s, double size,
                     fz_align align, fz_rgb col)
{
    fz_mark *m = add(c, FZ_MARK_TEXT, role);
    m->x0 = x;
    m->y0 = y;
    m->text = fz_arena_strdup(&c->l->arena, s);
    m->size = size;
    m->align = align;
    m->fill = col;
    return m;
}

/* s cut to fit maxw with a trailing "…", at UTF-8 character boundaries. */
static const char *fit(ctx *c, const char *s, double size, double maxw)
{
    if (!s)
        return "";
    if (tw(c, s, size, 0) <= maxw)
        return s;
    size_t n = strlen(s);
    char *buf = fz_arena_alloc(&c->l->arena, n + 4);
    while (n > 0) {
        do
            n--;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
        memcpy(buf, s, n);
        memcpy(buf + n, "…", sizeof "…");
        if (tw(c, buf, size, 0) <= maxw)
            return buf;
    }
    return "…";
}

static void fmt_value(double v, char *buf, size_t n)
{
    if (fabs(v - round(v)) < 1e-9 * fmax(1, fabs(v)))
        fz_plot_tick_label(round(v), 1, buf, n);
    else if (fabs(v) >= 100)
        fz_plot_tick_label(v, 0.1, buf, n);
    else {
        char t[64];
        fz_format_num(v, 2, t, sizeof t); /* 87.50 -> trim zeros */
        char *dot = strchr(t, '.');
        if (dot) {
            char *e = t + strlen(t);
            while (e > dot + 1 && e[-1] == '0')
                *--e = '\0';
            if (e == dot + 1)
                *dot = '\0';
        }
        snprintf(buf, n, "%s", t);
    }
}

/* Pushes labels apart so neighbours are at least gap apart, inside lo..hi.
 * ys are label centres; order is preserved. */
static void spread(double *ys, size_t n, double gap, double lo, double hi)
{
    if (n == 0)
        return;
    size_t *ix = fz_xreallocarray(NULL, n, sizeof *ix);
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && ys[ix[j]] < ys[ix[j - 1]]; j--) {
            size_t t = ix[j];
            ix[j] = ix[j - 1];
            ix[j - 1] = t;
        }
    if (ys[ix[0]] < lo)
        ys[ix[0]] = lo;
    for (size_t i = 1; i < n; i++)
        if (ys[ix[i]] < ys[ix[i - 1]] + gap)
            ys[ix[i]] = ys[ix[i - 1]] + gap;
    if (ys[ix[n - 1]] > hi) {
        ys[ix[n - 1]] = hi;
        for (size_t i = n - 1; i > 0; i--)
            if (ys[ix[i - 1]] > ys[ix[i]] - gap)
                ys[ix[i - 1]] = ys[ix[i]] - gap;
    }
    free(ix);
}

static const fz_plot_cell *cell(const fz_plot_spec *s, size_t r, size_t col)
{
    return &s->cells[r * s->ncols + col];
}

/* A cell usable on this chart's value axis (log axes cannot show <= 0). */
static int usable(const fz_plot_spec *s, const fz_plot_cell *v)
{
    return v->ok && isfinite(v->v) && (!s->log || v->v > 0);
}

/* Widens [*lo, *hi] to the usable values of the first nr rows and nc
 * columns; returns how many there were. */
static size_t value_range(const fz_plot_spec *s, size_t nr, size_t nc, double *lo, double *hi)
{
    size_t nok = 0;
    for (size_t r = 0; r < nr; r++)
        for (size_t k = 0; k < nc; k++)
            if (usable(s, cell(s, r, k))) {
                *lo = fmin(*lo, cell(s, r, k)->v);
                *hi = fmax(*hi, cell(s, r, k)->v);
                nok++;
            }
    return nok;
}

/* ---- frame: title, notes, source --------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static box frame_top(ctx *c, const fz_plot_spec *s, double w, double h)
{
    double y = PAD;
    if (s->title && *s->title) {
        fz_mark *m = text(c, FZ_ROLE_TITLE, PAD, y + TITLE_PT * 0.5,
                          fit(c, s->title, TITLE_PT, w - 2 * PAD), TITLE_PT, FZ_ALIGN_LEFT, INK);
        m->bold = 1;
        y += TITLE_PT * 1.45;
    }
    if (s->subtitle && *s->subtitle) {
        text(c, FZ_ROLE_TITLE, PAD, y + SUB_PT * 0.5, fit(c, s->subtitle, SUB_PT, w - 2 * PAD),
             SUB_PT, FZ_ALIGN_LEFT, GREY);
        y += SUB_PT * 1.5;
    }
    y += 4;
    /* the bottom keeps room for one legend-note line and the source line */
    double bottom = h - PAD - NOTE_PT * 1.4 * 2;
    return (box){ PAD, y, w - PAD, bottom };
}

static void frame_bottom(ctx *c, const fz_plot_spec *s, double w, double h, const char *extra)
{
    double y = h - PAD - NOTE_PT * 1.4 * 1.5;
    double x = PAD;
    int narrow = w < 380; /* half-width charts get the short wording */
    if (s->bare)
        return;
    if (c->any_na) {
        hatch(c, x, y - 3.5, x + 10, y + 3.5);
        x += 13;
        fz_mark *m = text(c, FZ_ROLE_LEGEND, x, y,
                          narrow ? "无数据" : "无数据：报告未载明（不按 0 计）", NOTE_PT,
                          FZ_ALIGN_LEFT, GREY);
        x += tw(c, m->text, NOTE_PT, 0) + 10;
    }
    if (c->any_approx) {
        point(c, FZ_ROLE_LEGEND, x + 3, y, 2.6, INK, 1);
        x += 9;
        fz_mark *m = text(c, FZ_ROLE_LEGEND, x, y,
                          narrow ? "空心 / ≈：约数或界限"
                                 : "空心点、浅色柱 / ≈：约数或界限（余、约、以上等）",
                          NOTE_PT, FZ_ALIGN_LEFT, GREY);
        x += tw(c, m->text, NOTE_PT, 0) + 10;
    }
    if (extra && *extra)
        text(c, FZ_ROLE_LEGEND, x, y, fit(c, extra, NOTE_PT, w - PAD - x), NOTE_PT,
             FZ_ALIGN_LEFT, GREY);
    if (s->source && *s->source) {
        char *src = fz_xasprintf("来源：%s", s->source);
        text(c, FZ_ROLE_SOURCE, PAD, h - PAD - NOTE_PT * 0.5, fit(c, src, NOTE_PT, w - 2 * PAD),
             NOTE_PT, FZ_ALIGN_LEFT, GREY);
        free(src);
    }
}

static void no_data(ctx *c, box b)
{
    text(c, FZ_ROLE_NA, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, "无数据", 10, FZ_ALIGN_CENTER,
         GREY);
}

/* Value axis along x (bottom) with vertical grid lines. */
static void x_value_axis(ctx *c, const fz_scale *sc, box b, const char *label)
{
    double t[32];
    size_t n = fz_scale_ticks(sc, 5, t, 32);
    double step = n > 1 ? t[1] - t[0] : 1;
    double last_right = -1e9;
    for (size_t i = 0; i < n; i++) {
        double x = fz_scale_map(sc, t[i]);
        line(c, FZ_ROLE_GRID, x, b.y0, x, b.y1, GRIDC, 0.4);
        char lab[64];
        fz_plot_tick_label(t[i], sc->kind == FZ_SCALE_LOG ? t[i] : step, lab, sizeof lab);
        double lw = tw(c, lab, TICK_PT, 0);
        if (x - lw / 2 < last_right + 3)
            continue; /* skip a label that would touch its neighbour */
        text(c, FZ_ROLE_TICK, x, b.y1 + TICK_PT * 1.1, lab, TICK_PT, FZ_ALIGN_CENTER, GREY);
        last_right = x + lw / 2;
    }
    if (label && *label)
        text(c, FZ_ROLE_LABEL, b.x1, b.y1 + TICK_PT * 2.4, label, TICK_PT, FZ_ALIGN_RIGHT, GREY);
}

/* Value axis along y (left) with horizontal grid lines; returns label width. */
static double y_axis_width(ctx *c, const fz_scale *sc)
{
    double t[32];
    size_t n = fz_scale_ticks(sc, 5, t, 32);
    double step = n > 1 ? t[1] - t[0] : 1, w = 0;
    for (size_t i = 0; i < n; i++) {
        char lab[64];
        fz_plot_tick_label(t[i], sc->kind == FZ_SCALE_LOG ? t[i] : step, lab, sizeof lab);
        w = fmax(w, tw(c, lab, TICK_PT, 0));
    }
    return w + 4;
}

static void y_value_axis(ctx *c, const fz_scale *sc, box b, const char *label)
{
    double t[32];
    size_t n = fz_scale_ticks(sc, 5, t, 32);
    double step = n > 1 ? t[1] - t[0] : 1;
    for (size_t i = 0; i < n; i++) {
        double y = fz_scale_map(sc, t[i]);
        line(c, FZ_ROLE_GRID, b.x0, y, b.x1, y, GRIDC, 0.4);
        char lab[64];
        fz_plot_tick_label(t[i], sc->kind == FZ_SCALE_LOG ? t[i] : step, lab, sizeof lab);
        text(c, FZ_ROLE_TICK, b.x0 - 3, y, lab, TICK_PT, FZ_ALIGN_RIGHT, GREY);
    }
    if (label && *label)
        text(c, FZ_ROLE_LABEL, b.x0, b.y0 - TICK_PT * 1.2, label, TICK_PT, FZ_ALIGN_LEFT, GREY);
}

/* A value scale over [lo, hi] for the given output range; bars start at 0. */
static void value_scale(const fz_plot_spec *s, fz_scale *sc, double lo, double hi, double r0,
                        double r1, int from_zero)
{
    if (s->fixed && s->fixed_hi > s->fixed_lo && (!s->log || s->fixed_lo > 0)) {
        lo = s->fixed_lo;
        hi = s->fixed_hi;
    }
    if (s->log) {
        fz_scale_log(sc, lo, hi, r0, r1);
    } else {
        if (from_zero) {
            lo = fmin(lo, 0);
            hi = fmax(hi, 0);
        }
        fz_scale_linear(sc, lo, hi, r0, r1);
    }
    fz_scale_nice(sc, 5);
}

/* ---- bar: one year, regions sorted ------------------------------------- */

typedef struct ordv {
    size_t row;
    double v;
} ordv;

static const fz_plot_spec *sort_spec; /* qsort has no user pointer in C17 */

static int by_value_desc(const void *a, const void *b)
{
    const ordv *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return strcmp(sort_spec->rows[x->row], sort_spec->rows[y->row]);
}

/* by_value_desc, then the row: the order a stable sort by by_value_desc
 * gives (glibc's qsort is a merge sort). */
static int by_value_then_row(const ordv *x, const ordv *y)
{
    int c = by_value_desc(x, y);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The first k of o[0..n) in by_value_then_row order to o[0..min(k, n)), in
 * that order; the rest of o is left in no order. One pass inserting into
 * the kept ones instead of sorting all of o (a bar chart shows its top k
 * of thousands of units); debug builds compare with the sort. */
static void first_ordv(const fz_plot_spec *s, ordv *o, size_t n, size_t k)
{
    sort_spec = s;
#ifndef NDEBUG
    ordv *all = fz_xreallocarray(NULL, n + 1, sizeof *all);
    memcpy(all, o, n * sizeof *o);
    qsort(all, n, sizeof *all, by_value_desc);
#endif
    size_t m = 0;
    for (size_t i = 0; i < n && k; i++) {
        ordv x = o[i]; /* i >= m: o[i] is not among the kept */
        if (m == k && by_value_then_row(&x, &o[m - 1]) >= 0)
            continue;
        size_t at = m < k ? m++ : k - 1; /* drops the last when full */
        for (; at > 0 && by_value_then_row(&x, &o[at - 1]) < 0; at--)
            o[at] = o[at - 1];
        o[at] = x;
    }
#ifndef NDEBUG
    for (size_t i = 0; i < m; i++)
        assert(o[i].row == all[i].row);
    free(all);
#endif
    sort_spec = NULL;
}

static int build_bar(ctx *c, const fz_plot_spec *s, double w, double h)
{
    box b = frame_top(c, s, w, h);
    size_t top = s->top_n ? s->top_n : 20;
    ordv *ok = fz_xreallocarray(NULL, s->nrows + 1, sizeof *ok);
    size_t nok = 0, nna = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        if (usable(s, cell(s, r, 0)))
            ok[nok++] = (ordv){ r, cell(s, r, 0)->v };
        else
            nna++;
    }
    double lo = s->log ? INFINITY : 0, hi = s->log ? 0 : 0;
    for (size_t i = 0; i < nok; i++) {
        lo = fmin(lo, ok[i].v);
        hi = fmax(hi, ok[i].v);
    }
    first_ordv(s, ok, nok, top);
    size_t shown = nok < top ? nok : top;
    size_t rest = nok - shown;
    /* missing regions get their own (empty) rows while there is room */
    size_t na_rows = shown + nna <= top ? nna : 0;
    size_t nslots = shown + na_rows + (rest > 0) + (nna > na_rows);
    if (nslots == 0)
        nslots = 1;

    double labw = 0;
    for (size_t i = 0; i < shown; i++)
        labw = fmax(labw, tw(c, s->rows[ok[i].row], LABEL_PT, 0));
    for (size_t r = 0; r < s->nrows && na_rows; r++)
        if (!usable(s, cell(s, r, 0)))
            labw = fmax(labw, tw(c, s->rows[r], LABEL_PT, 0));
    labw = fmin(labw, (b.x1 - b.x0) * 0.32) + 4;

    double valw = tw(c, "≈0,000,000", TICK_PT, 0) + 4;
    box p = { b.x0 + labw, b.y0, b.x1 - valw, b.y1 - TICK_PT * 2.6 };
    double step = (p.y1 - p.y0) / (double)nslots;
    if (step > 20)
        step = 20; /* a few bars stay bars, not slabs */
    p.y1 = p.y0 + step * (double)nslots;
    if (nok == 0) {
        lo = s->log ? 1 : 0;
        hi = s->log ? 10 : 1;
    }
    fz_scale sc;
    value_scale(s, &sc, lo, hi, p.x0, p.x1, 1);
    x_value_axis(c, &sc, p, s->xlabel);

    double lab_pt = fmin(LABEL_PT, step * 0.8);
    double bar_h = step * 0.72;
    size_t slot = 0;
    double base = s->log ? p.x0 : fz_scale_map(&sc, 0);
    for (size_t i = 0; i < shown; i++, slot++) {
        size_t r = ok[i].row;
        const fz_plot_cell *v = cell(s, r, 0);
        double yc = p.y0 + step * ((double)slot + 0.5);
        /* marks move when the list grows: finish this one before adding more */
        fz_mark *m = rect(c, FZ_ROLE_DATA, base, yc - bar_h / 2, fz_scale_map(&sc, v->v),
                          yc + bar_h / 2, fz_plot_palette(0));
        m->row = (long)r;
        m->col = 0;
        if (v->approx) {
            c->any_approx = 1;
            m->hollow = 1; /* renderer: lighter fill with an outline */
            m->stroke = fz_plot_palette(0);
            m->lw = 0.8;
        }
        double end = fmax(m->x1, base);
        text(c, FZ_ROLE_LABEL, p.x0 - 4, yc, fit(c, s->rows[r], lab_pt, labw - 4), lab_pt,
             FZ_ALIGN_RIGHT, INK);
        char num[64], lab[80];
        fmt_value(v->v, num, sizeof num);
        snprintf(lab, sizeof lab, "%s%s", v->approx ? "≈" : "", num);
        text(c, FZ_ROLE_LABEL, end + 3, yc, lab, fmin(TICK_PT, lab_pt), FZ_ALIGN_LEFT, INK);
    }
    for (size_t r = 0; r < s->nrows && na_rows; r++) {
        if (usable(s, cell(s, r, 0)))
            continue;
        double yc = p.y0 + step * ((double)slot++ + 0.5);
        text(c, FZ_ROLE_LABEL, p.x0 - 4, yc, fit(c, s->rows[r], lab_pt, labw - 4), lab_pt,
             FZ_ALIGN_RIGHT, GREY);
        fz_mark *m = text(c, FZ_ROLE_NA, base + 3, yc, "无数据", fmin(TICK_PT, lab_pt),
                          FZ_ALIGN_LEFT, GREY);
        m->row = (long)r;
        m->col = 0;
    }
    char note[128];
    if (rest > 0) {
        double yc = p.y0 + step * ((double)slot++ + 0.5);
        snprintf(note, sizeof note, "其余 %zu 个", rest);
        text(c, FZ_ROLE_LABEL, p.x0 - 4, yc, note, lab_pt, FZ_ALIGN_RIGHT, GREY);
        snprintf(note, sizeof note, "（按数值排序，仅列前 %zu 个）", shown);
        text(c, FZ_ROLE_LABEL, base + 3, yc, note, fmin(TICK_PT, lab_pt), FZ_ALIGN_LEFT, GREY);
    }
    if (nna > na_rows) {
        double yc = p.y0 + step * ((double)slot++ + 0.5);
        snprintf(note, sizeof note, "另有 %zu 个无数据", nna);
        text(c, FZ_ROLE_NA, p.x0 - 4, yc, note, lab_pt, FZ_ALIGN_RIGHT, GREY);
    }
    line(c, FZ_ROLE_AXIS, base, p.y0, base, p.y1, INK, 0.6);
    if (nok == 0)
        no_data(c, p);
    free(ok);
    frame_bottom(c, s, w, h, NULL);
    return 0;
}

/* ---- category (x band) helpers ----------------------------------------- */

/* Labels under a band axis: horizontal when they fit, else vertical and cut
 * to `room` points; returns the height used. */
static double band_labels(ctx *c, const fz_plot_spec *s, const fz_scale *bs, size_t n,
                          const char *const *names, double y, double room, int draw)
{
    double bw = fz_scale_bandwidth(bs) + (bs->padding > 0 ? 2 : 0), maxw = 0;
    for (size_t i = 0; i < n; i++)
        maxw = fmax(maxw, tw(c, names[i], TICK_PT, 0));
    int vertical = maxw > bw + 2;
    double used = vertical ? fmin(maxw, room) + 4 : TICK_PT * 1.6;
    if (!draw)
        return used;
    /* vertical labels need TICK_PT of band each; else keep every k-th */
    size_t every = 1;
    if (vertical && bw < TICK_PT * 1.1)
        every = (size_t)ceil(TICK_PT * 1.1 / fmax(bw, 0.1));
    for (size_t i = 0; i < n; i += every) {
        double x = fz_scale_band_start(bs, i) + fz_scale_bandwidth(bs) / 2;
        if (vertical) {
            fz_mark *m = text(c, FZ_ROLE_TICK, x, y + 2, fit(c, names[i], TICK_PT, room),
                              TICK_PT, FZ_ALIGN_RIGHT, INK);
            m->vertical = 1;
        } else {
            text(c, FZ_ROLE_TICK, x, y + TICK_PT * 0.9, names[i], TICK_PT, FZ_ALIGN_CENTER, INK);
        }
    }
    (void)s;
    return used;
}

/* Up to 8 series: the Okabe-Ito colours; more (years, in order): viridis,
 * stopping short of its pale yellow end. */
static fz_rgb series_colour(size_t i, size_t n)
{
    if (n <= 8)
        return fz_plot_palette(i);
    return fz_plot_viridis(0.85 * (double)i / (double)(n - 1));
}

/* Legend of series swatches in one row under the title; returns height. */
static double swatch_legend(ctx *c, box b, size_t n, const char *const *names, int lines)
{
    double x = b.x0, y = b.y0 + LABEL_PT * 0.6;
    for (size_t i = 0; i < n; i++) {
        double need = 12 + tw(c, names[i], TICK_PT, 0) + 10;
        if (x + need > b.x1 && x > b.x0) {
            x = b.x0;
            y += TICK_PT * 1.6;
        }
        if (lines)
            line(c, FZ_ROLE_LEGEND, x, y, x + 9, y, series_colour(i, n), 1.6);
        else
            rect(c, FZ_ROLE_LEGEND, x, y - 3.5, x + 8, y + 3.5, series_colour(i, n));
        text(c, FZ_ROLE_LEGEND, x + 12, y, names[i], TICK_PT, FZ_ALIGN_LEFT, INK);
        x += need;
    }
    return y - b.y0 + TICK_PT * 1.2;
}

/* ---- grouped bars: regions x years -------------------------------------- */

/* A missing cell (row r, column k): a thin hatched stub under the baseline
 * from xa to xb, never a bar. */
static void stub(ctx *c, double xa, double xb, double base, size_t r, size_t k)
{
    fz_mark *m = hatch(c, xa, base + 1, xb, base + 4);
    m->row = (long)r;
    m->col = (long)k;
    c->any_na = 1;
}

static int build_grouped(ctx *c, const fz_plot_spec *s, double w, double h)
{
    box b = frame_top(c, s, w, h);
    size_t nr = s->nrows, nc = s->ncols;
    size_t top = s->top_n ? s->top_n : 12;
    if (nr > top)
        nr = top;
    b.y0 += swatch_legend(c, b, nc, s->cols, 0) + 4;
    double lo = s->log ? INFINITY : 0, hi = 0;
    size_t nok = value_range(s, nr, nc, &lo, &hi);
    if (!nok) {
        lo = s->log ? 1 : 0;
        hi = s->log ? 10 : 1;
    }
    fz_scale sc;
    value_scale(s, &sc, lo, hi, 0, 1, 1);
    double yw = y_axis_width(c, &sc);
    box p = { b.x0 + yw, b.y0 + TICK_PT, b.x1, b.y1 };
    fz_scale bs;
    fz_scale_band(&bs, nr, 0.25, p.x0, p.x1);
    double lab_h = band_labels(c, s, &bs, nr, s->rows, 0, (p.y1 - p.y0) * 0.3, 0);
    p.y1 -= lab_h + 4;
    value_scale(s, &sc, lo, hi, p.y1, p.y0, 1);
    y_value_axis(c, &sc, p, s->ylabel);
    band_labels(c, s, &bs, nr, s->rows, p.y1 + 4, (b.y1 - b.y0) * 0.3, 1);
    double base = s->log ? p.y1 : fz_scale_map(&sc, 0);
    double sub = fz_scale_bandwidth(&bs) / (double)(nc ? nc : 1);
    /* The stubs come after the bars, all together, for the renderer to hatch
     * as one group, unless the outline of a pale bar below the baseline
     * (a negative approximate value) could reach them: each stub is in its
     * own slot, so only such an outline can overlap one. */
    int stubs_after = 1;
    for (size_t r = 0; r < nr; r++)
        for (size_t k = 0; k < nc; k++) {
            const fz_plot_cell *v = cell(s, r, k);
            if (usable(s, v) && v->approx && fz_scale_map(&sc, v->v) + 0.4 > base + 1)
                stubs_after = 0;
        }
    for (size_t r = 0; r < nr; r++) {
        double x0 = fz_scale_band_start(&bs, r);
        for (size_t k = 0; k < nc; k++) {
            const fz_plot_cell *v = cell(s, r, k);
            double xa = x0 + sub * (double)k, xb = xa + sub * 0.92;
            if (!usable(s, v)) {
                if (!stubs_after)
                    stub(c, xa, xb, base, r, k);
                continue;
            }
            fz_mark *m = rect(c, FZ_ROLE_DATA, xa, base, xb, fz_scale_map(&sc, v->v),
                              series_colour(k, nc));
            m->row = (long)r;
            m->col = (long)k;
            if (v->approx) {
                m->hollow = 1;
                m->stroke = series_colour(k, nc);
                m->lw = 0.8;
                c->any_approx = 1;
            }
        }
    }
    for (size_t r = 0; r < nr && stubs_after; r++) {
        double x0 = fz_scale_band_start(&bs, r);
        for (size_t k = 0; k < nc; k++)
            if (!usable(s, cell(s, r, k)))
                stub(c, x0 + sub * (double)k, x0 + sub * (double)k + sub * 0.92, base, r, k);
    }
    line(c, FZ_ROLE_AXIS, p.x0, base, p.x1, base, INK, 0.6);
    if (!nok)
        no_data(c, p);
    char note[96] = "";
    if (s->nrows > nr)
        snprintf(note, sizeof note, "仅显示前 %zu 个，其余 %zu 个略", nr, s->nrows - nr);
    frame_bottom(c, s, w, h, note);
    return 0;
}

/* ---- lines over years ---------------------------------------------------- */

static double col_x(const fz_plot_spec *s, size_t k)
{
    return s->xs ? s->xs[k] : (double)k;
}

static int build_lines(ctx *c, const fz_plot_spec *s, double w, double h)
{
    box b = frame_top(c, s, w, h);
    size_t nr = s->nrows < MAX_SERIES ? s->nrows : MAX_SERIES;
    double lo = INFINITY, hi = -INFINITY, xl = INFINITY, xh = -INFINITY;
    double labw = 0;
    size_t nok = 0;
    for (size_t k = 0; k < s->ncols; k++) {
        xl = fmin(xl, col_x(s, k));
        xh = fmax(xh, col_x(s, k));
    }
    for (size_t r = 0; r < nr; r++) {
        labw = fmax(labw, tw(c, s->rows[r], TICK_PT, 0));
        for (size_t k = 0; k < s->ncols; k++)
            if (usable(s, cell(s, r, k))) {
                lo = fmin(lo, cell(s, r, k)->v);
                hi = fmax(hi, cell(s, r, k)->v);
                nok++;
            }
    }
    if (!nok) {
        lo = s->log ? 1 : 0;
        hi = s->log ? 10 : 1;
    }
    labw = s->bare ? 4 : fmin(labw, (b.x1 - b.x0) * 0.28) + 6; /* a panel's title names it */
    /* lines and dots are read by position, not length: no zero baseline */
    fz_scale sc;
    value_scale(s, &sc, lo, hi, 0, 1, 0);
    double yw = y_axis_width(c, &sc);
    box p = { b.x0 + yw, b.y0 + TICK_PT, b.x1 - labw, b.y1 - TICK_PT * 2.6 };
    value_scale(s, &sc, lo, hi, p.y1, p.y0, 0);
    y_value_axis(c, &sc, p, s->ylabel);
    /* x: years; a small inset so end points are not on the frame */
    fz_scale xs;
    double inset = 8;
    fz_scale_linear(&xs, xl, xh, p.x0 + inset, p.x1 - inset);
    double last_right = -1e9;
    for (size_t k = 0; k < s->ncols; k++) {
        double x = fz_scale_map(&xs, col_x(s, k));
        line(c, FZ_ROLE_AXIS, x, p.y1, x, p.y1 + 3, INK, 0.5);
        double lw = tw(c, s->cols[k], TICK_PT, 0);
        if (x - lw / 2 < last_right + 3)
            continue;
        text(c, FZ_ROLE_TICK, x, p.y1 + TICK_PT * 1.3, s->cols[k], TICK_PT, FZ_ALIGN_CENTER,
             GREY);
        last_right = x + lw / 2;
    }
    line(c, FZ_ROLE_AXIS, p.x0, p.y1, p.x1, p.y1, INK, 0.6);
    if (s->xlabel && *s->xlabel)
        text(c, FZ_ROLE_LABEL, p.x1, p.y1 + TICK_PT * 2.6, s->xlabel, TICK_PT, FZ_ALIGN_RIGHT,
             GREY);

    double *ly = fz_xreallocarray(NULL, nr + 1, sizeof *ly);
    long *lr = fz_xreallocarray(NULL, nr + 1, sizeof *lr);
    long *lk = fz_xreallocarray(NULL, nr + 1, sizeof *lk);
    size_t nl = 0;
    for (size_t r = 0; r < nr; r++) {
        fz_rgb col = fz_plot_palette(r);
        long prev = -1, last = -1;
        for (size_t k = 0; k < s->ncols; k++) {
            const fz_plot_cell *v = cell(s, r, k);
            if (!usable(s, v)) {
                prev = -1; /* a gap: never join across a missing year */
                c->any_na = 1;
                continue;
            }
            double x = fz_scale_map(&xs, col_x(s, k)), y = fz_scale_map(&sc, v->v);
            if (prev >= 0) {
                const fz_plot_cell *pv = cell(s, r, (size_t)prev);
                fz_mark *m = line(c, FZ_ROLE_DATA, fz_scale_map(&xs, col_x(s, (size_t)prev)),
                                  fz_scale_map(&sc, pv->v), x, y, col, 1.4);
                m->row = (long)r;
                m->col = (long)k;
            }
            fz_mark *m = point(c, FZ_ROLE_DATA, x, y, 2.2, col, v->approx);
            m->row = (long)r;
            m->col = (long)k;
            if (v->approx)
                c->any_approx = 1;
            prev = (long)k;
            last = (long)k;
        }
        if (last >= 0) {
            ly[nl] = fz_scale_map(&sc, cell(s, r, (size_t)last)->v);
            lk[nl] = last;
            lr[nl++] = (long)r;
        }
    }
    /* direct labels just right of each series' last point, all spread
     * apart vertically so a label ending in 2023 cannot run into one ending
     * in 2024 */
    double *y0 = fz_xreallocarray(NULL, nl + 1, sizeof *y0);
    memcpy(y0, ly, nl * sizeof *ly);
    spread(ly, nl, TICK_PT * 1.15, p.y0, p.y1);
    for (size_t i = 0; i < nl && !s->bare; i++) {
        size_t r = (size_t)lr[i];
        fz_rgb col = fz_plot_palette(r);
        fz_rgb ink = { col.r * 0.72, col.g * 0.72, col.b * 0.72 }; /* readable on white */
        double px = fz_scale_map(&xs, col_x(s, (size_t)lk[i]));
        double x = px + 6;
        double room = lk[i] + 1 == (long)s->ncols ? labw - 6 : fmax(labw - 6, 60);
        if (fabs(ly[i] - y0[i]) > 1)
            line(c, FZ_ROLE_LABEL, px + 3, y0[i], x, ly[i], col, 0.4);
        fz_mark *m = text(c, FZ_ROLE_LABEL, x + 1, ly[i], fit(c, s->rows[r], TICK_PT, room),
                          TICK_PT, FZ_ALIGN_LEFT, ink);
        m->row = (long)r;
    }
    free(lk);
    free(ly);
    free(lr);
    free(y0);
    if (!nok)
        no_data(c, p);
    char note[96] = "";
    if (s->nrows > nr)
        snprintf(note, sizeof note, "仅显示前 %zu 条，其余 %zu 条略", nr, s->nrows - nr);
    frame_bottom(c, s, w, h, note);
    return 0;
}

/* ---- heatmap ------------------------------------------------------------ */

/* A missing cell (row r, column k) at x, y: hatched. */
static void na_cell(ctx *c, double x, double y, double colw, double rowh, size_t r, size_t k)
{
    fz_mark *m = hatch(c, x + 0.5, y + 0.5, x + colw - 0.5, y + rowh - 0.5);
    m->row = (long)r;
    m->col = (long)k;
    c->any_na = 1;
}

static int build_heatmap(ctx *c, const fz_plot_spec *s, double w, double h)
{
    box b = frame_top(c, s, w, h);
    size_t top = s->top_n ? s->top_n : 40;
    size_t nr = s->nrows < top ? s->nrows : top, nc = s->ncols;
    double clampv = s->clamp > 0 ? s->clamp : 3;
    double lo = INFINITY, hi = -INFINITY;
    value_range(s, nr, nc, &lo, &hi);
    int any = lo <= hi;
    double labw = 0;
    for (size_t r = 0; r < nr; r++)
        labw = fmax(labw, tw(c, s->rows[r], TICK_PT, 0));
    labw = fmin(labw, (b.x1 - b.x0) * 0.25) + 4;
    double legw = 46;
    box p = { b.x0 + labw, b.y0, b.x1 - legw, b.y1 };
    double colw = (p.x1 - p.x0) / (double)(nc ? nc : 1);
    double maxcol = 0;
    for (size_t k = 0; k < nc; k++)
        maxcol = fmax(maxcol, tw(c, s->cols[k], TICK_PT, 0));
    int vertical = maxcol > colw - 2;
    double head = vertical ? fmin(maxcol, (p.y1 - p.y0) * 0.3) + 4 : TICK_PT * 1.8;
    p.y0 += head;
    double rowh = (p.y1 - p.y0) / (double)(nr ? nr : 1);
    if (rowh > 18)
        rowh = 18;
    if (colw > 60) {
        colw = 60;
        p.x1 = p.x0 + colw * (double)nc;
    }
    p.y1 = p.y0 + rowh * (double)nr;
    double lab_pt = fmin(TICK_PT, rowh * 0.85);
    /* The missing cells come after the others, all together, for the
     * renderer to hatch as one group: the cells are disjoint (unless they
     * are under a point wide or high) and a value label stays in its cell. */
    int na_after = colw >= 1 && rowh >= 1;
    for (size_t k = 0; k < nc; k++) {
        double x = p.x0 + colw * ((double)k + 0.5);
        if (vertical) {
            fz_mark *m = text(c, FZ_ROLE_TICK, x, p.y0 - 2, fit(c, s->cols[k], TICK_PT, head - 4),
                              TICK_PT, FZ_ALIGN_LEFT, INK);
            m->vertical = 1;
        } else {
            text(c, FZ_ROLE_TICK, x, p.y0 - TICK_PT * 0.8, s->cols[k], TICK_PT, FZ_ALIGN_CENTER,
                 INK);
        }
    }
    for (size_t r = 0; r < nr; r++) {
        double y = p.y0 + rowh * (double)r;
        if (lab_pt >= 4)
            text(c, FZ_ROLE_TICK, p.x0 - 3, y + rowh / 2, fit(c, s->rows[r], lab_pt, labw - 4),
                 lab_pt, FZ_ALIGN_RIGHT, INK);
        for (size_t k = 0; k < nc; k++) {
            const fz_plot_cell *v = cell(s, r, k);
            double x = p.x0 + colw * (double)k;
            if (!usable(s, v)) {
                if (!na_after)
                    na_cell(c, x, y, colw, rowh, r, k);
                continue;
            }
            double t;
            fz_rgb fill;
            if (s->diverging) {
                t = v->v / clampv;
                fill = fz_plot_diverging(t);
            } else {
                t = hi > lo ? (v->v - lo) / (hi - lo) : 0.5;
                fill = fz_plot_viridis(t);
            }
            fz_mark *m = rect(c, FZ_ROLE_DATA, x + 0.5, y + 0.5, x + colw - 0.5, y + rowh - 0.5,
                              fill);
            m->row = (long)r;
            m->col = (long)k;
            char num[64], lab[80];
            fmt_value(s->diverging ? round(v->v * 10) / 10 : v->v, num, sizeof num);
            snprintf(lab, sizeof lab, "%s%s", v->approx ? "≈" : "", num);
            if (v->approx) {
                c->any_approx = 1;
                if (s->hide_values) { /* no "≈" label to carry it: a pale cell */
                    m->hollow = 1;
                    m->stroke = fill;
                    m->lw = 0.6;
                }
            }
            double lum = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
            if (!s->hide_values && rowh >= 8 && tw(c, lab, lab_pt * 0.95, 0) < colw - 3)
                text(c, FZ_ROLE_LABEL, x + colw / 2, y + rowh / 2, lab, lab_pt * 0.95,
                     FZ_ALIGN_CENTER, lum < 0.5 ? (fz_rgb){ 1, 1, 1 } : INK);
        }
    }
    for (size_t r = 0; r < nr && na_after; r++) {
        double y = p.y0 + rowh * (double)r;
        for (size_t k = 0; k < nc; k++)
            if (!usable(s, cell(s, r, k)))
                na_cell(c, p.x0 + colw * (double)k, y, colw, rowh, r, k);
    }
    /* colour bar legend */
    double lx = p.x1 + 10, ly0 = p.y0, ly1 = fmin(p.y1, p.y0 + 120);
    if (any && !s->hide_values) {
        int steps = 24;
        for (int i = 0; i < steps; i++) {
            double t0 = (double)i / steps, t1 = (double)(i + 1) / steps;
            double tm = (t0 + t1) / 2;
            fz_rgb f = s->diverging ? fz_plot_diverging(1 - 2 * tm) : fz_plot_viridis(1 - tm);
            rect(c, FZ_ROLE_LEGEND, lx, ly0 + (ly1 - ly0) * t0, lx + 8,
                 ly0 + (ly1 - ly0) * t1 + 0.3, f);
        }
        char a[64], z[64];
        if (s->diverging) {
            char num[48];
            fmt_value(clampv, num, sizeof num);
            char pa[64], pz[64];
            snprintf(pa, sizeof pa, "≥%s", num);
            snprintf(pz, sizeof pz, "≤-%s", num);
            text(c, FZ_ROLE_LEGEND, lx + 11, ly0 + 3, pa, NOTE_PT, FZ_ALIGN_LEFT, GREY);
            text(c, FZ_ROLE_LEGEND, lx + 11, (ly0 + ly1) / 2, "0", NOTE_PT, FZ_ALIGN_LEFT, GREY);
            text(c, FZ_ROLE_LEGEND, lx + 11, ly1 - 3, pz, NOTE_PT, FZ_ALIGN_LEFT, GREY);
        } else {
            fmt_value(hi, a, sizeof a);
            fmt_value(lo, z, sizeof z);
            text(c, FZ_ROLE_LEGEND, lx + 11, ly0 + 3, a, NOTE_PT, FZ_ALIGN_LEFT, GREY);
            text(c, FZ_ROLE_LEGEND, lx + 11, ly1 - 3, z, NOTE_PT, FZ_ALIGN_LEFT, GREY);
        }
    } else if (!any) {
        no_data(c, p);
    }
    char note[96] = "";
    if (s->nrows > nr)
        snprintf(note, sizeof note, "仅显示前 %zu 行，其余 %zu 行略", nr, s->nrows - nr);
    frame_bottom(c, s, w, h, note);
    return 0;
}

/* ---- distribution per year: dot plot ------------------------------------ */

/* A fixed spread inside the band so equal values do not hide each other:
 * golden-ratio offsets are even and depend only on the row. */
static double jitter(size_t r)
{
    double t = (double)r * 0.6180339887498949;
    return t - floor(t) - 0.5;
}

/* A box plot at band centre xc: whiskers with caps, the box from q1 to q3,
 * a line at the median. */
static void draw_box(ctx *c, const fz_scale *sc, const fz_plot_box *bx, size_t k, double xc,
                     double bw)
{
    size_t first = c->l->n;
    fz_rgb ink = fz_plot_palette(0);
    fz_rgb pale = { 0.6 + 0.4 * ink.r, 0.6 + 0.4 * ink.g, 0.6 + 0.4 * ink.b };
    double hw = bw * 0.25, cw = bw * 0.12;
    double ylo = fz_scale_map(sc, bx->lo), yhi = fz_scale_map(sc, bx->hi);
    double y1 = fz_scale_map(sc, bx->q1), y3 = fz_scale_map(sc, bx->q3);
    double ym = fz_scale_map(sc, bx->median);
    line(c, FZ_ROLE_DATA, xc, ylo, xc, y1, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc, y3, xc, yhi, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc - cw, ylo, xc + cw, ylo, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc - cw, yhi, xc + cw, yhi, ink, 0.8);
    rect(c, FZ_ROLE_DATA, xc - hw, y1, xc + hw, y3, pale);
    line(c, FZ_ROLE_DATA, xc - hw, y1, xc + hw, y1, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc - hw, y3, xc + hw, y3, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc - hw, y1, xc - hw, y3, ink, 0.8);
    line(c, FZ_ROLE_DATA, xc + hw, y1, xc + hw, y3, ink, 0.8);
    line(c, FZ_ROLE_FIT, xc - hw, ym, xc + hw, ym, fz_plot_palette(5), 1.6);
    for (size_t i = first; i < c->l->n; i++)
        c->l->marks[i].col = (long)k;
}

static int build_dist(ctx *c, const fz_plot_spec *s, double w, double h)
{
    box b = frame_top(c, s, w, h);
    double lo = INFINITY, hi = -INFINITY;
    size_t nok = value_range(s, s->nrows, s->ncols, &lo, &hi);
    if (!nok) {
        lo = s->log ? 1 : 0;
        hi = s->log ? 10 : 1;
    }
    fz_scale sc;
    value_scale(s, &sc, lo, hi, 0, 1, 0);
    double yw = y_axis_width(c, &sc);
    box p = { b.x0 + yw, b.y0 + TICK_PT * 2.4, b.x1, b.y1 - TICK_PT * 2.6 };
    value_scale(s, &sc, lo, hi, p.y1, p.y0, 0);
    y_value_axis(c, &sc, p, s->ylabel);
    fz_scale bs;
    fz_scale_band(&bs, s->ncols, 0.3, p.x0, p.x1);
    band_labels(c, s, &bs, s->ncols, s->cols, p.y1, 40, 1);
    line(c, FZ_ROLE_AXIS, p.x0, p.y1, p.x1, p.y1, INK, 0.6);
    double bw = fz_scale_bandwidth(&bs);
    size_t medians = 0, boxes = 0;
    for (size_t k = 0; k < s->ncols; k++) {
        double xc = fz_scale_band_start(&bs, k) + bw / 2;
        const fz_plot_box *bx = s->col_boxes && s->col_boxes[k].ok ? &s->col_boxes[k] : NULL;
        if (bx) {
            boxes++;
            draw_box(c, &sc, bx, k, xc, bw);
        }
        size_t n = 0;
        for (size_t r = 0; r < s->nrows; r++) {
            const fz_plot_cell *v = cell(s, r, k);
            if (!usable(s, v))
                continue;
            n++;
            if (bx && v->v >= bx->lo && v->v <= bx->hi)
                continue; /* inside the whiskers: summarised by the box */
            fz_mark *m = point(c, FZ_ROLE_DATA, xc + jitter(r) * bw * 0.6,
                               fz_scale_map(&sc, v->v), 2.0, fz_plot_palette(0), v->approx);
            m->row = (long)r;
            m->col = (long)k;
            if (v->approx)
                c->any_approx = 1;
        }
        if (!bx && s->col_marks && usable(s, &s->col_marks[k])) {
            medians++;
            double y = fz_scale_map(&sc, s->col_marks[k].v);
            fz_mark *m = line(c, FZ_ROLE_FIT, xc - bw * 0.42, y, xc + bw * 0.42, y,
                              fz_plot_palette(5), 1.6);
            m->col = (long)k;
        }
        char lab[32];
        snprintf(lab, sizeof lab, "n=%zu", n);
        if (tw(c, lab, NOTE_PT, 0) < fz_scale_bandwidth(&bs) / (1 - bs.padding) - 2)
            text(c, FZ_ROLE_LABEL, xc, p.y0 - TICK_PT * 1.2, lab, NOTE_PT, FZ_ALIGN_CENTER,
                 GREY);
    }
    if (!nok)
        no_data(c, p);
    frame_bottom(c, s, w, h,
                 boxes    ? "箱：四分位数，横线：中位数；须：1.5 倍四分位距内；点：须外单位"
                 : medians ? "横线：中位数"
                           : NULL);
    return 0;
}

/* ---- scatter of two indicators ------------------------------------------ */

typedef struct lrect {
    double x0, y0, x1, y1;
} lrect;

static int overlaps(const lrect *a, size_t n, lrect r)
{
    for (size_t i = 0; i < n; i++)
        if (r.x0 < a[i].x1 && a[i].x0 < r.x1 && r.y0 < a[i].y1 && a[i].y0 < r.y1)
            return 1;
    return 0;
}

static int build_scatter(ctx *c, const fz_plot_spec *s, double w, double h, fz_diag *diag)
{
    if (s->ncols < 2) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "scatter chart needs two columns (x and y)");
        return FZ_EINPUT;
    }
    box b = frame_top(c, s, w, h);
    double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
    size_t nok = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const fz_plot_cell *x = cell(s, r, 0), *y = cell(s, r, 1);
        if (!usable(s, x) || !usable(s, y))
            continue;
        xl = fmin(xl, x->v);
        xh = fmax(xh, x->v);
        yl = fmin(yl, y->v);
        yh = fmax(yh, y->v);
        nok++;
    }
    if (!nok) {
        xl = yl = s->log ? 1 : 0;
        xh = yh = s->log ? 10 : 1;
    }
    if (s->has_fit && nok && !s->log) {
        yl = fmin(yl, s->fit_a + s->fit_b * xl);
        yh = fmax(yh, s->fit_a + s->fit_b * xl);
        yl = fmin(yl, s->fit_a + s->fit_b * xh);
        yh = fmax(yh, s->fit_a + s->fit_b * xh);
    }
    double dxl = xl, dxh = xh; /* the data's x range, for the fit line */
    /* 4% air around the points so none sits on the frame; counts stay >= 0 */
    if (!s->log) {
        double px = (xh - xl) * 0.04, py = (yh - yl) * 0.04;
        xl = xl >= 0 ? fmax(0, xl - px) : xl - px;
        xh += px;
        yl = yl >= 0 ? fmax(0, yl - py) : yl - py;
        yh += py;
    }
    fz_scale ys, xs;
    value_scale(s, &ys, yl, yh, 0, 1, 0);
    double yw = y_axis_width(c, &ys);
    box p = { b.x0 + yw, b.y0 + TICK_PT, b.x1 - 6, b.y1 - TICK_PT * 3.2 };
    value_scale(s, &ys, yl, yh, p.y1, p.y0, 0);
    value_scale(s, &xs, xl, xh, p.x0, p.x1, 0);
    y_value_axis(c, &ys, p, s->ylabel ? s->ylabel : s->cols[1]);
    x_value_axis(c, &xs, p, s->xlabel ? s->xlabel : s->cols[0]);
    line(c, FZ_ROLE_AXIS, p.x0, p.y1, p.x1, p.y1, INK, 0.6);
    if (s->has_fit && nok && !s->log) {
        fz_mark *m = line(c, FZ_ROLE_FIT, fz_scale_map(&xs, dxl),
                          fz_scale_map(&ys, s->fit_a + s->fit_b * dxl), fz_scale_map(&xs, dxh),
                          fz_scale_map(&ys, s->fit_a + s->fit_b * dxh), fz_plot_palette(5), 1.2);
        m->dash = 1;
    }
    if (s->fit_n > 0) {
        char lab[96];
        /* "线性拟合", not "OLS": with cairo 1.16 an "L" shown before an "F"
         * (the method's UTF-8 and NFKC) stops the CFF subsetter from
         * subsetting the CJK face's subroutines, ~0.9 MB more per PDF */
        snprintf(lab, sizeof lab, "%sr = %.2f，n = %zu", s->has_fit ? "线性拟合：" : "Pearson ",
                 s->fit_r, s->fit_n);
        text(c, FZ_ROLE_FIT, p.x0 + 4, p.y0 + TICK_PT, lab, TICK_PT, FZ_ALIGN_LEFT,
             fz_plot_palette(5));
    }
    lrect *placed = fz_xreallocarray(NULL, 2 * s->nrows + 2, sizeof *placed); /* points, names */
    size_t np = 0;
    if (s->fit_n > 0)
        placed[np++] = (lrect){ p.x0, p.y0, p.x0 + 120, p.y0 + TICK_PT * 1.6 };
    for (size_t r = 0; r < s->nrows; r++) {
        const fz_plot_cell *x = cell(s, r, 0), *y = cell(s, r, 1);
        if (!usable(s, x) || !usable(s, y)) {
            c->any_na = c->any_na || (!x->ok || !y->ok);
            continue;
        }
        int approx = x->approx || y->approx;
        double px = fz_scale_map(&xs, x->v), py = fz_scale_map(&ys, y->v);
        fz_mark *m = point(c, FZ_ROLE_DATA, px, py, 2.6, fz_plot_palette(0), approx);
        m->row = (long)r;
        if (approx)
            c->any_approx = 1;
        placed[np++] = (lrect){ px - 2.6, py - 2.6, px + 2.6, py + 2.6 };
    }
    /* name points while names do not collide with marks or each other */
    if (nok <= 40)
        for (size_t r = 0; r < s->nrows; r++) {
            const fz_plot_cell *x = cell(s, r, 0), *y = cell(s, r, 1);
            if (!usable(s, x) || !usable(s, y))
                continue;
            double px = fz_scale_map(&xs, x->v), py = fz_scale_map(&ys, y->v);
            const char *nm = fit(c, s->rows[r], NOTE_PT, 70);
            double lw = tw(c, nm, NOTE_PT, 0);
            lrect cand[2] = { { px + 4, py - NOTE_PT * 0.6, px + 4 + lw, py + NOTE_PT * 0.6 },
                              { px - 4 - lw, py - NOTE_PT * 0.6, px - 4, py + NOTE_PT * 0.6 } };
            for (int k = 0; k < 2; k++) {
                if (cand[k].x0 < p.x0 || cand[k].x1 > p.x1 || overlaps(placed, np, cand[k]))
                    continue;
                placed[np++] = cand[k];
                fz_mark *m = text(c, FZ_ROLE_LABEL, k == 0 ? cand[k].x0 : cand[k].x1, py, nm,
                                  NOTE_PT, k == 0 ? FZ_ALIGN_LEFT : FZ_ALIGN_RIGHT, GREY);
                m->row = (long)r;
                break;
            }
        }
    free(placed);
    if (!nok)
        no_data(c, p);
    frame_bottom(c, s, w, h, NULL);
    return 0;
}

/* ---- slope chart of ranks between two years ----------------------------- */

static int build_slope(ctx *c, const fz_plot_spec *s, double w, double h, fz_diag *diag)
{
    if (s->ncols < 2) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "slope chart needs two columns (two years)");
        return FZ_EINPUT;
    }
    box b = frame_top(c, s, w, h);
    size_t top = s->top_n ? s->top_n : 30;
    double maxrank = 1;
    size_t n = 0;
    for (size_t r = 0; r < s->nrows; r++)
        for (size_t k = 0; k < 2; k++)
            if (cell(s, r, k)->ok && cell(s, r, k)->v <= (double)top)
                maxrank = fmax(maxrank, cell(s, r, k)->v);
    double labw = 0;
    for (size_t r = 0; r < s->nrows; r++)
        labw = fmax(labw, tw(c, s->rows[r], TICK_PT, 0));
    labw = fmin(labw, (b.x1 - b.x0) * 0.3) + tw(c, "000 ", TICK_PT, 0);
    box p = { b.x0 + labw, b.y0 + TICK_PT * 2, b.x1 - labw, b.y1 - 4 };
    fz_scale ys;
    fz_scale_linear(&ys, 1, fmax(maxrank, 2), p.y0, p.y1); /* rank 1 on top */
    text(c, FZ_ROLE_TICK, p.x0, p.y0 - TICK_PT * 1.4, s->cols[0], TICK_PT, FZ_ALIGN_CENTER, INK)
        ->bold = 1;
    text(c, FZ_ROLE_TICK, p.x1, p.y0 - TICK_PT * 1.4, s->cols[1], TICK_PT, FZ_ALIGN_CENTER, INK)
        ->bold = 1;
    line(c, FZ_ROLE_AXIS, p.x0, p.y0, p.x0, p.y1, GRIDC, 0.8);
    line(c, FZ_ROLE_AXIS, p.x1, p.y0, p.x1, p.y1, GRIDC, 0.8);
    double *yl = fz_xreallocarray(NULL, s->nrows + 1, sizeof *yl);
    double *yr = fz_xreallocarray(NULL, s->nrows + 1, sizeof *yr);
    size_t *il = fz_xreallocarray(NULL, s->nrows + 1, sizeof *il);
    size_t *ir = fz_xreallocarray(NULL, s->nrows + 1, sizeof *ir);
    size_t nl = 0, nrr = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const fz_plot_cell *a = cell(s, r, 0), *z = cell(s, r, 1);
        int oka = a->ok && a->v <= (double)top, okz = z->ok && z->v <= (double)top;
        if (oka) {
            yl[nl] = fz_scale_map(&ys, a->v);
            il[nl++] = r;
        }
        if (okz) {
            yr[nrr] = fz_scale_map(&ys, z->v);
            ir[nrr++] = r;
        }
        if (!oka || !okz) {
            if (oka || okz)
                c->any_na = 1;
            if (oka) {
                fz_mark *m = point(c, FZ_ROLE_DATA, p.x0, fz_scale_map(&ys, a->v), 2, GREY, 1);
                m->row = (long)r;
            }
            if (okz) {
                fz_mark *m = point(c, FZ_ROLE_DATA, p.x1, fz_scale_map(&ys, z->v), 2, GREY, 1);
                m->row = (long)r;
            }
            continue;
        }
        n++;
        /* rank 1 is best: a smaller rank later is a rise */
        fz_rgb col = z->v < a->v ? fz_plot_palette(0) : z->v > a->v ? fz_plot_palette(5) : GREY;
        fz_mark *m = line(c, FZ_ROLE_DATA, p.x0, fz_scale_map(&ys, a->v), p.x1,
                          fz_scale_map(&ys, z->v), col, 1.2);
        m->row = (long)r;
        point(c, FZ_ROLE_DATA, p.x0, fz_scale_map(&ys, a->v), 2, col, 0)->row = (long)r;
        point(c, FZ_ROLE_DATA, p.x1, fz_scale_map(&ys, z->v), 2, col, 0)->row = (long)r;
    }
    /* names at both ends; overlapping names are spread, and when the axis is
     * too short for all of them the font shrinks to fit */
    double gap = TICK_PT * 1.1;
    size_t most = nl > nrr ? nl : nrr;
    double pt = TICK_PT;
    if (most > 1 && (p.y1 - p.y0) / (double)(most - 1) < gap) {
        gap = (p.y1 - p.y0) / (double)(most - 1);
        pt = fmax(4, gap * 0.9);
    }
    spread(yl, nl, gap, p.y0, p.y1);
    spread(yr, nrr, gap, p.y0, p.y1);
    for (size_t i = 0; i < nl; i++) {
        char lab[160];
        snprintf(lab, sizeof lab, "%s %.0f", s->rows[il[i]], cell(s, il[i], 0)->v);
        text(c, FZ_ROLE_LABEL, p.x0 - 5, yl[i], fit(c, lab, pt, labw - 5), pt, FZ_ALIGN_RIGHT,
             INK)->row = (long)il[i];
    }
    for (size_t i = 0; i < nrr; i++) {
        char lab[160];
        snprintf(lab, sizeof lab, "%.0f %s", cell(s, ir[i], 1)->v, s->rows[ir[i]]);
        text(c, FZ_ROLE_LABEL, p.x1 + 5, yr[i], fit(c, lab, pt, labw - 5), pt, FZ_ALIGN_LEFT, INK)
            ->row = (long)ir[i];
    }
    free(yl);
    free(yr);
    free(il);
    free(ir);
    if (!nl && !nrr)
        no_data(c, p);
    frame_bottom(c, s, w, h, "名次：1 为最高；蓝色上升，橙红下降");
    (void)n;
    return 0;
}

/* The checks of a spec and its box before any mark; FZ_EINPUT with a
 * diagnostic when they fail. */
static int check_spec_box(const fz_plot_spec *s, double w, double h, fz_diag *diag)
{
    if (!s || (s->nrows && !s->rows) || (s->ncols && !s->cols) ||
        (s->nrows && s->ncols && !s->cells) || s->ncols == 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "chart has no columns to draw");
        return FZ_EINPUT;
    }
    if (w < 120 || h < 80) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "chart area %.0fx%.0f pt is too small", w, h);
        return FZ_EINPUT;
    }
    return 0;
}

int fz_plot_build(const fz_plot_spec *s, double w, double h, fz_plot_measure measure, void *ud,
                  fz_plot_layout *l, fz_diag *diag)
{
    fz_plot_layout_reset(l);
    l->w = w;
    l->h = h;
    if (check_spec_box(s, w, h, diag) != 0)
        return FZ_EINPUT;
    ctx c = { l, measure, ud, 0, 0 };
    switch (s->kind) {
    case FZ_CHART_BAR:
        return build_bar(&c, s, w, h);
    case FZ_CHART_GROUPED:
        return build_grouped(&c, s, w, h);
    case FZ_CHART_LINES:
        return build_lines(&c, s, w, h);
    case FZ_CHART_HEATMAP:
        return build_heatmap(&c, s, w, h);
    case FZ_CHART_DIST:
        return build_dist(&c, s, w, h);
    case FZ_CHART_SCATTER:
        return build_scatter(&c, s, w, h, diag);
    case FZ_CHART_SLOPE:
        return build_slope(&c, s, w, h, diag);
    }
    fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "unknown chart kind %d", (int)s->kind);
    return FZ_EINPUT;
}

/* fz_plot_build()'s answer without building: the checks it makes before
 * any mark (the spec, the box, the kind) and the two a builder makes first
 * (scatter and slope need two columns); past them every builder returns 0.
 * The same diagnostics in the same order. */
int fz_plot_check(const fz_plot_spec *s, double w, double h, fz_diag *diag)
{
    if (check_spec_box(s, w, h, diag) != 0)
        return FZ_EINPUT;
    switch (s->kind) {
    case FZ_CHART_BAR:
    case FZ_CHART_GROUPED:
    case FZ_CHART_LINES:
    case FZ_CHART_HEATMAP:
    case FZ_CHART_DIST:
        return 0;
    case FZ_CHART_SCATTER:
        if (s->ncols < 2) {
            fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "scatter chart needs two columns (x and y)");
            return FZ_EINPUT;
        }
        return 0;
    case FZ_CHART_SLOPE:
        if (s->ncols < 2) {
            fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "slope chart needs two columns (two years)");
            return FZ_EINPUT;
        }
        return 0;
    }
    fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "unknown chart kind %d", (int)s->kind);
    return FZ_EINPUT;
}

/* fz_plot_build_multiples()'s answer without building: its own check, then
 * each panel's at the panel size it would be built at, up to the first
 * that fails. */
int fz_plot_check_multiples(const fz_plot_spec *specs, size_t n, size_t ncols, const char *title,
                            double w, double h, fz_diag *diag)
{
    if (n == 0 || ncols == 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "small multiples need at least one panel");
        return FZ_EINPUT;
    }
    double top = PAD;
    if (title && *title)
        top += TITLE_PT * 1.6;
    double bottom = h - PAD - NOTE_PT * 1.4 * 2;
    size_t nrows = (n + ncols - 1) / ncols;
    double cw = (w - PAD) / (double)ncols, ch = (bottom - top) / (double)nrows;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = fz_plot_check(&specs[i], cw, ch, diag);
    return rc;
}

/* ---- small multiples ----------------------------------------------------- */

int fz_plot_build_multiples(const fz_plot_spec *specs, size_t n, size_t ncols, const char *title,
                            const char *source, double w, double h, fz_plot_measure measure,
                            void *ud, fz_plot_layout *l, fz_diag *diag)
{
    fz_plot_layout_reset(l);
    l->w = w;
    l->h = h;
    if (n == 0 || ncols == 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "small multiples need at least one panel");
        return FZ_EINPUT;
    }
    ctx c = { l, measure, ud, 0, 0 };
    double top = PAD;
    if (title && *title) {
        fz_mark *m = text(&c, FZ_ROLE_TITLE, PAD, top + TITLE_PT * 0.5,
                          fit(&c, title, TITLE_PT, w - 2 * PAD), TITLE_PT, FZ_ALIGN_LEFT, INK);
        m->bold = 1;
        top += TITLE_PT * 1.6;
    }
    double bottom = h - PAD - NOTE_PT * 1.4 * 2;
    size_t nrows = (n + ncols - 1) / ncols;
    double cw = (w - PAD) / (double)ncols, ch = (bottom - top) / (double)nrows;
    fz_plot_layout panel;
    fz_plot_layout_init(&panel);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        fz_plot_spec ps = specs[i];
        ps.source = "";
        ps.subtitle = NULL;
        ps.bare = 1;
        double ox = PAD / 2 + cw * (double)(i % ncols), oy = top + ch * (double)(i / ncols);
        rc = fz_plot_build(&ps, cw, ch, measure, ud, &panel, diag);
        for (size_t k = 0; rc == 0 && k < panel.n; k++) {
            fz_mark *m = add(&c, panel.marks[k].kind, panel.marks[k].role);
            *m = panel.marks[k];
            m->x0 += ox;
            m->x1 += m->kind == FZ_MARK_POINT || m->kind == FZ_MARK_TEXT ? 0 : ox;
            m->y0 += oy;
            m->y1 += m->kind == FZ_MARK_POINT || m->kind == FZ_MARK_TEXT ? 0 : oy;
            if (m->kind == FZ_MARK_TEXT)
                m->text = fz_arena_strdup(&l->arena, m->text);
            if (m->kind == FZ_MARK_TEXT && m->role == FZ_ROLE_TITLE)
                m->size = fmin(m->size, LABEL_PT + 1); /* panel names, not headlines */
            c.any_na |= m->role == FZ_ROLE_NA;
            c.any_approx |= m->role == FZ_ROLE_DATA && m->hollow;
        }
    }
    fz_plot_layout_release(&panel);
    /* one legend for all panels */
    fz_plot_spec legend = { .source = "" };
    frame_bottom(&c, &legend, w, h + NOTE_PT * 0.2, NULL);
    if (source && *source) {
        char *src = fz_xasprintf("来源：%s", source);
        text(&c, FZ_ROLE_SOURCE, PAD, h - PAD - NOTE_PT * 0.5, fit(&c, src, NOTE_PT, w - 2 * PAD),
             NOTE_PT, FZ_ALIGN_LEFT, GREY);
        free(src);
    }
    return rc;
}
