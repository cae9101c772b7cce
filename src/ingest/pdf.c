/* pdf.c: PDF to raw text with poppler-glib, undoing what layout does to
 * Chinese prose.
 *
 * Each page's text comes from poppler in reading order together with the
 * box of every character (poppler_page_get_text_layout), so every layout
 * line has a position. Then:
 *   - page numbers ("— 3 —", "第3页 共9页", "3/9") in the top or bottom
 *     band of a page, and lines there that repeat on other pages (running
 *     headers and footers; digits compared as '#'), are dropped;
 *   - a wrapped line is joined to the line before it without a space
 *     (行政处罚案件 / 8宗 → 行政处罚案件8宗); a paragraph break stays: the
 *     next line is indented (首行缩进), the previous one stops short of the
 *     right margin, the vertical gap is wider than the line spacing, or a
 *     sentence end is followed by a list item (一、 (二) 3.);
 *   - a sentence that runs onto the next page is completed on the page it
 *     starts on (see formats.h), so page_off stays at line starts.
 * A page with (almost) no text layer and an image covering much of it, or
 * whose text layer is unreadable (fonts without a ToUnicode map give glyph
 * ids, not characters), is rendered at 300 dpi and handed to ocr.c. If the
 * OCR data or libtesseract is missing, a PDF that has text pages is still
 * read, with one warning; a PDF of scans only is refused. poppler-glib
 * itself is opened on the first PDF (dlopen); without it every PDF is
 * refused with a diagnostic naming the library and its package.
 *
 * Encrypted, damaged and truncated files are refused with one diagnostic.
 * poppler-glib reports its own parse errors through g_log at INFO level,
 * which GLib does not print unless asked to (G_MESSAGES_DEBUG). */
#include "formats.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>

#include "dlib.h"
#include "err.h"
#include "xalloc.h"

#define OCR_DPI        300
#define OCR_MAX_PIXELS (48u << 20) /* a rendered page; larger pages are scaled down */
#define BAND           0.12        /* top/bottom share of a page where headers live */

/* poppler-glib is opened on the first PDF, not at startup (see dlib.h).
 * The pointers have the types of the functions in poppler.h, so every call
 * is checked against the real declarations. FZ_POPPLER_SONAME and
 * FZ_POPPLER_PACKAGE come from the build (the library pkg-config names). */
#define POPPLER_FUNCS(X)                                                          \
    X(poppler_document_new_from_bytes) X(poppler_document_get_n_pages)            \
    X(poppler_document_get_page) X(poppler_error_quark) X(poppler_page_get_size)  \
    X(poppler_page_get_text) X(poppler_page_get_text_layout)                      \
    X(poppler_page_get_image_mapping) X(poppler_page_free_image_mapping)          \
    X(poppler_page_render)

static struct {
#define X(f) __typeof__(f) *f;
    POPPLER_FUNCS(X)
#undef X
} pop;

static pthread_once_t pop_once = PTHREAD_ONCE_INIT;
static void *pop_handle;  /* NULL if poppler-glib cannot be loaded */
static char pop_why[256]; /* why not */

static void pop_load(void)
{
    static const fz_dlib_sym syms[] = {
#define X(f) {#f, (void **)&pop.f},
        POPPLER_FUNCS(X)
#undef X
    };
    pop_handle = fz_dlib_open(FZ_POPPLER_SONAME, syms, sizeof syms / sizeof *syms, pop_why,
                              sizeof pop_why);
}

typedef struct line {
    size_t off, len;          /* squeezed text in pages' text buffer */
    double x0, y0, x1, y1;    /* box of the non-space characters, points from top-left */
    int    geom;              /* 1 if the box is known */
    int    drop;              /* header, footer or page number */
    int    row;               /* a table row: cells side by side, joined by " | " */
} line;

typedef struct page {
    size_t first, n;          /* lines[first .. first+n) */
    double w, h;              /* page size in points */
    int    ocr;               /* 1: no text layer, read by OCR */
    double left, right;       /* body margins: x of line starts and ends */
} page;

