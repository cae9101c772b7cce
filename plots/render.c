/* render.c: fonts, surfaces and painting (see render.h). The only file in
 * fzstat that calls cairo, pango or fontconfig.
 *
 * Determinism: the PDF gets fixed metadata (title, creator, dates from the
 * caller's epoch), hint metrics are off so text widths do not depend on the
 * output device, and nothing here reads the clock. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <assert.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "outfile.h"
#include "xalloc.h"

#define PNG_SCALE 2.0 /* pixels per point in PNG output */

struct fz_plot_fonts {
    PangoFontMap *map;   /* one font map for the process */
    PangoContext *ctx;   /* shared by every document; 72 dpi: 1 pt = 1 unit */
    char *family;        /* the CJK family found by fontconfig */
    PangoAttrList *attrs; /* set on every layout: OpenType locl off (fz_plot_fonts_new) */
    struct fz_pdoc *ctx_doc; /* the document ctx was last set up for, or NULL */
    int ctx_pdf;         /* ctx is set up for a PDF target at its base transformation */
    struct text_cache *tc; /* laid-out texts (see below), valid for ctx as set up now */
    int han_checked;     /* ideograph widths summed and compared with pango (pdoc_measure) */
    int han_off;         /* a sum differed: measure every text through pango */
};

/* fontconfig's and cairo's process-wide caches stay until exit: releasing
 * them (cairo_debug_reset_static_data) is unsafe while any cairo object is
 * alive, and an SVG or image surface keeps some alive (an assertion in
 * _cairo_hash_table_destroy). They are reachable, so leak checkers do not
 * count them. */

struct fz_pdoc {
    fz_plot_fonts *f;
    fz_pdoc_format fmt;
    FILE *fp;            /* borrowed; NULL discards (PDF only) */
    cairo_surface_t *s;
    cairo_t *cr;
    double w, h;         /* page size, points */
    int page;            /* current page number, 0 before the first */
    int write_failed;    /* the stream refused bytes */
    int write_errno;     /* errno of that refusal */
    char *name;          /* output path for messages, or NULL */
    struct form *forms;    /* drawings recorded once and painted where they recur */
    size_t nforms, capforms;
    size_t last_form;      /* the form made last, + 1 (0: none) */
    struct pager *pg;      /* pages recorded, then written (fz_pdoc_record_pages), or NULL */
    int group_texts;        /* texts kept back and drawn grouped (pend_show) */
    struct pend_text *pend; /* the texts kept back */
    size_t npend, cappend;
    double pend_box[4];     /* the union of their boxes: x0, y0, x1, y1 */
    struct glyph_face *gf;  /* glyphs loaded for the writer (glyphs_load), per face */
    size_t ngf;
};

/* Pages recorded, then written (fz_pdoc_record_pages). The page being
 * composed is drawn into a recording surface (cr is on it), its navigation
 * (destinations, links, bookmarks) kept beside it; when the page is done
 * both go to the writer, which paints the recording onto the PDF surface,
 * issues the navigation there and shows the page. The writer is the
 * composing thread itself, or a thread of its own fed through a queue of a
 * few pages; either way it does the same calls in the same order, so the
 * bytes are the same. cairo objects are never shared between the threads
 * except the recordings handed over (and the forms and fonts they refer to,
 * which cairo reference-counts and locks), and pango runs on the composing
 * thread only. */
enum { NAV_DEST, NAV_LINK, NAV_OUTLINE };
typedef struct nav {
    int kind;
    int parent;          /* NAV_OUTLINE */
    char *title;         /* NAV_OUTLINE */
    char *attr;          /* cairo tag or link attributes */
} nav;

typedef struct rec_page {
    int end;              /* the end of the document; 2: finish the PDF surface too */
    cairo_surface_t *rec; /* NULL: bookmarks only (added after the last page) */
    nav *nav;
    size_t nnav, capnav;
} rec_page;

#define PAGER_QUEUE 2    /* pages recorded ahead of the writer at most */

typedef struct pager {
    cairo_t *pcr;        /* on the PDF surface; used by the writer only; NULL once
                          * the writer has finished the surface */
    rec_page cur;        /* the page being composed */
    int noutline;        /* bookmarks so far: the next id is noutline + 1 */
    int threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rec_page q[PAGER_QUEUE];
    size_t qhead, qn;
    int ended;           /* the last page and the end handed over (pager_end) */
    cairo_status_t end_st; /* the last page's status then */
} pager;

/* A drawing recorded once into a recording surface (its own origin) and
 * painted wherever it recurs, so the PDF holds it once as a form and each use
 * is one reference to it: chart points (dot plots of large corpora have
 * thousands, each a dozen printed numbers). The key is the numbers the
 * drawing depends on. (cairo's PDF surface analyses a form again at every
 * use, so a use costs more than its bytes.) */
enum { FORM_KEY = 8 };
typedef struct form {
    double key[FORM_KEY];
    cairo_surface_t *rec;
} form;

static void pdoc_ctx(fz_pdoc *d);
static void glyphs_free(fz_pdoc *d);
static void pend_flush(fz_pdoc *d);
static void pend_drop(fz_pdoc *d);
static struct text_cache *text_cache_new(void);
static void text_cache_free(struct text_cache *c);

/* ---- fonts -------------------------------------------------------------- */

/* Families covering zh-cn, the preferred one first: a sans SC face reads best
 * at small sizes on charts; any family that covers the language will do. */
static char *find_cjk_family(void)
{
    if (!FcInit())
        return NULL;
    FcPattern *pat = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    FcLangSetAdd(ls, (const FcChar8 *)"zh-cn");
    FcPatternAddLangSet(pat, FC_LANG, ls);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    char *best = NULL;
    int best_score = -1;
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *fam;
        for (int k = 0; FcPatternGetString(fs->fonts[i], FC_FAMILY, k, &fam) == FcResultMatch;
             k++) {
            const char *s = (const char *)fam;
            int score = 1;
            if (strstr(s, "Sans"))
                score += 2;
            if (strstr(s, " SC"))
                score += 4;
            if (strstr(s, "Mono"))
                score -= 2;
            if (strcmp(s, "Noto Sans CJK SC") == 0)
                score += 10;
            /* ties: the byte-smallest name, so the choice does not depend
             * on fontconfig's list order */
            if (score > best_score || (score == best_score && strcmp(s, best) < 0)) {
                free(best);
                best = fz_xstrdup(s);
                best_score = score;
            }
        }
    }
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcLangSetDestroy(ls);
    FcPatternDestroy(pat);
    return best;
}

fz_plot_fonts *fz_plot_fonts_new(fz_diag *diag)
{
    char *fam = find_cjk_family();
    if (!fam) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0,
                    "no font covers Chinese (fontconfig lang zh-cn): install fonts-noto-cjk");
        return NULL;
    }
    fz_plot_fonts *f = fz_xcalloc(1, sizeof *f);
    f->family = fam;
    f->map = pango_cairo_font_map_new();
    f->ctx = pango_font_map_create_context(f->map);
    pango_cairo_context_set_resolution(f->ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    /* Glyphs at the font's own advances: pango rounds positions to whole
     * device units by default, a point in a PDF (at 7 points a digit's 3.85
     * became 4 and some spaces 0), and cairo then writes every glyph's
     * difference from the font's advance as a number in the text's TJ
     * array (100 reports: writing the pages 1.70 G -> 1.36 G instructions,
     * page content 1.93 -> 1.68 MB). */
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    /* Digits in a Latin run (n = 18, fzstat 0.1.0) are tagged with a
     * language that is not Chinese, and Noto Sans CJK's locl feature then
     * gives them other glyphs than its cmap's digits, which the same digits
     * get in a Chinese run (2019年): two designs of a digit in one document.
     * cairo's PDF surface also looks for the character of a glyph that the
     * font's format-4 cmap does not reach by walking the whole cmap (45,000
     * characters) once per glyph and font. With locl off every digit is the
     * cmap's. */
    f->attrs = pango_attr_list_new();
    pango_attr_list_insert(f->attrs, pango_attr_font_features_new("locl 0"));
    f->tc = text_cache_new();
    return f;
}

void fz_plot_fonts_trim(fz_plot_fonts *f)
{
    text_cache_free(f->tc);
    f->tc = text_cache_new();
}

void fz_plot_fonts_free(fz_plot_fonts *f)
{
    if (!f)
        return;
    text_cache_free(f->tc);
    g_object_unref(f->ctx);
    g_object_unref(f->map);
    pango_attr_list_unref(f->attrs);
    free(f->family);
    free(f);
}

const char *fz_plot_fonts_family(const fz_plot_fonts *f)
{
    return f->family;
}

