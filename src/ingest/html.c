/* html.c: HTML detection, declared charset and tag stripping (see html.h).
 *
 * Government sites publish reports as hand-edited or CMS HTML that is
 * rarely well formed, so this is a tolerant scanner rather than a parser:
 * one pass, no tree, linear in the input (each skip searches forward only). */
#include "html.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

void fz_html_init(fz_html *h)
{
    memset(h, 0, sizeof *h);
    fz_buf_init(&h->text);
}

void fz_html_release(fz_html *h)
{
    fz_buf_release(&h->text);
    free(h->src);
    memset(h, 0, sizeof *h);
}

static int starts_ci(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && strncasecmp(s, w, k) == 0;
}

/* Case-insensitive search for w in s[0..n); offset or n. */
static size_t find_ci(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    unsigned char f = (unsigned char)tolower((unsigned char)w[0]);
    for (size_t i = 0; i + k <= n; i++)
        if ((unsigned char)tolower((unsigned char)s[i]) == f && strncasecmp(s + i, w, k) == 0)
            return i;
    return n;
}

int fz_html_sniff(const char *s, size_t n)
{
    size_t m = n > 4096 ? 4096 : n, i = 0;
    if (m >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < m && isspace((unsigned char)s[i]))
        i++;
    if (starts_ci(s + i, m - i, "<!doctype html") || starts_ci(s + i, m - i, "<html"))
        return 1;
    static const char *const tags[] = { "<html", "<head", "<body", "<meta", "<title", "<p>",
                                        "<p ", "<div", "<br", "<span", "<table", "<td",
                                        "<tr", "</p>", "</div>", "<script", "<style", "<a href",
                                        "<li>", "<h1", "<h2", "<h3", "<font", "<strong" };
    enum { NTAGS = sizeof tags / sizeof *tags };
    unsigned char seen[NTAGS] = { 0 };
    int hits = 0;
    /* one pass: only positions holding '<' can start a tag */
    for (const char *p = memchr(s + i, '<', m - i); p && hits < 3;
         p = memchr(p + 1, '<', (size_t)(s + m - p - 1))) {
        size_t left = (size_t)(s + m - p);
        for (size_t t = 0; t < NTAGS; t++)
            if (!seen[t] && starts_ci(p, left, tags[t])) {
                seen[t] = 1;
                hits++;
            }
        if (p + 1 >= s + m)
            break;
    }
    return hits >= 3 || (hits >= 1 && i < m && s[i] == '<');
}