typedef struct layout {
    fz_buf text;              /* all line texts */
    line  *lines;
    size_t nlines, caplines;
    page  *pages;
    size_t npages;
    double em;                /* typical character height, points */
    double gap;               /* typical vertical gap between lines of a paragraph */
} layout;

static void add_line(layout *lo, const char *s, size_t n, const double box[4], int geom)
{
    size_t off = lo->text.len;
    fz_buf_add(&lo->text, s, n);
    size_t len = fz_formats_squeeze(lo->text.data + off, n);
    lo->text.len = off + len;
    if (len == 0)
        return;
    if (lo->nlines == lo->caplines) {
        lo->caplines = lo->caplines ? lo->caplines * 2 : 256;
        lo->lines = fz_xreallocarray(lo->lines, lo->caplines, sizeof *lo->lines);
    }
    line *l = &lo->lines[lo->nlines++];
    l->off = off;
    l->len = len;
    l->x0 = box[0];
    l->y0 = box[1];
    l->x1 = box[2];
    l->y1 = box[3];
    l->geom = geom;
    l->drop = 0;
    l->row = 0;
}

static int is_blank_cp(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0;
}

/* Text a font without a ToUnicode map leaves behind: raw glyph ids as
 * control characters, private-use code points, U+FFFD. */
static int is_garbage(gunichar c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
           (c >= 0xE000 && c <= 0xF8FF) || c == 0xFFFD;
}

/* Splits one page's text into lines with their boxes; returns the number of
 * non-space characters, *garbled of them unreadable. */
static size_t split_page(layout *lo, PopplerPage *pg, size_t *garbled)
{
    *garbled = 0;
    char *text = pop.poppler_page_get_text(pg);
    if (!text)
        return 0;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!pop.poppler_page_get_text_layout(pg, &rects, &nrects))
        nrects = 0;
    glong nchars = g_utf8_strlen(text, -1);
    int geom = rects && nrects > 0 && (glong)nrects >= nchars;
    size_t visible = 0, k = 0;
    const char *p = text, *start = text;
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (;;) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0 || c == '\n') {
            int has = box[0] <= box[2];
            add_line(lo, start, (size_t)(p - start), box, geom && has);
            box[0] = box[1] = INFINITY;
            box[2] = box[3] = -INFINITY;
            if (c == 0)
                break;
            p = g_utf8_next_char(p);
            start = p;
            k++;
            continue;
        }
        if (!is_blank_cp(c)) {
            visible++;
            *garbled += is_garbage(c);
            if (geom && k < nrects) {
                const PopplerRectangle *r = &rects[k];
                box[0] = fmin(box[0], fmin(r->x1, r->x2));
                box[1] = fmin(box[1], fmin(r->y1, r->y2));
                box[2] = fmax(box[2], fmax(r->x1, r->x2));
                box[3] = fmax(box[3], fmax(r->y1, r->y2));
            }
        }
        p = g_utf8_next_char(p);
        k++;
    }
    g_free(rects);
    g_free(text);
    return visible;
}

