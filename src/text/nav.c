/* nav.c: recognises site furniture lines in saved web pages (see
 * fz_text_is_furniture in text.h).
 *
 * The rules, in order, each quoting what it is for:
 *   - breadcrumbs: "当前位置:首页 > 新闻中心 > 重要公示", "您现在的位置:..." are
 *     dropped whatever follows, unless the line reads as a sentence (。);
 *   - a line longer than 40 characters, or one with sentence punctuation
 *     (。,;!?), is body text and kept (real furniture lines are short);
 *   - a line of furniture words and separators only: "头部", "footer底部",
 *     "字号:", "• 扫一扫在手机打开当前页", "微博、微信", "【打印】【关闭】";
 *   - short footers: "版权所有:曲江区人民政府", "粤ICP备05008785号", "技术支持:...";
 *   - short link-list lines: "全国各省市政府网站", "滨海新区政府系统网站", "重点链接".
 * The 来源/发布时间 line is not furniture: later stages read the date from it. */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define BODY_CHARS 40 /* longer lines are body text */

typedef struct fz_word {
    const char *s;
    size_t n; /* bytes */
} fz_word;
#define W(x) { x, sizeof(x) - 1 }
#define NWORDS(a) (sizeof a / sizeof *a)

static const fz_word words[] = {
    W("头部"), W("底部"), W("页头"), W("页脚"), W("页眉"), W("顶部"), W("footer"), W("header"),
    W("top"), W("字号"), W("字体"), W("字体大小"), W("大"), W("中"), W("小"), W("默认"),
    W("A+"), W("A-"), W("打印"), W("打印本页"), W("打印此页"), W("打印文章"), W("打印正文"),
    W("关闭"), W("关闭窗口"), W("关闭本页"), W("关闭此页"), W("返回"), W("返回上一级"),
    W("返回上一页"), W("返回顶部"), W("返回首页"), W("返回列表"), W("回到顶部"),
    W("扫一扫在手机打开当前页"), W("扫一扫"), W("在手机打开当前页"), W("手机扫一扫"),
    W("手机版"), W("用手机看"), W("微博"), W("微信"), W("微博微信"), W("新浪微博"),
    W("腾讯微博"), W("QQ空间"), W("分享到"), W("分享"), W("收藏"), W("收藏本页"), W("加入收藏"),
    W("设为首页"), W("上一篇"), W("下一篇"), W("首页"), W("网站地图"), W("联系我们"),
    W("重点链接"), W("友情链接"), W("相关链接"), W("全国各省市政府网站"), W("无障碍"),
    W("无障碍浏览"), W("长者模式"), W("繁体"), W("简体"), W("繁體"), W("搜索"), W("登录"),
    W("注册"), W("浏览次数"), W("阅读次数"), W("点击数"), W("保护视力色"), W("纠错"),
    W("我要纠错"), W("政务服务"), W("English"), W("RSS"),
};

static const fz_word crumbs[] = {
    W("当前位置"), W("您现在的位置"), W("您当前的位置"), W("您的位置"), W("您所在的位置"),
    W("所在位置"), W("现在位置"), W("当前的位置"), W("您现在所在的位置"),
};

static const fz_word footers[] = {
    W("版权所有"), W("主办单位"), W("承办单位"), W("ICP备"), W("ICP证"), W("公网安备"),
    W("技术支持"), W("网站标识码"), W("Copyright"), W("copyright"), W("\xC2\xA9"),
    W("维护单位"), W("建议使用"),
};

/* Tails of link-list lines; a bare "网站" would also end headings such as
 * "二、规范政府网站", which have 、 and are kept by the punctuation rule anyway. */
static const fz_word link_tails[] = {
    W("政府网站"), W("系统网站"), W("网站群"), W("网站"), W("链接"),
};

/* The first byte of a separator: 1 for the ASCII ones, 2 for the lead
 * bytes of the others (separator() decodes those), 0 for any other byte. */
static const unsigned char sep_first[256] = {
    [' '] = 1, [':'] = 1, ['|'] = 1, ['-'] = 1, ['/'] = 1, ['<'] = 1, ['>'] = 1, ['['] = 1,
    [']'] = 1, ['('] = 1, [')'] = 1, ['.'] = 1, ['*'] = 1, ['_'] = 1, ['='] = 1, ['+'] = 1,
    ['~'] = 1, ['#'] = 1, [0xC2] = 2, [0xE2] = 2, [0xE3] = 2, [0xE4] = 2,
};

