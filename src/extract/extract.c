/* extract.c: sentences -> keyword hits + quantities -> figures. The rules and
 * the primary rule are documented in extract.h; comments here quote the
 * phrasing behind each detail. */
#include "extract.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"
#include "numeral.h"
#include "xalloc.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define FZ_EXTRACT_AVX2 1
#endif

#define NO_IND ((size_t)-1)
#define PRIO_WEIGHT (10 * 3) /* one priority step is worth 10 CJK characters */
#define MAX_CLAUSE  (200 * 3) /* bytes a clause may reach each way from a number */

typedef struct span {
    size_t s, e;
} span;

/* A word list searched in one pass (see lits_in). */
typedef struct lit {
    const char *s;
    size_t      n; /* bytes */
} lit;
#define LIT(x) { x, sizeof(x) - 1 }
#define NLITS(a) (sizeof(a) / sizeof *(a))

/* 办结率同比提高5%, 案件较上年减少12件: a change, not a level. 提升至98% is a
 * level again (the last two). */
static const lit change_words[] = { LIT("增长"), LIT("上升"), LIT("提高"), LIT("提升"),
                                    LIT("下降"), LIT("降低"), LIT("增加"), LIT("减少"),
                                    LIT("同比"), LIT("环比"), LIT("增幅"), LIT("降幅"),
                                    LIT("至"),   LIT("到") };
/* 确保办结率达到100%, 力争培育法律明白人2000名: a target, not a result. */
static const lit target_words[] = { LIT("确保"),     LIT("力争"),     LIT("争取"),
                                    LIT("目标"),     LIT("预计"),     LIT("计划开展"),
                                    LIT("计划完成"), LIT("计划举办"), LIT("拟开展"),
                                    LIT("拟完成"),   LIT("拟举办") };
/* Verbs that let a bare quantity continue the previous figure. */
static const lit verb_words[] = { LIT("受理"), LIT("办结"), LIT("审结"), LIT("结案"),
                                  LIT("化解"), LIT("办理"), LIT("处理"), LIT("答复"),
                                  LIT("回复"), LIT("采纳"), LIT("撤回"), LIT("维持"),
                                  LIT("撤销"), LIT("驳回"), LIT("纠正"), LIT("立案"),
                                  LIT("调解成功"), LIT("成功"), LIT("终止"), LIT("审查"),
                                  LIT("审核") };
/* A heading of plans: 三、下一步工作计划. */
static const lit plan_words[] = { LIT("下一步"), LIT("计划"), LIT("设想"),   LIT("打算"),
                                  LIT("思路"),   LIT("展望"), LIT("主要安排"), LIT("工作安排") };
/* Scope words (see scope_tier): whole area or year, the first 11, then totals. */
static const lit scope_words[] = {
    LIT("全年"), LIT("全镇"), LIT("全区"), LIT("全县"), LIT("全市"), LIT("全乡"),
    LIT("全街道"), LIT("全省"), LIT("全旗"), LIT("全州"), LIT("全盟"),
    LIT("共"), LIT("累计"), LIT("总计"), LIT("合计"), LIT("总数"), LIT("总量"),
    LIT("本年度"), LIT("今年"), LIT("年内"), LIT("全体")
};

enum { WL_CHANGE, WL_TARGET, WL_VERB, WL_PLAN, WL_SCOPE, WL_COUNT };

/* A word list and its filter: bit i of by1[a] (by2[b]) is set when the low 6
 * bits of the second (third) byte of word i are a (b). */
typedef struct wordlist {
    const lit *w;
    size_t     n;
    uint32_t   by1[64], by2[64];
} wordlist;

/* The words of l that may start at u (a lead byte): those whose second and
 * third bytes agree with u[1] and u[2] in their low 6 bits. */
static inline uint32_t lits_at(const wordlist *l, const unsigned char *u)
{
    return l->by1[u[1] & 0x3F] & l->by2[u[2] & 0x3F];
}

typedef struct fig {
    size_t  ind;          /* indicator index, NO_IND for an unmapped quantity */
    double  value, value_high;
    fz_qual qual;
    char    unit[FZ_QUANTITY_UNIT_MAX];
    int     partial;      /* 1: cannot be primary (see extract.h) */
    int     level;        /* keyword level prefix: 0 none, 1 村/居/社区/各, 2 镇/乡/街道 */
    size_t  qpos;         /* first byte of the number (or zero word) */
    int     year;         /* YYYY年 earlier in its sentence, 0 if none */
    int     tier;         /* scope words in its clause: 2 全年/全镇..., 1 共/累计..., 0 */
    size_t  line;         /* index of the document line */
    span    phrase;       /* bytes of the words stating it */
    span    clause;       /* bytes of its clause */
    span    noun;         /* counted noun for unmapped quantities */
    size_t  seq;          /* order of discovery, for a stable sort */
} fig;

/* What the sentence pass does at a 3-byte character (pass_step): nothing,
 * a numeral, 零 (a numeral and a zero word), 无, 没 and 未 (zero words, the
 * last two before 有 and 发生/出现), 。 (the sentence's end). */
enum { SC_NONE, SC_NUMERAL, SC_LING, SC_WU, SC_MEI, SC_WEI, SC_END };

/* A slot of the perfect hash of the pass's 3-byte characters. */
typedef struct stop_char {
    uint16_t c;    /* code point, 0 in an empty slot */
    uint8_t  kind; /* SC_* */
} stop_char;

/* The slot of code point c among 32 (no two of the pass's characters share one). */
static inline unsigned stop_hash(unsigned c)
{
    return (uint32_t)(c * 0xFD95E4F1u) >> 27;
}

#ifndef NDEBUG
/* A sentence the pass found: its bytes, first trigger, zero words, and
 * what it recorded for the quantity scan */
typedef struct found_sentence {
    size_t   s, e, first;
    int      zero, irregular;
    size_t   ncand;
    uint64_t cands; /* a hash of cand[] */
} found_sentence;
#endif

struct fz_extractor {
    const fz_lexicon *lex;
    fz_kw_hit *raw;       /* every hit in the sentence */
    size_t     nraw, capraw;
    fz_kw_hit *hits;      /* keyword hits that can govern (after containment) */
    size_t     nhits, caphits;
    span      *titles;    /* 《》 */
    size_t     ntitles, captitles;
    span      *quotes;    /* “” */
    size_t     nquotes, capquotes;
    size_t    *parens;    /* where the sentence has ( or ) */
    size_t     nparens, capparens;
    size_t    *years;     /* the end of each 年 at least 4 bytes into the sentence */
    size_t     nyears, capyears;
    size_t     qizhong;   /* the first 其中 of the sentence, SIZE_MAX if none */
    size_t     fenbie;    /* the first 分别 of the sentence, SIZE_MAX if none */
    size_t     target_at[NLITS(target_words)]; /* first of each in the sentence (mark_spans) */
    fig       *figs;
    size_t     nfigs, capfigs;
    fz_quantity *qs;      /* quantities of the sentence */
    size_t     nqs, capqs;
    size_t    *cand;      /* where fz_quantity_next would stop in the sentence */
    size_t     ncand, capcand;
    int        irregular; /* the sentence has bytes that make cand[] unusable */
    unsigned char *seen;  /* per indicator: a primary was given */
    unsigned char *ctx;   /* per indicator: a context word is in the sentence */
    unsigned char *wroles; /* per word of the lexicon: bit r set when it has role r */
    int        excl;      /* some hit of the sentence is an exclusion: else entry_usable
                           * has none to look for (set by scan_sentence) */
    stop_char  stopc[32]; /* 。 and the characters that start a numeral or zero word, by stop_hash */
    /* 3-byte characters and ASCII bytes the sentence pass must look at, by
     * its state (0: no trigger yet, 1: a numeral, 2: a zero word): the rest
     * are skipped in a tight loop. look[] is indexed by look_hash() of the
     * second and third bytes, so a character that only shares them with one
     * of those is looked at too (and found uninteresting by the full test).
     * One byte per hash value: the test is a single load. */
    unsigned char look[3][1u << 14];
    unsigned char look_ascii[3][128];
    /* The same stops found 64 bytes at a time (stop_mask64) in valid UTF-8:
     * six 16-entry tables, by the low and the high nibble of a byte and of
     * the two after it, whose entries AND to a nonzero byte where a stop may
     * start (see stops_init). simd: the CPU can run stop_mask64. */
    unsigned char stop_tab[6][16];
    /* mark_spans' look at a 3-byte character, by look_hash(): 1 when the
     * character may start a target word (the filter of WL_TARGET) or may be
     * one of 《》“” 年 其 分, which the pass stops at (see spans_init) */
    unsigned char span_look[1u << 14];
    /* stop_mask64's tables for mark_spans_pass: a byte is marked when it may
     * start ( ), 《》“” 年 其 分 or a target word (see spans_init) */
    unsigned char span_tab[6][16];
    size_t     len;       /* bytes of the document's text */
    int        simd;
    int        utf8;      /* the document's text is valid UTF-8 (fz_document.utf8) */
    wordlist   wl[WL_COUNT]; /* the word lists above with their filters */
    fz_buf     phrase, snippet, noun;
    size_t     base;      /* absolute offset of the sentence being scanned */
#ifndef NDEBUG
    /* the plain pass's sentences of a line, to check the marked pass's
     * (sentence_found): check 1 records them, 2 compares */
    found_sentence *found;
    size_t     nfound, capfound, ifound;
    int        check;
#endif
};

/* The low 6 bits of the two bytes at u (the continuation bytes of a 3-byte
 * character), as one 14-bit number. */
static inline unsigned look_hash(const unsigned char *u)
{
    return (unsigned)(u[0] & 0x3F) | (unsigned)(u[1] & 0x3F) << 8;
}

/* w as read from memory by a little-endian machine: byte i in bits 8i..8i+7 */
static inline uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(w);
#else
    return w;
#endif
}

static void look_set(unsigned char *look, unsigned c)
{
    unsigned char b[2] = { (unsigned char)(0x80 | (c >> 6 & 0x3F)),
                           (unsigned char)(0x80 | (c & 0x3F)) };
    look[look_hash(b)] = 1;
}

/* ---- the sentence pass's skip, 64 bytes at a time ----
 *
 * A byte at i of valid UTF-8 is marked when it may start something the
 * sentence pass stops at in any state: an ASCII byte of look_ascii, the
 * lead byte of a 2- or 4-byte character, or a trigger character or 。
 * (exactly its three bytes, up to the nibble tables' cross products). Each
 * kind has bits of its own in the tables' bytes: a byte's entry in the
 * tables of the two bytes after it has every bit of the one-byte kinds, and
 * the three-byte characters are spread over five bits by lead byte (a bit's
 * cross products stay few: 。〇 and 一两三七万 share one, the other E4, E5
 * and E6 characters have one each, 零 and 百 the last; in the generated
 * reports that marks 26,000 characters that are none of the stops instead of
 * 109,000 when 。〇, the E4 B8 and the E6 characters had theirs). Whatever is not marked, the plain pass passes
 * over too, so the marked pass steps only at marked bytes; a marked byte
 * that is none of those the step passes over. */
enum { STOP_DIGIT = 0x20, STOP_ASCII = 0x40, STOP_LEAD = 0x80 };

static void stop_add(unsigned char tab[6][16], const unsigned char *b, int n, unsigned bits)
{
    for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 16; k++)
            if (j >= n) { /* a one-byte kind: any byte after it */
                tab[2 * j][k] |= (unsigned char)bits;
                tab[2 * j + 1][k] |= (unsigned char)bits;
            }
        if (j < n) {
            tab[2 * j][b[j] & 15] |= (unsigned char)bits;
            tab[2 * j + 1][b[j] >> 4] |= (unsigned char)bits;
        }
    }
}

