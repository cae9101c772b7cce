/* lexicon.c: reading and validating lexicon.csv (libcsv), and the keyword
 * automaton (Aho-Corasick compiled to a byte DFA: one table lookup per byte
 * of text, built once at load). */
#include "lexicon.h"

#include <csv.h>
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numeral.h"
#include "xalloc.h"

typedef struct indicator {
    char   *id, *name_zh, *unit, *units, *keywords;
    fz_kind kind;
    int     priority;
    long    line;   /* line in the lexicon file, for messages */
} indicator;

typedef struct entry {
    uint32_t   indicator;
    fz_kw_role role;
} entry;

typedef struct word {
    char  *text;
    entry *entries;
    size_t n, cap;
} word;

struct fz_lexicon {
    indicator *ind;
    size_t     nind, capind;
    word      *words;
    size_t     nwords, capwords;
    /* automaton */
    int32_t   *delta;   /* nstates * 256 transitions */
    int32_t   *out;     /* word ending exactly at this state, or -1 */
    int32_t   *dict;    /* next state on the fail chain with out >= 0, or 0 */
    int32_t   *report;  /* this state if out >= 0, else dict: the first word to report */
    uint32_t  *wlen;    /* byte length of each word */
    size_t     nstates, capstates;
    /* Skipping from the root (see fz_lexicon_scan): stay1[b] when byte b
     * leads from the root back to the root; bit c of stay3 when the 3-byte
     * sequence E0|c>>12, 80|(c>>6&3F), 80|(c&3F) does, reporting nothing on
     * the way. Most characters of a text start no word and are passed over
     * by these two tests instead of three dependent transitions. */
    unsigned char stay1[256];
    uint64_t      stay3[0x10000 / 64];
    /* The transitions once more, small enough to stay in the cache between
     * sentences (delta is 1 KiB a state): bytes whose columns of delta are
     * equal share a class, and tr holds one 16-bit state per state and
     * class. NULL (delta is used) with 65,536 states or more. */
    unsigned char cls[256];
    size_t        ncls;
    uint16_t     *tr;
    /* One transition per character (fz_lexicon_scan_utf8, build_chars): the
     * states reached at character boundaries get indices 0.. (the root is
     * 0); ccls[c] is the class of BMP character c (0: a character of no
     * word), ctr[k * ncc + cc] the index after a three-byte character of
     * class cc from index k, bstate[k] the state of index k, breport[k]
     * its report, bidx[s] the index of state s (UINT16_MAX: none). ctr is
     * NULL when a word is not valid UTF-8 or the numbers do not fit. */
    unsigned char *ccls;
    uint16_t      *ctr, *bidx;
    int32_t       *bstate, *breport;
    size_t         ncc, nb;
};

/* ---- accessors ---- */

size_t fz_lexicon_count(const fz_lexicon *lex) { return lex->nind; }
const char *fz_lexicon_id(const fz_lexicon *lex, size_t i) { return lex->ind[i].id; }
const char *fz_lexicon_name_zh(const fz_lexicon *lex, size_t i) { return lex->ind[i].name_zh; }
fz_kind fz_lexicon_kind(const fz_lexicon *lex, size_t i) { return lex->ind[i].kind; }
const char *fz_lexicon_unit(const fz_lexicon *lex, size_t i) { return lex->ind[i].unit; }
const char *fz_lexicon_units(const fz_lexicon *lex, size_t i) { return lex->ind[i].units; }
const char *fz_lexicon_keywords(const fz_lexicon *lex, size_t i) { return lex->ind[i].keywords; }
int fz_lexicon_priority(const fz_lexicon *lex, size_t i) { return lex->ind[i].priority; }

const char *fz_lexicon_kind_name(fz_kind k)
{
    return k == FZ_KIND_RATE ? "rate" : "count";
}

