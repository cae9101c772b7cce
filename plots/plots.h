/* plots.h: the chart layer, BUILD half: scales, nice ticks, colours, and
 * chart layouts made of plain marks (rectangles, hatched cells, segments,
 * points, text) that are unit-tested without cairo. render.h draws them.
 *
 * A chart computes no statistics: every value, rank, fit line or r it shows
 * is handed in by the caller (stats/ computed it). Missing values are a flag
 * (fz_plot_cell.ok == 0) and are drawn as missing (no bar, a gap in a line,
 * a hatched cell), never as zero. Approximate values (qualifier not exact)
 * are drawn hollow or marked "≈" and explained in a legend note.
 *
 * Calling order: fill an fz_plot_spec (strings and arrays are borrowed for
 * the call), fz_plot_build() into an fz_plot_layout the caller owns
 * (fz_plot_layout_init / fz_plot_layout_release), then render it. The layout
 * copies every string it needs into its own arena. */
#ifndef FZ_PLOTS_H
#define FZ_PLOTS_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

/* ---- colours ---------------------------------------------------------- */

typedef struct fz_rgb {
    double r, g, b; /* 0..1 */
} fz_rgb;

fz_rgb fz_plot_palette(size_t i);     /* Okabe-Ito, 8 colours, cycles */
fz_rgb fz_plot_viridis(double t);     /* t in 0..1, clamped */
fz_rgb fz_plot_diverging(double t);   /* t in -1..1: blue, white, red; clamped */

/* ---- scales ----------------------------------------------------------- */

typedef enum { FZ_SCALE_LINEAR, FZ_SCALE_LOG, FZ_SCALE_BAND } fz_scale_kind;

typedef struct fz_scale {
    fz_scale_kind kind;
    double d0, d1;   /* domain (linear, log: d0 > 0) */
    double r0, r1;   /* output range in points; r1 < r0 flips the axis */
    size_t nbands;   /* band scale: number of bands */
    double padding;  /* band scale: gap between bands, fraction of a step (0..0.9) */
} fz_scale;

void   fz_scale_linear(fz_scale *s, double d0, double d1, double r0, double r1);
void   fz_scale_log(fz_scale *s, double d0, double d1, double r0, double r1);
void   fz_scale_band(fz_scale *s, size_t nbands, double padding, double r0, double r1);
double fz_scale_map(const fz_scale *s, double v);       /* linear/log */
double fz_scale_band_start(const fz_scale *s, size_t i); /* band i's first point */
double fz_scale_bandwidth(const fz_scale *s);

/* Widens a linear scale's domain to nice round numbers (1, 2, 2.5, 5 x 10^k
 * steps, about `want` ticks) and a log scale's domain to powers of ten. */
void fz_scale_nice(fz_scale *s, size_t want);

/* Nice tick values inside the domain, at most max; returns the count.
 * Linear: multiples of the nice step. Log: 1, 2, 5 x 10^k or 10^k only. */
size_t fz_scale_ticks(const fz_scale *s, size_t want, double *out, size_t max);

/* The nice step for a span and wanted tick count (1, 2, 2.5 or 5 x 10^k). */
double fz_nice_step(double span, size_t want);

/* Tick label: 1200 -> "1,200", 0.25 -> "0.25", 1e6 -> "100万" style is not
 * used: plain grouped digits, at most the decimals the step needs. */
char *fz_plot_tick_label(double v, double step, char *buf, size_t n);

/* ---- marks and layouts ------------------------------------------------ */

typedef enum {
    FZ_MARK_RECT,   /* filled box x0,y0 .. x1,y1 */
    FZ_MARK_HATCH,  /* hatched box: a missing cell */
    FZ_MARK_LINE,   /* segment x0,y0 -> x1,y1 */
    FZ_MARK_POINT,  /* circle at x0,y0, radius r */
    FZ_MARK_TEXT    /* text: x0 is the aligned edge (or centre), y0 the line's vertical centre */
} fz_mark_kind;

