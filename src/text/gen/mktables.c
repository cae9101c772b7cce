/* mktables.c: writes the character tables of src/text/text.c from the ICU
 * the project is built with (run at build time by CMake; the output is a C
 * header, never checked in, so the tables cannot drift from ICU).
 *
 *   1. PASS: BMP code points that NFKC and the control filter of text.c
 *      leave unchanged in every context (NFKC_Quick_Check=Yes, combining
 *      class 0, not a control, invisible format character or U+2028/9).
 *   2. MAP: other BMP code points whose NFKC form is made only of
 *      characters with NFKC_Quick_Check=Yes and combining class 0. Any
 *      string of PASS and MAP characters normalizes to the concatenation
 *      of their forms (the forms are compatibility equivalent to the
 *      characters and their concatenation is already NFKC), so such a line
 *      never needs ICU. The stored form has the control filter applied.
 *   3. TS: ICU's "Traditional-Simplified" transliterator as its literal
 *      rules (utrans_toRules): per first character, the multi-character
 *      rules in ICU's order and the one-character rule. ICU applies the
 *      first rule, in rule order, that matches at the cursor and continues
 *      after the matched text; text.c does the same. Anything in the rules
 *      that is not a plain "source > target;" pair of BMP strings stops
 *      the build, and every table entry is checked against ICU here.
 *
 * Usage: mktables OUTPUT.h. Exit status 1 with a message on any mismatch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "../textfilter.h"

static void die(const char *what)
{
    fprintf(stderr, "mktables: %s\n", what);
    exit(1);
}

static uint64_t pass_bits[1024], map_bits[1024], ts_bits[1024];

static void set_bit(uint64_t *b, uint32_t c)
{
    b[c >> 6] |= (uint64_t)1 << (c & 63);
}

static int filtered(UChar32 c)
{
    return u_charType(c) == U_CONTROL_CHAR || fz_text_invisible(c);
}

static int starter_yes(UChar32 c)
{
    return u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES &&
           u_getCombiningClass(c) == 0;
}

/* a growing byte pool with offsets */
typedef struct pool {
    char *s;
    size_t n, cap;
} pool;

static void pool_add(pool *p, const char *s, size_t n)
{
    if (p->n + n + 1 > p->cap) {
        p->cap = (p->n + n + 1) * 2;
        p->s = realloc(p->s, p->cap);
        if (!p->s)
            die("out of memory");
    }
    memcpy(p->s + p->n, s, n);
    p->n += n;
}

static size_t put_utf8(char *o, UChar32 c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static void pool_add16(pool *p, const UChar *u, int32_t n)
{
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        char o[4];
        pool_add(p, o, put_utf8(o, c));
    }
}

/* ---- NFKC ----------------------------------------------------------- */

static uint16_t map_cp[65536];
static uint32_t map_off[65537];
static size_t nmap;
static pool map_str;

static void build_nfkc(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st))
        die("no NFKC data");
    for (UChar32 c = 0; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        if (c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0x2028 ||
            c == 0x2029)
            continue; /* line breaks: text.c splits lines there */
        if (!filtered(c) && starter_yes(c)) {
            set_bit(pass_bits, (uint32_t)c);
            continue;
        }
        UChar in[1] = { (UChar)c }, out[64];
        st = U_ZERO_ERROR;
        int32_t n = unorm2_normalize(nfkc, in, 1, out, 64, &st);
        if (U_FAILURE(st))
            die("unorm2_normalize failed");
        int ok = 1;
        for (int32_t i = 0; i < n && ok;) {
            UChar32 d;
            U16_NEXT(out, i, n, d);
            ok = starter_yes(d);
        }
        if (!ok)
            continue;
        set_bit(map_bits, (uint32_t)c);
        map_cp[nmap] = (uint16_t)c;
        map_off[nmap] = (uint32_t)map_str.n;
        size_t at = map_str.n;
        for (int32_t i = 0; i < n;) {
            UChar32 d;
            U16_NEXT(out, i, n, d);
            if (d == '\t')
                d = ' ';
            else if (filtered(d))
                continue;
            char o[4];
            size_t len = put_utf8(o, d);
            pool_add(&map_str, o, len);
        }
        if (c < 0x80 && map_str.n - at > 1)
            die("an ASCII control has a form longer than one byte"); /* text.c relies on it */
        nmap++;
    }
    map_off[nmap] = (uint32_t)map_str.n;
}

