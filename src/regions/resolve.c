/* resolve.c: region and year of one report (see resolve.h).
 *
 * Three passes over the document:
 *   1. lines: trim, find the title line (the first short line near the top
 *      that says 报告 or 总结 and is not a numbered heading);
 *   2. names: lines are scanned with the gazetteer trie (longest name
 *      first): those that can be a title, header or signature first, the
 *      others only when the decision would read their names (body_needed()).
 *      A name is kept when it is a full name of three characters or
 *      more, or when a government word follows it (大路边人民政府), or when it
 *      continues a chain (韶关市曲江区, 钟山区人民政府荷城街道办事处). Names
 *      followed by 村, 社区, 路… are villages and streets, not divisions.
 *      A line made of nothing but a chain and a government word is an
 *      "organisation line": near the top a header, near the end a signature;
 *   3. decision: the chain in the title, else a header line, else a
 *      signature, else the name the body uses most (twice at least, and of
 *      the level its self-references use: 我镇, 全区, 本街道) is the
 *      reporting body. Every
 *      division named anywhere votes for the candidates it contains or lies
 *      in, weighted by level and divided by how many divisions share its
 *      name; candidates that the votes do not separate stay ambiguous. */
#include "resolve.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "year.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { Z_BODY, Z_SIGNATURE, Z_HEADER, Z_TITLE };
static const char *const zone_names[] = { "body", "signature", "header", "title" };
enum { SUF_NONE, SUF_GOV, SUF_DEPT, SUF_TRAP };

#define HEAD_LINES 30    /* non-empty lines that can hold the title and header */
#define TAIL_LINES 30    /* non-empty lines that can hold the signature */
#define TITLE_MAX 240    /* bytes: a title line is no paragraph */
#define ORG_MAX 150      /* bytes: an organisation line is short */
#define DEPT_MAX_CHARS 16

typedef struct mention {
    size_t off, len;     /* name in the text */
    size_t line;         /* index into lines */
    size_t r0, nr;       /* its candidate rows: scratch rows[r0 .. r0+nr) */
    const fz_posting *key; /* identity of the name as indexed */
    int prev, next;      /* chain neighbours, -1 */
    int zone;            /* Z_*, set once the line is classified */
    int in_law;          /* inside 《》 */
    int clue_only;       /* a short province/prefecture name: a vote, never the reporter */
    int suffix;          /* SUF_* after the name */
    size_t suf_len;      /* bytes of the government word or department */
} mention;

typedef struct line {
    size_t b, e;         /* trimmed line in the text */
    int zone;            /* Z_* of the line */
    size_t no;           /* its number in the text, from 1 (empty lines count) */
} line;

typedef struct vote {
    int32_t row;
    double w;
} vote;

typedef struct scratch {
    mention *m;
    size_t nm, capm;
    int32_t *rows;
    size_t nrows, caprows;
    line *l;
    size_t nl, capl;
    vote *v;
    size_t nv, capv;
    const char *suf;     /* self_suffix() of the text, once have_suf */
    int have_suf;
} scratch;

/* ---- small text helpers ---- */

static int starts(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(s, w, k) == 0;
}

/* A word with its length, for the lists searched at every name. Every
 * word is Chinese: three bytes a character. */
typedef struct word {
    const char *s;
    size_t n;
} word;
#define WORD(w) { w, sizeof w - 1 }

static inline int starts_word(const char *s, size_t n, const word *w)
{
    return n >= w->n && s[2] == w->s[2] && s[1] == w->s[1] && s[0] == w->s[0] &&
           memcmp(s + 3, w->s + 3, w->n - 3) == 0;
}

static size_t char_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return l > n ? n : l;
}

/* A CJK ideograph (U+4E00..U+9FFF) at s? */
static int is_han(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    return n >= 3 && u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80;
}

static int is_blank(const char *s, size_t n, size_t *l)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r')) {
        *l = 1;
        return 1;
    }
    if (starts(s, n, "　") || starts(s, n, "\xC2\xA0")) {
        *l = s[0] == '\xC2' ? 2 : 3;
        return 1;
    }
    return 0;
}

/* trim() of a line that starts or ends with a byte a blank starts or ends with */
static __attribute__((noinline)) void trim_ends(const char *t, size_t *b, size_t *e)
{
    size_t l;
    while (*b < *e && is_blank(t + *b, *e - *b, &l))
        *b += l;
    while (*e > *b) {
        if (t[*e - 1] == ' ' || t[*e - 1] == '\t' || t[*e - 1] == '\r')
            (*e)--;
        else if (*e - *b >= 3 && memcmp(t + *e - 3, "　", 3) == 0)
            *e -= 3;
        else if (*e - *b >= 2 && memcmp(t + *e - 2, "\xC2\xA0", 2) == 0)
            *e -= 2;
        else
            break;
    }
}

/* A byte a blank (is_blank()) starts with, or ends with */
static inline int blank_first(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0xE3 || c == 0xC2;
}

static inline int blank_last(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x80 || c == 0xA0;
}

/* Moves b and e past the blanks at either end of [b, e). Most lines have
 * none: a look at their first and last byte. */
static inline void trim(const char *t, size_t *b, size_t *e)
{
    if (*b < *e && (blank_first((unsigned char)t[*b]) || blank_last((unsigned char)t[*e - 1])))
        trim_ends(t, b, e);
}

static size_t nchars_n(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static int contains(const char *s, size_t n, const char *w)
{
    return memmem(s, n, w, strlen(w)) != NULL;
}

/* ---- scratch ---- */

static scratch *sc_of(fz_resolution *r)
{
    if (!r->scratch)
        r->scratch = fz_xcalloc(1, sizeof(scratch));
    scratch *s = r->scratch;
    s->nm = s->nrows = s->nl = s->nv = 0;
    s->have_suf = 0;
    return s;
}

static void push_row(scratch *s, int32_t row)
{
    if (s->nrows == s->caprows) {
        s->caprows = s->caprows ? s->caprows * 2 : 1024;
        s->rows = fz_xreallocarray(s->rows, s->caprows, sizeof *s->rows);
    }
    s->rows[s->nrows++] = row;
}

static void push_vote(scratch *s, int32_t row, double w)
{
    if (s->nv == s->capv) {
        s->capv = s->capv ? s->capv * 2 : 1024;
        s->v = fz_xreallocarray(s->v, s->capv, sizeof *s->v);
    }
    s->v[s->nv++] = (vote){ row, w };
}

/* ---- what follows a name ---- */

/* Government words after a name; the chain may continue after the first two
 * (钟山区人民政府荷城街道办事处). */
static const word gov_words[] = { WORD("人民政府"), WORD("街道办事处"), WORD("办事处"),
                                  WORD("政府"), WORD("党工委"), WORD("党委"), WORD("委员会"),
                                  WORD("人大"), WORD("管委会"), WORD("管理委员会") };

static size_t gov_word(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof gov_words / sizeof *gov_words; i++)
        if (starts_word(s, n, &gov_words[i]))
            return gov_words[i].n;
    return 0;
}

/* The government words that make a short name a division: 曲江人民政府. */
static int short_gov(const char *s, size_t n)
{
    static const word w[] = { WORD("人民政府"), WORD("政府"), WORD("党委"), WORD("党工委"),
                              WORD("街道办事处"), WORD("办事处") };
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (starts_word(s, n, &w[i]))
            return 1;
    return 0;
}

/* Villages, communities, streets, schools: a name before these is not the
 * division (大路边村, 荷城社区, 新城路). */
static int trap_word(const char *s, size_t n)
{
    static const word w[] = {
        WORD("村"), WORD("社区"), WORD("居委会"), WORD("居民委员会"), WORD("小区"), WORD("路"),
        WORD("大道"), WORD("大街"), WORD("巷"), WORD("公园"), WORD("广场"), WORD("水库"),
        WORD("中学"), WORD("小学"), WORD("幼儿园"), WORD("医院"), WORD("卫生院"), WORD("花园"),
        WORD("景区"), WORD("农场"), WORD("林场"), WORD("车站"), WORD("站"), WORD("港"),
        WORD("组"), WORD("片区"), WORD("网格"), WORD("大桥"), WORD("苑"),
        WORD("化") /* 新城镇化 */
    };
    if (starts(s, n, "街") && !starts(s, n, "街道"))
        return 1;
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (starts_word(s, n, &w[i]))
            return 1;
    return 0;
}

