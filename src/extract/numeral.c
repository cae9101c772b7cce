/* numeral.c: Arabic, Chinese and mixed numerals; quantities with their
 * measure word and qualifier. See numeral.h for what is and is not a figure. */
#include "numeral.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* the external definitions of the inline helpers in numeral.h */
extern inline unsigned fz_utf8_get(const char *s, size_t n, size_t *len);
extern inline size_t   fz_utf8_prev(const char *text, size_t pos);

/* Code point of the character before pos (0 at the start). */
static inline unsigned prev_cp(const char *text, size_t pos, size_t *start)
{
    const unsigned char *u = (const unsigned char *)text;
    /* fast paths, the same as below: ASCII, and a well-formed 3-byte character */
    if (pos > 0 && u[pos - 1] < 0x80) {
        if (start)
            *start = pos - 1;
        return u[pos - 1];
    }
    if (pos >= 3 && (u[pos - 3] & 0xF0) == 0xE0 && (u[pos - 2] & 0xC0) == 0x80 &&
        (u[pos - 1] & 0xC0) == 0x80) {
        if (start)
            *start = pos - 3;
        return ((unsigned)(u[pos - 3] & 0x0F) << 12) | ((unsigned)(u[pos - 2] & 0x3F) << 6) |
               (u[pos - 1] & 0x3F);
    }
    if (pos == 0) {
        if (start)
            *start = 0;
        return 0;
    }
    size_t p = fz_utf8_prev(text, pos), l;
    if (start)
        *start = p;
    return fz_utf8_get(text + p, pos - p, &l);
}

static unsigned cp_at(const char *text, size_t len, size_t pos, size_t *l)
{
    if (pos >= len) {
        *l = 0;
        return 0;
    }
    return fz_utf8_get(text + pos, len - pos, l);
}

static inline int has_n(const char *text, size_t len, size_t pos, const char *lit, size_t n)
{
    if (pos >= len || text[pos] != lit[0])
        return 0; /* most calls fail here; a wrapped pos fails too */
    return n <= len - pos && memcmp(text + pos, lit, n) == 0;
}

static inline int ends_with_n(const char *text, size_t pos, const char *lit, size_t n)
{
    return pos >= n && text[pos - 1] == lit[n - 1] && memcmp(text + pos - n, lit, n) == 0;
}

/* The same for a string literal (its length known at compile time). */
#define has(text, len, pos, lit) has_n(text, len, pos, "" lit, sizeof(lit) - 1)
#define ends_with(text, pos, lit) ends_with_n(text, pos, "" lit, sizeof(lit) - 1)

/* The Chinese numeral characters: digits 零〇一二两三四五六七八九 and units
 * 十百千万亿, each in the slot of a perfect hash of its code point (a code
 * point of none of them meets a slot that holds another or nothing). */
typedef struct cn_char {
    uint32_t c;     /* code point, CN_NONE for an empty slot */
    int8_t   digit; /* 0..9, -1 for a unit */
    uint8_t  unit;  /* 1..5 for 十百千万亿 (cn_units[]), 0 for a digit */
} cn_char;
#define CN_NONE 0xFFFFFFFFu
#define CN_D(c, d) { c, d, 0 }
#define CN_U(c, u) { c, -1, u }
static const cn_char cn_chars[32] = {
    CN_D(0x516D, 6), CN_D(0x4E24, 2), CN_D(0x4E09, 3), { CN_NONE, -1, 0 },
    CN_D(0x96F6, 0), CN_D(0x516B, 8), CN_U(0x4E07, 4), { CN_NONE, -1, 0 },
    CN_D(0x4E8C, 2), { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 },
    { CN_NONE, -1, 0 }, CN_U(0x4EBF, 5), { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 },
    CN_D(0x4E03, 7), { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 },
    CN_D(0x4E94, 5), { CN_NONE, -1, 0 }, CN_D(0x3007, 0), CN_D(0x4E00, 1),
    CN_D(0x4E5D, 9), CN_U(0x5343, 3), { CN_NONE, -1, 0 }, CN_D(0x56DB, 4),
    { CN_NONE, -1, 0 }, { CN_NONE, -1, 0 }, CN_U(0x5341, 1), CN_U(0x767E, 2),
};
static const double cn_units[6] = { 0, 10, 100, 1000, 1e4, 1e8 };

/* The slot of c in cn_chars[] if c is a Chinese numeral character, else an
 * empty one or another character's. */
static inline const cn_char *cn_slot(unsigned c)
{
    return &cn_chars[(uint32_t)(c * 0xECD1345Fu) >> 27];
}

/* Chinese digit value, -1 if not a digit. */
static inline int cn_digit(unsigned c)
{
    const cn_char *e = cn_slot(c);
    return e->c == c ? e->digit : -1;
}

/* Chinese unit value, 0 if not a unit. */
static inline double cn_unit(unsigned c)
{
    const cn_char *e = cn_slot(c);
    return cn_units[e->c == c ? e->unit : 0];
}

/* A Chinese digit (cn_digit) or unit (cn_unit). */
static inline int is_cn_numeral(unsigned c)
{
    return cn_slot(c)->c == c;
}