static double overlap_v(const line *a, const line *b)
{
    return fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
}

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static int cmp_x0(const void *a, const void *b)
{
    const line *x = *(const line *const *)a, *y = *(const line *const *)b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/* Table rows. poppler reads a table column by column (事项 行政处罚案件
 * 行政复议案件 ... 数量 8宗 11宗), which parts every number from its row
 * label. Narrow pieces of text side by side on one baseline are joined,
 * left to right, into one line "行政处罚案件 | 8宗 | 同比增加" placed where
 * the row's first piece was; the other pieces are removed. A piece wider
 * than 60% of the text block is prose (two columns of prose stay apart). */
static void group_rows(layout *lo, size_t first)
{
    size_t n = lo->nlines - first;
    if (n < 2 || n > 3000)
        return;
    line *L = lo->lines + first;
    double minx = INFINITY, maxx = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (L[i].geom) {
            minx = fmin(minx, L[i].x0);
            maxx = fmax(maxx, L[i].x1);
        }
    double width = maxx - minx;
    if (!(width > 0))
        return;
    size_t *parent = fz_xmalloc(n * sizeof *parent);
    size_t *members = fz_xcalloc(n, sizeof *members);
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const line *a = &L[i], *b = &L[j];
            if (!a->geom || !b->geom)
                continue;
            double h = fmin(a->y1 - a->y0, b->y1 - b->y0);
            if (overlap_v(a, b) < 0.5 * h)
                continue;
            if (a->x1 <= b->x0 + 1 || b->x1 <= a->x0 + 1)
                parent[uf_find(parent, j)] = uf_find(parent, i);
        }
    for (size_t i = 0; i < n; i++)
        members[uf_find(parent, i)]++;
    int *gone = fz_xcalloc(n, sizeof *gone);
    const line **cells = fz_xmalloc(n * sizeof *cells);
    for (size_t r = 0; r < n; r++) {
        if (parent[r] != r || members[r] < 2)
            continue;
        size_t nc = 0, head = n;
        int narrow = 1;
        for (size_t i = 0; i < n; i++)
            if (uf_find(parent, i) == r) {
                cells[nc++] = &L[i];
                narrow &= L[i].x1 - L[i].x0 < 0.6 * width;
                if (head == n)
                    head = i;
            }
        if (!narrow)
            continue;
        qsort(cells, nc, sizeof *cells, cmp_x0);
        size_t need = 0;
        for (size_t c = 0; c < nc; c++)
            need += cells[c]->len + 3;
        fz_buf_reserve(&lo->text, need); /* the cells are copied from this buffer */
        line row = *cells[0];
        row.off = lo->text.len;
        for (size_t c = 0; c < nc; c++) {
            if (c)
                fz_buf_adds(&lo->text, " | ");
            fz_buf_add(&lo->text, lo->text.data + cells[c]->off, cells[c]->len);
            row.x1 = fmax(row.x1, cells[c]->x1);
            row.y0 = fmin(row.y0, cells[c]->y0);
            row.y1 = fmax(row.y1, cells[c]->y1);
        }
        row.len = lo->text.len - row.off;
        row.row = 1;
        for (size_t i = 0; i < n; i++)
            if (uf_find(parent, i) == r && i != head)
                gone[i] = 1;
        L[head] = row;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!gone[i])
            L[w++] = L[i];
    lo->nlines = first + w;
    free(cells);
    free(gone);
    free(members);
    free(parent);
}

/* Share of the page covered by images (overlaps counted twice, capped at 1). */
static double image_cover(PopplerPage *pg, double w, double h)
{
    GList *map = pop.poppler_page_get_image_mapping(pg);
    double area = 0;
    for (GList *l = map; l; l = l->next) {
        const PopplerImageMapping *m = l->data;
        area += fabs(m->area.x2 - m->area.x1) * fabs(m->area.y2 - m->area.y1);
    }
    pop.poppler_page_free_image_mapping(map);
    return w > 0 && h > 0 ? fmin(1.0, area / (w * h)) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorts v); NAN if n == 0. */
static double quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

/* A running header or footer: its text with digits as '#'. */
static char *band_key(const layout *lo, const line *l)
{
    char *k = fz_xstrndup(lo->text.data + l->off, l->len);
    for (char *c = k; *c; c++)
        if (*c >= '0' && *c <= '9')
            *c = '#';
    return k;
}

static int in_band(const page *pg, const line *l, int top)
{
    if (!l->geom || pg->h <= 0)
        return 1; /* no geometry: the first and last lines are the candidates */
    return top ? l->y1 <= pg->h * BAND : l->y0 >= pg->h * (1 - BAND);
}

typedef struct cand {
    char  *key;   /* band_key() of the line */
    size_t page;  /* page index */
    size_t line;  /* index into lo->lines */
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->page > b->page) - (a->page < b->page);
}

