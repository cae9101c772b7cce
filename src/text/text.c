/* text.c: normalization passes and the line map (see text.h).
 *
 * Speed: almost every report is UTF-8 that is already NFKC. Tables
 * generated at build time from ICU (gen/mktables.c, fz_text_tables.h) say
 * for each BMP code point whether NFKC with our control-character rules
 * leaves it unchanged in any context (PASS: NFKC_Quick_Check=Yes and
 * combining class 0), or replaces it by a fixed string whatever surrounds
 * it (MAP: full-width forms, U+3000, controls...). A line made only of PASS
 * characters is copied as is, one of PASS and MAP characters is mapped
 * without leaving UTF-8, and any other line goes through UTF-16 and
 * unorm2_normalize(). A 64 Ki-entry table built from those marks the
 * traditional-only characters and their simplified counterparts too, so the
 * script test costs nothing extra. Traditional-Simplified runs on UTF-8
 * from the generated copy of ICU's rules (same rules, same order). */
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "buf.h"
#include "err.h"
#include "fz_text_tables.h"
#include "textfilter.h"
#include "xalloc.h"

enum { CH_PASS = 1, CH_TRAD = 2, CH_SIMP = 4, CH_MAP = 8 };

/* Characters that exist only in traditional form, and the simplified form
 * of each at the same position. Pairs whose simplified form is also common
 * in traditional text (干/幹, 范/範, 斗/鬥, 么/麼, 强/強) are left out. */
static const char trad_chars[] =
    "這與會為國區發處辦務關時個們來對說經過機縣鎮擊傳條點實現導應產開報數當構問興員訴"
    "調網糾紛議執規審證級責進動組織領設學習講眾紀監門單業體書記長頭鄉項決嚴違綜聽論選"
    "讓認識權義總計積極協檢罰駐財資營環護衛醫療藥險賠償顧請將從還邊舉戰歷優勢廣東貴陽"
    "麗亞盡";
static const char simp_chars[] =
    "这与会为国区发处办务关时个们来对说经过机县镇击传条点实现导应产开报数当构问兴员诉"
    "调网纠纷议执规审证级责进动组织领设学习讲众纪监门单业体书记长头乡项决严违综听论选"
    "让认识权义总计积极协检罚驻财资营环护卫医疗药险赔偿顾请将从还边举战历优势广东贵阳"
    "丽亚尽";

static uint8_t char_tab[65536];
/* One bit per BMP code point (8 KiB, so it stays in L1 while a document is
 * scanned): set if the character needs a look at char_tab, i.e. it does
 * not pass unchanged or it is a traditional-only character. Simplified
 * counterparts are common in any text: they are counted only when the
 * count can matter (fz_text_process). */
static uint64_t look_bits[65536 / 64];
/* look_bits without the traditional-only characters, and look16 of it:
 * once a document has two traditional-only characters, the rest of it is
 * counted at once (both scripts) and pass 1 stops only at characters that
 * do not pass (see pass_normalize). */
static uint64_t look_bits_np[65536 / 64];
/* The traditional-only characters and their simplified counterparts, a
 * bit each (count_script). */
static uint64_t trad_bits[65536 / 64], simp_bits[65536 / 64];

/* look_bits by the first two bytes of a three-byte character read as one
 * 16-bit number (load16): the entry holds the word of the 64 characters
 * that share them, bit p[2] & 63 the character's. Only the entries of
 * lead bytes E0-EF and continuation bytes are filled (16 KiB of the table,
 * in 128 cache lines). */
static uint64_t look16[65536], look16_np[65536];

static inline unsigned load16(const unsigned char *p)
{
    uint16_t x;
    memcpy(&x, p, 2);
    return x;
}

/* The eight bytes at p, byte i in bits 8i..8i+7. */
static inline uint64_t load64le(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static inline int bit(const uint64_t *set, uint32_t c)
{
    return (int)(set[c >> 6] >> (c & 63) & 1);
}
static pthread_once_t char_tab_once = PTHREAD_ONCE_INIT;

static void mark_list(const char *s, uint8_t flag)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* the lists hold three-byte UTF-8 only */
        unsigned c = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 |
                     (p[2] & 0x3F);
        char_tab[c] |= flag;
        p += 3;
    }
}