#ifndef NDEBUG
/* cn_chars[] against the plain lists: every numeral character in its slot
 * with its value, no other entry */
static int cn_chars_ok(void)
{
    static const struct {
        unsigned c;
        int      digit;
        double   unit;
    } plain[] = {
        { 0x96F6, 0, 0 }, { 0x3007, 0, 0 }, { 0x4E00, 1, 0 }, { 0x4E8C, 2, 0 },
        { 0x4E24, 2, 0 }, { 0x4E09, 3, 0 }, { 0x56DB, 4, 0 }, { 0x4E94, 5, 0 },
        { 0x516D, 6, 0 }, { 0x4E03, 7, 0 }, { 0x516B, 8, 0 }, { 0x4E5D, 9, 0 },
        { 0x5341, -1, 10 }, { 0x767E, -1, 100 }, { 0x5343, -1, 1000 }, { 0x4E07, -1, 1e4 },
        { 0x4EBF, -1, 1e8 },
    };
    size_t used = 0;
    for (size_t i = 0; i < 32; i++)
        used += cn_chars[i].c != CN_NONE;
    if (used != sizeof plain / sizeof *plain)
        return 0;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!is_cn_numeral(plain[i].c) || cn_digit(plain[i].c) != plain[i].digit ||
            cn_unit(plain[i].c) != plain[i].unit)
            return 0;
    return 1;
}
#endif

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Chinese numeral run at s: value, bytes; *bare = 1 when it is a lone unit
 * (百, 千, 万) that needs 余/多 or a qualifier to mean a number. */
static size_t parse_chinese(const char *s, size_t n, double *value, int *bare)
{
    double yi = 0, wan = 0, sec = 0;
    int cur = -1, ndig = 0, nunits = 0, count = 0, zero_seen = 0;
    double last_unit = 0, posval = 0;
    size_t p = 0, l;
    *bare = 0;
    while (p < n && count < FZ_NUMERAL_MAX_DIGITS) {
        unsigned c = fz_utf8_get(s + p, n - p, &l);
        int d = cn_digit(c);
        double u = cn_unit(c);
        if (d >= 0) {
            if (c == 0x4E24 && cur >= 0) /* 两 never follows a digit */
                break;
            if (cur >= 0 && nunits == 0)
                posval = posval * 10 + d; /* 二〇二二 */
            else if (nunits == 0)
                posval = d;
            if (d == 0)
                zero_seen = 1;
            cur = d;
            ndig++;
        } else if (u > 0) {
            if (u < 1e4) {
                sec += (cur < 0 ? 1 : cur) * u;
            } else if (u == 1e4) {
                double v = sec + (cur > 0 ? cur : 0);
                wan += (v == 0 ? 1 : v) * 1e4;
                sec = 0;
            } else {
                double v = wan + sec + (cur > 0 ? cur : 0);
                yi += (v == 0 ? 1 : v) * 1e8;
                wan = sec = 0;
            }
            if (ndig > 1 && nunits == 0)
                break; /* 二〇二二万: not a numeral we know */
            cur = -1;
            last_unit = u;
            zero_seen = 0;
            nunits++;
        } else if (c == 0x70B9 && (nunits > 0 || ndig > 0)) { /* 点: decimals */
            size_t q = p + l, l2;
            unsigned c2 = q < n ? fz_utf8_get(s + q, n - q, &l2) : 0;
            if (cn_digit(c2) < 0)
                break;
            double ip = nunits ? yi + wan + sec + (cur > 0 ? cur : 0) : posval;
            double f = 0.1;
            while (q < n) {
                c2 = fz_utf8_get(s + q, n - q, &l2);
                int d2 = cn_digit(c2);
                if (d2 < 0 || c2 == 0x4E24)
                    break;
                ip += d2 * f;
                f /= 10;
                q += l2;
            }
            *value = ip;
            return q;
        } else {
            break;
        }
        p += l;
        count++;
    }
    if (p == 0)
        return 0;
    if (nunits == 0) {
        *value = posval;
        return p;
    }
    /* 两千三 = 2300, 一万五 = 15000: a final digit right after a unit counts in
     * the next lower unit (not after 零: 一百零五 = 105). */
    if (cur > 0 && last_unit >= 100 && !zero_seen && ndig >= 2) {
        double down = last_unit / 10;
        *value = yi + wan + sec + cur * down;
        return p;
    }
    if (ndig == 0 && nunits == 1 && last_unit >= 100)
        *bare = 1;
    *value = yi + wan + sec + (cur > 0 ? cur : 0);
    return p;
}

