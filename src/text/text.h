/* text.h: decoded UTF-8 lines to the reader's normalized text and line map.
 *
 * fz_text_process() runs three passes over one document:
 *   1. split lines (LF, CRLF, CR; U+2028/U+2029/U+0085/FF/VT split too but do
 *      not advance the source line count), NFKC-normalize each line, drop
 *      control and invisible format characters (tab becomes a space), trim
 *      spaces at both ends, and count characters that exist only in
 *      traditional form against their simplified counterparts;
 *   2. only if the document is traditional: ICU's "Traditional-Simplified"
 *      rules, from a copy generated at build time (gen/mktables.c);
 *   3. drop site furniture lines (fz_text_is_furniture) and collapse runs
 *      of blank lines to one (none at the start or end).
 * Lines that hold only characters NFKC leaves alone, or replaces by a fixed
 * string in any context (tables generated from ICU at build time), never
 * leave UTF-8.
 *
 * One fz_text per thread; results borrow its buffers until the next call
 * or fz_text_free(). Library code: never prints. */
#ifndef FZ_TEXT_H
#define FZ_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz_text fz_text;

typedef struct fz_text_input {
    const char     *s;        /* valid UTF-8, may contain CR; no NUL needed at end */
    size_t          len;      /* bytes of s */
    const uint32_t *src;      /* source line of each LF-separated input line, or NULL (i+1) */
    size_t          nsrc;     /* entries in src */
    const uint32_t *page_off; /* byte offset in s where page i+1 starts, or NULL */
    size_t          npages;   /* entries in page_off; 0: pages are 0 */
} fz_text_input;

typedef struct fz_text_result {
    const char     *text;      /* NUL-terminated; every line ends with '\n' */
    size_t          len;       /* bytes, without the NUL */
    size_t          nlines;
    const uint32_t *line_off;  /* byte offset of each line in text */
    const uint32_t *line_src;  /* 1-based source line */
    const uint16_t *line_page; /* 1-based page, 0 if the input has no pages */
    int             traditional; /* converted from traditional characters */
    size_t          furniture;   /* lines dropped as site furniture */
} fz_text_result;

fz_text *fz_text_new(void);
void     fz_text_free(fz_text *t); /* NULL is fine */

/* 0, or FZ_ELIMIT if the normalized text would exceed 4 GiB (offsets are
 * 32-bit), or FZ_EDEP if ICU's normalization data cannot be loaded. */
int fz_text_process(fz_text *t, const fz_text_input *in, fz_text_result *res);

/* Number of documents this fz_text converted from traditional characters
 * (tests use it to prove simplified text is never converted). */
size_t fz_text_transliterated(const fz_text *t);

/* 1 if the line (normalized, simplified, trimmed UTF-8) is site furniture:
 * navigation, font-size and print controls, share buttons, breadcrumbs,
 * link lists and copyright footers. A line longer than 40 characters, or
 * one with sentence punctuation, is kept unless it is a breadcrumb or made
 * only of furniture words ("字号:" is furniture, "来源:... 发布时间:..." is not). */
int fz_text_is_furniture(const char *s, size_t n);

/* Characters in the UTF-8 text s[0..n): the bytes that are not continuation
 * bytes (10xxxxxx), counted eight at a time. */
size_t fz_text_nchars(const char *s, size_t n);

/* Traditional-only and simplified-counterpart characters counted in s
 * (the test fz_text_process uses to decide on conversion). */
void fz_text_count_script(const char *s, size_t n, size_t *trad, size_t *simp);

#endif