/* Entry + 1 of each BMP code point in gen_map_cp and gen_ts_cp (0: none). */
static uint16_t map_idx[65536], ts_idx[65536];

static void build_char_tab(void)
{
    for (uint32_t c = 0; c < 0x10000; c++)
        char_tab[c] = (uint8_t)(bit(gen_pass, c) * CH_PASS | bit(gen_map, c) * CH_MAP);
    for (size_t i = 0; i < GEN_NMAP; i++)
        map_idx[gen_map_cp[i]] = (uint16_t)(i + 1);
    for (size_t i = 0; i < GEN_NTS; i++)
        ts_idx[gen_ts_cp[i]] = (uint16_t)(i + 1);
    mark_list(trad_chars, CH_TRAD);
    mark_list(simp_chars, CH_SIMP);
    for (uint32_t c = 0; c < 0x10000; c++)
        if (!(char_tab[c] & CH_PASS) || (char_tab[c] & CH_TRAD))
            look_bits[c >> 6] |= (uint64_t)1 << (c & 63);
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint64_t m = (uint64_t)1 << (c & 63);
        if (!(char_tab[c] & CH_PASS))
            look_bits_np[c >> 6] |= m;
        if (char_tab[c] & CH_TRAD)
            trad_bits[c >> 6] |= m;
        if (char_tab[c] & CH_SIMP)
            simp_bits[c >> 6] |= m;
    }
    for (unsigned b0 = 0xE0; b0 <= 0xEF; b0++)
        for (unsigned b1 = 0x80; b1 <= 0xBF; b1++)
        {
            const unsigned char two[2] = { (unsigned char)b0, (unsigned char)b1 };
            look16[load16(two)] = look_bits[(b0 & 0x0F) << 6 | (b1 & 0x3F)];
            look16_np[load16(two)] = look_bits_np[(b0 & 0x0F) << 6 | (b1 & 0x3F)];
        }
}

typedef struct u32vec {
    uint32_t *v;
    size_t n, cap;
} u32vec;

/* Room for at least need entries. */
static void u32_reserve(u32vec *a, size_t need)
{
    if (need <= a->cap)
        return;
    size_t c = a->cap ? a->cap : 256;
    while (c < need)
        c *= 2;
    a->v = fz_xreallocarray(a->v, c, sizeof *a->v);
    a->cap = c;
}

static inline void u32_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap)
        u32_reserve(a, a->n + 1);
    a->v[a->n++] = x;
}

struct fz_text {
    const UNormalizer2 *nfkc;
    size_t transliterated;      /* documents converted to simplified */

    UChar *u1, *u2;             /* UTF-16 scratch for the slow paths */
    size_t cap1, cap2;          /* in UChars */

    fz_buf norm, tmp, out;      /* pass 1/2 text, pass 3 text */
    u32vec noff, nsrc, npage;   /* per normalized line */
    u32vec ooff, osrc;          /* per output line */
    uint16_t *opage;
    size_t capopage;
    size_t ntrad;               /* traditional-only characters of the current document */
    const unsigned char *simp_from; /* where the input was counted at once */
    size_t nsimp;               /* the counterparts counted from there */
};

fz_text *fz_text_new(void)
{
    fz_text *t = fz_xcalloc(1, sizeof *t);
    fz_buf_init(&t->norm);
    fz_buf_init(&t->tmp);
    fz_buf_init(&t->out);
    return t;
}

void fz_text_free(fz_text *t)
{
    if (!t)
        return;
    free(t->u1);
    free(t->u2);
    fz_buf_release(&t->norm);
    fz_buf_release(&t->tmp);
    fz_buf_release(&t->out);
    free(t->noff.v);
    free(t->nsrc.v);
    free(t->npage.v);
    free(t->ooff.v);
    free(t->osrc.v);
    free(t->opage);
    free(t);
}