static PangoLayout *make_layout(fz_plot_fonts *f, const char *s, double size, int bold,
                                double w, fz_align al, int one_line)
{
    PangoLayout *lay = pango_layout_new(f->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, f->family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, s ? s : "", -1);
    pango_layout_set_attributes(lay, f->attrs);
    if (w > 0) {
        pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
        if (one_line) {
            pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
            pango_layout_set_single_paragraph_mode(lay, TRUE);
        } else {
            pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_alignment(lay, al == FZ_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                        : al == FZ_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                               : PANGO_ALIGN_LEFT);
    }
    return lay;
}

/* ---- laid-out text cache ------------------------------------------------ */

/* A document draws the same strings again and again (tick labels, table
 * headings, the running title), and measures most of them before drawing
 * them; the report's layout pass measures the paragraphs its PDF pass then
 * draws. Each distinct (text, style, box) is shaped once while the shared
 * PangoContext keeps its set-up (see pdoc_ctx): the entry keeps its extents
 * and its PangoLayout. When the context is set up for another kind of
 * target the cache is emptied. */
typedef struct text_ent {
    char *s;             /* NULL: empty slot */
    size_t len;
    unsigned long hash;
    double size, w;
    int bold, align, one_line;
    PangoLayout *lay;    /* NULL once dropped (measure-only documents) */
    double lw, lh;       /* logical extents, points */
} text_ent;

/* A character's width at one size and weight (see han_sum). */
typedef struct han_ent {
    double size;         /* 0: empty slot */
    uint32_t cp;
    int bold;
    int width;           /* pango units */
} han_ent;

typedef struct text_cache {
    text_ent *e;
    size_t cap, n;       /* cap: a power of two */
    han_ent *h;          /* characters' widths (han_sum) */
    size_t hcap, hn;     /* hcap: a power of two */
} text_cache;

#define TEXT_CACHE_MAX 8192 /* entries; past this the cache starts over */

static unsigned long text_hash(const char *s, size_t len, double size, double w, int bold,
                               int align, int one_line)
{
    unsigned long h = 1469598103934665603UL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
    long q[2] = { lround(size * 64), lround(w * 64) };
    for (size_t i = 0; i < 2; i++)
        h = (h ^ (unsigned long)q[i]) * 1099511628211UL;
    h = (h ^ (unsigned long)(bold | align << 1 | one_line << 3)) * 1099511628211UL;
    return h;
}

static void text_cache_clear(text_cache *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->e[i].s);
        if (c->e[i].lay)
            g_object_unref(c->e[i].lay);
    }
    if (c->cap)
        memset(c->e, 0, c->cap * sizeof *c->e);
    c->n = 0;
    if (c->hcap)
        memset(c->h, 0, c->hcap * sizeof *c->h);
    c->hn = 0;
}

static text_cache *text_cache_new(void)
{
    return fz_xcalloc(1, sizeof(text_cache));
}

static void text_cache_free(text_cache *c)
{
    if (!c)
        return;
    text_cache_clear(c);
    free(c->e);
    free(c->h);
    free(c);
}

/* The entry for s in this style, shaped on first use. keep: keep the layout
 * for drawing (otherwise only the extents stay). */
static text_ent *text_get(fz_plot_fonts *f, text_cache *c, const char *s, double size, int bold,
                          double w, fz_align al, int one_line, int keep)
{
    if (!s)
        s = "";
    if (w <= 0) { /* no box: alignment and one_line do not change the layout */
        w = 0;
        al = FZ_ALIGN_LEFT;
        one_line = 0;
    }
    size_t len = strlen(s);
    unsigned long h = text_hash(s, len, size, w, bold, (int)al, one_line);
    if (c->n >= TEXT_CACHE_MAX)
        text_cache_clear(c);
    if (2 * (c->n + 1) > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        text_ent *ne = fz_xcalloc(ncap, sizeof *ne);
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->e[i].s)
                continue;
            size_t k = c->e[i].hash & (ncap - 1);
            while (ne[k].s)
                k = (k + 1) & (ncap - 1);
            ne[k] = c->e[i];
        }
        free(c->e);
        c->e = ne;
        c->cap = ncap;
    }
    size_t k = h & (c->cap - 1);
    for (; c->e[k].s; k = (k + 1) & (c->cap - 1)) {
        text_ent *e = &c->e[k];
        if (e->hash == h && e->len == len && e->size == size && e->w == w && e->bold == bold &&
            e->align == (int)al && e->one_line == one_line && memcmp(e->s, s, len) == 0) {
            if (keep && !e->lay) {
                e->lay = make_layout(f, s, size, bold, w, al, one_line);
                pango_layout_get_extents(e->lay, NULL, NULL);
            }
            return e;
        }
    }
    text_ent *e = &c->e[k];
    e->s = fz_xmalloc(len + 1);
    memcpy(e->s, s, len + 1);
    e->len = len;
    e->hash = h;
    e->size = size;
    e->w = w;
    e->bold = bold;
    e->align = (int)al;
    e->one_line = one_line;
    e->lay = make_layout(f, s, size, bold, w, al, one_line);
    PangoRectangle logical;
    pango_layout_get_extents(e->lay, NULL, &logical);
    e->lw = (double)logical.width / PANGO_SCALE;
    e->lh = (double)logical.height / PANGO_SCALE;
    if (!keep) {
        g_object_unref(e->lay);
        e->lay = NULL;
    }
    c->n++;
    return e;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int n)
{
    (void)closure;
    (void)data;
    (void)n;
    return CAIRO_STATUS_SUCCESS;
}

void fz_plot_fonts_warm(fz_plot_fonts *f, const double *sizes, const int *bold, size_t n)
{
    /* pango keys its font sets by the context's set-up too: set it up as a
     * PDF document would (see pdoc_ctx) */
    if (!f->ctx_pdf) {
        cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, 10, 10);
        cairo_t *cr = cairo_create(s);
        pango_cairo_update_context(cr, f->ctx);
        text_cache_clear(f->tc);
        f->ctx_pdf = 1;
        f->ctx_doc = NULL;
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
    /* pango makes a size's font set with a fontconfig match and a sort, each
     * on a thread of its own, and waits for the match when the set is first
     * used: all the sets first (the language and description pango's
     * itemizer asks for), so that those threads run together instead of
     * one size after the other */
    PangoLanguage *lang = pango_language_get_default();
    for (size_t i = 0; i < n; i++) {
        PangoFontDescription *fd =
            pango_font_description_copy(pango_context_get_font_description(f->ctx));
        pango_font_description_set_family(fd, f->family);
        pango_font_description_set_absolute_size(fd, sizes[i] * PANGO_SCALE);
        pango_font_description_set_weight(fd, bold[i] ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        PangoFontset *set = pango_font_map_load_fontset(f->map, f->ctx, fd, lang);
        if (set)
            g_object_unref(set); /* pango's cache of font sets keeps it */
        pango_font_description_free(fd);
    }
    /* Han, Latin, digits and the common punctuation: the items pango makes
     * of report text */
    for (size_t i = 0; i < n; i++)
        fz_plot_fonts_measure(f, "法治政府 2024年（件）Ab1，—…", sizes[i], bold[i]);
}

double fz_plot_fonts_measure(void *fonts, const char *s, double size, int bold)
{
    PangoLayout *lay = make_layout(fonts, s, size, bold, 0, FZ_ALIGN_LEFT, 0);
    PangoRectangle logical;
    pango_layout_get_extents(lay, NULL, &logical);
    g_object_unref(lay);
    return (double)logical.width / PANGO_SCALE;
}

/* ---- widths of ideograph texts ------------------------------------------- */

/* A text of CJK unified ideographs (U+4E00..U+9FFF), ASCII digits, spaces,
 * ( ) - . and "…" only (unit names, the years and ranks after them, the
 * names fit() cuts) is laid out as glyphs that no ligature, kerning or mark
 * positioning touches, each advanced by its own width (pango rounds each
 * glyph's width on its own): every sequence of three of these characters
 * at the report's sizes, bold and not, measures the sum of their widths.
 * Its unwrapped width is then the sum of its characters' widths, learnt
 * per size and weight from the glyphs of the first texts laid out (a text
 * with a character not met yet is laid out as any other): the charts
 * measure thousands of unit names only to size their label columns, and
 * cut long names one character at a time, measuring each cut; this spares
 * laying out most of them. The first HAN_CHECKS sums of a font set are compared with pango's
 * own measurement, and any difference turns the sums off for good; debug
 * builds compare every one. */
#define HAN_CHECKS 256

/* The character at p if it is one of those, with its length; else 0. */
static uint32_t han_char(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return (p[0] >= '0' && p[0] <= '9') || p[0] == ' ' || p[0] == '(' || p[0] == ')' ||
                       p[0] == '-' || p[0] == '.'
                   ? p[0]
                   : 0;
    }
    *len = 3;
    if (p[0] == 0xE2)
        return p[1] == 0x80 && p[2] == 0xA6 ? 0x2026 : 0;
    /* U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF */
    if (p[0] < 0xE4 || p[0] > 0xE9 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
        (p[0] == 0xE4 && p[1] < 0xB8))
        return 0;
    return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
}