long fz_lexicon_find(const fz_lexicon *lex, const char *id)
{
    for (size_t i = 0; i < lex->nind; i++)
        if (strcmp(lex->ind[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* 1 if item is one of the |-separated entries of list. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *p = list;
    while (*p) {
        size_t k = 0;
        while (k < n && p[k] == item[k])
            k++; /* stops at the end of list too (item holds no NUL) */
        if (k == n && (p[n] == '|' || p[n] == '\0'))
            return 1;
        while (*p && *p != '|')
            p++;
        if (!*p)
            break;
        p++;
    }
    return 0;
}

int fz_lexicon_accepts(const fz_lexicon *lex, size_t i, const char *unit)
{
    return list_has(lex->ind[i].units, unit);
}

size_t fz_lexicon_nwords(const fz_lexicon *lex) { return lex->nwords; }
size_t fz_lexicon_word_nentries(const fz_lexicon *lex, uint32_t w) { return lex->words[w].n; }
const char *fz_lexicon_word_text(const fz_lexicon *lex, uint32_t w) { return lex->words[w].text; }

void fz_lexicon_word_entry(const fz_lexicon *lex, uint32_t w, size_t k, size_t *ind,
                           fz_kw_role *role)
{
    *ind = lex->words[w].entries[k].indicator;
    *role = lex->words[w].entries[k].role;
}

void fz_lexicon_free(fz_lexicon *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->nind; i++) {
        free(lex->ind[i].id);
        free(lex->ind[i].name_zh);
        free(lex->ind[i].unit);
        free(lex->ind[i].units);
        free(lex->ind[i].keywords);
    }
    free(lex->ind);
    for (size_t i = 0; i < lex->nwords; i++) {
        free(lex->words[i].text);
        free(lex->words[i].entries);
    }
    free(lex->words);
    free(lex->ccls);
    free(lex->ctr);
    free(lex->bidx);
    free(lex->bstate);
    free(lex->breport);
    free(lex->delta);
    free(lex->out);
    free(lex->dict);
    free(lex->report);
    free(lex->wlen);
    free(lex->tr);
    free(lex);
}

/* ---- automaton ---- */

static int32_t new_state(fz_lexicon *lex)
{
    if (lex->nstates == lex->capstates) {
        lex->capstates = lex->capstates ? lex->capstates * 2 : 256;
        lex->delta = fz_xreallocarray(lex->delta, lex->capstates, 256 * sizeof(int32_t));
        lex->out = fz_xreallocarray(lex->out, lex->capstates, sizeof(int32_t));
        lex->dict = fz_xreallocarray(lex->dict, lex->capstates, sizeof(int32_t));
    }
    size_t s = lex->nstates++;
    memset(&lex->delta[s * 256], 0xFF, 256 * sizeof *lex->delta); /* -1: no edge yet */
    lex->out[s] = -1;
    lex->dict[s] = 0;
    return (int32_t)s;
}

static void build_automaton(fz_lexicon *lex)
{
    new_state(lex); /* root */
    /* trie edges in creation order: state nx is reached from from[nx] on
     * byte on[nx] (nx >= 1) */
    size_t cap = 256;
    int32_t *from = fz_xmalloc(cap * sizeof *from);
    unsigned char *on = fz_xmalloc(cap);
    for (size_t w = 0; w < lex->nwords; w++) {
        const unsigned char *t = (const unsigned char *)lex->words[w].text;
        int32_t s = 0;
        for (; *t; t++) {
            int32_t nx = lex->delta[(size_t)s * 256 + *t];
            if (nx < 0) {
                nx = new_state(lex);
                lex->delta[(size_t)s * 256 + *t] = nx;
                if ((size_t)nx >= cap) {
                    cap *= 2;
                    from = fz_xreallocarray(from, cap, sizeof *from);
                    on = fz_xrealloc(on, cap);
                }
                from[nx] = s;
                on[nx] = *t;
            }
            s = nx;
        }
        lex->out[s] = (int32_t)w;
    }
    /* children of each state, for the BFS below (a child list per state:
     * first[s], then next[c]) */
    int32_t *first = fz_xmalloc(lex->nstates * sizeof *first);
    int32_t *next = fz_xmalloc(lex->nstates * sizeof *next);
    for (size_t s = 0; s < lex->nstates; s++)
        first[s] = next[s] = -1;
    for (size_t nx = lex->nstates; nx-- > 1;) {
        next[nx] = first[from[nx]];
        first[from[nx]] = (int32_t)nx;
    }
    /* BFS: fail links folded into the transition table (a DFA) */
    int32_t *fail = fz_xcalloc(lex->nstates, sizeof *fail);
    int32_t *queue = fz_xmalloc(lex->nstates * sizeof *queue);
    size_t qh = 0, qt = 0;
    for (int b = 0; b < 256; b++) {
        int32_t nx = lex->delta[b];
        if (nx < 0) {
            lex->delta[b] = 0;
        } else {
            fail[nx] = 0;
            queue[qt++] = nx;
        }
    }
    while (qh < qt) {
        int32_t s = queue[qh++];
        int32_t f = fail[s];
        lex->dict[s] = lex->out[f] >= 0 ? f : lex->dict[f];
        /* a missing edge goes where the fail state goes: copy its row (f is
         * nearer the root, so its row is complete), then put the trie
         * edges back */
        int32_t *row = &lex->delta[(size_t)s * 256];
        memcpy(row, &lex->delta[(size_t)f * 256], 256 * sizeof *row);
        for (int32_t nx = first[s]; nx >= 0; nx = next[nx]) {
            fail[nx] = row[on[nx]];
            row[on[nx]] = nx;
            queue[qt++] = nx;
        }
    }
    free(fail);
    free(queue);
    free(first);
    free(next);
    free(from);
    free(on);
    lex->report = fz_xmalloc(lex->nstates * sizeof *lex->report);
    for (size_t s = 0; s < lex->nstates; s++)
        lex->report[s] = lex->out[s] >= 0 ? (int32_t)s : lex->dict[s];
    lex->wlen = fz_xmalloc((lex->nwords ? lex->nwords : 1) * sizeof *lex->wlen);
    for (size_t w = 0; w < lex->nwords; w++)
        lex->wlen[w] = (uint32_t)strlen(lex->words[w].text);
    const int32_t *d = lex->delta;
    /* byte classes: bytes with equal columns. A transition other than to
     * the root leads to a state whose trie edge is labelled by that byte, so
     * a byte of some word has a column of its own and every other byte goes
     * to the root from every state: those share one class. */
    unsigned char used[256] = { 0 };
    for (size_t w = 0; w < lex->nwords; w++)
        for (const unsigned char *t = (const unsigned char *)lex->words[w].text; *t; t++)
            used[*t] = 1;
    int rep[256] = { 0 }; /* a byte of each class */
    int unused_cls = -1;
    lex->ncls = 0;
    for (int b = 0; b < 256; b++) {
        if (!used[b] && unused_cls >= 0) {
            lex->cls[b] = (unsigned char)unused_cls;
            continue;
        }
        if (!used[b])
            unused_cls = (int)lex->ncls;
        rep[lex->ncls] = b;
        lex->cls[b] = (unsigned char)lex->ncls++;
    }
#ifndef NDEBUG
    /* the classes are exactly the equal columns: a byte's column equals its
     * class's; a used byte's column leads somewhere but the root; in no row
     * do two bytes lead to one state but the root */
    size_t *stamp = fz_xcalloc(lex->nstates, sizeof *stamp);
    for (size_t st = 0; st < lex->nstates; st++)
        for (int b = 0; b < 256; b++) {
            int32_t to = d[st * 256 + (size_t)b];
            assert(to == d[st * 256 + (size_t)rep[lex->cls[b]]]);
            assert(to == 0 || (used[b] && stamp[to] != st + 1));
            stamp[to] = st + 1;
        }
    for (int b = 0; b < 256; b++) {
        int moves = 0;
        for (size_t st = 0; st < lex->nstates && !moves; st++)
            moves = d[st * 256 + (size_t)b] != 0;
        assert(moves == used[b]);
    }
    free(stamp);
#endif
    lex->tr = NULL;
    if (lex->nstates <= UINT16_MAX) {
        lex->tr = fz_xmalloc(lex->nstates * lex->ncls * sizeof *lex->tr);
        for (size_t st = 0; st < lex->nstates; st++)
            for (size_t c = 0; c < lex->ncls; c++)
                lex->tr[st * lex->ncls + c] = (uint16_t)d[st * 256 + (size_t)rep[c]];
    }
    for (int b = 0; b < 256; b++)
        lex->stay1[b] = d[b] == 0;
    /* by the first byte, then the second (the states after them are the
     * same for a whole word of stay3), then the third */
    memset(lex->stay3, 0, sizeof lex->stay3);
    for (unsigned hi = 0; hi < 16; hi++) {
        int32_t s1 = d[0xE0 | hi];
        for (unsigned mid = 0; mid < 64; mid++) {
            int32_t s2 = d[(size_t)s1 * 256 + (0x80 | mid)];
            if (lex->report[s1] > 0 || lex->report[s2] > 0)
                continue;
            uint64_t bits = 0;
            for (unsigned lo = 0; lo < 64; lo++)
                bits |= (uint64_t)(d[(size_t)s2 * 256 + (0x80 | lo)] == 0) << lo;
            lex->stay3[hi << 6 | mid] = bits;
        }
    }
}

/* Length of the valid UTF-8 character at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : s[0] >= 0xE0 && s[0] < 0xF0 ? 3
             : s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    for (size_t j = 1; j < k; j++)
        if ((s[j] & 0xC0) != 0x80)
            return 0;
    unsigned c = k == 3 ? (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu) : 0;
    if ((k == 3 && (c < 0x800 || (c >= 0xD800 && c < 0xE000))) || (k == 2 && s[0] < 0xC2) ||
        (k == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))))
        return 0;
    return k;
}

/* The state after the bytes s[0..n) from state st (byte DFA). */
static int32_t run_bytes(const fz_lexicon *lex, int32_t st, const unsigned char *s, size_t n)
{
    for (size_t j = 0; j < n; j++)
        st = lex->delta[(size_t)st * 256 + s[j]];
    return st;
}

/* The tables of fz_lexicon_scan_utf8. In valid UTF-8 a word (valid UTF-8
 * too) ends only where a character ends, so nothing is reported inside a
 * character; a character that is in no word leads back to the root (the
 * state is the longest end of the text that begins a word, and that end
 * would hold the character). So the states at character boundaries are
 * those the characters of the words lead to from the root and from each
 * other, and a three-byte character moves between them in one step. */
static void build_chars(fz_lexicon *lex)
{
    lex->ctr = NULL;
    if (lex->nstates >= UINT16_MAX)
        return;
    /* the words' characters; three-byte ones get classes 1.. */
    size_t nch = 0, capch = 64;
    const unsigned char **chars = fz_xmalloc(capch * sizeof *chars); /* first byte of each */
    unsigned char *clen = fz_xmalloc(capch);
    lex->ccls = fz_xcalloc(0x10000, 1);
    size_t ncc = 1;
    int ok = 1;
    for (size_t w = 0; w < lex->nwords && ok; w++) {
        const unsigned char *t = (const unsigned char *)lex->words[w].text;
        size_t n = strlen(lex->words[w].text);
        for (size_t i = 0; i < n && ok;) {
            size_t k = utf8_len(t + i, n - i);
            if (k == 0) {
                ok = 0;
                break;
            }
            int seen = 0; /* each character once */
            if (k == 3) {
                unsigned c = (t[i] & 0x0Fu) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu);
                seen = lex->ccls[c] != 0;
                if (!seen) {
                    if (ncc > UINT8_MAX)
                        ok = 0;
                    else
                        lex->ccls[c] = (unsigned char)ncc++;
                }
            } else {
                for (size_t j = 0; j < nch && !seen; j++)
                    seen = clen[j] == k && memcmp(chars[j], t + i, k) == 0;
            }
            if (seen) {
                i += k;
                continue;
            }
            if (nch == capch) {
                capch *= 2;
                chars = fz_xreallocarray(chars, capch, sizeof *chars);
                clen = fz_xrealloc(clen, capch);
            }
            chars[nch] = t + i;
            clen[nch++] = (unsigned char)k;
            i += k;
        }
    }
    /* a representative of each three-byte class */
    const unsigned char **rep = fz_xcalloc(ncc, sizeof *rep);
    for (size_t j = 0; j < nch; j++)
        if (clen[j] == 3)
            rep[lex->ccls[(chars[j][0] & 0x0Fu) << 12 | (chars[j][1] & 0x3Fu) << 6 |
                          (chars[j][2] & 0x3Fu)]] = chars[j];
    lex->bidx = fz_xmalloc(lex->nstates * sizeof *lex->bidx);
    for (size_t st = 0; st < lex->nstates; st++)
        lex->bidx[st] = UINT16_MAX;
    lex->bstate = fz_xmalloc(lex->nstates * sizeof *lex->bstate);
    size_t nb = 0;
    lex->bidx[0] = 0;
    lex->bstate[nb++] = 0;
    /* the transitions by a three-byte character are its class's, so ctr is
     * filled as the states are found (room for every state, shrunk after) */
    uint16_t *ctr = ok ? fz_xcalloc(lex->nstates * ncc, sizeof *ctr) : NULL; /* class 0: the root */
    for (size_t q = 0; q < nb && ok; q++)
        for (size_t j = 0; j < nch; j++) {
            int32_t nx = run_bytes(lex, lex->bstate[q], chars[j], clen[j]);
            if (lex->bidx[nx] == UINT16_MAX) {
                lex->bidx[nx] = (uint16_t)nb;
                lex->bstate[nb++] = nx;
            }
            if (clen[j] == 3)
                ctr[q * ncc + lex->ccls[(chars[j][0] & 0x0Fu) << 12 | (chars[j][1] & 0x3Fu) << 6 |
                                        (chars[j][2] & 0x3Fu)]] = lex->bidx[nx];
        }
    if (ok) {
        lex->ncc = ncc;
        lex->nb = nb;
        lex->ctr = fz_xreallocarray(ctr, nb * ncc, sizeof *ctr);
        lex->breport = fz_xmalloc(nb * sizeof *lex->breport);
        for (size_t k = 0; k < nb; k++) {
            lex->breport[k] = lex->report[lex->bstate[k]];
#ifndef NDEBUG
            for (size_t cc = 1; cc < ncc; cc++)
                assert(lex->ctr[k * ncc + cc] == lex->bidx[run_bytes(lex, lex->bstate[k], rep[cc], 3)]);
#endif
        }
    } else {
        free(lex->ccls);
        lex->ccls = NULL;
    }
    free(rep);
    free(chars);
    free(clen);
}

/* The scan as a plain byte DFA, one transition per byte. */
size_t fz_lexicon_scan_dfa(const fz_lexicon *lex, const char *text, size_t len,
                           void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx)
{
    const unsigned char *t = (const unsigned char *)text;
    const int32_t *delta = lex->delta;
    size_t s = 0, nhits = 0;
    for (size_t i = 0; i < len; i++) {
        s = (size_t)delta[s * 256 + t[i]];
        if (s == 0)
            continue;
        int32_t o = lex->report[s];
        while (o > 0) {
            uint32_t w = (uint32_t)lex->out[o];
            size_t wl = lex->wlen[w];
            fz_kw_hit h = { (uint32_t)(i + 1 - wl), (uint32_t)(i + 1), w };
            hit(ctx, &h);
            nhits++;
            o = lex->dict[o];
        }
    }
    return nhits;
}

/* 1 if the well-formed 3-byte character at t leads from the root back to it
 * without a hit. */
static inline int stays3(const fz_lexicon *lex, const unsigned char *t)
{
    unsigned c = (t[0] & 0x0Fu) << 12 | (t[1] & 0x3Fu) << 6 | (t[2] & 0x3Fu);
    return (t[0] & 0xF0) == 0xE0 && (t[1] & 0xC0) == 0x80 && (t[2] & 0xC0) == 0x80 &&
           (lex->stay3[c >> 6] >> (c & 63) & 1);
}

#ifndef NDEBUG
typedef struct check_sum {
    size_t   n;
    uint64_t h;
} check_sum;

static uint64_t hit_mix(uint64_t h, const fz_kw_hit *k)
{
    h ^= (uint64_t)k->start << 40 ^ (uint64_t)k->end << 16 ^ k->word;
    return h * 0x9E3779B97F4A7C15u + 1;
}

static void check_hit(void *ctx, const fz_kw_hit *k)
{
    check_sum *c = ctx;
    c->h = hit_mix(c->h, k);
    c->n++;
}
#endif

/* Reports the words of the output list from o on, each ending at byte end;
 * returns how many. In debug builds *sum mixes them for the check against
 * fz_lexicon_scan_dfa(). */
static inline size_t report_words(const fz_lexicon *lex, int32_t o, size_t end,
                                  void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx,
                                  uint64_t *sum)
{
    size_t n = 0;
    for (; o > 0; o = lex->dict[o], n++) {
        uint32_t w = (uint32_t)lex->out[o];
        fz_kw_hit h = { (uint32_t)(end - lex->wlen[w]), (uint32_t)end, w };
#ifndef NDEBUG
        *sum = hit_mix(*sum, &h);
#else
        (void)sum;
#endif
        hit(ctx, &h);
    }
    return n;
}

size_t fz_lexicon_scan(const fz_lexicon *lex, const char *text, size_t len,
                       void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx)
{
    const unsigned char *t = (const unsigned char *)text;
    const int32_t *delta = lex->delta;
    const uint16_t *tr = lex->tr;
    const size_t ncls = lex->ncls;
    size_t s = 0, nhits = 0;
    uint64_t sum = 0; /* debug builds only */
    for (size_t i = 0; i < len; i++) {
        if (s == 0) {
            /* in the root: pass over what leads back to it (the same
             * transitions, taken in bulk) */
            while (i + 3 <= len) {
                if (i + 8 <= len) {
                    uint64_t w;
                    memcpy(&w, t + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
                    w = __builtin_bswap64(w);
#endif
                    /* two 3-byte characters: E0-EF, 80-BF, 80-BF twice */
                    if ((w & 0xC0C0F0C0C0F0u) == 0x8080E08080E0u) {
                        unsigned c1 = (unsigned)((w & 0x0F) << 12 | (w >> 8 & 0x3F) << 6 |
                                                 (w >> 16 & 0x3F));
                        unsigned c2 = (unsigned)((w >> 24 & 0x0F) << 12 | (w >> 32 & 0x3F) << 6 |
                                                 (w >> 40 & 0x3F));
                        if (lex->stay3[c1 >> 6] >> (c1 & 63) & 1) {
                            if (lex->stay3[c2 >> 6] >> (c2 & 63) & 1) {
                                i += 6;
                                continue;
                            }
                            i += 3;
                            break;
                        }
                        break;
                    }
                }
                if (lex->stay1[t[i]])
                    i++;
                else if (stays3(lex, t + i))
                    i += 3;
                else
                    break;
            }
            while (i < len && lex->stay1[t[i]])
                i++;
            if (i >= len)
                break;
        }
        s = tr ? tr[s * ncls + lex->cls[t[i]]] : (size_t)delta[s * 256 + t[i]];
        if (s == 0)
            continue;
        nhits += report_words(lex, lex->report[s], i + 1, hit, ctx, &sum);
    }
#ifndef NDEBUG
    check_sum ref = { 0, 0 };
    fz_lexicon_scan_dfa(lex, text, len, check_hit, &ref);
    assert(ref.n == nhits && ref.h == sum);
#endif
    return nhits;
}

size_t fz_lexicon_scan_utf8(const fz_lexicon *lex, const char *text, size_t len,
                            void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx)
{
    if (!lex->ctr)
        return fz_lexicon_scan(lex, text, len, hit, ctx);
    const unsigned char *t = (const unsigned char *)text;
    const uint16_t *ctr = lex->ctr;
    const unsigned char *ccls = lex->ccls;
    const size_t ncc = lex->ncc;
    size_t k = 0, nhits = 0; /* k: the index of the state */
    uint64_t sum = 0; /* debug builds only */
    /* no pass over what leads back to the root (fz_lexicon_scan's): the
     * extractor scans sentences that hold a quantity, where about every
     * other character is in some word, and a branch on leaving the root
     * was mispredicted more often than the transition costs */
    for (size_t i = 0; i < len;) {
        unsigned b = t[i];
        int32_t o;
        if ((b & 0xF0) == 0xE0 && i + 3 <= len) { /* one step for the character */
            unsigned c = (b & 0x0Fu) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu);
            k = ctr[k * ncc + ccls[c]];
            i += 3;
            o = lex->breport[k];
        } else {
            /* a character of another length, byte by byte; from a state
             * that is no boundary (not valid UTF-8) the rest goes so too */
            int32_t st = lex->bstate[k];
            size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            for (;;) {
                st = lex->delta[(size_t)st * 256 + t[i]];
                i++;
                nhits += report_words(lex, lex->report[st], i, hit, ctx, &sum);
                if (i >= len || (--n == 0 && lex->bidx[st] != UINT16_MAX))
                    break;
            }
            k = lex->bidx[st];
            if (k == UINT16_MAX) {
                assert(i >= len);
                break;
            }
            continue;
        }
        if (o > 0) /* most characters end no word */
            nhits += report_words(lex, o, i, hit, ctx, &sum);
    }
#ifndef NDEBUG
    check_sum ref = { 0, 0 };
    fz_lexicon_scan_dfa(lex, text, len, check_hit, &ref);
    assert(ref.n == nhits && ref.h == sum);
#endif
    return nhits;
}

int fz_lexicon_knows(const fz_lexicon *lex, const char *s, size_t n)
{
    for (size_t w = 0; w < lex->nwords; w++)
        if (strlen(lex->words[w].text) == n && memcmp(lex->words[w].text, s, n) == 0)
            return 1;
    return 0;
}

/* ---- loading ---- */

enum { C_ID, C_NAME, C_KIND, C_UNIT, C_UNITS, C_KW, C_WEAK, C_CTX, C_EXCL, C_PRIO, C_NCOLS };
static const char *const col_names[C_NCOLS] = { "id", "name_zh", "kind", "unit", "units",
                                                "keywords", "weak_keywords", "context",
                                                "exclusions", "priority" };
static const int col_required[C_NCOLS] = { 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 };

typedef struct loader {
    fz_lexicon *lex;
    fz_diag    *diag;
    const char *name;
    long        line;      /* physical line being fed */
    long        row_line;  /* line the current record started on */
    int         errors;
    int         header_done;
    int         col[C_NCOLS]; /* field index of each column, -1 if absent */
    char      **fields;
    size_t      nfields, capfields;
} loader;

static void add_entry(fz_lexicon *lex, const char *text, size_t n, uint32_t ind, fz_kw_role role)
{
    size_t w;
    for (w = 0; w < lex->nwords; w++)
        if (strlen(lex->words[w].text) == n && memcmp(lex->words[w].text, text, n) == 0)
            break;
    if (w == lex->nwords) {
        if (lex->nwords == lex->capwords) {
            lex->capwords = lex->capwords ? lex->capwords * 2 : 64;
            lex->words = fz_xreallocarray(lex->words, lex->capwords, sizeof *lex->words);
        }
        memset(&lex->words[w], 0, sizeof lex->words[w]);
        lex->words[w].text = fz_xstrndup(text, n);
        lex->nwords++;
    }
    word *wd = &lex->words[w];
    for (size_t k = 0; k < wd->n; k++)
        if (wd->entries[k].indicator == ind && wd->entries[k].role == role)
            return;
    if (wd->n == wd->cap) {
        wd->cap = wd->cap ? wd->cap * 2 : 2;
        wd->entries = fz_xreallocarray(wd->entries, wd->cap, sizeof *wd->entries);
    }
    wd->entries[wd->n++] = (entry){ ind, role };
}

/* Splits a |-list, checks every item and adds it to the automaton's words.
 * Returns the number of items, or -1 after reporting a problem. */
static int add_list(loader *L, const char *list, const char *what, uint32_t ind, fz_kw_role role,
                    int required)
{
    const char *p = list;
    int n = 0;
    if (!*p) {
        if (required) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line, "empty %s", what);
            return -1;
        }
        return 0;
    }
    for (;;) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        /* trim ASCII spaces analysts may leave around items */
        while (l && *p == ' ') {
            p++;
            l--;
        }
        while (l && p[l - 1] == ' ')
            l--;
        if (l == 0) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line, "empty keyword in %s",
                        what);
            return -1;
        }
        if (l > FZ_LEXICON_MAX_KEYWORD) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        "keyword in %s longer than %d bytes", what, FZ_LEXICON_MAX_KEYWORD);
            return -1;
        }
        add_entry(L->lex, p, l, ind, role);
        n++;
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}

