/* gazetteer.c: loading datasets/gazetteer.csv and the trie over its names.
 *
 * The file is read whole and rewritten in place: names and codes point into
 * that one buffer. The trie is a node array, a direct table for the edges
 * out of the root in the CJK block, and one open-addressing hash of packed
 * edges keyed by (node, code point), so a lookup costs one probe per
 * character and a text scan stops after the first character that no name
 * continues with. fz_gazetteer_scan() rules out most positions of a text
 * with bitmaps (first-two-character pairs, single-character names, other
 * first characters) before it walks the trie. Postings (which rows a name
 * stands for) hang off terminal nodes. Nothing here changes after
 * fz_gazetteer_load() returns. All of it can be written to an index file
 * and mapped from there instead of being built (see "the binary index"). */
#include "gazetteer.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"
#include "text.h"
#include "xalloc.h"

/* Edges from the root are looked up in a plain array for the CJK block:
 * almost every position of a report starts there. Other first characters
 * of the BMP have a bit each, so a position holding one that starts no name
 * (a digit, a comma) costs no probe of the edge hash. */
#define ROOT_BASE 0x4E00u
#define ROOT_N    0x5200u
#define BMP_N     0x10000u

/* An edge packed in 64 bits: bit 63 set, child node in bits 42..62, parent
 * node in bits 21..41, code point in bits 0..20. 0 is an empty slot. */
#define EDGE_NODE_MAX ((int32_t)1 << 21)
#define EDGE_KEY_MASK (((uint64_t)1 << 42) - 1)

/* Most characters of a report start some name, few pairs do: a 32 KB
 * bitmap of the first two characters spares the edge hash most probes
 * (about 9% of its bits are set for the official divisions; the scan tests
 * rpair[] at every character, and a bitmap this size stays in L1). */
#define PAIR_BITS ((size_t)1 << 18)

static size_t pair_bit(uint32_t c1, uint32_t c2)
{
    return (size_t)((c1 * 0x9E3779B1u ^ c2 * 0x85EBCA77u) >> 10) & (PAIR_BITS - 1);
}

/* Many pairs of a report are the start of a name but not one (建设 of
 * 建设镇): two smaller bitmaps, of the pairs that are names and of the
 * first three characters of longer names, settle most of them. */
#define NAME2_BITS  ((size_t)1 << 18)
#define TRIPLE_BITS ((size_t)1 << 20)

static size_t name2_bit(uint32_t c1, uint32_t c2)
{
    return (size_t)((c1 * 0x9E3779B1u ^ c2 * 0x85EBCA77u) >> 14) & (NAME2_BITS - 1);
}

static size_t triple_bit(uint32_t c1, uint32_t c2, uint32_t c3)
{
    return (size_t)((c1 * 0x9E3779B1u ^ c2 * 0x85EBCA77u ^ c3 * 0xC2B2AE3Du) >> 12) &
           (TRIPLE_BITS - 1);
}

/* Where a character and the next take three bytes each, the scan tests
 * them on their bytes, without decoding: bitmaps of hashed byte strings, a
 * pair's six bytes and a first character's three. Every three-byte form of
 * a character gets its bit, the overlong one too, since the decoder takes
 * it for the character. */
#define RLEAD_BITS ((size_t)1 << 16)

static inline size_t rpair_bit(uint64_t six)
{
    return (size_t)((six * 0x9E3779B97F4A7C15ULL) >> 40) & (PAIR_BITS - 1);
}

static inline size_t rlead_bit(uint64_t three)
{
    return (size_t)((three * 0x9E3779B97F4A7C15ULL) >> 48) & (RLEAD_BITS - 1);
}

/* The three bytes of c (below U+10000) in the low bytes, in memory order:
 * its UTF-8 form, or the overlong form of c below U+0800, which the scan
 * decodes as c all the same. */
static uint64_t enc3(uint32_t c)
{
    return (uint64_t)(0xE0u | c >> 12) | (uint64_t)(0x80u | (c >> 6 & 0x3Fu)) << 8 |
           (uint64_t)(0x80u | (c & 0x3Fu)) << 16;
}

static inline size_t rname2_bit(uint64_t six)
{
    return (size_t)((six * 0x9E3779B97F4A7C15ULL) >> 46) & (NAME2_BITS - 1);
}

/* w: bytes 0..7 of three three-byte characters, x: bytes 1..8 */
static inline size_t rtriple_bit(uint64_t w, uint64_t x)
{
    return (size_t)(((x ^ w << 56) * 0x9E3779B97F4A7C15ULL) >> 44) & (TRIPLE_BITS - 1);
}

typedef struct tmp_post {
    int32_t node;   /* terminal trie node */
    int32_t region; /* row */
    fz_form form;
} tmp_post;

struct fz_gazetteer {
    char      *data;   /* the file, rewritten in place */
    fz_region *rows;
    size_t     nrows;
    size_t     min_name; /* no indexed name is shorter (bytes) */

    uint64_t *code_keys; /* code hash: (length << 40 | value) + 1, 0 = empty */
    int32_t  *code_vals;
    size_t    code_cap;  /* power of two */

    int32_t *node_post;  /* first posting of a node, -1 if none */
    int32_t *node_npost; /* postings of a node */
    size_t   nnodes, node_cap;

    uint64_t *edges;     /* open addressing, packed edges */
    size_t   edge_cap, nedges;
    unsigned edge_shift; /* 64 - log2(edge_cap) */
    int      too_many;   /* more trie nodes than an edge can name */
    int32_t  root[ROOT_N]; /* children of the root for U+4E00.., -1 if none */
    uint64_t first[BMP_N / 64]; /* a bit per other BMP character that starts a name */
    uint64_t one[ROOT_N / 64];  /* a bit per CJK character that is a name by itself */
    int      any_one;           /* some bit of one[] is set */
    uint64_t pair[PAIR_BITS / 64]; /* a bit per hashed first-two-characters of a name */
    uint64_t name2[NAME2_BITS / 64];   /* a bit per two-character name */
    uint64_t triple[TRIPLE_BITS / 64]; /* a bit per first-three-characters of a name */
    uint64_t rpair[PAIR_BITS / 64];  /* pair[] by the six bytes of two characters */
    uint64_t rname2[NAME2_BITS / 64];   /* name2[] by the bytes */
    uint64_t rtriple[TRIPLE_BITS / 64]; /* triple[] by the nine bytes */
    uint64_t rlead[RLEAD_BITS / 64]; /* by its three bytes, a character that is a name
                                        alone, starts a name outside the CJK block or
                                        is U+FF08/U+FF09 */

    fz_posting *posts;
    size_t      nposts;