/* The slot of (cp, size, bold) in the widths: its entry, or the empty slot
 * where it goes (room is made first). */
static han_ent *han_slot(text_cache *c, uint32_t cp, double size, int bold)
{
    if (2 * (c->hn + 1) > c->hcap) {
        size_t ncap = c->hcap ? c->hcap * 2 : 1024;
        han_ent *nh = fz_xcalloc(ncap, sizeof *nh);
        for (size_t i = 0; i < c->hcap; i++) {
            if (c->h[i].size == 0)
                continue;
            unsigned long hh = text_hash("", 0, c->h[i].size, c->h[i].cp, c->h[i].bold, 0, 0);
            size_t k = hh & (ncap - 1);
            while (nh[k].size != 0)
                k = (k + 1) & (ncap - 1);
            nh[k] = c->h[i];
        }
        free(c->h);
        c->h = nh;
        c->hcap = ncap;
    }
    unsigned long hh = text_hash("", 0, size, cp, bold, 0, 0);
    size_t k = hh & (c->hcap - 1);
    for (; c->h[k].size != 0; k = (k + 1) & (c->hcap - 1))
        if (c->h[k].cp == cp && c->h[k].size == size && c->h[k].bold == bold)
            break;
    return &c->h[k];
}

/* The width of s summed from its characters' (pango units); -1 when s is
 * empty or has a character that is not one of those, -2 when a character's
 * width is not known yet. */
static long han_sum(text_cache *c, const char *s, double size, int bold)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!*p)
        return -1;
    long w = 0;
    int unknown = 0;
    while (*p) {
        size_t len;
        uint32_t cp = han_char(p, &len);
        if (!cp)
            return -1;
        const han_ent *e = unknown ? NULL : han_slot(c, cp, size, bold);
        if (e && e->size != 0)
            w += e->width;
        else
            unknown = 1;
        p += len;
    }
    return unknown ? -2 : w;
}

/* Learns the widths of the characters of a laid-out text of those
 * characters only (one line, a glyph for each character). */
static void han_learn(text_cache *c, PangoLayout *lay, double size, int bold)
{
    if (pango_layout_get_line_count(lay) != 1)
        return;
    const char *text = pango_layout_get_text(lay);
    PangoLayoutLine *line = pango_layout_get_line_readonly(lay, 0);
    for (GSList *r = line ? line->runs : NULL; r; r = r->next) {
        const PangoGlyphItem *run = r->data;
        const PangoGlyphString *g = run->glyphs;
        if (g->num_glyphs != run->item->num_chars)
            continue;
        for (int i = 0; i < g->num_glyphs; i++) {
            size_t len;
            const unsigned char *p =
                (const unsigned char *)text + run->item->offset + g->log_clusters[i];
            uint32_t cp = han_char(p, &len);
            if (!cp)
                continue;
            han_ent *e = han_slot(c, cp, size, bold);
            if (e->size == 0) {
                *e = (han_ent){ size, cp, bold, g->glyphs[i].geometry.width };
                c->hn++;
            }
        }
    }
}

/* fz_plot_measure of a document: through its text cache */
static double pdoc_measure(void *doc, const char *s, double size, int bold)
{
    fz_pdoc *d = doc;
    fz_plot_fonts *f = d->f;
    long w = !f->han_off && s && size > 0 ? han_sum(f->tc, s, size, bold) : -1;
    if (w >= 0) {
        double lw = (double)w / PANGO_SCALE;
#ifdef NDEBUG
        if (f->han_checked >= HAN_CHECKS)
            return lw;
        f->han_checked++;
#endif
        double ref = text_get(f, f->tc, s, size, bold, 0, FZ_ALIGN_LEFT, 0, 1)->lw;
        assert(ref == lw);
        if (ref == lw)
            return lw;
        f->han_off = 1; /* this font set shapes these characters in context */
        return ref;
    }
    text_ent *e = text_get(f, f->tc, s, size, bold, 0, FZ_ALIGN_LEFT, 0, 1);
    if (w == -2 && e->lay) /* laid out: its characters' widths are known now */
        han_learn(f->tc, e->lay, size, bold);
    return e->lw;
}

double fz_pdoc_measure(fz_pdoc *d, const char *s, double size, int bold)
{
    pdoc_ctx(d);
    return pdoc_measure(d, s, size, bold);
}

/* ---- documents ---------------------------------------------------------- */

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int n)
{
    fz_pdoc *d = closure;
    /* A failed write is recorded, not returned: cairo 1.16 asserts when a
     * PDF with tags is finished in an error state, so the surface is kept
     * healthy, later bytes are dropped and fz_pdoc_finish() reports it. */
    if (!d->fp || d->write_failed)
        return CAIRO_STATUS_SUCCESS; /* no fp: a layout pass, bytes unwanted */
    if (fwrite(data, 1, n, d->fp) != n) {
        d->write_failed = 1;
        d->write_errno = errno;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* ---- pages recorded, then written ---------------------------------------- */

static void rec_page_release(rec_page *p)
{
    if (p->rec)
        cairo_surface_destroy(p->rec);
    for (size_t i = 0; i < p->nnav; i++) {
        free(p->nav[i].title);
        free(p->nav[i].attr);
    }
    free(p->nav);
    memset(p, 0, sizeof *p);
}

/* The writer's work for one page: navigation, the recording, show page. */
static void pager_write(fz_pdoc *d, rec_page *p)
{
    cairo_t *cr = d->pg->pcr;
    if (p->rec) {
        cairo_set_source_surface(cr, p->rec, 0, 0);
        cairo_paint(cr);
        cairo_set_source_rgb(cr, 0, 0, 0); /* drops the pattern's hold on the recording */
    }
    for (size_t i = 0; i < p->nnav; i++) {
        const nav *n = &p->nav[i];
        if (n->kind == NAV_OUTLINE) {
            cairo_pdf_surface_add_outline(d->s, n->parent, n->title, n->attr, 0);
        } else if (p->rec) {
            const char *tag = n->kind == NAV_DEST ? CAIRO_TAG_DEST : CAIRO_TAG_LINK;
            cairo_tag_begin(cr, tag, n->attr);
            cairo_tag_end(cr, tag);
        }
    }
    if (p->rec)
        cairo_show_page(cr);
    rec_page_release(p);
}

/* The writer's last work when the document ends well: the PDF's tail
 * (fonts subset and embedded, cross references). On the writer's thread
 * this reuses the memory that thread's heap freed while writing pages. A
 * surface in error is left for fz_pdoc_finish() to report. */
static void pager_finish(fz_pdoc *d)
{
    pager *g = d->pg;
    if (cairo_status(g->pcr) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_status(d->s) != CAIRO_STATUS_SUCCESS || d->write_failed)
        return;
    cairo_destroy(g->pcr);
    g->pcr = NULL;
#ifdef __GLIBC__
    /* the pages' memory back to the system first: subsetting the CJK fonts
     * below is the report's peak (about 19 MB at once; 10,000 reports:
     * peak 149.4 -> 146.5 MB) */
    malloc_trim(0);
#endif
    cairo_surface_finish(d->s);
}

static void *pager_main(void *arg)
{
    fz_pdoc *d = arg;
    pager *g = d->pg;
    for (;;) {
        pthread_mutex_lock(&g->mu);
        while (g->qn == 0)
            pthread_cond_wait(&g->cv, &g->mu);
        rec_page p = g->q[g->qhead];
        g->qhead = (g->qhead + 1) % PAGER_QUEUE;
        g->qn--;
        pthread_cond_broadcast(&g->cv);
        pthread_mutex_unlock(&g->mu);
        if (p.end) {
            if (p.end == 2)
                pager_finish(d);
            break;
        }
        pager_write(d, &p);
    }
    return NULL;
}

/* Hands page p to the writer; takes ownership. */
static void pager_put(fz_pdoc *d, rec_page *p)
{
    pager *g = d->pg;
    if (!g->threaded) {
        if (p->end == 2)
            pager_finish(d);
        else if (!p->end)
            pager_write(d, p);
        return;
    }
    pthread_mutex_lock(&g->mu);
    while (g->qn == PAGER_QUEUE)
        pthread_cond_wait(&g->cv, &g->mu);
    g->q[(g->qhead + g->qn) % PAGER_QUEUE] = *p;
    g->qn++;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    memset(p, 0, sizeof *p);
}

/* Ends the page being composed and hands it over. */
static void pager_end_page(fz_pdoc *d)
{
    if (d->cr) {
        pend_flush(d);
        cairo_destroy(d->cr);
    }
    d->cr = NULL;
    pager_put(d, &d->pg->cur);
}

/* Hands over the last page (if any) and the end, after which the writer
 * stops (finishing the PDF surface first if asked). */
static void pager_end(fz_pdoc *d, int finish)
{
    pager *g = d->pg;
    if (d->cr || g->cur.nnav)
        pager_end_page(d); /* or bookmarks added after fz_pdoc_page_done() */
    rec_page end = { .end = finish ? 2 : 1 };
    pager_put(d, &end);
    g->ended = 1;
}

/* Waits for the writer to stop (after pager_end) and frees the pager; the
 * PDF surface's cairo_t becomes d->cr again, NULL if the surface was
 * finished. */
static void pager_join(fz_pdoc *d)
{
    pager *g = d->pg;
    if (g->threaded) {
        pthread_join(g->th, NULL);
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->cv);
    }
    d->cr = g->pcr;
    free(g);
    d->pg = NULL;
}

static void pager_nav(fz_pdoc *d, int kind, int parent, const char *title, char *attr)
{
    rec_page *p = &d->pg->cur;
    if (p->nnav == p->capnav) {
        p->capnav = p->capnav ? p->capnav * 2 : 8;
        p->nav = fz_xreallocarray(p->nav, p->capnav, sizeof *p->nav);
    }
    p->nav[p->nnav++] = (nav){ kind, parent, title ? fz_xstrdup(title) : NULL, attr };
}

void fz_pdoc_record_pages(fz_pdoc *d, int threads)
{
    if (d->fmt != FZ_PDOC_PDF || d->page > 0 || d->pg)
        return;
    /* the shared PangoContext set up for a PDF target now, on this thread
     * (pdoc_ctx would otherwise use the page's recording surface) */
    if (!d->f->ctx_pdf) {
        pango_cairo_update_context(d->cr, d->f->ctx);
        text_cache_clear(d->f->tc);
        d->f->ctx_pdf = 1;
    }
    d->f->ctx_doc = d;
    pager *g = fz_xcalloc(1, sizeof *g);
    g->pcr = d->cr;
    d->cr = NULL;
    d->pg = g;
    d->group_texts = 1;
    if (threads > 1) {
        pthread_mutex_init(&g->mu, NULL);
        pthread_cond_init(&g->cv, NULL);
        g->threaded = pthread_create(&g->th, NULL, pager_main, d) == 0;
        if (!g->threaded) {
            pthread_mutex_destroy(&g->mu);
            pthread_cond_destroy(&g->cv);
        }
    }
}

int fz_pdoc_format_from_path(const char *path, fz_pdoc_format *out)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return FZ_EINPUT;
    if (strcasecmp(dot, ".pdf") == 0)
        *out = FZ_PDOC_PDF;
    else if (strcasecmp(dot, ".svg") == 0)
        *out = FZ_PDOC_SVG;
    else if (strcasecmp(dot, ".png") == 0)
        *out = FZ_PDOC_PNG;
    else
        return FZ_EINPUT;
    return 0;
}