static int check_units(loader *L, const char *units, fz_kind kind)
{
    char buf[FZ_LEXICON_MAX_KEYWORD + 1];
    const char *p = units;
    if (!*p) {
        fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line, "empty units");
        return -1;
    }
    for (;;) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == 0 || l > FZ_LEXICON_MAX_KEYWORD) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line, "empty unit in units");
            return -1;
        }
        memcpy(buf, p, l);
        buf[l] = '\0';
        if (!fz_measure_known(buf)) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        "unknown measure word '%s' in units", buf);
            return -1;
        }
        if ((kind == FZ_KIND_RATE) != (strcmp(buf, "%") == 0)) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        kind == FZ_KIND_RATE ? "a rate takes only the unit '%%', not '%s'"
                                             : "a count cannot take the unit '%s'",
                        buf);
            return -1;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static const char *field(loader *L, int c)
{
    int i = L->col[c];
    if (i < 0 || (size_t)i >= L->nfields)
        return "";
    return L->fields[i];
}

static void take_row(loader *L)
{
    if (!L->header_done) {
        L->header_done = 1;
        for (int c = 0; c < C_NCOLS; c++) {
            L->col[c] = -1;
            for (size_t i = 0; i < L->nfields; i++) {
                const char *h = L->fields[i];
                if (i == 0 && (unsigned char)h[0] == 0xEF && (unsigned char)h[1] == 0xBB &&
                    (unsigned char)h[2] == 0xBF)
                    h += 3; /* BOM */
                if (strcmp(h, col_names[c]) == 0)
                    L->col[c] = (int)i;
            }
            if (L->col[c] < 0 && col_required[c]) {
                fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                            "missing column '%s'", col_names[c]);
                L->errors++;
            }
        }
        return;
    }
    if (L->nfields == 1 && L->fields[0][0] == '\0')
        return; /* blank line */
    fz_lexicon *lex = L->lex;
    if (lex->nind >= FZ_LEXICON_MAX_ROWS) {
        if (lex->nind == FZ_LEXICON_MAX_ROWS)
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        "more than %d indicators", FZ_LEXICON_MAX_ROWS);
        L->errors++;
        return;
    }
    const char *id = field(L, C_ID);
    int bad = 0;
    if (!*id) {
        fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line, "empty id");
        L->errors++;
        return;
    }
    for (size_t i = 0; i < lex->nind; i++)
        if (strcmp(lex->ind[i].id, id) == 0) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        "duplicate id '%s' (first on line %ld)", id, lex->ind[i].line);
            L->errors++;
            return;
        }
    const char *kind = field(L, C_KIND);
    fz_kind k = FZ_KIND_COUNT;
    if (strcmp(kind, "count") == 0) {
        k = FZ_KIND_COUNT;
    } else if (strcmp(kind, "rate") == 0) {
        k = FZ_KIND_RATE;
    } else {
        fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                    "unknown kind '%s' for '%s' (count or rate)", kind, id);
        bad = 1;
    }
    int prio = 0;
    const char *ps = field(L, C_PRIO);
    if (*ps) {
        char *end;
        errno = 0;
        long v = strtol(ps, &end, 10);
        if (*end || errno || v < 0 || v > 3) {
            fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                        "priority '%s' for '%s' is not 0-3", ps, id);
            bad = 1;
        } else {
            prio = (int)v;
        }
    }
    const char *unit = field(L, C_UNIT);
    if (!bad && check_units(L, field(L, C_UNITS), k) < 0)
        bad = 1;
    if (!bad && !list_has(field(L, C_UNITS), unit)) {
        fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                    "unit '%s' of '%s' is not among its units", unit, id);
        bad = 1;
    }
    uint32_t ind = (uint32_t)lex->nind;
    if (!bad && add_list(L, field(L, C_KW), "keywords", ind, FZ_KW_STRONG, 1) < 0)
        bad = 1;
    int nweak = 0, nctx = 0;
    if (!bad && (nweak = add_list(L, field(L, C_WEAK), "weak_keywords", ind, FZ_KW_WEAK, 0)) < 0)
        bad = 1;
    if (!bad && (nctx = add_list(L, field(L, C_CTX), "context", ind, FZ_KW_CONTEXT, 0)) < 0)
        bad = 1;
    if (!bad && add_list(L, field(L, C_EXCL), "exclusions", ind, FZ_KW_EXCLUDE, 0) < 0)
        bad = 1;
    if (!bad && nweak > 0 && nctx == 0) {
        fz_diag_add(L->diag, FZ_DIAG_FATAL, L->name, L->row_line,
                    "weak_keywords of '%s' need context words", id);
        bad = 1;
    }
    if (bad) {
        L->errors++;
        return;
    }
    if (lex->nind == lex->capind) {
        lex->capind = lex->capind ? lex->capind * 2 : 32;
        lex->ind = fz_xreallocarray(lex->ind, lex->capind, sizeof *lex->ind);
    }
    indicator *d = &lex->ind[lex->nind++];
    d->id = fz_xstrdup(id);
    d->name_zh = fz_xstrdup(field(L, C_NAME));
    d->unit = fz_xstrdup(unit);
    d->units = fz_xstrdup(field(L, C_UNITS));
    d->keywords = fz_xstrdup(field(L, C_KW));
    d->kind = k;
    d->priority = prio;
    d->line = L->row_line;
}