/* A department right after a name: 司法局, 人民政府办公室, 市场监督管理局.
 * Returns its length in bytes, or 0. */
static size_t dept_after(const char *s, size_t n)
{
    static const word ends[] = { WORD("局"), WORD("办公室"), WORD("委员会"), WORD("厅"),
                                 WORD("中心"), WORD("司法所"), WORD("派出所"), WORD("财政所"),
                                 WORD("大队"), WORD("中队"), WORD("执法队") };
    /* a sieve of the ends' first characters by their last byte */
    uint64_t sieve = 0;
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
        sieve |= (uint64_t)1 << ((unsigned char)ends[k].s[2] % 64);
    size_t i = 0, chars = 0;
    while (i < n && chars < DEPT_MAX_CHARS && is_han(s + i, n - i)) {
        int maybe = sieve >> ((unsigned char)s[i + 2] % 64) & 1;
        for (size_t k = 0; maybe && k < sizeof ends / sizeof *ends; k++)
            if (starts_word(s + i, n - i, &ends[k])) {
                size_t end = i + ends[k].n;
                /* at least two characters: 所辖 is not a department */
                return nchars_n(s, end) >= 2 ? end : 0;
            }
        i += 3;
        chars++;
    }
    return 0;
}

/* What follows a name ending at a (line end e): SUF_* and its length. */
static int suffix_at(const char *t, size_t a, size_t e, size_t *len)
{
    size_t n = e - a;
    *len = 0;
    if (n == 0)
        return SUF_NONE;
    size_t gw = gov_word(t + a, n);
    if (gw) {
        /* 人民政府办公室 is a department of the region */
        if ((starts(t + a, n, "人民政府") || starts(t + a, n, "政府")) &&
            starts(t + a + gw, n - gw, "办公室")) {
            *len = gw + strlen("办公室");
            return SUF_DEPT;
        }
        *len = gw;
        return SUF_GOV;
    }
    if (trap_word(t + a, n))
        return SUF_TRAP;
    size_t d = dept_after(t + a, n);
    if (d) {
        *len = d;
        return SUF_DEPT;
    }
    return SUF_NONE;
}

/* ---- pass 2: names ---- */

/* Row ra is an ancestor (keep_ancestors) or a descendant of some row of b. */
static int related(const fz_gazetteer *g, const scratch *s, int32_t ra, const mention *b,
                   int keep_ancestors)
{
    for (size_t j = 0; j < b->nr; j++) {
        int32_t rb = s->rows[b->r0 + j];
        if (ra != rb && (keep_ancestors ? fz_gazetteer_contains(g, ra, rb)
                                        : fz_gazetteer_contains(g, rb, ra)))
            return 1;
    }
    return 0;
}

/* Keeps in a's rows only those that contain some row of b (ancestor
 * side) or lie in some row of b (descendant side). Returns the count left;
 * a's rows are unchanged when none would be left. */
static size_t narrow(const fz_gazetteer *g, scratch *s, mention *a, const mention *b, int keep_ancestors)
{
    size_t k = 0;
    for (size_t i = 0; i < a->nr; i++)
        k += (size_t)related(g, s, s->rows[a->r0 + i], b, keep_ancestors);
    if (k == 0)
        return 0;
    size_t w = 0;
    for (size_t i = 0; i < a->nr; i++) {
        int32_t ra = s->rows[a->r0 + i];
        if (related(g, s, ra, b, keep_ancestors))
            s->rows[a->r0 + w++] = ra;
    }
    a->nr = w;
    return w;
}

/* Room for one more mention at s->m[s->nm]; the caller fills it and counts it. */
static mention *new_mention(scratch *s)
{
    if (s->nm == s->capm) {
        s->capm = s->capm ? s->capm * 2 : 256;
        s->m = fz_xreallocarray(s->m, s->capm, sizeof *s->m);
    }
    return &s->m[s->nm];
}

/* Scans line li for names. query: the user typed the line, so every
 * short form counts. */
static void scan_line(const fz_gazetteer *g, const char *t, size_t li, scratch *s, int query)
{
    static const uint32_t law_marks[] = { 0x300A, 0x300B }; /* 《 》 */
    const line *L = &s->l[li];
    size_t p = L->b;
    int depth = 0, last = -1;
    /* the last name that was not kept, in case the next one vouches for it */
    const fz_posting *rej = NULL;
    size_t rej_np = 0, rej_off = 0, rej_end = 0;
    while (p < L->e) {
        if (starts(t + p, L->e - p, "《")) {
            depth++;
            p += 3;
            continue;
        }
        if (starts(t + p, L->e - p, "》")) {
            depth -= depth > 0;
            p += 3;
            continue;
        }
        /* on to the next name, or to a 《 or 》 for the code above */
        const fz_posting *post;
        size_t np, at;
        size_t ml = fz_gazetteer_scan(g, t + p, L->e - p, law_marks, 2, &at, &post, &np);
        p += at;
        if (ml == 0)
            continue;
        /* the last lines (the signature) get room of their own */
        if (s->nm >= FZ_RESOLVE_MAX_MENTIONS &&
            (li + TAIL_LINES < s->nl || s->nm >= 2 * FZ_RESOLVE_MAX_MENTIONS))
            return;
        size_t a = p + ml, suf_len;
        int suf = suffix_at(t, a, L->e, &suf_len);
        if (suf == SUF_DEPT) {
            /* 韶关市曲江区司法局: the department belongs to the next name */
            const fz_posting *np2;
            size_t nn;
            if (fz_gazetteer_match(g, t + a, L->e - a, &np2, &nn) > 0)
                for (size_t k = 0; k < nn && suf == SUF_DEPT; k++)
                    for (size_t j = 0; j < np; j++)
                        if (np2[k].region != post[j].region &&
                            fz_gazetteer_contains(g, post[j].region, np2[k].region)) {
                            suf = SUF_NONE;
                            suf_len = 0;
                            break;
                        }
        }
        if (suf == SUF_TRAP) {
            p = a; /* 大路边村: the whole name belongs to the village */
            continue;
        }
        int prev = -1;
        if (last >= 0) {
            const mention *pm = &s->m[last];
            size_t pe = pm->off + pm->len;
            if (pe == p || (p > pe && p - pe == 1 && t[pe] == ' '))
                prev = last;
            else if (pm->suffix == SUF_GOV && pe + pm->suf_len == p &&
                     (starts(t + pe, p - pe, "人民政府") || starts(t + pe, p - pe, "政府")))
                prev = last;
        }
        if (prev < 0 && rej && rej_end == p) {
            /* 佳县店镇人民政府: two short names that are only names together */
            size_t r0b = s->nrows;
            for (size_t k = 0; k < rej_np; k++)
                for (size_t j = 0; j < np; j++)
                    if (rej[k].region != post[j].region &&
                        fz_gazetteer_contains(g, rej[k].region, post[j].region)) {
                        push_row(s, rej[k].region);
                        break;
                    }
            if (s->nrows > r0b) {
                mention *rm = new_mention(s);
                *rm = (mention){ .off = rej_off, .len = rej_end - rej_off, .line = li, .r0 = r0b,
                                 .nr = s->nrows - r0b, .key = rej, .prev = -1, .next = -1,
                                 .zone = Z_BODY, .in_law = depth > 0, .suffix = SUF_NONE };
                prev = last = (int)s->nm++;
            }
        }
        int long_name = nchars_n(t + p, ml) >= 3;
        /* a short name needs a government word after it (大路边人民政府) and
         * no character before it that it could be the end of (提高镇政府) */
        int word_start = p - L->b < 3 || !is_han(t + p - 3, 3) || prev >= 0 ||
                         memcmp(t + p - 3, "年", 3) == 0 || memcmp(t + p - 3, "度", 3) == 0;
        /* … or, for a two-character name (和县, 店镇), a year right after it
         * (和县2022年法治政府建设年度报告) */
        int before_year = a < L->e && t[a] >= '0' && t[a] <= '9';
        int strong = query || (word_start && ((suf == SUF_GOV && short_gov(t + a, L->e - a)) ||
                                              (before_year && nchars_n(t + p, ml) == 2)));
        size_t r0 = s->nrows;
        int clue_only = 0;
        for (size_t k = 0; k < np; k++)
            if (strong || (post[k].form == FZ_FORM_FULL && long_name))
                push_row(s, post[k].region);
        if (prev >= 0) {
            /* or to continue a chain: 钟山区人民政府荷城街道办事处 */
            const mention *pm = &s->m[prev];
            for (size_t k = 0; k < np; k++) {
                int in = 0;
                for (size_t j = 0; j < pm->nr && !in; j++)
                    in = post[k].region != s->rows[pm->r0 + j] &&
                         fz_gazetteer_contains(g, s->rows[pm->r0 + j], post[k].region);
                int dup = 0;
                for (size_t j = r0; j < s->nrows && !dup; j++)
                    dup = s->rows[j] == post[k].region;
                if (in && !dup)
                    push_row(s, post[k].region);
            }
        }
        if (s->nrows == r0) {
            /* 广东, 六盘水: a vote for what lies in them, never the reporter */
            for (size_t k = 0; k < np; k++)
                if (fz_gazetteer_at(g, (size_t)post[k].region)->level <= FZ_LEVEL_PREFECTURE)
                    push_row(s, post[k].region);
            if (s->nrows == r0) {
                rej = post;
                rej_np = np;
                rej_off = p;
                rej_end = a;
                p += char_len(t + p, L->e - p);
                continue;
            }
            clue_only = 1;
        }
        mention *m = new_mention(s);
        *m = (mention){ .off = p, .len = ml, .line = li, .r0 = r0, .nr = s->nrows - r0,
                        .key = post, .prev = -1, .next = -1, .zone = Z_BODY,
                        .in_law = depth > 0, .clue_only = clue_only, .suffix = suf,
                        .suf_len = suf_len };
        if (prev >= 0 && !clue_only && narrow(g, s, m, &s->m[prev], 0) > 0) {
            narrow(g, s, &s->m[prev], m, 1);
            m->prev = prev;
            s->m[prev].next = (int)s->nm;
        }
        last = (int)s->nm;
        s->nm++;
        /* a government word or department is no place to look for names */
        p = a + (suf == SUF_GOV || suf == SUF_DEPT ? suf_len : 0);
    }
}