size_t fz_text_transliterated(const fz_text *t)
{
    return t->transliterated;
}

static void grow16(UChar **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    *p = fz_xreallocarray(*p, c, sizeof **p);
    *cap = c;
}

/* Decodes one code point of valid UTF-8 at s; *k gets its length. */
static inline uint32_t utf8_next(const unsigned char *s, int *k)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *k = 1;
        return c;
    }
    if (c < 0xE0) {
        *k = 2;
        return (c & 0x1F) << 6 | (s[1] & 0x3F);
    }
    if (c < 0xF0) {
        *k = 3;
        return (c & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    *k = 4;
    return (c & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 | (unsigned)(s[2] & 0x3F) << 6 |
           (s[3] & 0x3F);
}

/* Counts script characters in [p, e) (valid UTF-8). */
static void count_script(const unsigned char *p, const unsigned char *e, size_t *trad,
                         size_t *simp)
{
    size_t nt = 0, ns = 0;
    while (p < e) {
        unsigned c = *p;
        if ((c & 0xF0) == 0xE0) { /* the lists hold three-byte characters only */
            unsigned w = (c & 0x0Fu) << 6 | (p[1] & 0x3Fu), b = p[2] & 63u;
            nt += trad_bits[w] >> b & 1;
            ns += simp_bits[w] >> b & 1;
            p += 3;
        } else
            p += c < 0x80 ? 1 : c < 0xE0 ? 2 : 4; /* as utf8_next */
    }
    *trad += nt;
    *simp += ns;
}

void fz_text_count_script(const char *s, size_t n, size_t *trad, size_t *simp)
{
    pthread_once(&char_tab_once, build_char_tab);
    *trad = *simp = 0;
    count_script((const unsigned char *)s, (const unsigned char *)s + n, trad, simp);
}

/* Appends UTF-16 u[0..n) to b as UTF-8. */
static void add_utf16(fz_buf *b, const UChar *u, size_t n)
{
    fz_buf_reserve(b, n * 3 + 1);
    int32_t olen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strToUTF8WithSub(b->data + b->len, (int32_t)(b->cap - b->len), &olen, u, (int32_t)n,
                       0xFFFD, NULL, &st);
    if (U_SUCCESS(st))
        b->len += (size_t)olen;
    b->data[b->len] = '\0';
}

/* UTF-8 [s, s+n) to UTF-16 in t->u1; returns the length. */
static size_t to_u1(fz_text *t, const char *s, size_t n)
{
    grow16(&t->u1, &t->cap1, n + 1);
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8WithSub(t->u1, (int32_t)t->cap1, &ulen, s, (int32_t)n, 0xFFFD, NULL, &st);
    return U_SUCCESS(st) ? (size_t)ulen : 0;
}

/* The slow path for one line: NFKC through UTF-16, then drop controls. */
static void normalize_slow(fz_text *t, const char *s, size_t n, fz_buf *b)
{
    size_t ulen = to_u1(t, s, n);
    grow16(&t->u2, &t->cap2, ulen * 3 + 16);
    UErrorCode st = U_ZERO_ERROR;
    int32_t nlen = unorm2_normalize(t->nfkc, t->u1, (int32_t)ulen, t->u2, (int32_t)t->cap2, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        grow16(&t->u2, &t->cap2, (size_t)nlen + 1);
        st = U_ZERO_ERROR;
        nlen = unorm2_normalize(t->nfkc, t->u1, (int32_t)ulen, t->u2, (int32_t)t->cap2, &st);
    }
    if (U_FAILURE(st))
        nlen = 0;
    int32_t w = 0;
    for (int32_t i = 0; i < nlen;) {
        int32_t start = i;
        UChar32 c;
        U16_NEXT(t->u2, i, nlen, c);
        if (c == '\t') {
            t->u2[w++] = ' ';
            continue;
        }
        if (u_charType(c) == U_CONTROL_CHAR || fz_text_invisible(c))
            continue;
        while (start < i)
            t->u2[w++] = t->u2[start++];
    }
    add_utf16(b, t->u2, (size_t)w);
}

/* Removes spaces at both ends of the line that starts at b->data + from. */
static void trim_from(fz_buf *b, size_t from)
{
    size_t s = from;
    while (s < b->len && b->data[s] == ' ')
        s++;
    size_t e = b->len;
    while (e > s && b->data[e - 1] == ' ')
        e--;
    if (s > from)
        memmove(b->data + from, b->data + s, e - s);
    b->len = from + (e - s);
    b->data[b->len] = '\0';
}

/* Writes the replacement form s[0..n) at w (most forms are one ASCII
 * byte: full-width punctuation); returns the end. */
static inline unsigned char *put_form(unsigned char *w, const char *s, size_t n)
{
    if (n == 1) {
        *w = (unsigned char)*s;
        return w + 1;
    }
    memcpy(w, s, n);
    return w + n;
}

/* Writes the k bytes (1 to 4) of the character at p at w; returns the end
 * (without a call to memcpy for a length the compiler does not know). */
static inline unsigned char *put_char(unsigned char *w, const unsigned char *p, int k)
{
    w[0] = p[0];
    if (k > 1) {
        w[1] = p[1];
        if (k > 2) {
            w[2] = p[2];
            if (k > 3)
                w[3] = p[3];
        }
    }
    return w + k;
}

/* Scans one line from p up to a line break and appends it to t->norm,
 * normalized: returns the end of the line's text; *brk gets the break's
 * length (0 at the end of the input) and *hard whether it advances the
 * source line count (LF, CR, CRLF). Characters are written as they are
 * scanned (no run is copied again when a character changes): PASS
 * characters as they are, MAP characters as their form; a line with any
 * other character is normalized by ICU instead. Counts traditional-only
 * characters until the document has two of them (pass_normalize counts
 * the lines from t->simp_from on at once). */
static const unsigned char *scan_line(fz_text *t, const unsigned char *p,
                                      const unsigned char *e, size_t *brk, int *hard)
{
    fz_buf *b = &t->norm;
    /* leading spaces, tabs and U+3000 (indentation) become spaces that the
     * trim drops: passed over here instead of copied and moved (a space
     * composes with nothing, so NFKC of the rest is the same) */
    while (p < e && (*p == ' ' || *p == '\t' ||
                     (*p == 0xE3 && e - p >= 3 && p[1] == 0x80 && p[2] == 0x80)))
        p += *p == 0xE3 ? 3 : 1;
    const unsigned char *line = p;
    size_t from = b->len;
    /* the line is at most as long as the rest of the input, plus what
     * mapped characters add (reserved as they come); the two-character
     * step stores eight bytes where it keeps six */
    fz_buf_reserve(b, (size_t)(e - p) + 8);
    unsigned char *w = (unsigned char *)b->data + b->len;
    const uint64_t *l16 = t->simp_from ? look16_np : look16;
    const uint64_t *lb = t->simp_from ? look_bits_np : look_bits;
    int icu = 0;
    *brk = 0;
    *hard = 0;
    while (p < e) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c >= 0x20 && c != 0x7F) {
                *w++ = (unsigned char)c;
                p++;
                continue;
            }
            if (c == '\n') {
                *brk = 1;
                *hard = 1;
                break;
            }
            if (c == '\r') {
                *brk = p + 1 < e && p[1] == '\n' ? 2 : 1;
                *hard = 1;
                break;
            }
            if (c == '\f' || c == '\v') {
                *brk = 1;
                break;
            }
            if (!(char_tab[c] & CH_MAP))
                icu = 1;
            else { /* controls: dropped, tab: space (not longer than the control) */
                size_t m = map_idx[c] - 1u, n = gen_map_off[m + 1] - gen_map_off[m];
                memcpy(w, gen_map_str + gen_map_off[m], n);
                w += n;
            }
            p++;
            continue;
        }
        uint32_t cp;
        int k, look;
        if ((c & 0xF0) == 0xE0) { /* CJK: the common case */
            /* copy the run of three-byte characters nobody needs to look
             * at; the look_bits word and bit come straight from the bytes,
             * two characters at a time while eight bytes are left */
            while (p + 8 <= e) {
                uint64_t two = load64le(p);
                if ((two & 0xF00000F0u) != 0xE00000E0u ||
                    ((l16[load16(p)] >> (p[2] & 63)) | (l16[load16(p + 3)] >> (p[5] & 63))) & 1)
                    break;
                memcpy(w, p, 8);
                w += 6;
                p += 6;
            }
            c = *p;
            if ((c & 0xF0) != 0xE0)
                continue;
            while (!(l16[load16(p)] >> (p[2] & 63) & 1)) {
                memcpy(w, p, 3);
                w += 3;
                p += 3;
                if (p >= e || ((c = *p) & 0xF0) != 0xE0)
                    break;
            }
            if (p >= e || (c & 0xF0) != 0xE0)
                continue;
            cp = (c & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            k = 3;
            look = 1; /* the loops above stop only at a character with its bit */
        } else {
            cp = utf8_next(p, &k);
            if (cp > 0xFFFF)
                icu = 1;
            look = cp <= 0xFFFF && bit(lb, cp);
        }
        if (look) {
            uint8_t f = char_tab[cp];
            if (lb == look_bits) /* else counted already */
                t->ntrad += (f & CH_TRAD) != 0;
            if (!(f & CH_PASS)) {
                if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                    *brk = (size_t)k;
                    break;
                }
                if (!(f & CH_MAP))
                    icu = 1;
                else {
                    size_t m = map_idx[cp] - 1u; /* CH_MAP: the entry exists */
                    size_t n = gen_map_off[m + 1] - gen_map_off[m];
                    if (n > (size_t)k) { /* longer than the character: make room */
                        size_t at = (size_t)(w - (unsigned char *)b->data);
                        b->len = at;
                        fz_buf_reserve(b, n + (size_t)(e - p) + 8);
                        w = (unsigned char *)b->data + at;
                    }
                    w = put_form(w, gen_map_str + gen_map_off[m], n);
                    p += k;
                    continue;
                }
            }
        }
        w = put_char(w, p, k);
        p += k;
    }
    if (icu) {
        b->len = from;
        normalize_slow(t, (const char *)line, (size_t)(p - line), b);
    } else
        b->len = (size_t)(w - (unsigned char *)b->data);
    trim_from(b, from);
    fz_buf_addc(b, '\n');
    return p;
}

