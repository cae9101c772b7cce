/* test_year_scan.c: fz_year_from_title(), fz_year_from_body() and
 * fz_year_published() against their earlier forms, kept here as the
 * reference: the title loop that tried a year at every byte, the body scan
 * that compared every word with strlen and memcmp, and the publication date
 * that took two passes over the lines (paragraphs first, then every line
 * parsed as a date). All must
 * answer the same on the seeds, the sample, and thousands of generated
 * texts (dates in every form, labels, paragraphs, titles with years,
 * ranges and papers). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "xalloc.h"
#include "year.h"

#define PARA_MIN 150

/* ---- the reference: the earlier code ---- */

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


/* Range marks between two years: 2021—2025年, 2015-2020年, 2021至2025年. */
static const char *const range_marks[] = { "-", "—", "–", "~", "～", "至", "到" };

static size_t range_mark(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof range_marks / sizeof *range_marks; i++)
        if (starts(s, n, range_marks[i]))
            return strlen(range_marks[i]);
    return 0;
}

static int range_before(const char *text, size_t p)
{
    for (size_t i = 0; i < sizeof range_marks / sizeof *range_marks; i++) {
        size_t k = strlen(range_marks[i]);
        if (p >= k && memcmp(text + p - k, range_marks[i], k) == 0)
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

static int ref_from_title(const char *title, size_t n)
{
    int depth = 0;
    for (size_t p = 0; p < n;) {
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


/* Dates here passed valid_date(): 1990..2100, 1..12, 1..31. */
static void put_date(char out[11], int y, int m, int d)
{
    unsigned v[3] = { (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u };
    snprintf(out, 11, "%04u-%02u-%02u", v[0], v[1], v[2]);
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

static int ref_published(const char *text, size_t len, char out[11])
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
     * wrapped at a page width) the first and last 30 lines stand in. */
    long first_para = -1, last_para = -1;
    size_t nonempty = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t idx = 0;
        for (size_t b = 0; b < len;) {
            const char *nl = memchr(text + b, '\n', len - b);
            size_t e = nl ? (size_t)(nl - text) : len, next = nl ? e + 1 : len;
            size_t tb = b, te = e;
            trim(text, &tb, &te);
            b = next;
            if (te == tb)
                continue;
            if (pass == 0 && te - tb > PARA_MIN) {
                if (first_para < 0)
                    first_para = (long)idx;
                last_para = (long)idx;
            }
            int y, m, d;
            if (pass == 1 && fz_year_parse_date(text + tb, te - tb, &y, &m, &d) == te - tb) {
                int head = first_para >= 0 ? (long)idx < first_para : idx < 30;
                int tail = last_para >= 0 ? (long)idx > last_para : idx + 30 >= nonempty;
                if (head && !head_found) {
                    head_found = 1;
                    hy = y, hm = m, hd = d;
                } else if (tail && !head) {
                    tail_found = 1;
                    ty = y, tm = m, td = d;
                }
            }
            idx++;
        }
        nonempty = idx;
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

/* Words after "2023年" that make it a plan or a deadline, not the period
 * reported on. */
static int plan_after(const char *s, size_t n)
{
    static const char *const w[] = { "底", "年底", "前", "以前", "起", "开始", "计划", "工作计划",
                                     "工作设想", "工作思路", "工作打算", "工作安排", "重点工作",
                                     "设想", "打算", "将", "要", "以来", "来", "初", "上半年" };
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (starts(s, n, w[i]))
            return 1;
    return 0;
}

static int report_after(const char *s, size_t n)
{
    static const char *const w[] = { "法治政府建设", "依法行政", "法治建设", "工作报告",
                                     "年度报告", "工作情况", "工作总结", "法治政府" };
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (starts(s, n, w[i]))
            return 1;
    return 0;
}

/* Is p at the start of its line, after blanks and an enumerator (一、 (一) 1. 1、)? */
static int at_line_start(const char *text, size_t p)
{
    size_t q = p;
    while (q > 0 && text[q - 1] != '\n')
        q--;
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
 * byte of 《 and 》), or len; marks holds the same bytes. */
static size_t next_mark(const char *text, size_t p, size_t len, const unsigned char *marks)
{
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), e3 = _mm_set1_epi8((char)0xE3);
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    for (; p + 16 <= len; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + p));
        __m128i d = _mm_sub_epi8(v, zero); /* a digit: 0..9, unsigned */
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, e3));
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

static int ref_from_body(const char *text, size_t len, int max_year)
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
        /* 现将2022年度…, 现就我镇2022年… */
        static const char *const intro[] = { "现将", "现就", "现把", "现对", "特将" };
        for (size_t i = 0; w > 0 && i < sizeof intro / sizeof *intro; i++) {
            size_t back = p > 12 ? 12 : p;
            const char *win = text + p - back;
            for (size_t k = 0; k + strlen(intro[i]) <= back; k++)
                if (memcmp(win + k, intro[i], strlen(intro[i])) == 0)
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


/* ---- inputs ---- */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(uint32_t n)
{
    uint64_t r = check_xorshift(&rng);
    return n ? (uint32_t)((r >> 11) % n) : 0;
}

static const char *pick(const char *const *list, size_t n)
{
    return list[rnd((uint32_t)n)];
}
#define PICK(list) pick(list, sizeof list / sizeof *list)

static const char *const cn[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "零", "○" };

static void add_year(fz_buf *b)
{
    int y = 1985 + (int)rnd(50);
    if (rnd(4) == 0) {
        static const char *const zeros[] = { "〇", "零", "○" };
        char d[16];
        snprintf(d, sizeof d, "%d", y);
        for (int i = 0; i < 4; i++)
            fz_buf_adds(b, d[i] == '0' ? PICK(zeros) : cn[d[i] - '0']);
    } else {
        fz_buf_printf(b, "%d", y);
    }
}

static void add_small(fz_buf *b, int max)
{
    int v = 1 + (int)rnd((uint32_t)max + 2); /* sometimes out of range */
    if (rnd(4) == 0) {
        if (v >= 10) {
            if (v >= 20)
                fz_buf_adds(b, cn[v / 10]);
            fz_buf_adds(b, "十");
            if (v % 10)
                fz_buf_adds(b, cn[v % 10]);
        } else {
            fz_buf_adds(b, cn[v]);
        }
    } else {
        fz_buf_printf(b, rnd(2) ? "%d" : "%02d", v);
    }
}

static void add_date(fz_buf *b)
{
    static const char *const seps[] = { "-", "/", ".", "年" };
    const char *sep = PICK(seps);
    add_year(b);
    fz_buf_adds(b, sep);
    add_small(b, 12);
    fz_buf_adds(b, strcmp(sep, "年") == 0 ? "月" : sep);
    add_small(b, 31);
    if (strcmp(sep, "年") == 0)
        fz_buf_adds(b, rnd(5) ? "日" : "号");
}

static int with_labels; /* the text may have labelled dates */

static void add_line(fz_buf *b)
{
    static const char *const blanks[] = { "", "", "  ", "　　", "\t", " \xC2\xA0" };
    static const char *const labels[] = { "发布时间", "发布日期", "公开日期", "发文日期",
                                          "印发日期", "成文日期", "日期", "时间", "会议时间" };
    static const char *const words[] = {
        "法治政府建设", "年度报告", "工作计划", "底前", "《", "》", "—", "至", "年", "度",
        "现将", "我镇", "，", "。", "依法行政", "1", "22", "十", "现就", "现把", "现对", "特将",
        "现", "以来", "上半年", "工作设想", "工作总结", "法治建设", "初", "起", "重点工作", "要",
        "-", "–", "~", "～", "到",
    };
    fz_buf_adds(b, PICK(blanks));
    switch (rnd(6)) {
    case 0:
        add_date(b);
        if (rnd(6) == 0)
            fz_buf_adds(b, rnd(2) ? "日" : "x");
        break;
    case 1:
        if (!with_labels) {
            add_date(b);
            break;
        }
        fz_buf_adds(b, PICK(labels));
        fz_buf_adds(b, rnd(3) ? ":" : rnd(2) ? "：" : " ");
        add_date(b);
        fz_buf_adds(b, " 10:33:50");
        break;
    case 2: { /* a paragraph, long or not */
        size_t n = rnd(3) ? 10 + rnd(50) : 2 + rnd(8);
        for (size_t i = 0; i < n; i++) {
            if (rnd(5) == 0)
                add_year(b);
            fz_buf_adds(b, PICK(words));
        }
        break;
    }
    default:
        for (size_t i = rnd(6); i > 0; i--)
            fz_buf_adds(b, PICK(words));
        if (rnd(2))
            add_year(b);
    }
    fz_buf_adds(b, PICK(blanks));
    fz_buf_adds(b, rnd(10) ? "\n" : "\n\n");
}

static void gen_title(fz_buf *b)
{
    static const char *const words[] = { "连州市", "大路边镇", "《", "》", "—", "-", "至", "到", "～", "年",
                                         "年度", "法治政府建设", "报告", "实施纲要", "工作", "度",
                                         "2", "0", "a", "二" };
    fz_buf_reset(b);
    for (size_t i = rnd(12); i > 0; i--) {
        if (rnd(3) == 0)
            add_year(b);
        fz_buf_adds(b, PICK(words));
    }
}

typedef struct tally {
    size_t n, bad, found;
} tally;

static void compare_published(const char *t, size_t n, const char *what, tally *ty)
{
    char a[11] = "", b[11] = "";
    int ra = fz_year_published(t, n, a), rb = ref_published(t, n, b);
    ty->n++;
    ty->found += ra != 0;
    if (ra != rb || strcmp(a, b) != 0) {
        if (ty->bad++ < 5)
            fprintf(stderr, "published differs (%s): %d '%s' vs %d '%s'\n%.*s\n", what, ra, a, rb,
                    b, (int)(n < 3000 ? n : 3000), t);
    }
}

static void compare_body(const char *t, size_t n, int max_year, const char *what, tally *ty)
{
    int a = fz_year_from_body(t, n, max_year), b = ref_from_body(t, n, max_year);
    ty->n++;
    ty->found += a != 0;
    if (a != b && ty->bad++ < 5)
        fprintf(stderr, "body year differs (%s, max %d): %d vs %d\n%.*s\n", what, max_year, a, b,
                (int)(n < 3000 ? n : 3000), t);
}

static void compare_title(const char *t, size_t n, tally *ty)
{
    int a = fz_year_from_title(t, n), b = ref_from_title(t, n);
    ty->n++;
    ty->found += a != 0;
    if (a != b && ty->bad++ < 5)
        fprintf(stderr, "title year differs: %d vs %d: %.*s\n", a, b, (int)n, t);
}

/* Every file of dir, whole and line by line (each line as a title). */
static void each_file(const char *dir, tally *pub, tally *tit, tally *bod)
{
    DIR *d = opendir(dir);
    CHECK_MSG(d != NULL, dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *fp = fz_xasprintf("%s/%s", dir, de->d_name);
        size_t n = 0;
        char *t = check_slurp(fp, &n);
        if (t) {
            compare_published(t, n, fp, pub);
            compare_body(t, n, 0, fp, bod);
            compare_body(t, n, 2018, fp, bod);
            for (size_t b = 0; b < n;) {
                const char *nl = memchr(t + b, '\n', n - b);
                size_t e = nl ? (size_t)(nl - t) : n;
                compare_title(t + b, e - b, tit);
                b = e + 1;
            }
            free(t);
        }
        free(fp);
    }
    closedir(d);
}

int main(void)
{
    tally pub = { 0 }, tit = { 0 }, bod = { 0 };
    char *dir = check_shared("seeds");
    each_file(dir, &pub, &tit, &bod);
    free(dir);
    dir = check_source("datasets/sample");
    each_file(dir, &pub, &tit, &bod);
    free(dir);

    fz_buf b;
    fz_buf_init(&b);
    for (int i = 0; i < 6000; i++) {
        fz_buf_reset(&b);
        with_labels = rnd(3) == 0;
        size_t lines = rnd(4) == 0 ? rnd(8) : rnd(90);
        for (size_t k = 0; k < lines; k++)
            add_line(&b);
        char what[32];
        snprintf(what, sizeof what, "generated %d", i);
        compare_published(b.data, b.len, what, &pub);
        /* and its head and tail alone, as the resolver passes them */
        compare_published(b.data, b.len / 2, what, &pub);
        compare_published(b.data + b.len / 2, b.len - b.len / 2, what, &pub);
        compare_body(b.data, b.len, 0, what, &bod);
        compare_body(b.data, b.len, 2000 + (int)rnd(30), what, &bod);
    }
    /* a label and a short date at every offset from a block boundary, the
     * text ending right after it */
    static const char *const ends[] = { "日期:2023-1-9", "时间：2019/2/3", "发布时间2023.1.2",
                                        "成文日期 2020年1月2日", "日期:2023-1-9\n" };
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
        for (size_t pad = 0; pad < 40; pad++) {
            fz_buf_reset(&b);
            for (size_t i = 0; i < pad; i++)
                fz_buf_adds(&b, i % 7 == 6 ? "\n" : "x");
            fz_buf_adds(&b, ends[k]);
            compare_published(b.data, b.len, ends[k], &pub);
        }
    for (int i = 0; i < 20000; i++) {
        gen_title(&b);
        compare_title(b.data, b.len, &tit);
    }
    fz_buf_release(&b);

    fprintf(stderr, "published: %zu texts, %zu with a date, %zu differ\n", pub.n, pub.found, pub.bad);
    fprintf(stderr, "title years: %zu titles, %zu with a year, %zu differ\n", tit.n, tit.found,
            tit.bad);
    fprintf(stderr, "body years: %zu texts, %zu with a year, %zu differ\n", bod.n, bod.found,
            bod.bad);
    CHECK(pub.bad == 0 && pub.found > pub.n / 4 && pub.found < pub.n);
    CHECK(tit.bad == 0 && tit.found > tit.n / 20 && tit.found < tit.n);
    CHECK(bod.bad == 0 && bod.found > bod.n / 10 && bod.found < bod.n);
    return check_done();
}
