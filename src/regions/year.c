/* year.c: report year and publication date (see year.h).
 *
 * The report year comes from phrases that state it, weighed: "现就2022年…"
 * and "现将2022年度…" introduce the report itself; 2019年度 and a paragraph
 * that opens with 2022年, name the period reported on; 2023年工作计划,
 * 2024年年底前 and years inside 《》 or ranges (2021—2025年) do not. */
#include "year.h"

#include <stdint.h>
#include <string.h>

#define PARA_MIN 150 /* bytes: a longer line is a paragraph, not a date or name line */
/* bytes: the longest date fz_year_parse_date() takes, 二〇二三年十二月三十一日
 * (four digits, 年, a month and a day of up to three characters, 月, 日) */
#define DATE_MAX (12 + 3 + 9 + 3 + 9 + 3)

/* A word with its length. */
typedef struct word {
    const char *s;
    size_t n;
} word;
#define WORD(w) { w, sizeof w - 1 }

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int starts(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(s, w, k) == 0;
}

/* Chinese digit at s (〇零一二…九, and ○ U+25CB, a common stand-in for 〇):
 * its value, or -1. All are three bytes. */
static int cn_digit(const char *s, size_t n, size_t *used)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 3 || u[0] < 0xE2 || u[0] > 0xE9)
        return -1;
    int v;
    switch ((uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2]) {
    case 0xE38087: v = 0; break; /* 〇 */
    case 0xE99BB6: v = 0; break; /* 零 */
    case 0xE2978B: v = 0; break; /* ○ */
    case 0xE4B880: v = 1; break; /* 一 */
    case 0xE4BA8C: v = 2; break; /* 二 */
    case 0xE4B889: v = 3; break; /* 三 */
    case 0xE59B9B: v = 4; break; /* 四 */
    case 0xE4BA94: v = 5; break; /* 五 */
    case 0xE585AD: v = 6; break; /* 六 */
    case 0xE4B883: v = 7; break; /* 七 */
    case 0xE585AB: v = 8; break; /* 八 */
    case 0xE4B99D: v = 9; break; /* 九 */
    default: return -1;
    }
    *used = 3;
    return v;
}

/* A four-digit year at s (ASCII or Chinese digits) not followed by another
 * digit; returns bytes used or 0. */
static size_t year4(const char *s, size_t n, int *y)
{
    if (n >= 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        (n == 4 || !is_digit(s[4]))) {
        *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        return 4;
    }
    size_t i = 0;
    int v = 0;
    for (int k = 0; k < 4; k++) {
        size_t u;
        int dg = cn_digit(s + i, n - i, &u);
        if (dg < 0)
            return 0;
        v = v * 10 + dg;
        i += u;
    }
    *y = v;
    return i;
}

/* 1-2 ASCII digits, or a Chinese number up to 三十一 (十九, 二十, 三十一). */
static size_t small_num(const char *s, size_t n, int *v)
{
    if (n >= 1 && is_digit(s[0])) {
        if (n >= 2 && is_digit(s[1])) {
            if (n >= 3 && is_digit(s[2]))
                return 0;
            *v = (s[0] - '0') * 10 + (s[1] - '0');
            return 2;
        }
        *v = s[0] - '0';
        return 1;
    }
    size_t i = 0, u;
    int tens = 0, ones = 0, seen_ten = 0;
    int dg = cn_digit(s, n, &u);
    if (dg > 0) {
        ones = dg;
        i += u;
    }
    if (starts(s + i, n - i, "十")) {
        seen_ten = 1;
        tens = ones ? ones : 1;
        ones = 0;
        i += strlen("十");
        dg = cn_digit(s + i, n - i, &u);
        if (dg > 0) {
            ones = dg;
            i += u;
        }
    }
    if (i == 0)
        return 0;
    *v = (seen_ten ? tens * 10 : 0) + ones;
    return i;
}

static int valid_date(int y, int m, int d)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < FZ_YEAR_MIN || y > FZ_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