static uint32_t page_at(const fz_text_input *in, size_t off, size_t *cursor)
{
    if (!in->page_off || in->npages == 0)
        return 0;
    while (*cursor + 1 < in->npages && in->page_off[*cursor + 1] <= off)
        (*cursor)++;
    return (uint32_t)(*cursor + 1);
}

static uint32_t src_of(const fz_text_input *in, size_t phys)
{
    if (!in->src)
        return phys + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(phys + 1);
    if (in->nsrc == 0)
        return 1;
    return in->src[phys < in->nsrc ? phys : in->nsrc - 1];
}

/* Pass 1: split, normalize, count traditional-only characters. */
static void pass_normalize(fz_text *t, const fz_text_input *in)
{
    const unsigned char *s = (const unsigned char *)in->s, *e = s + in->len, *p = s;
    size_t phys = 0, pcur = 0; /* 0-based physical (LF/CR) line; page cursor */
    while (p < e) {
        int hard;
        size_t brk;
        u32_push(&t->noff, (uint32_t)t->norm.len);
        u32_push(&t->nsrc, src_of(in, phys));
        u32_push(&t->npage, page_at(in, (size_t)(p - s), &pcur));
        if (t->ntrad >= 2 && !t->simp_from) {
            /* the script characters of the rest at once: pass 1 stops at
             * each of them no more (in a traditional document, every few
             * characters) */
            size_t trad = 0;
            count_script(p, e, &trad, &t->nsimp);
            t->ntrad += trad;
            t->simp_from = p;
        }
        if (*p == '\n' || *p == '\r') { /* an empty line (a report has many): its break */
            fz_buf_addc(&t->norm, '\n');
            phys++;
            p += *p == '\r' && p + 1 < e && p[1] == '\n' ? 2 : 1;
            continue;
        }
        const unsigned char *end = scan_line(t, p, e, &brk, &hard);
        phys += (size_t)hard;
        p = end + brk;
    }
}

