/* test_formats.c: the PDF, DOCX and OCR readers (formats.c, pdf.c, docx.c,
 * ocr.c), on fixtures built here from the seed reports: a multi-page A4 PDF
 * typeset with pango (justified, indented paragraphs, a running header,
 * "— k —" footers), a .docx zipped with libzip (runs, a table, tracked
 * changes, a text box), and a scanned page (text drawn into an image, the
 * image alone placed in a PDF). Bad inputs are crafted too: an encrypted
 * PDF, a truncated one, a damaged one, a zip that is no Word document, a
 * damaged zip, a text file named .pdf. No binary file is committed: the
 * fixtures are written to fixtures/formats/ under the test's working
 * directory for inspection and for tests/bench/bench_formats.c. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <zip.h>

#include "buf.h"
#include "check.h"
#include "diag.h"
#include "dlib.h"
#include "err.h"
#include "formats.h"
#include "reader.h"
#include "xalloc.h"

#define FIXDIR "fixtures/formats"
#define PAGE_W 595.276
#define PAGE_H 841.89
#define HEADER "清远市法治政府建设年度报告汇编"

/* cairo 1.16 leaks a few hundred bytes each time it finishes a PDF surface
 * that embeds a subset of a CFF font (Noto CJK), as the typeset fixtures
 * do. LeakSanitizer reads this hook by name; other builds ignore it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

/* ---- small helpers ---- */

static void save(const char *name, const void *data, size_t n)
{
    char *path = fz_xasprintf("%s/%s", FIXDIR, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
    free(path);
}

static int diag_has(const fz_diag *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, needle))
            return 1;
    return 0;
}

/* 1 if a library whose file name starts with `lib` is mapped in this
 * process. */
static int mapped(const char *lib)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        const char *slash = strrchr(line, '/');
        found = slash && strncmp(slash + 1, lib, strlen(lib)) == 0;
    }
    fclose(f);
    return found;
}

/* The seed's non-empty lines (paragraphs), trimmed of ASCII space. */
static char **seed_paras(const char *file, size_t *np)
{
    char *rel = fz_xasprintf("seeds/%s", file);
    char *path = check_shared(rel);
    size_t n;
    char *text = check_slurp(path, &n);
    free(rel);
    free(path);
    *np = 0;
    if (!text)
        return NULL;
    char **paras = NULL;
    size_t cap = 0;
    for (char *save_p = NULL, *l = strtok_r(text, "\r\n", &save_p); l;
         l = strtok_r(NULL, "\r\n", &save_p)) {
        while (*l == ' ' || *l == '\t')
            l++;
        size_t len = strlen(l);
        while (len > 0 && (l[len - 1] == ' ' || l[len - 1] == '\t'))
            len--;
        if (len == 0)
            continue;
        if (*np == cap) {
            cap = cap ? cap * 2 : 64;
            paras = fz_xreallocarray(paras, cap, sizeof *paras);
        }
        paras[(*np)++] = fz_xstrndup(l, len);
    }
    free(text);
    return paras;
}

static void free_paras(char **p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
}

/* Gold phrases of one seed file, from seeds_mentions.csv (phrase is the
 * last column; phrases hold no comma). */
static char **gold_phrases(const char *file, size_t *np)
{
    char *path = check_shared("gold/seeds_mentions.csv");
    char *csv = check_slurp(path, NULL);
    free(path);
    *np = 0;
    if (!csv)
        return NULL;
    char **out = fz_xcalloc(256, sizeof *out);
    for (char *sp = NULL, *l = strtok_r(csv, "\r\n", &sp); l && *np < 256;
         l = strtok_r(NULL, "\r\n", &sp)) {
        size_t fl = strlen(file);
        char *comma = strrchr(l, ',');
        if (strncmp(l, file, fl) == 0 && l[fl] == ',' && comma)
            out[(*np)++] = fz_xstrdup(comma + 1);
    }
    free(csv);
    return out;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int n)
{
    fz_buf_add(closure, data, n);
    return CAIRO_STATUS_SUCCESS;
}

static void show_text(cairo_t *cr, const char *font, const char *text, double x, double y,
                      int centre, double width)
{
    PangoLayout *lo = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_text(lo, text, -1);
    int w, h;
    pango_layout_get_size(lo, &w, &h);
    cairo_move_to(cr, centre ? x + (width - w / (double)PANGO_SCALE) / 2 : x, y);
    pango_cairo_show_layout(cr, lo);
    pango_font_description_free(fd);
    g_object_unref(lo);
}

/* ---- the typeset PDF ---- */

typedef struct drawn {
    int    page;   /* 1-based page the line was drawn on */
    size_t para;   /* paragraph index */
    int    start;  /* byte range of the line in the paragraph */
    int    len;
} drawn;

typedef struct typeset {
    fz_buf  pdf;
    drawn  *lines;
    size_t  nlines;
    int     npages;
} typeset;

static void furniture(cairo_t *cr, int page)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    show_text(cr, "Noto Serif CJK SC 9", HEADER, 72, 36, 1, PAGE_W - 144);
    char foot[32];
    snprintf(foot, sizeof foot, "— %d —", page);
    show_text(cr, "Noto Serif CJK SC 10.5", foot, 72, 796, 1, PAGE_W - 144);
}

/* Typesets paragraphs on A4 like a word processor: 12 pt, justified, first
 * lines indented two characters, no space between paragraphs. */