    uint64_t csv_size, csv_hash; /* of the file the rows come from */
    void    *map;                /* the index file when the arrays point into it */
    size_t   map_len;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Decodes one UTF-8 character; returns its length, 0 at the end or on an
 * invalid sequence. Overlong forms are not refused. */
static size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    size_t len;
    uint32_t c;
    if (u[0] < 0x80) {
        len = 1;
        c = u[0];
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* utf8_next() with the three-byte case (all of CJK) inline. */
static inline size_t next_char(const unsigned char *u, size_t n, uint32_t *cp)
{
    if (n >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3Fu);
        return 3;
    }
    return utf8_next((const char *)u, n, cp);
}

/* Full-width parentheses fold to ASCII as NFKC would. */
static inline uint32_t fold(uint32_t c)
{
    return c == 0xFF08 ? '(' : c == 0xFF09 ? ')' : c;
}

/* Bytes of the shortest UTF-8 form of c. */
static size_t enc_len(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* ---- code hash ---- */

static uint64_t code_key(const char *code)
{
    uint64_t v = 0;
    size_t len = strlen(code);
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (uint64_t)(code[i] - '0');
    return ((uint64_t)len << 40 | v) + 1;
}

/* Adds code for row idx and returns -1, or returns the row that has it. */
static int32_t code_put(fz_gazetteer *g, const char *code, int32_t idx)
{
    uint64_t k = code_key(code);
    size_t m = g->code_cap - 1;
    for (size_t h = mix(k) & m;; h = (h + 1) & m) {
        if (g->code_keys[h] == k)
            return g->code_vals[h];
        if (g->code_keys[h] == 0) {
            g->code_keys[h] = k;
            g->code_vals[h] = idx;
            return -1;
        }
    }
}

static int valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Lookup of a code already known to be valid. The probes stop after
 * every slot, and a row out of range is none: an index file's code hash is
 * not checked when it is mapped. */
static int32_t find_code(const fz_gazetteer *g, const char *code)
{
    uint64_t k = code_key(code);
    size_t m = g->code_cap - 1;
    for (size_t h = mix(k) & m, n = 0; n <= m && g->code_keys[h]; h = (h + 1) & m, n++)
        if (g->code_keys[h] == k)
            return (uint32_t)g->code_vals[h] < g->nrows ? g->code_vals[h] : -1;
    return -1;
}

int32_t fz_gazetteer_find_code(const fz_gazetteer *g, const char *code)
{
    if (!code || !valid_code(code))
        return -1;
    return find_code(g, code);
}

/* ---- trie ---- */

static int32_t new_node(fz_gazetteer *g)
{
    if (g->nnodes == g->node_cap) {
        g->node_cap = g->node_cap ? g->node_cap * 2 : 4096;
        g->node_post = fz_xreallocarray(g->node_post, g->node_cap, sizeof *g->node_post);
        g->node_npost = fz_xreallocarray(g->node_npost, g->node_cap, sizeof *g->node_npost);
    }
    g->node_post[g->nnodes] = -1;
    g->node_npost[g->nnodes] = 0;
    return (int32_t)g->nnodes++;
}

static inline size_t edge_slot(const fz_gazetteer *g, uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> g->edge_shift);
}

/* The child of a node other than the root's CJK table, or -1. */
static int32_t edge_find(const fz_gazetteer *g, int32_t node, uint32_t cp)
{
    uint64_t k = (uint64_t)(uint32_t)node << 21 | cp;
    size_t m = g->edge_cap - 1;
    for (size_t h = edge_slot(g, k);; h = (h + 1) & m) {
        uint64_t e = g->edges[h];
        if (!e)
            return -1;
        if ((e & EDGE_KEY_MASK) == k)
            return (int32_t)((e >> 42) & (uint64_t)(EDGE_NODE_MAX - 1));
    }
}

/* The child of the root for the first character of a name, or -1. */
static inline int32_t root_child(const fz_gazetteer *g, uint32_t cp)
{
    if (cp - ROOT_BASE < ROOT_N)
        return g->root[cp - ROOT_BASE];
    if (cp < BMP_N && !(g->first[cp / 64] >> (cp % 64) & 1))
        return -1;
    return edge_find(g, 0, cp);
}

static int32_t edge_get(const fz_gazetteer *g, int32_t node, uint32_t cp)
{
    return node == 0 ? root_child(g, cp) : edge_find(g, node, cp);
}

static void edge_put(const fz_gazetteer *g, uint64_t *tab, uint64_t e)
{
    size_t m = g->edge_cap - 1, h = edge_slot(g, e & EDGE_KEY_MASK);
    while (tab[h])
        h = (h + 1) & m;
    tab[h] = e;
}

static void edge_grow(fz_gazetteer *g)
{
    size_t old = g->edge_cap;
    uint64_t *oe = g->edges;
    g->edge_cap = old * 2;
    g->edge_shift--;
    g->edges = fz_xcalloc(g->edge_cap, sizeof *g->edges);
    for (size_t i = 0; i < old; i++)
        if (oe[i])
            edge_put(g, g->edges, oe[i]);
    free(oe);
}

/* Sets the pair bits of (c1, c2): by code points and by bytes. */
static void set_pair1(fz_gazetteer *g, uint32_t c1, uint32_t c2)
{
    size_t b = pair_bit(c1, c2);
    g->pair[b / 64] |= (uint64_t)1 << (b % 64);
    if (c1 < BMP_N && c2 < BMP_N) {
        b = rpair_bit(enc3(c1) | enc3(c2) << 24);
        g->rpair[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

/* Sets the pair bits of (c1, c2), and of (c1, U+FF08/U+FF09) for c2 '(' or
 * ')', so that a scan may test a second character before folding it. */
static void set_pair(fz_gazetteer *g, uint32_t c1, uint32_t c2)
{
    set_pair1(g, c1, c2);
    if (c2 == '(' || c2 == ')')
        set_pair1(g, c1, c2 == '(' ? 0xFF08u : 0xFF09u);
}

/* Sets the rtriple bits of the folded first three characters of a name,
 * for each three-byte form of them (U+FF08/U+FF09 for '(' and ')'). */
static void set_rtriple(fz_gazetteer *g, uint32_t c1, uint32_t c2, uint32_t c3)
{
    /* the scan looks closely at other first characters */
    if (c1 - ROOT_BASE >= ROOT_N || c2 >= BMP_N || c3 >= BMP_N)
        return;
    uint64_t e3 = enc3(c3), w = enc3(c1) | enc3(c2) << 24 | e3 << 48;
    size_t b = rtriple_bit(w, w >> 8 | (e3 >> 16) << 56);
    g->rtriple[b / 64] |= (uint64_t)1 << (b % 64);
    if (c2 == '(' || c2 == ')')
        set_rtriple(g, c1, c2 == '(' ? 0xFF08u : 0xFF09u, c3);
    if (c3 == '(' || c3 == ')')
        set_rtriple(g, c1, c2, c3 == '(' ? 0xFF08u : 0xFF09u);
}

/* The same for rname2 and a two-character name. */
static void set_rname2(fz_gazetteer *g, uint32_t c1, uint32_t c2)
{
    if (c1 - ROOT_BASE >= ROOT_N || c2 >= BMP_N)
        return;
    size_t b = rname2_bit(enc3(c1) | enc3(c2) << 24);
    g->rname2[b / 64] |= (uint64_t)1 << (b % 64);
    if (c2 == '(' || c2 == ')')
        set_rname2(g, c1, c2 == '(' ? 0xFF08u : 0xFF09u);
}

/* Inserts the name s (n bytes) and returns its node, or -1 (invalid UTF-8,
 * too many nodes). If at is not NULL, at[i] is set to the node after the
 * first i bytes for each character boundary i the insertion got to; the
 * caller fills at[0..n] with -1 first. */
static int32_t trie_insert(fz_gazetteer *g, const char *s, size_t n, int32_t *at)
{
    int32_t node = 0;
    size_t i = 0, depth = 0;
    uint32_t first = 0, second = 0;
    int fresh = 0; /* node was just created: it has no children yet */
    if (at)
        at[0] = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = next_char((const unsigned char *)s + i, n - i, &cp);
        if (l == 0 || cp >= ((uint32_t)1 << 21))
            return -1;
        cp = fold(cp);
        i += l;
        if (depth == 0) {
            first = cp;
        } else if (depth == 1) {
            second = cp;
            set_pair(g, first, cp);
        } else if (depth == 2) {
            size_t b = triple_bit(first, second, cp);
            g->triple[b / 64] |= (uint64_t)1 << (b % 64);
            set_rtriple(g, first, second, cp);
        }
        depth++;
        int32_t child = fresh ? -1 : edge_get(g, node, cp);
        if (child < 0) {
            if (g->nnodes >= (size_t)EDGE_NODE_MAX) {
                g->too_many = 1;
                return -1;
            }
            child = new_node(g);
            fresh = 1;
            if (node == 0 && cp - ROOT_BASE < ROOT_N) {
                g->root[cp - ROOT_BASE] = child;
            } else {
                if (node == 0 && cp < BMP_N)
                    g->first[cp / 64] |= (uint64_t)1 << (cp % 64);
                if ((g->nedges + 1) * 10 > g->edge_cap * 7)
                    edge_grow(g);
                edge_put(g, g->edges,
                         (uint64_t)1 << 63 | (uint64_t)(uint32_t)child << 42 |
                             (uint64_t)(uint32_t)node << 21 | cp);
                g->nedges++;
            }
        }
        node = child;
        if (at)
            at[i] = node;
    }
    return node;
}

/* The longest name at u whose first character c1 (l1 bytes, not folded)
 * is already decoded. */
static inline size_t match_from(const fz_gazetteer *g, const unsigned char *u, size_t n,
                                uint32_t c1, size_t l1, const fz_posting **post, size_t *npost)
{
    *post = NULL;
    *npost = 0;
    c1 = fold(c1);
    int32_t node = root_child(g, c1);
    if (node < 0)
        return 0;
    size_t i = l1, best = 0;
    if (g->node_npost[node] > 0) {
        best = i;
        *post = g->posts + g->node_post[node];
        *npost = (size_t)g->node_npost[node];
    }
    uint32_t cp;
    size_t l = next_char(u + i, n - i, &cp);
    if (l == 0 || cp == '\n')
        return best;
    cp = fold(cp);
    size_t b = pair_bit(c1, cp);
    if (!(g->pair[b / 64] >> (b % 64) & 1))
        return best;
    for (;;) {
        node = edge_find(g, node, cp);
        if (node < 0)
            return best;
        i += l;
        if (g->node_npost[node] > 0) {
            best = i;
            *post = g->posts + g->node_post[node];
            *npost = (size_t)g->node_npost[node];
        }
        l = next_char(u + i, n - i, &cp);
        if (l == 0 || cp == '\n')
            return best;
        cp = fold(cp);
    }
}

size_t fz_gazetteer_match(const fz_gazetteer *g, const char *s, size_t n,
                          const fz_posting **post, size_t *npost)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c1;
    size_t l1 = next_char(u, n, &c1);
    if (l1 == 0 || c1 == '\n') {
        *post = NULL;
        *npost = 0;
        return 0;
    }
    return match_from(g, u, n, c1, l1, post, npost);
}

/* The code point of the three-byte sequence in the low bytes of w (bytes
 * in memory order), or 0 when it is not one. */
static inline uint32_t three_byte(uint32_t w)
{
    if ((w & 0xC0C0F0u) != 0x8080E0u)
        return 0;
    return (w & 0x0Fu) << 12 | (w >> 2 & 0xFC0u) | (w >> 16 & 0x3Fu);
}

static inline uint32_t load4(const unsigned char *u)
{
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static inline uint64_t load8(const unsigned char *u)
{
    return (uint64_t)load4(u) | (uint64_t)load4(u + 4) << 32;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* 1 if s[0..15) is five three-byte characters and the first four are in
 * U+4E00-U+9FFF (lead byte E5-E9, or E4 with a second byte from B8);
 * reads s[0..16). */
static inline int cjk_block(const unsigned char *s)
{
    const __m128i mask = _mm_setr_epi8(-16, -64, -64, -16, -64, -64, -16, -64, -64, -16, -64,
                                       -64, -16, -64, -64, 0);
    const __m128i want = _mm_setr_epi8(-32, -128, -128, -32, -128, -128, -32, -128, -128, -32,
                                       -128, -128, -32, -128, -128, 0);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    int good = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, mask), want));
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE4));
    /* lead bytes E4-E9: 0-5 after the subtraction */
    int lead = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(5)), t));
    /* E4 followed by a byte below B8: U+4000-U+4DFF */
    int e4 = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE4)));
    int low = _mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)0xB7)), v)); /* v <= B7 */
    return good == 0xFFFF && (lead & 0x249) == 0x249 && ((e4 << 1) & low & 0x492) == 0;
}
#endif