/* Length of the separator between furniture words at s, or 0 (after NFKC,
 * so full-width forms are ASCII already). */
static inline size_t separator(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    if (sep_first[c] < 2)
        return sep_first[c];
    uint32_t cp;
    size_t k;
    if (c == 0xC2 && n >= 2) {
        cp = (c & 0x1F) << 6 | (u[1] & 0x3F);
        k = 2;
    } else if (c >= 0xE0 && n >= 3) {
        cp = (c & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        k = 3;
    } else
        return 0;
    switch (cp) {
    case 0x00B7: /* · */
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x2022: /* • */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
    case 0x2192: /* → */
    case 0x2502: /* │ */
    case 0x25A0: /* ■ */
    case 0x25A1: /* □ */
    case 0x25AA: /* ▪ */
    case 0x25C6: /* ◆ */
    case 0x25CF: /* ● */
    case 0x3001: /* 、 */
    case 0x3010: /* 【 */
    case 0x3011: /* 】 */
    case 0x3014: /* 〔 */
    case 0x3015: /* 〕 */
    case 0x4E28: /* 丨 */
        return k;
    default:
        return 0;
    }
}

static int ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* The words that may start at a position by its first two bytes: bit w of
 * word_at[j][b] for each word whose byte j is b, either case of an ASCII
 * letter (every word has two bytes or more). */
_Static_assert(NWORDS(words) <= 128, "two 64-bit masks per byte");
static uint64_t word_at[2][256][2];
static pthread_once_t word_once = PTHREAD_ONCE_INIT;

static void build_word_at(void)
{
    for (size_t w = 0; w < NWORDS(words); w++)
        for (size_t j = 0; j < 2; j++) {
            unsigned char c = (unsigned char)words[w].s[j];
            word_at[j][c][w / 64] |= (uint64_t)1 << (w % 64);
            if (c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 32);
            else if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            word_at[j][c][w / 64] |= (uint64_t)1 << (w % 64);
        }
}

/* 1 if the line is nothing but furniture words and separators. Each
 * position is compared only with the words that start with its two bytes. */
static int only_words(const char *s, size_t n)
{
    pthread_once(&word_once, build_word_at);
    size_t i = 0, matched = 0;
    while (i < n) {
        size_t k = separator(s + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        if (i + 1 >= n)
            return 0; /* one byte left: no word is that short */
        size_t best = 0;
        unsigned char c0 = (unsigned char)s[i], c1 = (unsigned char)s[i + 1];
        for (int h = 0; h < 2; h++) {
            for (uint64_t m = word_at[0][c0][h] & word_at[1][c1][h]; m; m &= m - 1) {
                size_t w = (size_t)h * 64 + (size_t)__builtin_ctzll(m);
                size_t len = words[w].n;
                if (len <= best || len > n - i)
                    continue;
                /* CJK words share lead bytes: compare the first character exactly */
                if (c0 >= 0x80 && words[w].s[2] != s[i + 2])
                    continue;
                if (ascii_ieq(s + i, words[w].s, len))
                    best = len;
            }
        }
        if (!best)
            return 0;
        i += best;
        matched++;
    }
    return matched > 0;
}

size_t fz_text_nchars(const char *s, size_t n)
{
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* bit 7 set and bit 6 clear in a byte; the shift brings each byte's
         * own bit 6 under its bit 7. The multiply adds the eight 0/1 bytes
         * into the top byte (no popcount instruction in the baseline ISA). */
        uint64_t m = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
        cont += (size_t)((m * 0x0101010101010101ULL) >> 56);
    }
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n - cont;
}

static int contains(const char *s, size_t n, const char *w)
{
    return memmem(s, n, w, strlen(w)) != NULL;
}

/* 1 if one of the footers occurs in s: one pass, each position compared
 * only with the footers that start with its byte and the next. */
static uint16_t footer_first[256]; /* footers starting with each byte, one bit each */
static uint16_t footer_second[256]; /* footers whose second byte it is */
static pthread_once_t footer_once = PTHREAD_ONCE_INIT;
_Static_assert(NWORDS(footers) <= 16, "one bit per footer");

static void build_footer_first(void)
{
    for (size_t f = 0; f < NWORDS(footers); f++) {
        footer_first[(unsigned char)footers[f].s[0]] |= (uint16_t)(1u << f);
        footer_second[(unsigned char)footers[f].s[1]] |= (uint16_t)(1u << f);
    }
}

/* Bytes of the UTF-8 character by its lead byte's high nibble (1 for a
 * continuation byte, which valid UTF-8 never has there). */
static const unsigned char utf8_len[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4 };

static int any_footer(const char *s, size_t n)
{
    pthread_once(&footer_once, build_footer_first);
    /* every footer has two bytes or more: none starts at the last byte;
     * each starts with a whole character, so a character's continuation
     * bytes are passed over (valid UTF-8) */
    for (size_t i = 0; i + 1 < n; i += utf8_len[(unsigned char)s[i] >> 4]) {
        unsigned m = footer_first[(unsigned char)s[i]] & footer_second[(unsigned char)s[i + 1]];
        while (m) {
            size_t f = (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (footers[f].n <= n - i && memcmp(s + i, footers[f].s, footers[f].n) == 0)
                return 1;
        }
    }
    return 0;
}

/* 。 or ASCII , ; ! ? (NFKC has mapped the full-width forms). Not 、 and
 * not ':', which also separate furniture words ("微博、微信", "字号:"). */
static int sentence_punct(const char *s, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time: the ASCII marks, or E3 starting 。 */
    const __m128i comma = _mm_set1_epi8(','), semi = _mm_set1_epi8(';');
    const __m128i bang = _mm_set1_epi8('!'), ask = _mm_set1_epi8('?');
    const __m128i e3 = _mm_set1_epi8((char)0xE3);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, semi));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, bang), _mm_cmpeq_epi8(v, ask)));
        unsigned ascii = (unsigned)_mm_movemask_epi8(m);
        if (ascii)
            return 1;
        for (unsigned b = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, e3)); b; b &= b - 1) {
            size_t k = i + (size_t)__builtin_ctz(b);
            if (k + 2 < n && (unsigned char)s[k + 1] == 0x80 && (unsigned char)s[k + 2] == 0x82)
                return 1;
        }
    }