/* ---- Traditional-Simplified ----------------------------------------- */

typedef struct rule {
    UChar src[64], dst[64];
    int32_t nsrc, ndst;
} rule;

static rule *rules;
static size_t nrules;

static int syntax_char(UChar c)
{
    return c < 0x20 || (c < 0x80 && strchr("{}[]$|?*+()'\\&:;=<>^!#@%~`\"/.,-", c)) ||
           U16_IS_SURROGATE(c);
}

/* Parses "source > target;" lines; anything else stops the build. */
static void parse_rules(const UChar *u, int32_t n)
{
    size_t cap = 0;
    int32_t i = 0;
    while (i < n) {
        int32_t e = i;
        while (e < n && u[e] != '\n')
            e++;
        int32_t len = e - i;
        const UChar *l = u + i;
        i = e + 1;
        if (len == 0)
            continue;
        int32_t gt = -1;
        for (int32_t k = 0; k + 2 < len; k++)
            if (l[k] == ' ' && l[k + 1] == '>' && l[k + 2] == ' ') {
                gt = k;
                break;
            }
        if (gt <= 0 || l[len - 1] != ';')
            die("a Traditional-Simplified rule is not of the form 'source > target;'");
        int32_t ns = gt, nd = len - 1 - (gt + 3);
        if (ns > 63 || nd > 63 || nd < 0)
            die("a Traditional-Simplified rule is too long");
        for (int32_t k = 0; k < ns; k++)
            if (syntax_char(l[k]) || l[k] == ' ')
                die("a Traditional-Simplified rule source is not a plain BMP string");
        for (int32_t k = 0; k < nd; k++)
            if (syntax_char(l[gt + 3 + k]) || l[gt + 3 + k] == ' ')
                die("a Traditional-Simplified rule target is not a plain BMP string");
        if (nrules == cap) {
            cap = cap ? cap * 2 : 1024;
            rules = realloc(rules, cap * sizeof *rules);
            if (!rules)
                die("out of memory");
        }
        rule *r = &rules[nrules++];
        memcpy(r->src, l, (size_t)ns * sizeof *l);
        memcpy(r->dst, l + gt + 3, (size_t)nd * sizeof *l);
        r->nsrc = ns;
        r->ndst = nd;
    }
}

static UTransliterator *ts;

static int32_t icu_trans(const UChar *in, int32_t n, UChar *out, int32_t cap)
{
    u_memcpy(out, in, n);
    int32_t len = n, limit = n;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(ts, out, &len, cap, 0, &limit, &st);
    if (U_FAILURE(st))
        die("utrans_transUChars failed");
    return len;
}

/* per first character: the one-character rule and the range of its
 * multi-character rules (indices into rules[], in ICU's order) */
static int32_t one[65536];       /* target, or -1 */
static uint32_t *multi_of[65536];
static uint32_t nmulti_of[65536];

