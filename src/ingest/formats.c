/* formats.c: fz_rawdoc (raw text plus page offsets) and the text repairs the
 * PDF, DOCX and OCR readers share: joining wrapped lines, removing layout
 * spaces between Chinese characters, recognising page-number lines, sentence
 * ends and list items. Pure string work; no library but core. */
#include "formats.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

void fz_rawdoc_init(fz_rawdoc *d)
{
    memset(d, 0, sizeof *d);
    fz_buf_init(&d->text);
    d->source = "text";
}

void fz_rawdoc_reset(fz_rawdoc *d)
{
    fz_buf_reset(&d->text);
    d->npages = 0;
    d->source = "text";
    d->ocr_confidence = 0;
}

void fz_rawdoc_release(fz_rawdoc *d)
{
    fz_buf_release(&d->text);
    free(d->page_off);
    memset(d, 0, sizeof *d);
}

void fz_rawdoc_new_page(fz_rawdoc *d)
{
    if (d->npages == d->cappages) {
        d->cappages = d->cappages ? d->cappages * 2 : 16;
        d->page_off = fz_xreallocarray(d->page_off, d->cappages, sizeof *d->page_off);
    }
    assert(d->text.len <= UINT32_MAX);
    d->page_off[d->npages++] = (uint32_t)d->text.len;
}

size_t fz_rawdoc_page_at(const fz_rawdoc *d, size_t off)
{
    if (d->npages == 0)
        return 0;
    size_t lo = 0, hi = d->npages; /* count of pages starting at or before off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->page_off[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo : 1;
}

/* Decodes one UTF-8 character at s (n > 0 bytes left); *len gets its size.
 * Invalid bytes decode as themselves, one byte long. */
static unsigned utf8_get(const char *s, size_t n, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (need == 1 || need > n) {
        *len = 1;
        return c;
    }
    unsigned cp = c & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *len = 1;
            return c;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *len = need;
    return cp;
}

/* The code point that ends at s + n (n > 0); *len gets its size. */
static unsigned utf8_last(const char *s, size_t n, size_t *len)
{
    size_t i = n - 1, k = 0;
    while (i > 0 && k < 3 && ((unsigned char)s[i] & 0xC0) == 0x80) {
        i--;
        k++;
    }
    size_t l;
    unsigned c = utf8_get(s + i, n - i, &l);
    if (i + l != n) { /* not a complete character: take the last byte */
        *len = 1;
        return (unsigned char)s[n - 1];
    }
    *len = l;
    return c;
}

/* Chinese text and the punctuation set with it: CJK ideographs and
 * punctuation, full-width forms, and the quotes and dashes of Chinese prose. */
static int is_cjk(unsigned c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x203F) || c == 0x00B7 || (c >= 0x2460 && c <= 0x24FF) ||
           (c >= 0x25A0 && c <= 0x25FF);
}

static int is_space(unsigned c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == '\r';
}