static void stops_init(fz_extractor *x, const unsigned *chars, size_t n)
{
    memset(x->stop_tab, 0, sizeof x->stop_tab);
    for (unsigned c = 0; c < 128; c++)
        if (x->look_ascii[0][c] | x->look_ascii[1][c] | x->look_ascii[2][c]) {
            unsigned char b = (unsigned char)c;
            stop_add(x->stop_tab, &b, 1, c >> 4 == 3 ? STOP_DIGIT : STOP_ASCII);
        }
    for (unsigned c = 0xC0; c < 0x100; c++)
        if (c < 0xE0 || c >= 0xF0) {
            unsigned char b = (unsigned char)c;
            stop_add(x->stop_tab, &b, 1, STOP_LEAD);
        }
    for (size_t i = 0; i < n; i++) {
        unsigned c = chars[i];
        assert(c >= 0x800 && c <= 0xFFFF);
        unsigned char b[3] = { (unsigned char)(0xE0 | c >> 12),
                               (unsigned char)(0x80 | (c >> 6 & 0x3F)),
                               (unsigned char)(0x80 | (c & 0x3F)) };
        unsigned bit = b[0] == 0xE3 || (b[0] == 0xE4 && b[1] == 0xB8) ? 0
                       : b[0] == 0xE4                                ? 1
                       : b[0] == 0xE5                                ? 2
                       : b[0] == 0xE6                                ? 3
                                                                     : 4;
        stop_add(x->stop_tab, b, 3, 1u << bit);
    }
#if defined(FZ_EXTRACT_AVX2)
    x->simd = __builtin_cpu_supports("avx2");
#endif
}

#if defined(FZ_EXTRACT_AVX2)
/* Marks of u[0..32) (reads u[0..34)). */
__attribute__((target("avx2"))) static inline uint32_t stop_mask32(const __m256i *t,
                                                                   const unsigned char *u)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)u);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(u + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(u + 2));
    __m256i a = _mm256_and_si256(_mm256_shuffle_epi8(t[0], _mm256_and_si256(v0, nib)),
                                 _mm256_shuffle_epi8(t[1], _mm256_and_si256(_mm256_srli_epi16(v0, 4), nib)));
    __m256i b = _mm256_and_si256(_mm256_shuffle_epi8(t[2], _mm256_and_si256(v1, nib)),
                                 _mm256_shuffle_epi8(t[3], _mm256_and_si256(_mm256_srli_epi16(v1, 4), nib)));
    __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(t[4], _mm256_and_si256(v2, nib)),
                                 _mm256_shuffle_epi8(t[5], _mm256_and_si256(_mm256_srli_epi16(v2, 4), nib)));
    __m256i m = _mm256_and_si256(a, _mm256_and_si256(b, c));
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256()));
}

/* Bit i set when byte i of u[0..64) is marked (see above); reads u[0..66). */
__attribute__((target("avx2"))) static uint64_t stop_mask64(const unsigned char tab[6][16],
                                                            const unsigned char *u)
{
    __m256i t[6];
#define STOP_TAB(k) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)tab[k]))
    t[0] = STOP_TAB(0);
    t[1] = STOP_TAB(1);
    t[2] = STOP_TAB(2);
    t[3] = STOP_TAB(3);
    t[4] = STOP_TAB(4);
    t[5] = STOP_TAB(5);
#undef STOP_TAB
    return (uint64_t)stop_mask32(t, u) | (uint64_t)stop_mask32(t, u + 32) << 32;
}
#endif

/* The window of 64 marks the marked pass works from: bit i for byte base + i. */
typedef struct stop_win {
    size_t   base;
    uint64_t mask;
} stop_win;

#if defined(FZ_EXTRACT_AVX2)
/* The marks of the window at base: stop_mask64 of the text where 66 bytes
 * are left, else of a zero-padded copy of the rest (a byte's mark depends on
 * the two after it only for three-byte characters, which end in the text),
 * none past its end. */
static uint64_t win_marks(const unsigned char tab[6][16], const unsigned char *u, size_t len,
                          size_t base)
{
    if (base + 66 <= len)
        return stop_mask64(tab, u + base);
    unsigned char pad[96] = { 0 };
    size_t n = len > base ? len - base : 0;
    memcpy(pad, u + base, n);
    return stop_mask64(tab, pad) & (n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1);
}

/* The first byte marked by the tables tab at or after p and before lim
 * (<= len), else some place from lim on: windows are read up to lim only,
 * so that a pass cut at lim does not read the text after it again. */
static inline size_t next_mark(const unsigned char tab[6][16], const unsigned char *u, size_t len,
                               size_t p, size_t lim, stop_win *w)
{
    if (p - w->base >= 64) { /* p is not in the window (p < base wraps) */
        w->base = p;
        w->mask = win_marks(tab, u, len, p);
    }
    uint64_t m = w->mask >> (p - w->base);
    if (m)
        return p + (size_t)__builtin_ctzll(m);
    while (w->base + 64 < lim) {
        w->base += 64;
        w->mask = win_marks(tab, u, len, w->base);
        if (w->mask)
            return w->base + (size_t)__builtin_ctzll(w->mask);
    }
    return lim;
}
#endif

static void spans_init(fz_extractor *x)
{
    const wordlist *tw = &x->wl[WL_TARGET];
    for (unsigned a = 0; a < 64; a++)
        for (unsigned b = 0; b < 64; b++)
            if (tw->by1[a] & tw->by2[b])
                x->span_look[a | b << 8] = 1;
    /* 《 》 “ ” (the second byte 80), 年 其 分 */
    static const unsigned chars[] = { 0x300A, 0x300B, 0x201C, 0x201D, 0x5E74, 0x5176, 0x5206 };
    const size_t nchars = sizeof chars / sizeof *chars;
    for (size_t i = 0; i < nchars; i++)
        look_set(x->span_look, chars[i]);
    /* the same for stop_mask64, with ( ) and the first characters of the
     * target words (no other character starts one); a kind's bit by lead
     * byte: E2 and E3 share one, E4..E9 one each, ASCII the last */
    memset(x->span_tab, 0, sizeof x->span_tab);
    for (size_t i = 0; i < nchars + tw->n; i++) {
        unsigned char b[3];
        if (i < nchars) {
            b[0] = (unsigned char)(0xE0 | chars[i] >> 12);
            b[1] = (unsigned char)(0x80 | (chars[i] >> 6 & 0x3F));
            b[2] = (unsigned char)(0x80 | (chars[i] & 0x3F));
        } else {
            memcpy(b, tw->w[i - nchars].s, 3);
        }
        assert(b[0] >= 0xE2 && b[0] <= 0xE9);
        stop_add(x->span_tab, b, 3, 1u << (b[0] == 0xE2 ? 0 : b[0] - 0xE3));
    }
    stop_add(x->span_tab, (const unsigned char *)"(", 1, 0x80);
    stop_add(x->span_tab, (const unsigned char *)")", 1, 0x80);
}

fz_extractor *fz_extractor_new(const fz_lexicon *lex)
{
    fz_extractor *x = fz_xcalloc(1, sizeof *x);
    x->lex = lex;
    x->seen = fz_xcalloc(fz_lexicon_count(lex) + 1, 1);
    x->ctx = fz_xcalloc(fz_lexicon_count(lex) + 1, 1);
    x->wroles = fz_xcalloc(fz_lexicon_nwords(lex) + 1, 1);
    for (uint32_t w = 0; w < fz_lexicon_nwords(lex); w++)
        for (size_t k = 0, ind; k < fz_lexicon_word_nentries(lex, w); k++) {
            fz_kw_role role;
            fz_lexicon_word_entry(lex, w, k, &ind, &role);
            x->wroles[w] |= (unsigned char)(1u << role);
        }
    static const unsigned trig[] = { 0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                                     0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                                     0x5343, 0x4E07, 0x4EBF, /* numerals */
                                     0x65E0, 0x6CA1, 0x672A /* 无 没 未 */ };
    /* states 0 and 1: every trigger (after one: numerals are recorded for the
     * quantity scan, zero words still matter); state 2: numerals only */
    for (size_t i = 0; i < sizeof trig / sizeof *trig + 1; i++) {
        unsigned c = i < sizeof trig / sizeof *trig ? trig[i] : 0x3002;
        stop_char *e = &x->stopc[stop_hash(c)];
        assert(e->c == 0);
        e->c = (uint16_t)c;
        e->kind = c == 0x3002 ? SC_END : c == 0x96F6 ? SC_LING : c == 0x65E0 ? SC_WU
                  : c == 0x6CA1 ? SC_MEI : c == 0x672A ? SC_WEI : SC_NUMERAL;
    }
    for (size_t i = 0; i < sizeof trig / sizeof *trig; i++) {
        look_set(x->look[0], trig[i]);
        look_set(x->look[1], trig[i]);
        if (i < sizeof trig / sizeof *trig - 3) /* not a zero word */
            look_set(x->look[2], trig[i]);
    }
    for (int st = 0; st < 3; st++) {
        look_set(x->look[st], 0x3002); /* 。 */
        x->look_ascii[st][';'] = x->look_ascii[st]['!'] = x->look_ascii[st]['?'] = 1;
        x->look_ascii[st]['\n'] = 1;
        for (int d = '0'; d <= '9'; d++)
            x->look_ascii[st][d] = 1;
    }
    static const struct {
        const lit *w;
        size_t     n;
    } lists[WL_COUNT] = {
        [WL_CHANGE] = { change_words, NLITS(change_words) },
        [WL_TARGET] = { target_words, NLITS(target_words) },
        [WL_VERB] = { verb_words, NLITS(verb_words) },
        [WL_PLAN] = { plan_words, NLITS(plan_words) },
        [WL_SCOPE] = { scope_words, NLITS(scope_words) },
    };
    for (int k = 0; k < WL_COUNT; k++) {
        wordlist *l = &x->wl[k];
        l->w = lists[k].w;
        l->n = lists[k].n;
        assert(l->n <= 32);
        for (size_t i = 0; i < l->n; i++) {
            /* every word is at least one CJK character (see lits_in) */
            assert(l->w[i].n >= 3 && (unsigned char)l->w[i].s[0] >= 0xE0);
            l->by1[l->w[i].s[1] & 0x3F] |= 1u << i;
            l->by2[l->w[i].s[2] & 0x3F] |= 1u << i;
        }
    }
    unsigned stops[sizeof trig / sizeof *trig + 1];
    memcpy(stops, trig, sizeof trig);
    stops[sizeof trig / sizeof *trig] = 0x3002;
    stops_init(x, stops, sizeof stops / sizeof *stops);
    spans_init(x);
    fz_buf_init(&x->phrase);
    fz_buf_init(&x->snippet);
    fz_buf_init(&x->noun);
    return x;
}

void fz_extractor_free(fz_extractor *x)
{
    if (!x)
        return;
    free(x->raw);
    free(x->hits);
    free(x->titles);
    free(x->quotes);
    free(x->parens);
    free(x->years);
    free(x->figs);
    free(x->qs);
    free(x->cand);
    free(x->seen);
    free(x->ctx);
    free(x->wroles);
#ifndef NDEBUG
    free(x->found);
#endif
    fz_buf_release(&x->phrase);
    fz_buf_release(&x->snippet);
    fz_buf_release(&x->noun);
    free(x);
}

#define GROW(arr, n, cap)                                                    \
    do {                                                                     \
        if ((n) == (cap)) {                                                  \
            (cap) = (cap) ? (cap) * 2 : 64;                                  \
            (arr) = fz_xreallocarray((arr), (cap), sizeof *(arr));           \
        }                                                                    \
    } while (0)

/* ---- small text helpers ---- */

static inline int has(const char *t, size_t len, size_t pos, const char *word)
{
    if (pos >= len || t[pos] != word[0])
        return 0;
    size_t n = strlen(word);
    return n <= len - pos && memcmp(t + pos, word, n) == 0;
}

static int ends_with(const char *t, size_t lo, size_t pos, const char *word)
{
    size_t n = strlen(word);
    return pos >= lo + n && memcmp(t + pos - n, word, n) == 0;
}

static unsigned cp_at(const char *t, size_t len, size_t pos, size_t *l)
{
    if (pos >= len) {
        *l = 0;
        return 0;
    }
    return fz_utf8_get(t + pos, len - pos, l);
}

/* cp_before for what its inline fast paths leave: pos at lo, or a character
 * that is not ASCII and not a well-formed 3-byte one. */
static unsigned cp_before_slow(const char *t, size_t lo, size_t pos, size_t *start)
{
    if (pos <= lo) {
        *start = lo;
        return 0;
    }
    size_t p = fz_utf8_prev(t, pos), l;
    if (p < lo)
        p = lo;
    *start = p;
    return fz_utf8_get(t + p, pos - p, &l);
}

