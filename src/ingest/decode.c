/* decode.c: encoding detection and conversion to UTF-8 (see decode.h).
 *
 * UTF-8 is the common case and never touches ICU: one scan validates it
 * (eight ASCII bytes at a time) and the input is used in place. Everything
 * else goes through ucnv_convertEx straight to UTF-8, with a to-Unicode
 * callback that writes U+FFFD and counts each invalid sequence, including a
 * multibyte sequence cut off at the end of the file. */
#include "decode.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <math.h>
#include <pthread.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include "fz_csdet_tables.h"
#include "xalloc.h"

#define SNIFF_BYTES 65536 /* UTF-16 and binary checks look at this much */
#define DETECT_BYTES 6144 /* GB18030/Big5 detection looks at this much */

typedef struct cnv_slot {
    const char *name; /* canonical name we report */
    UConverter *cnv;  /* opened lazily */
} cnv_slot;

enum { CNV_GB18030, CNV_BIG5, CNV_UTF16LE, CNV_UTF16BE, CNV_COUNT };

struct fz_decoder {
    cnv_slot src[CNV_COUNT];
    UConverter *utf8;            /* target converter */
    size_t invalid;              /* counter the callback increments */
};

fz_decoder *fz_decoder_new(void)
{
    fz_decoder *d = fz_xcalloc(1, sizeof *d);
    d->src[CNV_GB18030].name = "GB18030";
    d->src[CNV_BIG5].name = "Big5";
    d->src[CNV_UTF16LE].name = "UTF-16LE";
    d->src[CNV_UTF16BE].name = "UTF-16BE";
    return d;
}

void fz_decoder_free(fz_decoder *d)
{
    if (!d)
        return;
    for (int i = 0; i < CNV_COUNT; i++)
        if (d->src[i].cnv)
            ucnv_close(d->src[i].cnv);
    if (d->utf8)
        ucnv_close(d->utf8);
    free(d);
}

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length of the valid sequence at s[0..n), or -(bytes of the maximal
 * invalid subpart), per Unicode 3.9 "U+FFFD substitution of maximal
 * subparts" (the WHATWG and ICU convention). */
static int utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    int need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return -1;
    for (int k = 1; k <= need; k++) {
        if ((size_t)k >= n)
            return -k;
        unsigned b = s[k];
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return -k;
    }
    return need + 1;
}

static inline int ascii8_no_nul(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    const uint64_t hi = 0x8080808080808080ULL, lo = 0x0101010101010101ULL;
    return (w & hi) == 0 && ((w - lo) & ~w & hi) == 0;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* 1 if s[0..15) is five three-byte sequences, none with the lead bytes E0
 * or ED (which need the range checks of the byte loop); reads s[0..16). */
static inline int cjk5(const unsigned char *s)
{
    /* lead bytes at 0, 3, 6, 9, 12; byte 15 is not checked */
    const __m128i mask = _mm_setr_epi8(-16, -64, -64, -16, -64, -64, -16, -64, -64, -16, -64,
                                       -64, -16, -64, -64, 0);
    const __m128i want = _mm_setr_epi8(-32, -128, -128, -32, -128, -128, -32, -128, -128, -32,
                                       -128, -128, -32, -128, -128, 0);
    const __m128i e0 = _mm_setr_epi8(-32, 0, 0, -32, 0, 0, -32, 0, 0, -32, 0, 0, -32, 0, 0, 1);
    const __m128i ed = _mm_setr_epi8(-19, 0, 0, -19, 0, 0, -19, 0, 0, -19, 0, 0, -19, 0, 0, 1);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    int good = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, mask), want));
    int bad = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, e0), _mm_cmpeq_epi8(v, ed)));
    return good == 0xFFFF && (bad & 0x7FFF) == 0;
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define FZ_UTF8_AVX2 1

/* UTF-8 validation 32 bytes at a time (Keiser and Lemire, "Validating UTF-8
 * in less than one instruction per byte", 2021): each byte is classified by
 * three 16-entry tables indexed by the high nibble of the byte before it,
 * the low nibble of the byte before it and its own high nibble; a bit set in
 * all three is an error (overlong, surrogate, above U+10FFFF, too short, too
 * long), and a continuation byte must come exactly where a lead byte two or
 * three bytes earlier needs one. A NUL byte fails too. */
enum {
    V_TOO_SHORT = 1 << 0, V_TOO_LONG = 1 << 1, V_OVERLONG_3 = 1 << 2, V_TOO_LARGE = 1 << 3,
    V_SURROGATE = 1 << 4, V_OVERLONG_2 = 1 << 5, V_TOO_LARGE_1000 = 1 << 6,
    V_OVERLONG_4 = 1 << 6, V_TWO_CONTS = 1 << 7,
    V_CARRY = V_TOO_SHORT | V_TOO_LONG | V_TWO_CONTS
};

#define V16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

__attribute__((target("avx2"))) static inline __m256i v_prev(__m256i in, __m256i prev, int n)
{
    /* the 32 bytes ending n bytes before the end of in */
    __m256i t = _mm256_permute2x128_si256(prev, in, 0x21);
    switch (n) {
    case 1: return _mm256_alignr_epi8(in, t, 15);
    case 2: return _mm256_alignr_epi8(in, t, 14);
    default: return _mm256_alignr_epi8(in, t, 13);
    }
}