/* Labels before an organisation in a header line: 来源:大路边镇人民政府. */
static const char *const org_labels[] = { "信息来源", "来源", "发布机构", "发文机关", "发布单位",
                                          "发文单位", "单位" };

/* Is [sb, se) nothing but a chain of names (and government words)? */
static int org_segment(const char *t, size_t sb, size_t se, const scratch *s, size_t m0, size_t m1)
{
    trim(t, &sb, &se);
    if (starts(t + sb, se - sb, "中共"))
        sb += strlen("中共");
    size_t pos = sb;
    int any = 0;
    for (size_t k = m0; k < m1; k++) {
        const mention *m = &s->m[k];
        if (m->off < sb || m->off >= se)
            continue;
        if (m->off != pos && !(m->off == pos + 1 && t[pos] == ' '))
            return 0;
        pos = m->off + m->len;
        if (m->suffix == SUF_GOV || m->suffix == SUF_DEPT)
            pos += m->suf_len;
        any = 1;
    }
    return any && pos == se;
}

static int has_label_word(const char *s, size_t n);

static int org_line(const char *t, const line *L, const scratch *s, size_t m0, size_t m1)
{
    if (m0 == m1 || L->e - L->b > ORG_MAX)
        return 0;
    /* every label holds a label word: without one no search can find a label */
    int labels = has_label_word(t + L->b, L->e - L->b);
    for (size_t i = 0; i < sizeof org_labels / sizeof *org_labels && labels; i++) {
        const char *q = memmem(t + L->b, L->e - L->b, org_labels[i], strlen(org_labels[i]));
        if (!q)
            continue;
        size_t b = (size_t)(q - t) + strlen(org_labels[i]);
        size_t l;
        while (b < L->e && (t[b] == ':' || starts(t + b, L->e - b, "：") ||
                            is_blank(t + b, L->e - b, &l)))
            b += t[b] == ':' ? 1 : starts(t + b, L->e - b, "：") ? 3 : l;
        size_t e = b;
        while (e < L->e && !is_blank(t + e, L->e - e, &l))
            e += char_len(t + e, L->e - e);
        return e > b && org_segment(t, b, e, s, m0, m1);
    }
    /* several organisations separated by blanks: 中共某镇委员会 某镇人民政府 */
    size_t b = L->b;
    int any = 0;
    while (b < L->e) {
        size_t l, e = b;
        while (e < L->e && !is_blank(t + e, L->e - e, &l))
            e += char_len(t + e, L->e - e);
        if (!org_segment(t, b, e, s, m0, m1))
            return 0;
        any = 1;
        b = e;
        while (b < L->e && is_blank(t + b, L->e - b, &l))
            b += l;
    }
    return any;
}

/* ---- pass 1: lines and the title ---- */

/* Appends line [b, e) (trimmed here), number no, unless it is blank. */
static inline void add_line(const char *t, size_t b, size_t e, size_t no, scratch *s)
{
    trim(t, &b, &e);
    if (e == b)
        return;
    if (s->nl == s->capl) {
        s->capl = s->capl ? s->capl * 2 : 256;
        s->l = fz_xreallocarray(s->l, s->capl, sizeof *s->l);
    }
    s->l[s->nl++] = (line){ b, e, Z_BODY, no };
}

/* Lines of the text; of a huge text only the head and the tail, where
 * titles, headers and signatures are. off[0..n) are where the lines start
 * when the text holds to the reader's invariants (every line ends with
 * '\n'), or NULL: then the lines are looked for. */