size_t fz_numeral_parse(const char *s, size_t n, double *value, int *chinese)
{
    size_t l;
    if (chinese)
        *chinese = 0;
    if (n == 0)
        return 0;
    if (is_digit(s[0])) {
        size_t p = 0, nd = 0;
        double v = 0;
        while (p < n && is_digit(s[p])) {
            v = v * 10 + (s[p] - '0');
            p++;
            nd++;
        }
        /* thousands separators: 1,338 and 12,000,000 (groups of exactly 3) */
        if (nd <= 3) {
            while (p + 3 < n + 0 && s[p] == ',' && is_digit(s[p + 1]) && is_digit(s[p + 2]) &&
                   is_digit(s[p + 3]) && (p + 4 >= n || !is_digit(s[p + 4]))) {
                v = v * 1000 + (s[p + 1] - '0') * 100 + (s[p + 2] - '0') * 10 + (s[p + 3] - '0');
                p += 4;
                nd += 3;
            }
        }
        if (nd > FZ_NUMERAL_MAX_DIGITS)
            return 0;
        if (p + 1 < n && s[p] == '.' && is_digit(s[p + 1])) {
            double f = 0.1;
            p++;
            while (p < n && is_digit(s[p]) && nd < FZ_NUMERAL_MAX_DIGITS) {
                v += (s[p] - '0') * f;
                f /= 10;
                p++;
                nd++;
            }
            if (p < n && is_digit(s[p]))
                return 0;
        }
        /* mixed: 1.2万, 3千, 5万余 */
        unsigned c = p < n ? fz_utf8_get(s + p, n - p, &l) : 0;
        double u = cn_unit(c);
        if (u >= 100) {
            v *= u;
            p += l;
            c = p < n ? fz_utf8_get(s + p, n - p, &l) : 0;
            if (u < 1e8 && cn_unit(c) >= 1e4 && cn_unit(c) > u) { /* 3千万 */
                v *= cn_unit(c);
                p += l;
            }
            if (chinese)
                *chinese = 0;
        }
        *value = v;
        return p;
    }
    int bare;
    size_t p = parse_chinese(s, n, value, &bare);
    if (p && chinese)
        *chinese = bare ? 2 : 1;
    return p;
}

int fz_numeral_start(const char *text, size_t len, size_t pos, size_t *skip)
{
    unsigned char b = (unsigned char)text[pos];
    size_t l;
    if (b < 0x80) {
        *skip = 1;
        if (!is_digit((char)b))
            return 0;
        if (pos > 0) {
            char pc = text[pos - 1];
            if (is_digit(pc) || pc == '.' || is_alpha((unsigned char)pc))
                return 0;
            if (pc == ',' && pos > 1 && is_digit(text[pos - 2]))
                return 0;
        }
        return 1;
    }
    unsigned c = fz_utf8_get(text + pos, len - pos, &l);
    *skip = l;
    if (!is_cn_numeral(c))
        return 0;
    unsigned pc = prev_cp(text, pos, NULL);
    if (is_cn_numeral(pc) || c == 0x70B9)
        return 0;
    return 1;
}

typedef struct mword {
    const char *w;
    size_t      n;    /* bytes of w */
    const char *norm;
} mword;

/* Measure words. Lexicon units must be among these or the single ones below.
 * Longer than one character, tried first (longest first): */
#define MW(w, norm) { w, sizeof(w) - 1, norm }
static const mword measures[] = {
    MW("件(次)", "件次"), MW("人(次)", "人次"), MW("场(次)", "场次"), MW("户(次)", "户次"),
    MW("场次", "场次"),   MW("人次", "人次"),   MW("件次", "件次"),   MW("户次", "户次"),
    MW("万元", "万元"),   MW("批次", "批次"),
};

/* one character, in byte (= code point) order for a binary search */
static const char singles[][4] = {
    "个", "人", "件", "份", "位", "例", "元", "册", "单", "台", "名", "场", "块",
    "堂", "处", "套", "宗", "家", "封", "幅", "座", "张", "户", "所", "批", "支",
    "期", "本", "条", "次", "篇", "节", "课", "起", "轮", "间", "队", "项",
};

/* A filter for match_measure: bit b of measure_m1 (measure_m2) is set when
 * the low 6 bits of the second (third) byte of 万 or of some character of
 * singles[] are b. */
static const uint64_t measure_m1 = 0x7f21d0333191a760u, measure_m2 = 0x66d1d48380a038bfu;

/* the bytes of each of singles[] as one number (key3), for the search */
static const uint32_t single_keys[] = {
    0xE4B8AA, 0xE4BABA, 0xE4BBB6, 0xE4BBBD, 0xE4BD8D, 0xE4BE8B, 0xE58583, 0xE5868C,
    0xE58D95, 0xE58FB0, 0xE5908D, 0xE59CBA, 0xE59D97, 0xE5A082, 0xE5A484, 0xE5A597,
    0xE5AE97, 0xE5AEB6, 0xE5B081, 0xE5B985, 0xE5BAA7, 0xE5BCA0, 0xE688B7, 0xE68980,
    0xE689B9, 0xE694AF, 0xE69C9F, 0xE69CAC, 0xE69DA1, 0xE6ACA1, 0xE7AF87, 0xE88A82,
    0xE8AFBE, 0xE8B5B7, 0xE8BDAE, 0xE997B4, 0xE9989F, 0xE9A1B9,
};

static inline uint32_t key3(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
}

/* A perfect hash of the keys of singles[] and 万: measure_slot[measure_hash(k)]
 * is the index of k in single_keys[] (NSINGLES for 万), 0xFF for no key. */