/* Error bits of the 32 bytes in, prev the 32 bytes before them. */
__attribute__((target("avx2"))) static inline __m256i v_block(__m256i in, __m256i prev)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    const __m256i t1h = V16(V_TOO_LONG, V_TOO_LONG, V_TOO_LONG, V_TOO_LONG, V_TOO_LONG,
                            V_TOO_LONG, V_TOO_LONG, V_TOO_LONG, (char)V_TWO_CONTS,
                            (char)V_TWO_CONTS, (char)V_TWO_CONTS, (char)V_TWO_CONTS,
                            V_TOO_SHORT | V_OVERLONG_2, V_TOO_SHORT,
                            V_TOO_SHORT | V_OVERLONG_3 | V_SURROGATE,
                            V_TOO_SHORT | V_TOO_LARGE | V_TOO_LARGE_1000 | V_OVERLONG_4);
    const __m256i t1l = V16((char)(V_CARRY | V_OVERLONG_3 | V_OVERLONG_2 | V_OVERLONG_4),
                            (char)(V_CARRY | V_OVERLONG_2), (char)V_CARRY, (char)V_CARRY,
                            (char)(V_CARRY | V_TOO_LARGE),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000 | V_SURROGATE),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000),
                            (char)(V_CARRY | V_TOO_LARGE | V_TOO_LARGE_1000));
    const __m256i t2h = V16(V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT,
                            V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT,
                            (char)(V_TOO_LONG | V_OVERLONG_2 | V_TWO_CONTS | V_OVERLONG_3 |
                                   V_TOO_LARGE_1000 | V_OVERLONG_4),
                            (char)(V_TOO_LONG | V_OVERLONG_2 | V_TWO_CONTS | V_OVERLONG_3 |
                                   V_TOO_LARGE),
                            (char)(V_TOO_LONG | V_OVERLONG_2 | V_TWO_CONTS | V_SURROGATE |
                                   V_TOO_LARGE),
                            (char)(V_TOO_LONG | V_OVERLONG_2 | V_TWO_CONTS | V_SURROGATE |
                                   V_TOO_LARGE),
                            V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT, V_TOO_SHORT);
    __m256i p1 = v_prev(in, prev, 1);
    __m256i b1h = _mm256_shuffle_epi8(t1h, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib));
    __m256i b1l = _mm256_shuffle_epi8(t1l, _mm256_and_si256(p1, nib));
    __m256i b2h = _mm256_shuffle_epi8(t2h, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib));
    __m256i sc = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
    /* bytes two after an E0-FF byte or three after an F0-FF byte must be
     * continuations: top bit of the saturated differences */
    __m256i third = _mm256_subs_epu8(v_prev(in, prev, 2), _mm256_set1_epi8(0xE0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(v_prev(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth),
                                    _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must, sc);
}

__attribute__((target("avx2"))) static int utf8_valid_avx2(const unsigned char *s, size_t n)
{
    /* an incomplete sequence at the end of a block: a lead byte in the last
     * three bytes that needs more bytes than the block has left */
    const __m256i maxv = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, -1, -1, (char)(0xF0 - 1), (char)(0xE0 - 1),
                                          (char)(0xC0 - 1));
    const __m256i zero = _mm256_setzero_si256();
    __m256i prev = zero, err = zero, incomplete = zero;
    size_t i = 0;
    /* two blocks at a time while more than 64 bytes are left (v_block of a
     * block after an ASCII one sees a sequence the ASCII one cut) */
    for (; i + 64 < n; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
        err = _mm256_or_si256(err, _mm256_cmpeq_epi8(_mm256_min_epu8(a, b), zero));
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0)
            err = _mm256_or_si256(err, incomplete);
        else {
            err = _mm256_or_si256(err, _mm256_or_si256(v_block(a, prev), v_block(b, a)));
            incomplete = _mm256_subs_epu8(b, maxv);
        }
        prev = b;
        if (!_mm256_testz_si256(err, err))
            return 0;
    }
    for (;; i += 32) {
        __m256i in;
        if (i + 32 <= n)
            in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        else {
            /* the tail, padded with spaces: a sequence cut off at the end is
             * then too short like any other */
            unsigned char tail[32];
            memset(tail, ' ', sizeof tail);
            memcpy(tail, s + i, n - i);
            in = _mm256_loadu_si256((const __m256i *)(const void *)tail);
        }
        err = _mm256_or_si256(err, _mm256_cmpeq_epi8(in, zero));
        if (_mm256_movemask_epi8(in) == 0)
            err = _mm256_or_si256(err, incomplete); /* ASCII: what was pending is cut */
        else {
            err = _mm256_or_si256(err, v_block(in, prev));
            incomplete = _mm256_subs_epu8(in, maxv);
        }
        prev = in;
        if (!_mm256_testz_si256(err, err))
            return 0;
        if (i + 32 >= n)
            break;
    }
    /* a full last block may end inside a sequence */
    return _mm256_testz_si256(incomplete, incomplete);
}

#endif

static size_t count_nuls(const unsigned char *s, size_t n)
{
    size_t z = 0;
    for (const unsigned char *p = s, *e = s + n; (p = memchr(p, 0, (size_t)(e - p))); p++)
        z++;
    return z;
}

/* fz_utf8_scan; with early set, it stops counting invalid and multibyte
 * sequences as soon as the bytes can no longer have twice as many valid
 * multibyte sequences as invalid ones (each needs two bytes or more), the
 * point where fz_decode gives up on UTF-8, and only counts NUL bytes in
 * the rest (a GB18030 report is rejected after a few characters). */
static inline int utf8_scan(const unsigned char *s, size_t n, size_t *invalid, size_t *nuls,
                            size_t *multibyte, int early)
{
    size_t bad = 0, zero = 0, mb = 0, i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (i + 8 <= n && ascii8_no_nul(s + i)) {
                i += 8;
                continue;
            }
            zero += c == 0;
            i++;
            continue;
        }
        if (c < 0xC2) {
            /* a continuation byte out of place, or C0/C1: invalid alone
             * (what utf8_seq() says); most bytes of GB18030 text */
            bad++;
            i++;
            if (early && mb + (n - i) / 2 < 2 * bad) {
                zero += count_nuls(s + i, n - i);
                break;
            }
            continue;
        }
        /* runs of three-byte sequences (all of CJK) checked inline, five
         * characters per SSE2 test, two per 64-bit test where the byte
         * order allows; other lead bytes go to utf8_seq() */
        if ((c & 0xF0) == 0xE0) {
            size_t run = i;
#if defined(__SSE2__)
            while (i + 16 <= n && cjk5(s + i))
                i += 15;
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if ((w & 0xC0C0F0C0C0F0ULL) != 0x8080E08080E0ULL)
                    break;
                unsigned l1 = (unsigned)w & 0x0F, l2 = (unsigned)(w >> 24) & 0x0F;
                if (l1 == 0 || l1 == 0xD || l2 == 0 || l2 == 0xD)
                    break; /* E0 and ED need the range checks below */
                i += 6;
            }