static void split_lines(const char *t, size_t len, const uint32_t *off, size_t n, scratch *s)
{
    if (off && len <= FZ_RESOLVE_MAX_SCAN) {
        for (size_t i = 0; i < n; i++)
            add_line(t, off[i], (i + 1 < n ? off[i + 1] : len) - 1, i + 1, s);
        return;
    }
    size_t gap_b = len, gap_e = len;
    if (len > FZ_RESOLVE_MAX_SCAN) {
        const char *nl = memchr(t + FZ_RESOLVE_MAX_SCAN / 2, '\n', len - FZ_RESOLVE_MAX_SCAN / 2);
        gap_b = nl ? (size_t)(nl - t) + 1 : len;
        nl = memchr(t + len - FZ_RESOLVE_MAX_SCAN / 2, '\n', FZ_RESOLVE_MAX_SCAN / 2);
        gap_e = nl ? (size_t)(nl - t) + 1 : len;
        if (gap_e < gap_b)
            gap_e = gap_b;
    }
    size_t no = 0; /* lines before b */
    for (size_t b = 0; b < len;) {
        if (b == gap_b) {
            for (const char *q = t + gap_b, *end = t + gap_e;
                 (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
                no++;
            b = gap_e;
        }
        if (b >= len)
            break;
        const char *nl = memchr(t + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - t) : len, next = nl ? e + 1 : len;
        no++;
        add_line(t, b, e, no, s);
        b = next;
    }
}

static int numbered(const char *s, size_t n)
{
    static const char *const cn[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
    if (n >= 1 && (s[0] == '(' || starts(s, n, "（") || starts(s, n, "第")))
        return 1;
    /* 1. 2、 3) but not 2022年 */
    size_t d = 0;
    while (d < n && d < 3 && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d > 0 && d < n && (s[d] == '.' || s[d] == ')' || starts(s + d, n - d, "、")))
        return 1;
    for (size_t i = 0; i < sizeof cn / sizeof *cn; i++)
        if (starts(s, n, cn[i]) && (starts(s + 3, n - 3, "、") || starts(s + 3, n - 3, "是")))
            return 1;
    return 0;
}

enum { TITLE_NOT = 1, TITLE_WORD = 2 };

/* What find_title() looks for in a line, in one pass over its bytes (each
 * word wherever it starts, as memmem() finds it): TITLE_NOT for 如下,
 * 当前位置, 。, ',', ，or ';' (then nothing else), TITLE_WORD for 报告 or
 * 总结. */
static unsigned title_words(const char *s, size_t n)
{
    unsigned found = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == ';')
            return TITLE_NOT;
        const char *w = s + i;
        size_t rest = n - i;
        switch (c) { /* the first bytes of the other words */
        case 0xE3:
        case 0xEF:
            if (starts(w, rest, "。") || starts(w, rest, "，"))
                return TITLE_NOT;
            break;
        case 0xE5:
            if (starts(w, rest, "如下") || starts(w, rest, "当前位置"))
                return TITLE_NOT;
            break;
        case 0xE6:
            if (starts(w, rest, "报告") || starts(w, rest, "总结"))
                found = TITLE_WORD;
            break;
        default:
            break;
        }
    }
    return found;
}

#ifndef NDEBUG
/* title_words() by one search for each word */
static unsigned title_words_slow(const char *p, size_t n)
{
    if (contains(p, n, "如下") || contains(p, n, "当前位置") || contains(p, n, "。") ||
        contains(p, n, ",") || contains(p, n, "，") || contains(p, n, ";"))
        return TITLE_NOT;
    return contains(p, n, "报告") || contains(p, n, "总结") ? TITLE_WORD : 0;
}
#endif

static long find_title(const char *t, const scratch *s)
{
    for (size_t k = 0; k < s->nl && k < HEAD_LINES; k++) {
        const line *L = &s->l[k];
        const char *p = t + L->b;
        size_t n = L->e - L->b;
        /* a sentence (…,…。) is no title */
        if (n > TITLE_MAX || numbered(p, n))
            continue;
        unsigned words = title_words(p, n);
        assert(words == title_words_slow(p, n));
        if (words & TITLE_NOT)
            continue;
        if (words & TITLE_WORD)
            return (long)k;
        /* 连州市大路边镇2022年法治政府建设情况 */
        if (n <= 120 && n >= 6 && memcmp(p + n - 6, "情况", 6) == 0 &&
            (contains(p, n, "法治") || contains(p, n, "依法行政")))
            return (long)k;
    }
    return -1;
}

/* Web page titles put the site after the report: "…工作报告_某区人民政府门户网站",
 * "…报告 - 某市人民政府网", "…报告|某县政府". Returns where the report's title ends. */
static size_t title_end(const char *t, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        size_t rest = e - i;
        if (t[i] == '_' || t[i] == '|' || (rest > 3 && memcmp(t + i, " - ", 3) == 0) ||
            starts(t + i, rest, "——")) {
            size_t c = i;
            while (c > b && t[c - 1] == ' ')
                c--;
            /* the part before must still be the title */
            if (contains(t + b, c - b, "报告") || contains(t + b, c - b, "总结") ||
                contains(t + b, c - b, "情况"))
                return c;
        }
    }
    return e;
}

/* Breadcrumbs before a title: "首页 > 政务公开 > 某镇2022年…报告". Returns
 * where the title begins. */
static size_t title_begin(const char *t, size_t b, size_t e)
{
    size_t start = b;
    for (size_t i = b; i < e; i++)
        if (t[i] == '>' || starts(t + i, e - i, "»"))
            start = i + (t[i] == '>' ? 1 : strlen("»"));
    size_t l;
    while (start < e && is_blank(t + start, e - start, &l))
        start += l;
    return start < e ? start : b;
}

/* ---- pass 3: decision ---- */

static int cmp_vote(const void *a, const void *b)
{
    const vote *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->w > y->w ? -1 : x->w < y->w;
}

/* Sorted, one vote per row (the strongest). */
static void collect_votes(scratch *s)
{
    for (size_t i = 0; i < s->nm; i++) {
        const mention *m = &s->m[i];
        double w = (m->clue_only ? 0.5 : 1.0) / (double)m->nr;
        for (size_t k = 0; k < m->nr; k++)
            push_vote(s, s->rows[m->r0 + k], w);
    }
    qsort(s->v, s->nv, sizeof *s->v, cmp_vote);
    size_t w = 0;
    for (size_t i = 0; i < s->nv; i++)
        if (w == 0 || s->v[w - 1].row != s->v[i].row)
            s->v[w++] = s->v[i];
    s->nv = w;
}

static double vote_for(const fz_gazetteer *g, const scratch *s, int32_t c)
{
    static const double by_level[] = { 0, 1, 2, 3, 3, 0 }; /* a named parent, by its level */
    const fz_region *rc = fz_gazetteer_at(g, (size_t)c);
    double sum = 0;
    for (size_t i = 0; i < s->nv; i++) {
        int32_t r = s->v[i].row;
        if (r == c)
            continue;
        const fz_region *rr = fz_gazetteer_at(g, (size_t)r);
        if (fz_gazetteer_contains(g, r, c))
            sum += s->v[i].w * by_level[rr->level];
        else if (fz_gazetteer_contains(g, c, r))
            sum += s->v[i].w; /* a place inside the candidate */
        else if (rr->parent >= 0 && rr->parent == rc->parent)
            sum += s->v[i].w * 0.5; /* a neighbour under the same parent */
    }
    return sum;
}

/* Bytes of the text's head that whole-text searches look at: all of it up
 * to FZ_RESOLVE_MAX_SCAN, else the first half of that, cut at a line end. */
static size_t head_len(const char *t, size_t len)
{
    if (len <= FZ_RESOLVE_MAX_SCAN)
        return len;
    const char *nl = memchr(t + FZ_RESOLVE_MAX_SCAN / 2, '\n', len - FZ_RESOLVE_MAX_SCAN / 2);
    return nl ? (size_t)(nl - t) + 1 : len;
}

/* The level the body speaks as: 我镇/本镇 say it most, 全镇 less, and 镇党委 or
 * 区政府 least, for they also name superiors (在区委、区政府的领导下). */
static const char *self_suffix(const char *t, size_t len)
{
    static const struct { const char *suffix; const char *w[7]; } kinds[] = {
        { "镇", { "我镇", "本镇", "全镇", "镇党委", "镇政府", "镇人民政府", "镇委" } },
        { "乡", { "我乡", "本乡", "全乡", "乡党委", "乡政府", "乡人民政府", "乡委" } },
        { "街道", { "我街道", "本街道", "全街道", "街道党工委", "街道办事处", "街道办", "街道工委" } },
        { "区", { "我区", "本区", "全区", "区委", "区政府", "区人民政府", "区人大" } },
        { "县", { "我县", "本县", "全县", "县委", "县政府", "县人民政府", "县人大" } },
        { "市", { "我市", "本市", "全市", "市委", "市政府", "市人民政府", "市人大" } },
    };
    static const double weight[7] = { 2, 2, 1, 0.5, 0.5, 0.5, 0.5 };
    double best = 0;
    const char *which = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        /* Each word is the suffix with a character before it (我镇) or
         * words after it (镇党委): one pass over the suffix counts them all. */
        const char *suf = kinds[i].suffix;
        size_t sl = strlen(suf), wl[7];
        int after[7];
        for (size_t k = 0; k < 7; k++) {
            wl[k] = strlen(kinds[i].w[k]);
            after[k] = memcmp(kinds[i].w[k], suf, sl) == 0;
        }
        double c = 0;
        for (const char *q = t; (q = memmem(q, len - (size_t)(q - t), suf, sl)) != NULL; q += sl) {
            size_t at = (size_t)(q - t);
            for (size_t k = 0; k < 7; k++) {
                const char *w = kinds[i].w[k];
                if (after[k] ? len - at >= wl[k] && memcmp(q + sl, w + sl, wl[k] - sl) == 0
                             : at >= wl[k] - sl && memcmp(q - (wl[k] - sl), w, wl[k] - sl) == 0)
                    c += weight[k];
            }
        }
        if (c > best) {
            best = c;
            which = kinds[i].suffix;
        }
    }
    return best >= 2 ? which : NULL;
}