/* "2026-01-01T00:00:00Z" style, as cairo's PDF metadata wants it. */
static void iso_date(long long epoch, char *buf, size_t n)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
}

fz_pdoc *fz_pdoc_new(fz_plot_fonts *fonts, fz_pdoc_format fmt, FILE *fp, double w, double h,
                     const fz_pdoc_meta *meta, fz_diag *diag)
{
    fz_pdoc *d = fz_xcalloc(1, sizeof *d);
    d->f = fonts;
    d->fmt = fmt;
    d->fp = fp;
    d->w = w;
    d->h = h;
    switch (fmt) {
    case FZ_PDOC_PDF:
        d->s = cairo_pdf_surface_create_for_stream(write_stream, d, w, h);
        if (meta && cairo_surface_status(d->s) == CAIRO_STATUS_SUCCESS) {
            char date[40];
            iso_date(meta->epoch, date, sizeof date);
            if (meta->title)
                cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_TITLE, meta->title);
            if (meta->author)
                cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_AUTHOR, meta->author);
            if (meta->subject)
                cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_SUBJECT, meta->subject);
            if (meta->creator)
                cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_CREATOR, meta->creator);
            cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_CREATE_DATE, date);
            cairo_pdf_surface_set_metadata(d->s, CAIRO_PDF_METADATA_MOD_DATE, date);
        }
        break;
    case FZ_PDOC_SVG:
        d->s = cairo_svg_surface_create_for_stream(write_stream, d, w, h);
        break;
    case FZ_PDOC_PNG:
        d->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w * PNG_SCALE),
                                          (int)ceil(h * PNG_SCALE));
        break;
    case FZ_PDOC_LAYOUT:
        /* A PDF surface whose bytes are discarded (no fp): the pango context
         * stays set up as for the PDF that follows, so the texts measured
         * here are not laid out again there. Nothing is drawn on it: the
         * primitives below return once they have measured what the caller
         * needs. */
        d->s = cairo_pdf_surface_create_for_stream(write_stream, d, w, h);
        break;
    }
    d->cr = cairo_create(d->s);
    if (fmt == FZ_PDOC_PNG)
        cairo_scale(d->cr, PNG_SCALE, PNG_SCALE);
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "cannot create the drawing surface: %s",
                    cairo_status_to_string(cairo_status(d->cr)));
        fz_pdoc_free(d);
        return NULL;
    }
    return d;
}

void fz_pdoc_set_name(fz_pdoc *d, const char *path)
{
    free(d->name);
    d->name = path ? fz_xstrdup(path) : NULL;
}

/* "cannot write 'out/report.pdf': No space left on device" */
static void write_error(fz_pdoc *d, fz_diag *diag, const char *why)
{
    if (d->write_failed)
        why = d->write_errno ? strerror(d->write_errno) : "write error";
    if (d->name)
        fz_diag_add(diag, FZ_DIAG_FATAL, d->name, 0, "cannot write '%s': %s", d->name, why);
    else
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "cannot write the %s: %s",
                    d->fmt == FZ_PDOC_SVG ? "SVG" : d->fmt == FZ_PDOC_PNG ? "PNG" : "PDF", why);
}

static int status_ok(fz_pdoc *d, fz_diag *diag)
{
    cairo_status_t st = d->cr ? cairo_status(d->cr) : CAIRO_STATUS_SUCCESS;
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(d->s);
    if (st == CAIRO_STATUS_SUCCESS && !d->write_failed)
        return 1;
    write_error(d, diag, cairo_status_to_string(st));
    return 0;
}

int fz_pdoc_finish(fz_pdoc *d, fz_diag *diag)
{
    if (d->page == 0)
        fz_pdoc_page(d); /* a document has at least one page */
    if (d->pg) {
        fz_pdoc_end_pages(d);
        cairo_status_t st = d->pg->end_st;
        pager_join(d);
        if (st != CAIRO_STATUS_SUCCESS) {
            write_error(d, diag, cairo_status_to_string(st));
            return FZ_EIO;
        }
        if (!d->cr) { /* the writer finished the surface */
            if (cairo_surface_status(d->s) != CAIRO_STATUS_SUCCESS || d->write_failed) {
                write_error(d, diag, cairo_status_to_string(cairo_surface_status(d->s)));
                return FZ_EIO;
            }
            return 0;
        }
    }
    pend_flush(d);
    if (!status_ok(d, diag))
        return FZ_EIO;
    if (d->fmt == FZ_PDOC_PNG) {
        cairo_surface_flush(d->s);
        if (!d->fp ||
            cairo_surface_write_to_png_stream(d->s, write_stream, d) != CAIRO_STATUS_SUCCESS ||
            d->write_failed) {
            write_error(d, diag, "cannot encode the image");
            return FZ_EIO;
        }
    }
    cairo_destroy(d->cr);
    d->cr = NULL;
    cairo_surface_finish(d->s); /* PDF and SVG write their tail here */
    if (cairo_surface_status(d->s) != CAIRO_STATUS_SUCCESS || d->write_failed) {
        write_error(d, diag, cairo_status_to_string(cairo_surface_status(d->s)));
        return FZ_EIO;
    }
    return 0;
}

void fz_pdoc_free(fz_pdoc *d)
{
    if (!d)
        return;
    if (d->f->ctx_doc == d)
        d->f->ctx_doc = NULL; /* a later document may get this address */
    pend_drop(d);
    if (d->pg) {
        if (!d->pg->ended)
            pager_end(d, 0);
        pager_join(d);
    }
    if (d->cr)
        cairo_destroy(d->cr);
    if (d->s)
        cairo_surface_destroy(d->s);
    for (size_t i = 0; i < d->nforms; i++)
        cairo_surface_destroy(d->forms[i].rec);
    free(d->forms);
    free(d->pend);
    glyphs_free(d);
    free(d->name);
    free(d);
}