#endif
            while (i + 2 < n) {
                unsigned a = s[i], b1 = s[i + 1], b2 = s[i + 2];
                if ((a & 0xF0) != 0xE0 || ((b1 & 0xC0) ^ 0x80) | ((b2 & 0xC0) ^ 0x80) ||
                    (a == 0xE0 && b1 < 0xA0) || (a == 0xED && b1 >= 0xA0))
                    break; /* not 1110xxxx 10xxxxxx 10xxxxxx, overlong, or a surrogate */
                i += 3;
            }
            if (i != run) {
                mb += (i - run) / 3;
                continue;
            }
        }
        int k = utf8_seq(s + i, n - i);
        if (k > 0) {
            mb++;
            i += (size_t)k;
        } else {
            bad++;
            i += (size_t)-k;
            if (early && mb + (n - i) / 2 < 2 * bad) {
                zero += count_nuls(s + i, n - i);
                break;
            }
        }
    }
    if (invalid)
        *invalid = bad;
    if (nuls)
        *nuls = zero;
    if (multibyte)
        *multibyte = mb;
    return bad == 0 && zero == 0;
}

int fz_utf8_scan(const unsigned char *s, size_t n, size_t *invalid, size_t *nuls,
                 size_t *multibyte)
{
    return utf8_scan(s, n, invalid, nuls, multibyte, 0);
}

int fz_utf8_valid(const unsigned char *s, size_t n)
{
#if defined(FZ_UTF8_AVX2)
    if (n >= 32 && __builtin_cpu_supports("avx2"))
        return utf8_valid_avx2(s, n);
#endif
    return utf8_scan(s, n, NULL, NULL, NULL, 1);
}

/* ---- ruling UTF-8 out ---------------------------------------------- *
 *
 * Of text that is not valid UTF-8, fz_decode needs only whether
 * fz_utf8_scan would count at least twice as many valid multibyte
 * sequences as invalid ones, and the NUL bytes. Counts that need no
 * following of sequences bound both: every lead byte C2-F4 starts a valid
 * or an invalid sequence (no sequence holds one further in), every byte C0,
 * C1 or F5-FF is an invalid sequence alone, and a valid sequence is a lead
 * byte followed by as many continuation bytes as it announces. With L lead
 * bytes, X of the others and U lead bytes followed by their continuations,
 *   multibyte <= U  and  invalid >= X + (L - multibyte) >= X + L - U,
 * so 3U < 2(X + L) rules UTF-8 out. The same holds of a prefix ending at
 * byte i with the rest's multibyte sequences bounded by (n - i) / 2: GB18030
 * and Big5 text is decided within its first half. */
typedef struct u8_bounds {
    size_t lead, other, led, nul; /* L, X, U and NUL bytes */
} u8_bounds;

static int u8_ruled_out(const u8_bounds *b, size_t rest)
{
    return b->led + rest / 2 < 2 * (b->other + b->lead - b->led);
}

/* The bounds of s[0..n) byte by byte; the continuations of a lead byte
 * near the end are looked for up to s[n - 1] only. */
static void u8_bounds_bytes(const unsigned char *s, size_t n, u8_bounds *b)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        b->nul += c == 0;
        if (c < 0xC0)
            continue;
        if (c < 0xC2 || c > 0xF4) {
            b->other++;
            continue;
        }
        b->lead++;
        size_t need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1, k = 1;
        while (k <= need && i + k < n && (s[i + k] & 0xC0) == 0x80)
            k++;
        b->led += k > need;
    }
}

#if defined(FZ_UTF8_AVX2)
/* Bit i set where in[i] is in [lo, hi]. */
__attribute__((target("avx2"))) static inline uint32_t in_range32(__m256i in, int lo, int hi)
{
    __m256i d = _mm256_sub_epi8(in, _mm256_set1_epi8((char)lo));
    __m256i m = _mm256_set1_epi8((char)(hi - lo));
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(d, m), d));
}

/* u8_bounds_bytes 32 bytes at a time; stops once UTF-8 is ruled out by
 * the bytes counted so far (the NUL bytes of the rest are counted then).
 * Returns whether it is ruled out. */
__attribute__((target("avx2,popcnt"))) static int u8_bounds_avx2(const unsigned char *s,
                                                                 size_t n, u8_bounds *b)
{
    uint64_t l2 = 0, l3 = 0, l4 = 0, cont = 0; /* the block before: lead bytes, continuations */
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        /* continuations: 80-BF, below C0 as signed bytes */
        uint32_t here = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), in));
        uint64_t c = cont | (uint64_t)here << 32;
        /* the block before is complete now: its lead bytes see the
         * continuations after them */
        uint64_t c1 = c >> 1, c12 = c1 & c >> 2;
        b->led += (size_t)(__builtin_popcountll(l2 & c1) + __builtin_popcountll(l3 & c12) +
                           __builtin_popcountll(l4 & c12 & c >> 3));
        if ((i & 1023) == 0 && i && u8_ruled_out(b, n - i)) {
            b->nul += count_nuls(s + i, n - i);
            return 1;
        }
        cont = here;
        uint32_t hi = (uint32_t)_mm256_movemask_epi8(in);
        b->nul += (size_t)__builtin_popcount(
            (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(in, _mm256_setzero_si256())));
        if (!(hi & ~here))
            l2 = l3 = l4 = 0; /* ASCII and continuations only */
        else {
            l2 = in_range32(in, 0xC2, 0xDF);
            l3 = in_range32(in, 0xE0, 0xEF);
            l4 = in_range32(in, 0xF0, 0xF4);
            size_t lead = (size_t)__builtin_popcountll(l2 | l3 | l4);
            b->lead += lead;
            b->other += (size_t)__builtin_popcount(in_range32(in, 0xC0, 0xFF)) - lead;
        }
    }
    /* the lead bytes of the last block with the continuations of the tail */
    uint64_t c = cont;
    for (size_t k = 0; k < 3 && i + k < n; k++)
        c |= (uint64_t)((s[i + k] & 0xC0) == 0x80) << (32 + k);
    uint64_t c1 = c >> 1, c12 = c1 & c >> 2;
    b->led += (size_t)(__builtin_popcountll(l2 & c1) + __builtin_popcountll(l3 & c12) +
                       __builtin_popcountll(l4 & c12 & c >> 3));
    u8_bounds_bytes(s + i, n - i, b);
    return u8_ruled_out(b, 0);
}
#endif