typedef struct keyscore {
    const fz_posting *key;
    double score;
    int best;            /* mention with the fewest rows */
    int first;           /* first mention */
    fz_level level;      /* deepest level among its rows */
} keyscore;

static int cmp_mention_key(const void *a, const void *b, void *ctx)
{
    const scratch *s = ctx;
    const mention *x = &s->m[*(const int *)a], *y = &s->m[*(const int *)b];
    if (x->key != y->key)
        return (uintptr_t)x->key < (uintptr_t)y->key ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

/* self_suffix() of the text's head, computed once per text. */
static const char *text_suffix(scratch *s, const char *t, size_t len)
{
    if (!s->have_suf) {
        s->suf = self_suffix(t, head_len(t, len));
        s->have_suf = 1;
    }
    return s->suf;
}

/* Does some row of m have a name ending in suf (any row when suf is NULL)? */
static int fits_level(const fz_gazetteer *g, const scratch *s, const mention *m, const char *suf)
{
    int fits = suf == NULL;
    for (size_t k = 0; k < m->nr && !fits; k++) {
        const char *name = fz_gazetteer_at(g, (size_t)s->rows[m->r0 + k])->name;
        size_t nl = strlen(name), sl = strlen(suf);
        fits = nl >= sl && memcmp(name + nl - sl, suf, sl) == 0;
    }
    return fits;
}

/* The body's reporter: the name used most (twice at least) among those of
 * the level the body speaks as. -1 if none. */
static int body_choice(const fz_gazetteer *g, const char *t, size_t len, scratch *s)
{
    const char *suf = text_suffix(s, t, len);
    int *idx = fz_xmalloc((s->nm ? s->nm : 1) * sizeof *idx);
    size_t n = 0;
    for (size_t i = 0; i < s->nm; i++) {
        const mention *m = &s->m[i];
        if (m->zone == Z_BODY && !m->clue_only)
            idx[n++] = (int)i;
    }
    qsort_r(idx, n, sizeof *idx, cmp_mention_key, s);
    keyscore best = { 0 };
    best.best = -1;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        keyscore ks = { s->m[idx[i]].key, 0, idx[i], idx[i], FZ_LEVEL_NONE };
        size_t count = 0;
        for (; j < n && s->m[idx[j]].key == ks.key; j++) {
            const mention *m = &s->m[idx[j]];
            /* 《曲江区2019年依法行政工作要点》: the region's own papers count, less */
            ks.score += m->in_law ? 0.5 : 1;
            count++;
            if (m->nr < s->m[ks.best].nr)
                ks.best = idx[j];
            if (idx[j] < ks.first)
                ks.first = idx[j];
        }
        const mention *bm = &s->m[ks.best];
        for (size_t k = 0; k < bm->nr; k++) {
            fz_level l = fz_gazetteer_at(g, (size_t)s->rows[bm->r0 + k])->level;
            if (l > ks.level)
                ks.level = l;
        }
        /* One passing mention is no reporter; and when the text speaks as
         * 我镇/全区, the reporter is a 镇/区 (not the 清远市 it also names). */
        if (count < 2 || !fits_level(g, s, bm, suf)) {
            i = j;
            continue;
        }
        if (best.best < 0 || ks.score > best.score ||
            (ks.score == best.score && ks.level > best.level) ||
            (ks.score == best.score && ks.level == best.level && ks.first < best.first))
            best = ks;
        i = j;
    }
    free(idx);
    return best.best;
}

#ifndef NDEBUG
static size_t line_number(const char *t, size_t off)
{
    size_t n = 1;
    for (const char *q = t, *end = t + off; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        n++;
    return n;
}
#endif

/* The number of the line that holds mention m. */
static size_t mention_line(const scratch *s, const char *t, const mention *m)
{
    size_t no = s->l[m->line].no;
    assert(no == line_number(t, m->off));
    (void)t;
    return no;
}

static void reset(fz_resolution *r)
{
    fz_arena_reset(&r->arena);
    fz_buf_reset(&r->evidence);
    free(r->cand);
    r->cand = NULL;
    r->ncand = 0;
    r->status = FZ_REGION_UNRESOLVED;
    r->region = -1;
    r->code = r->name = r->path = r->province = r->prefecture = r->county = r->township = "";
    r->level = FZ_LEVEL_NONE;
    r->department = r->method = r->candidates = r->year_method = r->title = "";
    r->confidence = 0;
    r->unscanned = 0;
    r->year = 0;
    r->has_year = 0;
    r->published[0] = '\0';
}

void fz_resolution_init(fz_resolution *r)
{
    memset(r, 0, sizeof *r);
    fz_arena_init(&r->arena);
    fz_buf_init(&r->evidence);
    reset(r);
}

void fz_resolution_release(fz_resolution *r)
{
    scratch *s = r->scratch;
    if (s) {
        free(s->m);
        free(s->rows);
        free(s->l);
        free(s->v);
        free(s);
    }
    free(r->cand);
    fz_buf_release(&r->evidence);
    fz_arena_release(&r->arena);
    memset(r, 0, sizeof *r);
}

static void fill_region(const fz_gazetteer *g, fz_resolution *r, int32_t row)
{
    char path[512];
    fz_gazetteer_path(g, row, path, sizeof path);
    const fz_region *R = fz_gazetteer_at(g, (size_t)row);
    r->region = row;
    r->code = fz_arena_strdup(&r->arena, R->code);
    r->name = fz_arena_strdup(&r->arena, R->name);
    r->path = fz_arena_strdup(&r->arena, path);
    r->level = R->level;
    for (int32_t k = row; k >= 0; k = fz_gazetteer_at(g, (size_t)k)->parent) {
        const fz_region *A = fz_gazetteer_at(g, (size_t)k);
        const char *nm = fz_arena_strdup(&r->arena, A->name);
        switch (A->level) {
        case FZ_LEVEL_PROVINCE: r->province = nm; break;
        case FZ_LEVEL_PREFECTURE: r->prefecture = nm; break;
        case FZ_LEVEL_COUNTY: r->county = nm; break;
        case FZ_LEVEL_TOWNSHIP: r->township = nm; break;
        default: break;
        }
    }
}

/* Appends v in decimal (as %zu would). The evidence lines every report
 * gets are put together with these instead of fz_buf_printf(). */
static void add_num(fz_buf *b, size_t v)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    fz_buf_add(b, d + i, sizeof d - i);
}

static void explain_mention(const fz_gazetteer *g, fz_resolution *r, const scratch *s,
                            const char *t, const mention *m, const char *what)
{
    /* "%s: '%.*s' (%s, line %zu%s) names %zu division%s:" (a name holds no NUL) */
    fz_buf *b = &r->evidence;
    fz_buf_adds(b, what);
    fz_buf_add(b, ": '", 3);
    fz_buf_add(b, t + m->off, m->len);
    fz_buf_add(b, "' (", 3);
    fz_buf_adds(b, zone_names[m->zone]);
    fz_buf_adds(b, ", line ");
    add_num(b, mention_line(s, t, m));
    if (m->prev >= 0)
        fz_buf_adds(b, ", after the names before it");
    fz_buf_adds(b, ") names ");
    add_num(b, m->nr);
    fz_buf_adds(b, m->nr == 1 ? " division:" : " divisions:");
    for (size_t k = 0; k < m->nr && k < 8; k++) {
        fz_buf_addc(b, ' ');
        fz_buf_adds(b, fz_gazetteer_at(g, (size_t)s->rows[m->r0 + k])->code);
    }
    fz_buf_adds(b, m->nr > 8 ? " ...\n" : "\n");
}