/* 1 if the two three-byte characters at q, whose pair is in rpair[], are
 * no two-character name and are followed by a three-byte character that
 * no name has third there. Reads u[q..q+9) only when n - q >= 9 (the
 * callers know of two characters, six bytes, at q). */
static inline int pair_ruled_out(const fz_gazetteer *g, const unsigned char *u, size_t n,
                                 size_t q)
{
    if (n - q < 9)
        return 0; /* no third character to rule the pair out with */
    uint64_t w = load8(u + q);
    size_t b = rname2_bit(w << 16 >> 16);
    if (g->rname2[b / 64] >> (b % 64) & 1)
        return 0;
    uint64_t x = load8(u + q + 1);
    if ((x >> 40 & 0xC0C0F0) != 0x8080E0)
        return 0;
    b = rtriple_bit(w, x);
    return !(g->rtriple[b / 64] >> (b % 64) & 1);
}

/* From p, skips the characters that certainly start no name (and are no
 * stop: stop_bits as in fz_gazetteer_scan(), for stops outside the CJK
 * block): CJK characters that are no name alone and whose pair with the
 * next character is not in the bitmap, other three-byte characters of the
 * BMP and ASCII characters that start no name. Two three-byte characters
 * in a row are tested on their bytes (rlead[], rpair[], then rname2[] and
 * rtriple[]); where no CJK character is a name alone, runs of CJK
 * characters four pairs at a time (rlead[] holds no such character, and
 * it is no stop). Returns the first position it does not skip; the caller looks at
 * that one closely. */
static __attribute__((noinline)) size_t skip(const fz_gazetteer *g, const unsigned char *u,
                                              size_t n, size_t p, uint64_t stop_bits)
{
    const int any_one = g->any_one;
    for (;;) {
#if defined(__SSE2__)
        while (!any_one && n - p >= 16 && cjk_block(u + p)) {
            const uint64_t m48 = ((uint64_t)1 << 48) - 1;
            uint64_t w0 = load8(u + p), w1 = load8(u + p + 8);
            size_t b0 = rpair_bit(w0 & m48), b1 = rpair_bit((w0 >> 24 | w1 << 40) & m48),
                   b2 = rpair_bit((w0 >> 48 | w1 << 16) & m48), b3 = rpair_bit(w1 >> 8 & m48);
            unsigned hit = (unsigned)(g->rpair[b0 / 64] >> (b0 % 64) & 1) |
                           (unsigned)(g->rpair[b1 / 64] >> (b1 % 64) & 1) << 1 |
                           (unsigned)(g->rpair[b2 / 64] >> (b2 % 64) & 1) << 2 |
                           (unsigned)(g->rpair[b3 / 64] >> (b3 % 64) & 1) << 3;
            for (; hit; hit &= hit - 1) {
                size_t q = p + 3 * (size_t)__builtin_ctz(hit);
                if (!pair_ruled_out(g, u, n, q))
                    return q;
            }
            p += 12;
        }
#endif
        /* two three-byte characters: their bytes settle it */
        if (n - p >= 8) {
            uint64_t w = load8(u + p);
            if ((w & 0xC0C0F0C0C0F0ULL) == 0x8080E08080E0ULL) {
                size_t a = rlead_bit(w << 40 >> 40), b = rpair_bit(w << 16 >> 16);
                if (g->rlead[a / 64] >> (a % 64) & 1)
                    return p;
                if ((g->rpair[b / 64] >> (b % 64) & 1) && !pair_ruled_out(g, u, n, p))
                    return p;
                /* bit (c % 64) of a stop outside the CJK block */
                if ((stop_bits >> (w >> 16 & 0x3F) & 1) &&
                    three_byte((uint32_t)w) - ROOT_BASE >= ROOT_N)
                    return p;
                p += 3;
                continue;
            }
        }
        if (n - p < 7)
            break;
        uint32_t w = load4(u + p), c;
        if (!(w & 0x80)) {
            uint32_t a = w & 0x7F;
            if ((stop_bits >> (a % 64) & 1) ||
                (a != '\n' && (g->first[a / 64] >> (a % 64) & 1)))
                break;
            p++;
            continue;
        }
        if ((c = three_byte(w)) == 0)
            break;
        if (c - ROOT_BASE < ROOT_N) {
            if (any_one && (g->one[(c - ROOT_BASE) / 64] >> ((c - ROOT_BASE) % 64) & 1))
                break;
            uint32_t c2 = u[p + 3];
            if (c2 >= 0x80 && (c2 = three_byte(load4(u + p + 3))) == 0)
                break;
            if (c2 != '\n' && (g->pair[pair_bit(c, c2) / 64] >> (pair_bit(c, c2) % 64) & 1))
                break;
        } else if (c == 0xFF08 || c == 0xFF09 || (stop_bits >> (c % 64) & 1) ||
                   (g->first[c / 64] >> (c % 64) & 1)) {
            break;
        }
        p += 3;
    }
    return p;
}

size_t fz_gazetteer_scan(const fz_gazetteer *g, const char *s, size_t n, const uint32_t *stop,
                         size_t nstop, size_t *at, const fz_posting **post, size_t *npost)
{
    const unsigned char *u = (const unsigned char *)s;
    /* a quick sieve: bit (c % 64) of every stop, apart for the CJK block */
    uint64_t stop_bits = 0, stop_cjk = 0;
    for (size_t k = 0; k < nstop; k++) {
        if (stop[k] - ROOT_BASE < ROOT_N)
            stop_cjk |= (uint64_t)1 << (stop[k] % 64);
        else
            stop_bits |= (uint64_t)1 << (stop[k] % 64);
    }
    size_t p = 0;
    for (;;) {
        if (!stop_cjk)
            p = skip(g, u, n, p, stop_bits);
        if (p >= n)
            break;
        uint32_t c, c2;
        size_t l = next_char(u + p, n - p, &c);
        if (l == 0) {
            /* as a lead byte says, whatever follows it */
            unsigned char b = u[p];
            l = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            p += l < n - p ? l : n - p;
            continue;
        }
        int cjk = c - ROOT_BASE < ROOT_N;
        if ((cjk ? stop_cjk : stop_bits) >> (c % 64) & 1)
            for (size_t k = 0; k < nstop; k++)
                if (c == stop[k] && l == enc_len(c)) {
                    *at = p;
                    *post = NULL;
                    *npost = 0;
                    return 0;
                }
        /* as in skip(), but for any character */
        if (cjk) {
            if (!(g->one[(c - ROOT_BASE) / 64] >> ((c - ROOT_BASE) % 64) & 1)) {
                size_t l2 = next_char(u + p + l, n - p - l, &c2);
                if (l2 == 0 || c2 == '\n' ||
                    !(g->pair[pair_bit(c, c2) / 64] >> (pair_bit(c, c2) % 64) & 1)) {
                    p += l;
                    continue;
                }
                /* no two-character name here: the third character must fit */
                c2 = fold(c2);
                if (!(g->name2[name2_bit(c, c2) / 64] >> (name2_bit(c, c2) % 64) & 1)) {
                    uint32_t c3;
                    size_t l3 = next_char(u + p + l + l2, n - p - l - l2, &c3);
                    if (l3 == 0 || c3 == '\n' ||
                        !(g->triple[triple_bit(c, c2, fold(c3)) / 64] >>
                              (triple_bit(c, c2, fold(c3)) % 64) &
                          1)) {
                        p += l;
                        continue;
                    }
                }
            }
        } else {
            uint32_t f = fold(c);
            if (f == '\n' || (f < BMP_N && !(g->first[f / 64] >> (f % 64) & 1))) {
                p += l;
                continue;
            }
        }
        size_t ml = match_from(g, u + p, n - p, c, l, post, npost);
        if (ml > 0) {
            *at = p;
            return ml;
        }
        p += l;
    }
    *at = n;
    *post = NULL;
    *npost = 0;
    return 0;
}

size_t fz_gazetteer_lookup(const fz_gazetteer *g, const char *name, const fz_posting **post)
{
    size_t n = strlen(name), np;
    size_t len = fz_gazetteer_match(g, name, n, post, &np);
    if (len != n || n == 0) {
        *post = NULL;
        return 0;
    }
    return np;
}

/* ---- names and their short forms ---- */

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* The 55 minority nationalities as they appear in autonomous names
 * (黔南布依族苗族自治州, 新疆维吾尔自治区), plus 各 (各族). */