static void add_cand(const layout *lo, cand *c, size_t *n, size_t pg, size_t li)
{
    c[*n].key = band_key(lo, &lo->lines[li]);
    c[*n].page = pg;
    c[(*n)++].line = li;
}

/* Marks page numbers and repeated header/footer lines (the first and last
 * two lines of each page, when inside the band) as dropped. Candidates are
 * sorted by text, so a document of thousands of pages costs n log n. */
static void drop_furniture(layout *lo)
{
    size_t n = 0;
    cand *c = fz_xmalloc((lo->npages * 4 + 1) * sizeof *c);
    for (size_t p = 0; p < lo->npages; p++) {
        const page *pg = &lo->pages[p];
        size_t top = 0;
        for (size_t j = 0; j < pg->n && j < 2 && in_band(pg, &lo->lines[pg->first + j], 1); j++) {
            add_cand(lo, c, &n, p, pg->first + j);
            top++;
        }
        for (size_t j = 0; j < pg->n && j < 2; j++) {
            size_t i = pg->first + pg->n - 1 - j;
            if (i < pg->first + top || !in_band(pg, &lo->lines[i], 0))
                break; /* already a top candidate, or body text */
            add_cand(lo, c, &n, p, i);
        }
    }
    qsort(c, n, sizeof *c, cmp_cand);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1, pages = 1;
        for (; b < n && strcmp(c[a].key, c[b].key) == 0; b++)
            pages += c[b].page != c[b - 1].page;
        for (size_t k = a; k < b; k++) {
            line *l = &lo->lines[c[k].line];
            if (pages >= 2 || fz_formats_is_page_number(lo->text.data + l->off, l->len))
                l->drop = 1;
        }
        a = b;
    }
    for (size_t a = 0; a < n; a++)
        free(c[a].key);
    free(c);
}