/* Writes the line [p, e) at w converted by the generated
 * Traditional-Simplified rules: at each character the first of its
 * multi-character rules that matches, else its one-character rule (ICU's
 * order and cursor). Returns the end; w has room for (e - p) * (1 +
 * GEN_TS_GROW) bytes. */
static unsigned char *simplify_line(unsigned char *w, const unsigned char *p,
                                    const unsigned char *e)
{
    while (p < e) {
        /* a three-byte character without a rule (most of them): its bit of
         * gen_ts straight from the bytes */
        if ((*p & 0xF0) == 0xE0 &&
            !(gen_ts[(p[0] & 0x0Fu) << 6 | (p[1] & 0x3Fu)] >> (p[2] & 63) & 1)) {
            memcpy(w, p, 3);
            w += 3;
            p += 3;
            continue;
        }
        int k;
        uint32_t cp = utf8_next(p, &k);
        if (cp > 0xFFFF || !bit(gen_ts, cp)) {
            w = put_char(w, p, k);
            p += k;
            continue;
        }
        long i = (long)ts_idx[cp] - 1;
        uint32_t r = i >= 0 ? gen_ts_rule[i] : 0, rend = i >= 0 ? gen_ts_rule[i + 1] : 0;
        for (; r < rend; r++) {
            /* the rule's source starts with this character: the bytes
             * after it are compared, the first of them deciding most
             * comparisons (no memcmp call) */
            const unsigned char *src = (const unsigned char *)gen_ts_str + gen_ts_src[r];
            size_t ns = gen_ts_dst[r] - gen_ts_src[r], j = (size_t)k;
            if ((size_t)(e - p) < ns)
                continue;
            while (j < ns && p[j] == src[j])
                j++;
            if (j == ns) {
                size_t nd = gen_ts_src[r + 1] - gen_ts_dst[r];
                memcpy(w, gen_ts_str + gen_ts_dst[r], nd);
                w += nd;
                p += ns;
                break;
            }
        }
        if (r == rend) {
            uint32_t to = i >= 0 ? gen_ts_one[i] : cp;
            if (to >= 0x800) {
                w[0] = (unsigned char)(0xE0 | to >> 12);
                w[1] = (unsigned char)(0x80 | (to >> 6 & 0x3F));
                w[2] = (unsigned char)(0x80 | (to & 0x3F));
                w += 3;
            } else if (to >= 0x80) {
                w[0] = (unsigned char)(0xC0 | to >> 6);
                w[1] = (unsigned char)(0x80 | (to & 0x3F));
                w += 2;
            } else
                *w++ = (unsigned char)to;
            p += k;
        }
    }
    return w;
}