static const char *const ethnic[] = {
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春",
    "赫哲", "门巴", "珞巴", "基诺", "各",
};

/* Drops trailing nationality names: 黔南布依族苗族 → 黔南. bare allows the
 * form without 族 used by 新疆维吾尔自治区. */
static size_t strip_ethnic(const char *s, size_t n, int bare)
{
    static const size_t zu = sizeof "族" - 1;
    for (;;) {
        size_t before = n;
        int has_zu = ends_with(s, n, "族");
        if (!bare && !has_zu)
            return n;
        for (size_t i = 0; i < sizeof ethnic / sizeof *ethnic; i++) {
            size_t k = strlen(ethnic[i]);
            if (has_zu && ends_with(s, n - zu, ethnic[i]) && fz_text_nchars(s, n - zu - k) >= 2) {
                n -= zu + k;
                break;
            }
            if (bare && ends_with(s, n, ethnic[i]) && fz_text_nchars(s, n - k) >= 2) {
                n -= k;
                break;
            }
        }
        if (n == before)
            return n;
    }
}

/* Length of the short form of a full name, or 0 if it has none that is
 * safe: 滨海新区 → 滨海新 says nothing, 市中区 → 市中 is a phrase, and a
 * one-character stem (和县 → 和) matches everywhere. */
/* A suffix that short_form() drops: ethnic when nationality names before
 * it go too (bare: also without 族), qu for 区. */
typedef struct suffix {
    const char *s;
    size_t n;
    unsigned char ethnic, bare, qu;
} suffix;
#define SUF(w, e, b, q) { w, sizeof w - 1, e, b, q }

static size_t short_form(const char *s, size_t n, fz_level level)
{
    static const suffix prov[] = { SUF("特别行政区", 0, 0, 0), SUF("自治区", 1, 1, 0),
                                   SUF("省", 0, 0, 0), SUF("市", 0, 0, 0) };
    static const suffix pref[] = { SUF("自治州", 1, 0, 0), SUF("地区", 0, 0, 0),
                                   SUF("市", 0, 0, 0), SUF("盟", 0, 0, 0) };
    static const suffix county[] = { SUF("自治县", 1, 0, 0), SUF("自治旗", 1, 0, 0),
                                     SUF("县", 0, 0, 0), SUF("旗", 0, 0, 0),
                                     SUF("市", 0, 0, 0), SUF("区", 0, 0, 1) };
    static const suffix town[] = { SUF("街道办事处", 0, 0, 0), SUF("民族乡", 1, 0, 0),
                                   SUF("民族苏木", 0, 0, 0), SUF("办事处", 0, 0, 0),
                                   SUF("街道", 0, 0, 0), SUF("苏木", 0, 0, 0),
                                   SUF("镇", 0, 0, 0), SUF("乡", 1, 0, 0) };
    const suffix *list;
    size_t nlist;
    switch (level) {
    case FZ_LEVEL_PROVINCE: list = prov; nlist = 4; break;
    case FZ_LEVEL_PREFECTURE: list = pref; nlist = 4; break;
    case FZ_LEVEL_COUNTY: list = county; nlist = 6; break;
    case FZ_LEVEL_TOWNSHIP: list = town; nlist = 8; break;
    default: return 0;
    }
    for (size_t i = 0; i < nlist; i++) {
        const suffix *x = &list[i];
        if (n < x->n || s[n - 1] != x->s[x->n - 1] || memcmp(s + n - x->n, x->s, x->n) != 0)
            continue;
        size_t m = n - x->n;
        if (x->ethnic)
            m = strip_ethnic(s, m, x->bare);
        if (x->qu) {
            static const char *const bad[] = { "新", "城", "矿", "林", "郊", "发", "园", "理",
                                               "范", "验", "作", "业", "济", "中", "术", "市" };
            for (size_t j = 0; j < sizeof bad / sizeof *bad; j++)
                if (m >= 3 && memcmp(s + m - 3, bad[j], 3) == 0)
                    return 0;
        }
        if (ends_with(s, m, "族") || fz_text_nchars(s, m) < 2)
            return 0;
        return m;
    }
    return 0;
}

/* Short forms that are everyday words of government reports: 人民(政府),
 * 法治(政府), 建设, 中心, 街道. Kept out of the index; the full names
 * (人民街道, 建设镇) stay. */
static const char *const generic[] = {
    "人民", "地方", "基层", "各级", "乡镇", "街道", "城市", "法治", "数字", "服务", "阳光",
    "廉洁", "诚信", "责任", "有限", "本级", "上级", "同级", "一级", "两级", "市级", "县级",
    "区级", "镇级", "人大", "政府", "中心", "建设", "发展", "民主", "创新", "平台", "第一",
    "第二", "第三", "安全", "市场", "民政", "合作", "联合", "和谐", "平安", "中华", "公安",
    "交通", "文化", "治安", "资源", "工程", "劳动", "城镇", "集体", "民生", "民意", "公正",
    "公平", "公民", "土地", "健康", "统一", "更新", "长期", "源头", "社区", "工业", "农业",
    "开发", "经济", "高新", "科技", "教育", "卫生", "机关", "环境", "生态", "管理", "综合",
    "农村", "乡村", "振兴", "团结", "胜利", "光明", "前进", "幸福", "文明",
};