#define NSINGLES (sizeof single_keys / sizeof *single_keys)
static inline unsigned measure_hash(uint32_t key)
{
    return (uint32_t)(key * 0x2120EA1Fu) >> 26;
}
static const unsigned char measure_slot[64] = {
    3,   25,  255, 4,   255, 255, 255, 2,   33,  12,  0,   15,  10,  36,  30,  255,
    32,  255, 29,  21,  255, 16,  17,  28,  255, 255, 255, 19,  255, 255, 6,   1,
    22,  23,  255, 11,  255, 9,   14,  255, 255, 38,  27,  255, 255, 255, 37,  31,
    18,  7,   35,  255, 13,  8,   255, 255, 255, 24,  255, 5,   255, 20,  26,  34,
};

#ifndef NDEBUG
/* singles[] is sorted, every longer word but 万元 starts with one of them,
 * and continues with (次), 次 or 元 (match_measure relies on these), and
 * normalizes to two characters; the filter masks are those of 万 and
 * singles[], single_keys[] their keys */
static int singles_sorted(void)
{
    if (sizeof single_keys / sizeof *single_keys != sizeof singles / sizeof *singles)
        return 0;
    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
        if (single_keys[i] != key3(singles[i]))
            return 0;
    uint64_t m1 = (uint64_t)1 << ("万"[1] & 0x3F), m2 = (uint64_t)1 << ("万"[2] & 0x3F);
    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++) {
        m1 |= (uint64_t)1 << (singles[i][1] & 0x3F);
        m2 |= (uint64_t)1 << (singles[i][2] & 0x3F);
    }
    if (m1 != measure_m1 || m2 != measure_m2)
        return 0;
    /* measure_slot[] holds exactly the keys, each at its hash */
    size_t nslots = 0;
    for (size_t h = 0; h < 64; h++) {
        unsigned i = measure_slot[h];
        if (i == 0xFF)
            continue;
        nslots++;
        uint32_t k = i == NSINGLES ? key3("万") : i < NSINGLES ? single_keys[i] : 0;
        if (i > NSINGLES || measure_hash(k) != h)
            return 0;
    }
    if (nslots != NSINGLES + 1)
        return 0;
    for (size_t i = 1; i < sizeof singles / sizeof *singles; i++)
        if (strlen(singles[i]) != 3 || memcmp(singles[i - 1], singles[i], 3) >= 0)
            return 0;
    for (size_t i = 0; i < sizeof measures / sizeof *measures; i++) {
        const char *tail = measures[i].w + 3;
        if (strcmp(tail, "(次)") != 0 && strcmp(tail, "次") != 0 && strcmp(tail, "元") != 0)
            return 0;
        if (strlen(measures[i].norm) != 6) /* two characters (quantity_at copies them) */
            return 0;
        int found = strncmp(measures[i].w, "万", 3) == 0;
        for (size_t k = 0; k < sizeof singles / sizeof *singles; k++)
            if (strncmp(measures[i].w, singles[k], 3) == 0)
                found = 1;
        if (!found)
            return 0;
    }
    return 1;
}
#endif

/* The longer measure word starting with the character of key at pos, if any
 * (they come before the single character, longest first). */
static size_t match_long(const char *text, size_t len, size_t pos, uint32_t key,
                         const char **norm)
{
    /* each continues with (次), 次 or 元 */
    if (!has(text, len, pos + 3, "(") && !has(text, len, pos + 3, "次") &&
        !has(text, len, pos + 3, "元"))
        return 0;
    for (size_t i = 0; i < sizeof measures / sizeof *measures; i++)
        if (key3(measures[i].w) == key && has_n(text, len, pos, measures[i].w, measures[i].n)) {
            *norm = measures[i].norm;
            return measures[i].n;
        }
    return 0;
}

/* Which of singles[] the character at pos is (NSINGLES: 万), -1 for none. */
static inline int measure_single(const char *text, size_t len, size_t pos)
{
    if (pos + 3 > len || (unsigned char)text[pos] < 0xE0)
        return -1; /* every measure word starts with a CJK character */
    const unsigned char *u = (const unsigned char *)text + pos;
    if (!(measure_m1 >> (u[1] & 0x3F) & 1) || !(measure_m2 >> (u[2] & 0x3F) & 1))
        return -1; /* neither 万 nor a character of singles[] */
    uint32_t key = key3(text + pos);
    unsigned i = measure_slot[measure_hash(key)];
    if (i == NSINGLES)
        return key == key3("万") ? (int)NSINGLES : -1;
    return i < NSINGLES && single_keys[i] == key ? (int)i : -1;
}

static size_t match_measure(const char *text, size_t len, size_t pos, const char **norm)
{
    int i = measure_single(text, len, pos);
    if (i < 0)
        return 0;
    /* 万元: the only longer one whose first character is no unit */
    size_t n = match_long(text, len, pos, key3(text + pos), norm);
    if (n || i == (int)NSINGLES)
        return n;
    *norm = singles[i];
    return 3;
}

/* 1 if a measure word starts at pos: match_measure's test without the
 * word. */
static inline int measure_at(const char *text, size_t len, size_t pos)
{
    const char *nm;
    int i = measure_single(text, len, pos);
    return i >= 0 && (i < (int)NSINGLES || match_long(text, len, pos, key3(text + pos), &nm));
}