/* Pass 2: Traditional-Simplified on every line into t->tmp, which then
 * becomes t->norm (line offsets are rewritten as lines are written). */
static void pass_simplify(fz_text *t)
{
    t->transliterated++;
    fz_buf_reset(&t->tmp);
    fz_buf_reserve(&t->tmp, t->norm.len * (1 + GEN_TS_GROW) + 16);
    const unsigned char *s = (const unsigned char *)t->norm.data;
    unsigned char *o = (unsigned char *)t->tmp.data, *w = o;
    for (size_t i = 0; i < t->noff.n; i++) {
        size_t a = t->noff.v[i];
        size_t b = i + 1 < t->noff.n ? t->noff.v[i + 1] : t->norm.len;
        t->noff.v[i] = (uint32_t)(w - o); /* line i in the new text; a and b are read */
        w = simplify_line(w, s + a, s + b - 1);
        *w++ = '\n';
    }
    t->tmp.len = (size_t)(w - o);
    t->tmp.data[t->tmp.len] = '\0';
    fz_buf tmp = t->norm;
    t->norm = t->tmp;
    t->tmp = tmp;
}

/* Appends a line and its '\n'; pass_filter reserved room for every line
 * of t->norm (the output is never longer). */
static inline void out_line(fz_text *t, const char *s, size_t n, uint32_t src, uint32_t page)
{
    size_t i = t->ooff.n++;
    t->ooff.v[i] = (uint32_t)t->out.len;
    t->osrc.v[i] = src;
    t->osrc.n = i + 1;
    t->opage[i] = page > UINT16_MAX ? UINT16_MAX : (uint16_t)page;
    memcpy(t->out.data + t->out.len, s, n);
    t->out.len += n;
    t->out.data[t->out.len++] = '\n';
}