/* The six bytes of a two-character word as a number: equal words, equal keys. */
static uint64_t key6(const char *s)
{
    uint64_t k = 0;
    for (int i = 0; i < 6; i++)
        k = k << 8 | (unsigned char)s[i];
    return k;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* sorted: the keys of generic[], ascending */
static int is_generic(const uint64_t *sorted, const char *s, size_t n)
{
    if (n != 6) /* every word above is two characters */
        return 0;
    uint64_t k = key6(s);
    size_t lo = 0, hi = sizeof generic / sizeof *generic;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] == k)
            return 1;
        if (sorted[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int is_placeholder(const fz_gazetteer *g, const fz_region *r)
{
    if (r->level == FZ_LEVEL_PREFECTURE &&
        (strcmp(r->name, "市辖区") == 0 || strcmp(r->name, "县") == 0 ||
         strstr(r->name, "直辖县级行政区划") != NULL))
        return 1;
    /* 441900 东莞市 under 4419 东莞市: the county level the city does not have */
    return r->level == FZ_LEVEL_COUNTY && r->parent >= 0 &&
           strcmp(g->rows[r->parent].name, r->name) == 0;
}

typedef struct post_vec {
    tmp_post *v;
    size_t n, cap;
} post_vec;

/* Sets the name2 bit of s[0..n) if it is two characters. */
static void note_key(fz_gazetteer *g, const char *s, size_t n)
{
    if (n > 8) /* longer than two characters */
        return;
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c1, c2;
    size_t l1 = next_char(u, n, &c1);
    if (l1 == 0 || l1 == n)
        return;
    size_t l2 = next_char(u + l1, n - l1, &c2);
    if (l2 == 0 || l1 + l2 != n)
        return;
    size_t b = name2_bit(fold(c1), fold(c2));
    g->name2[b / 64] |= (uint64_t)1 << (b % 64);
    set_rname2(g, fold(c1), fold(c2));
}

/* Adds a posting of region under node (nothing for 0 or -1). */
static void add_post(post_vec *pv, int32_t node, int32_t region, fz_form form)
{
    if (node <= 0)
        return;
    if (pv->n == pv->cap) {
        pv->cap = pv->cap ? pv->cap * 2 : 65536;
        pv->v = fz_xreallocarray(pv->v, pv->cap, sizeof *pv->v);
    }
    pv->v[pv->n++] = (tmp_post){ node, region, form };
}

/* The node of s[0..m), a prefix of a name whose insertion filled at: where
 * that insertion got to m, inserting the prefix would walk to the same node. */
static int32_t prefix_node(fz_gazetteer *g, const char *s, size_t m, const int32_t *at)
{
    return at[m] >= 0 ? at[m] : trie_insert(g, s, m, NULL);
}

static int cmp_tmp(const void *a, const void *b)
{
    const tmp_post *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    if (x->region != y->region)
        return x->region < y->region ? -1 : 1;
    return (int)x->form - (int)y->form;
}

static void build_index(fz_gazetteer *g)
{
    post_vec pv = { 0 };
    size_t chars = 0;
    for (size_t i = 0; i < g->nrows; i++)
        chars += fz_text_nchars(g->rows[i].name, strlen(g->rows[i].name));
    /* Short forms are prefixes of full names and add no edges, and first
     * characters go to the root table, so the full names bound the edge
     * count well below chars: one table, about half full. */
    g->edge_cap = (size_t)1 << 12;
    g->edge_shift = 64 - 12;
    while (g->edge_cap < chars) {
        g->edge_cap *= 2;
        g->edge_shift--;
    }
    g->edges = fz_xcalloc(g->edge_cap, sizeof *g->edges);
    for (size_t i = 0; i < ROOT_N; i++)
        g->root[i] = -1;
    g->node_cap = chars + 2; /* a node per character at most (办事处 forms are prefixes) */
    g->node_post = fz_xreallocarray(g->node_post, g->node_cap, sizeof *g->node_post);
    g->node_npost = fz_xreallocarray(g->node_npost, g->node_cap, sizeof *g->node_npost);
    new_node(g); /* root */
    uint64_t words[sizeof generic / sizeof *generic];
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        words[i] = key6(generic[i]);
    qsort(words, sizeof generic / sizeof *generic, sizeof *words, cmp_u64);
    for (size_t i = 0; i < g->nrows; i++) {
        const fz_region *r = &g->rows[i];
        if (r->placeholder)
            continue;
        const char *s = r->name;
        size_t n = strlen(s);
        if (is_generic(words, s, n))
            continue; /* 130273001 街道: a placeholder in all but name */
        int32_t at[FZ_GAZETTEER_MAX_NAME + 1];
        for (size_t k = 0; k <= n; k++)
            at[k] = -1;
        add_post(&pv, trie_insert(g, s, n, at), (int32_t)i, FZ_FORM_FULL);
        note_key(g, s, n);
        /* 新华街道办事处 is called 新华街道 in every report */
        if (ends_with(s, n, "办事处") && fz_text_nchars(s, n) > 5)
            add_post(&pv, prefix_node(g, s, n - strlen("办事处"), at), (int32_t)i, FZ_FORM_FULL);
        size_t m = short_form(s, n, r->level);
        if (m > 0 && m < n && !is_generic(words, s, m)) {
            add_post(&pv, prefix_node(g, s, m, at), (int32_t)i, FZ_FORM_SHORT);
            note_key(g, s, m);
        }
    }
    /* bucket by node (counting sort), then order each small bucket */
    int32_t *start = fz_xcalloc(g->nnodes + 1, sizeof *start);
    for (size_t i = 0; i < pv.n; i++)
        start[pv.v[i].node + 1]++;
    for (size_t i = 0; i < g->nnodes; i++)
        start[i + 1] += start[i];
    tmp_post *sorted = fz_xmalloc((pv.n ? pv.n : 1) * sizeof *sorted);
    int32_t *fill = fz_xmalloc((g->nnodes + 1) * sizeof *fill);
    memcpy(fill, start, (g->nnodes + 1) * sizeof *fill);
    for (size_t i = 0; i < pv.n; i++)
        sorted[fill[pv.v[i].node]++] = pv.v[i];
    free(fill);
    g->posts = fz_xmalloc((pv.n ? pv.n : 1) * sizeof *g->posts);
    for (size_t nd = 0; nd < g->nnodes; nd++) {
        tmp_post *b = sorted + start[nd];
        size_t k = (size_t)(start[nd + 1] - start[nd]);
        for (size_t i = 1; i < k; i++) /* insertion sort: buckets are small */
            for (size_t j = i; j > 0 && cmp_tmp(&b[j - 1], &b[j]) > 0; j--) {
                tmp_post t = b[j];
                b[j] = b[j - 1];
                b[j - 1] = t;
            }
        for (size_t i = 0; i < k; i++) {
            if (i > 0 && b[i - 1].region == b[i].region)
                continue; /* same row twice under one name: keep the full form */
            if (g->node_post[nd] < 0)
                g->node_post[nd] = (int32_t)g->nposts;
            g->node_npost[nd]++;
            g->posts[g->nposts++] = (fz_posting){ b[i].region, b[i].form };
        }
    }
    free(sorted);
    free(start);
    free(pv.v);
    for (size_t i = 0; i < ROOT_N; i++)
        if (g->root[i] >= 0 && g->node_npost[g->root[i]] > 0) {
            g->one[i / 64] |= (uint64_t)1 << (i % 64);
            g->any_one = 1;
            size_t b = rlead_bit(enc3(ROOT_BASE + (uint32_t)i));
            g->rlead[b / 64] |= (uint64_t)1 << (b % 64);
        }
    for (uint32_t c = 0; c < BMP_N; c += 64) {
        uint64_t bits = g->first[c / 64];
        for (; bits; bits &= bits - 1) {
            size_t b = rlead_bit(enc3(c + (uint32_t)__builtin_ctzll(bits)));
            g->rlead[b / 64] |= (uint64_t)1 << (b % 64);
        }
    }
    for (uint32_t c = 0xFF08; c <= 0xFF09; c++) {
        size_t b = rlead_bit(enc3(c));
        g->rlead[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

/* ---- loading ---- */

static int level_of(const char *s, fz_level *out)
{
    static const struct { const char *name; fz_level level; } levels[] = {
        { "township", FZ_LEVEL_TOWNSHIP }, { "county", FZ_LEVEL_COUNTY },
        { "prefecture", FZ_LEVEL_PREFECTURE }, { "province", FZ_LEVEL_PROVINCE },
    };
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (s[0] == levels[i].name[0] && strcmp(s, levels[i].name) == 0) {
            *out = levels[i].level;
            return 0;
        }
    return -1;
}

static size_t code_len_for(fz_level l)
{
    switch (l) {
    case FZ_LEVEL_PROVINCE: return 2;
    case FZ_LEVEL_PREFECTURE: return 4;
    case FZ_LEVEL_COUNTY: return 6;
    default: return 9;
    }
}

/* Splits one CSV line (in place) into at most max fields; quoted fields
 * with "" escapes are unquoted. Returns the field count or -1. */
static int split_csv(char *line, char **f, int max)
{
    int nf = 0;
    char *p = line;
    for (;;) {
        if (nf == max)
            return -1;
        if (*p == '"') {
            char *w = p, *r = p + 1;
            f[nf++] = w;
            for (;;) {
                if (*r == '\0')
                    return -1;
                if (*r == '"') {
                    if (r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            *w = '\0';
            if (*r == '\0')
                return nf;
            if (*r != ',')
                return -1;
            p = r + 1;
        } else {
            f[nf++] = p;
            char *c = strchr(p, ',');
            if (!c)
                return nf;
            *c = '\0';
            p = c + 1;
        }
    }
}

static char *read_file(const char *path, size_t *len, fz_diag *diag)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot read gazetteer '%s': %s", path,
                    strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || (size_t)st.st_size > FZ_GAZETTEER_MAX_BYTES) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0,
                    "cannot read gazetteer '%s': larger than %zu bytes", path,
                    FZ_GAZETTEER_MAX_BYTES);
        fclose(fp);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *buf = fz_xmalloc(n + 1);
    size_t got = fread(buf, 1, n, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || got != n) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot read gazetteer '%s': short read", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot read gazetteer '%s': binary file", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Parses data (len bytes of path, hashed to csv_hash; taken over) and
 * builds the index over its names. */
static fz_gazetteer *parse_csv(const char *path, char *data, size_t len, uint64_t csv_hash,
                               fz_diag *diag)
{
    fz_gazetteer *g = fz_xcalloc(1, sizeof *g);
    g->data = data;
    g->csv_size = len;
    g->csv_hash = csv_hash;
    size_t cap_rows = 1;
    for (const char *q = data; (q = memchr(q, '\n', (size_t)(data + len - q))) != NULL; q++)
        cap_rows++;
    if (cap_rows > FZ_GAZETTEER_MAX_ROWS + 1) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "gazetteer '%s' has more than %d rows", path,
                    FZ_GAZETTEER_MAX_ROWS);
        goto fail;
    }
    g->rows = fz_xcalloc(cap_rows, sizeof *g->rows);
    char **parents = fz_xcalloc(cap_rows, sizeof *parents);
    long lineno = 0;
    char *p = data;
    while (p < data + len) {
        char *nl = memchr(p, '\n', (size_t)(data + len - p));
        char *end = nl ? nl : data + len;
        char *next = nl ? nl + 1 : data + len;
        if (end > p && end[-1] == '\r')
            end--;
        *end = '\0';
        lineno++;
        char *line = p;
        p = next;
        if (lineno == 1) {
            if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
                line += 3;
            if (strcmp(line, "code,name,level,parent") != 0) {
                fz_diag_add(diag, FZ_DIAG_FATAL, path, 1,
                            "gazetteer '%s': header must be code,name,level,parent", path);
                goto fail_parents;
            }
            continue;
        }
        if (*line == '\0')
            continue;
        char *f[4];
        fz_region *r = &g->rows[g->nrows];
        if (split_csv(line, f, 4) != 4 || !valid_code(f[0]) || level_of(f[2], &r->level) < 0 ||
            strlen(f[0]) != code_len_for(r->level) || f[1][0] == '\0' ||
            strlen(f[1]) > FZ_GAZETTEER_MAX_NAME || strchr(f[1], '\r')) {
            fz_diag_add(diag, FZ_DIAG_FATAL, path, lineno, "gazetteer '%s': malformed row", path);
            goto fail_parents;
        }
        r->code = f[0];
        r->name = f[1];
        parents[g->nrows] = f[3];
        g->nrows++;
    }
    g->code_cap = 1024;
    while (g->code_cap < g->nrows * 2)
        g->code_cap *= 2;
    g->code_keys = fz_xcalloc(g->code_cap, sizeof *g->code_keys);
    g->code_vals = fz_xmalloc(g->code_cap * sizeof *g->code_vals);
    for (size_t i = 0; i < g->nrows; i++) {
        if (code_put(g, g->rows[i].code, (int32_t)i) >= 0) {
            fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "gazetteer '%s': duplicate code %s", path,
                        g->rows[i].code);
            goto fail_parents;
        }
    }
    int32_t last = -1; /* the previous row's parent: siblings come together */
    for (size_t i = 0; i < g->nrows; i++) {
        fz_region *r = &g->rows[i];
        r->parent = -1;
        if (r->level == FZ_LEVEL_PROVINCE && parents[i][0] == '\0')
            continue;
        int32_t pi = last >= 0 && strcmp(g->rows[last].code, parents[i]) == 0
                         ? last
                         : fz_gazetteer_find_code(g, parents[i]);
        last = pi;
        if (pi < 0 || g->rows[pi].level >= r->level ||
            strncmp(r->code, g->rows[pi].code, strlen(g->rows[pi].code)) != 0) {
            fz_diag_add(diag, FZ_DIAG_FATAL, path, 0,
                        "gazetteer '%s': code %s has a bad parent '%s'", path, r->code,
                        parents[i]);
            goto fail_parents;
        }
        r->parent = pi;
    }
    free(parents);
    for (size_t i = 0; i < g->nrows; i++)
        g->rows[i].placeholder = is_placeholder(g, &g->rows[i]);
    build_index(g);
    if (g->too_many) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "gazetteer '%s' has too many names", path);
        goto fail;
    }
    return g;
fail_parents:
    free(parents);
fail:
    fz_gazetteer_free(g);
    return NULL;
}

/* ---- the binary index ----
 *
 * An index file is the loaded gazetteer as it is in memory: a header, then
 * the arrays in a fixed order, each at a multiple of 64 bytes (rows as
 * offsets into a blob of NUL-terminated codes and names). It is used only
 * when its header matches this build (magic, version, byte order, sizes,
 * a fingerprint of the bitmap hashes and word lists), the size and hash of
 * the CSV it was built from equal those of the CSV being loaded, the hash
 * of the whole file matches, and every index in it is in
 * range; otherwise the CSV is parsed as without an index. The hashes
 * detect change and damage, not tampering. A change to how names are
 * indexed (short forms, the word lists) bumps IDX_VERSION. */

#define IDX_VERSION 3u
#define IDX_ALIGN   ((size_t)64)
#define IDX_MAX     ((size_t)1 << 30) /* larger files are not mapped */

static const char idx_magic[8] = { 'F', 'Z', 'G', 'A', 'Z', 'I', 'D', 'X' };

typedef struct idx_header {
    char     magic[8];
    uint32_t version;
    uint32_t order;       /* 0x01020304 as this machine stores it */
    uint64_t fingerprint; /* build_fingerprint() */
    uint64_t csv_size, csv_hash;
    uint64_t file_size, file_hash; /* file_hash: idx_hash() */
    uint64_t nrows, code_cap, nnodes, edge_cap, nedges, nposts, blob_len;
    uint64_t edge_shift, any_one, min_name;
} idx_header;

typedef struct idx_row {
    uint32_t code, name; /* offsets into the blob */
    int32_t  parent;
    uint8_t  level, placeholder, pad[2];
} idx_row;

enum {
    S_ROWS, S_CODE_KEYS, S_CODE_VALS, S_NODE_POST, S_NODE_NPOST, S_EDGES, S_POSTS, S_BLOB,
    S_FIXED /* then the arrays inside struct fz_gazetteer, as in FIXED_ARRAYS */
};
#define FIXED_ARRAYS(X)                                                                         \
    X(root) X(first) X(one) X(pair) X(name2) X(triple) X(rpair) X(rname2) X(rtriple) X(rlead)
#define COUNT_ONE(f) +1
#define S_N (S_FIXED FIXED_ARRAYS(COUNT_ONE))

static inline uint64_t rotl64(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

#define HP1 0x9E3779B185EBCA87ULL
#define HP2 0xC2B2AE3D27D4EB4FULL

static inline uint64_t hash_round(uint64_t acc, const unsigned char *u)
{
    uint64_t w;
    memcpy(&w, u, 8);
    return rotl64(acc + w * HP2, 31) * HP1;
}

/* The bulk of hash_bytes(): four 64-bit lanes over 32-byte blocks. A
 * block's word d adds (k mod 2^32) * (k / 2^32) + d to its lane, k being d
 * xor the lane's key, and the keys step on with each block of a 1 KiB
 * stripe, so that the order of the blocks counts; after each stripe the
 * lanes are scrambled. One multiply of 32-bit halves a word: what AVX2
 * does four at a time (vpmuludq), and the plain C below the same way. */
enum { HASH_BLOCK = 32, HASH_STRIPE = 32 }; /* bytes; blocks */

static const uint64_t hash_key[4] = { 0xBE4BA423396CFEB8ULL, 0x1CAD21F72C81017CULL,
                                      0xDB979083E96DD4DEULL, 0x1F67B3B7A4A44072ULL };
static const uint64_t hash_step[4] = { 0x78E5C0CC4EE679CBULL, 0x2172FFCC7DD05A82ULL,
                                       0x8E2443F7744608B8ULL, 0x4C263A81E69035E0ULL };
static const uint64_t hash_mix[4] = { 0xCB79E64EB85C9B9DULL, 0x3F349CE33F76FAA8ULL,
                                      0x1D4F0BC7C7BBDCF9ULL, 0x3159B4CD4BE0518AULL };
#define HASH_P32 0x9E3779B1u

/* The lanes of the blocks of u[0..nb * HASH_BLOCK). */
static void hash_blocks(uint64_t acc[4], const unsigned char *u, size_t nb)
{
    for (size_t b = 0; b < nb; b++) {
        size_t in = b % HASH_STRIPE;
        for (int i = 0; i < 4; i++) {
            uint64_t d, k;
            memcpy(&d, u + b * HASH_BLOCK + 8 * (size_t)i, 8);
            k = d ^ (hash_key[i] + in * hash_step[i]);
            acc[i] += (k & 0xFFFFFFFFu) * (k >> 32) + d;
        }
        if (in == HASH_STRIPE - 1)
            for (int i = 0; i < 4; i++)
                acc[i] = (acc[i] ^ acc[i] >> 47 ^ hash_mix[i]) * HASH_P32;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/* One block of hash_blocks() with AVX2: a, the lanes; key, the keys. */
__attribute__((target("avx2"))) static inline __m256i hash_block_avx2(__m256i a, __m256i *key,
                                                                       __m256i step,
                                                                       const unsigned char *u)
{
    __m256i d = _mm256_loadu_si256((const __m256i *)(const void *)u);
    __m256i k = _mm256_xor_si256(d, *key);
    *key = _mm256_add_epi64(*key, step);
    return _mm256_add_epi64(a, _mm256_add_epi64(_mm256_mul_epu32(k, _mm256_srli_epi64(k, 32)), d));
}

/* hash_blocks() with AVX2; the same lanes. */
__attribute__((target("avx2"))) static void hash_blocks_avx2(uint64_t acc[4],
                                                              const unsigned char *u, size_t nb)
{
    const __m256i key0 = _mm256_loadu_si256((const __m256i *)(const void *)hash_key);
    const __m256i step = _mm256_loadu_si256((const __m256i *)(const void *)hash_step);
    const __m256i mixk = _mm256_loadu_si256((const __m256i *)(const void *)hash_mix);
    const __m256i p32 = _mm256_set1_epi64x(HASH_P32);
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)acc), key;
    size_t b = 0;
    for (; nb - b >= HASH_STRIPE; b += HASH_STRIPE) {
        key = key0;
        for (size_t j = 0; j < HASH_STRIPE; j += 2) {
            a = hash_block_avx2(a, &key, step, u + (b + j) * HASH_BLOCK);
            a = hash_block_avx2(a, &key, step, u + (b + j + 1) * HASH_BLOCK);
        }
        __m256i x = _mm256_xor_si256(_mm256_xor_si256(a, _mm256_srli_epi64(a, 47)), mixk);
        __m256i hi = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), p32);
        a = _mm256_add_epi64(_mm256_mul_epu32(x, p32), _mm256_slli_epi64(hi, 32));
    }
    for (key = key0; b < nb; b++)
        a = hash_block_avx2(a, &key, step, u + b * HASH_BLOCK);
    _mm256_storeu_si256((__m256i *)(void *)acc, a);
}
#endif