static void cb_field(void *s, size_t n, void *data)
{
    loader *L = data;
    if (L->nfields == 0)
        L->row_line = L->line;
    if (L->nfields == L->capfields) {
        L->capfields = L->capfields ? L->capfields * 2 : 16;
        L->fields = fz_xreallocarray(L->fields, L->capfields, sizeof *L->fields);
    }
    L->fields[L->nfields++] = fz_xstrndup(s ? (const char *)s : "", n);
}

static void cb_row(int c, void *data)
{
    (void)c;
    loader *L = data;
    if (L->nfields > 0)
        take_row(L);
    for (size_t i = 0; i < L->nfields; i++)
        free(L->fields[i]);
    L->nfields = 0;
}

fz_lexicon *fz_lexicon_parse(const char *name, const char *data, size_t n, fz_diag *diag)
{
    if (n > FZ_LEXICON_MAX_BYTES) {
        fz_diag_add(diag, FZ_DIAG_FATAL, name, 0, "lexicon larger than %zu bytes",
                    FZ_LEXICON_MAX_BYTES);
        return NULL;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.lex = fz_xcalloc(1, sizeof *L.lex);
    L.diag = diag;
    L.name = name;
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fz_lexicon_free(L.lex);
        return NULL;
    }
    /* fed line by line so every record knows the line it started on */
    size_t off = 0;
    int broken = 0;
    while (off < n) {
        const char *nl = memchr(data + off, '\n', n - off);
        size_t end = nl ? (size_t)(nl - data) + 1 : n;
        L.line++;
        if (csv_parse(&p, data + off, end - off, cb_field, cb_row, &L) != end - off) {
            fz_diag_add(diag, FZ_DIAG_FATAL, name, L.line, "malformed CSV: %s",
                        csv_strerror(csv_error(&p)));
            broken = 1;
            break;
        }
        off = end;
    }
    if (!broken && csv_fini(&p, cb_field, cb_row, &L) != 0) {
        /* a quote opened and never closed swallowed the rest of the file */
        fz_diag_add(diag, FZ_DIAG_FATAL, name, L.line, "malformed CSV: unterminated quote");
        broken = 1;
    }
    csv_free(&p);
    for (size_t i = 0; i < L.nfields; i++)
        free(L.fields[i]);
    free(L.fields);
    if (!broken && !L.header_done) {
        fz_diag_add(diag, FZ_DIAG_FATAL, name, 0, "empty lexicon");
        broken = 1;
    }
    if (!broken && L.errors == 0 && L.lex->nind == 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, name, 0, "lexicon has no indicators");
        broken = 1;
    }
    if (broken || L.errors) {
        fz_lexicon_free(L.lex);
        return NULL;
    }
    build_automaton(L.lex);
    build_chars(L.lex);
    return L.lex;
}

fz_lexicon *fz_lexicon_load(const char *path, fz_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot read lexicon: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0, r;
    char *buf = fz_xmalloc(cap);
    while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len > FZ_LEXICON_MAX_BYTES)
            break;
        if (len == cap) {
            cap *= 2;
            buf = fz_xrealloc(buf, cap);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot read lexicon: read error");
        free(buf);
        return NULL;
    }
    fz_lexicon *lex = fz_lexicon_parse(path, buf, len, diag);
    free(buf);
    return lex;
}