/* Pass 3: furniture and blank lines. */
static void pass_filter(fz_text *t, fz_text_result *res)
{
    int pending_blank = 0;
    uint32_t blank_src = 0, blank_page = 0; /* first line of the blank run */
    size_t dropped = 0;
    /* every output line is a line of t->norm, or a blank one standing for
     * a run of them */
    fz_buf_reserve(&t->out, t->norm.len + 1);
    u32_reserve(&t->ooff, t->noff.n);
    u32_reserve(&t->osrc, t->noff.n);
    if (t->ooff.cap > t->capopage) {
        t->capopage = t->ooff.cap;
        t->opage = fz_xreallocarray(t->opage, t->capopage, sizeof *t->opage);
    }
    for (size_t i = 0; i < t->noff.n; i++) {
        size_t a = t->noff.v[i];
        size_t b = i + 1 < t->noff.n ? t->noff.v[i + 1] : t->norm.len;
        const char *s = t->norm.data + a;
        size_t n = b - a - 1;
        if (n == 0) {
            if (!pending_blank && t->ooff.n > 0) {
                pending_blank = 1;
                blank_src = t->nsrc.v[i];
                blank_page = t->npage.v[i];
            }
            continue;
        }
        if (fz_text_is_furniture(s, n)) {
            dropped++;
            continue;
        }
        if (pending_blank)
            out_line(t, "", 0, blank_src, blank_page);
        pending_blank = 0;
        out_line(t, s, n, t->nsrc.v[i], t->npage.v[i]);
    }
    t->out.data[t->out.len] = '\0';
    res->furniture = dropped;
}

int fz_text_process(fz_text *t, const fz_text_input *in, fz_text_result *res)
{
    pthread_once(&char_tab_once, build_char_tab);
    memset(res, 0, sizeof *res);
    res->text = "";
    UErrorCode st = U_ZERO_ERROR;
    if (!t->nfkc)
        t->nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st) || !t->nfkc)
        return FZ_EDEP;

    fz_buf_reset(&t->norm);
    fz_buf_reset(&t->out);
    t->noff.n = t->nsrc.n = t->npage.n = t->ooff.n = t->osrc.n = 0;
    t->ntrad = 0;
    t->simp_from = NULL;
    t->nsimp = 0;

    pass_normalize(t, in);
    /* A traditional document has almost no simplified counterparts; a
     * simplified one quoting a traditional name has many. They are counted
     * on the input, as the traditional ones: by pass_normalize from the
     * line after its second traditional-only character, here before. */
    size_t nsimp = 0, ntrad = 0;
    if (t->ntrad >= 2) {
        const unsigned char *s = (const unsigned char *)in->s;
        count_script(s, t->simp_from ? t->simp_from : s + in->len, &ntrad, &nsimp);
        nsimp += t->nsimp;
    }
    if (t->ntrad >= 2 && t->ntrad > nsimp * 2) {
        pass_simplify(t);
        res->traditional = 1;
    }
    if (t->norm.len >= UINT32_MAX - 1)
        return FZ_ELIMIT;
    pass_filter(t, res);

    res->text = t->out.data;
    res->len = t->out.len;
    res->nlines = t->ooff.n;
    res->line_off = t->ooff.v;
    res->line_src = t->osrc.v;
    res->line_page = t->opage;
    return 0;
}