int fz_pdoc_page(fz_pdoc *d)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return ++d->page;
    if (d->pg) {
        if (d->cr)
            pager_end_page(d);
        cairo_rectangle_t ext = { 0, 0, d->w, d->h };
        d->pg->cur.rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
        d->cr = cairo_create(d->pg->cur.rec);
        /* white first, as below: the writer's analysis of the recording
         * then adds every operation to a region of one rectangle */
        cairo_set_source_rgb(d->cr, 1, 1, 1);
        cairo_rectangle(d->cr, 0, 0, d->w, d->h);
        cairo_fill(d->cr);
        return ++d->page;
    }
    pend_flush(d);
    if (d->page > 0 && d->fmt == FZ_PDOC_PDF)
        cairo_show_page(d->cr);
    if (d->page == 0 || d->fmt == FZ_PDOC_PDF) {
        /* PDF pages are white already; paint for the raster and SVG cases */
        if (d->fmt != FZ_PDOC_PDF) {
            cairo_set_source_rgb(d->cr, 1, 1, 1);
            cairo_paint(d->cr);
        } else {
            /* A white page as the first operation: cairo's PDF surface adds
             * every operation's extents to a region while it analyses the
             * page, and with one rectangle covering the page each addition
             * is immediate (on a region of many small boxes it grows with
             * the page's operations: a tenth of the report's time). */
            cairo_set_source_rgb(d->cr, 1, 1, 1);
            cairo_rectangle(d->cr, 0, 0, d->w, d->h);
            cairo_fill(d->cr);
        }
    }
    return ++d->page;
}

void fz_pdoc_page_done(fz_pdoc *d)
{
    if (d->pg && d->cr)
        pager_end_page(d);
}

void fz_pdoc_end_pages(fz_pdoc *d)
{
    if (!d->pg || d->pg->ended)
        return;
    if (d->page == 0)
        fz_pdoc_page(d); /* a document has at least one page */
    /* the last page's recording, unless fz_pdoc_page_done() handed it over */
    d->pg->end_st = d->cr ? cairo_status(d->cr) : CAIRO_STATUS_SUCCESS;
    pager_end(d, d->pg->end_st == CAIRO_STATUS_SUCCESS);
}

int fz_pdoc_page_number(const fz_pdoc *d)
{
    return d->page;
}

/* ---- primitives ---------------------------------------------------------- */

/* Sets the shared PangoContext up for this document's target (font options,
 * transformation): every pango_cairo_update_context() marks the context
 * changed, and pango then lays out again every layout made before. All
 * callers are at the document's base transformation, so every PDF (and
 * layout) document would set it up alike: it is set up once for all of
 * them, and again only after an SVG or PNG document, when the text cache
 * made under the other set-up is emptied. */
static void pdoc_ctx(fz_pdoc *d)
{
    if (d->f->ctx_doc == d)
        return;
    if (d->f->ctx_doc)
        pend_flush(d->f->ctx_doc); /* drawn under the set-up they were laid out in */
    int pdf = d->fmt == FZ_PDOC_PDF || d->fmt == FZ_PDOC_LAYOUT;
    if (!pdf || !d->f->ctx_pdf) {
        pango_cairo_update_context(d->cr, d->f->ctx);
        text_cache_clear(d->f->tc);
        d->f->ctx_pdf = pdf;
    }
    d->f->ctx_doc = d;
}

static void set_rgb(cairo_t *cr, fz_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---- glyphs loaded for the writer ----------------------------------------- */

/* cairo's PDF surface, on meeting a glyph the document has not used yet,
 * loads its outline in the font it is drawn with, and its metrics in the
 * font's face at 1 unit (the subset's widths): two FreeType loads of a CFF
 * glyph on the thread that writes the PDF, the report's slowest. A
 * document that records its pages makes those loads on the composing
 * thread, as its texts are drawn (in the order the writer meets them,
 * through the page's context at the text's transformation: the same
 * cairo fonts), and the writer finds them in the fonts' glyph caches. */
typedef struct glyph_face {
    cairo_font_face_t *face;   /* borrowed: unit holds a reference */
    cairo_scaled_font_t *unit; /* the face at 1 unit as cairo's subsetting makes it */
    unsigned char *seen;       /* a bit per glyph index below 65,536 */
} glyph_face;

enum { GLYPH_FACES = 8 };      /* faces a document loads glyphs for */

static glyph_face *glyph_face_of(fz_pdoc *d, cairo_scaled_font_t *sf)
{
    cairo_font_face_t *face = cairo_scaled_font_get_font_face(sf);
    for (size_t i = 0; i < d->ngf; i++)
        if (d->gf[i].face == face)
            return &d->gf[i];
    if (d->ngf == GLYPH_FACES)
        return NULL;
    if (!d->gf)
        d->gf = fz_xcalloc(GLYPH_FACES, sizeof *d->gf);
    cairo_matrix_t one;
    cairo_matrix_init_identity(&one);
    cairo_font_options_t *o = cairo_font_options_create();
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
    glyph_face *g = &d->gf[d->ngf++];
    g->face = face;
    g->unit = cairo_scaled_font_create(face, &one, &one, o);
    g->seen = fz_xcalloc(65536 / 8, 1);
    cairo_font_options_destroy(o);
    return g;
}

/* The glyphs of lay that the document has not drawn yet, before it draws
 * them through d->cr as it is set up now; the path is left empty. */
static void glyphs_load(fz_pdoc *d, PangoLayout *lay)
{
    /* the lines' runs as they are: an iterator would measure the lines */
    for (GSList *ln = pango_layout_get_lines_readonly(lay); ln; ln = ln->next)
        for (GSList *r = ((PangoLayoutLine *)ln->data)->runs; r; r = r->next) {
            const PangoGlyphItem *run = r->data;
            cairo_scaled_font_t *sf =
                pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
            glyph_face *g = sf ? glyph_face_of(d, sf) : NULL;
            for (int i = 0; g && i < run->glyphs->num_glyphs; i++) {
                PangoGlyph id = run->glyphs->glyphs[i].glyph;
                if (id == 0 || id >= 65536 || g->seen[id >> 3] & 1 << (id & 7))
                    continue; /* .notdef, empty, unknown, or loaded */
                g->seen[id >> 3] |= (unsigned char)(1 << (id & 7));
                cairo_glyph_t cg = { id, 0, 0 };
                cairo_text_extents_t ext;
                cairo_set_scaled_font(d->cr, sf);
                cairo_glyph_path(d->cr, &cg, 1);
                cairo_new_path(d->cr);
                cairo_scaled_font_glyph_extents(g->unit, &cg, 1, &ext);
            }
        }
}

static void glyphs_free(fz_pdoc *d)
{
    for (size_t i = 0; i < d->ngf; i++) {
        cairo_scaled_font_destroy(d->gf[i].unit);
        free(d->gf[i].seen);
    }
    free(d->gf);
}

/* ---- texts kept back ------------------------------------------------------ */

/* cairo's PDF surface ends its text object (ET) whenever the colour
 * changes, and starts the next one with the colour, the whole text matrix
 * and the font (rg BT Tm Tf: ten printed numbers), where a text in the
 * colour and size of the one before continues the object with a move (Td:
 * two). A page's texts alternate with fills and with texts of other
 * colours (a heatmap's cells and their labels, a table's grey names and
 * dark figures), so a document that records its pages keeps texts back and
 * draws them grouped by colour and size, each group in the order it came,
 * when something that overlaps one of them is drawn, or when the page ends.
 * Nothing drawn meanwhile overlaps a text kept back, nor do two texts of
 * different groups kept back together overlap (their logical boxes with a
 * margin for ink beyond them and antialiasing), so the page looks the same. */
typedef struct pend_text {
    PangoLayout *lay;        /* a reference; NULL once drawn */
    cairo_matrix_t m;        /* the transformation it is drawn under */
    double px, py;           /* its top-left under m */
    fz_rgb c;
    double size;
    double x0, y0, x1, y1;   /* page box, margin included */
} pend_text;

enum { PEND_MAX = 512 };     /* texts kept back at most */
#define PEND_MARGIN 1.5      /* points around a text's logical box: more than a
                              * pixel at 60 dpi, and ink a little beyond the box */

static int pend_group(const pend_text *a, const pend_text *b)
{
    return a->size == b->size && a->c.r == b->c.r && a->c.g == b->c.g && a->c.b == b->c.b;
}

static int pend_meets(const pend_text *t, double x0, double y0, double x1, double y1)
{
    return t->x0 < x1 && x0 < t->x1 && t->y0 < y1 && y0 < t->y1;
}

static void pend_flush(fz_pdoc *d)
{
    cairo_t *cr = d->cr;
    for (size_t i = 0; i < d->npend; i++) {
        if (!d->pend[i].lay)
            continue;
        pend_text g = d->pend[i];
        for (size_t j = i; j < d->npend; j++) {
            pend_text *t = &d->pend[j];
            if (!t->lay || !pend_group(t, &g))
                continue;
            cairo_save(cr);
            cairo_set_matrix(cr, &t->m);
            if (d->pg)
                glyphs_load(d, t->lay);
            set_rgb(cr, t->c);
            cairo_move_to(cr, t->px, t->py);
            pango_cairo_show_layout(cr, t->lay);
            cairo_restore(cr);
            g_object_unref(t->lay);
            t->lay = NULL;
        }
    }
    d->npend = 0;
}

void fz_pdoc_group_texts(fz_pdoc *d, int on)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return;
    if (!on && d->cr)
        pend_flush(d);
    d->group_texts = on;
}