#ifndef NDEBUG
static int prefix_m_ok(void);
#endif

int fz_measure_known(const char *unit)
{
    assert(singles_sorted() && cn_chars_ok() && prefix_m_ok());
    if (strcmp(unit, "%") == 0)
        return 1;
    for (size_t i = 0; i < sizeof measures / sizeof *measures; i++)
        if (strcmp(unit, measures[i].norm) == 0)
            return 1;
    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
        if (strcmp(unit, singles[i]) == 0)
            return 1;
    return 0;
}

/* Characters that end a clause for the look-back rules. */
static int clause_stop(unsigned c)
{
    return c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' ||
           c == 0x3002 /* 。 */ || c == '(' || c == ')' || c == 0;
}

typedef struct pqual {
    const char *w;
    size_t      n; /* bytes of w */
    fz_qual q;
} pqual;
#define PQ(w, q) { w, sizeof(w) - 1, q }

/* Prefix qualifiers, longest first within each family. */
static const pqual prefixes[] = {
    PQ("不超过", FZ_QUAL_AT_MOST), PQ("不少于", FZ_QUAL_AT_LEAST), PQ("不低于", FZ_QUAL_AT_LEAST),
    PQ("不足", FZ_QUAL_AT_MOST),   PQ("不到", FZ_QUAL_AT_MOST),   PQ("少于", FZ_QUAL_AT_MOST),
    PQ("低于", FZ_QUAL_AT_MOST),   PQ("最多", FZ_QUAL_AT_MOST),   PQ("至多", FZ_QUAL_AT_MOST),
    PQ("至少", FZ_QUAL_AT_LEAST),  PQ("超过", FZ_QUAL_AT_LEAST),  PQ("多于", FZ_QUAL_AT_LEAST),
    PQ("高于", FZ_QUAL_AT_LEAST),  PQ("超", FZ_QUAL_AT_LEAST),    PQ("逾", FZ_QUAL_AT_LEAST),
    PQ("大约", FZ_QUAL_APPROX),    PQ("约为", FZ_QUAL_APPROX),    PQ("约有", FZ_QUAL_APPROX),
    PQ("将近", FZ_QUAL_APPROX),    PQ("接近", FZ_QUAL_APPROX),    PQ("约", FZ_QUAL_APPROX),
    PQ("近", FZ_QUAL_APPROX),
};

/* Bit b is set when the last byte of some prefix qualifier has b in its low
 * 6 bits (a filter for prefix_end). */
static const uint64_t prefix_m = 0x44090040040242a0u;

/* 0 when no prefix qualifier ends at pos: the byte before it is not the
 * last byte of any (prefix_m). */
static inline int prefix_end(const char *text, size_t pos)
{
    return pos > 0 && (prefix_m >> ((unsigned char)text[pos - 1] & 0x3F) & 1);
}

#ifndef NDEBUG
static int prefix_m_ok(void)
{
    uint64_t m = 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        m |= (uint64_t)1 << ((unsigned char)prefixes[i].w[prefixes[i].n - 1] & 0x3F);
    return m == prefix_m;
}
#endif

static int is_range_sep(const char *text, size_t len, size_t p, size_t *l)
{
    if (p >= len)
        return 0;
    if (text[p] == '-' || text[p] == '~') {
        *l = 1;
        return 1;
    }
    size_t cl;
    unsigned c = fz_utf8_get(text + p, len - p, &cl);
    if (c == 0x2014 || c == 0x2013 || c == 0x81F3 /* 至 */ || c == 0x5230 /* 到 */) {
        *l = cl;
        if (c == 0x2014 && has(text, len, p + cl, "\xE2\x80\x94")) /* —— */
            *l = cl * 2;
        return 1;
    }
    return 0;
}

/* 0 when nothing at p (right after a numeral) can lead to a measure word or
 * %: no range separator, space, 余/多/来, % or measure word. Then the
 * numeral is no figure, whatever comes before it (2022年, 一是, 进一步). */
static int may_continue(const char *text, size_t len, size_t p)
{
    if (p >= len)
        return 0;
    const unsigned char *u = (const unsigned char *)text + p;
    if (u[0] < 0x80)
        return u[0] == '-' || u[0] == '~' || u[0] == ' ' || u[0] == '%';
    /* each character below and each measure word is three bytes (a key3
     * equal to one of theirs is well-formed UTF-8) */
    if (u[0] < 0xE0 || p + 3 > len)
        return 0;
    /* the characters below end in a byte whose low 6 bits are 13 14 19 1A
     * 25 30 or 33: one test passes over most others */
    if (0x0009002006180000u >> (u[2] & 0x3F) & 1) {
        switch (key3(text + p)) {
        case 0xE28094: /* — */
        case 0xE28093: /* – */
        case 0xE887B3: /* 至 */
        case 0xE588B0: /* 到 */
        case 0xE4BD99: /* 余 */
        case 0xE5A49A: /* 多 */
        case 0xE69DA5: /* 来 */
            return 1;
        default:
            break;
        }
    }
    return measure_at(text, len, p);
}