/* Lists the names (first mention of each, at most 8) that voted for row c. */
static void explain_votes(const fz_gazetteer *g, fz_resolution *r, const scratch *s,
                          const char *t, int32_t c)
{
    const fz_posting *seen[8];
    size_t nseen = 0;
    const fz_region *rc = fz_gazetteer_at(g, (size_t)c);
    for (size_t i = 0; i < s->nm && nseen < 8; i++) {
        const mention *m = &s->m[i];
        int votes = 0;
        for (size_t k = 0; k < m->nr && !votes; k++) {
            int32_t row = s->rows[m->r0 + k];
            const fz_region *rr = fz_gazetteer_at(g, (size_t)row);
            votes = row != c && (fz_gazetteer_contains(g, row, c) || fz_gazetteer_contains(g, c, row) ||
                                 (rr->parent >= 0 && rr->parent == rc->parent));
        }
        int dup = 0;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = seen[k] == m->key;
        if (!votes || dup)
            continue;
        seen[nseen++] = m->key;
        fz_buf_printf(&r->evidence, "  clue: '%.*s' (%s%s, line %zu)\n", (int)m->len, t + m->off,
                      zone_names[m->zone], m->in_law ? ", in a document title" : "",
                      mention_line(s, t, m));
    }
}

/* The self mention of the highest zone: the end of a chain in the title
 * (one followed by a government word first), else in a header line, else in
 * the signature. -1 if none. */
static int self_mention(const scratch *s, int zone)
{
    int first = -1;
    for (size_t i = 0; i < s->nm; i++) {
        const mention *m = &s->m[i];
        if (m->zone != zone || m->next >= 0 || m->in_law || m->clue_only)
            continue;
        if (m->suffix == SUF_GOV || m->suffix == SUF_DEPT)
            return (int)i;
        if (first < 0)
            first = (int)i;
    }
    return first;
}

typedef struct cand {
    int32_t row;
    double score;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static void decide_year(fz_resolution *r, const char *t, size_t len)
{
    int py = 0, pm = 0, pd = 0;
    /* of a huge text, the head (and the tail for the publication date) */
    size_t hl = head_len(t, len);
    int found = fz_year_published(t, hl, r->published);
    if (!found && hl < len) {
        size_t tb = len - hl;
        while (tb < len && t[tb - 1] != '\n')
            tb++;
        found = fz_year_published(t + tb, len - tb, r->published);
    }
    if (found)
        fz_year_parse_date(r->published, strlen(r->published), &py, &pm, &pd);
    int y = r->title[0] ? fz_year_from_title(r->title, strlen(r->title)) : 0;
    if (y && py && y > py)
        y = 0; /* a report is not published before its year ends */
    if (y) {
        r->year_method = "title";
    } else if ((y = fz_year_from_body(t, hl, py)) != 0) {
        r->year_method = "body";
    } else if (py) {
        /* reports come out early in the next year, or in the last weeks of theirs */
        y = pm <= 9 ? py - 1 : py;
        r->year_method = "published";
    }
    if (y) {
        r->year = y;
        r->has_year = 1;
        /* "year: %d (%s)\n" */
        fz_buf_adds(&r->evidence, "year: ");
        add_num(&r->evidence, (size_t)y); /* FZ_YEAR_MIN.. */
        fz_buf_adds(&r->evidence, " (");
        fz_buf_adds(&r->evidence, r->year_method);
        fz_buf_adds(&r->evidence, ")\n");
    }
    if (r->published[0]) {
        fz_buf_adds(&r->evidence, "published: ");
        fz_buf_adds(&r->evidence, r->published);
        fz_buf_addc(&r->evidence, '\n');
    }
}

/* Is a word of some label of org_labels[] (来源, 单位, 机构, 机关) at s? */
static int label_word_at(const char *s, size_t n)
{
    static const word w[] = { WORD("来源"), WORD("单位"), WORD("机构"), WORD("机关") };
    for (size_t k = 0; k < sizeof w / sizeof *w; k++)
        if (starts_word(s, n, &w[k]))
            return 1;
    return 0;
}

/* Does s[0..n) hold 来源, 单位, 机构 or 机关 (at any byte)? Every label of
 * org_labels[] holds one of them. */
static int has_label_word(const char *s, size_t n)
{
#if defined(__SSE2__)
    /* 16 places at a time (reading 17 bytes): the first two bytes of 来
     * (E6 9D), 机 (E6 9C) or 单 (E5 8D); the last block overlaps the one
     * before, and ends at place n - 2, past the last place a word fits */
    if (n >= 17) {
        for (size_t at = 0;; at += 16) {
            if (at > n - 17)
                at = n - 17;
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + at + 1));
            __m128i e6 = _mm_cmpeq_epi8(a, _mm_set1_epi8((char)0xE6));
            __m128i e5 = _mm_cmpeq_epi8(a, _mm_set1_epi8((char)0xE5));
            __m128i lai_ji = _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8((char)0x9D)),
                                          _mm_cmpeq_epi8(b, _mm_set1_epi8((char)0x9C)));
            __m128i dan = _mm_cmpeq_epi8(b, _mm_set1_epi8((char)0x8D));
            unsigned bits = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_and_si128(e6, lai_ji), _mm_and_si128(e5, dan)));
            for (; bits; bits &= bits - 1) {
                size_t k = at + (size_t)__builtin_ctz(bits);
                if (label_word_at(s + k, n - k))
                    return 1;
            }
            if (at == n - 17)
                return 0;
        }
    }
#endif
    for (size_t i = 0; i + 6 <= n; i++)
        if (((unsigned char)s[i] == 0xE5 || (unsigned char)s[i] == 0xE6) &&
            label_word_at(s + i, n - i))
            return 1;
    return 0;
}

/* Can L be an organisation line (org_line())? Either it has a label
 * (来源:…) or its first part is a chain, which starts with a name at the
 * line's start, or after 中共 (and a blank) there: a mention can only start
 * where the gazetteer matches a name. */
static int may_be_org(const fz_gazetteer *g, const char *t, const line *L)
{
    const fz_posting *post;
    size_t np, b = L->b;
    if (fz_gazetteer_match(g, t + b, L->e - b, &post, &np) > 0)
        return 1;
    if (starts(t + b, L->e - b, "中共")) {
        b += strlen("中共");
        if (b < L->e && fz_gazetteer_match(g, t + b, L->e - b, &post, &np) > 0)
            return 1;
        if (b < L->e && t[b] == ' ' &&
            fz_gazetteer_match(g, t + b + 1, L->e - b - 1, &post, &np) > 0)
            return 1;
    }
    return has_label_word(t + L->b, L->e - L->b);
}

/* Can line k be a title, header or signature line? The title line, a line
 * with the title's text, and the organisation lines (no longer than
 * ORG_MAX, may_be_org()) above the first paragraph among the first
 * HEAD_LINES or among the last TAIL_LINES lines; any other line stays in
 * the body whatever names it holds. */
/* Is line k the title line (ti, -1 if none) or a line with the title's
 * text (t[tb..te))? */
static inline int title_line(const char *t, const scratch *s, size_t k, long ti, size_t tb,
                             size_t te)
{
    const line *L = &s->l[k];
    return ti >= 0 && (k == (size_t)ti ||
                       (L->e - L->b == te - tb && memcmp(t + L->b, t + tb, te - tb) == 0));
}

static int zoned_line(const fz_gazetteer *g, const char *t, const scratch *s, size_t k, long ti,
                      size_t tb, size_t te, long first_para)
{
    const line *L = &s->l[k];
    if (title_line(t, s, k, ti, tb, te))
        return 1;
    if (L->e - L->b > ORG_MAX)
        return 0;
    if (!(k < HEAD_LINES && (first_para < 0 || k < (size_t)first_para)) &&
        k + TAIL_LINES < s->nl)
        return 0;
    return may_be_org(g, t, L);
}

/* Pass 2 over the lines (all of them, or only the zoned_line() ones) in
 * order: their names, then their zone. Returns the number of lines left
 * out. */