static void build_ts(void)
{
    UErrorCode st = U_ZERO_ERROR;
    static const UChar id[] = { 'T', 'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', '-',
                                'S', 'i', 'm', 'p', 'l', 'i', 'f', 'i', 'e', 'd', 0 };
    ts = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st))
        die("no Traditional-Simplified transliterator");
    int32_t n = utrans_toRules(ts, 0, NULL, 0, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        die("utrans_toRules failed");
    UChar *u = malloc(((size_t)n + 1) * sizeof *u);
    if (!u)
        die("out of memory");
    st = U_ZERO_ERROR;
    utrans_toRules(ts, 0, u, n + 1, &st);
    if (U_FAILURE(st))
        die("utrans_toRules failed");
    parse_rules(u, n);
    free(u);

    for (int c = 0; c < 65536; c++)
        one[c] = -1;
    for (size_t i = 0; i < nrules; i++) {
        const rule *r = &rules[i];
        UChar f = r->src[0];
        if (r->nsrc == 1) {
            if (one[f] >= 0)
                continue; /* a later rule for the same character never applies */
            if (r->ndst != 1)
                die("a one-character Traditional-Simplified rule has a longer target");
            one[f] = r->dst[0];
            continue;
        }
        if (one[f] >= 0)
            die("a multi-character rule follows the one-character rule of its first "
                "character (ICU would never apply it)");
        multi_of[f] = realloc(multi_of[f], (nmulti_of[f] + 1) * sizeof **multi_of);
        if (!multi_of[f])
            die("out of memory");
        multi_of[f][nmulti_of[f]++] = (uint32_t)i;
    }

    /* check: every BMP character alone, and every rule source alone */
    for (UChar32 c = 0; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        UChar in[1] = { (UChar)c }, out[16];
        int32_t k = icu_trans(in, 1, out, 16);
        UChar want = one[c] >= 0 ? (UChar)one[c] : (UChar)c;
        if (k != 1 || out[0] != want) {
            fprintf(stderr, "mktables: U+%04X: ICU and the rules differ\n", (unsigned)c);
            exit(1);
        }
    }
    for (size_t i = 0; i < nrules; i++) {
        UChar out[256];
        int32_t k = icu_trans(rules[i].src, rules[i].nsrc, out, 256);
        if (rules[i].nsrc > 1 && (k != rules[i].ndst || u_memcmp(out, rules[i].dst, k) != 0)) {
            fprintf(stderr, "mktables: rule %zu: ICU and the rules differ\n", i);
            exit(1);
        }
    }
}

/* ---- output --------------------------------------------------------- */

static void put_bits(FILE *f, const char *name, const uint64_t *b)
{
    fprintf(f, "static const uint64_t %s[1024] = {\n", name);
    for (int i = 0; i < 1024; i++)
        fprintf(f, "0x%016llxULL,%s", (unsigned long long)b[i], i % 4 == 3 ? "\n" : " ");
    fprintf(f, "};\n");
}