static void typeset_pdf(char **paras, size_t np, typeset *ts)
{
    memset(ts, 0, sizeof *ts);
    fz_buf_init(&ts->pdf);
    size_t cap = 0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, &ts->pdf, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(s);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Serif CJK SC 12");
    int page = 1;
    double y = 72, bottom = 770;
    furniture(cr, page);
    for (size_t p = 0; p < np; p++) {
        PangoLayout *lo = pango_cairo_create_layout(cr);
        pango_layout_set_font_description(lo, fd);
        pango_layout_set_width(lo, (int)((PAGE_W - 144) * PANGO_SCALE));
        pango_layout_set_wrap(lo, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_indent(lo, 24 * PANGO_SCALE);
        pango_layout_set_justify(lo, TRUE);
        pango_layout_set_text(lo, paras[p], -1);
        PangoLayoutIter *it = pango_layout_get_iter(lo);
        do {
            PangoRectangle lg;
            pango_layout_iter_get_line_extents(it, NULL, &lg);
            int base = pango_layout_iter_get_baseline(it);
            double lh = lg.height / (double)PANGO_SCALE;
            if (y + lh > bottom) {
                cairo_show_page(cr);
                page++;
                y = 72;
                furniture(cr, page);
            }
            PangoLayoutLine *ln = pango_layout_iter_get_line_readonly(it);
            cairo_move_to(cr, 72 + lg.x / (double)PANGO_SCALE,
                          y + (base - lg.y) / (double)PANGO_SCALE);
            pango_cairo_show_layout_line(cr, ln);
            if (ts->nlines == cap) {
                cap = cap ? cap * 2 : 256;
                ts->lines = fz_xreallocarray(ts->lines, cap, sizeof *ts->lines);
            }
            ts->lines[ts->nlines++] = (drawn){page, p, ln->start_index, ln->length};
            y += lh;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        g_object_unref(lo);
    }
    pango_font_description_free(fd);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    ts->npages = page;
}

/* The page a phrase found at byte `at` of paragraph p may be reported on:
 * the page it was drawn on, or the page before when it lies in the first
 * sentence of a paragraph carried over from that page (formats.h). */
static int page_ok(const typeset *ts, char **paras, size_t p, size_t at, size_t reported)
{
    const drawn *hit = NULL, *first_on_page = NULL;
    for (size_t i = 0; i < ts->nlines; i++) {
        const drawn *d = &ts->lines[i];
        if (d->para != p || (size_t)d->start > at)
            continue;
        hit = d;
    }
    if (!hit)
        return 0;
    if (reported == (size_t)hit->page)
        return 1;
    for (size_t i = 0; i < ts->nlines; i++)
        if (ts->lines[i].para == p && ts->lines[i].page == hit->page) {
            first_on_page = &ts->lines[i];
            break;
        }
    if (reported + 1 != (size_t)hit->page || first_on_page == ts->lines ||
        first_on_page->start == 0)
        return 0; /* the paragraph starts on this page: no carry-over */
    size_t from = (size_t)first_on_page->start;
    return fz_formats_sentence_len(paras[p] + from, at - from) == 0;
}

static void test_pdf_seed(const char *file)
{
    size_t np, ng;
    char **paras = seed_paras(file, &np);
    char **gold = gold_phrases(file, &ng);
    CHECK_MSG(np > 10 && ng > 0, file);
    if (np == 0 || ng == 0) {
        free_paras(paras, np);
        free_paras(gold, ng);
        return;
    }
    typeset ts;
    typeset_pdf(paras, np, &ts);
    CHECK(ts.npages >= 3);
    char *fix = fz_xasprintf("%.3s_typeset.pdf", file);
    save(fix, ts.pdf.data, ts.pdf.len);

    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    int rc = fz_pdf_read(&d, fix, ts.pdf.data, ts.pdf.len, &diag);
    CHECK_MSG(rc == 0, "typeset PDF is read");
    CHECK(diag.n == 0);
    CHECK(d.npages == (size_t)ts.npages);
    CHECK(strcmp(d.source, "text") == 0);
    CHECK_MSG(strstr(d.text.data, HEADER) == NULL, "running header dropped");
    CHECK_MSG(strstr(d.text.data, "—") == NULL || strstr(d.text.data, "— 2 —") == NULL,
              "footer page numbers dropped");

    /* every output line is a whole paragraph or a sentence-split part of
     * one; no line is a page number */
    int pagenum_lines = 0;
    for (char *l = d.text.data; *l;) {
        char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        pagenum_lines += fz_formats_is_page_number(l, len);
        l += len + (nl != NULL);
    }
    CHECK(pagenum_lines == 0);

    /* paragraphs drawn on one page come back as exactly one line */
    size_t whole = 0, same_page = 0;
    for (size_t p = 0; p < np; p++) {
        int pg0 = 0, split = 0;
        for (size_t i = 0; i < ts.nlines; i++)
            if (ts.lines[i].para == p) {
                if (pg0 && ts.lines[i].page != pg0)
                    split = 1;
                pg0 = ts.lines[i].page;
            }
        if (split)
            continue;
        same_page++;
        char *want = fz_xstrdup(paras[p]);
        size_t wl = fz_formats_squeeze(want, strlen(want));
        const char *at = d.text.data;
        int found = 0;
        while (!found && (at = strstr(at, want)) != NULL) {
            found = (at == d.text.data || at[-1] == '\n') && (at[wl] == '\n' || at[wl] == 0);
            at += wl ? wl : 1;
        }
        if (!found)
            fprintf(stderr, "%s: paragraph %zu not one line: %.60s...\n", file, p, want);
        whole += found;
        free(want);
    }
    CHECK_MSG(whole == same_page, "each one-page paragraph is one line");

    /* gold phrases: found whole, on the page they were drawn on */
    size_t found = 0, right_page = 0, wrapped = 0;
    for (size_t g = 0; g < ng; g++) {
        const char *at = strstr(d.text.data, gold[g]);
        if (!at) {
            fprintf(stderr, "%s: missing %s\n", file, gold[g]);
            continue;
        }
        found++;
        for (size_t p = 0; p < np; p++) {
            const char *src = strstr(paras[p], gold[g]);
            if (!src)
                continue;
            size_t off = (size_t)(src - paras[p]), len = strlen(gold[g]);
            for (size_t i = 0; i < ts.nlines; i++)
                if (ts.lines[i].para == p && (size_t)ts.lines[i].start > off &&
                    (size_t)ts.lines[i].start < off + len)
                    wrapped++;
            size_t pg = fz_rawdoc_page_at(&d, (size_t)(at - d.text.data));
            if (page_ok(&ts, paras, p, off, pg))
                right_page++;
            else
                fprintf(stderr, "%s: %s reported on page %zu\n", file, gold[g], pg);
            break;
        }
    }
    CHECK_MSG(found == ng, "every gold phrase is in the PDF text");
    CHECK_MSG(right_page == ng, "every gold phrase is on its page");
    fprintf(stderr, "%s: %d pages, %zu gold phrases, %zu wrapped across lines\n", file,
            ts.npages, ng, wrapped);
    if (strncmp(file, "000", 3) == 0)
        CHECK_MSG(wrapped > 0, "some phrase is split by a line wrap in the fixture");

    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    free(fix);
    free(ts.lines);
    fz_buf_release(&ts.pdf);
    free_paras(paras, np);
    free_paras(gold, ng);
}

/* A table drawn cell by cell, between two paragraphs: poppler reads it
 * column by column; each row must come back as one line. */
static void test_pdf_table(void)
{
    fz_buf pdf;
    fz_buf_init(&pdf);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, &pdf, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(s);
    const char *font = "Noto Serif CJK SC 12";
    show_text(cr, font, "　　全年办理各类案件情况见下表。", 72, 72, 0, 0);
    static const char *const rows[4][3] = {{"事项", "数量", "备注"},
                                           {"行政处罚案件", "8宗", "同比增加"},
                                           {"行政复议案件", "11宗", ""},
                                           {"调解成功率", "99﹪", "达标"}};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 3; c++)
            show_text(cr, font, rows[r][c], 72 + c * 150, 110 + r * 22, 0, 0);
    show_text(cr, font, "　　以上数据截至2022年12月31日。", 72, 220, 0, 0);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    save("table.pdf", pdf.data, pdf.len);

    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    CHECK(fz_pdf_read(&d, "table.pdf", pdf.data, pdf.len, &diag) == 0);
    const char *want =
        "全年办理各类案件情况见下表。\n事项 | 数量 | 备注\n行政处罚案件 | 8宗 | 同比增加\n"
        "行政复议案件 | 11宗\n调解成功率 | 99﹪ | 达标\n以上数据截至2022年12月31日。\n";
    if (strcmp(d.text.data, want) != 0)
        fprintf(stderr, "table read as:\n%s", d.text.data);
    CHECK_MSG(strcmp(d.text.data, want) == 0, "PDF table rows are lines, cells joined by |");
    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    fz_buf_release(&pdf);
}

/* A PDF whose font has no ToUnicode map (the reference renamed, so the
 * file keeps its offsets): its text layer is glyph ids, so the page is read
 * by OCR. */
static void test_pdf_no_tounicode(void)
{
    fz_buf pdf;
    fz_buf_init(&pdf);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, &pdf, 420, 160);
    cairo_t *cr = cairo_create(s);
    show_text(cr, "Noto Serif CJK SC 12", "2022年，我镇行政处罚案件8宗，公开及时率达87.5%。", 30,
              40, 0, 0);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    char *tu = memmem(pdf.data, pdf.len, "/ToUnicode", 10);
    CHECK(tu != NULL);
    if (tu)
        memcpy(tu, "/ToUnicodX", 10);
    save("no_tounicode.pdf", pdf.data, pdf.len);
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    CHECK(fz_pdf_read(&d, "glyphs.pdf", pdf.data, pdf.len, &diag) == 0 && diag.n == 0);
    CHECK(strcmp(d.source, "ocr") == 0);
    CHECK_MSG(strstr(d.text.data, "行政处罚案件8宗") != NULL, "glyph-id text layer read by OCR");
    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    fz_buf_release(&pdf);
}