static inline unsigned cp_before(const char *t, size_t lo, size_t pos, size_t *start)
{
    const unsigned char *u = (const unsigned char *)t;
    /* fast paths, the same as cp_before_slow: ASCII, and a well-formed
     * 3-byte character */
    if (pos > lo && u[pos - 1] < 0x80) {
        *start = pos - 1;
        return u[pos - 1];
    }
    if (pos >= lo + 3 && (u[pos - 3] & 0xF0) == 0xE0 && (u[pos - 2] & 0xC0) == 0x80 &&
        (u[pos - 1] & 0xC0) == 0x80) {
        *start = pos - 3;
        return ((unsigned)(u[pos - 3] & 0x0F) << 12) | ((unsigned)(u[pos - 2] & 0x3F) << 6) |
               (u[pos - 1] & 0x3F);
    }
    return cp_before_slow(t, lo, pos, start);
}

static int cn_numeral_char(unsigned c)
{
    static const unsigned cs[] = { 0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                                   0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                                   0x5343, 0x4E07, 0x4EBF };
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++)
        if (c == cs[i])
            return 1;
    return 0;
}

static int is_han(unsigned c)
{
    return c >= 0x4E00 && c <= 0x9FFF;
}

/* Ends a clause: , ; : ( ) and sentence ends. 、 does not (镇调委会1个、村调委会20个). */
static int clause_stop(unsigned c)
{
    return c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')' ||
           c == 0x3002 || c == '\n';
}

/* A short aside in parentheses does not end a clause: 村(社区), 村(居),
 * 党工委中心组(扩大). One with digits or punctuation does: (其中:3宗...). */
static int short_aside(const char *t, size_t open, size_t close)
{
    if (close <= open || close - open > 8 * 3 + 1)
        return 0;
    for (size_t p = open + 1; p < close; p++) {
        unsigned char b = (unsigned char)t[p];
        if (b < 0x80 && b != ' ')
            return 0; /* digits, ASCII punctuation */
    }
    return 1;
}

/* u[0..6) are two well-formed 3-byte characters, neither 。 (the only
 * 3-byte character clause_of stops at or looks at) */
static inline int plain_pair(const unsigned char *u)
{
    uint64_t w = 0;
    memcpy(&w, u, 6);
    w = le64(w);
    return (w & 0xC0C0F0C0C0F0u) == 0x8080E08080E0u && (w & 0xFFFFFF) != 0x8280E3 &&
           w >> 24 != 0x8280E3;
}

static span clause_pass(const char *t, size_t lo, size_t hi, size_t s, size_t e, int skip)
{
    const unsigned char *u = (const unsigned char *)t;
    span c = { s, e };
    /* a clause reaches at most MAX_CLAUSE bytes each way: real ones are far
     * shorter, and run-on text must not make every quantity rescan it */
    if (s > lo + MAX_CLAUSE)
        lo = fz_utf8_prev(t, s - MAX_CLAUSE + 1);
    if (hi > e + MAX_CLAUSE) {
        hi = e + MAX_CLAUSE;
        while (hi > e && ((unsigned char)t[hi] & 0xC0) == 0x80)
            hi--;
    }
    while (c.s > lo) {
        if (skip && c.s >= lo + 6 && plain_pair(u + c.s - 6)) {
            c.s -= 6; /* what the step below does twice */
            continue;
        }
        size_t p;
        unsigned ch = cp_before(t, lo, c.s, &p);
        if (ch == ')') {
            size_t o = p;
            while (o > lo && p - o < 8 * 3 + 2 && t[o] != '(')
                o--;
            if (t[o] == '(' && short_aside(t, o, p)) {
                c.s = o;
                continue;
            }
        }
        if (ch == ':' && s - p <= 3 * 3 + 1) {
            c.s = p; /* 受理行政复议案件:12件, a label and its value */
            continue;
        }
        if (clause_stop(ch))
            break;
        c.s = p;
    }
    while (c.e < hi) {
        if (skip && c.e + 6 <= hi && plain_pair(u + c.e)) {
            c.e += 6;
            continue;
        }
        size_t l;
        unsigned ch = cp_at(t, hi, c.e, &l);
        if (ch == '(') {
            size_t cl = c.e + 1;
            while (cl < hi && cl - c.e < 8 * 3 + 2 && t[cl] != ')')
                cl++;
            if (cl < hi && t[cl] == ')' && short_aside(t, c.e, cl)) {
                c.e = cl + 1;
                continue;
            }
        }
        if (clause_stop(ch))
            break;
        c.e += l;
    }
    return c;
}

/* The clause around [s, e) within [lo, hi): clause_pass with the skip;
 * debug builds check it against the pass without */
static span clause_of(const char *t, size_t lo, size_t hi, size_t s, size_t e)
{
    span c = clause_pass(t, lo, hi, s, e, 1);
#ifndef NDEBUG
    span c2 = clause_pass(t, lo, hi, s, e, 0);
    assert(c.s == c2.s && c.e == c2.e);
#endif
    return c;
}

static int in_spans(const span *sp, size_t n, size_t s, size_t e)
{
    for (size_t i = 0; i < n; i++)
        if (s >= sp[i].s && e <= sp[i].e)
            return 1;
    return 0;
}

static int contains(const char *t, size_t s, size_t e, const char *word)
{
    size_t n = strlen(word);
    return e >= s + n && memmem(t + s, e - s, word, n) != NULL;
}

/* Offset of word in [s, e), or SIZE_MAX. */
static size_t find(const char *t, size_t s, size_t e, const char *word)
{
    size_t n = strlen(word);
    const char *f = e >= s + n ? memmem(t + s, e - s, word, n) : NULL;
    return f ? (size_t)(f - t) : SIZE_MAX;
}

/* Which of the words w[0..n) (n <= 32) occur wholly inside t[s, e): bit i is
 * set when w[i] does, and at[i] (if at is not NULL) gets the offset of its
 * first occurrence, SIZE_MAX when none; the same as one memmem per word, in
 * one pass over the bytes. Stops early once a word of mask stop is found.
 * Every word is at least one CJK character (3 bytes, lead byte >= 0xE0), so
 * the bytes of ASCII and continuation bytes are passed over at once. */
static uint32_t lits_pass(const char *t, size_t s, size_t e, const wordlist *l, uint32_t stop,
                          size_t *at, int skip)
{
    const unsigned char *u = (const unsigned char *)t;
    uint32_t found = 0;
    const lit *w = l->w;
    const size_t n = l->n;
    if (at)
        for (size_t i = 0; i < n; i++)
            at[i] = SIZE_MAX;
    for (size_t p = s; p + 3 <= e; p++) {
        /* two well-formed 3-byte characters that fail the filter at once */
        while (skip && p + 8 <= e) {
            uint64_t v;
            memcpy(&v, u + p, 8);
            v = le64(v);
            if ((v & 0xC0C0F0C0C0F0u) != 0x8080E08080E0u || lits_at(l, u + p) ||
                lits_at(l, u + p + 3))
                break;
            p += 6;
        }
        if (p + 3 > e)
            break;
        if (u[p] < 0xE0)
            continue;
        uint32_t c = lits_at(l, u + p) & ~found;
        if (!c) {
            /* no word starts here; nor at the next two bytes if they are
             * below 0xE0 (continuation bytes) */
            if (u[p + 1] < 0xE0)
                p += u[p + 2] < 0xE0 ? 2 : 1;
            continue;
        }
        for (; c; c &= c - 1) {
            size_t i = (size_t)__builtin_ctz(c);
            const unsigned char *ws = (const unsigned char *)w[i].s;
            if (u[p] != ws[0] || u[p + 1] != ws[1] || u[p + 2] != ws[2] || w[i].n > e - p ||
                (w[i].n > 3 && memcmp(u + p + 3, ws + 3, w[i].n - 3) != 0))
                continue;
            found |= 1u << i;
            if (at)
                at[i] = p;
        }
        if (found & stop)
            break;
    }
    return found;
}

/* lits_pass with the skip; debug builds check it against the pass without */
static uint32_t lits_in(const char *t, size_t s, size_t e, const wordlist *l, uint32_t stop,
                        size_t *at)
{
    uint32_t found = lits_pass(t, s, e, l, stop, at, 1);
#ifndef NDEBUG
    size_t at2[32];
    assert(lits_pass(t, s, e, l, stop, at ? at2 : NULL, 0) == found &&
           (!at || memcmp(at, at2, l->n * sizeof *at) == 0));
#endif
    return found;
}

/* ---- keyword hits ---- */

static void on_hit(void *ctx, const fz_kw_hit *h)
{
    fz_extractor *x = ctx;
    GROW(x->raw, x->nraw, x->capraw);
    x->raw[x->nraw] = *h;
    x->raw[x->nraw].start += (uint32_t)x->base;
    x->raw[x->nraw].end += (uint32_t)x->base;
    x->nraw++;
}

/* Does word w have role for indicator ind (any indicator: NO_IND)? */
static int word_has_role(const fz_extractor *x, uint32_t w, size_t ind, fz_kw_role role)
{
    if (!(x->wroles[w] >> role & 1))
        return 0;
    if (ind == NO_IND)
        return 1;
    const fz_lexicon *lex = x->lex;
    size_t n = fz_lexicon_word_nentries(lex, w), i2;
    fz_kw_role r;
    for (size_t k = 0; k < n; k++) {
        fz_lexicon_word_entry(lex, w, k, &i2, &r);
        if (r == role && i2 == ind)
            return 1;
    }
    return 0;
}

/* First index in a (sorted by end offset, as the automaton reports them)
 * whose end is >= v. */
static size_t lower_end(const fz_kw_hit *a, size_t n, size_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].end < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Keeps the hits that can govern a number: not inside 《》, not contained in
 * a longer hit (网格 in 网格事件, 调处 in 成功调处, 律师 in 驻村律师). */
static void filter_hits(fz_extractor *x)
{
    x->nhits = 0;
    size_t j0 = 0; /* lower_end(x->raw, x->nraw, h->end): h->end grows with i */
    for (size_t i = 0; i < x->nraw; i++) {
        const fz_kw_hit *h = &x->raw[i];
        if (in_spans(x->titles, x->ntitles, h->start, h->end))
            continue;
        if (!word_has_role(x, h->word, NO_IND, FZ_KW_STRONG) &&
            !word_has_role(x, h->word, NO_IND, FZ_KW_WEAK))
            continue;
        while (j0 < x->nraw && x->raw[j0].end < h->end)
            j0++;
        assert(j0 == lower_end(x->raw, x->nraw, h->end));
        int inside = 0;
        /* a containing hit ends within a keyword's length after h starts */
        for (size_t j = j0;
             j < x->nraw && x->raw[j].end <= h->start + FZ_LEXICON_MAX_KEYWORD && !inside; j++) {
            const fz_kw_hit *o = &x->raw[j];
            if (j != i && o->start <= h->start && h->end <= o->end &&
                (o->end - o->start) > (h->end - h->start) &&
                (word_has_role(x, o->word, NO_IND, FZ_KW_STRONG) ||
                 word_has_role(x, o->word, NO_IND, FZ_KW_WEAK) ||
                 word_has_role(x, o->word, NO_IND, FZ_KW_EXCLUDE)))
                inside = 1;
        }
        if (inside)
            continue;
        GROW(x->hits, x->nhits, x->caphits);
        x->hits[x->nhits++] = *h;
    }
}

/* Can hit h stand for indicator ind here? Weak keywords need a context word
 * in the same sentence (成功率 after 调解; 排查 before 矛盾纠纷); an exclusion touching the hit cancels it
 * (学法 + 工作会议, 行政处罚 + 案卷). */
static int entry_usable(const fz_extractor *x, const fz_kw_hit *h, size_t ind, fz_kw_role role,
                        size_t sent_s)
{
    (void)sent_s; /* raw holds this sentence's hits only */
    for (size_t j = x->excl ? lower_end(x->raw, x->nraw, h->start) : x->nraw;
         j < x->nraw && x->raw[j].end <= h->end + FZ_LEXICON_MAX_KEYWORD; j++) {
        const fz_kw_hit *o = &x->raw[j];
        if (o->start <= h->end && o->end >= h->start &&
            word_has_role(x, o->word, ind, FZ_KW_EXCLUDE))
            return 0;
    }
    if (role == FZ_KW_STRONG)
        return 1;
    return role == FZ_KW_WEAK && x->ctx[ind];
}

static int unit_fits(const fz_lexicon *lex, size_t ind, const char *unit)
{
    return fz_lexicon_accepts(lex, ind, unit);
}