static size_t scan_names(const fz_gazetteer *g, const char *t, scratch *s, long ti, size_t tb,
                         size_t te, long first_para, int all)
{
    size_t skipped = 0;
    /* between the head (above the first paragraph, among the first
     * HEAD_LINES) and the tail (the last TAIL_LINES) zoned_line() takes only
     * the title and its text */
    size_t head_end = first_para >= 0 && first_para < HEAD_LINES ? (size_t)first_para : HEAD_LINES;
    size_t tail_start = s->nl > TAIL_LINES ? s->nl - TAIL_LINES : 0;
    for (size_t k = 0; k < s->nl; k++) {
        if (!all && k >= head_end && k < tail_start) {
            size_t j = k;
            while (j < tail_start && !title_line(t, s, j, ti, tb, te))
                j++;
            skipped += j - k;
            k = j; /* a title line, or the tail's first */
        }
        if (!all && !zoned_line(g, t, s, k, ti, tb, te, first_para)) {
            skipped++;
            continue;
        }
        size_t m0 = s->nm;
        scan_line(g, t, k, s, 0);
        line *L = &s->l[k];
        if (title_line(t, s, k, ti, tb, te))
            L->zone = Z_TITLE;
        else if (org_line(t, L, s, m0, s->nm)) {
            /* above the first paragraph: header; near the end: signature */
            if (k < HEAD_LINES && (first_para < 0 || k < (size_t)first_para))
                L->zone = Z_HEADER;
            else if (k + TAIL_LINES >= s->nl)
                L->zone = Z_SIGNATURE;
        }
        for (size_t i = m0; i < s->nm; i++)
            /* 报告_某区人民政府门户网站: the site is a clue, not the title */
            s->m[i].zone = L->zone == Z_TITLE && k == (size_t)ti &&
                                   (s->m[i].off < tb || s->m[i].off >= te)
                               ? Z_BODY
                               : L->zone;
    }
    return skipped;
}

/* The self mention of the highest zone that has one; -1 if none. */
static int zone_self(const scratch *s, int *zone)
{
    for (int z = Z_TITLE; z > Z_BODY; z--) {
        int self = self_mention(s, z);
        if (self >= 0) {
            *zone = z;
            return self;
        }
    }
    *zone = Z_BODY;
    return -1;
}

/* Keeps of rows[0..n) those that the self mention of another zone also
 * names, zone by zone from the title down, while more than one is left (新城镇
 * in the title, 滨海新区新城镇人民政府 in the signature). Sets bit z of *by for
 * each zone z that narrowed them. Returns the count left. */
static size_t narrow_by_zones(const scratch *s, int self, int32_t *rows, size_t n, unsigned *by)
{
    *by = 0;
    for (int z = Z_TITLE; z > Z_BODY && n > 1; z--) {
        int o = self_mention(s, z);
        if (o < 0 || o == self)
            continue;
        const mention *om = &s->m[o];
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < om->nr; k++)
                if (s->rows[om->r0 + k] == rows[i]) {
                    rows[w++] = rows[i];
                    break;
                }
        if (w > 0 && w < n) {
            n = w;
            *by |= 1u << z;
        }
    }
    return n;
}

/* After scan_names() of the zoned lines only: could the names of the other
 * lines change the result? The decision reads body mentions in exactly
 * three places: body_choice() (no self mention in the title, header or
 * signature, or a header not of the level the body speaks as) and the votes
 * (collect_votes(), vote_for(), explain_votes(): more than one candidate
 * left after narrowing). Everything else it reads is the self mentions of
 * the zones (self_mention(), narrow_by_zones(), explain_mention()), which
 * come from zoned lines only, and the text itself (self_suffix(),
 * the line numbers, decide_year()). A zoned line's names do not depend on the
 * other lines: scan_line() keeps no state from line to line, its chains and
 * rows stay within the line, and the zones of the lines come from the line
 * numbers, the title and the line's own names. The one exception is the cap
 * of FZ_RESOLVE_MAX_MENTIONS, which the full scan cannot reach when the text
 * is too short to hold that many names (the names kept do not overlap, and
 * none is shorter than fz_gazetteer_min_name()); a longer text is always
 * scanned in full. The order of the mentions of the zones is the order of
 * the full scan, so self_mention() picks the same ones. Returns 1 if the
 * full scan is needed. */
static int body_needed(const fz_gazetteer *g, const char *t, size_t len, scratch *s)
{
    int zone, self = zone_self(s, &zone);
    if (self < 0)
        return 1;
    const mention *m = &s->m[self];
    if (zone == Z_HEADER && !fits_level(g, s, m, text_suffix(s, t, len)))
        return 1;
    if (m->nr <= 1)
        return 0;
    int32_t buf[64];
    int32_t *rows = m->nr <= 64 ? buf : fz_xmalloc(m->nr * sizeof *rows);
    memcpy(rows, s->rows + m->r0, m->nr * sizeof *rows);
    unsigned by;
    size_t n = narrow_by_zones(s, self, rows, m->nr, &by);
    if (rows != buf)
        free(rows);
    return n > 1;
}

/* The full scan needs no FZ_RESOLVE_MAX_MENTIONS cap on a text of len bytes. */
static int below_cap(const fz_gazetteer *g, size_t len)
{
    return len / fz_gazetteer_min_name(g) < FZ_RESOLVE_MAX_MENTIONS;
}