/* The common non-figure decided without parsing: at pos one Chinese
 * numeral character, then one that neither continues the numeral (a
 * numeral, 点, 分之 after 百) nor can lead to a measure word (进一步, 一是,
 * 统一). */
static inline int lone_cn_numeral(const char *text, size_t len, size_t pos)
{
    if (pos + 6 > len || ((unsigned char)text[pos] & 0xF0) != 0xE0)
        return 0;
    size_t l0, l1;
    unsigned c0 = fz_utf8_get(text + pos, 3, &l0);
    unsigned c1 = fz_utf8_get(text + pos + 3, len - pos - 3, &l1);
    return l0 == 3 && is_cn_numeral(c0) && !is_cn_numeral(c1) && c1 != 0x70B9 /* 点 */ &&
           !(c0 == 0x767E /* 百 */ && has(text, len, pos + 3, "分之")) &&
           !may_continue(text, len, pos + 3);
}

/* fz_quantity_at where no lone Chinese numeral is (lone_cn_numeral); *numlen
 * gets the bytes of the numeral at pos as fz_numeral_parse reads them, or
 * SIZE_MAX when it was not parsed there (百分之). */
static int quantity_at(const char *text, size_t len, size_t pos, fz_quantity *q, size_t *numlen)
{
    *numlen = SIZE_MAX;
    const unsigned char *u = (const unsigned char *)text;
    /* a run of ASCII digits that fz_numeral_parse would read as it is (no
     * ',' or '.' after it, no 百千万亿): its value as the parser computes
     * it, and no figure when nothing after it can lead to a measure word
     * (2022年, 12345热线) */
    size_t digits_end = 0;
    double digits_value = 0;
    if (pos < len && is_digit(text[pos])) {
        size_t d = pos;
        while (d < len && is_digit(text[d])) {
            digits_value = digits_value * 10 + (text[d] - '0');
            d++;
        }
        size_t l;
        if (d - pos <= FZ_NUMERAL_MAX_DIGITS && (d == len || (text[d] != ',' && text[d] != '.')) &&
            cn_unit(cp_at(text, len, d, &l)) < 100) {
            *numlen = d - pos;
            if (!may_continue(text, len, d))
                return 0;
            digits_end = d;
        }
    }
    memset(q, 0, sizeof *q);
    q->qual = FZ_QUAL_EXACT;
    q->num_start = pos;
    size_t p = pos, l;
    int chinese = 0, percent_prefix = 0;
    double v;

    if (digits_end) {
        v = digits_value;
        p = digits_end;
    } else if (has(text, len, p, "百分之")) {
        p += strlen("百分之");
        if (has(text, len, p, "百") && !is_cn_numeral(cp_at(text, len, p + 3, &l))) {
            v = 100;
            p += 3;
            chinese = 1;
        } else {
            size_t n = fz_numeral_parse(text + p, len - p, &v, &chinese);
            if (n == 0)
                return 0;
            p += n;
        }
        percent_prefix = 1;
    } else {
        size_t n = fz_numeral_parse(text + p, len - p, &v, &chinese);
        *numlen = n;
        if (n == 0)
            return 0;
        p += n;
    }
    q->value = v;
    q->num_end = p;
    if (!digits_end && !percent_prefix && !may_continue(text, len, p))
        return 0;

    /* What comes right before: 第二届, 数十, 几百, 1+N, 12·4, COVID-19, 0763-... */
    size_t pstart;
    unsigned pc = prev_cp(text, pos, &pstart);
    if (chinese && (pc == 0x6570 /* 数 */ || pc == 0x51E0 /* 几 */ || pc == 0x82E5 /* 若 */))
        return 0; /* 数十, 几百: vague (but 总数995件 is a number) */
    if (pc == 0x7B2C /* 第 */ || pc == '+' || pc == 0xB7 /* · */ || pc == 0x30FB ||
        pc == '.' || is_alpha(pc) || pc == '/' || pc == '#')
        return 0;
    if (pc == '-' && pstart > 0 && is_digit(text[pstart - 1]))
        return 0;
    if (!chinese && !percent_prefix && text[pos] == '0' && q->num_end - pos > 1 &&
        is_digit(text[pos + 1]))
        return 0; /* 0763: an area code, not a count */
    if (ends_with(text, pos, "热线") || ends_with(text, pos, "电话") ||
        ends_with(text, pos, "拨打"))
        return 0;

    int lone_one = (q->num_end - pos == 3 && has(text, len, pos, "一"));
    q->lone_one = lone_one;
    if (lone_one) {
        static const char *const idioms[] = { "统", "唯", "同", "逐", "单", "划", "专", "如",
                                              "合", "归", "万", "之", "进", "均", "某", "任",
                                              "无" };
        for (size_t i = 0; i < sizeof idioms / sizeof *idioms; i++)
            if (ends_with_n(text, pos, idioms[i], 3))
                return 0;
    }

    /* range: 10-20件, 十至二十件, 3—5次 */
    size_t sl;
    if (!percent_prefix && is_range_sep(text, len, p, &sl)) {
        double v2;
        int ch2;
        size_t n2 = fz_numeral_parse(text + p + sl, len - p - sl, &v2, &ch2);
        /* 1.2-1.5万人, 一至两万人: the multiplier of the high end applies to both */
        if (n2 >= 3 && v2 > 0) {
            size_t le = p + sl + n2 - 3;
            size_t lb = q->num_end - pos >= 3 ? q->num_end - 3 : pos; /* 0-22万人 */
            static const char *const mults[] = { "万", "亿", "千" };
            static const double mv[] = { 1e4, 1e8, 1e3 };
            for (int k = 0; k < 3; k++)
                if (has_n(text, len, le, mults[k], 3) && !has_n(text, len, lb, mults[k], 3) &&
                    v * mv[k] <= v2) {
                    v *= mv[k];
                    q->value = v;
                    break;
                }
        }
        if (n2 > 0 && (ch2 != 0) == (chinese != 0) && v2 > v) {
            q->value_high = v2;
            q->qual = FZ_QUAL_RANGE;
            p += sl + n2;
            q->num_end = p;
        }
    }

    /* PDF text often spaces numbers out: 共 8 宗, 87.5 % */
    {
        size_t sp = p;
        while (sp < len && sp - p < 2 && text[sp] == ' ')
            sp++;
        if (sp > p && sp < len && (unsigned char)text[sp] >= 0x80) {
            if (measure_at(text, len, sp) || has(text, len, sp, "余") ||
                has(text, len, sp, "多"))
                p = sp;
        } else if (sp > p && sp < len && text[sp] == '%') {
            p = sp;
        }
    }

    /* 10多万人, 二十余万份: 余/多 before the multiplier */
    if (q->qual != FZ_QUAL_RANGE && (has(text, len, p, "余") || has(text, len, p, "多"))) {
        static const char *const mults[] = { "万", "千", "亿", "百" };
        static const double mv[] = { 1e4, 1e3, 1e8, 1e2 };
        for (int k = 0; k < 4; k++)
            if (has_n(text, len, p + 3, mults[k], 3) && q->value < 1e4) {
                q->value *= mv[k];
                q->qual = FZ_QUAL_AT_LEAST;
                p += 6;
                q->num_end = p;
                break;
            }
    }

    /* 余 / 多 / 来 between the numeral and the measure word */
    if (q->qual != FZ_QUAL_RANGE && q->qual != FZ_QUAL_AT_LEAST) {
        if (has(text, len, p, "余")) {
            q->qual = FZ_QUAL_AT_LEAST;
            p += 3;
        } else if (has(text, len, p, "多")) {
            if (measure_at(text, len, p + 3) || has(text, len, p + 3, "%")) {
                q->qual = FZ_QUAL_AT_LEAST;
                p += 3;
            }
        } else if (chinese && has(text, len, p, "来")) {
            if (measure_at(text, len, p + 3)) {
                q->qual = FZ_QUAL_APPROX;
                p += 3;
            }
        }
    }

    if (percent_prefix || has(text, len, p, "%")) {
        if (!percent_prefix)
            p++;
        q->percent = 1;
        memcpy(q->unit, "%", 2);
    } else {
        const char *nm = NULL;
        size_t ml = match_measure(text, len, p, &nm);
        if (ml == 0)
            return 0; /* 2022年, 3月, 24小时, 一是, 七五普法: no measure word */
        /* 余 may also follow a 万 inside the unit position: 5万余人 handled above;
         * a normalized measure word is one character or two (singles_sorted) */
        memcpy(q->unit, nm, nm[3] ? 7 : 4);
        p += ml;
        if (has(text, len, p, "余") && q->qual == FZ_QUAL_EXACT) { /* 400次余 is rare but seen */
            q->qual = FZ_QUAL_AT_LEAST;
            p += 3;
        }
    }

    /* bare 百/千/万 is a number only with a qualifier: 近百人, 千余人 */
    if (chinese == 2 && q->qual == FZ_QUAL_EXACT) {
        int ok = 0;
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
            if (ends_with_n(text, pos, prefixes[i].w, prefixes[i].n))
                ok = 1;
        if (ends_with(text, pos, "上"))
            ok = 1;
        if (!ok)
            return 0;
    }

    /* idioms after: 一起 (together), 一次性, 一村一..., 三位一体, 一人一档 */
    if (lone_one && memcmp(q->unit, "起", 4) == 0 && !ends_with(text, pos, "件") &&
        !ends_with(text, pos, "案") && !has(text, len, p, "案件"))
        return 0; /* 一起 is "together", unless 案件一起 / 一起案件 */
    if (memcmp(q->unit, "次", 4) == 0 && has(text, len, p, "性"))
        return 0;
    if (chinese && q->value <= 10) {
        unsigned nc = cp_at(text, len, p, &l);
        if (cn_digit(nc) > 0)
            return 0;
    }
    if (!q->percent && !chinese && has(text, len, p, "+"))
        return 0;

    /* suffix qualifiers */
    if (has(text, len, p, "以上") || has(text, len, p, "之上")) {
        if (q->qual != FZ_QUAL_RANGE)
            q->qual = FZ_QUAL_AT_LEAST;
        p += 6;
    } else if (has(text, len, p, "以下") || has(text, len, p, "以内") ||
               has(text, len, p, "之内")) {
        if (q->qual != FZ_QUAL_RANGE)
            q->qual = FZ_QUAL_AT_MOST;
        p += 6;
    } else if (has(text, len, p, "左右") || has(text, len, p, "上下")) {
        if (q->qual != FZ_QUAL_RANGE)
            q->qual = FZ_QUAL_APPROX;
        p += 6;
    }
    q->end = p;

    /* prefix qualifiers */
    q->start = pos;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes && prefix_end(text, pos); i++) {
        if (!ends_with_n(text, pos, prefixes[i].w, prefixes[i].n))
            continue;
        size_t wl = prefixes[i].n;
        if (prefixes[i].q == FZ_QUAL_APPROX && strcmp(prefixes[i].w, "近") == 0) {
            unsigned c0 = prev_cp(text, pos - wl, NULL);
            if (c0 == 0x6700 /* 最 */ || c0 == 0x9644 /* 附 */ || c0 == 0x5C06 /* 将 */)
                continue;
        }
        if (q->qual != FZ_QUAL_RANGE)
            q->qual = prefixes[i].q;
        q->start = pos - wl;
        break;
    }
    if (chinese == 2 && ends_with(text, pos, "上") && q->start == pos) {
        q->qual = FZ_QUAL_AT_LEAST; /* 上百人, 上千份 */
        q->start = pos - 3;
    }

    /* 每月一次, 每季度开展一次, 每村1名: a 每 earlier in the clause makes a
     * frequency or a per-unit figure, not a total. */
    size_t b = q->start;
    for (int k = 0; k < 40 && b > 0; k++) {
        size_t s0;
        unsigned c;
        if (k < 39 && b >= 8) {
            /* two well-formed 3-byte characters before b, neither 每 nor 。:
             * the step below twice */
            uint64_t w;
            memcpy(&w, text + b - 8, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            w = __builtin_bswap64(w);
#endif
            uint64_t two = w >> 16, c1 = two & 0xFFFFFF, c2 = two >> 24;
            if ((two & 0xC0C0F0C0C0F0u) == 0x8080E08080E0u && c1 != 0x8FAFE6 &&
                c1 != 0x8280E3 && c2 != 0x8FAFE6 && c2 != 0x8280E3) {
                b -= 6;
                k++;
                continue;
            }
        }
        if (b >= 3 && (u[b - 3] & 0xF0) == 0xE0 && (u[b - 2] & 0xC0) == 0x80 &&
            (u[b - 1] & 0xC0) == 0x80) { /* as prev_cp reads a 3-byte character */
            /* of the clause stops only 。 is a 3-byte character */
            uint32_t key = key3(text + b - 3);
            if (key == 0xE6AF8Fu /* 每 */)
                return 0;
            if (key == 0xE38082u /* 。 */)
                break;
            b -= 3;
            continue;
        }
        c = prev_cp(text, b, &s0);
        if (clause_stop(c))
            break;
        if (c == 0x6BCF /* 每 */)
            return 0;
        b = s0;
    }
    return 1;
}