typedef enum {
    FZ_ROLE_DATA,   /* a bar, point, line or cell that shows a value */
    FZ_ROLE_NA,     /* the mark standing for a missing value */
    FZ_ROLE_AXIS,   /* axis lines and tick marks */
    FZ_ROLE_GRID,   /* grid lines */
    FZ_ROLE_TICK,   /* tick labels */
    FZ_ROLE_LABEL,  /* category and direct labels, value labels */
    FZ_ROLE_TITLE,  /* title and subtitle */
    FZ_ROLE_LEGEND, /* legend swatches and text */
    FZ_ROLE_SOURCE, /* the source line under the chart */
    FZ_ROLE_FIT     /* a fit line passed in by the caller */
} fz_mark_role;

typedef enum { FZ_ALIGN_LEFT, FZ_ALIGN_CENTER, FZ_ALIGN_RIGHT } fz_align;

typedef struct fz_mark {
    fz_mark_kind kind;
    fz_mark_role role;
    double x0, y0, x1, y1; /* points, origin top-left of the chart */
    double r;             /* point radius */
    fz_rgb fill;          /* rect, hatch background, point, text colour */
    fz_rgb stroke;        /* line, hatch lines, point outline */
    double lw;            /* line width in points (0: none) */
    int    hollow;        /* point: outline only (approximate value) */
    int    dash;          /* line: dashed */
    const char *text;     /* text marks: UTF-8, in the layout's arena */
    double size;          /* font size in points */
    int    bold;
    fz_align align;
    int    vertical;      /* text rotated 90 degrees counter-clockwise */
    long   row, col;      /* data cell shown, or -1 */
} fz_mark;

typedef struct fz_plot_layout {
    fz_mark *marks;  /* in drawing order */
    size_t   n, cap;
    double   w, h;   /* chart size in points */
    fz_arena arena;  /* texts */
} fz_plot_layout;

void fz_plot_layout_init(fz_plot_layout *l);
void fz_plot_layout_release(fz_plot_layout *l);
void fz_plot_layout_reset(fz_plot_layout *l);

/* Counts marks of one kind and role (-1 matches any), for tests. */
size_t fz_plot_layout_count(const fz_plot_layout *l, int kind, int role);

/* ---- chart specifications ---------------------------------------------- */

typedef enum {
    FZ_CHART_BAR,      /* rows = regions, col 0 = the year: sorted horizontal bars, top-N */
    FZ_CHART_GROUPED,  /* rows = regions, cols = years: grouped vertical bars */
    FZ_CHART_LINES,    /* rows = series, cols = years (xs): lines, direct labels */
    FZ_CHART_HEATMAP,  /* rows x cols cells; diverging (z-scores) or sequential */
    FZ_CHART_DIST,     /* cols = years, rows = regions: dot plot per year, medians passed in;
                        * or box plots passed in, with the values beyond the whiskers as dots */
    FZ_CHART_SCATTER,  /* rows = regions, col 0 = x, col 1 = y; fit passed in */
    FZ_CHART_SLOPE     /* rows = regions, col 0 / col 1 = rank in two years */
} fz_chart_kind;

const char *fz_chart_kind_name(fz_chart_kind k);           /* "bar", "grouped", ... */
int         fz_chart_kind_parse(const char *s, fz_chart_kind *out); /* 0 or FZ_EINPUT */

typedef struct fz_plot_cell {
    double v;      /* the value; meaningful only if ok */
    int    ok;     /* 1: stated; 0: NA */
    int    approx; /* 1: the qualifier is not exact (余, 约, 以上, ...) */
} fz_plot_cell;

/* One column of a dist chart drawn as a box plot: the quartiles, and the
 * whiskers at the most extreme values within 1.5 interquartile ranges of
 * the box (Tukey). */