static void pend_drop(fz_pdoc *d)
{
    for (size_t i = 0; i < d->npend; i++)
        if (d->pend[i].lay)
            g_object_unref(d->pend[i].lay);
    d->npend = 0;
}

/* Whether the page box (x0, y0, x1, y1) meets the union of the boxes of
 * the texts kept back (none: no). */
static int pend_near(const fz_pdoc *d, double x0, double y0, double x1, double y1)
{
    const double *u = d->pend_box;
    return d->npend && u[0] < x1 && x0 < u[2] && u[1] < y1 && y0 < u[3];
}

/* Before drawing over the page box (x0, y0, x1, y1). */
static void pend_before(fz_pdoc *d, double x0, double y0, double x1, double y1)
{
    if (!pend_near(d, x0, y0, x1, y1))
        return;
    for (size_t i = 0; i < d->npend; i++)
        if (pend_meets(&d->pend[i], x0, y0, x1, y1)) {
            pend_flush(d);
            return;
        }
}

/* Shows e's layout in colour c with its top-left at (px, py) under the
 * current transformation: at once, or kept back. w: the layout's width
 * (its lines are placed within it), or 0. */
static void pend_show(fz_pdoc *d, const text_ent *e, double px, double py, double w, fz_rgb c)
{
    cairo_t *cr = d->cr;
    if (!d->group_texts) {
        set_rgb(cr, c);
        cairo_move_to(cr, px, py);
        pango_cairo_show_layout(cr, e->lay);
        return;
    }
    pend_text t = { .px = px, .py = py, .c = c, .size = e->size };
    cairo_get_matrix(cr, &t.m);
    double unit = d->fmt == FZ_PDOC_PNG ? PNG_SCALE : 1; /* device units a point */
    t.x0 = t.y0 = INFINITY;
    t.x1 = t.y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double x = px + (k & 1 ? fmax(w, e->lw) + PEND_MARGIN : -PEND_MARGIN);
        double y = py + (k & 2 ? e->lh + PEND_MARGIN : -PEND_MARGIN);
        cairo_matrix_transform_point(&t.m, &x, &y);
        t.x0 = fmin(t.x0, x / unit);
        t.x1 = fmax(t.x1, x / unit);
        t.y0 = fmin(t.y0, y / unit);
        t.y1 = fmax(t.y1, y / unit);
    }
    int inside = pend_near(d, t.x0, t.y0, t.x1, t.y1);
    for (size_t i = 0; inside && i < d->npend; i++)
        if (!pend_group(&d->pend[i], &t) && pend_meets(&d->pend[i], t.x0, t.y0, t.x1, t.y1)) {
            pend_flush(d);
            break;
        }
    if (d->npend == PEND_MAX)
        pend_flush(d);
    if (d->npend == d->cappend) {
        d->cappend = d->cappend ? d->cappend * 2 : 64;
        d->pend = fz_xreallocarray(d->pend, d->cappend, sizeof *d->pend);
    }
    double *v = d->pend_box;
    if (!d->npend) {
        v[0] = v[1] = INFINITY;
        v[2] = v[3] = -INFINITY;
    }
    v[0] = fmin(v[0], t.x0);
    v[1] = fmin(v[1], t.y0);
    v[2] = fmax(v[2], t.x1);
    v[3] = fmax(v[3], t.y1);
    t.lay = g_object_ref(e->lay);
    d->pend[d->npend++] = t;
}

double fz_pdoc_text_height(fz_pdoc *d, double w, const char *s, const fz_pdoc_style *st)
{
    pdoc_ctx(d);
    /* measured text is usually drawn next (in the layout pass: by the PDF
     * pass): keep the layout */
    return text_get(d->f, d->f->tc, s, st->size, st->bold, w, st->align, st->one_line, 1)->lh;
}

double fz_pdoc_text(fz_pdoc *d, double x, double y, double w, const char *s,
                    const fz_pdoc_style *st)
{
    pdoc_ctx(d);
    int draw = d->fmt != FZ_PDOC_LAYOUT;
    text_ent *e = text_get(d->f, d->f->tc, s, st->size, st->bold, w, st->align, st->one_line, 1);
    if (!draw)
        return e->lh; /* a layout pass only needs the height */
    if (w <= 0 && st->align != FZ_ALIGN_LEFT)
        x -= st->align == FZ_ALIGN_CENTER ? e->lw / 2 : e->lw;
    cairo_save(d->cr);
    pend_show(d, e, x, y, w, st->color);
    cairo_restore(d->cr);
    return e->lh;
}

void fz_pdoc_text_put(fz_pdoc *d, double x, double y, double w, const char *s,
                      const fz_pdoc_style *st)
{
    if (d->fmt != FZ_PDOC_LAYOUT)
        fz_pdoc_text(d, x, y, w, s, st);
}

void fz_pdoc_rect(fz_pdoc *d, double x, double y, double w, double h, fz_rgb fill)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return;
    pend_before(d, x, y, x + w, y + h);
    set_rgb(d->cr, fill);
    cairo_rectangle(d->cr, x, y, w, h);
    cairo_fill(d->cr);
}

static int cmp_band(const void *a, const void *b)
{
    const double *p = a, *q = b;
    return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1];
}