int fz_utf8_ruled_out(const unsigned char *s, size_t n, size_t *invalid, size_t *nuls)
{
    u8_bounds b = { 0, 0, 0, 0 };
    int out;
#if defined(FZ_UTF8_AVX2)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) {
        out = u8_bounds_avx2(s, n, &b);
#if !defined(NDEBUG)
        /* the same counts when it went to the end, a decision as sure */
        u8_bounds w = { 0, 0, 0, 0 };
        u8_bounds_bytes(s, n, &w);
        assert(w.nul == b.nul && (out || !u8_ruled_out(&w, 0)));
        assert(out || (w.lead == b.lead && w.other == b.other && w.led == b.led));
#endif
    } else
#endif
    {
        u8_bounds_bytes(s, n, &b);
        out = u8_ruled_out(&b, 0);
    }
    if (out) {
        *invalid = b.other + b.lead - b.led;
        *nuls = b.nul;
    }
    return out;
}

size_t fz_utf8_repair(const unsigned char *s, size_t n, fz_buf *out)
{
    size_t bad = 0, i = 0, run = 0; /* run: start of pending valid bytes */
    fz_buf_reserve(out, n + n / 2 + 4);
    while (i < n) {
        if (i + 8 <= n && ascii8_no_nul(s + i)) {
            i += 8;
            continue;
        }
        if (s[i] == 0) {
            fz_buf_add(out, s + run, i - run);
            run = ++i;
            continue;
        }
        int k = s[i] < 0x80 ? 1 : utf8_seq(s + i, n - i);
        if (k > 0) {
            i += (size_t)k;
            continue;
        }
        fz_buf_add(out, s + run, i - run);
        fz_buf_add(out, "\xEF\xBF\xBD", 3);
        bad++;
        i += (size_t)-k;
        run = i;
    }
    fz_buf_add(out, s + run, n - run);
    return bad;
}

/* Drops NUL bytes from the decoded UTF-8 in place; returns how many. */
static size_t drop_nuls(fz_buf *b)
{
    char *p = memchr(b->data, 0, b->len);
    if (!p)
        return 0;
    char *w = p;
    size_t dropped = 0;
    for (char *r = p; r < b->data + b->len; r++) {
        if (*r)
            *w++ = *r;
        else
            dropped++;
    }
    b->len = (size_t)(w - b->data);
    b->data[b->len] = '\0';
    return dropped;
}

/* ---- ICU conversion ------------------------------------------------- */

static void count_sub(const void *ctx, UConverterToUnicodeArgs *args,
                                  const char *units, int32_t len, UConverterCallbackReason why,
                                  UErrorCode *err)
{
    (void)units;
    (void)len;
    if (why > UCNV_IRREGULAR) /* reset, close, clone: nothing to replace */
        return;
    fz_decoder *d = (fz_decoder *)ctx;
    d->invalid++;
    *err = U_ZERO_ERROR;
    static const UChar fffd = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &fffd, 1, 0, err);
}

static UConverter *converter(fz_decoder *d, int which)
{
    cnv_slot *s = &d->src[which];
    if (s->cnv)
        return s->cnv;
    UErrorCode st = U_ZERO_ERROR;
    s->cnv = ucnv_open(s->name, &st);
    if (U_FAILURE(st)) {
        s->cnv = NULL;
        return NULL;
    }
    ucnv_setToUCallBack(s->cnv, count_sub, d, NULL, NULL, &st);
    return s->cnv;
}

/* Appends src converted by ICU to out; 0, or -1 if ICU could not convert
 * at all. The converters start from their initial state. */
static int convert_icu(fz_decoder *d, int which, const char *src, size_t n, fz_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!d->utf8) {
        d->utf8 = ucnv_open("UTF-8", &st);
        if (U_FAILURE(st)) {
            d->utf8 = NULL;
            return -1;
        }
    }
    UConverter *cnv = converter(d, which);
    if (!cnv)
        return -1;
    ucnv_reset(cnv);
    ucnv_reset(d->utf8);
    fz_buf_reserve(out, n / 2 * 3 + n % 2 * 3 + 16); /* 2 bytes -> at most 3 */
    UChar pivot[4096];
    UChar *ps = pivot, *pt = pivot;
    const char *in = src, *end = src + n;
    for (;;) {
        char *t = out->data + out->len;
        char *tlim = out->data + out->cap - 1;
        st = U_ZERO_ERROR;
        ucnv_convertEx(d->utf8, cnv, &t, tlim, &in, end, pivot, &ps, &pt,
                       pivot + sizeof pivot / sizeof *pivot, ps == pivot && in == src, 1, &st);
        out->len = (size_t)(t - out->data);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            fz_buf_reserve(out, out->cap);
            continue;
        }
        break;
    }
    out->data[out->len] = '\0';
    return U_FAILURE(st) ? -1 : 0;
}