/* Typical character size, line gap and margins, from kept lines with boxes. */
static void measure(layout *lo)
{
    double *v = fz_xmalloc((lo->nlines + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < lo->nlines; i++)
        if (lo->lines[i].geom && !lo->lines[i].drop)
            v[n++] = lo->lines[i].y1 - lo->lines[i].y0;
    lo->em = n ? quantile(v, n, 0.5) : 12;
    if (!(lo->em > 1))
        lo->em = 12;
    n = 0;
    for (size_t p = 0; p < lo->npages; p++) {
        const line *prev = NULL;
        for (size_t j = 0; j < lo->pages[p].n; j++) {
            const line *l = &lo->lines[lo->pages[p].first + j];
            if (!l->geom || l->drop)
                continue;
            if (prev && l->y0 > prev->y1 - 0.2 * lo->em)
                v[n++] = l->y0 - prev->y1;
            prev = l;
        }
    }
    lo->gap = n ? quantile(v, n, 0.5) : 0.3 * lo->em;
    /* Margins: most lines of prose start at the left margin and run to the
     * right one; first lines are indented and last lines end short. */
    double *x0 = fz_xmalloc((lo->nlines + 1) * sizeof *x0);
    size_t all = 0;
    for (size_t i = 0; i < lo->nlines; i++)
        if (lo->lines[i].geom && !lo->lines[i].drop) {
            x0[all] = lo->lines[i].x0;
            v[all++] = lo->lines[i].x1;
        }
    double dleft = quantile(x0, all, 0.1), dright = quantile(v, all, 0.9);
    for (size_t p = 0; p < lo->npages; p++) {
        page *pg = &lo->pages[p];
        n = 0;
        for (size_t j = 0; j < pg->n; j++) {
            const line *l = &lo->lines[pg->first + j];
            if (l->geom && !l->drop) {
                x0[n] = l->x0;
                v[n++] = l->x1;
            }
        }
        pg->left = n >= 8 ? quantile(x0, n, 0.1) : dleft;
        pg->right = n >= 8 ? quantile(v, n, 0.9) : dright;
    }
    free(x0);
    free(v);
}

static const char *ltext(const layout *lo, const line *l)
{
    return lo->text.data + l->off;
}

/* 1 if line b starts a new paragraph after line a on the same page. */
static int breaks(const layout *lo, const page *pg, const line *a, const line *b)
{
    if (a->row || b->row)
        return 1;
    if (a->geom && b->geom && overlap_v(a, b) > 0.5 * fmin(a->y1 - a->y0, b->y1 - b->y0) &&
        b->x0 >= a->x1 - 0.5 * lo->em)
        return 0; /* b goes on where a stops, on the same layout line */
    if (fz_formats_ends_sentence(ltext(lo, a), a->len) &&
        fz_formats_starts_item(ltext(lo, b), b->len))
        return 1;
    if (!a->geom || !b->geom)
        return fz_formats_ends_sentence(ltext(lo, a), a->len);
    double em = lo->em;
    if (b->y0 - a->y1 > lo->gap + 0.5 * em || b->y1 < a->y0)
        return 1; /* a wider gap, or b above a (a new column) */
    if (b->x0 > pg->left + 1.0 * em)
        return 1; /* indented or centred */
    if (a->x1 < pg->right - 1.5 * em)
        return 1; /* a stops short */
    return 0;
}

/* 1 if the first line b of a page continues the paragraph whose last line a
 * ended the previous page, in the middle of a sentence. */
static int continues(const layout *lo, const page *pa, const line *a, const page *pb,
                     const line *b)
{
    if (a->row || b->row || fz_formats_ends_sentence(ltext(lo, a), a->len) ||
        fz_formats_starts_item(ltext(lo, b), b->len))
        return 0;
    if (!a->geom || !b->geom)
        return 1;
    return a->x1 >= pa->right - 1.5 * lo->em && b->x0 <= pb->left + 1.0 * lo->em;
}

static void flush(fz_buf *para, fz_rawdoc *out)
{
    if (para->len == 0)
        return;
    fz_buf_add(&out->text, para->data, para->len);
    fz_buf_addc(&out->text, '\n');
    fz_buf_reset(para);
}

/* Length of the first clause of s, through its first sentence end, else
 * its first comma; n if neither. */
static size_t first_clause(const char *s, size_t n)
{
    size_t k = fz_formats_sentence_len(s, n);
    if (k)
        return k;
    const char *c = NULL;
    for (size_t i = 0; i + 3 <= n && !c; i++)
        if (memcmp(s + i, "\xEF\xBC\x8C", 3) == 0) /* ， */
            c = s + i + 3;
    return c ? (size_t)(c - s) : n;
}

/* The continuation c of the previous page's paragraph: its first clause
 * completes para on the previous page, the rest starts the new page. */
static void cut(fz_buf *para, fz_buf *c, fz_rawdoc *out)
{
    size_t k = first_clause(c->data, c->len);
    fz_formats_join(para, c->data, k);
    flush(para, out);
    fz_rawdoc_new_page(out);
    size_t rest = fz_formats_squeeze(c->data + k, c->len - k);
    fz_buf_add(para, c->data + k, rest);
    fz_buf_reset(c);
}

/* Renders page pg to grayscale at OCR_DPI and appends its OCR text. */
static int ocr_page(PopplerPage *pg, const page *info, fz_rawdoc *out, double *conf,
                    const char *name, fz_diag *diag)
{
    double scale = OCR_DPI / 72.0;
    double px = info->w * scale * info->h * scale;
    if (px > OCR_MAX_PIXELS)
        scale *= sqrt(OCR_MAX_PIXELS / px);
    int w = (int)ceil(info->w * scale), h = (int)ceil(info->h * scale);
    if (w < 16 || h < 16)
        return 0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    pop.poppler_page_render(pg, cr);
    int bad = cairo_status(cr) != CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (bad || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': cannot render a scanned page",
                    name);
        return FZ_EINPUT;
    }
    const unsigned char *rgb = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    unsigned char *gray = fz_xmalloc((size_t)w * (size_t)h);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(rgb + (size_t)y * (size_t)stride);
        unsigned char *g = gray + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            unsigned r = (v >> 16) & 255, gr = (v >> 8) & 255, b = v & 255;
            g[x] = (unsigned char)((r * 299 + gr * 587 + b * 114) / 1000);
        }
    }
    cairo_surface_destroy(s);
    int rc = fz_ocr_page(gray, w, h, w, (int)lround(72.0 * scale), &out->text, conf, name, diag);
    free(gray);
    return rc;
}