int fz_quantity_at(const char *text, size_t len, size_t pos, fz_quantity *q)
{
    size_t numlen;
    return !lone_cn_numeral(text, len, pos) && quantity_at(text, len, pos, q, &numlen);
}

int fz_quantity_step(const char *text, size_t len, size_t p, fz_quantity *q, size_t *next)
{
    size_t skip;
    if (lone_cn_numeral(text, len, p)) {
        /* no figure whether a numeral may start here or not: the scan goes
         * on after the character either way */
        *next = p + 3;
        return 0;
    }
    if (fz_numeral_start(text, len, p, &skip)) {
        size_t n;
        if (quantity_at(text, len, p, q, &n)) {
            *next = q->end > p ? q->end : p + skip;
            return 1;
        }
        /* skip the whole numeral run */
        double v;
        if (n == SIZE_MAX)
            n = fz_numeral_parse(text + p, len - p, &v, NULL);
        if (n == 0 && has(text, len, p, "百分之"))
            n = strlen("百分之");
        *next = p + (n > skip ? n : skip);
        return 0;
    }
    *next = p + skip;
    return 0;
}

int fz_quantity_next(const char *text, size_t len, size_t *pos, fz_quantity *q)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t p = *pos;
    while (p < len) {
        /* fast path: skip ASCII non-digits and CJK characters that are not
         * numerals without a call (most of the text) */
        unsigned b = u[p];
        if (b < 0x80 && (b < '0' || b > '9')) {
            p++;
            continue;
        }
        if ((b & 0xF0) == 0xE0 && p + 2 < len) {
            unsigned c = ((b & 0x0Fu) << 12) | ((u[p + 1] & 0x3Fu) << 6) | (u[p + 2] & 0x3Fu);
            if (!is_cn_numeral(c)) {
                p += 3;
                continue;
            }
        }
        if (fz_quantity_step(text, len, p, q, &p)) {
            *pos = p;
            return 1;
        }
    }
    *pos = len;
    return 0;
}