/* GB18030 with the two-byte map generated from ICU (gen/mkcsdet.c): ASCII
 * and the two-byte characters of the map are converted here; from any
 * other byte (a four-byte character, an invalid or unmapped sequence) to
 * the end of its line, ICU converts. ICU reads a line feed as itself
 * whatever comes before it and starts afresh after it, and it reads ASCII
 * and the mapped pairs as this loop does, so the pieces join into what ICU
 * gives for the whole text, replacement characters and their count
 * included. */
/* gen_gb2_map as UTF-8: entry (lead & 0x7F) << 8 | trail holds the bytes
 * and, in its last byte, their count; a count of 0 for leads 0x80 and
 * 0xFF, trails outside the map and pairs the map leaves to ICU. */
static unsigned char gb2_utf8[128 * 256][4];
static pthread_once_t gb2_once = PTHREAD_ONCE_INIT;

static void build_gb2_utf8(void)
{
    for (unsigned a = 0x81; a <= 0xFE; a++)
        for (unsigned b = 0x40; b <= 0xFE; b++) {
            unsigned c = gen_gb2_map[(a - 0x81) * GEN_GB2_TRAILS + (b - 0x40)];
            unsigned char *e = gb2_utf8[(a & 0x7F) << 8 | b];
            if (c == 0)
                continue;
            if (c < 0x800) {
                e[0] = (unsigned char)(0xC0 | c >> 6);
                e[1] = (unsigned char)(0x80 | (c & 0x3F));
                e[3] = 2;
            } else {
                e[0] = (unsigned char)(0xE0 | c >> 12);
                e[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
                e[2] = (unsigned char)(0x80 | (c & 0x3F));
                e[3] = 3;
            }
        }
}

static int convert_gb18030(fz_decoder *d, const unsigned char *s, size_t n, fz_buf *out)
{
    if (!converter(d, CNV_GB18030))
        return -1; /* as without the map: no ICU, no GB18030 */
    pthread_once(&gb2_once, build_gb2_utf8);
    size_t i = 0;
    for (;;) {
        /* at most 3 bytes out for 2 in, 1 for 1, and 4 written for 3 */
        fz_buf_reserve(out, (n - i) / 2 * 3 + (n - i) % 2 + 16);
        unsigned char *w = (unsigned char *)out->data + out->len;
        while (i < n) {
            unsigned a = s[i];
            if (a < 0x80) {
                *w++ = (unsigned char)a;
                i++;
                continue;
            }
            if (i + 1 >= n)
                break;
            const unsigned char *e = gb2_utf8[(a & 0x7F) << 8 | s[i + 1]];
            if (e[3] == 0)
                break;
            memcpy(w, e, 4); /* the count byte is overwritten next or lies past the end */
            w += e[3];
            i += 2;
        }
        out->len = (size_t)((char *)w - out->data);
        out->data[out->len] = '\0';
        if (i >= n)
            return 0;
        const unsigned char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        if (convert_icu(d, CNV_GB18030, (const char *)s + i, e - i, out) < 0)
            return -1;
        i = e;
    }
}

/* Converts into out; 0, or -1 if ICU could not convert at all. */
static int convert(fz_decoder *d, int which, const char *src, size_t n, fz_buf *out)
{
    fz_buf_reset(out);
    if (which == CNV_GB18030)
        return convert_gb18030(d, (const unsigned char *)src, n, out);
    return convert_icu(d, which, src, n, out);
}

/* ---- detection ------------------------------------------------------ */

/* Share of UTF-16 code units (little or big endian) that look like report
 * text: ASCII text, CJK ideographs and punctuation, full-width forms. The
 * caller only asks whether it reaches UTF16_SHARE, so once more than a
 * tenth of the units are implausible the answer is 0 (text in a byte
 * encoding gets there within a few units). */
#define UTF16_SHARE 0.9
#ifndef NDEBUG
/* utf16_plausible unit by unit; debug builds check the fast path against it. */
static double utf16_plausible_units(const unsigned char *s, size_t n, int big)
{
    size_t units = n / 2, good = 0;
    if (units > SNIFF_BYTES / 2)
        units = SNIFF_BYTES / 2;
    for (size_t i = 0; i < units; i++) {
        unsigned u = big ? (unsigned)s[2 * i] << 8 | s[2 * i + 1]
                         : (unsigned)s[2 * i + 1] << 8 | s[2 * i];
        if ((u >= 0x20 && u < 0x7F) || u == '\n' || u == '\r' || u == '\t' ||
            (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3000 && u <= 0x303F) ||
            (u >= 0xFF00 && u <= 0xFFEF) || (u >= 0x2000 && u <= 0x206F) ||
            (u >= 0x3400 && u <= 0x4DBF) || u == 0xA0 || u == 0xB7)
            good++;
        else if ((i + 1 - good) * 10 > units)
            return 0; /* good <= units - that many < 0.9 * units */
    }
    return units ? (double)good / (double)units : 0;
}
#endif

static inline int plausible_unit(unsigned u)
{
    return (u >= 0x20 && u < 0x7F) || u == '\n' || u == '\r' || u == '\t' ||
           (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3000 && u <= 0x303F) ||
           (u >= 0xFF00 && u <= 0xFFEF) || (u >= 0x2000 && u <= 0x206F) ||
           (u >= 0x3400 && u <= 0x4DBF) || u == 0xA0 || u == 0xB7;
}

#if defined(__SSE2__)
/* 0xFFFF in each 16-bit lane of v within [lo, lo + span] */
static inline __m128i in_range16(__m128i v, int lo, int span)
{
    __m128i d = _mm_sub_epi16(v, _mm_set1_epi16((short)lo));
    return _mm_cmpeq_epi16(_mm_subs_epu16(d, _mm_set1_epi16((short)span)), _mm_setzero_si128());
}
#endif

/* The answer is 0 exactly when more than a tenth of the units are
 * implausible (that count only grows), so the units are counted eight at a
 * time with SSE2 and the tenth checked every 64 of them. */
static double utf16_plausible(const unsigned char *s, size_t n, int big)
{
    size_t units = n / 2, good = 0, i = 0;
    if (units > SNIFF_BYTES / 2)
        units = SNIFF_BYTES / 2;
#if defined(__SSE2__)
    while (i + 64 <= units) {
        __m128i acc = _mm_setzero_si128();
        for (int b = 0; b < 8; b++, i += 8) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 2 * i));
            if (big)
                v = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
            __m128i ok = _mm_or_si128(in_range16(v, 0x20, 0x5E), in_range16(v, 0x4E00, 0x51FF));
            ok = _mm_or_si128(ok, _mm_or_si128(in_range16(v, 0x3000, 0x3F),
                                               in_range16(v, 0xFF00, 0xEF)));
            ok = _mm_or_si128(ok, _mm_or_si128(in_range16(v, 0x2000, 0x6F),
                                               in_range16(v, 0x3400, 0x19BF)));
            ok = _mm_or_si128(ok, _mm_or_si128(in_range16(v, 0x09, 0x01), /* tab, LF */
                                               _mm_cmpeq_epi16(v, _mm_set1_epi16(0x0D))));
            ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0xA0)),
                                               _mm_cmpeq_epi16(v, _mm_set1_epi16(0xB7))));
            acc = _mm_sub_epi16(acc, ok); /* +1 per plausible unit */
        }
        __m128i sum = _mm_madd_epi16(acc, _mm_set1_epi16(1));
        sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
        sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
        good += (size_t)_mm_cvtsi128_si32(sum);
        if ((i - good) * 10 > units)
            return 0;
    }