static void put_u32(FILE *f, const char *type, const char *name, const uint32_t *v, size_t n)
{
    fprintf(f, "static const %s %s[%zu] = {\n", type, name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%u,%s", v[i], i % 12 == 11 ? "\n" : " ");
    fprintf(f, "};\n");
}

static void put_str(FILE *f, const char *name, const pool *p)
{
    fprintf(f, "static const char %s[%zu] =\n\"", name, p->n + 1);
    for (size_t i = 0; i < p->n; i++) {
        fprintf(f, "\\x%02x", (unsigned char)p->s[i]);
        if (i % 24 == 23 && i + 1 < p->n)
            fprintf(f, "\"\n\"");
    }
    fprintf(f, "\";\n");
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: mktables OUTPUT.h");
    build_nfkc();
    build_ts();

    /* TS entries: characters with a one-character rule that changes them
     * or with multi-character rules */
    uint32_t *ts_cp = malloc(65536 * sizeof *ts_cp), *ts_one = malloc(65536 * sizeof *ts_one);
    uint32_t *ts_rule = malloc(65537 * sizeof *ts_rule);
    uint32_t *r_src = malloc((nrules + 1) * sizeof *r_src);
    uint32_t *r_dst = malloc((nrules + 1) * sizeof *r_dst);
    if (!ts_cp || !ts_one || !ts_rule || !r_src || !r_dst)
        die("out of memory");
    pool ts_str = { 0 };
    size_t nts = 0, nr = 0;
    /* the most UTF-8 bytes a rule's target has beyond its source */
    size_t grow = 0;
    for (uint32_t c = 0; c < 0x10000; c++) {
        int changes = one[c] >= 0 && one[c] != (int32_t)c;
        if (!changes && nmulti_of[c] == 0)
            continue;
        set_bit(ts_bits, c);
        ts_cp[nts] = c;
        ts_one[nts] = one[c] >= 0 ? (uint32_t)one[c] : c;
        char o1[4], o2[4];
        size_t n1 = put_utf8(o1, (int32_t)ts_one[nts]), n2 = put_utf8(o2, (int32_t)c);
        if (n1 > n2 + grow)
            grow = n1 - n2;
        ts_rule[nts] = (uint32_t)nr;
        for (uint32_t k = 0; k < nmulti_of[c]; k++) {
            const rule *r = &rules[multi_of[c][k]];
            r_src[nr] = (uint32_t)ts_str.n;
            pool_add16(&ts_str, r->src, r->nsrc);
            r_dst[nr] = (uint32_t)ts_str.n;
            pool_add16(&ts_str, r->dst, r->ndst);
            size_t nsrc = r_dst[nr] - r_src[nr], ndst = ts_str.n - r_dst[nr];
            if (ndst > nsrc + grow)
                grow = ndst - nsrc;
            nr++;
        }
        nts++;
    }
    ts_rule[nts] = (uint32_t)nr;
    r_src[nr] = (uint32_t)ts_str.n;

    /* written under a temporary name, so a failed run leaves no header */
    size_t pl = strlen(argv[1]);
    char *tmp = malloc(pl + 5);
    if (!tmp)
        die("out of memory");
    memcpy(tmp, argv[1], pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die("cannot write the output");
    fprintf(f, "/* Generated by src/text/gen/mktables.c from ICU %s; do not edit. */\n",
            U_ICU_VERSION);
    fprintf(f, "#define GEN_NMAP %zu\n#define GEN_NTS %zu\n#define GEN_NRULES %zu\n", nmap, nts,
            nr);
    /* a rule consumes a character or more: the output of n bytes has at
     * most n * (1 + GEN_TS_GROW) bytes */
    fprintf(f, "#define GEN_TS_GROW %zu\n", grow);
    put_bits(f, "gen_pass", pass_bits);
    put_bits(f, "gen_map", map_bits);
    uint32_t *mc = malloc((nmap + 1) * sizeof *mc);
    if (!mc)
        die("out of memory");
    for (size_t i = 0; i < nmap; i++)
        mc[i] = map_cp[i];
    put_u32(f, "uint16_t", "gen_map_cp", mc, nmap);
    put_u32(f, "uint32_t", "gen_map_off", map_off, nmap + 1);
    put_str(f, "gen_map_str", &map_str);
    put_bits(f, "gen_ts", ts_bits);
    put_u32(f, "uint16_t", "gen_ts_cp", ts_cp, nts);
    put_u32(f, "uint16_t", "gen_ts_one", ts_one, nts);
    put_u32(f, "uint32_t", "gen_ts_rule", ts_rule, nts + 1);
    /* rule k: source at gen_ts_str + gen_ts_src[k] up to gen_ts_dst[k], target
     * from there up to gen_ts_src[k + 1] */
    put_u32(f, "uint32_t", "gen_ts_src", r_src, nr + 1);
    put_u32(f, "uint32_t", "gen_ts_dst", r_dst, nr ? nr : 1);
    put_str(f, "gen_ts_str", &ts_str);
    if (fclose(f) != 0 || rename(tmp, argv[1]) != 0)
        die("cannot write the output");
    utrans_close(ts);
    free(tmp);
    free(mc);
    free(ts_cp);
    free(ts_one);
    free(ts_rule);
    free(r_src);
    free(r_dst);
    free(ts_str.s);
    return 0;
}