size_t fz_year_parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
    size_t i = year4(s, n, y);
    if (i == 0)
        return 0;
    int cjk = 0;
    char sep = 0;
    if (starts(s + i, n - i, "年")) {
        cjk = 1;
        i += strlen("年");
    } else if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
        sep = s[i++];
    } else {
        return 0;
    }
    size_t u = small_num(s + i, n - i, m);
    if (u == 0)
        return 0;
    i += u;
    if (cjk) {
        if (!starts(s + i, n - i, "月"))
            return 0;
        i += strlen("月");
    } else {
        if (i >= n || s[i] != sep)
            return 0;
        i++;
    }
    u = small_num(s + i, n - i, d);
    if (u == 0)
        return 0;
    i += u;
    if (cjk) {
        if (starts(s + i, n - i, "日"))
            i += strlen("日");
        else if (starts(s + i, n - i, "号"))
            i += strlen("号");
        else
            return 0;
    }
    if (i < n && is_digit(s[i]))
        return 0;
    return valid_date(*y, *m, *d) ? i : 0;
}

/* Range marks between two years: 2021—2025年, 2015-2020年, 2021至2025年. */
static const word range_marks[] = { WORD("-"), WORD("—"), WORD("–"), WORD("~"),
                                    WORD("～"),  WORD("至"), WORD("到") };

static size_t range_mark(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof range_marks / sizeof *range_marks; i++) {
        const word *w = &range_marks[i];
        if (n >= w->n && s[0] == w->s[0] && memcmp(s, w->s, w->n) == 0)
            return w->n;
    }
    return 0;
}

static int range_before(const char *text, size_t p)
{
    for (size_t i = 0; i < sizeof range_marks / sizeof *range_marks; i++) {
        const word *w = &range_marks[i];
        if (p >= w->n && text[p - 1] == w->s[w->n - 1] && memcmp(text + p - w->n, w->s, w->n) == 0)
            return 1;
    }
    return 0;
}

/* For a year at p (u bytes): the offset just after its 年, or -1 when it is
 * no candidate (no 年, or one end of a range). */
static long year_word(const char *text, size_t len, size_t p, size_t u)
{
    size_t a = p + u;
    if (!starts(text + a, len - a, "年") || range_before(text, p))
        return -1;
    a += strlen("年");
    size_t k = range_mark(text + a, len - a);
    int y2;
    if (k && year4(text + a + k, len - a - k, &y2))
        return -1;
    return (long)a;
}

int fz_year_from_title(const char *title, size_t n)
{
    int depth = 0;
    for (size_t p = 0; p < n;) {
        /* no year starts at a byte that is neither an ASCII digit nor the
         * lead byte of a Chinese digit (E2..E9, see cn_digit()); 《 and 》
         * start with E3 */
        unsigned char c = (unsigned char)title[p];
        if (!is_digit((char)c) && (c < 0xE2 || c > 0xE9)) {
            p++;
            continue;
        }
        if (starts(title + p, n - p, "《")) {
            depth++;
            p += 3;
            continue;
        }
        if (starts(title + p, n - p, "》")) {
            if (depth > 0)
                depth--;
            p += 3;
            continue;
        }
        int y;
        size_t u = (p == 0 || !is_digit(title[p - 1])) ? year4(title + p, n - p, &y) : 0;
        if (u && depth == 0 && y >= FZ_YEAR_MIN && y <= FZ_YEAR_MAX &&
            year_word(title, n, p, u) >= 0)
            return y;
        p += u ? u : 1;
    }
    return 0;
}

/* Does one of w[0..nw) (Chinese words, three bytes a character) start s
 * (n bytes)? Compares the first character before the rest. */
static int starts_any(const char *s, size_t n, const word *w, size_t nw)
{
    if (n < 3)
        return 0;
    for (size_t i = 0; i < nw; i++)
        if (n >= w[i].n && s[2] == w[i].s[2] && s[1] == w[i].s[1] && s[0] == w[i].s[0] &&
            memcmp(s + 3, w[i].s + 3, w[i].n - 3) == 0)
            return 1;
    return 0;
}

/* Words after "2023年" that make it a plan or a deadline, not the period
 * reported on. */