/* A change word (change_words) between s and e, and no level word. */
static int change_between(const fz_extractor *x, const char *t, size_t s, size_t e)
{
    const uint32_t level = 3u << 12;
    uint32_t m = lits_in(t, s, e, &x->wl[WL_CHANGE], level, NULL);
    return (m & ~level) && !(m & level);
}

/* A target word (target_words) between s and e. */
static int target_before(const fz_extractor *x, const char *t, size_t s, size_t e)
{
    size_t at[NLITS(target_words)];
    if (!lits_in(t, s, e, &x->wl[WL_TARGET], 0, at))
        return 0;
    for (size_t i = 0; i < NLITS(target_words); i++) {
        /* 按计划开展, 按照计划完成: done as planned, a result (only the first
         * occurrence of each word is looked at) */
        if (at[i] != SIZE_MAX && !ends_with(t, s, at[i], "按") && !ends_with(t, s, at[i], "照"))
            return 1;
    }
    return 0;
}

/* target_before(x, t, s, e) for the sentence [s, e) mark_spans passed over:
 * from the first occurrences it recorded. */
static int target_in_sentence(const fz_extractor *x, const char *t, size_t s)
{
    for (size_t i = 0; i < NLITS(target_words); i++) {
        size_t at = x->target_at[i];
        if (at != SIZE_MAX && !ends_with(t, s, at, "按") && !ends_with(t, s, at, "照"))
            return 1;
    }
    return 0;
}

/* ---- association ---- */

enum { A_NONE, A_FOUND, A_AMBIG, A_NOUN };

#define MAX_MULTI 8

typedef struct assoc {
    int    status;
    size_t ind[MAX_MULTI]; /* chosen indicators (several only for 均达100%) */
    size_t nind;
    const fz_kw_hit *hit[MAX_MULTI];
    int    after;          /* the keyword follows the number */
    span   noun;           /* the counted noun (A_NOUN / unmapped) */
} assoc;

typedef struct cand {
    size_t ind;
    int    score;
    const fz_kw_hit *h;
} cand;

/* Continuations after a quantity that are not a counted noun:
 * 6宗已全部办结, 8宗涉及, 20个均已, 3个和... */
static int continuation(unsigned c)
{
    switch (c) {
    case 0x5DF2: /* 已 */ case 0x5747: /* 均 */ case 0x5168: /* 全 */ case 0x90FD: /* 都 */
    case 0x5E76: /* 并 */ case 0x548C: /* 和 */ case 0x4E0E: /* 与 */ case 0x53CA: /* 及 */
    case 0x540C: /* 同 */ case 0x8F83: /* 较 */ case 0x6BD4: /* 比 */ case 0x5360: /* 占 */
    case 0x4E3A: /* 为 */ case 0x5176: /* 其 */ case 0x5171: /* 共 */ case 0x6D89: /* 涉 */
    case 0x7B49: /* 等 */ case 0x5206: /* 分 */ case 0x5B9E: /* 实 */
        return 1;
    default:
        return 0;
    }
}

static int level_char(unsigned c)
{
    return c == 0x9547 /* 镇 */ || c == 0x4E61 /* 乡 */ || c == 0x6751 /* 村 */ ||
           c == 0x5C45 /* 居 */;
}

/* Characters that start a verb or particle rather than continue a noun:
 * 12个事业单位整合成, 9个单位列为, 20个村委会已完成. */
static int verbish(unsigned c)
{
    switch (c) {
    case 0x4E86: /* 了 */ case 0x662F: /* 是 */ case 0x5728: /* 在 */ case 0x5C06: /* 将 */
    case 0x88AB: /* 被 */ case 0x5BF9: /* 对 */ case 0x5411: /* 向 */ case 0x4ECE: /* 从 */
    case 0x628A: /* 把 */ case 0x8BA9: /* 让 */ case 0x4F7F: /* 使 */ case 0x7531: /* 由 */
    case 0x5217: /* 列 */ case 0x6574: /* 整 */ case 0x5F00: /* 开 */ case 0x8FDB: /* 进 */
    case 0x7EB3: /* 纳 */ case 0x4F5C: /* 作 */ case 0x5B8C: /* 完 */ case 0x901A: /* 通 */
    case 0x63D0: /* 提 */ case 0x5EFA: /* 建 */ case 0x8BBE: /* 设 */ case 0x6210: /* 成 */
    case 0x4E3A: /* 为 */ case 0x5230: /* 到 */
        return 1;
    default:
        return 0;
    }
}

/* The noun right after pos: up to 6 Han characters, stopping at 的. */
static span noun_after(const char *t, size_t hi, size_t pos)
{
    span n = { pos, pos };
    for (int k = 0; k < 6; k++) {
        size_t l;
        unsigned c = cp_at(t, hi, n.e, &l);
        if (!is_han(c) || c == 0x7684 /* 的 */ || (n.e > pos && (continuation(c) || verbish(c))))
            break;
        n.e += l;
    }
    return n;
}

/* The words right before pos: up to 6 Han characters back to lo. */
static span noun_before(const char *t, size_t lo, size_t pos)
{
    static const char *const fillers[] = { "共计", "累计", "总数", "合计", "共有", "共", "达",
                                           "为", "有", "计" };
    size_t e = pos;
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof fillers / sizeof *fillers; i++)
            if (ends_with(t, lo, e, fillers[i])) {
                e -= strlen(fillers[i]);
                again = 1;
                break;
            }
    }
    span n = { e, e };
    for (int k = 0; k < 6; k++) {
        size_t p;
        unsigned c = cp_before(t, lo, n.s, &p);
        if (!is_han(c) || c == 0x7684)
            break;
        n.s = p;
    }
    return n;
}

/* Decides which indicator governs the quantity [qs, qe) with measure word unit
 * (or "%"). ws: where keywords before may start; cl: the clause. */
static void associate(const fz_extractor *x, const char *t, size_t qs, size_t qe,
                      const char *unit, int percent, size_t ws, span cl, size_t sent_s,
                      assoc *a)
{
    const fz_lexicon *lex = x->lex;
    memset(a, 0, sizeof *a);
    a->status = A_NONE;

    /* keyword right after: 413宗投诉件, 114块网格, 5个驻村律师, 3个“法律明白人” */
    size_t ap = qe, l;
    unsigned c = cp_at(t, cl.e, ap, &l);
    if (c == 0x201C || c == '"' || c == 0x7684 /* 的 */)
        ap += l;
    if (!percent) {
        int seen = 0;
        cand best = { NO_IND, -1000000, NULL };
        int tie = 0;
        for (size_t i = lower_end(x->hits, x->nhits, qe);
             i < x->nhits && x->hits[i].end <= ap + 3 + FZ_LEXICON_MAX_KEYWORD; i++) {
            const fz_kw_hit *h = &x->hits[i];
            size_t hs = h->start;
            if (hs != qe && hs != ap) {
                /* one level prefix may come between: 20个村调委会 */
                size_t l2;
                unsigned c2 = cp_at(t, cl.e, qe, &l2);
                if (!(level_char(c2) && hs == qe + l2))
                    continue;
            }
            if (h->end > cl.e)
                continue;
            seen = 1;
            size_t n = fz_lexicon_word_nentries(lex, h->word);
            for (size_t k = 0; k < n; k++) {
                size_t ind;
                fz_kw_role role;
                fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
                if (!entry_usable(x, h, ind, role, sent_s) || !unit_fits(lex, ind, unit))
                    continue;
                int sc = fz_lexicon_priority(lex, ind);
                if (sc > best.score) {
                    best = (cand){ ind, sc, h };
                    tie = 0;
                } else if (sc == best.score && ind != best.ind) {
                    tie = 1;
                }
            }
        }
        if (best.ind != NO_IND) {
            a->after = 1;
            if (tie) {
                a->status = A_AMBIG;
            } else {
                a->status = A_FOUND;
                a->ind[0] = best.ind;
                a->hit[0] = best.h;
                a->nind = 1;
            }
            a->noun = noun_after(t, cl.e, qe);
            return;
        }
        if (seen) {
            a->status = A_NOUN; /* counts a thing whose indicator takes other units */
            a->noun = noun_after(t, cl.e, qe);
            return;
        }
        /* 20个村委会: a classifier followed by a noun counts that noun */
        if (strcmp(unit, "个") == 0 || strcmp(unit, "块") == 0 || strcmp(unit, "家") == 0) {
            c = cp_at(t, cl.e, qe, &l);
            if (is_han(c) && !continuation(c)) {
                a->status = A_NOUN;
                a->noun = noun_after(t, cl.e, qe);
                return;
            }
        }
    }

    /* 对18份重大行政决策事项开展合法性审查: 对 fronts the counted object; the
     * keyword after it in the clause governs */
    if (!percent && ends_with(t, cl.s, qs, "对")) {
        for (size_t i = lower_end(x->hits, x->nhits, qe); i < x->nhits; i++) {
            const fz_kw_hit *h = &x->hits[i];
            if (h->start < qe || h->end > cl.e || h->start - qe > 20 * 3)
                continue;
            size_t n = fz_lexicon_word_nentries(lex, h->word);
            for (size_t k = 0; k < n; k++) {
                size_t ind;
                fz_kw_role role;
                fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
                if (entry_usable(x, h, ind, role, sent_s) && unit_fits(lex, ind, unit) &&
                    fz_lexicon_kind(lex, ind) == FZ_KIND_COUNT) {
                    a->status = A_FOUND;
                    a->after = 1;
                    a->ind[0] = ind;
                    a->hit[0] = h;
                    a->nind = 1;
                    return;
                }
            }
            break; /* only the first keyword after the object */
        }
    }

    /* keywords before, nearest and most specific first */
    cand cands[MAX_MULTI * 4];
    size_t nc = 0;
    size_t maxgap = (size_t)FZ_EXTRACT_MAX_GAP * 3;
    for (size_t i = lower_end(x->hits, x->nhits, ws); i < x->nhits && x->hits[i].end <= qs; i++) {
        const fz_kw_hit *h = &x->hits[i];
        if (h->start < ws || qs - h->end > maxgap)
            continue;
        if (change_between(x, t, h->end, qs))
            continue;
        size_t n = fz_lexicon_word_nentries(lex, h->word);
        for (size_t k = 0; k < n; k++) {
            size_t ind;
            fz_kw_role role;
            fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
            if (!entry_usable(x, h, ind, role, sent_s))
                continue;
            if ((fz_lexicon_kind(lex, ind) == FZ_KIND_RATE) != (percent != 0))
                continue;
            if (!unit_fits(lex, ind, unit))
                continue;
            int sc = fz_lexicon_priority(lex, ind) * PRIO_WEIGHT - (int)(qs - h->end);
            size_t j;
            for (j = 0; j < nc; j++)
                if (cands[j].ind == ind)
                    break;
            if (j < nc) {
                if (sc > cands[j].score)
                    cands[j] = (cand){ ind, sc, h };
            } else if (nc < sizeof cands / sizeof *cands) {
                cands[nc++] = (cand){ ind, sc, h };
            }
        }
    }
    if (nc == 0) {
        a->noun = noun_before(t, ws, qs);
        return;
    }
    /* sort by score, best first (tiny n) */
    for (size_t i = 1; i < nc; i++)
        for (size_t j = i; j > 0 && cands[j].score > cands[j - 1].score; j--) {
            cand tmp = cands[j];
            cands[j] = cands[j - 1];
            cands[j - 1] = tmp;
        }
    /* 满意率、办结率均达100%: one percentage shared by every rate before 均/都 */
    if (percent && nc > 1) {
        size_t last_end = 0;
        for (size_t i = 0; i < nc; i++)
            if (cands[i].h->end > last_end)
                last_end = cands[i].h->end;
        if (contains(t, last_end, qs, "均") || contains(t, last_end, qs, "都")) {
            a->status = A_FOUND;
            for (size_t i = 0; i < nc && a->nind < MAX_MULTI; i++) {
                a->ind[a->nind] = cands[i].ind;
                a->hit[a->nind++] = cands[i].h;
            }
            for (size_t i = 1; i < a->nind; i++) /* text order */
                for (size_t j = i; j > 0 && a->hit[j]->start < a->hit[j - 1]->start; j--) {
                    size_t ti = a->ind[j];
                    const fz_kw_hit *th = a->hit[j];
                    a->ind[j] = a->ind[j - 1];
                    a->hit[j] = a->hit[j - 1];
                    a->ind[j - 1] = ti;
                    a->hit[j - 1] = th;
                }
            return;
        }
    }
    if (nc > 1 && cands[1].score == cands[0].score) {
        a->status = A_AMBIG;
        a->noun = noun_before(t, ws, qs);
        return;
    }
    a->status = A_FOUND;
    a->ind[0] = cands[0].ind;
    a->hit[0] = cands[0].h;
    a->nind = 1;
}

