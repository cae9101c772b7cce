/* html.h: saved web pages to plain lines (part of the reader).
 *
 * Detection by content (fz_html_sniff), the declared charset of a page
 * (fz_html_charset), and a forgiving one-pass stripper: comments, script,
 * style, noscript, template, svg and select content and everything in <head>
 * except the <title> text are dropped; block elements and <br> end lines;
 * table cells are joined with " | " (as DOCX rows are); whitespace collapses
 * to one space, and a line break between two CJK characters disappears
 * ("调解成功\n率达99%" is one word to a browser); named and numeric entities
 * are decoded. Each output line records the 1-based source line of its first
 * character. The stripper never fails; text outside any tag is kept. */
#ifndef FZ_HTML_H
#define FZ_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct fz_html {
    fz_buf    text;     /* UTF-8 lines separated by '\n' */
    uint32_t *src;      /* 1-based source line of each line of text */
    size_t    nsrc, capsrc;
} fz_html;

void fz_html_init(fz_html *h);
void fz_html_release(fz_html *h);

/* 1 if the (decoded UTF-8) text is an HTML page or fragment. */
int fz_html_sniff(const char *s, size_t n);

/* The charset a page declares (<meta charset=gbk>, content="...; charset=gb2312")
 * in its first 4 KiB of raw bytes, copied to buf; NULL if none. */
const char *fz_html_charset(const void *data, size_t n, char *buf, size_t size);

/* Strips valid UTF-8 s into h (h is reset first). */
void fz_html_strip(fz_html *h, const char *s, size_t n);

/* Decodes the entity that starts at s[0] == '&'; returns the bytes used
 * (0 if it is not an entity) and the code point in *cp. */
size_t fz_html_entity(const char *s, size_t n, uint32_t *cp);

#endif
