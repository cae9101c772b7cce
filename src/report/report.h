/* report.h: the PDF report: composes pages from the observations, the
 * statistics tables and the run's diagnostics, and draws them through the
 * chart layer (plots/render.h). It computes no statistics of its own: every
 * number printed comes from fz_obs or an fz_stats table; it only counts
 * (documents, regions), selects, orders and formats.
 *
 * Contents: cover (title, corpus summary), table of contents (links and PDF
 * bookmarks), overview (coverage by indicator and year), one section per
 * indicator with data (ranking bars, yearly dot plots, small multiples or
 * lines, rank slope chart, z-score heatmap, top and bottom units with their
 * source sentences, trends, summary statistics), composite index (bars,
 * grouped bars over years), correlations, coverage matrix, data-quality appendix
 * (unresolved and ambiguous regions, documents without figures, conflicting
 * figures, skipped files), and a method page.
 *
 * The PDF is A4, vector, with fonts embedded as subsets, and deterministic:
 * the same inputs and epoch give the same bytes. It is written atomically
 * (fz_outfile): on failure the previous file survives.
 *
 * Calling order: fill fz_report_opts, fz_report_write(). Everything passed
 * in is borrowed for the call. */
#ifndef FZ_REPORT_H
#define FZ_REPORT_H

#include <stddef.h>

#include "diag.h"
#include "obs.h"
#include "stats.h"
#include "table.h"

typedef struct fz_report_opts {
    const char     *title;      /* cover title; NULL: "法治政府建设年度报告统计分析" */
    const char     *corpus;     /* where the reports came from, for source lines ("datasets/sample/") */
    int             sample;     /* 1: the corpus is the synthetic sample (marked on every chart) */
    const fz_table *indicators; /* taxonomy: columns id, name_zh (unit, kind optional); or NULL */
    const fz_diag  *run_diag;   /* diagnostics of the extraction run (skipped files ...), or NULL */
    long long       epoch;      /* creation date (SOURCE_DATE_EPOCH); fixed, never the clock */
    size_t          top_n;      /* bars per ranking chart; 0: 25 */
    int             jobs;       /* > 1: pages are written to the PDF on a second thread
                                 * while the next ones are composed (same bytes) */
    size_t          keep_bytes; /* indicator rows the layout pass keeps for the drawing
                                 * pass (the rest is read again); 0: 32 MiB. Same bytes */
} fz_report_opts;

/* Starts loading the report's fonts (fontconfig, the CJK faces, pango's
 * font sets for the report's text sizes) on a thread of its own, so that
 * work overlaps extraction and statistics; the next fz_report_write() waits
 * for it and uses them. Optional, changes no output; call it at most once
 * before each fz_report_write(), from the thread that then calls it. */
void fz_report_prepare(void);

/* Waits for a preparation fz_report_prepare() started and frees what it
 * loaded; for a caller that will not reach fz_report_write() (an error on the
 * way). Does nothing when no preparation is pending. */
void fz_report_prepare_cancel(void);

/* Writes the report to path (parent directory must exist). Returns 0, or
 * FZ_EDEP (no CJK font), FZ_EIO (cannot write) with a diagnostic. A corpus
 * without any figure still gives a report (cover, quality appendix). */
int fz_report_write(const fz_obs *obs, const fz_stats *st, const char *path,
                    const fz_report_opts *o, fz_diag *diag);

/* One chart from one table written by 'fzstat stats' (long, composite,
 * wide, ...; cells may be text, as read back from CSV). Units are
 * region_code + department, named region_name + department. */
typedef struct fz_chart_req {
    int             kind;         /* fz_chart_kind */
    const char     *indicator;    /* rows of this indicator only (tables with an indicator column) */
    int             year;         /* bar: the year; slope: the later year; 0: the latest */
    int             from;         /* slope: the earlier year; 0: the year before `year` with data */
    const char     *value;        /* value column; NULL: value, composite, or rank for slope */
    const char     *level;        /* units of this level only, or NULL */
    const char     *x, *y;        /* scatter: two indicator columns of the wide table */
    const fz_table *correlations; /* scatter: r and OLS line from here, or NULL */
    const char     *title;        /* NULL: made from the indicator and year */
    const fz_table *indicators;   /* taxonomy for names and units, or NULL */
    const char     *source;       /* source line */
    size_t          top_n;        /* bars or rows at most (0: the chart default) */
    long long       epoch;        /* PDF creation date */
} fz_chart_req;

/* Draws the chart into path (.pdf .svg .png), w x h points. 0, FZ_EINPUT
 * (the table lacks a needed column, nothing to draw: with a diagnostic),
 * FZ_EDEP (no CJK font) or FZ_EIO. */
int fz_report_plot(const fz_table *t, const fz_chart_req *q, const char *path, double w,
                   double h, fz_diag *diag);

/* The epoch to use: $SOURCE_DATE_EPOCH if it is a valid number, else a
 * fixed date (2024-01-01T00:00:00Z), so two runs give the same bytes. */
long long fz_report_epoch(void);

#endif