/* 行政复议案件和行政诉讼案件分别为5件和3件: the n-th quantity after 分别
 * goes to the n-th keyword before it. 1 and a->... filled when it applies. */
static int respectively(const fz_extractor *x, size_t fb, size_t ordinal,
                        const char *unit, int percent, span cl, size_t sent_s, assoc *a)
{
    const fz_lexicon *lex = x->lex;
    size_t inds[MAX_MULTI];
    const fz_kw_hit *hs[MAX_MULTI];
    size_t n = 0;
    for (size_t i = 0; i < x->nhits && n < MAX_MULTI; i++) {
        const fz_kw_hit *h = &x->hits[i];
        if (h->start < cl.s || h->end > fb)
            continue;
        size_t ne = fz_lexicon_word_nentries(lex, h->word), pick = NO_IND;
        for (size_t k = 0; k < ne; k++) {
            size_t ind;
            fz_kw_role role;
            fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
            if (!entry_usable(x, h, ind, role, sent_s) ||
                (fz_lexicon_kind(lex, ind) == FZ_KIND_RATE) != (percent != 0) ||
                !fz_lexicon_accepts(lex, ind, unit))
                continue;
            if (pick == NO_IND || fz_lexicon_priority(lex, ind) > fz_lexicon_priority(lex, pick))
                pick = ind;
        }
        if (pick == NO_IND)
            continue;
        size_t j;
        for (j = 0; j < n; j++)
            if (inds[j] == pick)
                break;
        if (j < n)
            continue;
        inds[n] = pick;
        hs[n++] = h;
    }
    if (n < 2 || ordinal >= n)
        return 0;
    memset(a, 0, sizeof *a);
    a->status = A_FOUND;
    a->ind[0] = inds[ordinal];
    a->hit[0] = hs[ordinal];
    a->nind = 1;
    return 1;
}

/* The level prefix of a keyword: 1 for a level below any report's area
 * (村调委会, 村(居)调委会, 社区..., 各镇...), 2 for 镇/乡/街道, which may be
 * the area itself (街道人民调解委员会29个) or a sub-total when listed with
 * another level (镇调委会1个、村调委会20个). 0: none; 我镇/全镇/本镇 and place
 * names (大路边镇) are the whole. */
static int sub_unit(const char *t, size_t lo, const fz_kw_hit *h)
{
    size_t p = h->start, p0;
    unsigned c = cp_before(t, lo, p, &p0);
    if (c == ')') { /* 村(居)调委会, 村(社区)法律顾问 */
        size_t q = p0, q0;
        for (int k = 0; k < 4 && q > lo; k++) {
            unsigned c2 = cp_before(t, lo, q, &q0);
            q = q0;
            if (c2 == '(') {
                p = q;
                c = cp_before(t, lo, p, &p0);
                break;
            }
        }
    }
    if (c == 0x7EA7 /* 级 */) {
        p = p0;
        c = cp_before(t, lo, p, &p0);
    }
    int lv;
    if (level_char(c)) {
        lv = (c == 0x9547 /* 镇 */ || c == 0x4E61 /* 乡 */) ? 2 : 1;
        p = p0;
    } else if (ends_with(t, lo, p, "社区")) {
        lv = 1;
        p -= 6;
    } else if (ends_with(t, lo, p, "街道")) {
        lv = 2;
        p -= 6;
    } else {
        return 0;
    }
    c = cp_before(t, lo, p, &p0);
    if (c == 0x6211 /* 我 */ || c == 0x5168 /* 全 */ || c == 0x672C /* 本 */ ||
        c == 0x8BE5 /* 该 */ || c == 0x6B64 /* 此 */)
        return 0;
    if (c == 0x5404 /* 各 */)
        return 1; /* 各村, 各镇: a sum over lower units */
    if (!is_han(c))
        return lv;
    static const unsigned joiners[] = { 0x6709 /* 有 */, 0x8BBE /* 设 */, 0x5EFA /* 建 */,
                                        0x7ACB /* 立 */, 0x548C /* 和 */, 0x53CA /* 及 */,
                                        0x4E0E /* 与 */, 0x5171 /* 共 */, 0x4E2A /* 个 */,
                                        0x5176 /* 其 */ };
    for (size_t i = 0; i < sizeof joiners / sizeof *joiners; i++)
        if (c == joiners[i])
            return lv;
    return 0;
}

/* Verbs that let a bare quantity continue the previous figure:
 * 收到行政复议案件共11宗,审查后符合受理9宗. */
static int processing_verb(const fz_extractor *x, const char *t, size_t s, size_t e)
{
    return lits_in(t, s, e, &x->wl[WL_VERB], UINT32_MAX, NULL) != 0;
}

/* snprintf(dst, FZ_QUANTITY_UNIT_MAX, "%s", unit) without the format engine */
static void set_unit(char *dst, const char *unit)
{
    size_t n = 0;
    while (n < FZ_QUANTITY_UNIT_MAX - 1 && unit[n])
        n++;
    memcpy(dst, unit, n);
    dst[n] = '\0';
}

static fig *add_fig(fz_extractor *x)
{
    GROW(x->figs, x->nfigs, x->capfigs);
    fig *f = &x->figs[x->nfigs];
    memset(f, 0, sizeof *f);
    f->seq = x->nfigs++;
    return f;
}

/* ---- sentence scanning ---- */

/* What mark_spans_pass carries from one character to the next. */
typedef struct span_state {
    uint32_t tfound;     /* the target words found */
    size_t   ts, qs;     /* where the open 《 and “ are */
    int      in_title, in_quote;
    size_t   quote_from; /* see mark_spans_pass */
} span_state;

/* mark_spans_pass's step at p; returns where it goes on. */
static inline size_t span_step(fz_extractor *x, const unsigned char *u, size_t s, size_t e,
                               size_t p, span_state *st)
{
    unsigned b = u[p];
    if (b < 0x80) {
        if (b == '(' || b == ')') {
            GROW(x->parens, x->nparens, x->capparens);
            x->parens[x->nparens++] = p;
        }
        return p + 1;
    }
    if (b >= 0xE0 && p + 2 < e) {
        const wordlist *tw = &x->wl[WL_TARGET];
        for (uint32_t c = lits_at(tw, u + p) & ~st->tfound; c; c &= c - 1) {
            size_t i = (size_t)__builtin_ctz(c);
            const lit *w = &tw->w[i];
            if (w->n <= e - p && memcmp(u + p, w->s, w->n) == 0) {
                st->tfound |= 1u << i;
                x->target_at[i] = p;
            }
        }
        if ((b == 0xE3 || b == 0xE2) && u[p + 1] == 0x80 && p >= st->quote_from) {
            unsigned c3 = u[p + 2];
            if (b == 0xE3 && c3 == 0x8A) {
                st->in_title = 1;
                st->ts = p;
            } else if (b == 0xE3 && c3 == 0x8B && st->in_title) {
                GROW(x->titles, x->ntitles, x->captitles);
                x->titles[x->ntitles++] = (span){ st->ts, p + 3 };
                st->in_title = 0;
            } else if (b == 0xE2 && c3 == 0x9C) {
                st->in_quote = 1;
                st->qs = p;
            } else if (b == 0xE2 && c3 == 0x9D && st->in_quote) {
                GROW(x->quotes, x->nquotes, x->capquotes);
                x->quotes[x->nquotes++] = (span){ st->qs, p + 3 };
                st->in_quote = 0;
            }
            st->quote_from = p + 3;
        } else if (b == 0xE5) {
            /* 年 E5 B9 B4, 其中 E5 85 B6 E4 B8 AD, 分别 E5 88 86 E5 88 AB */
            if (u[p + 1] == 0xB9 && u[p + 2] == 0xB4) {
                if (p >= s + 4) {
                    GROW(x->years, x->nyears, x->capyears);
                    x->years[x->nyears++] = p + 3;
                }
            } else if (u[p + 1] == 0x85 && u[p + 2] == 0xB6 && x->qizhong == SIZE_MAX &&
                       e - p >= 6 && memcmp(u + p + 3, "\xE4\xB8\xAD", 3) == 0) {
                x->qizhong = p;
            } else if (u[p + 1] == 0x88 && u[p + 2] == 0x86 && x->fenbie == SIZE_MAX &&
                       e - p >= 6 && memcmp(u + p + 3, "\xE5\x88\xAB", 3) == 0) {
                x->fenbie = p;
            }
        }
        /* none of the bytes looked for is a continuation byte */
        if ((u[p + 1] & 0xC0) == 0x80 && (u[p + 2] & 0xC0) == 0x80)
            return p + 3;
    }
    return p + 1;
}

/* One pass over the sentence for what the later steps look up: 《》 and “”
 * spans (an unclosed 《 runs to the sentence's end), where ( and ) are,
 * where a 年 ends (candidates for year_at), the first 其中 and 分别, and the
 * first of each target word as lits_in finds them (it looks at every byte
 * from E0 on, and so does the step). skip 0: a step at every character; 1:
 * two well-formed 3-byte characters that the step would only pass over
 * (span_look) at once; 2 (valid UTF-8 of x->len bytes, AVX2): a step only
 * at the bytes span_tab marks, the characters where the step does more than
 * pass over. */
static void mark_spans_pass(fz_extractor *x, const char *t, size_t s, size_t e, int skip)
{
    x->ntitles = x->nquotes = x->nparens = x->nyears = 0;
    x->qizhong = x->fenbie = SIZE_MAX;
    const unsigned char *u = (const unsigned char *)t;
    for (size_t i = 0; i < x->wl[WL_TARGET].n; i++)
        x->target_at[i] = SIZE_MAX;
    /* 《 E3 80 8A, 》 E3 80 8B, “ E2 80 9C, ” E2 80 9D: byte compares only;
     * after one of their first two bytes the next two bytes are not looked
     * at for them (quote_from) */
    span_state st = { 0, 0, 0, 0, 0, s };
    size_t p = s;
#if defined(FZ_EXTRACT_AVX2)
    stop_win win = { (size_t)-64, 0 };
#endif
    while (p < e) {
#if defined(FZ_EXTRACT_AVX2)
        if (skip == 2) {
            p = next_mark(x->span_tab, u, x->len, p, e, &win);
            if (p >= e)
                break;
        }
#endif
        while (skip == 1 && p + 8 <= e) {
            uint64_t w;
            memcpy(&w, u + p, 8);
            w = le64(w);
            if ((w & 0xC0C0F0C0C0F0u) != 0x8080E08080E0u ||
                (x->span_look[w >> 8 & 0x3F3F] | x->span_look[w >> 32 & 0x3F3F]))
                break;
            p += 6;
        }
        p = span_step(x, u, s, e, p, &st);
    }
    if (st.in_title) {
        GROW(x->titles, x->ntitles, x->captitles);
        x->titles[x->ntitles++] = (span){ st.ts, e };
    }
}

#ifndef NDEBUG
/* n elements of a and b alike (both may be NULL when n is 0) */
static int same_mem(const void *a, const void *b, size_t n, size_t size)
{
    return n == 0 || memcmp(a, b, n * size) == 0;
}
#endif

/* mark_spans_pass with a skip; debug builds check it against the pass
 * without */
static void mark_spans(fz_extractor *x, const char *t, size_t s, size_t e)
{
    mark_spans_pass(x, t, s, e, x->simd && x->utf8 ? 2 : 1);
#ifndef NDEBUG
    fz_extractor *y = fz_xmalloc(sizeof *y);
    memcpy(y, x, sizeof *y);
    y->titles = y->quotes = NULL;
    y->parens = y->years = NULL;
    y->captitles = y->capquotes = y->capparens = y->capyears = 0;
    mark_spans_pass(y, t, s, e, 0);
    assert(y->ntitles == x->ntitles && y->nquotes == x->nquotes && y->nparens == x->nparens &&
           y->nyears == x->nyears && y->qizhong == x->qizhong && y->fenbie == x->fenbie &&
           memcmp(y->target_at, x->target_at, sizeof x->target_at) == 0 &&
           same_mem(y->titles, x->titles, x->ntitles, sizeof *x->titles) &&
           same_mem(y->quotes, x->quotes, x->nquotes, sizeof *x->quotes) &&
           same_mem(y->parens, x->parens, x->nparens, sizeof *x->parens) &&
           same_mem(y->years, x->years, x->nyears, sizeof *x->years));
    free(y->titles);
    free(y->quotes);
    free(y->parens);
    free(y->years);
    free(y);
#endif
}

