/* formats.h: readers for binary document formats (PDF, DOCX, scanned PDF).
 *
 * reader.c detects the format by content and calls one of these; each turns
 * the file into raw UTF-8 text (not yet normalized: reader.c then runs the
 * same NFKC / simplification / boilerplate pipeline as for text files), with
 * page boundaries where the format has pages. Paragraphs end with '\n'; a
 * sentence wrapped across layout lines is joined; page headers, footers and
 * page numbers are dropped; DOCX table rows become one line with cells
 * separated by " | ".
 *
 * Pages (PDF only; a DOCX has none, npages stays 0): page_off[i] is where
 * page i+1 starts and always falls at the start of a line. A sentence that
 * runs from the foot of page k onto page k+1 is completed on page k's line
 * (up to its 。！？；), so a figure is never cut in two; the rest of that
 * paragraph starts page k+1.
 *
 * A PDF table drawn cell by cell comes back one row per line, cells joined
 * by " | " like DOCX rows.
 *
 * A PDF page without a text layer that carries an image, or whose text layer
 * is glyph ids (fonts without a ToUnicode map), is rendered at 300 dpi and
 * read by OCR (tesseract, chi_sim); then source is "ocr" (if any page was)
 * and ocr_confidence the mean word confidence of the OCR'd pages. Without
 * the chi_sim data a PDF of scans only is refused (FZ_EDEP, the diagnostic
 * names tesseract-ocr-chi-sim); one with text pages is read with one
 * warning that names it. OCR keeps one tesseract instance per thread,
 * created on first use; a worker thread that OCR'd frees it when it exits
 * (fz_ocr_thread_release() frees it earlier).
 *
 * poppler-glib, tesseract, libzip and libxml2 are not linked: pdf.c, ocr.c
 * and docx.c open them (dlopen, see dlib.h) on the first PDF, scanned page
 * and .docx, so a run over text and HTML never loads them. If one cannot be
 * loaded, the file that needs it is refused with FZ_EDEP and a diagnostic
 * naming the library and its Debian package (a PDF with text pages and
 * scans is still read, with one warning, when only OCR is missing).
 *
 * Each library lives in one file: poppler in pdf.c, libzip+libxml2 in docx.c,
 * tesseract in ocr.c; formats.c holds fz_rawdoc and the text helpers they
 * share. The fz_formats_* and fz_ocr_* helpers are for those files and their
 * unit test, not for other modules. */
#ifndef FZ_FORMATS_H
#define FZ_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

#define FZ_FORMATS_MAX_TEXT   ((size_t)128 << 20) /* raw text per document */
#define FZ_FORMATS_MAX_PAGES  5000                /* PDF pages read */
#define FZ_FORMATS_MAX_OCR    300                 /* PDF pages OCR'd */
#define FZ_FORMATS_MAX_XML    ((size_t)64 << 20)  /* word/document.xml, uncompressed */

typedef struct fz_rawdoc {
    fz_buf    text;           /* UTF-8, '\n' line ends */
    uint32_t *page_off;       /* byte offset in text where page i+1 starts */
    size_t    npages, cappages;
    const char *source;       /* "text" or "ocr" (static string) */
    double    ocr_confidence; /* mean word confidence 0-100 when source is "ocr" */
} fz_rawdoc;

void fz_rawdoc_init(fz_rawdoc *d);
void fz_rawdoc_reset(fz_rawdoc *d);              /* empty, keeps memory */
void fz_rawdoc_release(fz_rawdoc *d);
void fz_rawdoc_new_page(fz_rawdoc *d);           /* the next text belongs to a new page */
/* 1-based page of byte offset off in d->text, 0 if d has no pages. */
size_t fz_rawdoc_page_at(const fz_rawdoc *d, size_t off);

/* Each returns 0 or a negative FZ_E* with one FZ_DIAG_SKIP diagnostic naming
 * `name` and the problem ("cannot read 'x.pdf': encrypted PDF"; truncated
 * PDF, corrupt PDF, not a PDF file, corrupt DOCX, not a Word document, no
 * OCR data: which package to install). They never print. On error *out
 * holds no usable text (it is reset). Limits: FZ_FORMATS_MAX_* (FZ_ELIMIT). */
int fz_pdf_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag);
int fz_docx_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag);

/* --- Shared by pdf.c, docx.c and ocr.c --- */

/* Appends the n bytes at s to a paragraph being rebuilt from wrapped lines:
 * no space between CJK text ("行政处罚案件" + "8宗"), one space where both
 * sides are Latin letters or digits ("annual" + "report"). */
void fz_formats_join(fz_buf *para, const char *s, size_t n);
/* Removes spaces (ASCII and U+3000) that layout or OCR put between Chinese
 * characters, or between a Chinese character and a digit ("8 宗", "行 政");
 * keeps spaces between Latin words and between two numbers. In place;
 * returns the new length (a NUL is written there). */
size_t fz_formats_squeeze(char *s, size_t n);
/* 1 if the line is only a page number: "— 3 —", "- 3 -", "3", "第3页 共9页",
 * "3/9", "Page 3 of 9". */
int fz_formats_is_page_number(const char *s, size_t n);
/* 1 if the text ends a sentence (。！？；：!?;: and closing quotes after them). */
int fz_formats_ends_sentence(const char *s, size_t n);
/* 1 if the line starts like a heading or list item: 一、 (一) 1. 1、 第一条. */
int fz_formats_starts_item(const char *s, size_t n);
/* Byte length of the first sentence in s (through its 。！？；), or 0 if
 * none ends within n bytes. */
size_t fz_formats_sentence_len(const char *s, size_t n);

/* OCR of one grayscale page image (8 bits, 0 = black), tesseract chi_sim.
 * Appends the text (paragraphs as lines, spaces between CJK removed, page
 * number lines dropped) to out and sets *conf to the mean word confidence.
 * FZ_EDEP with a diagnostic naming tesseract-ocr-chi-sim if the language
 * data is missing; FZ_EINPUT if tesseract fails on the image. */
int  fz_ocr_page(const unsigned char *gray, int w, int h, int stride, int dpi,
                 fz_buf *out, double *conf, const char *name, fz_diag *diag);
void fz_ocr_thread_release(void); /* frees this thread's tesseract now */
/* What is missing after fz_ocr_page returned FZ_EDEP, with the package to
 * install: "Chinese OCR data is missing (install tesseract-ocr-chi-sim)", or
 * that libtesseract cannot be loaded. A static string. */
const char *fz_ocr_missing(void);

#endif