const char *fz_html_charset(const void *data, size_t n, char *buf, size_t size)
{
    const char *s = data;
    size_t m = n > 4096 ? 4096 : n;
    size_t at = find_ci(s, m, "charset");
    while (at < m) {
        size_t i = at + 7;
        while (i < m && (s[i] == ' ' || s[i] == '=' || s[i] == '"' || s[i] == '\''))
            i++;
        size_t k = 0;
        while (i < m && k + 1 < size &&
               (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
            buf[k++] = s[i++];
        buf[k] = '\0';
        if (k > 0)
            return buf;
        size_t next = find_ci(s + at + 7, m - at - 7, "charset");
        at = next < m - at - 7 ? at + 7 + next : m;
    }
    return NULL;
}

/* ---- entities ------------------------------------------------------- */

static const struct {
    const char *name;
    uint32_t cp;
} ents[] = {
    { "nbsp", 0xA0 },    { "amp", '&' },       { "lt", '<' },        { "gt", '>' },
    { "quot", '"' },     { "apos", '\'' },     { "ldquo", 0x201C },  { "rdquo", 0x201D },
    { "lsquo", 0x2018 }, { "rsquo", 0x2019 },  { "mdash", 0x2014 },  { "ndash", 0x2013 },
    { "middot", 0xB7 },  { "hellip", 0x2026 }, { "bull", 0x2022 },   { "copy", 0xA9 },
    { "reg", 0xAE },     { "trade", 0x2122 },  { "times", 0xD7 },    { "divide", 0xF7 },
    { "deg", 0xB0 },     { "plusmn", 0xB1 },   { "permil", 0x2030 }, { "laquo", 0xAB },
    { "raquo", 0xBB },   { "lsaquo", 0x2039 }, { "rsaquo", 0x203A }, { "sect", 0xA7 },
    { "para", 0xB6 },    { "ensp", 0x2002 },   { "emsp", 0x2003 },   { "thinsp", 0x2009 },
    { "zwsp", 0x200B },  { "zwnj", 0x200C },   { "zwj", 0x200D },    { "shy", 0xAD },
    { "yen", 0xA5 },     { "cent", 0xA2 },     { "pound", 0xA3 },    { "euro", 0x20AC },
    { "frac12", 0xBD },  { "frac14", 0xBC },   { "frac34", 0xBE },   { "sup2", 0xB2 },
    { "sup3", 0xB3 },    { "micro", 0xB5 },    { "larr", 0x2190 },   { "rarr", 0x2192 },
    { "uarr", 0x2191 },  { "darr", 0x2193 },   { "le", 0x2264 },     { "ge", 0x2265 },
    { "ne", 0x2260 },    { "minus", 0x2212 },  { "prime", 0x2032 },  { "Prime", 0x2033 },
    { "iexcl", 0xA1 },   { "iquest", 0xBF },   { "acute", 0xB4 },    { "uml", 0xA8 },
    { "ordm", 0xBA },    { "ordf", 0xAA },     { "not", 0xAC },      { "macr", 0xAF },
    { "emsp13", 0x2004 }, { "numsp", 0x2007 }, { "ideographic", 0x3000 },
};

size_t fz_html_entity(const char *s, size_t n, uint32_t *cp)
{
    if (n < 3 || s[0] != '&')
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (i < n && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        size_t start = i;
        uint32_t v = 0;
        while (i < n && i - start < 8 &&
               (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
            unsigned d = isdigit((unsigned char)s[i]) ? (unsigned)(s[i] - '0')
                                                       : (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
            v = v * (hex ? 16 : 10) + d;
            i++;
        }
        if (i == start)
            return 0;
        while (i < n && i - start < 16 && isxdigit((unsigned char)s[i]))
            i++, v = 0x110000; /* too many digits: invalid */
        if (i < n && s[i] == ';')
            i++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = v;
        return i;
    }
    size_t i = 1;
    while (i < n && i < 33 && isalnum((unsigned char)s[i]))
        i++;
    size_t len = i - 1;
    if (len == 0)
        return 0;
    for (size_t e = 0; e < sizeof ents / sizeof *ents; e++) {
        if (strlen(ents[e].name) == len && memcmp(s + 1, ents[e].name, len) == 0) {
            if (i < n && s[i] == ';') {
                *cp = ents[e].cp;
                return i + 1;
            }
            /* browsers accept the old ones without ';' ("&nbsp 2019年") */
            if (ents[e].cp < 0x100) {
                *cp = ents[e].cp;
                return i;
            }
            return 0;
        }
    }
    return 0;
}

/* ---- stripping ------------------------------------------------------ */

typedef struct strip {
    fz_html *h;
    const char *s;
    size_t n;
    size_t line_pos;   /* newlines counted up to here */
    uint32_t line;     /* 1-based line at line_pos */
    int line_empty;    /* the current output line has no text yet */
    int want_break;    /* a block boundary was seen */
    int want_space;    /* whitespace was seen */
    int want_cell;     /* a table cell ended */
    int last_ascii;    /* the last character written was ASCII */
    int in_head, in_title, in_pre;
    int has_cr;        /* the page has a CR (else only LF ends a source line) */
} strip;

static uint32_t line_at(strip *st, size_t pos)
{
    /* LF, and CR not followed by LF, end a source line (memchr runs fast) */
    const char *s = st->s, *e = s + pos;
    for (const char *p = s + st->line_pos; p < e && (p = memchr(p, '\n', (size_t)(e - p))); p++)
        st->line++;
    for (const char *p = s + st->line_pos;
         st->has_cr && p < e && (p = memchr(p, '\r', (size_t)(e - p))); p++)
        if (!(p + 1 < s + st->n && p[1] == '\n'))
            st->line++;
    if (pos > st->line_pos)
        st->line_pos = pos;
    return st->line;
}

static void push_src(fz_html *h, uint32_t line)
{
    if (h->nsrc == h->capsrc) {
        h->capsrc = h->capsrc ? h->capsrc * 2 : 256;
        h->src = fz_xreallocarray(h->src, h->capsrc, sizeof *h->src);
    }
    h->src[h->nsrc++] = line;
}

/* Appends the characters bytes[0..k) found at pos; the first decides the
 * separator before them, the last whether a space may follow. */
static void emit(strip *st, size_t pos, const char *bytes, size_t k)
{
    fz_buf *b = &st->h->text;
    int ascii = (unsigned char)bytes[0] < 0x80;
    if (st->want_break && !st->line_empty) {
        fz_buf_addc(b, '\n');
        st->line_empty = 1;
    }
    if (st->line_empty) {
        push_src(st->h, line_at(st, pos));
        st->line_empty = 0;
    } else if (st->want_cell)
        fz_buf_add(b, " | ", 3);
    else if (st->want_space && (st->last_ascii || ascii))
        fz_buf_addc(b, ' ');
    st->want_break = st->want_space = st->want_cell = 0;
    fz_buf_add(b, bytes, k);
    st->last_ascii = (unsigned char)bytes[k - 1] < 0x80; /* valid UTF-8: a whole character */
}

static void emit_cp(strip *st, size_t pos, uint32_t cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
        st->want_space = 1;
        return;
    }
    emit(st, pos, u, k);
}

static const char *const blocks[] = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "tbody", "thead",
    "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
    "footer", "nav", "aside", "main", "blockquote", "hr", "form", "center", "pre", "address",
    "figure", "figcaption", "title", "body", "html", "fieldset", "legend", "details",
    "summary", "option", "iframe", "frame", "frameset", "noframes", "menu", "dir",
};
static const char *const raw_text[] = { "script", "style", "noscript", "template", "svg",
                                        "select", "textarea", "object", "math" };

/* What a tag name means to the stripper, looked up once per tag in a small
 * hash table of the names above (built on first use). */
enum { T_RAW = 1, T_BLOCK = 2, T_HEAD = 4, T_TITLE = 8, T_BODY = 16, T_PRE = 32, T_CELL = 64 };
#define TAG_SLOTS 256

static struct {
    char name[16];
    unsigned flags;
} tag_tab[TAG_SLOTS];
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static size_t tag_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return (size_t)(h >> 24) & (TAG_SLOTS - 1);
}

static void tag_add(const char *name, unsigned flags)
{
    size_t h = tag_hash(name);
    while (tag_tab[h].name[0] && strcmp(tag_tab[h].name, name) != 0)
        h = (h + 1) & (TAG_SLOTS - 1);
    strcpy(tag_tab[h].name, name); /* every name above is shorter than 16 */
    tag_tab[h].flags |= flags;
}

/* A byte of a tag name (ASCII letters, digits, '-' and ':') in lower case,
 * or 0 (tag names are ASCII whatever the locale). */
static unsigned char tag_char[256];

static void build_tag_char(void)
{
    for (unsigned c = 0; c < 256; c++)
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':')
            tag_char[c] = (unsigned char)c;
        else if (c >= 'A' && c <= 'Z')
            tag_char[c] = (unsigned char)(c + 32);
}