#endif
    for (; i < units; i++) {
        unsigned u = big ? (unsigned)s[2 * i] << 8 | s[2 * i + 1]
                         : (unsigned)s[2 * i + 1] << 8 | s[2 * i];
        if (plausible_unit(u))
            good++;
        else if ((i + 1 - good) * 10 > units)
            return 0;
    }
    return units ? (double)good / (double)units : 0;
}

/* Maps a declared charset name to one of ours; -1 unknown, -2 UTF-8 (a
 * page that says UTF-8 but is not is decoded by content like any other). */
static int charset_slot(const char *name)
{
    if (!name)
        return -1;
    static const char *const gb[] = { "gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk",
                                      "cp936", "windows-936", "euc-cn", "hz-gb-2312" };
    for (size_t i = 0; i < sizeof gb / sizeof *gb; i++)
        if (strcasecmp(name, gb[i]) == 0)
            return CNV_GB18030;
    if (strcasecmp(name, "big5") == 0 || strcasecmp(name, "big5-hkscs") == 0 ||
        strcasecmp(name, "cp950") == 0 || strcasecmp(name, "x-x-big5") == 0)
        return CNV_BIG5;
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        return -2;
    return -1;
}

#ifndef NDEBUG
/* plainly_gb byte by byte; debug builds check the fast path against it. */
static int plainly_gb_bytes(const unsigned char *s, size_t n)
{
    size_t pairs = 0, low_trail = 0;
    for (size_t i = 0; i + 1 < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if (s[i + 1] >= 0x30 && s[i + 1] <= 0x39) { /* GB18030 four-byte form */
            i += 4;
            continue;
        }
        pairs++;
        if (s[i + 1] >= 0x40 && s[i + 1] <= 0x7E)
            low_trail++;
        i += 2;
    }
    return pairs >= 32 && low_trail * 50 < pairs;
}
#endif

/* Mainland text in GB2312/GBK keeps both bytes of a character in 0xA1-0xFE
 * (common characters), while about a third of Big5 characters have a trail
 * byte in 0x40-0x7E. A long enough prefix with almost no such trail bytes is
 * GB18030 for certain, and that answer costs a fraction of the confidences
 * below; anything else goes to them. Runs of sixteen bytes from 80 up
 * (CJK text) are taken whole. */
static int plainly_gb(const unsigned char *s, size_t n)
{
    size_t pairs = 0, low_trail = 0, i = 0;
    while (i + 1 < n) {
#if defined(__SSE2__)
        /* sixteen bytes from 80 up (a run of two-byte characters): eight
         * pairs, none with a low trail byte or a four-byte form */
        if (i + 16 <= n &&
            _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))) == 0xFFFF) {
            pairs += 8;
            i += 16;
            continue;
        }
#endif
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if (s[i + 1] >= 0x30 && s[i + 1] <= 0x39) { /* GB18030 four-byte form */
            i += 4;
            continue;
        }
        pairs++;
        if (s[i + 1] >= 0x40 && s[i + 1] <= 0x7E)
            low_trail++;
        i += 2;
    }
    int plain = pairs >= 32 && low_trail * 50 < pairs;
    assert(plain == plainly_gb_bytes(s, n));
    return plain;
}

/* ICU's GB18030 and Big5 recognizers (ucsdet, csrmbcs.cpp): the same
 * character iteration, counts and confidence formula over the same bytes,
 * with the common-character lists read off ICU at build time
 * (gen/mkcsdet.c). ucsdet_detectAll() also runs some twenty recognizers
 * for other charsets whose answers were never used (about 14 M
 * instructions per call); the unit tests compare the two. */
typedef struct cs_iter {
    const unsigned char *s;
    int32_t n, next;
    uint32_t value; /* the character's bytes, as ICU packs them */
    int error;
} cs_iter;

static int cs_byte(cs_iter *it)
{
    return it->next < it->n ? it->s[it->next++] : -1;
}

/* One character as CharsetRecog_gb_18030::nextChar reads it (including its
 * test of the second byte against decimal 80); 0 at the end. */