/* The index of the band (sorted by start) that starts at x. */
static size_t band_at(const double *band, size_t nb, double x)
{
    size_t lo = 0, hi = nb;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (band[2 * mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A zero-area diagonal sliver inside box b: a clip path with it is not
 * rectilinear, so cairo keeps the path as it is (a rectilinear one becomes
 * boxes, and two box clips become their intersection, a box a cell). */
static void clip_sliver(cairo_t *cr, const fz_mark *b)
{
    cairo_move_to(cr, b->x0 + (b->x1 - b->x0) / 2, b->y0 + (b->y1 - b->y0) / 2);
    cairo_rel_line_to(cr, 0.01, 0.01);
    cairo_close_path(cr);
}

/* Clips cr to n boxes that lie in a grid when that takes fewer rectangles
 * than the boxes, and says whether it did: to the columns (the boxes'
 * distinct x ranges, when they are disjoint, over the height of them all),
 * then to the runs of boxes in a row (one after the other, with one y range,
 * in neighbouring columns). A run meets no column but its boxes', so the two
 * clips leave the boxes; a coverage matrix has a few runs a row. */
static int hatch_clip_grid(cairo_t *cr, const fz_mark *m, size_t n)
{
    if (n < 4 || !(m[0].x1 - m[0].x0 > 0.1 && m[0].y1 - m[0].y0 > 0.1))
        return 0;
    double *band = fz_xmalloc(2 * n * sizeof *band), y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        band[2 * i] = m[i].x0;
        band[2 * i + 1] = m[i].x1;
        y0 = fmin(y0, m[i].y0);
        y1 = fmax(y1, m[i].y1);
    }
    qsort(band, n, 2 * sizeof *band, cmp_band);
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        if (nb == 0 || band[2 * nb - 2] != band[2 * i] || band[2 * nb - 1] != band[2 * i + 1]) {
            band[2 * nb] = band[2 * i];
            band[2 * nb + 1] = band[2 * i + 1];
            nb++;
        }
    int ok = 1;
    for (size_t b = 1; b < nb && ok; b++)
        ok = band[2 * b - 1] < band[2 * b];
    size_t runs = 0;
    for (size_t i = 0, prev = 0; i < n && ok; i++) {
        size_t b = band_at(band, nb, m[i].x0);
        runs += !(i > 0 && m[i].y0 == m[i - 1].y0 && m[i].y1 == m[i - 1].y1 && b == prev + 1);
        prev = b;
    }
    if (ok && nb + runs < n) {
        for (size_t b = 0; b < nb; b++)
            cairo_rectangle(cr, band[2 * b], y0, band[2 * b + 1] - band[2 * b], y1 - y0);
        clip_sliver(cr, &m[0]);
        cairo_clip(cr);
        for (size_t i = 0, j; i < n; i = j) {
            size_t b = band_at(band, nb, m[i].x0);
            for (j = i + 1; j < n && m[j].y0 == m[i].y0 && m[j].y1 == m[i].y1 &&
                            band_at(band, nb, m[j].x0) == b + (j - i);
                 j++)
                ;
            cairo_rectangle(cr, m[i].x0, m[i].y0, m[j - 1].x1 - m[i].x0, m[i].y1 - m[i].y0);
        }
        clip_sliver(cr, &m[0]);
        cairo_clip(cr);
    }
    free(band);
    return ok && nb + runs < n;
}

/* n hatched boxes of one style (m[0]'s fill, stroke and lw): clipped to
 * the boxes, their background painted, then lines at 45 degrees 3 apart,
 * where x + y is a multiple of 3, each line one segment from the first box
 * it meets to the last. One clip, paint and stroke for the lot: cairo's PDF
 * surface analyses each drawing operation and prints each number, and the
 * clip, fill and lines of each box were most of a coverage matrix page
 * (100 reports: writing the pages 2.01 G -> 1.91 G instructions; 1,000
 * reports: 5.00 G -> 4.84 G; with boxes in a grid clipped to columns and
 * runs, hatch_clip_grid, 1.77 G and 4.50 G). Forms of a row's run of
 * boxes, drawn so, were slower (1.94 G at 100 reports: show_page analyses
 * a form again at each use), and a tiling pattern (1.74 G) shows seams in
 * viewers that round tiles to whole pixels. A box looks as drawn alone but
 * for where its lines fall, and the lines of neighbouring boxes line up. */
static void hatch_boxes(cairo_t *cr, const fz_mark *m, size_t n)
{
    double lo = INFINITY, hi = -INFINITY; /* the lines' x + y */
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, m[i].x0 + m[i].y0);
        hi = fmax(hi, m[i].x1 + m[i].y1);
    }
    if (!hatch_clip_grid(cr, m, n)) {
        for (size_t i = 0; i < n; i++)
            cairo_rectangle(cr, m[i].x0, m[i].y0, m[i].x1 - m[i].x0, m[i].y1 - m[i].y0);
        cairo_clip(cr);
    }
    set_rgb(cr, m[0].fill);
    cairo_paint(cr);
    /* line j (x + y = 3 (j0 + j)) meets the boxes from x = xa[j] to xb[j] */
    double j0 = ceil(lo / 3);
    size_t nl = hi >= 3 * j0 ? (size_t)((hi - 3 * j0) / 3) + 1 : 0;
    double *xa = fz_xmalloc((2 * nl + 1) * sizeof *xa), *xb = xa + nl;
    for (size_t j = 0; j < nl; j++) {
        xa[j] = INFINITY;
        xb[j] = -INFINITY;
    }
    for (size_t i = 0; i < n; i++) {
        const fz_mark *b = &m[i];
        for (double j = ceil((b->x0 + b->y0) / 3); 3 * j <= b->x1 + b->y1; j++) {
            double c = 3 * j;
            size_t k = (size_t)(j - j0);
            if (k < nl) {
                xa[k] = fmin(xa[k], fmax(b->x0, c - b->y1));
                xb[k] = fmax(xb[k], fmin(b->x1, c - b->y0));
            }
        }
    }
    /* each end 1 further (the clip cuts it), so that no butt end shows */
    for (size_t j = 0; j < nl; j++) {
        if (!(xa[j] <= xb[j]))
            continue;
        double c = 3 * (j0 + (double)j);
        cairo_move_to(cr, xa[j] - 1, c - xa[j] + 1);
        cairo_line_to(cr, xb[j] + 1, c - xb[j] - 1);
    }
    free(xa);
    set_rgb(cr, m[0].stroke);
    cairo_set_line_width(cr, m[0].lw > 0 ? m[0].lw : 0.4);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static int form_fits(const form *f, const double *key)
{
    for (int i = 0; i < FORM_KEY; i++)
        if (f->key[i] != key[i])
            return 0;
    return 1;
}

/* The form with this key (the one made last if it fits, the usual case,
 * else the first that fits), or a new one whose rec is NULL for the caller
 * to record. */
static form *form_get(fz_pdoc *d, const double *key)
{
    size_t last = d->last_form;
    form *f = last && form_fits(&d->forms[last - 1], key) ? &d->forms[last - 1] : NULL;
    for (size_t i = 0; i < d->nforms && !f; i++)
        if (form_fits(&d->forms[i], key))
            f = &d->forms[i];
    if (!f) {
        if (d->nforms == d->capforms) {
            d->capforms = d->capforms ? d->capforms * 2 : 16;
            d->forms = fz_xreallocarray(d->forms, d->capforms, sizeof *d->forms);
        }
        f = &d->forms[d->nforms++];
        memcpy(f->key, key, sizeof f->key);
        f->rec = NULL;
        d->last_form = d->nforms;
    }
    return f;
}

/* Paints form f with its origin at (x, y). */
static void form_paint(fz_pdoc *d, const form *f, double x, double y)
{
    cairo_save(d->cr);
    cairo_set_source_surface(d->cr, f->rec, x, y);
    cairo_paint(d->cr);
    cairo_restore(d->cr);
}

/* The number of hatch marks from m on (at most n) in m[0]'s style, to be
 * hatched as one group. */
static size_t hatch_group(const fz_mark *m, size_t n)
{
    size_t k = 1;
    while (k < n && m[k].kind == FZ_MARK_HATCH && m[k].lw == m[0].lw &&
           memcmp(&m[k].fill, &m[0].fill, sizeof m[0].fill) == 0 &&
           memcmp(&m[k].stroke, &m[0].stroke, sizeof m[0].stroke) == 0)
        k++;
    return k;
}

void fz_pdoc_hatch(fz_pdoc *d, double x, double y, double w, double h)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return;
    fz_mark m = { .kind = FZ_MARK_HATCH, .x0 = x, .y0 = y, .x1 = x + w, .y1 = y + h,
                  .fill = { 0.96, 0.96, 0.96 }, .stroke = { 0.62, 0.62, 0.62 }, .lw = 0.4 };
    pend_before(d, x, y, x + w, y + h);
    hatch_boxes(d->cr, &m, 1);
}

void fz_pdoc_line(fz_pdoc *d, double x0, double y0, double x1, double y1, fz_rgb c, double lw)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return;
    pend_before(d, fmin(x0, x1) - lw, fmin(y0, y1) - lw, fmax(x0, x1) + lw, fmax(y0, y1) + lw);
    cairo_move_to(d->cr, x0, y0);
    cairo_line_to(d->cr, x1, y1);
    set_rgb(d->cr, c);
    cairo_set_line_width(d->cr, lw);
    cairo_stroke(d->cr);
}

/* A disc of radius r filled with fill and outlined by a line of width lw
 * in stroke: the outline is a disc of radius r + lw / 2 under a disc of
 * radius r - lw / 2, the ring a stroke would cover. Two fills, not a fill
 * and a stroke: cairo's PDF surface learns a stroke's extents from a
 * polygon of its outline when it analyses a page and again when it writes
 * it, and analyses a point's form again at every use (1,000 reports: a
 * stroke 27,000 instructions in the analysis, a fill 2,000; writing the
 * pages 4.64 G -> 4.10 G). Lines and outlined bars stay strokes: viewers
 * draw a thin stroke at least a pixel wide, a thin fill fainter. */
static void point_path(cairo_t *cr, double x, double y, double r, fz_rgb fill, fz_rgb stroke,
                       double lw)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r + lw / 2, 0, 2 * M_PI);
    set_rgb(cr, stroke);
    cairo_fill(cr);
    if (r > lw / 2) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r - lw / 2, 0, 2 * M_PI);
        set_rgb(cr, fill);
        cairo_fill(cr);
    }
}

/* A point: filled white with a coloured outline when hollow (an
 * approximate value), else filled with a thin white outline. */
static void pdoc_point(fz_pdoc *d, const fz_mark *m)
{
    fz_rgb white = { 1, 1, 1 };
    fz_rgb fill = m->hollow ? white : m->fill, stroke = m->hollow ? m->stroke : white;
    double lw = m->hollow ? (m->lw > 0 ? m->lw : 0.9) : 0.4;
    if (d->fmt != FZ_PDOC_PDF || !(m->r > 0)) {
        point_path(d->cr, m->x0, m->y0, m->r, fill, stroke, lw);
        return;
    }
    const double key[FORM_KEY] = { m->r, lw, fill.r, fill.g, fill.b, stroke.r, stroke.g, stroke.b };
    form *f = form_get(d, key);
    if (!f->rec) {
        double e = m->r + lw + 1;
        cairo_rectangle_t ext = { -e, -e, 2 * e, 2 * e };
        f->rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
        cairo_t *rc = cairo_create(f->rec);
        point_path(rc, 0, 0, m->r, fill, stroke, lw);
        cairo_destroy(rc);
    }
    form_paint(d, f, m->x0, m->y0);
}

static void draw_text_mark(fz_pdoc *d, const fz_mark *m)
{
    text_ent *e = text_get(d->f, d->f->tc, m->text, m->size, m->bold, 0, FZ_ALIGN_LEFT, 0, 1);
    double tw = e->lw, th = e->lh;
    double dx = m->align == FZ_ALIGN_LEFT ? 0 : m->align == FZ_ALIGN_CENTER ? -tw / 2 : -tw;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_translate(cr, m->x0, m->y0);
    if (m->vertical)
        cairo_rotate(cr, -M_PI / 2); /* reads bottom to top */
    pend_show(d, e, dx, -th / 2, 0, m->fill);
    cairo_restore(cr);
}