/* A number inside a short quotation is a name: “一村一法律顾问”, “12345”, “三所联动”. */
static int in_short_quote(const fz_extractor *x, size_t s, size_t e)
{
    for (size_t i = 0; i < x->nquotes; i++)
        if (s >= x->quotes[i].s && e <= x->quotes[i].e &&
            x->quotes[i].e - x->quotes[i].s <= (10 + 2) * 3)
            return 1;
    return 0;
}

static void emit_assoc(fz_extractor *x, const char *t, const assoc *a, size_t qs, size_t qe,
                       double value, double value_high, fz_qual qual, const char *unit,
                       size_t line, span cl, size_t sent_s, int partial_ctx, unsigned flags,
                       int *ambiguous)
{
    if (a->status == A_FOUND) {
        for (size_t k = 0; k < a->nind; k++) {
            fig *f = add_fig(x);
            f->ind = a->ind[k];
            f->value = value;
            f->value_high = value_high;
            f->qual = qual;
            set_unit(f->unit, unit);
            f->line = line;
            f->clause = cl;
            const fz_kw_hit *h = a->hit[k];
            f->phrase.s = h->start < qs ? h->start : qs;
            f->phrase.e = h->end > qe ? h->end : qe;
            if (a->nind > 1 && a->hit[0]->start < f->phrase.s)
                f->phrase.s = a->hit[0]->start; /* 满意率、办结率均达100% */
            f->qpos = qs;
            f->partial = partial_ctx;
            f->level = a->after ? 0 : sub_unit(t, sent_s, h);
            if (a->after) {
                size_t l;
                unsigned c = cp_at(t, cl.e, qe, &l);
                if (level_char(c) && h->start == qe + l) /* 20个村调委会 */
                    f->level = (c == 0x9547 || c == 0x4E61) ? 2 : 1;
            }
            if (f->level == 1)
                f->partial = 1;
        }
        return;
    }
    if (a->status == A_AMBIG && ambiguous)
        (*ambiguous)++;
    if (flags & FZ_EXTRACT_ALL_QUANTITIES) {
        fig *f = add_fig(x);
        f->ind = NO_IND;
        f->value = value;
        f->value_high = value_high;
        f->qual = qual;
        set_unit(f->unit, unit);
        f->line = line;
        f->clause = cl;
        f->phrase = (span){ qs, qe };
        f->qpos = qs;
        f->noun = a->noun;
        f->partial = 1;
    }
}

/* 零投诉, 无一例行政诉讼案件, 未发生行政诉讼案件 */
static void zero_figures(fz_extractor *x, const char *t, size_t s, size_t e, size_t line,
                         int partial_ctx)
{
    const fz_lexicon *lex = x->lex;
    size_t p = s, l;
    while (p < e) {
        unsigned char b0 = (unsigned char)t[p];
        if (b0 != 0xE9 && b0 != 0xE6) { /* 零 E9.., 无 没 未 E6.. */
            p++;
            continue;
        }
        unsigned c = fz_utf8_get(t + p, e - p, &l);
        size_t zs = p, ze = 0;
        int kind = 0; /* 1: 零<kw>, 2: 无一例, 3: 没有发生 <kw>, 4: 无<kw> */
        char unit[FZ_QUANTITY_UNIT_MAX] = "";
        if (c == 0x96F6 /* 零 */) {
            size_t pp;
            unsigned pc = cp_before(t, s, p, &pp);
            if (!cn_numeral_char(pc) && !(pc >= '0' && pc <= '9')) {
                kind = 1;
                ze = p + l;
                if (has(t, e, ze, "\xE2\x80\x9C")) /* “ */
                    ze += 3;
            }
        } else if (has(t, e, p, "无一例") || has(t, e, p, "无一起") || has(t, e, p, "无一件") ||
                   has(t, e, p, "无一宗")) {
            kind = 2;
            ze = p + 9;
            memcpy(unit, t + p + 6, 3);
            unit[3] = '\0';
        } else if (c == 0x65E0 /* 无 */ && !has(t, e, p + l, "一")) {
            /* 全年无行政诉讼案件, 无信访案件发生: 无 right before the keyword,
             * which ends the clause; not 有无, 并无, 若无 (a question or a
             * condition) and not 无需/无论 (no keyword follows them) */
            size_t pp;
            unsigned pc = cp_before(t, s, p, &pp);
            if (pc != 0x6709 /* 有 */ && pc != 0x5E76 /* 并 */ && pc != 0x82E5 /* 若 */ &&
                pc != 0x5982 /* 如 */ && pc != 0x5426 /* 否 */) {
                kind = 4;
                ze = p + l;
            }
        } else {
            static const char *const verbs[] = { "没有发生", "未发生", "没有出现", "未出现" };
            for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
                if (has(t, e, p, verbs[i])) {
                    kind = 3;
                    ze = p + strlen(verbs[i]);
                    break;
                }
        }
        if (!kind) {
            p += l;
            continue;
        }
        span cl = clause_of(t, s, e, zs, ze);
        const fz_kw_hit *best = NULL;
        size_t best_ind = NO_IND;
        int tie = 0;
        for (size_t i = 0; i < x->nhits; i++) {
            const fz_kw_hit *h = &x->hits[i];
            if (h->start < cl.s || h->end > cl.e)
                continue;
            if (kind == 1 && h->start != ze)
                continue;
            if (kind == 3 || kind == 4) {
                /* the keyword is the head of the object: it ends the clause
                 * (未发生行政诉讼案件), not 未发生因调解不当引起的民转刑案件;
                 * after a bare 无 it must follow at once */
                if (h->start < ze || h->start - ze > (kind == 4 ? 0 : 8 * 3))
                    continue;
                size_t tail = h->end;
                static const char *const tails[] = { "的情况", "情况", "事件", "现象",
                                                     "问题", "发生" };
                for (size_t k = 0; k < sizeof tails / sizeof *tails; k++)
                    if (has(t, cl.e, tail, tails[k])) {
                        tail += strlen(tails[k]);
                        break;
                    }
                if (tail != cl.e)
                    continue;
            }
            /* 行政复议案件无一例 (ends the clause), not 案件无一例败诉 */
            if (kind == 2 && !(h->start == ze || (h->end <= zs && ze == cl.e)))
                continue;
            size_t n = fz_lexicon_word_nentries(lex, h->word);
            for (size_t k = 0; k < n; k++) {
                size_t ind;
                fz_kw_role role;
                fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
                if (fz_lexicon_kind(lex, ind) != FZ_KIND_COUNT || !entry_usable(x, h, ind, role, s))
                    continue;
                if (kind == 2 && !fz_lexicon_accepts(lex, ind, unit))
                    continue;
                if (best_ind == NO_IND ||
                    fz_lexicon_priority(lex, ind) > fz_lexicon_priority(lex, best_ind) ||
                    (kind == 2 && h->end <= zs && best->end < h->end)) {
                    best = h;
                    best_ind = ind;
                    tie = 0;
                } else if (ind != best_ind && h == best &&
                           fz_lexicon_priority(lex, ind) == fz_lexicon_priority(lex, best_ind)) {
                    tie = 1;
                }
            }
        }
        if (best && !tie) {
            /* 无一例行政复议和行政诉讼案件, 未发生行政复议和行政诉讼案件: every
             * keyword of a 和/及/与/、 list gets the zero */
            const fz_kw_hit *chain[MAX_MULTI];
            size_t chain_ind[MAX_MULTI], nch = 0;
            chain[nch] = best;
            chain_ind[nch++] = best_ind;
            int forward = kind != 3 && kind != 4 && best->start >= ze; /* best ends the clause */
            const fz_kw_hit *cur = best;
            while (nch < MAX_MULTI) {
                const fz_kw_hit *next = NULL;
                size_t next_ind = NO_IND;
                for (size_t i = 0; i < x->nhits && !next; i++) {
                    const fz_kw_hit *h = &x->hits[i];
                    size_t a0 = forward ? cur->end : h->end, z0 = forward ? h->start : cur->start;
                    if (z0 != a0 + 3 || h->start < cl.s || h->end > cl.e)
                        continue;
                    if (!has(t, cl.e, a0, "和") && !has(t, cl.e, a0, "及") &&
                        !has(t, cl.e, a0, "与") && !has(t, cl.e, a0, "、") &&
                        !has(t, cl.e, a0, "或"))
                        continue;
                    size_t n = fz_lexicon_word_nentries(lex, h->word);
                    for (size_t k = 0; k < n && !next; k++) {
                        size_t ind;
                        fz_kw_role role;
                        fz_lexicon_word_entry(lex, h->word, k, &ind, &role);
                        if (fz_lexicon_kind(lex, ind) == FZ_KIND_COUNT &&
                            entry_usable(x, h, ind, role, s) &&
                            (kind != 2 || fz_lexicon_accepts(lex, ind, unit))) {
                            next = h;
                            next_ind = ind;
                        }
                    }
                }
                if (!next)
                    break;
                size_t j;
                for (j = 0; j < nch; j++)
                    if (chain_ind[j] == next_ind)
                        break;
                if (j == nch) {
                    chain[nch] = next;
                    chain_ind[nch++] = next_ind;
                }
                cur = next;
            }
            for (size_t k0 = 0; k0 < nch; k0++) {
                size_t k = forward ? k0 : nch - 1 - k0; /* text order */
                fig *f = add_fig(x);
                f->ind = chain_ind[k];
                f->value = 0;
                f->qual = FZ_QUAL_EXACT;
                snprintf(f->unit, sizeof f->unit, "%s",
                         kind == 2 ? unit : fz_lexicon_unit(lex, chain_ind[k]));
                f->line = line;
                f->clause = cl;
                f->phrase.s = chain[k]->start < zs ? chain[k]->start : zs;
                f->phrase.e = chain[k]->end > ze ? chain[k]->end : ze;
                f->partial = partial_ctx;
                f->qpos = zs;
            }
        }
        p = ze > p ? ze : p + l;
    }
}

/* The year (2022年, 2022年度) at the 年 that ends at p, outside 《》; 0 if
 * none. */
static int year_at(const fz_extractor *x, const char *t, size_t s, size_t p)
{
    if (p < s + 4 + 3 || memcmp(t + p - 3, "年", 3) != 0)
        return 0;
    size_t d = p - 3 - 4;
    int y = 0;
    for (int k = 0; k < 4; k++) {
        char c = t[d + (size_t)k];
        if (c < '0' || c > '9')
            return 0;
        y = y * 10 + (c - '0');
    }
    if ((d > s && t[d - 1] >= '0' && t[d - 1] <= '9') || y < 1949 || y > 2100 ||
        in_spans(x->titles, x->ntitles, d, p))
        return 0;
    return y;
}

/* Partial figures that only the whole sentence shows:
 *  - 镇/街道 prefixes listed with another level: 镇调委会1个、村调委会20个;
 *  - 其中 in the figure's own clause (其中网上信访13件), or earlier in the
 *    sentence after a figure of the same indicator (受理信访件24件,其中...,
 *    按时办结率... is not hit; 其中专职网格员27名,处置网格事件697宗 neither). */