/* A 64-bit hash of n bytes. */
static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *u = p;
    uint64_t acc[4] = { HP1 + HP2, HP2, 0, 0 - HP1 };
    size_t nb = n / HASH_BLOCK, i = nb * HASH_BLOCK;
#if defined(__x86_64__)
    if (nb >= 8 && __builtin_cpu_supports("avx2")) {
        hash_blocks_avx2(acc, u, nb);
#ifndef NDEBUG
        uint64_t plain[4] = { HP1 + HP2, HP2, 0, 0 - HP1 };
        hash_blocks(plain, u, nb);
        assert(memcmp(plain, acc, sizeof acc) == 0);
#endif
    } else {
        hash_blocks(acc, u, nb);
    }
#else
    hash_blocks(acc, u, nb);
#endif
    uint64_t h = rotl64(acc[0], 1) + rotl64(acc[1], 7) + rotl64(acc[2], 12) + rotl64(acc[3], 18) +
                 (uint64_t)n;
    for (; n - i >= 8; i += 8)
        h = rotl64(h ^ hash_round(0, u + i), 27) * HP1 + 0x85EBCA77C2B2AE63ULL;
    for (; i < n; i++)
        h = rotl64(h ^ u[i] * 0x27D4EB2F165667C5ULL, 11) * HP1;
    return mix(h);
}

/* What an index depends on besides its CSV: the sizes and bitmap hashes
 * of this build and the word lists the index leaves out or strips. */