/* Texts kept back before drawing the k marks from m (not texts) with the
 * chart's origin at (x, y): their box with room for strokes. */
static void pend_before_marks(fz_pdoc *d, const fz_mark *m, size_t k, double x, double y)
{
    if (!d->npend)
        return; /* the usual case within a chart of no text */
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        int pt = m[i].kind == FZ_MARK_POINT; /* x1, y1 unused */
        double lw = fmax(m[i].lw, 1); /* at least what each kind draws with */
        double e = pt ? m[i].r + lw : m[i].kind == FZ_MARK_LINE || m[i].hollow ? lw : 0;
        double mx1 = pt ? m[i].x0 : m[i].x1, my1 = pt ? m[i].y0 : m[i].y1;
        x0 = fmin(x0, fmin(m[i].x0, mx1) - e);
        x1 = fmax(x1, fmax(m[i].x0, mx1) + e);
        y0 = fmin(y0, fmin(m[i].y0, my1) - e);
        y1 = fmax(y1, fmax(m[i].y0, my1) + e);
    }
    pend_before(d, x + x0, y + y0, x + x1, y + y1);
}

void fz_pdoc_layout(fz_pdoc *d, const fz_plot_layout *l, double x, double y)
{
    if (d->fmt == FZ_PDOC_LAYOUT)
        return;
    cairo_t *cr = d->cr;
    pdoc_ctx(d);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (size_t i = 0; i < l->n; i++) {
        const fz_mark *m = &l->marks[i];
        size_t k = m->kind == FZ_MARK_HATCH ? hatch_group(m, l->n - i) : 1;
        if (m->kind != FZ_MARK_TEXT)
            pend_before_marks(d, m, k, x, y);
        switch (m->kind) {
        case FZ_MARK_RECT:
            cairo_rectangle(cr, m->x0, m->y0, m->x1 - m->x0, m->y1 - m->y0);
            if (m->hollow) { /* an approximate figure: pale fill, full outline */
                cairo_set_source_rgb(cr, 0.45 + 0.55 * m->fill.r, 0.45 + 0.55 * m->fill.g,
                                     0.45 + 0.55 * m->fill.b);
                cairo_fill_preserve(cr);
                set_rgb(cr, m->stroke);
                cairo_set_line_width(cr, m->lw > 0 ? m->lw : 0.8);
                cairo_stroke(cr);
            } else {
                set_rgb(cr, m->fill);
                cairo_fill(cr);
            }
            break;
        case FZ_MARK_HATCH:
            hatch_boxes(cr, m, k);
            i += k - 1;
            break;
        case FZ_MARK_LINE:
            cairo_move_to(cr, m->x0, m->y0);
            cairo_line_to(cr, m->x1, m->y1);
            set_rgb(cr, m->stroke);
            cairo_set_line_width(cr, m->lw > 0 ? m->lw : 0.5);
            if (m->dash) {
                static const double dash[2] = { 4, 2.5 };
                cairo_set_dash(cr, dash, 2, 0);
            }
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            break;
        case FZ_MARK_POINT:
            pdoc_point(d, m);
            break;
        case FZ_MARK_TEXT:
            draw_text_mark(d, m);
            break;
        }
    }
    cairo_restore(cr);
}

#ifndef NDEBUG
/* debug builds: the check answers as the build does (estimated widths) */
static void check_agrees(int rc, int multiples, const fz_plot_spec *specs, size_t n,
                         size_t ncols, const char *title, const char *source, double w, double h)
{
    fz_diag scratch;
    fz_diag_init(&scratch);
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    int built = multiples ? fz_plot_build_multiples(specs, n, ncols, title, source, w, h, NULL, NULL, &l,
                                            &scratch)
                  : fz_plot_build(specs, w, h, NULL, NULL, &l, &scratch);
    assert(built == rc);
    (void)built;
    fz_plot_layout_release(&l);
    fz_diag_release(&scratch);
}
#endif

int fz_pdoc_chart(fz_pdoc *d, const fz_plot_spec *spec, double x, double y, double w, double h,
                  fz_diag *diag)
{
    pdoc_ctx(d);
    /* a layout pass draws nothing: only whether the chart builds matters,
     * and fz_plot_check() tells that without building it */
    if (d->fmt == FZ_PDOC_LAYOUT) {
        int rc = fz_plot_check(spec, w, h, diag);
#ifndef NDEBUG
        check_agrees(rc, 0, spec, 0, 0, NULL, NULL, w, h);
#endif
        return rc;
    }
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    int rc = fz_plot_build(spec, w, h, pdoc_measure, d, &l, diag);
    if (rc == 0)
        fz_pdoc_layout(d, &l, x, y);
    fz_plot_layout_release(&l);
    return rc;
}

int fz_pdoc_multiples(fz_pdoc *d, const fz_plot_spec *specs, size_t n, size_t ncols,
                      const char *title, const char *source, double x, double y, double w,
                      double h, fz_diag *diag)
{
    pdoc_ctx(d);
    if (d->fmt == FZ_PDOC_LAYOUT) {
        int rc = fz_plot_check_multiples(specs, n, ncols, title, w, h, diag);
#ifndef NDEBUG
        check_agrees(rc, 1, specs, n, ncols, title, source, w, h);
#endif
        return rc;
    }
    fz_plot_layout l;
    fz_plot_layout_init(&l);
    int rc = fz_plot_build_multiples(specs, n, ncols, title, source, w, h, pdoc_measure, d, &l,
                                     diag);
    if (rc == 0)
        fz_pdoc_layout(d, &l, x, y);
    fz_plot_layout_release(&l);
    return rc;
}

/* ---- PDF navigation ------------------------------------------------------ */

static int safe_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

void fz_pdoc_dest(fz_pdoc *d, const char *name, double x, double y)
{
    if (d->fmt != FZ_PDOC_PDF || !safe_name(name))
        return;
    char *attr = fz_xasprintf("name='%s' x=%.2f y=%.2f", name, x, y);
    if (d->pg) {
        pager_nav(d, NAV_DEST, 0, NULL, attr);
        return;
    }
    cairo_tag_begin(d->cr, CAIRO_TAG_DEST, attr);
    cairo_tag_end(d->cr, CAIRO_TAG_DEST);
    free(attr);
}

void fz_pdoc_link(fz_pdoc *d, const char *dest, double x, double y, double w, double h)
{
    if (d->fmt != FZ_PDOC_PDF || !safe_name(dest))
        return;
    char *attr = fz_xasprintf("dest='%s' rect=[%.2f %.2f %.2f %.2f]", dest, x, y, w, h);
    if (d->pg) {
        pager_nav(d, NAV_LINK, 0, NULL, attr);
        return;
    }
    cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
    cairo_tag_end(d->cr, CAIRO_TAG_LINK);
    free(attr);
}

int fz_pdoc_outline(fz_pdoc *d, int parent, const char *title, const char *dest)
{
    if (d->fmt != FZ_PDOC_PDF || !safe_name(dest))
        return 0;
    char *attr = fz_xasprintf("dest='%s'", dest);
    if (d->pg) {
        /* cairo numbers bookmarks 1, 2, ... in the order they are added
         * and ignores one under a parent it does not have */
        if (parent < 0 || parent > d->pg->noutline) {
            free(attr);
            return 0;
        }
        pager_nav(d, NAV_OUTLINE, parent, title, attr);
        return ++d->pg->noutline;
    }
    int id = cairo_pdf_surface_add_outline(d->s, parent, title, attr, 0);
    free(attr);
    return id;
}

/* ---- one chart to a file ------------------------------------------------- */

int fz_plot_save(fz_plot_fonts *fonts, const fz_plot_spec *spec, const char *path, double w,
                 double h, long long epoch, fz_diag *diag)
{
    fz_pdoc_format fmt;
    if (fz_pdoc_format_from_path(path, &fmt) < 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot tell the chart format: use .pdf, .svg or .png");
        return FZ_EINPUT;
    }
    fz_outfile of;
    if (fz_outfile_open(&of, path, diag) < 0)
        return FZ_EIO;
    fz_pdoc_meta meta = { spec->title, NULL, NULL, "fzstat", epoch };
    fz_pdoc *d = fz_pdoc_new(fonts, fmt, of.fp, w, h, &meta, diag);
    if (!d)
        goto fail;
    fz_pdoc_set_name(d, path);
    fz_pdoc_page(d);
    int rc = fz_pdoc_chart(d, spec, 0, 0, w, h, diag);
    if (rc < 0) {
        fz_pdoc_free(d);
        fz_outfile_abort(&of);
        return rc;
    }
    if (fz_pdoc_finish(d, diag) < 0)
        goto fail;
    fz_pdoc_free(d);
    return fz_outfile_commit(&of, diag);
fail:
    fz_pdoc_free(d);
    fz_outfile_abort(&of);
    return FZ_EIO;
}
