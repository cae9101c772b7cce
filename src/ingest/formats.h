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
 * Each library lives in one file: poppler in pdf.c, libzip+libxml2 in docx.c,
 * tesseract in ocr.c. */
#ifndef FZ_FORMATS_H
#define FZ_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

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

/* Each returns 0 or a negative FZ_E* with one FZ_DIAG_SKIP diagnostic naming
 * `name` and the problem (encrypted, corrupt, not a docx, no OCR data: which
 * package to install). They never print. */
int fz_pdf_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag);
int fz_docx_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag);

#endif
