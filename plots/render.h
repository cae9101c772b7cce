/* render.h: the chart layer, RENDER half: fonts (pango + fontconfig), one
 * drawing surface per output (a multi-page PDF, or one SVG/PNG chart), and
 * the few drawing primitives the report composes pages from (wrapped text,
 * rules, boxes, charts, PDF destinations, links and outline entries).
 * cairo and pango stay inside plots/: callers see only opaque handles.
 *
 * Calling order:
 *   fonts = fz_plot_fonts_new(diag)         once per process; finds a CJK font
 *   d = fz_pdoc_new(fonts, FZ_PDOC_PDF, fp, w, h, &meta, diag)
 *   fz_pdoc_page(d) ... draw ... fz_pdoc_page(d) ... draw ...
 *   fz_pdoc_finish(d, diag)                 flushes; checks cairo status
 *   fz_pdoc_free(d); fz_plot_fonts_free(fonts)
 * Freeing the last fz_plot_fonts also drops fontconfig's and cairo's global
 * caches: free every fz_pdoc first, and use no other cairo/fontconfig state
 * in the process across that point. Not thread-safe (a document that records
 * its pages may write them on a thread of its own: fz_pdoc_record_pages).
 * All documents made from one fz_plot_fonts share its PangoFontMap and
 * PangoContext, so fonts are loaded once. Coordinates are points (1/72 in),
 * origin top-left of the page. fp may be NULL for a PDF: the bytes are then
 * discarded (a layout pass that only counts pages). */
#ifndef FZ_RENDER_H
#define FZ_RENDER_H

#include <stdio.h>

#include "diag.h"
#include "plots.h"

typedef struct fz_plot_fonts fz_plot_fonts;
typedef struct fz_pdoc fz_pdoc;

/* Finds a font covering Simplified Chinese (fontconfig, lang zh-cn; Noto
 * Sans CJK SC preferred). NULL with an FZ_DIAG_FATAL diagnostic if none is
 * installed. */
fz_plot_fonts *fz_plot_fonts_new(fz_diag *diag);
void           fz_plot_fonts_free(fz_plot_fonts *f);          /* NULL is fine */
const char    *fz_plot_fonts_family(const fz_plot_fonts *f);  /* "Noto Sans CJK SC" */

/* Loads now what the first texts at these sizes would load (the CJK faces
 * and pango's font set for each size, regular and bold where bold[i]):
 * for a thread that prepares the fonts while others do other work, then
 * hands them over (joined before anyone else uses them). Changes no result. */
void fz_plot_fonts_warm(fz_plot_fonts *f, const double *sizes, const int *bold, size_t n);

/* Empties the cache of texts laid out (they are laid out again when next
 * used): for a caller that has drawn its last text, while a document's
 * writer finishes (fz_pdoc_end_pages). */
void fz_plot_fonts_trim(fz_plot_fonts *f);

/* Width in points of s at size points; usable as an fz_plot_measure
 * (ud = the fz_plot_fonts). */
double fz_plot_fonts_measure(void *fonts, const char *s, double size, int bold);

typedef enum {
    FZ_PDOC_PDF,
    FZ_PDOC_SVG,
    FZ_PDOC_PNG,
    FZ_PDOC_LAYOUT /* nothing drawn: pages counted and text measured as for PDF,
                    * for a first pass that only needs to know where things fall
                    * (charts are built, with estimated text widths, only for
                    * their return value) */
} fz_pdoc_format;

/* File format from a path's extension (.pdf .svg .png); 0 or FZ_EINPUT. */
int fz_pdoc_format_from_path(const char *path, fz_pdoc_format *out);

typedef struct fz_pdoc_meta {
    const char *title;       /* PDF Title */
    const char *author;      /* PDF Author, or NULL */
    const char *subject;     /* PDF Subject, or NULL */
    const char *creator;     /* PDF Creator ("fzstat 0.1.0") */
    long long   epoch;       /* creation time, seconds since 1970 (SOURCE_DATE_EPOCH) */
} fz_pdoc_meta;

/* A document of w x h point pages writing to fp (borrowed; PNG is written
 * at fz_pdoc_finish, 2 pixels per point). meta applies to PDF only. */
fz_pdoc *fz_pdoc_new(fz_plot_fonts *fonts, fz_pdoc_format fmt, FILE *fp, double w, double h,
                     const fz_pdoc_meta *meta, fz_diag *diag);
/* The output's path, named in write-error messages (copied). */
void fz_pdoc_set_name(fz_pdoc *d, const char *path);
/* Flushes everything to fp; 0, or FZ_EIO with a diagnostic (cairo's status). */
int  fz_pdoc_finish(fz_pdoc *d, fz_diag *diag);
void fz_pdoc_free(fz_pdoc *d);                 /* NULL is fine; does not close fp */