static int is_alnum(unsigned c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void fz_formats_join(fz_buf *para, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (para->len > 0) {
        size_t l;
        unsigned a = utf8_last(para->data, para->len, &l);
        unsigned b = utf8_get(s, n, &l);
        if (is_alnum(a) && is_alnum(b))
            fz_buf_addc(para, ' ');
        else if ((a == ',' || a == '.' || a == ';' || a == ':') && is_alnum(b) &&
                 !(a == '.' && b >= '0' && b <= '9'))
            fz_buf_addc(para, ' ');
    }
    fz_buf_add(para, s, n);
}

size_t fz_formats_squeeze(char *s, size_t n)
{
    size_t r = 0, w = 0;
    unsigned prev = '\n'; /* last character written ('\n' at line start) */
    while (r < n) {
        size_t l;
        unsigned c = utf8_get(s + r, n - r, &l);
        if (!is_space(c)) {
            memmove(s + w, s + r, l);
            w += l;
            r += l;
            prev = c;
            continue;
        }
        size_t end = r; /* a run of spaces: look at what follows */
        unsigned next = '\n';
        while (end < n) {
            size_t l2;
            unsigned c2 = utf8_get(s + end, n - end, &l2);
            if (!is_space(c2)) {
                next = c2;
                break;
            }
            end += l2;
        }
        int keep = prev != '\n' && next != '\n' && !is_cjk(prev) && !is_cjk(next);
        if (keep)
            s[w++] = ' ';
        r = end;
    }
    s[w] = '\0';
    return w;
}

/* Page numbers are matched on a token string: a run of digits (ASCII,
 * full-width or Chinese numerals) becomes 'd', dashes '-', 第 'F', 页 'Y',
 * 共 'G', "page" 'P', "of" 'O'; spaces vanish. Anything else fails. */
static int page_tokens(const char *s, size_t n, char *tok, size_t cap)
{
    size_t t = 0, i = 0;
    static const char *const cn = "〇零一二三四五六七八九十";
    while (i < n) {
        size_t l;
        unsigned c = utf8_get(s + i, n - i, &l);
        char k;
        int digit = (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
        if (!digit && c >= 0x3000) {
            char u[5] = {0};
            memcpy(u, s + i, l < 4 ? l : 4);
            digit = l == 3 && strstr(cn, u) != NULL;
        }
        if (is_space(c)) {
            i += l;
            continue;
        }
        if (digit)
            k = 'd';
        else if (c == '-' || c == 0x2010 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
                 c == 0x2015 || c == 0x2212 || c == 0x2500 || c == 0xFF0D || c == 0x30FC ||
                 c == '~' || c == 0xB7 || c == 0x2022 || c == 0x30FB)
            k = '-';
        else if (c == '/' || c == 0xFF0F)
            k = '/';
        else if (c == 0x7B2C) /* 第 */
            k = 'F';
        else if (c == 0x9875) /* 页 */
            k = 'Y';
        else if (c == 0x5171) /* 共 */
            k = 'G';
        else if (c == ',' || c == 0xFF0C || c == 0x3001)
            k = ',';
        else if ((c == 'p' || c == 'P') && n - i >= 4 && strncasecmp(s + i, "page", 4) == 0) {
            k = 'P';
            l = 4;
        } else if ((c == 'o' || c == 'O') && n - i >= 2 && strncasecmp(s + i, "of", 2) == 0) {
            k = 'O';
            l = 2;
        } else
            return 0;
        i += l;
        if (k == 'd' && t > 0 && tok[t - 1] == 'd')
            continue;
        if (k == '-' && t > 0 && tok[t - 1] == '-')
            continue;
        if (t + 1 >= cap)
            return 0;
        tok[t++] = k;
    }
    tok[t] = '\0';
    return t > 0;
}

int fz_formats_is_page_number(const char *s, size_t n)
{
    static const char *const forms[] = {
        "d", "-d-", "-d", "d-", "FdY", "FdYGdY", "FdY,GdY", "FdY/GdY", "GdYFdY",
        "GdY,FdY", "d/d", "-d/d-", "Pd", "PdOd", "dOd", "Pd/d", "-FdY-", "-FdYGdY-", NULL};
    char tok[16];
    if (n == 0 || n > 64 || !page_tokens(s, n, tok, sizeof tok))
        return 0;
    for (size_t i = 0; forms[i]; i++)
        if (strcmp(tok, forms[i]) == 0)
            return 1;
    return 0;
}

static int is_close_quote(unsigned c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xFF09 ||
           c == ')' || c == '"' || c == '\'' || c == 0x300B;
}

static int is_stop(unsigned c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' ||
           c == '?' || c == ';';
}

int fz_formats_ends_sentence(const char *s, size_t n)
{
    while (n > 0) {
        size_t l;
        unsigned c = utf8_last(s, n, &l);
        if (is_space(c) || is_close_quote(c)) {
            n -= l;
            continue;
        }
        return is_stop(c) || c == 0xFF1A || c == ':';
    }
    return 0;
}

size_t fz_formats_sentence_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t l;
        unsigned c = utf8_get(s + i, n - i, &l);
        i += l;
        if (!is_stop(c))
            continue;
        while (i < n) { /* a closing quote belongs to the sentence */
            c = utf8_get(s + i, n - i, &l);
            if (!is_close_quote(c))
                break;
            i += l;
        }
        return i;
    }
    return 0;
}

static int is_cn_numeral(unsigned c)
{
    static const unsigned nums[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
                                    0x516B, 0x4E5D, 0x5341, 0x767E, 0x96F6, 0x3007};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (c == nums[i])
            return 1;
    return 0;
}

int fz_formats_starts_item(const char *s, size_t n)
{
    size_t i = 0, l;
    while (i < n && is_space(utf8_get(s + i, n - i, &l)))
        i += l;
    if (i >= n)
        return 0;
    unsigned c = utf8_get(s + i, n - i, &l);
    if ((c >= 0x2460 && c <= 0x2473) || c == 0x25CF || c == 0x25A0 || c == 0x25C6 ||
        c == 0x2022)
        return 1; /* ①  ●  ■  ◆  • */
    int open = c == '(' || c == 0xFF08;
    int first = c == 0x7B2C; /* 第 */
    if (open || first) {
        i += l;
        if (i >= n)
            return 0;
        c = utf8_get(s + i, n - i, &l);
    }
    size_t digits = 0, cn = 0;
    while (i < n) {
        c = utf8_get(s + i, n - i, &l);
        if (c >= '0' && c <= '9')
            digits++;
        else if (is_cn_numeral(c))
            cn++;
        else
            break;
        i += l;
        if (digits + cn > 4)
            return 0;
    }
    if ((digits == 0) == (cn == 0) || i >= n)
        return 0;
    c = utf8_get(s + i, n - i, &l);
    if (open)
        return c == ')' || c == 0xFF09;
    if (first) /* 第一条 第二章 第三部分 */
        return c == 0x6761 || c == 0x7AE0 || c == 0x8282 || c == 0x90E8;
    if (c == 0x3001) /* 、 */
        return 1;
    if (digits && (c == '.' || c == 0xFF0E)) { /* "1." but not "3.5" */
        if (i + l >= n)
            return 1;
        unsigned d = utf8_get(s + i + l, n - i - l, &l);
        return !(d >= '0' && d <= '9');
    }
    return 0;
}