static void sentence_partials(fz_extractor *x, const char *t, size_t s, size_t first)
{
    size_t qz = x->qizhong; /* the first 其中 (mark_spans) */
    /* the first 16 years written in the sentence (mark_spans found each 年) */
    int years[16];
    size_t ypos[16], ny = 0;
    for (size_t k = 0; k < x->nyears && ny < 16; k++) {
        int y = year_at(x, t, s, x->years[k]);
        if (y) {
            years[ny] = y;
            ypos[ny++] = x->years[k];
        }
    }
    for (size_t k = first; k < x->nfigs; k++) {
        fig *f = &x->figs[k];
        f->year = 0;
        for (size_t j = 0; j < ny && ypos[j] <= f->qpos; j++)
            f->year = years[j]; /* the last year before it */
        if (f->ind == NO_IND)
            continue;
        for (size_t j = first; j < x->nfigs && f->level == 2 && !f->partial; j++)
            if (j != k && x->figs[j].ind == f->ind && x->figs[j].level >= 1)
                f->partial = 1;
        if (qz == SIZE_MAX || f->qpos < qz || f->partial)
            continue;
        if (qz >= f->clause.s) {
            f->partial = 1;
            continue;
        }
        for (size_t j = first; j < x->nfigs; j++)
            if (j != k && x->figs[j].ind == f->ind && x->figs[j].qpos < qz)
                f->partial = 1;
    }
}

static void scan_sentence(fz_extractor *x, const char *t, size_t s, size_t e, size_t first,
                          size_t line, int zero_words, unsigned flags, int *ambiguous)
{
    /* quantities first: most sentences with a numeral character have none
     * (进一步, 一是, 2022年) and then need no keyword pass */
    x->nqs = 0;
    size_t qpos = first > s && first < e ? first : s;
    fz_quantity q;
    if (x->irregular) {
        while (qpos < e && fz_quantity_next(t, e, &qpos, &q)) {
            GROW(x->qs, x->nqs, x->capqs);
            x->qs[x->nqs++] = q;
        }
    } else {
        /* the same scan, visiting only where it would stop */
        size_t q0 = qpos;
        for (size_t k = 0; k < x->ncand && qpos < e; k++) {
            if (x->cand[k] < qpos)
                continue;
            if (fz_quantity_step(t, e, x->cand[k], &q, &qpos)) {
                GROW(x->qs, x->nqs, x->capqs);
                x->qs[x->nqs++] = q;
            }
        }
#ifndef NDEBUG
        size_t n = 0;
        while (q0 < e && fz_quantity_next(t, e, &q0, &q)) {
            assert(n < x->nqs && q.start == x->qs[n].start && q.end == x->qs[n].end);
            n++;
        }
        assert(n == x->nqs);
#else
        (void)q0;
#endif
    }
    if (x->nqs == 0 && !zero_words)
        return;
    x->nraw = 0;
    x->base = s;
    if (x->utf8)
        fz_lexicon_scan_utf8(x->lex, t + s, e - s, on_hit, x);
    else
        fz_lexicon_scan(x->lex, t + s, e - s, on_hit, x);
    /* every figure of an indicator, every zero figure and every ambiguous
     * quantity comes from a hit (associate, respectively, zero_figures):
     * without one, only FZ_EXTRACT_ALL_QUANTITIES gives the sentence rows */
    int all = (flags & FZ_EXTRACT_ALL_QUANTITIES) != 0;
    if (x->nraw == 0 && !all)
        return;
    mark_spans(x, t, s, e);
    filter_hits(x);
    if (x->nhits == 0 && !all)
        return;
    memset(x->ctx, 0, fz_lexicon_count(x->lex) + 1);
    x->excl = 0;
    for (size_t i = 0; i < x->nraw; i++) {
        x->excl |= word_has_role(x, x->raw[i].word, NO_IND, FZ_KW_EXCLUDE);
        if (!word_has_role(x, x->raw[i].word, NO_IND, FZ_KW_CONTEXT))
            continue;
        size_t n = fz_lexicon_word_nentries(x->lex, x->raw[i].word), ind;
        fz_kw_role role;
        for (size_t k = 0; k < n; k++) {
            fz_lexicon_word_entry(x->lex, x->raw[i].word, k, &ind, &role);
            if (role == FZ_KW_CONTEXT)
                x->ctx[ind] = 1;
        }
    }

    size_t first_fig = x->nfigs;
    size_t prev_end = s, clause_s = SIZE_MAX, after_fb = 0, paren_i = 0;
    int depth = 0;
    /* sentence-level pre-checks keep the per-quantity searches rare */
    int any_fb = -1, any_target = -1; /* computed on first need */
    for (size_t qi = 0; qi < x->nqs; qi++) {
        q = x->qs[qi];
        if (q.start < s)
            q.start = s;
        if (in_spans(x->titles, x->ntitles, q.num_start, q.end) ||
            in_short_quote(x, q.num_start, q.end))
            continue;
        span cl = clause_of(t, s, e, q.start, q.end);
        size_t ws = prev_end > cl.s ? prev_end : cl.s;
        for (; paren_i < x->nparens && x->parens[paren_i] < q.num_start; paren_i++) {
            /* depth of ( ) so far */
            if (t[x->parens[paren_i]] == '(')
                depth++;
            else if (depth > 0)
                depth--;
        }
        int paren = depth > 0;
        int partial = paren;
        assoc a;
        if (cl.s != clause_s) {
            clause_s = cl.s;
            after_fb = 0;
        }
        if (any_fb < 0) {
            any_fb = x->fenbie != SIZE_MAX; /* a 分别 in the sentence (mark_spans) */
            any_target = target_in_sentence(x, t, s);
            assert(any_target == target_before(x, t, s, e));
        }
        size_t fb = any_fb ? find(t, cl.s, q.start, "分别") : SIZE_MAX;
        if (any_target && target_before(x, t, cl.s, q.start)) {
            memset(&a, 0, sizeof a);
            a.status = A_NONE;
            a.noun = noun_before(t, ws, q.start);
        } else if (fb == SIZE_MAX ||
                   !respectively(x, fb, after_fb, q.unit, q.percent, cl, s, &a)) {
            associate(x, t, q.start, q.end, q.unit, q.percent, ws, cl, s, &a);
        }
        if (fb != SIZE_MAX)
            after_fb++;
        if (a.status == A_FOUND && q.percent && (q.value > 100 || q.value_high > 100)) {
            a.status = A_NONE; /* a rate above 100% is a growth figure, not a rate */
            a.noun = noun_before(t, ws, q.start);
        }
        if (a.status == A_NONE && !paren && !q.lone_one && x->nfigs > first_fig) {
            /* 行政复议案件共11宗,审查后符合受理9宗 */
            const fig *pf = &x->figs[x->nfigs - 1];
            if (pf->ind != NO_IND && pf->clause.e <= cl.s && strcmp(pf->unit, q.unit) == 0 &&
                processing_verb(x, t, cl.s, q.start)) {
                fig *f = add_fig(x);
                pf = &x->figs[x->nfigs - 2];
                f->ind = pf->ind;
                f->value = q.value;
                f->value_high = q.value_high;
                f->qual = q.qual;
                memcpy(f->unit, q.unit, sizeof f->unit);
                f->line = line;
                f->clause = cl;
                f->phrase = (span){ cl.s, q.end };
                f->partial = 1;
                f->qpos = q.num_start;
                prev_end = q.end;
                continue;
            }
        }
        emit_assoc(x, t, &a, q.start, q.end, q.value, q.value_high, q.qual, q.unit, line, cl, s,
                   partial, flags, ambiguous);
        prev_end = q.end;
    }
    if (zero_words)
        zero_figures(x, t, s, e, line, 0);
    sentence_partials(x, t, s, first_fig);
}

/* 三、下一步工作计划 / 二、2020年工作设想 / 四、2025年度...的主要安排 */
/* 1 if the three bytes at u are one of 一二三四五六七八九十 */
static inline int heading_numeral(const unsigned char *u)
{
    switch ((uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2]) {
    case 0xE4B880: /* 一 */ case 0xE4BA8C: /* 二 */ case 0xE4B889: /* 三 */
    case 0xE59B9B: /* 四 */ case 0xE4BA94: /* 五 */ case 0xE585AD: /* 六 */
    case 0xE4B883: /* 七 */ case 0xE585AB: /* 八 */ case 0xE4B99D: /* 九 */
    case 0xE58D81: /* 十 */
        return 1;
    default:
        return 0;
    }
}

static int top_heading(const fz_extractor *x, const char *t, size_t s, size_t e, int *plan)
{
    /* most lines start with none of the characters below: a blank (' ',
     * '\t', E3 80 80) or 一二三四五六七八九十 (E4 B8/B9/BA .., E5 9B/85/8D ..) */
    const unsigned char *u = (const unsigned char *)t;
    if (e < s + 2 || !(u[s] == ' ' || u[s] == '\t' || (u[s] == 0xE3 && u[s + 1] == 0x80) ||
                       (u[s] == 0xE4 && u[s + 1] >= 0xB8 && u[s + 1] <= 0xBA) ||
                       (u[s] == 0xE5 && (u[s + 1] == 0x9B || u[s + 1] == 0x85 || u[s + 1] == 0x8D))))
        return 0;
    size_t p = s;
    for (;;) { /* the blanks: ' ', '\t', U+3000 */
        if (p < e && (u[p] == ' ' || u[p] == '\t'))
            p++;
        else if (p + 3 <= e && u[p] == 0xE3 && u[p + 1] == 0x80 && u[p + 2] == 0x80)
            p += 3;
        else
            break;
    }
    int n = 0;
    while (n < 3 && p + 3 <= e && heading_numeral(u + p)) {
        p += 3;
        n++;
    }
    if (n == 0 || !has(t, e, p, "、"))
        return 0;
    *plan = lits_in(t, p, e, &x->wl[WL_PLAN], UINT32_MAX, NULL) != 0;
    return 1;
}

/* How surely a clause states the whole area and year: 2 for 全年, 全镇, 全区
 * ... (全年受理纠纷152件), 1 for 共, 累计, 今年 ... (共计开展...8次), 0 for
 * none (法律顾问参与调解矛盾纠纷20起). */
static int scope_tier(const fz_extractor *x, const char *t, size_t s, size_t e)
{
    const uint32_t whole = (1u << 11) - 1; /* the first 11 of scope_words */
    uint32_t m = lits_in(t, s, e, &x->wl[WL_SCOPE], whole, NULL);
    return (m & whole) ? 2 : m ? 1 : 0;
}