#endif
    for (; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == ';' || c == '!' || c == '?')
            return 1;
        if ((unsigned char)c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x82)
            return 1;
    }
    return 0;
}

/* Every breadcrumb label starts with one of 当 您 所 现 (E5 BD 93, E6 82 A8,
 * E6 89 80, E7 8E B0): their three bytes as one number. */
static int crumb_start(const char *s, size_t n)
{
    if (n < 6)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
    return c == 0xE5BD93 || c == 0xE682A8 || c == 0xE68980 || c == 0xE78EB0;
}

/* Headings start with an enumerator: "(三)", "3.", "三、". */
static int heading(const char *s, size_t n)
{
    static const char *const num[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
    if (strchr("(0123456789", s[0]))
        return 1;
    for (size_t i = 0; i < sizeof num / sizeof *num; i++)
        if (n >= 3 && memcmp(s, num[i], 3) == 0)
            return 1;
    return 0;
}

int fz_text_is_furniture(const char *s, size_t n)
{
    size_t lead = 0, k;
    while (lead < n && (k = separator(s + lead, n - lead)) != 0)
        lead += k;
    const char *b = s + lead;
    size_t bn = n - lead;
    if (bn == 0)
        return 1; /* bullets or rules only: "• ·", "-----" */

    if (crumb_start(b, bn))
        for (size_t i = 0; i < NWORDS(crumbs); i++)
            if (crumbs[i].n <= bn && memcmp(b, crumbs[i].s, crumbs[i].n) == 0 &&
                !contains(b, bn, "。"))
                return 1;
    /* a character has at most 4 bytes: longer lines need no counting; nor
     * do lines of at most BODY_CHARS bytes, until the 20 below */
    if (bn > 4 * BODY_CHARS)
        return 0;
    /* most short lines are headings: "(一)...。"; either test keeps a line,
     * and this one costs less than counting */
    if (sentence_punct(b, bn))
        return 0;
    size_t chars = bn; /* bytes, at least the characters, until counted */
    int counted = 0;
    if (bn > BODY_CHARS) {
        chars = fz_text_nchars(b, bn);
        counted = 1;
        if (chars > BODY_CHARS)
            return 0;
    }
    if (only_words(b, bn))
        return 1;
    if (any_footer(b, bn))
        return 1;
    if (chars > 20 && !counted)
        chars = fz_text_nchars(b, bn);
    if (chars <= 20 && !heading(b, bn)) {
        for (size_t i = 0; i < NWORDS(link_tails); i++) {
            size_t len = link_tails[i].n;
            if (len <= bn && memcmp(b + bn - len, link_tails[i].s, len) == 0)
                return 1;
        }
    }
    return 0;
}