static int plan_after(const char *s, size_t n)
{
    static const word w[] = { WORD("底"), WORD("年底"), WORD("前"), WORD("以前"), WORD("起"),
                              WORD("开始"), WORD("计划"), WORD("工作计划"), WORD("工作设想"),
                              WORD("工作思路"), WORD("工作打算"), WORD("工作安排"),
                              WORD("重点工作"), WORD("设想"), WORD("打算"), WORD("将"), WORD("要"),
                              WORD("以来"), WORD("来"), WORD("初"), WORD("上半年") };
    return starts_any(s, n, w, sizeof w / sizeof *w);
}

static int report_after(const char *s, size_t n)
{
    static const word w[] = { WORD("法治政府建设"), WORD("依法行政"), WORD("法治建设"),
                              WORD("工作报告"), WORD("年度报告"), WORD("工作情况"),
                              WORD("工作总结"), WORD("法治政府") };
    return starts_any(s, n, w, sizeof w / sizeof *w);
}

/* Is p at the start of its line, after blanks and an enumerator (一、 (一) 1. 1、)? */
static int at_line_start(const char *text, size_t p)
{
    const char *nl = p ? memrchr(text, '\n', p) : NULL;
    size_t q = nl ? (size_t)(nl - text) + 1 : 0;
    /* skip blanks */
    for (;;) {
        if (q < p && (text[q] == ' ' || text[q] == '\t'))
            q++;
        else if (p - q >= 3 && starts(text + q, p - q, "　"))
            q += 3;
        else
            break;
    }
    if (q == p)
        return 1;
    const char *s = text + q;
    size_t n = p - q;
    /* (一) or (1) */
    if (n >= 3 && s[0] == '(' && s[n - 1] == ')')
        return n <= 8;
    /* 一、 二、 1、 1. */
    if ((n >= 3 && memcmp(s + n - 3, "、", 3) == 0) || (n >= 2 && s[n - 1] == '.'))
        return n <= 9;
    return 0;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The first byte at or after p that is a line end, a digit or 0xE3 (the lead
 * byte of 《 and 》), or len; marks holds the same bytes. Where 18 bytes are
 * left, an 0xE3 is passed over unless 《 or 》 (E3 80 8A, E3 80 8B) starts
 * there: 。 and 、 (E3 80 82, E3 80 81) are in every sentence. */
static size_t next_mark(const char *text, size_t p, size_t len, const unsigned char *marks)
{
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), e3 = _mm_set1_epi8((char)0xE3);
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    const __m128i x80 = _mm_set1_epi8((char)0x80), fe = _mm_set1_epi8((char)0xFE),
                  x8a = _mm_set1_epi8((char)0x8A);
    for (; p + 18 <= len; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + p));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(text + p + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(text + p + 2));
        __m128i d = _mm_sub_epi8(v, zero); /* a digit: 0..9, unsigned */
        __m128i book = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v, e3), _mm_cmpeq_epi8(v1, x80)),
                                     _mm_cmpeq_epi8(_mm_and_si128(v2, fe), x8a));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, lf), book);
        m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return p + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    while (p < len && !marks[(unsigned char)text[p]])
        p++;
    return p;
}

