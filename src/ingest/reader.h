/* reader.h: turn one report file into clean, normalized UTF-8 text.
 *
 * A reader (one per worker thread) owns reusable buffers and ICU objects.
 * fz_reader_read() detects the format by content (plain text, HTML, PDF,
 * DOCX; old .doc/.wps are refused), decodes the encoding (BOM, UTF-8,
 * GB18030/GBK, Big5, UTF-16), strips HTML, normalizes (NFKC; traditional to
 * simplified only for documents detected as traditional), drops navigation
 * boilerplate, and fills an fz_document whose pointers borrow the reader's
 * buffers until the next fz_reader_read() or fz_reader_free().
 *
 * Text invariants (what extraction and regions rely on):
 *   - valid UTF-8, NUL-terminated, no NUL inside, '\n' line ends only;
 *   - NFKC: ASCII digits, '%' for ％ and ﹪, ASCII punctuation where NFKC maps it;
 *   - simplified characters;
 *   - each output line i has the 1-based line (and page) it came from;
 *   - no blank line at the start or end, never two blank lines in a row;
 *     every line, the last included, ends with '\n'.
 *
 * Files are read with one reused buffer; valid UTF-8 that is already NFKC
 * is never converted to UTF-16. The work is split over ingest/decode.c
 * (encodings), ingest/html.c (tags), text/ (NFKC, 繁→简, furniture, line
 * map) and ingest/walk.c (which files to read). */
#ifndef FZ_READER_H
#define FZ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define FZ_READER_MAX_BYTES ((size_t)256 << 20) /* larger files are skipped */
/* Text and HTML files larger than this are skipped too: a report is tens of
 * kilobytes, and decoding and normalizing take about four times the text in
 * memory, so the cap is what keeps peak memory independent of the input
 * (PDF and DOCX files may be up to FZ_READER_MAX_BYTES). */
#define FZ_READER_MAX_TEXT_BYTES ((size_t)16 << 20)

typedef struct fz_document {
    const char *path;        /* as given */
    const char *format;      /* "text", "html", "pdf", "docx" */
    const char *encoding;    /* "UTF-8", "GB18030", "UTF-16LE", "Big5", ... */
    const char *source;      /* "text" or "ocr" */
    double      ocr_confidence; /* mean word confidence 0-100 when source is "ocr" */
    size_t      bytes;       /* size of the input */
    int         warnings;    /* warnings added to the diag for this file */
    int         invalid;     /* invalid byte sequences replaced by U+FFFD */
    int         traditional; /* 1 if converted from traditional characters */
    int         utf8;        /* 1: text holds to the invariants below (the reader
                              * sets it); a document built by hand may leave 0,
                              * and extraction then assumes nothing of its bytes */

    const char *text;        /* normalized text (see invariants above) */
    size_t      len;         /* bytes of text, without the NUL */
    size_t      nlines;      /* number of lines in text */
    const uint32_t *line_off;  /* byte offset in text where line i starts (nlines entries) */
    const uint32_t *line_src;  /* 1-based line number in the decoded input for line i */
    const uint16_t *line_page; /* 1-based page (PDF/OCR), 0 for other formats */
} fz_document;

typedef struct fz_reader fz_reader;

fz_reader *fz_reader_new(void);
void       fz_reader_free(fz_reader *r);  /* NULL is fine */

/* Reads path ("-" is stdin). 0 on success (warnings may have been added);
 * FZ_EINPUT/FZ_EIO/FZ_ELIMIT/FZ_EUNSUPPORTED/FZ_EDEP with one FZ_DIAG_SKIP
 * diagnostic naming the file and the problem otherwise. */
int fz_reader_read(fz_reader *r, const char *path, fz_document *doc, fz_diag *diag);

/* Same, from memory (name is used in messages and as doc->path). */
int fz_reader_read_mem(fz_reader *r, const char *name, const void *data, size_t n,
                       fz_document *doc, fz_diag *diag);

/* Index of the line containing byte offset off (binary search); offsets
 * past the end give the last line, an empty document gives 0. */
size_t fz_document_line_at(const fz_document *doc, size_t off);

/* Documents this reader converted with ICU's Traditional-Simplified
 * transliterator (simplified input never reaches it). */
size_t fz_reader_transliterated(const fz_reader *r);

#endif
