/* repint.h: what the report's files share (private to src/report): the page
 * cursor, the section plan, table drawing and cell access helpers.
 *
 * The report is composed twice by the same code: a layout pass into a
 * discarding PDF learns on which page every section starts, then the real
 * pass prints those numbers in the table of contents. Both passes see the
 * same data, so they lay out identically. The real pass composes the cover
 * (which has no page numbers) before the layout pass runs, so that its
 * page is written meanwhile. */
#ifndef FZ_REPORT_REPINT_H
#define FZ_REPORT_REPINT_H

#include <stddef.h>

#include "buf.h"
#include "render.h"
#include "report.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_L 56.0
#define MARGIN_R 56.0
#define MARGIN_T 58.0
#define MARGIN_B 64.0
#define CONTENT_W (PAGE_W - MARGIN_L - MARGIN_R)
#define BODY_PT 9.0
#define SMALL_PT 7.5
#define LIST_MAX 200 /* rows per appendix list; the rest are counted */
/* A distribution chart whose fullest year has more units than this draws
 * every year with at least DIST_BOX_MIN units as a box plot. */
#define DIST_BOX_UNITS 300
#define DIST_BOX_MIN 5

typedef struct rep_sec {
    int   level;     /* 0 chapter, 1 section */
    char *title;     /* as printed in the contents and the bookmarks */
    char  dest[24];  /* named destination */
    int   page;      /* page it starts on (known after the layout pass) */
    const char *ind; /* indicator id for an indicator section, else NULL */
} rep_sec;

/* Rows of a stats table grouped by the text of one column, for sections
 * that want one indicator's rows of a long table (sections.c). */
typedef struct rep_rows {
    const fz_table *t;
    int col;
    size_t *rows;     /* row numbers ordered by (text of col, row) */
    size_t n;
    const char **keys; /* the distinct texts of col, in strcmp order (borrowed from t) */
    size_t *start;     /* rows of keys[k]: rows[start[k] .. start[k + 1]) */
    size_t nkeys;
} rep_rows;

#define REP_INDEX_MAX 8

typedef struct rep_index {
    rep_rows by[REP_INDEX_MAX];
    size_t n;
} rep_index;

typedef struct rep {
    fz_pdoc *d;
    const fz_obs *obs;
    const fz_stats *st;
    const fz_report_opts *o;
    fz_diag *diag;
    double y;         /* cursor: top of the free space on the current page */
    rep_sec *sec;     /* the plan */
    size_t nsec, capsec;
    size_t next_sec;  /* the next section to be placed */
    int outline_top;  /* outline id of the current chapter */
    char *source;     /* source line for charts */
    const char *title;
    rep_index *idx;   /* built on first use while composing; freed by rep_index_free() */
    struct rep_inds *inds; /* indicators' rows kept from the layout pass for the drawing
                            * pass (sections.c); freed by rep_index_free() too */
    int drawing;      /* the pass that draws (the layout pass runs first) */
    int boxplots;     /* a distribution chart was drawn as box plots */
} rep;

typedef struct rep_col {
    const char *head;
    double w;         /* points */
    fz_align align;
} rep_col;

/* pages and text (report.c) */
void   rep_new_page(rep *r);
void   rep_need(rep *r, double h);                   /* new page unless h fits */
void   rep_section(rep *r, size_t i);               /* starts plan entry i on a new page */
void   rep_heading(rep *r, const char *s, double size);
void   rep_para(rep *r, const char *s);
void   rep_note(rep *r, const char *s);             /* small grey paragraph */
void   rep_table_head(rep *r, const rep_col *c, size_t n);
void   rep_table_row(rep *r, const rep_col *c, size_t n, const char *const *cells);
int    rep_chart(rep *r, const fz_plot_spec *s, double x, double w, double h); /* at r->y */
size_t rep_plan_add(rep *r, int level, const char *title, const char *ind);

/* cell access on a possibly missing table or column */
int         rep_col_of(const fz_table *t, const char *name);     /* -1 if absent */
const char *rep_text(const fz_table *t, size_t row, int col);    /* "" if NA/absent */
int         rep_num(const fz_table *t, size_t row, int col, double *v); /* 1 if a number */
char       *rep_fmt(double v, char *buf, size_t n);              /* 1,234 / 87.5 */
char       *rep_cat(const char *a, const char *b);               /* a then b, malloc'd */
char       *rep_fmt_cell(const fz_table *t, size_t row, int col, char *buf, size_t n); /* "—" NA */
char       *rep_fmt_year(const fz_table *t, size_t row, int col, char *buf, size_t n); /* 2022 */
const char *rep_base(const char *path);                           /* file name without directories */
const char *rep_level_zh(const char *level);                     /* 乡镇, 县区, ... */
const char *rep_qual_zh(const char *qual);                       /* 约, 余/以上, ... */
int         rep_qual_approx(const char *qual);                   /* not exact */

/* indicator names (report.c) */
const char *rep_ind_name(const rep *r, const char *id);
const char *rep_ind_unit(const rep *r, const char *id, const char *fallback);

/* sections (sections.c) */
void rep_plan_indicators(rep *r);
void rep_indicator(rep *r, size_t sec_i);
void rep_composite(rep *r, size_t sec_i);
void rep_correlations(rep *r, size_t sec_i);
void rep_coverage(rep *r, size_t sec_i);
int  rep_has_composite(const rep *r);
void rep_index_free(rep *r);                  /* the row indexes and indicator rows kept */
int  rep_has_correlations(const rep *r);

/* The box plot of v[0..n) (sorted in place): quartiles interpolated between
 * order statistics as in the summary table, whiskers at the most extreme
 * values within 1.5 interquartile ranges of the box. n = 0: out->ok = 0. */
void rep_box_of(double *v, size_t n, fz_plot_box *out);
/* v[0..n) (no NaN) in ascending order, -0 before 0 (a radix sort). */
void rep_sort_doubles(double *v, size_t n);

#endif