/* "%PDF-" within the first KiB: some generators put junk before it, and
 * poppler (like reader.c's sniffing) accepts that. */
static int pdf_head_ok(const unsigned char *d, size_t n)
{
    size_t m = n < 1024 ? n : 1024;
    for (size_t i = 0; i + 5 <= m; i++)
        if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

static int pdf_tail_ok(const unsigned char *d, size_t n)
{
    size_t from = n > 4096 ? n - 4096 : 0;
    for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > from;)
        if (memcmp(d + i, "%%EOF", 5) == 0)
            return 1;
    return 0;
}

int fz_pdf_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag)
{
    fz_rawdoc_reset(out);
    const char *why = NULL;
    int rc = 0;
    layout lo;
    memset(&lo, 0, sizeof lo);
    fz_buf_init(&lo.text);
    fz_buf para, c;
    fz_buf_init(&para);
    fz_buf_init(&c);
    fz_diag odiag; /* OCR's diagnostics, kept or turned into one warning */
    fz_diag_init(&odiag);
    PopplerDocument *doc = NULL;

    if (!pdf_head_ok(data, n)) {
        why = "not a PDF file";
        rc = FZ_EINPUT;
        goto fail;
    }
    if (!pdf_tail_ok(data, n)) {
        why = "truncated PDF";
        rc = FZ_EINPUT;
        goto fail;
    }
    pthread_once(&pop_once, pop_load);
    if (!pop_handle) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': PDF files need the poppler library " FZ_POPPLER_SONAME
                    " (install " FZ_POPPLER_PACKAGE "): %s", name, pop_why);
        rc = FZ_EDEP;
        goto fail_quiet;
    }
    GBytes *bytes = g_bytes_new_static(data, n);
    GError *err = NULL;
    doc = pop.poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes); /* the document keeps its own reference */
    if (!doc) {
        int enc = err && err->domain == pop.poppler_error_quark() &&
                  err->code == POPPLER_ERROR_ENCRYPTED;
        why = enc ? "encrypted PDF" : "corrupt PDF";
        rc = FZ_EINPUT;
        g_clear_error(&err);
        goto fail;
    }
    int np = pop.poppler_document_get_n_pages(doc);
    if (np > FZ_FORMATS_MAX_PAGES) {
        why = "more than 5000 pages";
        rc = FZ_ELIMIT;
        goto fail;
    }
    lo.pages = fz_xcalloc((size_t)np + 1, sizeof *lo.pages);
    lo.npages = (size_t)np;
    size_t nocr = 0;
    for (int i = 0; i < np; i++) {
        PopplerPage *pg = pop.poppler_document_get_page(doc, i);
        page *info = &lo.pages[i];
        info->first = lo.nlines;
        if (!pg)
            continue;
        pop.poppler_page_get_size(pg, &info->w, &info->h);
        size_t garbled, visible = split_page(&lo, pg, &garbled);
        group_rows(&lo, info->first);
        if (visible > 0 && garbled * 10 > visible * 3)
            info->ocr = 1; /* fonts without a ToUnicode map: read the glyphs */
        else if (visible < 32) {
            double cover = image_cover(pg, info->w, info->h);
            info->ocr = (visible == 0 && cover > 0.02) || cover >= 0.4;
        }
        if (info->ocr) {
            lo.nlines = info->first; /* OCR replaces the page's text layer */
            nocr++;
        }
        info->n = lo.nlines - info->first;
        g_object_unref(pg);
        if (lo.text.len > FZ_FORMATS_MAX_TEXT) {
            why = "text larger than 128 MB";
            rc = FZ_ELIMIT;
            goto fail;
        }
    }
    if (nocr > FZ_FORMATS_MAX_OCR) {
        why = "more than 300 scanned pages";
        rc = FZ_ELIMIT;
        goto fail;
    }
    drop_furniture(&lo);
    measure(&lo);

    double confsum = 0;
    size_t nread = 0, unread = 0; /* pages OCR'd; pages left unread (no OCR data) */
    size_t nconf = 0;             /* OCR'd pages that had words (blank scans have no confidence) */
    const line *prev = NULL;  /* last kept line so far */
    const page *prevpg = NULL;
    for (size_t p = 0; p < lo.npages; p++) {
        const page *pg = &lo.pages[p];
        if (pg->ocr) {
            flush(&para, out);
            fz_rawdoc_new_page(out);
            prev = NULL;
            if (unread) {
                unread++;
                continue;
            }
            PopplerPage *pp = pop.poppler_document_get_page(doc, (int)p);
            double conf = 0;
            size_t before = out->text.len;
            fz_diag_clear(&odiag);
            rc = pp ? ocr_page(pp, pg, out, &conf, name, &odiag) : 0;
            if (pp)
                g_object_unref(pp);
            if (rc == FZ_EDEP && lo.nlines > 0) {
                unread = 1; /* the text pages are still worth reading */
                rc = 0;
                continue;
            }
            if (rc < 0) {
                fz_diag_move(diag, &odiag);
                goto fail_quiet;
            }
            if (out->text.len > before) {
                confsum += conf;
                nconf++;
            }
            nread++;
            continue;
        }
        const line *first = NULL;
        for (size_t j = 0; j < pg->n && !first; j++)
            if (!lo.lines[pg->first + j].drop)
                first = &lo.lines[pg->first + j];
        int in_c = first && prev && para.len > 0 && continues(&lo, prevpg, prev, pg, first);
        if (!in_c) {
            flush(&para, out);
            fz_rawdoc_new_page(out);
        }
        const line *last = NULL;
        for (size_t j = 0; j < pg->n; j++) {
            const line *l = &lo.lines[pg->first + j];
            if (l->drop)
                continue;
            if (last && breaks(&lo, pg, last, l)) {
                if (in_c) {
                    cut(&para, &c, out);
                    in_c = 0;
                }
                flush(&para, out);
            }
            fz_formats_join(in_c ? &c : &para, ltext(&lo, l), l->len);
            last = l;
        }
        if (in_c)
            cut(&para, &c, out);
        if (last) {
            prev = last;
            prevpg = pg;
        } else {
            flush(&para, out);
            prev = NULL;
        }
    }
    flush(&para, out);
    if (nread) {
        out->source = "ocr";
        out->ocr_confidence = nconf ? confsum / (double)nconf : 0;
    }
    if (unread)
        fz_diag_add(diag, FZ_DIAG_WARN, name, 0,
                    "'%s': %zu scanned page%s not read: %s", name, unread,
                    unread == 1 ? "" : "s", fz_ocr_missing());
    if (out->text.len > FZ_FORMATS_MAX_TEXT) {
        why = "text larger than 128 MB";
        rc = FZ_ELIMIT;
        goto fail;
    }
    g_object_unref(doc);
    fz_diag_release(&odiag);
    fz_buf_release(&lo.text);
    free(lo.lines);
    free(lo.pages);
    fz_buf_release(&para);
    fz_buf_release(&c);
    return 0;
fail:
    fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': %s", name, why);
fail_quiet:
    if (doc)
        g_object_unref(doc);
    fz_diag_release(&odiag);
    fz_buf_release(&lo.text);
    free(lo.lines);
    free(lo.pages);
    fz_buf_release(&para);
    fz_buf_release(&c);
    fz_rawdoc_reset(out);
    return rc;
}