static uint64_t build_fingerprint(void)
{
    uint64_t v[] = {
        IDX_VERSION, ROOT_BASE, ROOT_N, BMP_N, PAIR_BITS, NAME2_BITS, TRIPLE_BITS, RLEAD_BITS,
        (uint64_t)EDGE_NODE_MAX, FZ_GAZETTEER_MAX_NAME, sizeof(fz_posting), sizeof(fz_form),
        sizeof(fz_level), sizeof(idx_row), sizeof(idx_header), FZ_FORM_SHORT,
        FZ_LEVEL_TOWNSHIP, pair_bit(0x4E2D, 0x56FD), name2_bit(0x4E2D, 0x56FD),
        triple_bit(0x4E2D, 0x56FD, 0x4EBA), rpair_bit(0x0123456789ABULL),
        rlead_bit(enc3(0x4E2D)), rname2_bit(0xBA8FE4BD9CE5ULL),
        rtriple_bit(0x0123456789ABCDEFULL, 0xFEDCBA9876543210ULL),
    };
    uint64_t h = hash_bytes(v, sizeof v);
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        h = mix(h ^ hash_bytes(generic[i], strlen(generic[i])));
    for (size_t i = 0; i < sizeof ethnic / sizeof *ethnic; i++)
        h = mix(h ^ hash_bytes(ethnic[i], strlen(ethnic[i])));
    return h;
}

/* Offsets and sizes of the arrays for the counts in h; returns the file
 * size. The counts are bounded first, so nothing here overflows. */
static size_t idx_layout(const fz_gazetteer *g, const idx_header *h, size_t off[S_N],
                         size_t len[S_N])
{
    len[S_ROWS] = (size_t)h->nrows * sizeof(idx_row);
    len[S_CODE_KEYS] = (size_t)h->code_cap * sizeof *g->code_keys;
    len[S_CODE_VALS] = (size_t)h->code_cap * sizeof *g->code_vals;
    len[S_NODE_POST] = (size_t)h->nnodes * sizeof *g->node_post;
    len[S_NODE_NPOST] = (size_t)h->nnodes * sizeof *g->node_npost;
    len[S_EDGES] = (size_t)h->edge_cap * sizeof *g->edges;
    len[S_POSTS] = (size_t)h->nposts * sizeof *g->posts;
    len[S_BLOB] = (size_t)h->blob_len;
    size_t k = S_FIXED;
#define FIXED_LEN(f) len[k++] = sizeof g->f;
    FIXED_ARRAYS(FIXED_LEN)
#undef FIXED_LEN
    size_t at = (sizeof(idx_header) + IDX_ALIGN - 1) & ~(IDX_ALIGN - 1);
    for (k = 0; k < S_N; k++) {
        off[k] = at;
        at = (at + len[k] + IDX_ALIGN - 1) & ~(IDX_ALIGN - 1);
    }
    return at;
}

/* The hash of an index file of size bytes at m whose header is h: of h
 * with file_hash 0, and of every byte after it. */
static uint64_t idx_hash(idx_header h, const unsigned char *m, size_t size)
{
    h.file_hash = 0;
    return mix(hash_bytes(&h, sizeof h) ^ hash_bytes(m + sizeof h, size - sizeof h));
}

static int is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

/* Points g into the index m (size bytes) if it fits a CSV of csv_size
 * bytes hashed to csv_hash; 0 or -1. g is zeroed; on -1 the caller frees
 * g->rows. */
static int idx_attach(fz_gazetteer *g, const unsigned char *m, size_t size, uint64_t csv_size,
                      uint64_t csv_hash)
{
    idx_header h;
    if (size < sizeof h)
        return -1;
    memcpy(&h, m, sizeof h);
    if (memcmp(h.magic, idx_magic, sizeof idx_magic) != 0 || h.version != IDX_VERSION ||
        h.order != 0x01020304u || h.fingerprint != build_fingerprint() ||
        h.csv_size != csv_size || h.csv_hash != csv_hash || h.file_size != size)
        return -1;
    if (h.nrows == 0 || h.nrows > FZ_GAZETTEER_MAX_ROWS || !is_pow2(h.code_cap) ||
        h.code_cap <= h.nrows || h.code_cap > ((uint64_t)1 << 24) || h.nnodes == 0 ||
        h.nnodes > (uint64_t)EDGE_NODE_MAX || !is_pow2(h.edge_cap) || h.edge_cap < 2 ||
        h.edge_cap > ((uint64_t)1 << 26) || h.nedges >= h.edge_cap ||
        h.edge_shift != 64u - (uint64_t)__builtin_ctzll(h.edge_cap) ||
        h.nposts > 4 * h.nrows || h.blob_len == 0 || h.blob_len > FZ_GAZETTEER_MAX_BYTES * 2 ||
        h.any_one > 1 || h.min_name == 0 || h.min_name > FZ_GAZETTEER_MAX_NAME)
        return -1;
    size_t off[S_N], len[S_N];
    if (idx_layout(g, &h, off, len) != size)
        return -1;
    if (idx_hash(h, m, size) != h.file_hash)
        return -1;

    g->nrows = (size_t)h.nrows;
    g->code_cap = (size_t)h.code_cap;
    g->nnodes = g->node_cap = (size_t)h.nnodes;
    g->edge_cap = (size_t)h.edge_cap;
    g->nedges = (size_t)h.nedges;
    g->edge_shift = (unsigned)h.edge_shift;
    g->nposts = (size_t)h.nposts;
    g->any_one = (int)h.any_one;
    g->min_name = (size_t)h.min_name;
    g->csv_size = csv_size;
    g->csv_hash = csv_hash;
    /* the mapping is read-only; nothing writes through these */
    g->code_keys = (uint64_t *)(uintptr_t)(m + off[S_CODE_KEYS]);
    g->code_vals = (int32_t *)(uintptr_t)(m + off[S_CODE_VALS]);
    g->node_post = (int32_t *)(uintptr_t)(m + off[S_NODE_POST]);
    g->node_npost = (int32_t *)(uintptr_t)(m + off[S_NODE_NPOST]);
    g->edges = (uint64_t *)(uintptr_t)(m + off[S_EDGES]);
    g->posts = (fz_posting *)(uintptr_t)(m + off[S_POSTS]);
    size_t k = S_FIXED;
#define FIXED_COPY(f) memcpy(g->f, m + off[k++], sizeof g->f);
    FIXED_ARRAYS(FIXED_COPY)
#undef FIXED_COPY

    /* every index a lookup follows in range, so that none leaves the
     * arrays (find_code() checks its own); an edge's parent and code point
     * are only compared with the key sought */
    const char *blob = (const char *)m + off[S_BLOB];
    if (blob[h.blob_len - 1] != '\0')
        return -1;
    /* (without branches: the loops run over every slot) */
    unsigned bad = 0;
    const uint32_t nrows = (uint32_t)g->nrows, nnodes = (uint32_t)g->nnodes;
    const uint32_t nposts = (uint32_t)g->nposts;
    for (size_t i = 0; i < g->nnodes; i++) { /* a node without postings holds -1, 0 */
        uint32_t p = (uint32_t)g->node_post[i], np = (uint32_t)g->node_npost[i];
        bad |= (np != 0) & ((np > nposts) | (p > nposts - np));
    }
    for (size_t i = 0; i < g->edge_cap; i++) /* an empty slot's child is 0 */
        bad |= (uint32_t)(g->edges[i] >> 42 & (uint64_t)(EDGE_NODE_MAX - 1)) >= nnodes;
    size_t empty = 0; /* an empty slot ends every probe */
    while (empty < g->edge_cap && g->edges[empty])
        empty++;
    if (bad || empty == g->edge_cap)
        return -1;
    for (size_t i = 0; i < ROOT_N; i++)
        bad |= (uint32_t)(g->root[i] + 1) > nnodes; /* -1 .. nnodes-1 */
    for (size_t i = 0; i < g->nposts; i++)
        bad |= ((uint32_t)g->posts[i].region >= nrows) | ((unsigned)g->posts[i].form > 1u);
    if (bad)
        return -1;
    const idx_row *rr = (const idx_row *)(const void *)(m + off[S_ROWS]);
    g->rows = fz_xmalloc(g->nrows * sizeof *g->rows);
    for (size_t i = 0; i < g->nrows; i++) {
        idx_row x = rr[i];
        if (x.code >= h.blob_len || x.name >= h.blob_len || x.parent < -1 ||
            (x.parent >= 0 && (size_t)x.parent >= g->nrows) || x.level < FZ_LEVEL_PROVINCE ||
            x.level > FZ_LEVEL_TOWNSHIP || x.placeholder > 1)
            return -1;
        g->rows[i] = (fz_region){ blob + x.code, blob + x.name, (fz_level)x.level, x.parent,
                                  x.placeholder };
    }
    return 0;
}

/* The gazetteer of the index file at path for a CSV of csv_size bytes
 * hashed to csv_hash, or NULL when there is none or it does not fit. */
static fz_gazetteer *idx_map(const char *path, uint64_t csv_size, uint64_t csv_hash)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(idx_header) ||
        (uint64_t)st.st_size > IDX_MAX) {
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    /* MAP_POPULATE: every page is read below (the hash) */
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    fz_gazetteer *g = fz_xcalloc(1, sizeof *g);
    if (idx_attach(g, m, size, csv_size, csv_hash) < 0) {
        munmap(m, size);
        free(g->rows);
        free(g);
        return NULL;
    }
    g->map = m;
    g->map_len = size;
    return g;
}