static int cs_next_gb(cs_iter *it)
{
    it->error = 0;
    int a = cs_byte(it);
    if (a < 0)
        return 0;
    it->value = (uint32_t)a;
    if (a <= 0x80)
        return 1;
    int b = cs_byte(it);
    if (b >= 0)
        it->value = it->value << 8 | (uint32_t)b;
    if (a >= 0x81 && a <= 0xFE) {
        if ((b >= 0x40 && b <= 0x7E) || (b >= 80 && b <= 0xFE))
            return 1;
        if (b >= 0x30 && b <= 0x39) {
            int c = cs_byte(it);
            if (c >= 0x81 && c <= 0xFE) {
                int e = cs_byte(it);
                if (e >= 0x30 && e <= 0x39) {
                    it->value = it->value << 16 | (uint32_t)c << 8 | (uint32_t)e;
                    return 1;
                }
            }
        }
        it->error = 1;
    }
    return 1;
}

/* One character as CharsetRecog_big5::nextChar reads it; 0 at the end. */
static int cs_next_big5(cs_iter *it)
{
    it->error = 0;
    int a = cs_byte(it);
    if (a < 0)
        return 0;
    it->value = (uint32_t)a;
    if (a <= 0x7F || a == 0xFF)
        return 1;
    int b = cs_byte(it);
    if (b >= 0)
        it->value = it->value << 8 | (uint32_t)b;
    if (b < 0x40 || b == 0x7F || b == 0xFF)
        it->error = 1;
    return 1;
}

#ifndef NDEBUG
/* The binary search the bit sets replace; debug builds check them. */
static int cs_common(const uint16_t *v, size_t n, uint16_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == c;
}
#endif

/* The common-character lists as bit sets (one bit per 16-bit value), for
 * a membership test by one load instead of a binary search. */
static uint64_t common_bits[2][65536 / 64];
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void build_common_bits(void)
{
    for (size_t i = 0; i < sizeof gen_common_gb18030 / sizeof *gen_common_gb18030; i++)
        common_bits[0][gen_common_gb18030[i] >> 6] |= (uint64_t)1 << (gen_common_gb18030[i] & 63);
    for (size_t i = 0; i < sizeof gen_common_big5 / sizeof *gen_common_big5; i++)
        common_bits[1][gen_common_big5[i] >> 6] |= (uint64_t)1 << (gen_common_big5[i] & 63);
#ifndef NDEBUG
    for (unsigned c = 0; c < 65536; c++) {
        int gb = cs_common(gen_common_gb18030,
                           sizeof gen_common_gb18030 / sizeof *gen_common_gb18030, (uint16_t)c);
        int b5 = cs_common(gen_common_big5, sizeof gen_common_big5 / sizeof *gen_common_big5,
                           (uint16_t)c);
        assert(gb == (int)(common_bits[0][c >> 6] >> (c & 63) & 1));
        assert(b5 == (int)(common_bits[1][c >> 6] >> (c & 63) & 1));
    }
#endif
}

/* CharsetRecog_mbcs::match_mbcs */
static int cs_confidence(const unsigned char *s, int32_t n, int big5)
{
    pthread_once(&common_once, build_common_bits);
    const uint64_t *common = common_bits[big5 ? 1 : 0];
    int32_t dbl = 0, ncom = 0, bad = 0, total = 0;
    cs_iter it = { .s = s, .n = n };
    while (big5 ? cs_next_big5(&it) : cs_next_gb(&it)) {
        total++;
        if (it.error)
            bad++;
        else if (it.value > 0xFF) {
            dbl++;
            uint16_t v = (uint16_t)it.value; /* as ICU compares it: the low 16 bits */
            ncom += (int32_t)(common[v >> 6] >> (v & 63) & 1);
        }
        if (bad >= 2 && bad * 5 >= dbl)
            return 0;
    }
    if (dbl <= 10 && bad == 0)
        return dbl == 0 && total < 10 ? 0 : 10;
    if (dbl < 20 * bad)
        return 0;
    double max_val = log((double)dbl / 4);
    double scale = 90.0 / max_val;
    int32_t conf = (int32_t)(log((double)ncom + 1) * scale + 10.0);
    if (conf > 100)
        conf = 100;
    return conf < 0 ? 0 : conf;
}

void fz_decode_cjk_confidence(const char *s, size_t n, int *gb18030, int *big5)
{
    int32_t len = (int32_t)(n > DETECT_BYTES ? DETECT_BYTES : n);
    *gb18030 = cs_confidence((const unsigned char *)s, len, 0);
    *big5 = cs_confidence((const unsigned char *)s, len, 1);
}

/* GB18030 or Big5, as ICU's detector would rank them on the first
 * DETECT_BYTES (a few KB of prose decide as well as the whole file);
 * GB18030 on a tie (the reports are mainland documents). */
static int detect_cjk(const char *s, size_t n)
{
    if (plainly_gb((const unsigned char *)s, n > DETECT_BYTES ? DETECT_BYTES : n))
        return CNV_GB18030;
    int gb, big5;
    fz_decode_cjk_confidence(s, n, &gb, &big5);
    return big5 > gb ? CNV_BIG5 : CNV_GB18030;
}

/* Recognises well-known binary signatures; NULL if none. */
static const char *magic(const unsigned char *s, size_t n)
{
    static const struct {
        const char *sig;
        size_t len;
        const char *what;
    } tab[] = {
        { "\x89PNG\r\n\x1a\n", 8, "PNG image" },
        { "\xFF\xD8\xFF", 3, "JPEG image" },
        { "GIF87a", 6, "GIF image" },
        { "GIF89a", 6, "GIF image" },
        { "II*\0", 4, "TIFF image" },
        { "MM\0*", 4, "TIFF image" },
        { "\x7F" "ELF", 4, "ELF executable" },
        { "\x1F\x8B", 2, "gzip archive" },
        { "BZh", 3, "bzip2 archive" },
        { "\xFD" "7zXZ\0", 6, "xz archive" },
        { "7z\xBC\xAF\x27\x1C", 6, "7-Zip archive" },
        { "Rar!\x1A\x07", 6, "RAR archive" },
        { "\xCA\xFE\xBA\xBE", 4, "Java class or Mach-O file" },
        { "\xCF\xFA\xED\xFE", 4, "Mach-O executable" },
        { "SQLite format 3", 16, "SQLite database" },
        { "OggS", 4, "Ogg media" },
        { "ID3", 3, "MP3 audio" },
        { "\0\0\0 ftyp", 8, "MP4 video" },
        { "\0\0\0\x18" "ftyp", 8, "MP4 video" },
        { "\0\0\0\x1C" "ftyp", 8, "MP4 video" },
    };
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (n >= tab[i].len && memcmp(s, tab[i].sig, tab[i].len) == 0)
            return tab[i].what;
    if (n >= 12 && memcmp(s, "RIFF", 4) == 0)
        return memcmp(s + 8, "WEBP", 4) == 0 ? "WebP image" : "RIFF media file";
    if (n >= 64 && s[0] == 'M' && s[1] == 'Z' && memchr(s, 0, 64))
        return "Windows executable";
    return NULL;
}