static int cmp_fig(const void *a, const void *b)
{
    const fig *x = a, *y = b;
    if (x->phrase.s != y->phrase.s)
        return x->phrase.s < y->phrase.s ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Copies text[s,e) into b, at most max characters centred on [fs, fe). */
static void trimmed(fz_buf *b, const char *t, span cl, span ph, size_t max_chars)
{
    fz_buf_reset(b);
    size_t s = cl.s, e = cl.e;
    size_t maxb = max_chars * 3;
    if (e - s > maxb) {
        size_t mid = (ph.s + ph.e) / 2;
        s = mid > cl.s + maxb / 2 ? mid - maxb / 2 : cl.s;
        if (s + maxb > cl.e)
            s = cl.e - maxb;
        e = s + maxb;
        while (s < cl.e && ((unsigned char)t[s] & 0xC0) == 0x80)
            s++;
        while (e > s && e < cl.e && ((unsigned char)t[e] & 0xC0) == 0x80)
            e--;
        if (s > ph.s)
            s = ph.s;
        if (e < ph.e)
            e = ph.e;
    }
    fz_buf_add(b, t + s, e - s);
}

/* ---- the sentence pass ---- */

/* The sentence the pass is in. */
typedef struct pass {
    size_t s;     /* its first byte */
    size_t lim;   /* where it ends at the latest: its cut or the line's end */
    size_t first; /* its first trigger: quantities start there */
    int    trig;  /* it holds a numeral (digit, 一..亿, 〇, 零) or a zero word */
    int    zero;  /* it holds a zero word (零, 无, 没有, 未发生/出现) */
} pass;

/* A sentence from s in a line that ends at le. */
static inline void pass_start(fz_extractor *x, pass *ps, size_t s, size_t le)
{
    ps->s = ps->first = s;
    /* a run-on "sentence" is cut: keeps the pass linear */
    ps->lim = le - s > FZ_EXTRACT_MAX_SENTENCE ? s + FZ_EXTRACT_MAX_SENTENCE : le;
    ps->trig = ps->zero = 0;
    x->ncand = 0;
    x->irregular = 0;
}

/* One step of the pass at the character at p of the line [.., le): notes a numeral or zero word, records where
 * the quantity scan must stop (x->cand) and whether the sentence has bytes
 * that make that record unusable; returns where the pass goes on, *stop set
 * when the character ends the sentence (;!? and line ends, 。). */
__attribute__((always_inline)) static inline size_t pass_step(fz_extractor *x,
                                                              const unsigned char *u, size_t le,
                                                              size_t p, pass *ps, int *stop)
{
    unsigned b = u[p];
    int had = ps->trig;
    size_t here = p;
    *stop = 0;
    if (b < 0x80) {
        if (b >= '0' && b <= '9') {
            ps->trig = 1;
            GROW(x->cand, x->ncand, x->capcand);
            x->cand[x->ncand++] = p;
            /* the digits after it change nothing here, and no quantity
             * starts at a digit after a digit (fz_numeral_start): the scan
             * needs them not in cand[] */
            while (p + 1 < ps->lim && u[p + 1] >= '0' && u[p + 1] <= '9')
                p++;
        } else if (b == ';' || b == '!' || b == '?' || b == '\n') {
            *stop = 1;
        }
        p++;
    } else if (b >= 0xE0 && b < 0xF0 && p + 2 < le) {
        unsigned c = ((b & 0x0Fu) << 12) | ((u[p + 1] & 0x3Fu) << 6) | (u[p + 2] & 0x3Fu);
        const stop_char *e = &x->stopc[stop_hash(c)];
        unsigned kind = e->c == c ? e->kind : SC_NONE;
        if (kind == SC_NUMERAL || kind == SC_LING) {
            ps->trig = 1;
            /* fz_quantity_next reads it with fz_utf8_get */
            if ((u[p + 1] & 0xC0) != 0x80 || (u[p + 2] & 0xC0) != 0x80)
                x->irregular = 1;
            GROW(x->cand, x->ncand, x->capcand);
            x->cand[x->ncand++] = p;
        }
        /* zero words: 零, 无, 没有发生/出现, 未发生/出现 */
        const char *t = (const char *)u;
        if (kind == SC_LING || kind == SC_WU /* 无: 无一例 and 无<keyword> */ ||
            (kind == SC_MEI && has(t, le, p + 3, "有")) ||
            (kind == SC_WEI && (has(t, le, p + 3, "发生") || has(t, le, p + 3, "出现"))))
            ps->trig = ps->zero = 1;
        *stop = kind == SC_END;
        p += 3;
    } else {
        /* not ASCII, not a 3-byte character: fz_quantity_next may step
         * differently here */
        x->irregular = 1;
        p += b >= 0xF0 ? 4 : b >= 0xC0 ? 2 : 1;
    }
    if (ps->trig && !had)
        ps->first = here;
    return p > le ? le : p;
}

/* A sentence [ps->s, e) that holds a trigger, to scan. Debug builds record
 * the plain pass's sentences of a line (x->check 1) and compare the marked
 * pass's with them (x->check 2). */
static void sentence_found(fz_extractor *x, const char *t, const pass *ps, size_t e, size_t line,
                           unsigned flags, int *amb)
{
#ifndef NDEBUG
    uint64_t sum = 0;
    for (size_t k = 0; k < x->ncand; k++)
        sum = (sum ^ x->cand[k]) * 0x9E3779B97F4A7C15u + 1;
    found_sentence f = { ps->s, e, ps->first, ps->zero, x->irregular, x->ncand, sum };
    if (x->check == 1) {
        GROW(x->found, x->nfound, x->capfound);
        x->found[x->nfound++] = f;
        return;
    }
    if (x->check == 2) {
        assert(x->ifound < x->nfound);
        const found_sentence *g = &x->found[x->ifound++];
        assert(f.s == g->s && f.e == g->e && f.first == g->first && f.zero == g->zero &&
               f.irregular == g->irregular && f.ncand == g->ncand && f.cands == g->cands);
    }
#endif
    scan_sentence(x, t, ps->s, e, ps->first, line, ps->zero, flags, amb);
}

/* After a step to p: the sentence ends at a stop, at its cut and at the
 * line's end; one that holds a trigger is scanned. */
static inline void pass_end(fz_extractor *x, const char *t, pass *ps, size_t p, size_t le,
                            int stop, size_t line, unsigned flags, int *amb)
{
    if (!stop && p < ps->lim)
        return;
    if (ps->trig && p > ps->s)
        sentence_found(x, t, ps, p, line, flags, amb);
    pass_start(x, ps, p, le);
}

/* The pass over the line [ls, le) of any text: sentence ends and whether a
 * sentence holds a numeral (digit, 一..亿, 〇, 零) or a zero word (无 没 未)
 * at all, a step at each character that may change that, what cannot
 * passed over in a tight loop. */
static void line_plain(fz_extractor *x, const char *t, size_t ls, size_t le, size_t line,
                       unsigned flags, int *amb)
{
    const unsigned char *u = (const unsigned char *)t;
    pass ps;
    pass_start(x, &ps, ls, le);
    size_t p = ls;
    while (p < le) {
        size_t lim = ps.lim;
        const unsigned char *look = x->look[ps.trig + ps.zero];
        const unsigned char *look_ascii = x->look_ascii[ps.trig + ps.zero];
        /* skip what cannot change the state: the step would only advance p
         * (a 3-byte character stays inside line and limit) */
        while (p + 3 < lim) {
            if (p + 8 <= lim) {
                /* two 3-byte characters at once: lead bytes at bytes 0 and 3
                 * of w, continuation bytes at 1-2 and 4-5 */
                uint64_t w;
                memcpy(&w, u + p, 8);
                w = le64(w);
                if ((w & 0xF00000F0u) == 0xE00000E0u &&
                    !(look[w >> 8 & 0x3F3F] | look[w >> 32 & 0x3F3F])) {
                    p += 6;
                    continue;
                }
            }
            unsigned b = u[p];
            if (b < 0x80) {
                if (look_ascii[b])
                    break;
                p++;
            } else if (b >= 0xE0 && b < 0xF0) {
                if (look[look_hash(u + p + 1)])
                    break;
                p += 3;
            } else {
                break;
            }
        }
        int stop;
        p = pass_step(x, u, le, p, &ps, &stop);
        pass_end(x, t, &ps, p, le, stop, line, flags, amb);
    }
}

#if defined(FZ_EXTRACT_AVX2)
/* The same pass over a line of valid UTF-8 (of a text of len bytes) from the
 * marks of stop_mask64: a step at each marked byte. The plain pass passes
 * over what is not marked without a change of state (a marked byte that is
 * no stop the step passes over as it does), so between two marks only the
 * cut of the sentence and the line's end may come. */
static inline void line_marked(fz_extractor *x, const char *t, size_t len, size_t ls, size_t le,
                               size_t line, stop_win *w, unsigned flags, int *amb)
{
    const unsigned char *u = (const unsigned char *)t;
    pass ps;
    pass_start(x, &ps, ls, le);
    size_t p = ls;
    stop_win win = *w;
    while (p < le) {
        size_t q = next_mark(x->stop_tab, u, len, p, ps.lim, &win);
        int stop = 0;
        if (q < ps.lim) {
            p = pass_step(x, u, le, q, &ps, &stop);
        } else { /* the first character boundary from the cut on, or the line's end */
            p = ps.lim;
            while (p < le && (u[p] & 0xC0) == 0x80)
                p++;
        }
        pass_end(x, t, &ps, p, le, stop, line, flags, amb);
    }
    *w = win;
}
#endif

/* The sentence pass over the lines of doc outside plan sections: each
 * sentence that holds a numeral or a zero word is scanned. */
__attribute__((noinline)) static void sentences(fz_extractor *x, const fz_document *doc,
                                                unsigned flags, int *amb)
{
    const char *t = doc->text;
    int in_plan = 0;
#if defined(FZ_EXTRACT_AVX2)
    /* the marked pass relies on the character boundaries of valid UTF-8 */
    int simd = x->simd && doc->utf8;
    assert(!simd || fz_utf8_valid((const unsigned char *)t, doc->len));
    stop_win win = { (size_t)-64, 0 };
#endif
    for (size_t i = 0; i < doc->nlines; i++) {
        size_t ls = doc->line_off ? doc->line_off[i] : 0;
        size_t le = i + 1 < doc->nlines && doc->line_off ? doc->line_off[i + 1] : doc->len;
        if (ls > doc->len)
            break;
        if (le > doc->len)
            le = doc->len;
        int plan;
        if (top_heading(x, t, ls, le, &plan))
            in_plan = plan;
        if (in_plan)
            continue;
#if defined(FZ_EXTRACT_AVX2)
        if (simd) {
#ifndef NDEBUG
            /* the plain pass's sentences first, for the check */
            x->check = 1;
            x->nfound = 0;
            line_plain(x, t, ls, le, i, flags, amb);
            x->check = 2;
            x->ifound = 0;
#endif
            line_marked(x, t, doc->len, ls, le, i, &win, flags, amb);
#ifndef NDEBUG
            assert(x->ifound == x->nfound);
            x->check = 0;
#endif
            continue;
        }
#endif
        line_plain(x, t, ls, le, i, flags, amb);
    }
}

/* NEEDSWORK: the year rule (an earlier YYYY年 in the sentence makes a figure
 * partial) sees only Arabic years in the same sentence; 上年/去年 are not read.
 * NEEDSWORK: zero as a plain number without a measure word (行政诉讼案件为0,
 * 数量为零) and one count shared by two keywords (A和B均为3件) are not read. */
int fz_extract_doc(fz_extractor *x, const fz_document *doc, size_t doc_index, unsigned flags,
                   fz_obs *out, int *ambiguous)
{
    const char *t = doc->text;
    int amb = 0;
    x->nfigs = 0;
    x->utf8 = doc->utf8;
    x->len = doc->len;
    sentences(x, doc, flags, &amb);
    if (x->nfigs > 1)
        qsort(x->figs, x->nfigs, sizeof *x->figs, cmp_fig);

    /* 2022年受理投诉50件。2023年受理投诉80件。: a figure dated to an earlier
     * year than the latest year any figure is dated to is a comparison */
    int maxy = 0;
    for (size_t k = 0; k < x->nfigs; k++)
        if (x->figs[k].ind != NO_IND && x->figs[k].year > maxy)
            maxy = x->figs[k].year;
    for (size_t k = 0; k < x->nfigs; k++)
        if (x->figs[k].year && x->figs[k].year < maxy)
            x->figs[k].partial = 1;

    /* primary: the first non-partial figure of each indicator */
    /* primary: per indicator, the first non-partial figure of the highest
     * scope tier (seen[] holds 1 + that tier, then 0xFF once given) */
    memset(x->seen, 0, fz_lexicon_count(x->lex) + 1);
    for (size_t k = 0; k < x->nfigs; k++) {
        fig *f = &x->figs[k];
        if (f->ind == NO_IND || f->partial)
            continue;
        f->tier = scope_tier(x, t, f->clause.s, f->qpos);
        if (x->seen[f->ind] < f->tier + 1)
            x->seen[f->ind] = (unsigned char)(f->tier + 1);
    }
    int rows = 0;
    for (size_t k = 0; k < x->nfigs; k++) {
        fig *f = &x->figs[k];
        int primary = 0;
        if (f->ind != NO_IND && !f->partial && x->seen[f->ind] == f->tier + 1) {
            primary = 1;
            x->seen[f->ind] = 0xFF;
        }
        fz_buf_reset(&x->phrase);
        fz_buf_add(&x->phrase, t + f->phrase.s, f->phrase.e - f->phrase.s);
        trimmed(&x->snippet, t, f->clause, f->phrase, FZ_EXTRACT_SNIPPET_MAX);
        fz_buf_reset(&x->noun);
        if (f->ind == NO_IND)
            fz_buf_add(&x->noun, t + f->noun.s, f->noun.e - f->noun.s);
        fz_obs_row r;
        memset(&r, 0, sizeof r);
        r.doc = doc_index;
        r.indicator = f->ind == NO_IND ? "" : fz_lexicon_id(x->lex, f->ind);
        r.value = f->value;
        r.value_high = f->qual == FZ_QUAL_RANGE ? f->value_high : 0;
        r.unit = f->unit;
        r.qual = f->qual;
        r.primary = primary;
        r.line = doc->line_src ? (long)doc->line_src[f->line] : (long)f->line + 1;
        r.page = doc->line_page ? doc->line_page[f->line] : 0;
        r.phrase = x->phrase.data;
        r.snippet = x->snippet.data;
        r.noun = x->noun.data;
        fz_obs_add(out, &r);
        rows++;
    }
    if (ambiguous)
        *ambiguous = amb;
    return rows;
}