int fz_gazetteer_write_index(const fz_gazetteer *g, const char *path, fz_diag *diag)
{
    idx_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, idx_magic, sizeof idx_magic);
    h.version = IDX_VERSION;
    h.order = 0x01020304u;
    h.fingerprint = build_fingerprint();
    h.csv_size = g->csv_size;
    h.csv_hash = g->csv_hash;
    h.nrows = g->nrows;
    h.code_cap = g->code_cap;
    h.nnodes = g->nnodes;
    h.edge_cap = g->edge_cap;
    h.nedges = g->nedges;
    h.nposts = g->nposts;
    h.edge_shift = g->edge_shift;
    h.any_one = (uint64_t)g->any_one;
    h.min_name = g->min_name;
    for (size_t i = 0; i < g->nrows; i++)
        h.blob_len += strlen(g->rows[i].code) + strlen(g->rows[i].name) + 2;
    size_t off[S_N], len[S_N];
    size_t size = idx_layout(g, &h, off, len);
    unsigned char *m = fz_xcalloc(1, size);
    char *blob = (char *)m + off[S_BLOB];
    size_t at = 0;
    for (size_t i = 0; i < g->nrows; i++) {
        const fz_region *r = &g->rows[i];
        idx_row x = { 0 };
        x.parent = r->parent;
        x.level = (uint8_t)r->level;
        x.placeholder = (uint8_t)r->placeholder;
        x.code = (uint32_t)at;
        size_t n = strlen(r->code) + 1;
        memcpy(blob + at, r->code, n);
        at += n;
        x.name = (uint32_t)at;
        n = strlen(r->name) + 1;
        memcpy(blob + at, r->name, n);
        at += n;
        memcpy(m + off[S_ROWS] + i * sizeof x, &x, sizeof x);
    }
    memcpy(m + off[S_CODE_KEYS], g->code_keys, len[S_CODE_KEYS]);
    /* the values of empty slots are not set: written as 0 */
    for (size_t i = 0; i < g->code_cap; i++) {
        int32_t v = g->code_keys[i] ? g->code_vals[i] : 0;
        memcpy(m + off[S_CODE_VALS] + i * sizeof v, &v, sizeof v);
    }
    memcpy(m + off[S_NODE_POST], g->node_post, len[S_NODE_POST]);
    memcpy(m + off[S_NODE_NPOST], g->node_npost, len[S_NODE_NPOST]);
    memcpy(m + off[S_EDGES], g->edges, len[S_EDGES]);
    /* postings one at a time: the padding of fz_posting is written as zeros */
    for (size_t i = 0; i < g->nposts; i++) {
        fz_posting p;
        memset(&p, 0, sizeof p);
        p.region = g->posts[i].region;
        p.form = g->posts[i].form;
        memcpy(m + off[S_POSTS] + i * sizeof p, &p, sizeof p);
    }
    size_t k = S_FIXED;
#define FIXED_PUT(f) memcpy(m + off[k++], g->f, sizeof g->f);
    FIXED_ARRAYS(FIXED_PUT)
#undef FIXED_PUT
    h.file_size = size;
    h.file_hash = idx_hash(h, m, size);
    memcpy(m, &h, sizeof h);

    fz_outfile of;
    int rc = fz_outfile_open(&of, path, diag);
    if (rc < 0)
        goto out;
    if (fwrite(m, 1, size, of.fp) != size) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot write gazetteer index '%s'", path);
        fz_outfile_abort(&of);
        rc = FZ_EIO;
        goto out;
    }
    rc = fz_outfile_commit(&of, diag);
out:
    free(m);
    return rc;
}

/* A lower bound on the bytes of every indexed name: each is the full name
 * of a row that is no placeholder, or a prefix of it of two characters or
 * more (the short forms, the name without 办事处). Counts up to the lead byte of the second character,
 * so stray bytes cannot make it too large. */
static size_t min_name_bytes(const fz_gazetteer *g)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < g->nrows && best > 1; i++) {
        const unsigned char *u = (const unsigned char *)g->rows[i].name;
        size_t k = 1;
        if (g->rows[i].placeholder || u[0] == '\0')
            continue; /* not indexed by name */
        while (u[k] != '\0' && (u[k] & 0xC0) == 0x80)
            k++;
        k += u[k] != '\0';
        if (k < best)
            best = k;
    }
    return best == SIZE_MAX ? 1 : best;
}

static fz_gazetteer *load_any(const char *path, const char *const *idx, size_t nidx,
                              fz_diag *diag);

/* Reads the CSV at path and takes the first of idx[0..nidx) (NULL entries
 * skipped) that fits it, or parses it. */
static fz_gazetteer *load_from(const char *path, const char *const *idx, size_t nidx,
                               fz_diag *diag)
{
    fz_gazetteer *g = load_any(path, idx, nidx, diag);
    if (g && !g->map) /* an index file holds it */
        g->min_name = min_name_bytes(g);
    return g;
}

static fz_gazetteer *load_any(const char *path, const char *const *idx, size_t nidx,
                              fz_diag *diag)
{
    /* the CSV is mapped to be hashed; read into a buffer only to be parsed */
    int fd = nidx ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (size_t)st.st_size <= FZ_GAZETTEER_MAX_BYTES) {
        size_t n = (size_t)st.st_size;
        void *csv = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (csv != MAP_FAILED) {
            uint64_t h = hash_bytes(csv, n);
            munmap(csv, n);
            for (size_t i = 0; i < nidx; i++) {
                fz_gazetteer *g = idx[i] ? idx_map(idx[i], n, h) : NULL;
                if (g) {
                    close(fd);
                    return g;
                }
            }
        }
    }
    if (fd >= 0)
        close(fd);
    size_t len;
    char *data = read_file(path, &len, diag);
    if (!data)
        return NULL;
    return parse_csv(path, data, len, hash_bytes(data, len), diag);
}

fz_gazetteer *fz_gazetteer_load_index(const char *path, const char *index, fz_diag *diag)
{
    return load_from(path, &index, index ? 1 : 0, diag);
}

char *fz_gazetteer_index_path(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
        n -= 4;
    return fz_xasprintf("%.*s.idx", (int)n, path);
}

fz_gazetteer *fz_gazetteer_load(const char *path, fz_diag *diag)
{
    const char *env = getenv("FZSTAT_GAZETTEER_INDEX");
    if (env)
        return fz_gazetteer_load_index(path, *env ? env : NULL, diag);
    char *beside = fz_gazetteer_index_path(path);
#ifdef FZ_GAZETTEER_INDEX_BUILT
    const char *idx[] = { beside, FZ_GAZETTEER_INDEX_BUILT };
#else
    const char *idx[] = { beside };
#endif
    fz_gazetteer *g = load_from(path, idx, sizeof idx / sizeof *idx, diag);
    free(beside);
    return g;
}

int fz_gazetteer_indexed(const fz_gazetteer *g)
{
    return g->map != NULL;
}

void fz_gazetteer_free(fz_gazetteer *g)
{
    if (!g)
        return;
    free(g->rows);
    if (g->map) { /* the other arrays are in the mapping */
        munmap(g->map, g->map_len);
        free(g);
        return;
    }
    free(g->data);
    free(g->code_keys);
    free(g->code_vals);
    free(g->node_post);
    free(g->node_npost);
    free(g->edges);
    free(g->posts);
    free(g);
}

size_t fz_gazetteer_count(const fz_gazetteer *g)
{
    return g->nrows;
}

size_t fz_gazetteer_min_name(const fz_gazetteer *g)
{
    return g->min_name;
}

const fz_region *fz_gazetteer_at(const fz_gazetteer *g, size_t i)
{
    return i < g->nrows ? &g->rows[i] : NULL;
}

int fz_gazetteer_contains(const fz_gazetteer *g, int32_t a, int32_t b)
{
    if (a < 0 || b < 0 || (size_t)a >= g->nrows || (size_t)b >= g->nrows)
        return 0;
    const char *ca = g->rows[a].code, *cb = g->rows[b].code;
    return strncmp(ca, cb, strlen(ca)) == 0;
}

/* Writes s[0..n) at out + at, as much as fits before the NUL at out[cap - 1]
 * (as snprintf would); returns at + n. */
static size_t put_part(char *out, size_t cap, size_t at, const char *s, size_t n)
{
    if (at < cap) {
        size_t k = n < cap - at - 1 ? n : cap - at - 1;
        memcpy(out + at, s, k);
        out[at + k] = '\0';
    }
    return at + n;
}

size_t fz_gazetteer_path(const fz_gazetteer *g, int32_t i, char *out, size_t cap)
{
    int32_t chain[8];
    int n = 0;
    for (int32_t k = i; k >= 0 && n < 8; k = g->rows[k].parent)
        chain[n++] = k;
    size_t need = 0;
    if (cap)
        out[0] = '\0';
    for (int j = n - 1; j >= 0; j--) {
        if (j != n - 1)
            need = put_part(out, cap, need, "/", 1);
        const char *name = g->rows[chain[j]].name;
        need = put_part(out, cap, need, name, strlen(name));
    }
    return need;
}