typedef struct fz_plot_box {
    int    ok;              /* 1: draw the column as this box */
    double q1, median, q3;
    double lo, hi;          /* whisker ends: values of the column */
} fz_plot_box;

typedef struct fz_plot_spec {
    fz_chart_kind kind;
    const char *title;      /* 行政处罚案件（件），2022年 */
    const char *subtitle;   /* optional */
    const char *xlabel;     /* axis titles, optional */
    const char *ylabel;
    const char *source;     /* source line: corpus, years; "" to omit */
    const char *value_unit; /* unit shown next to value labels, optional */

    size_t nrows;           /* regions / series */
    const char *const *rows;
    size_t ncols;           /* years / indicators */
    const char *const *cols;
    const double *xs;       /* lines: x position of each column (years); NULL: 0..ncols-1 */
    const fz_plot_cell *cells; /* nrows * ncols, row-major */

    int    log;             /* log value axis (values <= 0 then drawn as missing) */
    size_t top_n;           /* bar: at most this many bars (0: 20), rest summarised */
    int    diverging;       /* heatmap: diverging map centred on 0, limit = clamp */
    double clamp;           /* heatmap diverging: |v| mapped to full colour (0: 3) */

    /* scatter: y = fit_a + fit_b * x over the x range, computed by stats/;
     * r and n are printed when fit_n > 0, the line only when has_fit */
    int    has_fit;
    double fit_a, fit_b, fit_r;
    size_t fit_n;
    int    hide_values;     /* heatmap: no value labels in the cells */

    /* dist: per-column medians computed by stats/ (NULL: none) */
    const fz_plot_cell *col_marks;
    /* dist: per-column box plots summarised by the caller (NULL: none). A
     * column whose box is ok is drawn as the box, and of its values only
     * those beyond the whiskers as dots; its col_marks entry is not drawn. */
    const struct fz_plot_box *col_boxes;

    /* value axis domain chosen by the caller (widened to nice numbers), so
     * the panels of small multiples share one scale; 0: fitted to the data */
    int    fixed;
    double fixed_lo, fixed_hi;
    int    bare;            /* a panel of small multiples: no legend notes */
} fz_plot_spec;

/* Measures text for layout: width in points of `s` at `size` points. The
 * renderer passes one backed by pango; NULL uses an estimate (CJK 1 em,
 * other characters 0.55 em). */
typedef double (*fz_plot_measure)(void *ud, const char *s, double size, int bold);

double fz_plot_text_estimate(const char *s, double size);

/* Builds the chart into l (reset first) for a w x h point box.
 * Returns 0, or FZ_EINPUT with a diagnostic when the spec cannot be drawn
 * (no rows, a scatter without 2 columns, ...). An all-NA chart is drawn
 * with its axes and a "无数据" note. */
int fz_plot_build(const fz_plot_spec *spec, double w, double h, fz_plot_measure measure,
                  void *ud, fz_plot_layout *l, fz_diag *diag);

/* Small multiples: n panels (specs[i], usually one region each, all of one
 * kind and with one fixed value domain) in a grid of ncols columns inside
 * w x h, under one title and over one source line. Each panel's own title
 * names it; its own source line is dropped. Returns 0 or the first panel's
 * build error. */
int fz_plot_build_multiples(const fz_plot_spec *specs, size_t n, size_t ncols, const char *title,
                            const char *source, double w, double h, fz_plot_measure measure,
                            void *ud, fz_plot_layout *l, fz_diag *diag);

/* What fz_plot_build() / fz_plot_build_multiples() would return for these
 * arguments (with the same diagnostics), without building anything: for a
 * caller that only needs to know whether the chart can be drawn. */
int fz_plot_check(const fz_plot_spec *spec, double w, double h, fz_diag *diag);
int fz_plot_check_multiples(const fz_plot_spec *specs, size_t n, size_t ncols, const char *title,
                            double w, double h, fz_diag *diag);

#endif