int fz_year_from_body(const char *text, size_t len, int max_year)
{
    static const unsigned char marks[256] = {
        ['\n'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
        ['5'] = 1,   ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [0xE3] = 1,
    };
    double score[FZ_YEAR_MAX - FZ_YEAR_MIN + 1] = { 0 };
    int depth = 0;
    for (size_t p = 0; p < len;) {
        char c = text[p];
        /* most bytes are neither a line end, nor the lead byte of 《 or 》, nor a digit */
        if (!marks[(unsigned char)c]) {
            p = next_mark(text, p + 1, len, marks);
            continue;
        }
        if (c == '\n') {
            depth = 0;
            p++;
            continue;
        }
        if (starts(text + p, len - p, "《")) {
            depth++;
            p += 3;
            continue;
        }
        if (starts(text + p, len - p, "》")) {
            if (depth > 0)
                depth--;
            p += 3;
            continue;
        }
        int y;
        size_t u = is_digit(c) && (p == 0 || !is_digit(text[p - 1])) ? year4(text + p, len - p, &y)
                                                                     : 0;
        if (!u) {
            /* no year starts after a digit: past the rest of a number */
            for (p++; is_digit(c) && p < len && is_digit(text[p]);)
                p++;
            continue;
        }
        long a = year_word(text, len, p, u);
        if (a < 0 || depth > 0 || y < FZ_YEAR_MIN || y > FZ_YEAR_MAX ||
            (max_year > 0 && y > max_year)) {
            p += u;
            continue;
        }
        size_t after = (size_t)a;
        int annual = starts(text + after, len - after, "度");
        if (annual)
            after += strlen("度");
        const char *s = text + after;
        size_t n = len - after;
        double w;
        if (plan_after(s, n))
            w = 0;
        else if (report_after(s, n))
            w = 4;
        else if (annual)
            w = 2;
        else
            w = 1;
        if (w > 0 && at_line_start(text, p))
            w = w < 3 ? 3 : w;
        /* 现将2022年度…, 现就我镇2022年… (in the 12 bytes before) */
        static const word intro[] = { WORD("现将"), WORD("现就"), WORD("现把"), WORD("现对"),
                                      WORD("特将") };
        if (w > 0) {
            size_t back = p > 12 ? 12 : p;
            const char *win = text + p - back;
            for (size_t k = 0; k + 6 <= back && w < 6; k++)
                if (starts_any(win + k, back - k, intro, sizeof intro / sizeof *intro))
                    w = 6;
        }
        score[y - FZ_YEAR_MIN] += w;
        p += u;
    }
    int best = 0;
    double bs = 0;
    for (int i = 0; i <= FZ_YEAR_MAX - FZ_YEAR_MIN; i++)
        if (score[i] > bs) {
            bs = score[i];
            best = FZ_YEAR_MIN + i;
        }
    return bs >= 3 ? best : 0;
}

/* Dates here passed valid_date(): 1990..2100, 1..12, 1..31. Writes
 * YYYY-MM-DD (as "%04u-%02u-%02u" would). */
static void put_date(char out[11], int y, int m, int d)
{
    unsigned v[3] = { (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u };
    out[0] = (char)('0' + v[0] / 1000);
    out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10);
    out[3] = (char)('0' + v[0] % 10);
    out[4] = '-';
    out[5] = (char)('0' + v[1] / 10);
    out[6] = (char)('0' + v[1] % 10);
    out[7] = '-';
    out[8] = (char)('0' + v[2] / 10);
    out[9] = (char)('0' + v[2] % 10);
    out[10] = '\0';
}

/* Line [b,e) without blanks (ASCII, U+3000) at both ends. */
static void trim(const char *t, size_t *b, size_t *e)
{
    for (;;) {
        if (*b < *e && (t[*b] == ' ' || t[*b] == '\t' || t[*b] == '\r'))
            (*b)++;
        else if (*e - *b >= 3 && starts(t + *b, *e - *b, "　"))
            *b += 3;
        else if (*e - *b >= 2 && starts(t + *b, *e - *b, "\xC2\xA0"))
            *b += 2;
        else
            break;
    }
    for (;;) {
        if (*e > *b && (t[*e - 1] == ' ' || t[*e - 1] == '\t' || t[*e - 1] == '\r'))
            (*e)--;
        else if (*e - *b >= 3 && memcmp(t + *e - 3, "　", 3) == 0)
            *e -= 3;
        else if (*e - *b >= 2 && memcmp(t + *e - 2, "\xC2\xA0", 2) == 0)
            *e -= 2;
        else
            break;
    }
}

int fz_year_published(const char *text, size_t len, char out[11])
{
    int head_found = 0, tail_found = 0;
    int hy = 0, hm = 0, hd = 0, ty = 0, tm = 0, td = 0;
    /* labels, strongest first; the generic ones need a colon */
    static const struct { const char *w; int colon; } labels[] = {
        { "发布时间", 0 }, { "发布日期", 0 }, { "公开日期", 0 }, { "发文日期", 0 },
        { "印发日期", 0 }, { "成文日期", 0 }, { "日期", 1 }, { "时间", 1 },
    };
    /* The first date after each label, the strongest label's wins. Every
     * label ends in 日期 or 时间, so one pass over the bytes they begin with
     * (E6 97; 0x97 is the rarer) finds them all. */
    const size_t nlabels = sizeof labels / sizeof *labels;
    size_t best = nlabels;
    int by = 0, bm = 0, bd = 0;
    for (const char *r = text + 1;
         best > 0 && len >= 6 && (r = memchr(r, 0x97, len - (size_t)(r - text))) != NULL; r++) {
        const char *q = r - 1;
        if ((unsigned char)*q != 0xE6)
            continue;
        size_t tail = (size_t)(q - text); /* where 日期 or 时间 would start */
        if (len - tail < 6)
            break;
        if (memcmp(q, "日期", 6) != 0 && memcmp(q, "时间", 6) != 0)
            continue;
        for (size_t li = 0; li < best; li++) {
            const char *w = labels[li].w;
            size_t k = strlen(w);
            if (tail + 6 < k || memcmp(q, w + k - 6, 6) != 0 ||
                memcmp(text + tail + 6 - k, w, k - 6) != 0)
                continue;
            size_t at = tail + 6 - k, i = tail + 6;
            int colon = 0;
            while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == ':' ||
                               starts(text + i, len - i, "：") || starts(text + i, len - i, "　"))) {
                if (text[i] == ':' || starts(text + i, len - i, "："))
                    colon = 1;
                i += (unsigned char)text[i] < 0x80 ? 1 : 3;
                if (i > len)
                    i = len;
            }
            /* 时间:/日期: count only in the page's head or foot, not in 会议时间:… */
            if (labels[li].colon && at > 4096 && len - at > 2048)
                continue;
            if (labels[li].colon && !colon)
                continue;
            int y, m, d;
            if (fz_year_parse_date(text + i, len - i, &y, &m, &d)) {
                best = li;
                by = y, bm = m, bd = d;
                break;
            }
        }
    }
    if (best < nlabels) {
        put_date(out, by, bm, bd);
        return 1;
    }
    /* Lines holding nothing but a date: above the first paragraph it is the
     * page's date (2025.03.19 under the header), below the last one the
     * signature's (2019年12月6日); the page's wins. Without paragraphs (text
     * wrapped at a page width) the first and last 30 lines stand in. Both
     * bounds move one way along the text: a line in the head has only head
     * lines before it, a line in the tail only tail lines after it. So the
     * page's date is the first date line if that is in the head, and the
     * signature's the last date line if that is in the tail and not in the
     * head; one pass finds both, and the paragraphs. */
    long first_para = -1, last_para = -1;
    size_t nonempty = 0;
    long first_date = -1, last_date = -1;
    int fy = 0, fm = 0, fd = 0, ly = 0, lm = 0, ld = 0;
    for (size_t b = 0; b < len;) {
        const char *nl = memchr(text + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - text) : len, next = nl ? e + 1 : len;
        size_t tb = b, te = e;
        trim(text, &tb, &te);
        b = next;
        if (te == tb)
            continue;
        size_t idx = nonempty++;
        if (te - tb > PARA_MIN) {
            if (first_para < 0)
                first_para = (long)idx;
            last_para = (long)idx;
        }
        int y, m, d;
        if (te - tb <= DATE_MAX && fz_year_parse_date(text + tb, te - tb, &y, &m, &d) == te - tb) {
            if (first_date < 0) {
                first_date = (long)idx;
                fy = y, fm = m, fd = d;
            }
            last_date = (long)idx;
            ly = y, lm = m, ld = d;
        }
    }
    if (first_date >= 0) {
        size_t f = (size_t)first_date, l = (size_t)last_date;
        int head_first = first_para >= 0 ? first_date < first_para : f < 30;
        int head_last = first_para >= 0 ? last_date < first_para : l < 30;
        int tail_last = last_para >= 0 ? last_date > last_para : l + 30 >= nonempty;
        if (head_first) {
            head_found = 1;
            hy = fy, hm = fm, hd = fd;
        }
        if (tail_last && !head_last) {
            tail_found = 1;
            ty = ly, tm = lm, td = ld;
        }
    }
    if (head_found) {
        put_date(out, hy, hm, hd);
        return 1;
    }
    if (tail_found) {
        put_date(out, ty, tm, td);
        return 1;
    }
    return 0;
}