/* ---- bad PDFs ---- */

static void pdf_object(fz_buf *b, size_t *off, int id, const char *body)
{
    off[id] = b->len;
    fz_buf_printf(b, "%d 0 obj\n%s\nendobj\n", id, body);
}

/* A one-page PDF with a Standard security handler whose passwords are not
 * empty: readable only with a password. */
static void encrypted_pdf(fz_buf *b)
{
    size_t off[5];
    fz_buf_adds(b, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    pdf_object(b, off, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pdf_object(b, off, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf_object(b, off, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
    pdf_object(b, off, 4,
               "<< /Filter /Standard /V 1 /R 2 /P -44\n"
               "/O <6F1A3C9E8B2D4F7A0C5E6B1D9F3A7C2E4B8D0F6A1C3E5B7D9F2A4C6E8B0D1F3A>\n"
               "/U <2B4D6F8A1C3E5B7D9F0A2C4E6B8D1F3A5C7E9B0D2F4A6C8E1B3D5F7A9C0E2B4D> >>");
    size_t x = b->len;
    fz_buf_adds(b, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 1; i < 5; i++)
        fz_buf_printf(b, "%010zu 00000 n \n", off[i]);
    fz_buf_printf(b, "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID "
                     "[<0123456789ABCDEF0123456789ABCDEF><0123456789ABCDEF0123456789ABCDEF>] >>\n"
                     "startxref\n%zu\n%%%%EOF\n", x);
}

static void test_bad_pdf(const fz_buf *good)
{
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);

    fz_buf enc;
    fz_buf_init(&enc);
    encrypted_pdf(&enc);
    save("encrypted.pdf", enc.data, enc.len);
    int rc = fz_pdf_read(&d, "enc.pdf", enc.data, enc.len, &diag);
    CHECK(rc == FZ_EINPUT);
    CHECK(diag.n == 1 && diag.items[0].level == FZ_DIAG_SKIP);
    CHECK(diag_has(&diag, "cannot read 'enc.pdf': encrypted PDF"));
    CHECK(d.text.len == 0 && d.npages == 0);
    fz_buf_release(&enc);

    fz_diag_clear(&diag);
    rc = fz_pdf_read(&d, "half.pdf", good->data, good->len / 2, &diag);
    CHECK(rc == FZ_EINPUT);
    CHECK(diag.n == 1 && diag_has(&diag, "cannot read 'half.pdf': truncated PDF"));

    fz_diag_clear(&diag);
    const char junk[] = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage \x01\x02 "
                        "trailer << /Root 7 0 R >>\n%%EOF\n";
    save("corrupt.pdf", junk, sizeof junk - 1);
    rc = fz_pdf_read(&d, "junk.pdf", junk, sizeof junk - 1, &diag);
    CHECK(rc < 0);
    CHECK(diag.n == 1 && diag_has(&diag, "cannot read 'junk.pdf': corrupt PDF"));

    fz_diag_clear(&diag);
    const char text[] = "行政处罚案件8宗。\n";
    rc = fz_pdf_read(&d, "fake.pdf", text, sizeof text - 1, &diag);
    CHECK(rc == FZ_EINPUT);
    CHECK(diag.n == 1 && diag_has(&diag, "cannot read 'fake.pdf': not a PDF file"));

    fz_diag_clear(&diag);
    rc = fz_pdf_read(&d, "empty.pdf", "", 0, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1);

    /* damaged in the middle: poppler may repair it; either way no crash and
     * at most one diagnostic */
    fz_diag_clear(&diag);
    char *dam = fz_xmalloc(good->len);
    memcpy(dam, good->data, good->len);
    memset(dam + good->len / 3, 'x', good->len / 10);
    rc = fz_pdf_read(&d, "damaged.pdf", dam, good->len, &diag);
    CHECK(rc == 0 ? diag.n == 0 : diag.n == 1);
    free(dam);

    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
}

/* ---- DOCX ---- */

static void xml_escape(fz_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&')
            fz_buf_adds(b, "&amp;");
        else if (s[i] == '<')
            fz_buf_adds(b, "&lt;");
        else if (s[i] == '>')
            fz_buf_adds(b, "&gt;");
        else
            fz_buf_addc(b, s[i]);
    }
}

/* A paragraph whose text is cut into runs of five characters, as Word does
 * when formatting or spell-checking changes mid-sentence. */
static void docx_para(fz_buf *b, const char *s)
{
    fz_buf_adds(b, "<w:p><w:pPr><w:ind w:firstLineChars=\"200\"/></w:pPr>");
    size_t i = 0, n = strlen(s);
    while (i < n) {
        size_t j = i;
        for (int k = 0; k < 5 && j < n; k++) {
            j++;
            while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
        }
        fz_buf_adds(b, "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr>"
                       "<w:t xml:space=\"preserve\">");
        xml_escape(b, s + i, j - i);
        fz_buf_adds(b, "</w:t></w:r>");
        i = j;
    }
    fz_buf_adds(b, "</w:p>\n");
}

static void cell(fz_buf *b, const char *props, const char *runs)
{
    fz_buf_printf(b, "<w:tc><w:tcPr>%s</w:tcPr><w:p>%s</w:p></w:tc>", props, runs);
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
             "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" " \
             "xmlns:v=\"urn:schemas-microsoft-com:vml\" " \
             "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""

static void docx_document(fz_buf *b, char **paras, size_t np)
{
    fz_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                   "<w:document " W_NS "><w:body>\n");
    for (size_t p = 0; p < np; p++)
        docx_para(b, paras[p]);
    fz_buf_adds(b, "<w:p><w:r><w:t xml:space=\"preserve\">全年办理行政处罚案件 </w:t></w:r>"
                   "<w:del w:id=\"1\"><w:r><w:delText>99999宗</w:delText></w:r></w:del>"
                   "<w:ins w:id=\"2\"><w:r><w:t>8宗</w:t></w:r></w:ins>"
                   "<w:r><w:t>。外部实体&xxe;不展开。</w:t></w:r></w:p>\n");
    fz_buf_adds(b, "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>\n");
    fz_buf_adds(b, "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
                   "<wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>"
                   "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>"
                   "<v:textbox><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>"
                   "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent>"
                   "</w:r><w:r><w:t>锚定段落</w:t></w:r></w:p>\n");
    fz_buf_adds(b, "<w:tbl><w:tblPr/>");
    fz_buf_adds(b, "<w:tr>");
    cell(b, "", "<w:r><w:t>类别</w:t></w:r>");
    cell(b, "", "<w:r><w:t>事项</w:t></w:r>");
    cell(b, "", "<w:r><w:t>数量</w:t></w:r>");
    fz_buf_adds(b, "</w:tr><w:tr>");
    cell(b, "<w:vMerge w:val=\"restart\"/>", "<w:r><w:t>普法宣传</w:t></w:r>");
    cell(b, "", "<w:r><w:t>主题宣传活动</w:t></w:r>");
    cell(b, "", "<w:r><w:t>8次</w:t></w:r>");
    fz_buf_adds(b, "</w:tr><w:tr>");
    cell(b, "<w:vMerge/>", "");
    cell(b, "", "<w:r><w:t>受众</w:t></w:r>");
    cell(b, "", "<w:r><w:t>一千余人</w:t></w:r>");
    fz_buf_adds(b, "</w:tr><w:tr>");
    cell(b, "<w:gridSpan w:val=\"2\"/>", "<w:r><w:t>成功调处矛盾纠纷</w:t></w:r>");
    cell(b, "", "<w:r><w:t>20</w:t></w:r><w:r><w:t>3件</w:t></w:r>");
    fz_buf_adds(b, "</w:tr></w:tbl>\n<w:sectPr/></w:body></w:document>\n");
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

static const char rels_docx[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

static const char rels_xlsx[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheets/></workbook>";

/* Zips name/data pairs (NULL-terminated) into fixtures/formats/<file> and
 * returns the archive's bytes. */
static char *make_zip(const char *file, const char *const *parts, const size_t *lens,
                      size_t *n)
{
    char *path = fz_xasprintf("%s/%s", FIXDIR, file);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    CHECK_MSG(z != NULL, "zip_open for a fixture");
    if (!z) {
        free(path);
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; parts[2 * i]; i++) {
        zip_source_t *s = zip_source_buffer(z, parts[2 * i + 1], lens[i], 0);
        CHECK(s && zip_file_add(z, parts[2 * i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    CHECK(zip_close(z) == 0);
    char *data = check_slurp(path, n);
    free(path);
    return data;
}

static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *at = text; (at = strstr(at, line)) != NULL; at++)
        if ((at == text || at[-1] == '\n') && at[n] == '\n')
            return 1;
    return 0;
}

static size_t count(const char *text, const char *needle)
{
    size_t k = 0;
    for (const char *at = text; (at = strstr(at, needle)) != NULL; at += strlen(needle))
        k++;
    return k;
}

static void test_docx(void)
{
    const char *file = "003_2ae3d34c1a1508fa.txt";
    size_t np, ng;
    char **paras = seed_paras(file, &np);
    char **gold = gold_phrases(file, &ng);
    CHECK(np > 10 && ng > 0);
    fz_buf doc;
    fz_buf_init(&doc);
    docx_document(&doc, paras, np);
    const char *parts[] = {"[Content_Types].xml", content_types, "_rels/.rels", rels_docx,
                           "word/document.xml", doc.data, NULL};
    size_t lens[] = {sizeof content_types - 1, sizeof rels_docx - 1, doc.len};
    size_t n;
    char *zip = make_zip("003_seed.docx", parts, lens, &n);

    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    int rc = fz_docx_read(&d, "003.docx", zip, n, &diag);
    CHECK_MSG(rc == 0, "docx is read");
    CHECK_MSG(mapped("libxml2") == 1, "the first .docx loads libxml2");
    CHECK(diag.n == 0);
    CHECK(d.npages == 0 && strcmp(d.source, "text") == 0);
    size_t found = 0;
    for (size_t g = 0; g < ng; g++)
        found += strstr(d.text.data, gold[g]) != NULL;
    CHECK_MSG(found == ng, "every gold phrase of seed 003 is in the docx text");
    size_t whole = 0;
    for (size_t p = 0; p < np; p++) {
        char *want = fz_xstrdup(paras[p]);
        fz_formats_squeeze(want, strlen(want));
        whole += has_line(d.text.data, want);
        free(want);
    }
    CHECK_MSG(whole == np, "each paragraph is one line, runs joined");
    CHECK(has_line(d.text.data, "全年办理行政处罚案件8宗。外部实体不展开。"));
    CHECK_MSG(strstr(d.text.data, "99999") == NULL, "deleted text is not read");
    CHECK_MSG(strstr(d.text.data, "root:") == NULL, "external entity not loaded");
    CHECK(has_line(d.text.data, "第一行") && has_line(d.text.data, "第二行"));
    CHECK_MSG(count(d.text.data, "文本框内容") == 1, "text box read once");
    CHECK(has_line(d.text.data, "文本框内容") && has_line(d.text.data, "锚定段落"));
    CHECK(has_line(d.text.data, "类别 | 事项 | 数量"));
    CHECK(has_line(d.text.data, "普法宣传 | 主题宣传活动 | 8次"));
    CHECK_MSG(has_line(d.text.data, "普法宣传 | 受众 | 一千余人"), "merged cell repeated");
    CHECK(has_line(d.text.data, "成功调处矛盾纠纷 | 203件"));

    /* a damaged zip: cut in half, and bytes overwritten inside the XML */
    fz_diag_clear(&diag);
    rc = fz_docx_read(&d, "half.docx", zip, n / 2, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1);
    CHECK(diag_has(&diag, "cannot read 'half.docx': corrupt DOCX"));
    CHECK(d.text.len == 0);
    fz_diag_clear(&diag);
    char *dam = fz_xmalloc(n);
    memcpy(dam, zip, n);
    memset(dam + n / 2, 0x55, 64);
    rc = fz_docx_read(&d, "bad.docx", dam, n, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1 && diag_has(&diag, "corrupt DOCX"));
    free(dam);

    /* a zip that is a spreadsheet, and a zip of anything */
    fz_diag_clear(&diag);
    const char *xparts[] = {"[Content_Types].xml", content_types, "_rels/.rels", rels_xlsx,
                            "xl/workbook.xml", workbook, NULL};
    size_t xlens[] = {sizeof content_types - 1, sizeof rels_xlsx - 1, sizeof workbook - 1};
    size_t xn;
    char *xlsx = make_zip("sheet.xlsx", xparts, xlens, &xn);
    rc = fz_docx_read(&d, "sheet.docx", xlsx, xn, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1);
    CHECK(diag_has(&diag, "cannot read 'sheet.docx': not a Word document"));
    free(xlsx);
    fz_diag_clear(&diag);
    const char *oparts[] = {"notes.txt", "行政处罚案件8宗", NULL};
    size_t olens[] = {strlen(oparts[1])};
    size_t on;
    char *other = make_zip("notes.zip", oparts, olens, &on);
    rc = fz_docx_read(&d, "notes.docx", other, on, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1 && diag_has(&diag, "not a Word document"));
    free(other);
    fz_diag_clear(&diag);
    const char text[] = "这不是压缩包";
    rc = fz_docx_read(&d, "fake.docx", text, sizeof text - 1, &diag);
    CHECK(rc == FZ_EINPUT && diag.n == 1 && diag_has(&diag, "cannot read 'fake.docx'"));

    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    free(zip);
    fz_buf_release(&doc);
    free_paras(paras, np);
    free_paras(gold, ng);
}

/* ---- scanned PDF ---- */

/* The sentence of the seed holding phrase, through its 。. Caller frees. */
static char *sentence_of(char **paras, size_t np, const char *phrase)
{
    for (size_t p = 0; p < np; p++) {
        const char *at = strstr(paras[p], phrase);
        if (!at)
            continue;
        const char *s = paras[p], *x;
        while ((x = strstr(s, "。")) != NULL && x < at)
            s = x + strlen("。");
        const char *e = strstr(at, "。");
        e = e ? e + strlen("。") : at + strlen(at);
        return fz_xstrndup(s, (size_t)(e - s));
    }
    return NULL;
}

#define SCAN_W 420.0 /* points: a small page keeps OCR quick */
#define SCAN_H 360.0
#define SCAN_DPI 300.0

/* A one-page scan; with text_page, a page with a text layer before it. */
static void scanned_pdf(const char *text, fz_buf *pdf, const char *text_page)
{
    double k = SCAN_DPI / 72.0;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(SCAN_W * k),
                                                      (int)(SCAN_H * k));
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    cairo_set_source_rgb(cr, 0, 0, 0);
    PangoLayout *lo = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans CJK SC 12");
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_width(lo, (int)((SCAN_W - 60) * PANGO_SCALE));
    pango_layout_set_wrap(lo, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(lo, 6 * PANGO_SCALE);
    pango_layout_set_indent(lo, 32 * PANGO_SCALE);
    pango_layout_set_text(lo, text, -1);
    cairo_move_to(cr, 30, 30);
    pango_cairo_show_layout(cr, lo);
    show_text(cr, "Noto Sans CJK SC 12", "— 1 —", 30, SCAN_H - 40, 1, SCAN_W - 60);
    pango_font_description_free(fd);
    g_object_unref(lo);
    cairo_destroy(cr);
    cairo_surface_flush(img);

    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, pdf, SCAN_W, SCAN_H);
    cr = cairo_create(s);
    if (text_page) {
        show_text(cr, "Noto Serif CJK SC 12", text_page, 30, 30, 0, 0);
        cairo_show_page(cr);
    }
    cairo_scale(cr, 1 / k, 1 / k);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    cairo_surface_destroy(img);
}

typedef struct nodata_job {
    const fz_buf *pdf, *mixed;
    int rc, named;             /* the scan: refused, naming the package */
    int mixed_rc, mixed_warn;  /* text page + scan: read, one warning */
    int mixed_text;            /* the text page's words are there */
} nodata_job;

static void *nodata_thread(void *arg)
{
    nodata_job *j = arg;
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    j->rc = fz_pdf_read(&d, "scan.pdf", j->pdf->data, j->pdf->len, &diag);
    j->named = diag.n == 1 && diag.items[0].level == FZ_DIAG_SKIP &&
               diag_has(&diag, "tesseract-ocr-chi-sim") &&
               diag_has(&diag, "cannot read 'scan.pdf'");
    fz_diag_clear(&diag);
    j->mixed_rc = fz_pdf_read(&d, "mixed.pdf", j->mixed->data, j->mixed->len, &diag);
    j->mixed_warn = diag.n == 1 && diag.items[0].level == FZ_DIAG_WARN &&
                    diag_has(&diag, "1 scanned page not read") &&
                    diag_has(&diag, "tesseract-ocr-chi-sim");
    j->mixed_text = strstr(d.text.data, "行政处罚案件8宗") != NULL && d.npages == 2 &&
                    strcmp(d.source, "text") == 0;
    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    return NULL;
}

static void test_scanned(void)
{
    const char *file = "003_2ae3d34c1a1508fa.txt";
    const char *want[] = {"今年共开展专题学习4次", "受众一千余人", "共成功调处矛盾纠纷203件"};
    size_t np;
    char **paras = seed_paras(file, &np);
    fz_buf text;
    fz_buf_init(&text);
    for (size_t i = 0; i < 3; i++) {
        char *c = sentence_of(paras, np, want[i]);
        CHECK_MSG(c != NULL, want[i]);
        if (c) {
            fz_buf_adds(&text, c);
            fz_buf_adds(&text, "\n");
        }
        free(c);
    }
    fz_buf pdf;
    fz_buf_init(&pdf);
    scanned_pdf(text.data, &pdf, NULL);
    save("003_scanned.pdf", pdf.data, pdf.len);

    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    int rc = fz_pdf_read(&d, "scan.pdf", pdf.data, pdf.len, &diag);
    CHECK_MSG(rc == 0, "scanned PDF is read by OCR");
    CHECK(diag.n == 0);
    CHECK(strcmp(d.source, "ocr") == 0);
    CHECK(d.ocr_confidence > 50 && d.ocr_confidence <= 100);
    CHECK(d.npages == 1);
    for (size_t i = 0; i < 3; i++) {
        int ok = strstr(d.text.data, want[i]) != NULL;
        if (!ok)
            fprintf(stderr, "OCR missed %s in:\n%s\n", want[i], d.text.data);
        CHECK_MSG(ok, want[i]);
    }
    /* three paragraphs come back as three lines; the first, wrapped over
     * several image lines, is joined */
    const char *l1 = strstr(d.text.data, want[0]), *l2 = strstr(d.text.data, want[1]);
    const char *l3 = strstr(d.text.data, want[2]);
    CHECK(l1 && l2 && l3 && l1 < l2 && l2 < l3);
    CHECK(l1 && l2 && l3 && memchr(l1, '\n', (size_t)(l2 - l1)) &&
          memchr(l2, '\n', (size_t)(l3 - l2)));
    CHECK(l1 && (l1 == d.text.data || !memchr(d.text.data, '\n', (size_t)(l1 - d.text.data))));
    CHECK_MSG(l1 && l1 - d.text.data > 150, "the wrapped first sentence is one line");
    CHECK_MSG(strstr(d.text.data, "— 1 —") == NULL && !strstr(d.text.data, "—1—"),
              "page number dropped from OCR text");
    fprintf(stderr, "OCR confidence %.0f\n", d.ocr_confidence);

    /* without chi_sim the file is refused, naming the package; the thread
     * has no cached tesseract, so it loads from TESSDATA_PREFIX */
    char *old = getenv("TESSDATA_PREFIX") ? fz_xstrdup(getenv("TESSDATA_PREFIX")) : NULL;
    mkdir(FIXDIR "/no-tessdata", 0755);
    setenv("TESSDATA_PREFIX", FIXDIR "/no-tessdata", 1);
    fz_buf mixed;
    fz_buf_init(&mixed);
    scanned_pdf(text.data, &mixed, "2022年，我镇行政处罚案件8宗。");
    nodata_job job = {&pdf, &mixed, 0, 0, 0, 0, 0};
    pthread_t th;
    CHECK(pthread_create(&th, NULL, nodata_thread, &job) == 0);
    pthread_join(th, NULL);
    CHECK(job.rc == FZ_EDEP);
    CHECK_MSG(job.named, "missing OCR data names tesseract-ocr-chi-sim");
    CHECK_MSG(job.mixed_rc == 0 && job.mixed_warn && job.mixed_text,
              "without OCR data the text pages of a mixed PDF are read, with a warning");
    fz_buf_release(&mixed);
    if (old)
        setenv("TESSDATA_PREFIX", old, 1);
    else
        unsetenv("TESSDATA_PREFIX");
    free(old);

    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    fz_buf_release(&pdf);
    fz_buf_release(&text);
    free_paras(paras, np);
}

/* ---- threads: one tesseract per thread, poppler documents side by side ---- */

typedef struct par_job {
    const char *data;
    size_t n;
    const char *want; /* the text one thread alone gets */
    int same;         /* 1 if this thread got the same text, twice */
} par_job;

static void *par_thread(void *arg)
{
    par_job *j = arg;
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    j->same = 1;
    for (int round = 0; round < 2; round++) {
        int rc = fz_pdf_read(&d, "par.pdf", j->data, j->n, &diag);
        j->same &= rc == 0 && strcmp(d.text.data, j->want) == 0;
    }
    fz_ocr_thread_release();
    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    return NULL;
}

static void test_threads(void)
{
    size_t ns, nt;
    char *p1 = fz_xasprintf("%s/003_scanned.pdf", FIXDIR);
    char *p2 = fz_xasprintf("%s/000_typeset.pdf", FIXDIR);
    char *scan = check_slurp(p1, &ns), *text_pdf = check_slurp(p2, &nt);
    free(p1);
    free(p2);
    CHECK(scan && text_pdf);
    if (!scan || !text_pdf) {
        free(scan);
        free(text_pdf);
        return;
    }
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    CHECK(fz_pdf_read(&d, "scan.pdf", scan, ns, &diag) == 0);
    char *want_scan = fz_xstrdup(d.text.data);
    CHECK(fz_pdf_read(&d, "typeset.pdf", text_pdf, nt, &diag) == 0);
    char *want_typeset = fz_xstrdup(d.text.data);
    par_job jobs[4] = {{scan, ns, want_scan, 0}, {scan, ns, want_scan, 0},
                       {text_pdf, nt, want_typeset, 0}, {text_pdf, nt, want_typeset, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&th[i], NULL, par_thread, &jobs[i]) == 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        CHECK_MSG(jobs[i].same, "a thread reads what one thread alone reads");
    free(want_scan);
    free(want_typeset);
    fz_diag_release(&diag);
    fz_rawdoc_release(&d);
    free(scan);
    free(text_pdf);
}

/* ---- the whole path: fz_reader_read_mem (reader.c) on these formats ---- */

/* The 1-based page of the document line holding needle, 0 if absent. */
static int doc_page_of(const fz_document *doc, const char *needle)
{
    const char *at = strstr(doc->text, needle);
    if (!at)
        return 0;
    size_t i = fz_document_line_at(doc, (size_t)(at - doc->text));
    return doc->line_page ? doc->line_page[i] : 0;
}

static void test_reader(void)
{
    const char *file = "000_18829aa4f02e89c0.txt";
    size_t np, ng;
    char **paras = seed_paras(file, &np);
    char **gold = gold_phrases(file, &ng);
    typeset ts;
    typeset_pdf(paras, np, &ts);
    fz_reader *r = fz_reader_new();
    fz_document doc;
    fz_diag diag;
    fz_diag_init(&diag);

    /* a PDF named .docx is read as what it is */
    int rc = fz_reader_read_mem(r, "report.docx", ts.pdf.data, ts.pdf.len, &doc, &diag);
    CHECK_MSG(rc == 0, "reader reads the typeset PDF");
    CHECK(diag.n == 0);
    CHECK(doc.format && strcmp(doc.format, "pdf") == 0);
    CHECK(doc.source && strcmp(doc.source, "text") == 0);
    size_t found = 0, paged = 0;
    for (size_t g = 0; g < ng && rc == 0; g++) {
        int pg = doc_page_of(&doc, gold[g]);
        found += pg > 0;
        for (size_t p = 0; p < np && pg > 0; p++) {
            const char *src = strstr(paras[p], gold[g]);
            if (src) {
                paged += page_ok(&ts, paras, p, (size_t)(src - paras[p]), (size_t)pg);
                break;
            }
        }
    }
    CHECK_MSG(found == ng, "reader: every gold phrase of seed 000 in the PDF text");
    CHECK_MSG(paged == ng, "reader: every gold phrase on its page");
    CHECK(rc != 0 || strstr(doc.text, HEADER) == NULL);

    /* the bad PDFs keep their one diagnostic through the reader */
    fz_diag_clear(&diag);
    rc = fz_reader_read_mem(r, "half.pdf", ts.pdf.data, ts.pdf.len / 2, &doc, &diag);
    CHECK(rc < 0 && diag.n == 1 && diag_has(&diag, "cannot read 'half.pdf': truncated PDF"));
    fz_diag_clear(&diag);
    fz_buf enc;
    fz_buf_init(&enc);
    encrypted_pdf(&enc);
    rc = fz_reader_read_mem(r, "enc.pdf", enc.data, enc.len, &doc, &diag);
    CHECK(rc < 0 && diag.n == 1 && diag_has(&diag, "cannot read 'enc.pdf': encrypted PDF"));
    fz_buf_release(&enc);

    /* a text file named .pdf is read as text */
    fz_diag_clear(&diag);
    const char text[] = "2022年，我镇行政处罚案件8宗。\n";
    rc = fz_reader_read_mem(r, "fake.pdf", text, sizeof text - 1, &doc, &diag);
    CHECK(rc == 0 && strcmp(doc.format, "text") == 0 && strstr(doc.text, "行政处罚案件8宗"));

    /* DOCX and a scanned PDF */
    fz_diag_clear(&diag);
    size_t n;
    char *path = fz_xasprintf("%s/003_seed.docx", FIXDIR);
    char *docx = check_slurp(path, &n);
    free(path);
    CHECK(docx != NULL);
    if (docx) {
        rc = fz_reader_read_mem(r, "003.docx", docx, n, &doc, &diag);
        CHECK(rc == 0 && strcmp(doc.format, "docx") == 0);
        CHECK(rc == 0 && strstr(doc.text, "共成功调处矛盾纠纷203件") != NULL);
        CHECK(rc == 0 && strstr(doc.text, "普法宣传 | 受众 | 一千余人") != NULL);
        CHECK(rc == 0 && doc.nlines > 0 && doc.line_page[0] == 0);
    }
    free(docx);
    fz_diag_clear(&diag);
    path = fz_xasprintf("%s/003_scanned.pdf", FIXDIR);
    char *scan = check_slurp(path, &n);
    free(path);
    CHECK(scan != NULL);
    if (scan) {
        rc = fz_reader_read_mem(r, "scan.pdf", scan, n, &doc, &diag);
        CHECK(rc == 0 && strcmp(doc.source, "ocr") == 0 && doc.ocr_confidence > 50);
        CHECK(rc == 0 && doc_page_of(&doc, "受众一千余人") == 1);
    }
    free(scan);

    fz_diag_release(&diag);
    fz_reader_free(r);
    free(ts.lines);
    fz_buf_release(&ts.pdf);
    free_paras(paras, np);
    free_paras(gold, ng);
}

/* ---- helpers in formats.c ---- */

static int joined(const char *a, const char *b, const char *want)
{
    fz_buf x;
    fz_buf_init(&x);
    fz_buf_adds(&x, a);
    fz_formats_join(&x, b, strlen(b));
    int ok = strcmp(x.data, want) == 0;
    fz_buf_release(&x);
    return ok;
}

static int squeezed(const char *in, const char *want)
{
    char *s = fz_xstrdup(in);
    size_t n = fz_formats_squeeze(s, strlen(s));
    int ok = n == strlen(want) && strcmp(s, want) == 0;
    free(s);
    return ok;
}

#define PN(s) fz_formats_is_page_number(s, strlen(s))
#define ITEM(s) fz_formats_starts_item(s, strlen(s))

static void test_helpers(void)
{
    CHECK(joined("行政处罚案件", "8宗", "行政处罚案件8宗"));
    CHECK(joined("annual", "report", "annual report"));
    CHECK(joined("共计12", "000余份", "共计12 000余份") == 1);
    CHECK(joined("", "8宗", "8宗"));
    CHECK(joined("see Article", "3 below", "see Article 3 below"));

    CHECK(squeezed("行 政 处 罚 案 件 8 宗", "行政处罚案件8宗"));
    CHECK(squeezed("  受众一千余人　", "受众一千余人"));
    CHECK(squeezed("GDP 增长 5 %", "GDP增长5 %"));
    CHECK(squeezed("rule of law", "rule of law"));
    CHECK(squeezed("2023-01-19 10:33:50 字体", "2023-01-19 10:33:50字体"));
    CHECK(squeezed("a\n 行 政\nb", "a\n行政\nb"));

    CHECK(PN("— 3 —") && PN("- 3 -") && PN("-3-") && PN("3") && PN("第3页 共9页"));
    CHECK(PN("3/9") && PN("Page 3 of 9") && PN("第 12 页") && PN("－１２－") && PN("第三页"));
    CHECK(!PN("行政处罚案件8宗") && !PN("2022年") && !PN("一、总体情况") && !PN(""));
    CHECK(!PN("3.5") && !PN("共9件"));

    CHECK(ITEM("一、法治政府建设") && ITEM("（二）强化组织") && ITEM("(3)加强") &&
          ITEM("1.完善") && ITEM("12、开展") && ITEM("第一条 为了") && ITEM("①学习"));
    CHECK(!ITEM("3.5万人") && !ITEM("2022年，") && !ITEM("一是通过") && !ITEM("行政处罚"));

    CHECK(fz_formats_ends_sentence("已完成。", strlen("已完成。")));
    CHECK(fz_formats_ends_sentence("如下：", strlen("如下：")));
    CHECK(fz_formats_ends_sentence("“法律明白人”。”", strlen("“法律明白人”。”")));
    CHECK(!fz_formats_ends_sentence("行政处罚案件", strlen("行政处罚案件")));
    const char *s2 = "受众一千余人。今年开展";
    CHECK(fz_formats_sentence_len(s2, strlen(s2)) == strlen("受众一千余人。"));
    CHECK(fz_formats_sentence_len("无句号", strlen("无句号")) == 0);

    fz_rawdoc d;
    fz_rawdoc_init(&d);
    CHECK(fz_rawdoc_page_at(&d, 0) == 0);
    fz_rawdoc_new_page(&d);
    fz_buf_adds(&d.text, "一\n");
    fz_rawdoc_new_page(&d);
    fz_rawdoc_new_page(&d); /* an empty page */
    fz_buf_adds(&d.text, "三\n");
    CHECK(d.npages == 3);
    CHECK(fz_rawdoc_page_at(&d, 0) == 1 && fz_rawdoc_page_at(&d, 3) == 1);
    CHECK(fz_rawdoc_page_at(&d, 4) == 3 && fz_rawdoc_page_at(&d, 100) == 3);
    fz_rawdoc_reset(&d);
    CHECK(d.npages == 0 && d.text.len == 0 && strcmp(d.source, "text") == 0);
    fz_rawdoc_release(&d);
}

/* ---- poppler and tesseract are opened on first use ---- */

/* Runs first, before any PDF: text and HTML load neither library, the first
 * PDF loads poppler-glib (and still not tesseract), and fz_dlib_open reports
 * a missing library or symbol. */
static void test_lazy_libs(void)
{
    fz_reader *r = fz_reader_new();
    fz_document doc;
    fz_diag diag;
    fz_diag_init(&diag);
    const char text[] = "2022年，我镇行政处罚案件8宗。\n";
    const char html[] = "<html><body><p>2022年，我镇行政复议案件11宗。</p></body></html>\n";
    int rc = fz_reader_read_mem(r, "a.txt", text, sizeof text - 1, &doc, &diag);
    CHECK(rc == 0 && strstr(doc.text, "行政处罚案件8宗"));
    rc = fz_reader_read_mem(r, "b.html", html, sizeof html - 1, &doc, &diag);
    CHECK(rc == 0 && strstr(doc.text, "行政复议案件11宗"));
    CHECK_MSG(mapped("libpoppler") == 0, "text and HTML do not load poppler");
    CHECK_MSG(mapped("libtesseract") == 0, "text and HTML do not load tesseract");
    CHECK_MSG(mapped("liblept") == 0, "text and HTML do not load leptonica");
    CHECK_MSG(mapped("libxml2") == 0, "text and HTML do not load libxml2");

    size_t np;
    char **paras = seed_paras("000_18829aa4f02e89c0.txt", &np);
    typeset ts;
    typeset_pdf(paras, np, &ts);
    rc = fz_reader_read_mem(r, "c.pdf", ts.pdf.data, ts.pdf.len, &doc, &diag);
    CHECK_MSG(rc == 0 && diag.n == 0 && strcmp(doc.format, "pdf") == 0,
              "a PDF after text in the same process is read");
    CHECK(rc == 0 && strstr(doc.text, "行政") != NULL);
    CHECK_MSG(mapped("libpoppler-glib") == 1, "the first PDF loads poppler-glib");
    CHECK_MSG(mapped("libtesseract") == 0, "a PDF with a text layer does not load tesseract");
    rc = fz_reader_read_mem(r, "a.txt", text, sizeof text - 1, &doc, &diag);
    CHECK(rc == 0 && strstr(doc.text, "行政处罚案件8宗"));
    free(ts.lines);
    fz_buf_release(&ts.pdf);
    free_paras(paras, np);
    fz_diag_release(&diag);
    fz_reader_free(r);

    /* a library that is not there, and one without the symbol asked for */
    void (*fn)(void) = (void (*)(void))1;
    const fz_dlib_sym none[] = {{"fz_no_such_function", (void **)&fn}};
    char why[256];
    CHECK(fz_dlib_open("libfz-no-such-library.so.0", none, 1, why, sizeof why) == NULL);
    CHECK(strstr(why, "libfz-no-such-library.so.0") != NULL && fn == NULL);
    fn = (void (*)(void))1;
    CHECK(fz_dlib_open("libc.so.6", none, 1, why, sizeof why) == NULL);
    CHECK(strcmp(why, "libc.so.6 has no symbol fz_no_such_function") == 0 && fn == NULL);
    size_t (*len)(const char *) = NULL;
    const fz_dlib_sym some[] = {{"strlen", (void **)&len}};
    void *h = fz_dlib_open("libc.so.6", some, 1, why, sizeof why);
    CHECK(h != NULL && len != NULL && len("abc") == 3);
}

int main(void)
{
    if (mkdir("fixtures", 0755) < 0 && errno != EEXIST)
        perror("fixtures");
    if (mkdir(FIXDIR, 0755) < 0 && errno != EEXIST)
        perror(FIXDIR);
    test_helpers();
    test_lazy_libs(); /* before any other PDF is read */
    test_pdf_seed("000_18829aa4f02e89c0.txt");
    test_pdf_seed("002_67201649ccd67642.txt");
    test_pdf_table();
    {
        size_t np;
        char **paras = seed_paras("001_8c2a96bc722a2151.txt", &np);
        typeset ts;
        typeset_pdf(paras, np, &ts);
        test_bad_pdf(&ts.pdf);
        free(ts.lines);
        fz_buf_release(&ts.pdf);
        free_paras(paras, np);
    }
    test_docx();
    test_scanned();
    test_pdf_no_tounicode();
    test_reader();
    test_threads();
    fz_ocr_thread_release();
    /* drop pango's default font map; cairo's and fontconfig's process-wide
     * caches stay (resetting them is unsafe while cairo objects live) and are
     * suppressed for LeakSanitizer above */
    pango_cairo_font_map_set_default(NULL);
    return check_done();
}