/* PDF only, before the first page: each page is drawn into a recording of
 * its own, then painted onto the PDF and shown, with its destinations,
 * links and bookmarks issued there. threads > 1: that writing runs on a
 * second thread while the next pages are drawn (a few pages ahead at most).
 * The bytes do not depend on threads (they differ from a document that
 * draws straight onto the PDF). */
void fz_pdoc_record_pages(fz_pdoc *d, int threads);

/* Texts kept back and drawn later grouped by colour and size, where that
 * does not change the look (nothing drawn in between overlaps them): a PDF
 * then prints fewer operators. On for a document that records its pages
 * (from fz_pdoc_record_pages()), off otherwise; turning it off draws the
 * texts kept back. */
void fz_pdoc_group_texts(fz_pdoc *d, int on);

/* Starts a new page (the first call starts page 1); returns its number. */
int fz_pdoc_page(fz_pdoc *d);
int fz_pdoc_page_number(const fz_pdoc *d);     /* current page, 0 before the first */
/* A document that records its pages hands the current page to its writer
 * now rather than at the next fz_pdoc_page(); nothing may be drawn until
 * that call (destinations and links made meanwhile go to the next page;
 * with no next page only bookmarks are kept). Other documents: nothing
 * happens. */
void fz_pdoc_page_done(fz_pdoc *d);
/* A document that records its pages hands its last page to its writer and
 * lets it finish the PDF: on the writer's own thread (threads > 1), this
 * returns at once and fz_pdoc_finish() waits for it. Nothing may be drawn
 * after it. Other documents: nothing happens. */
void fz_pdoc_end_pages(fz_pdoc *d);

typedef struct fz_pdoc_style {
    double   size;     /* points */
    int      bold;
    fz_rgb   color;
    fz_align align;
    int      one_line; /* cut with "…" at the box width instead of wrapping */
} fz_pdoc_style;

/* Draws s wrapped to width w (w <= 0: no wrapping) with its top-left at
 * (x, y); returns the height used. fz_pdoc_text_height() measures only. */
double fz_pdoc_text(fz_pdoc *d, double x, double y, double w, const char *s,
                    const fz_pdoc_style *st);
double fz_pdoc_text_height(fz_pdoc *d, double w, const char *s, const fz_pdoc_style *st);
/* fz_pdoc_text() for a caller that does not need the height: a document
 * that draws nothing (FZ_PDOC_LAYOUT) does not even lay the text out. */
void fz_pdoc_text_put(fz_pdoc *d, double x, double y, double w, const char *s,
                      const fz_pdoc_style *st);

void fz_pdoc_rect(fz_pdoc *d, double x, double y, double w, double h, fz_rgb fill);
void fz_pdoc_hatch(fz_pdoc *d, double x, double y, double w, double h);  /* a missing cell */
void fz_pdoc_line(fz_pdoc *d, double x0, double y0, double x1, double y1, fz_rgb c, double lw);

/* Width in points of s at size points, unwrapped, as the document's charts
 * measure it (the fz_plot_measure fz_pdoc_chart passes): the same number
 * as fz_plot_fonts_measure, found through the document's text cache. */
double fz_pdoc_measure(fz_pdoc *d, const char *s, double size, int bold);

/* Draws a built layout with its top-left at (x, y). */
void fz_pdoc_layout(fz_pdoc *d, const fz_plot_layout *l, double x, double y);

/* Builds spec for a w x h box (text measured with the real font) and draws
 * it at (x, y). 0 or the fz_plot_build() error. */
int fz_pdoc_chart(fz_pdoc *d, const fz_plot_spec *spec, double x, double y, double w, double h,
                  fz_diag *diag);

/* Small multiples (fz_plot_build_multiples) drawn at (x, y). */
int fz_pdoc_multiples(fz_pdoc *d, const fz_plot_spec *specs, size_t n, size_t ncols,
                      const char *title, const char *source, double x, double y, double w,
                      double h, fz_diag *diag);

/* PDF navigation (ignored on SVG/PNG). name: [A-Za-z0-9_.-]+.
 * dest marks a named destination at (x, y) on the current page; link makes
 * the box (x, y, w, h) on the current page jump to a named destination;
 * outline adds a bookmark (parent 0 = top level) and returns its id. */
void fz_pdoc_dest(fz_pdoc *d, const char *name, double x, double y);
void fz_pdoc_link(fz_pdoc *d, const char *dest, double x, double y, double w, double h);
int  fz_pdoc_outline(fz_pdoc *d, int parent, const char *title, const char *dest);

/* Builds spec and writes it as one chart to path (.pdf .svg .png by
 * extension), atomically through fz_outfile. 0 or FZ_E* with a diagnostic. */
int fz_plot_save(fz_plot_fonts *fonts, const fz_plot_spec *spec, const char *path, double w,
                 double h, long long epoch, fz_diag *diag);

#endif