static void build_tag_tab(void)
{
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        tag_add(blocks[i], T_BLOCK);
    for (size_t i = 0; i < sizeof raw_text / sizeof *raw_text; i++)
        tag_add(raw_text[i], T_RAW);
    tag_add("head", T_HEAD);
    tag_add("title", T_TITLE);
    tag_add("body", T_BODY);
    tag_add("pre", T_PRE);
    tag_add("td", T_CELL);
    tag_add("th", T_CELL);
    build_tag_char();
}

/* The flags of the name in name[0..16) (zero after its end), whose
 * tag_hash() is h; the table is built (fz_html_strip). */
static unsigned tag_flags(const char name[16], size_t h)
{
    for (; tag_tab[h].name[0]; h = (h + 1) & (TAG_SLOTS - 1))
        if (memcmp(tag_tab[h].name, name, 16) == 0) /* both zero-padded: two words */
            return tag_tab[h].flags;
    return 0;
}

/* Skips to the end of the element `name` (after "</name...>"); returns the
 * position after it, or n. */
static size_t skip_element(const char *s, size_t n, size_t i, const char *name)
{
    char close[16];
    size_t k = strlen(name);
    close[0] = '<';
    close[1] = '/';
    memcpy(close + 2, name, k + 1);
    size_t at = find_ci(s + i, n - i, close);
    if (at >= n - i)
        return n;
    const char *gt = memchr(s + i + at, '>', n - i - at);
    return gt ? (size_t)(gt - s) + 1 : n;
}

/* Handles the tag starting at s[i] == '<'; returns the position after it,
 * or 0 if the '<' is just text ("a < b"). */