/* Resolves t into r; full: scan every line for names. */
static void resolve(const fz_gazetteer *g, const char *t, size_t len, const uint32_t *off,
                    size_t nlines, fz_resolution *r, int full)
{
    static const double base_conf[] = { 0.6, 0.85, 0.9, 0.95 }; /* by zone */
    reset(r);
    scratch *s = sc_of(r);
    split_lines(t, len, off, nlines, s);
    long ti = find_title(t, s);
    size_t tb = 0, te = 0; /* the title without a site name after it */
    if (ti >= 0) {
        te = title_end(t, s->l[ti].b, s->l[ti].e);
        tb = title_begin(t, s->l[ti].b, te);
        r->title = fz_arena_strndup(&r->arena, t + tb, te - tb);
        assert(s->l[ti].no == line_number(t, tb));
        fz_buf_adds(&r->evidence, "title (line ");
        add_num(&r->evidence, s->l[ti].no);
        fz_buf_adds(&r->evidence, "): ");
        fz_buf_adds(&r->evidence, r->title);
        fz_buf_addc(&r->evidence, '\n');
    }
    long first_para = -1;
    for (size_t k = 0; k < s->nl && first_para < 0; k++)
        if (s->l[k].e - s->l[k].b > ORG_MAX)
            first_para = (long)k;
    /* the zoned lines first; all lines when the others could matter */
    int all = full || !below_cap(g, len);
    r->unscanned = scan_names(g, t, s, ti, tb, te, first_para, all);
    if (r->unscanned > 0 && body_needed(g, t, len, s)) {
        s->nm = s->nrows = 0;
        for (size_t k = 0; k < s->nl; k++)
            s->l[k].zone = Z_BODY;
        r->unscanned = scan_names(g, t, s, ti, tb, te, first_para, 1);
    }

    int zone, self = zone_self(s, &zone);
    if (self >= 0 && zone == Z_HEADER) {
        /* A header may be the site's banner (清远市人民政府) above a town's
         * report: when the body speaks as another level (我镇) and names a
         * division of that level, the body is the reporter. */
        const mention *hm = &s->m[self];
        int b = fits_level(g, s, hm, text_suffix(s, t, len)) ? -1 : body_choice(g, t, len, s);
        if (b >= 0) {
            fz_buf_printf(&r->evidence, "header '%.*s' is not of the level the body speaks as\n",
                          (int)hm->len, t + hm->off);
            self = b;
            zone = Z_BODY;
        }
    }
    if (self < 0)
        self = body_choice(g, t, len, s);
    if (self >= 0) {
        const mention *m = &s->m[self];
        explain_mention(g, r, s, t, m, "reporting body");
        /* candidate rows; another zone's chain may narrow them */
        r->cand = fz_xmalloc(m->nr * sizeof *r->cand);
        memcpy(r->cand, s->rows + m->r0, m->nr * sizeof *r->cand);
        unsigned by;
        r->ncand = narrow_by_zones(s, self, r->cand, m->nr, &by);
        for (int z = Z_TITLE; z > Z_BODY; z--)
            if (by >> z & 1)
                explain_mention(g, r, s, t, &s->m[self_mention(s, z)], "narrowed by");
        if (r->ncand > 1)
            collect_votes(s);
        cand *cs = fz_xmalloc(r->ncand * sizeof *cs);
        for (size_t i = 0; i < r->ncand; i++)
            cs[i] = (cand){ r->cand[i], r->ncand > 1 ? vote_for(g, s, r->cand[i]) : 0 };
        qsort(cs, r->ncand, sizeof *cs, cmp_cand);
        for (size_t i = 0; i < r->ncand; i++)
            r->cand[i] = cs[i].row;
        double margin = r->ncand > 1 ? cs[0].score - cs[1].score : INFINITY;
        r->method = zone_names[zone];
        if (r->ncand == 1 || margin >= 0.5) {
            r->status = FZ_REGION_RESOLVED;
            fill_region(g, r, cs[0].row);
            r->confidence = base_conf[zone];
            if (r->ncand > 1) {
                r->confidence *= 0.6 + 0.4 * fmin(1.0, margin / 3.0);
                fz_buf_printf(&r->evidence,
                              "chosen by the other divisions named: %s scores %.2f, next %.2f\n",
                              r->code, cs[0].score, cs[1].score);
                explain_votes(g, r, s, t, cs[0].row);
            }
            if (m->suffix == SUF_DEPT && zone != Z_BODY) {
                r->department = fz_arena_strndup(&r->arena, t + m->off + m->len, m->suf_len);
                r->level = FZ_LEVEL_DEPARTMENT;
            }
        } else {
            r->status = FZ_REGION_AMBIGUOUS;
            /* keep the candidates the votes could not tell from the best */
            size_t keep = 1;
            while (keep < r->ncand && cs[0].score - cs[keep].score < 0.5)
                keep++;
            r->ncand = keep;
            r->confidence = base_conf[zone] / (double)r->ncand;
            fz_buf b;
            fz_buf_init(&b);
            size_t shown = r->ncand < FZ_RESOLVE_MAX_CANDIDATES ? r->ncand
                                                                : FZ_RESOLVE_MAX_CANDIDATES;
            for (size_t i = 0; i < shown; i++) {
                char path[512];
                const fz_region *R = fz_gazetteer_at(g, (size_t)cs[i].row);
                fz_gazetteer_path(g, cs[i].row, path, sizeof path);
                fz_buf_printf(&b, "%s%s %s %s", i ? "|" : "", R->code, R->name, path);
            }
            r->candidates = fz_arena_strdup(&r->arena, b.data);
            fz_buf_release(&b);
            fz_buf_printf(&r->evidence, "ambiguous: %zu candidates, best scores %.2f and %.2f\n",
                          r->ncand, cs[0].score, cs[1].score);
        }
        free(cs);
    } else {
        fz_buf_adds(&r->evidence, "no division is named as the reporting body\n");
    }
    decide_year(r, t, len);
}

#ifndef NDEBUG
static int same_str(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Every field of two resolutions is the same. */
static int same_resolution(const fz_resolution *a, const fz_resolution *b)
{
    int same = a->status == b->status && a->region == b->region && same_str(a->code, b->code) &&
               same_str(a->name, b->name) && same_str(a->path, b->path) &&
               same_str(a->province, b->province) && same_str(a->prefecture, b->prefecture) &&
               same_str(a->county, b->county) && same_str(a->township, b->township) &&
               a->level == b->level && same_str(a->department, b->department) &&
               same_str(a->method, b->method) && a->confidence == b->confidence &&
               a->ncand == b->ncand && same_str(a->candidates, b->candidates) &&
               a->year == b->year && a->has_year == b->has_year &&
               same_str(a->year_method, b->year_method) && same_str(a->published, b->published) &&
               same_str(a->title, b->title) && a->evidence.len == b->evidence.len &&
               (a->evidence.len == 0 || memcmp(a->evidence.data, b->evidence.data, a->evidence.len) == 0);
    for (size_t i = 0; same && i < a->ncand; i++)
        same = a->cand[i] == b->cand[i];
    return same;
}
#endif

/* fz_region_resolve_text, with the line starts when they are known. */
static int resolve_lines(const fz_gazetteer *g, const char *t, size_t len, const uint32_t *off,
                         size_t nlines, fz_resolution *r)
{
    resolve(g, t, len, off, nlines, r, 0);
#ifndef NDEBUG
    /* the lines left unscanned cannot have changed anything; the lines
     * given are the lines found */
    if (r->unscanned > 0 || off) {
        fz_resolution full;
        fz_resolution_init(&full);
        resolve(g, t, len, NULL, 0, &full, r->unscanned > 0);
        assert(same_resolution(r, &full));
        fz_resolution_release(&full);
    }
#endif
    return 0;
}

int fz_region_resolve_text(const fz_gazetteer *g, const char *t, size_t len, fz_resolution *r)
{
    return resolve_lines(g, t, len, NULL, 0, r);
}

int fz_region_resolve_text_full(const fz_gazetteer *g, const char *t, size_t len,
                                fz_resolution *r)
{
    resolve(g, t, len, NULL, 0, r, 1);
    return 0;
}

int fz_region_resolve(const fz_gazetteer *g, const fz_document *doc, fz_resolution *res)
{
    if (!doc->text)
        return fz_region_resolve_text(g, "", 0, res);
    /* the reader's documents: every line ends with '\n', line_off says where */
    int lines = doc->utf8 && doc->line_off && doc->nlines > 0 &&
                doc->line_off[0] == 0 && doc->len > 0 && doc->text[doc->len - 1] == '\n';
    return resolve_lines(g, doc->text, doc->len, lines ? doc->line_off : NULL,
                         lines ? doc->nlines : 0, res);
}

const char *fz_region_status_name(fz_region_status s)
{
    switch (s) {
    case FZ_REGION_RESOLVED: return "resolved";
    case FZ_REGION_AMBIGUOUS: return "ambiguous";
    default: return "unresolved";
    }
}

void fz_resolution_to_doc(const fz_resolution *r, fz_obs_doc *d)
{
    d->region_code = r->code;
    d->region_name = r->name;
    d->province = r->province;
    d->prefecture = r->prefecture;
    d->county = r->county;
    d->township = r->township;
    d->level = r->level;
    d->department = r->department;
    d->region_status = fz_region_status_name(r->status);
    d->region_method = r->method;
    d->region_confidence = r->confidence;
    d->region_candidates = r->candidates;
    d->year = r->year;
    d->has_year = r->has_year;
    d->year_method = r->year_method;
    d->published = r->published;
    d->title = r->title;
}

size_t fz_region_lookup(const fz_gazetteer *g, const char *query, int32_t *out, size_t max)
{
    size_t n = strlen(query), b = 0, e = n, found = 0;
    trim(query, &b, &e);
    if (e == b)
        return 0;
    int32_t row = -1;
    char code[16];
    if (e - b < sizeof code) {
        memcpy(code, query + b, e - b);
        code[e - b] = '\0';
        row = fz_gazetteer_find_code(g, code);
    }
    if (row >= 0) {
        if (max)
            out[0] = row;
        return 1;
    }
    scratch s = { 0 };
    s.l = fz_xmalloc(sizeof *s.l);
    s.l[0] = (line){ b, e, Z_HEADER, 1 };
    s.nl = s.capl = 1;
    scan_line(g, query, 0, &s, 1);
    if (s.nm > 0 && org_segment(query, b, e, &s, 0, s.nm)) {
        const mention *m = &s.m[s.nm - 1];
        for (size_t k = 0; k < m->nr; k++) {
            if (found < max)
                out[found] = s.rows[m->r0 + k];
            found++;
        }
    }
    free(s.m);
    free(s.rows);
    free(s.l);
    return found;
}