/* Control bytes other than whitespace and ESC in the first SNIFF_BYTES;
 * text in any of our encodings (UTF-16 excepted) has almost none. */
static int looks_binary(const unsigned char *s, size_t n)
{
    size_t m = n > SNIFF_BYTES ? SNIFF_BYTES : n, ctl = 0, i = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time: bytes up to 1F that are not NUL, 09-0D or
     * 1B (a GB18030 report goes through here whole) */
    const __m128i c1f = _mm_set1_epi8(0x1F), c09 = _mm_set1_epi8(9), c04 = _mm_set1_epi8(4);
    const __m128i esc = _mm_set1_epi8(0x1B), zero = _mm_setzero_si128();
    for (; i + 16 <= m; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);
        __m128i d = _mm_sub_epi8(v, c09);
        __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, c04), d),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, zero), _mm_cmpeq_epi8(v, esc)));
        for (unsigned b = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(ok, low)); b; b &= b - 1)
            ctl++;
    }
#endif
    for (; i < m; i++) {
        if ((i & 7) == 0 && i + 8 <= m) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* no byte below 0x20 in these eight (the lowest such byte
             * would set its top bit here) */
            if (!((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL)) {
                i += 7;
                continue;
            }
        }
        unsigned c = s[i];
        if (c && c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B &&
            c != '\v')
            ctl++;
    }
    return ctl * 100 > m * 2 && ctl > 2; /* more than 2% */
}

static void set_text(fz_decoded *res, const fz_buf *out)
{
    res->text = out->data;
    res->len = out->len;
}

void fz_decode(fz_decoder *d, const void *data, size_t n, const char *hint, fz_buf *out,
               fz_decoded *res)
{
    const unsigned char *s = data;
    memset(res, 0, sizeof *res);
    res->text = "";
    fz_buf_reset(out);

    int slot = -1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        res->encoding = "UTF-8";
        size_t bad = 0, nul = 0;
        if (fz_utf8_valid(s + 3, n - 3) || fz_utf8_scan(s + 3, n - 3, &bad, &nul, NULL)) {
            res->text = (const char *)s + 3;
            res->len = n - 3;
            return;
        }
        res->invalid = fz_utf8_repair(s + 3, n - 3, out);
        res->nuls = nul;
        set_text(res, out);
        return;
    }
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        slot = CNV_UTF16LE;
    else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        slot = CNV_UTF16BE;
    if (slot >= 0) {
        s += 2;
        n -= 2;
        goto convert;
    }

    const char *what = magic(s, n);
    if (what) {
        res->binary = what;
        res->encoding = "binary";
        return;
    }

    size_t bad = 0, nul = 0, mb = 0; /* bad and mb are lower bounds past UTF-8 */
    if (fz_utf8_valid(s, n) ||
        (!fz_utf8_ruled_out(s, n, &bad, &nul) && utf8_scan(s, n, &bad, &nul, &mb, 1))) {
        res->encoding = "UTF-8";
        res->text = (const char *)s;
        res->len = n;
        return;
    }
    /* UTF-16 without a BOM: ASCII in it gives NUL bytes, CJK gives units in
     * U+4E00-9FFF; text in any byte encoding scores far lower. */
    if (n >= 4 && (nul > 0 || bad > 0)) {
        double le = utf16_plausible(s, n, 0), be = utf16_plausible(s, n, 1);
        assert(le == utf16_plausible_units(s, n, 0) && be == utf16_plausible_units(s, n, 1));
        if (le >= UTF16_SHARE || be >= UTF16_SHARE) {
            slot = le >= be ? CNV_UTF16LE : CNV_UTF16BE;
            goto convert;
        }
    }
    /* NULs in valid UTF-8 with CJK text are damage, not a binary format */
    int utf8_text = bad == 0 && mb > 0;
    if ((nul * 100 > n && !utf8_text) || looks_binary(s, n)) {
        res->binary = "binary data";
        res->encoding = "binary";
        return;
    }
    /* Mostly valid UTF-8 with a few damaged bytes (or a truncated last
     * character) stays UTF-8. Read as UTF-8, GB18030 reports give about
     * 0.22 valid multibyte sequences per invalid one and Big5 about 0.08
     * (measured on the seeds), so two per invalid one is a wide margin. */
    int declared = charset_slot(hint);
    if (bad == 0 || mb >= bad * 2) {
        res->encoding = "UTF-8";
        res->invalid = fz_utf8_repair(s, n, out);
        res->nuls = nul;
        set_text(res, out);
        return;
    }
    slot = declared >= 0 ? declared : detect_cjk((const char *)s, n);

convert:
    res->encoding = d->src[slot].name;
    d->invalid = 0;
    if (convert(d, slot, (const char *)s, n, out) < 0) {
        /* ICU data missing: keep what is UTF-8, replace the rest */
        fz_buf_reset(out);
        res->invalid = fz_utf8_repair(s, n, out);
        res->encoding = "UTF-8";
    } else
        res->invalid = d->invalid;
    res->nuls = drop_nuls(out);
    set_text(res, out);
}