static size_t tag(strip *st, size_t i)
{
    const char *s = st->s;
    size_t n = st->n;
    if (i + 1 >= n)
        return 0;
    char c = s[i + 1];
    if (c == '!') {
        if (i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
            size_t at = i + 4;
            for (; at + 2 < n; at++)
                if (s[at] == '-' && s[at + 1] == '-' && s[at + 2] == '>')
                    return at + 3;
            return n;
        }
        const char *gt = memchr(s + i, '>', n - i);
        return gt ? (size_t)(gt - s) + 1 : n;
    }
    if (c == '?') {
        const char *gt = memchr(s + i, '>', n - i);
        return gt ? (size_t)(gt - s) + 1 : n;
    }
    int closing = c == '/';
    size_t j = i + 1 + (size_t)closing;
    if (j >= n || tag_char[(unsigned char)s[j]] < 'a')
        return 0; /* not a letter */
    char name[16] = { 0 };
    size_t k = 0;
    uint32_t h = 2166136261u; /* tag_hash() of the name as it is read */
    for (unsigned char t; j < n && (t = tag_char[(unsigned char)s[j]]) != 0; j++)
        if (k + 1 < sizeof name) {
            name[k++] = (char)t;
            h = (h ^ t) * 16777619u;
        }
    const char *gt = memchr(s + j, '>', n - j);
    size_t end = gt ? (size_t)(gt - s) + 1 : n;

    unsigned f = tag_flags(name, (size_t)(h >> 24) & (TAG_SLOTS - 1));
    if (!closing && (f & T_RAW)) {
        int self_closing = end >= 2 && s[end - 2] == '/';
        st->want_break = 1;
        return self_closing ? end : skip_element(s, n, end, name);
    }
    if (f & T_HEAD) {
        st->in_head = !closing;
        return end;
    }
    if (f & T_TITLE) {
        st->in_title = !closing;
        st->want_break = 1;
        return end;
    }
    int block = (f & T_BLOCK) != 0;
    if (st->in_head && !closing && block)
        st->in_head = 0; /* a page without </head>: body content has started */
    if (f & T_BODY)
        st->in_head = 0;
    if (f & T_PRE)
        st->in_pre = !closing;
    if (f & T_CELL) {
        if (closing)
            st->want_cell = !st->line_empty;
        return end;
    }
    if (block) {
        st->want_break = 1;
        st->want_cell = 0;
    }
    return end;
}

/* Bytes that end a run of plain text: markup, entities, whitespace. */
static const unsigned char special[256] = {
    ['<'] = 1, ['&'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1,
};

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The first byte at or after j that ends a run of plain text, or n. */
static size_t run_end(const char *s, size_t j, size_t n)
{
#if defined(__SSE2__)
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), sp = _mm_set1_epi8(' ');
    const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'), ff = _mm_set1_epi8('\f');
    const __m128i cr = _mm_set1_epi8('\r');
    for (; j + 16 <= n; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, ff)));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, cr));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return j + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    while (j < n && !special[(unsigned char)s[j]])
        j++;
    return j;
}

void fz_html_strip(fz_html *h, const char *s, size_t n)
{
    pthread_once(&tag_once, build_tag_tab);
    fz_buf_reset(&h->text);
    fz_buf_reserve(&h->text, n + 1); /* stripping rarely adds bytes; a hint, not a bound */
    h->nsrc = 0;
    strip st = { .h = h, .s = s, .n = n, .line = 1, .line_empty = 1,
                 .has_cr = memchr(s, '\r', n) != NULL };
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            size_t next = tag(&st, i);
            if (next) {
                i = next;
                continue;
            }
        }
        int visible = !st.in_head || st.in_title;
        if (!visible) { /* only a tag can change that */
            const char *lt = memchr(s + i + 1, '<', n - i - 1);
            i = lt ? (size_t)(lt - s) : n;
            continue;
        }
        if (c == '&') {
            uint32_t cp;
            size_t k = fz_html_entity(s + i, n - i, &cp);
            if (k) {
                emit_cp(&st, i, cp);
                i += k;
                continue;
            }
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (st.in_pre && (c == '\n' || c == '\r'))
                st.want_break = 1;
            else
                st.want_space = 1;
            i++;
            continue;
        }
        /* a run of plain text goes out at once; the first character may be
         * a '<' or '&' that started no tag or entity */
        size_t j = run_end(s, i + 1, n);
        emit(&st, i, s + i, j - i);
        i = j;
    }
}
