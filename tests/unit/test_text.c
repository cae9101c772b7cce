/* test_text.c: normalization, script detection, furniture lines and the
 * line map of src/text, driven directly (no file reading). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "check.h"
#include "text.h"

static int furn(const char *s)
{
    return fz_text_is_furniture(s, strlen(s));
}

static int line_is(const fz_text_result *r, size_t i, const char *w)
{
    if (i >= r->nlines)
        return 0;
    const char *l = r->text + r->line_off[i];
    size_t k = strlen(w);
    return strncmp(l, w, k) == 0 && l[k] == '\n';
}

static void test_furniture(void)
{
    static const char *const drop[] = {
        "头部", "footer底部", "字号:", "字号", "• 扫一扫在手机打开当前页", "微博微信", "关闭",
        "返回上一级", "打印", "当前位置:新城镇> 政务公开> 最新文件",
        "当前位置:首页 > 新闻中心 > 重要公示", "【打印】【关闭】", "字号:大 中 小",
        "[打印本页] [关闭窗口]", "全国各省市政府网站", "天津市各区政府网站", "滨海新区政府系统网站",
        "重点链接", "版权所有:韶关市曲江区人民政府", "粤ICP备05008785号", "-----", "• ·",
        "您现在的位置:首页 >> 政务公开", "分享到: 微信 微博 QQ空间", "上一篇 下一篇", "返回顶部",
        "Copyright 2019 曲江区人民政府", "技术支持:某某网络科技有限公司", "微博、微信",
    };
    static const char *const keep[] = {
        "来源:大路边镇人民政府 发布时间:2023-01-19 10:33:50 字体大小: 浏览次数:-",
        "发布日期: 2016-03-31 09:48      来源: 新城镇", "2024年重固镇法治政府建设报告", "主动公开",
        "2025.03.19", "2024年11月", "(三)加强政府网站", "二、规范政府网站", "一、2019年工作情况",
        "六盘水市钟山区人民政府荷城街道办事处", "全年共打印宣传资料3000份,关闭违法企业2家。",
        "关闭企业3家", "大会", "小组学习", "上海市青浦区重固镇人民政府", "(一)依法全面履行政府职能,完善各项制度",
        "全区人民调解组织累计调处各类民事纠纷1338宗,调解成功率达99%,有效防止了社会矛盾激化。",
    };
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        CHECK_MSG(furn(drop[i]), drop[i]);
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        CHECK_MSG(!furn(keep[i]), keep[i]);
}

/* Lines of furniture words, near misses and separators against a plain
 * longest-match reading of them over the whole word list. */
static const char *const furn_words[] = {
    "头部", "底部", "页头", "页脚", "页眉", "顶部", "footer", "header", "top", "字号", "字体",
    "字体大小", "大", "中", "小", "默认", "A+", "A-", "打印", "打印本页", "打印此页", "打印文章",
    "打印正文", "关闭", "关闭窗口", "关闭本页", "关闭此页", "返回", "返回上一级", "返回上一页",
    "返回顶部", "返回首页", "返回列表", "回到顶部", "扫一扫在手机打开当前页", "扫一扫",
    "在手机打开当前页", "手机扫一扫", "手机版", "用手机看", "微博", "微信", "微博微信", "新浪微博",
    "腾讯微博", "QQ空间", "分享到", "分享", "收藏", "收藏本页", "加入收藏", "设为首页", "上一篇",
    "下一篇", "首页", "网站地图", "联系我们", "重点链接", "友情链接", "相关链接",
    "全国各省市政府网站", "无障碍", "无障碍浏览", "长者模式", "繁体", "简体", "繁體", "搜索", "登录",
    "注册", "浏览次数", "阅读次数", "点击数", "保护视力色", "纠错", "我要纠错", "政务服务", "English",
    "RSS",
};

static int ref_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return 1;
}

static int ref_only_words(const char *s, size_t n, const char *const *seps, size_t nseps)
{
    size_t i = 0, matched = 0;
    while (i < n) {
        size_t best = 0;
        for (size_t k = 0; k < nseps; k++)
            if (strlen(seps[k]) <= n - i && memcmp(s + i, seps[k], strlen(seps[k])) == 0)
                best = strlen(seps[k]);
        if (best) {
            i += best;
            continue;
        }
        for (size_t w = 0; w < sizeof furn_words / sizeof *furn_words; w++) {
            size_t len = strlen(furn_words[w]);
            if (len > best && len <= n - i && ref_ieq(s + i, furn_words[w], len))
                best = len;
        }
        if (!best)
            return 0;
        i += best;
        matched++;
    }
    return matched > 0;
}

static void test_furniture_words(void)
{
    static const char *const seps[] = { " ", ":", "|", "-", "/", "[", "]", "·", "•", "、", "【",
                                        "】", "→", "丨" };
    static const char *const misses[] = { "打", "字", "微", "返", "QQ", "Eng", "foot", "TOP",
                                          "Top", "FOOTER", "rss", "english", "a+", "aB", "政务",
                                          "网站", "链接", "的", "x", ",", "。", "!", "?", ";",
                                          "「", "法治政府建设工作领导小组" };
    const size_t nw = sizeof furn_words / sizeof *furn_words;
    const size_t nm = sizeof misses / sizeof *misses, ns = sizeof seps / sizeof *seps;
    uint32_t x = 12345;
    int same = 1, yes = 0;
    for (int round = 0; round < 20000 && same; round++) {
        char line[512];
        size_t n = 0, tokens = 1 + (x >> 7) % 12;
        for (size_t t = 0; t < tokens; t++) {
            x = x * 1103515245u + 12345u;
            const char *tok;
            unsigned kind = (x >> 16) % 10;
            if (t > 0 && kind < 3)
                tok = seps[(x >> 20) % ns];
            else if (kind == 3)
                tok = misses[(x >> 20) % nm];
            else
                tok = furn_words[(x >> 20) % nw];
            size_t k = strlen(tok);
            memcpy(line + n, tok, k);
            n += k;
        }
        line[n] = '\0';
        size_t chars = 0;
        for (size_t i = 0; i < n; i++)
            chars += ((unsigned char)line[i] & 0xC0) != 0x80;
        int tail = 0;
        static const char *const tails[] = { "网站", "链接", "网站群" };
        for (size_t k = 0; k < 3; k++)
            tail |= n >= strlen(tails[k]) &&
                    memcmp(line + n - strlen(tails[k]), tails[k], strlen(tails[k])) == 0;
        int punct = strpbrk(line, ",;!?") != NULL || strstr(line, "。") != NULL;
        int want = chars <= 40 && !punct &&
                   (ref_only_words(line, n, seps, ns) || (chars <= 20 && tail));
        yes += want;
        if (fz_text_is_furniture(line, n) != want) {
            same = 0;
            fprintf(stderr, "furniture differs on '%s' (want %d)\n", line, want);
        }
    }
    CHECK_MSG(same && yes > 1000, "furniture words: the indexed match equals the plain one");
}

/* Footers found wherever they start among characters of one to four bytes
 * (the search passes over continuation bytes): random short lines of
 * characters that make no furniture word, with a footer at a random place
 * or none, against a plain search for each footer. */
static void test_footers(void)
{
    static const char *const footers[] = { "版权所有", "主办单位", "承办单位", "ICP备", "ICP证",
                                           "公网安备", "技术支持", "网站标识码", "Copyright",
                                           "copyright", "©", "维护单位", "建议使用" };
    static const char *const chars[] = { "的", "区", "é", "😀", "x", "2016", "Ω", "版权",
                                         "ICP", "C", "opy", "\xC2\xA8", "网站标识", "技术" };
    const size_t nf = sizeof footers / sizeof *footers, nc = sizeof chars / sizeof *chars;
    uint64_t x = 77;
    int same = 1, yes = 0;
    for (int round = 0; round < 20000 && same; round++) {
        char line[256];
        size_t n = 0, tokens = 1 + check_xorshift(&x) % 8; /* 40 characters at most */
        size_t at = check_xorshift(&x) % (tokens + 4); /* past the end: no footer */
        for (size_t t = 0; t < tokens; t++) {
            const char *tok = t == at ? footers[check_xorshift(&x) % nf]
                                      : chars[check_xorshift(&x) % nc];
            size_t k = strlen(tok);
            memcpy(line + n, tok, k);
            n += k;
        }
        line[n] = '\0';
        int want = 0;
        for (size_t f = 0; f < nf; f++)
            want |= strstr(line, footers[f]) != NULL;
        yes += want;
        if (fz_text_is_furniture(line, n) != want) {
            same = 0;
            fprintf(stderr, "footer differs on '%s' (want %d)\n", line, want);
        }
    }
    CHECK_MSG(same && yes > 5000, "footers are found after characters of every length");
}

static void test_script(void)
{
    size_t t, s;
    fz_text_count_script("這與會為國區發處辦務關時個們來對說經過", 57, &t, &s);
    CHECK(t == 19 && s == 0);
    const char *simp = "这与会为国区发处办务";
    fz_text_count_script(simp, strlen(simp), &t, &s);
    CHECK(t == 0 && s == 10);
    const char *neutral = "法治政府2022年8宗";
    fz_text_count_script(neutral, strlen(neutral), &t, &s);
    CHECK(t == 0 && s == 0);
}

static void test_process(fz_text *tx)
{
    fz_text_result r;
    fz_text_input in = { 0 };

    /* soft breaks split lines without advancing the source line */
    const char *soft = "甲\xE2\x80\xA8乙\r\n丙\f丁\n\n\n\n戊";
    in.s = soft;
    in.len = strlen(soft);
    CHECK(fz_text_process(tx, &in, &r) == 0);
    CHECK(r.nlines == 6 && line_is(&r, 0, "甲") && line_is(&r, 1, "乙") && line_is(&r, 2, "丙"));
    CHECK(line_is(&r, 3, "丁") && line_is(&r, 4, "") && line_is(&r, 5, "戊"));
    CHECK(r.line_src[0] == 1 && r.line_src[1] == 1 && r.line_src[2] == 2 && r.line_src[3] == 2);
    CHECK_MSG(r.line_src[4] == 3 && r.line_src[5] == 6, "a blank run maps to its first line");
    CHECK(r.len == strlen(r.text) && r.text[r.len - 1] == '\n');

    /* empty lines of every break: one blank line for the run, at its first line */
    const char *empty = "\r\n甲\r\r\n\r\n\n\r乙\r";
    in = (fz_text_input){ .s = empty, .len = strlen(empty) };
    CHECK(fz_text_process(tx, &in, &r) == 0);
    CHECK(r.nlines == 3 && line_is(&r, 0, "甲") && line_is(&r, 1, "") && line_is(&r, 2, "乙"));
    CHECK_MSG(r.line_src[0] == 2 && r.line_src[1] == 3 && r.line_src[2] == 7,
              "empty lines after LF, CR and CRLF count as source lines");

    /* compatibility forms (slow path) */
    const char *compat = "面积120㎡,第①项,Ｗｏｒｄ文档,cafe\xCC\x81,\xEF\xBD\xB1\n";
    in = (fz_text_input){ .s = compat, .len = strlen(compat) };
    CHECK(fz_text_process(tx, &in, &r) == 0);
    CHECK_MSG(line_is(&r, 0, "面积120m2,第1项,Word文档,caf\xC3\xA9,\xE3\x82\xA2"),
              "NFKC: ㎡ ① full-width letters, combining accent, half-width katakana");

    /* caller-supplied source lines (HTML) and pages (PDF) */
    const char *paged = "第一页正文\n\n第二页正文\n第二页续\n";
    const uint32_t src[] = { 10, 12, 20, 21 };
    const uint32_t pages[] = { 0, 17 };
    in = (fz_text_input){ .s = paged, .len = strlen(paged), .src = src, .nsrc = 4,
                          .page_off = pages, .npages = 2 };
    CHECK(fz_text_process(tx, &in, &r) == 0);
    CHECK(r.nlines == 4 && line_is(&r, 2, "第二页正文"));
    CHECK(r.line_src[0] == 10 && r.line_src[1] == 12 && r.line_src[2] == 20 && r.line_src[3] == 21);
    CHECK(r.line_page[0] == 1 && r.line_page[1] == 1 && r.line_page[2] == 2 && r.line_page[3] == 2);

    /* nothing but furniture, and nothing at all */
    const char *nav = "头部\n\n字号:\n关闭\n";
    in = (fz_text_input){ .s = nav, .len = strlen(nav) };
    CHECK(fz_text_process(tx, &in, &r) == 0 && r.nlines == 0 && r.len == 0 && r.furniture == 3);
    in = (fz_text_input){ .s = "", .len = 0 };
    CHECK(fz_text_process(tx, &in, &r) == 0 && r.nlines == 0 && r.text[0] == '\0');

    /* traditional: converted once, counted; simplified: never */
    size_t before = fz_text_transliterated(tx);
    const char *trad = "這是區政府辦公室發佈的報告,受理行政復議案件11宗。\n";
    in = (fz_text_input){ .s = trad, .len = strlen(trad) };
    CHECK(fz_text_process(tx, &in, &r) == 0 && r.traditional == 1);
    CHECK(line_is(&r, 0, "这是区政府办公室发布的报告,受理行政复议案件11宗。"));
    CHECK(fz_text_transliterated(tx) == before + 1);
    const char *simp = "这是区政府办公室发布的报告,受理行政复议案件11宗。\n";
    in = (fz_text_input){ .s = simp, .len = strlen(simp) };
    CHECK(fz_text_process(tx, &in, &r) == 0 && r.traditional == 0);
    CHECK(fz_text_transliterated(tx) == before + 1);

    /* the decision on random mixes of traditional-only characters and
     * simplified counterparts, in lines of the fast and the slow path:
     * converted exactly when there are two or more traditional ones and
     * more than twice as many as simplified ones, as counted on the input */
    static const char *const parts[] = { "這", "與", "會", "国", "区", "发", "法治", "2022年",
                                         "\n", "\r\n", "\xE2\x80\xA8", ",", "㎡", "e\xCC\x81",
                                         "Ａ", "亞", "盡", "尽", " " };
    uint32_t x = 4242;
    int agree = 1, converted = 0, kept = 0;
    for (int round = 0; round < 3000 && agree; round++) {
        char doc[800];
        size_t n = 0;
        x = x * 1103515245u + 12345u;
        size_t np = 1 + (x >> 8) % 40;
        for (size_t k = 0; k < np; k++) {
            x = x * 1103515245u + 12345u;
            const char *w = parts[(x >> 12) % (sizeof parts / sizeof *parts)];
            memcpy(doc + n, w, strlen(w));
            n += strlen(w);
        }
        size_t tr, sm;
        fz_text_count_script(doc, n, &tr, &sm);
        int want = tr >= 2 && tr > sm * 2;
        in = (fz_text_input){ .s = doc, .len = n };
        if (fz_text_process(tx, &in, &r) != 0 || r.traditional != want) {
            agree = 0;
            fprintf(stderr, "script decision differs on '%.*s'\n", (int)n, doc);
        }
        converted += want;
        kept += !want;
    }
    CHECK_MSG(agree && converted > 100 && kept > 100,
              "documents are converted by the counts of the whole input");
}


/* ---- the generated tables against ICU ------------------------------- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static UTransliterator *open_trans(const char *id)
{
    UChar uid[64];
    u_uastrcpy(uid, id);
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    return U_SUCCESS(st) ? t : NULL;
}

/* UTF-8 [s, s+n) through ICU: NFKC if nfkc, then the transliterator tr if
 * not NULL; appended to out. 0 if s is not valid UTF-8. */
static int icu_line(const char *s, size_t n, int nfkc, UTransliterator *tr, sbuf *out)
{
    size_t cap = n * 4 + 64;
    UChar *u = malloc(cap * sizeof *u), *v = malloc(cap * sizeof *v);
    int32_t len = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, (int32_t)cap, &len, s, (int32_t)n, &st);
    if (nfkc) {
        const UNormalizer2 *nf = unorm2_getNFKCInstance(&st);
        len = unorm2_normalize(nf, u, len, v, (int32_t)cap, &st);
        UChar *w = u;
        u = v;
        v = w;
    }
    if (tr) {
        int32_t limit = len;
        utrans_transUChars(tr, u, &len, (int32_t)cap, 0, &limit, &st);
    }
    char *o = malloc(cap * 3);
    int32_t olen = 0;
    u_strToUTF8(o, (int32_t)cap * 3, &olen, u, len, &st);
    if (U_SUCCESS(st))
        sb_add(out, o, (size_t)olen);
    free(o);
    free(u);
    free(v);
    return U_SUCCESS(st);
}

/* Reference for one line: NFKC, controls and invisible characters
 * dropped, tab as space, spaces trimmed (what text.h promises). */
static void ref_line(const char *s, size_t n, sbuf *out)
{
    sbuf a = { 0 };
    icu_line(s, n, 1, NULL, &a);
    size_t cap = a.n + 1;
    UChar *u = malloc(cap * sizeof *u), *w = malloc(cap * sizeof *w);
    int32_t len = 0, k = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, (int32_t)cap, &len, a.s ? a.s : "", (int32_t)a.n, &st);
    for (int32_t i = 0; i < len;) {
        int32_t start = i;
        UChar32 c;
        U16_NEXT(u, i, len, c);
        if (c == '\t')
            w[k++] = ' ';
        else if (u_charType(c) == U_CONTROL_CHAR || c == 0xAD ||
                 (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
                 (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF)
            continue;
        else
            while (start < i)
                w[k++] = u[start++];
    }
    int32_t b = 0, e = k;
    while (b < e && w[b] == ' ')
        b++;
    while (e > b && w[e - 1] == ' ')
        e--;
    char *o = malloc(cap * 3 + 4);
    int32_t olen = 0;
    u_strToUTF8(o, (int32_t)cap * 3 + 4, &olen, w + b, e - b, &st);
    sb_add(out, o, (size_t)olen);
    free(o);
    free(u);
    free(w);
    free(a.s);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void put_cp(sbuf *b, uint32_t c)
{
    char o[4];
    size_t n;
    if (c < 0x80) {
        o[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | c >> 18);
        o[1] = (char)(0x80 | (c >> 12 & 0x3F));
        o[2] = (char)(0x80 | (c >> 6 & 0x3F));
        o[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    sb_add(b, o, n);
}

/* NFKC on lines mixing characters with a fixed NFKC form (the mapped fast
 * path), characters that pass, and characters whose form depends on their
 * neighbours (combining marks after a mapped character, voiced sound marks
 * after half-width katakana, Hangul jamo): fz_text_process must give what
 * unorm2 gives, line by line. */
static void test_nfkc_vs_icu(fz_text *tx)
{
    static const uint32_t alpha[] = {
        'a', 'e', 'A', '1', ' ', ',', '\t', 0x01, 0x1F, 0x7F, 0xA0, 0xAD, 0xBD, 0xB2, 0x0301,
        0x0308, 0x0327, 0x0345, 0x0338, 0x2002, 0x200B, 0x2126, 0x212B, 0x2460, 0x2474,
        0x3000, 0x3001, 0x3002, 0x3099, 0x309A, 0x309B, 0x304B, 0x30AB, 0x3131, 0x1100,
        0x1161, 0x11A8, 0xAC00, 0x3392, 0x33A1, 0x4E00, 0x5B57, 0x9F8D, 0xF900, 0xF9D1,
        0xFA10, 0xFB01, 0xFDFA, 0xFE10, 0xFE30, 0xFE6A, 0xFF01, 0xFF05, 0xFF08, 0xFF09,
        0xFF0C, 0xFF10, 0xFF19, 0xFF21, 0xFF41, 0xFF5E, 0xFF61, 0xFF76, 0xFF9E, 0xFF9F,
        0xFFA1, 0xFFE5, 0x1D400, 0x2F800, 0x0E33, 0x0F77, 0x1E9B, 0x0323, 0x03D3, 0x2024,
        0x2025, 0x00A8, 0x02DC, 0x0385, 0x1FED, 0x3250, 0x32FF, 0x2153, 0x24EA, 0x1F1E6,
    };
    const size_t na = sizeof alpha / sizeof *alpha;
    /* ideographs that pass unchanged, for long runs of them (the fast
     * path takes two at a time) between the characters above */
    static const uint32_t han[] = { 0x4E00, 0x5B57, 0x9F8D, 0x6CD5, 0x6CBB, 0x6848, 0x4EF6,
                                    0x53D7, 0x7406, 0x8C03, 0x89E3, 0x7EA0, 0x7EB7, 0x3002 };
    const size_t nh = sizeof han / sizeof *han;
    int same = 1;
    for (int round = 0; round < 4500 && same; round++) {
        sbuf line = { 0 }, ref = { 0 };
        size_t len = round < 3000 ? 1 + rnd() % 10 : 1 + rnd() % 60;
        for (size_t i = 0; i < len; i++)
            put_cp(&line, round >= 3000 && rnd() % 4 ? han[rnd() % nh] : alpha[rnd() % na]);
        ref_line(line.s, line.n, &ref);
        /* a sentence around it keeps the line from looking like furniture;
         * every other line starts the document (leading spaces, tabs and
         * U+3000 before the other characters) */
        sbuf doc = { 0 }, want = { 0 };
        const char *pre = round % 2 ? "" : "全年办理案件8宗,";
        const char *post = round % 2 ? "全年办理案件8宗,。\n" : "。\n";
        sb_add(&doc, pre, strlen(pre));
        sb_add(&doc, line.s, line.n);
        sb_add(&doc, post, strlen(post));
        ref_line(doc.s, doc.n - 1, &want);
        sb_add(&want, "\n", 1);
        fz_text_input in = { .s = doc.s, .len = doc.n };
        fz_text_result r;
        if (fz_text_process(tx, &in, &r) != 0 || r.nlines != 1 || r.len != want.n ||
            memcmp(r.text, want.s, want.n) != 0) {
            same = 0;
            fprintf(stderr, "NFKC differs from ICU on: %s\n  got:  %.*s  want: %s", doc.s,
                    (int)r.len, r.text, want.s);
        }
        free(line.s);
        free(ref.s);
        free(doc.s);
        free(want.s);
    }
    CHECK_MSG(same, "NFKC fast paths give what unorm2 gives on tricky lines");

    /* the lines of the mapped path that trimming and soft breaks touch */
    const char *edge = "\xE3\x80\x80\xEF\xBC\x91\xEF\xBC\x92\xE3\x80\x80\t\n"
                       "\xEF\xBC\xA1\xCC\x81\xEF\xBD\xB6\xEF\xBE\x9E,\xEF\xBC\x85\n";
    fz_text_input in = { .s = edge, .len = strlen(edge) };
    fz_text_result r;
    CHECK(fz_text_process(tx, &in, &r) == 0);
    CHECK_MSG(r.nlines == 2 && line_is(&r, 0, "12") &&
                  line_is(&r, 1, "\xC3\x81\xE3\x82\xAC,%"),
              "U+3000 trimmed like a space; Ａ+U+0301 is Á; ｶﾞ is ガ");
}

/* Pass 2 against ICU's Traditional-Simplified on (1) real reports made
 * traditional with ICU's Simplified-Traditional and (2) random strings of
 * the characters ICU's rules mention, where multi-character rules overlap
 * and consume each other's first characters. */
static int trad_doc_matches(fz_text *tx, UTransliterator *ts, const char *doc, size_t n)
{
    sbuf want_in = { 0 };
    for (size_t a = 0; a < n;) {
        const char *nl = memchr(doc + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - doc) : n;
        icu_line(doc + a, b - a, 0, ts, &want_in);
        sb_add(&want_in, "\n", 1);
        a = b + 1;
    }
    fz_text_input in = { .s = doc, .len = n };
    fz_text_result r;
    int ok = fz_text_process(tx, &in, &r) == 0 && r.traditional == 1;
    char *got = ok ? malloc(r.len + 1) : NULL;
    size_t got_len = ok ? r.len : 0;
    if (got)
        memcpy(got, r.text, r.len);
    /* the ICU output, simplified already, through the same passes */
    in = (fz_text_input){ .s = want_in.s, .len = want_in.n };
    ok = ok && fz_text_process(tx, &in, &r) == 0 && r.traditional == 0 && r.len == got_len &&
         memcmp(r.text, got, got_len) == 0;
    free(got);
    free(want_in.s);
    return ok;
}

static void test_simplify_vs_icu(fz_text *tx)
{
    UTransliterator *ts = open_trans("Traditional-Simplified");
    UTransliterator *st = open_trans("Simplified-Traditional");
    CHECK_MSG(ts && st, "ICU has the transliterators");
    if (!ts || !st)
        return;

    /* (1) the seed reports and the bundled sample, made traditional */
    int docs = 0, same = 1;
    const char *dirs[] = { "seeds", "datasets/sample" };
    for (int d = 0; d < 2; d++) {
        char *dir = d == 0 ? check_shared(dirs[d]) : check_source(dirs[d]);
        DIR *dh = dir ? opendir(dir) : NULL;
        struct dirent *de;
        int taken = 0;
        while (dh && (de = readdir(dh)) && taken < 25) {
            size_t nl = strlen(de->d_name);
            if (nl < 4 || strcmp(de->d_name + nl - 4, ".txt") != 0)
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            size_t n;
            char *s = check_slurp(path, &n);
            if (!s)
                continue;
            sbuf trad = { 0 };
            int utf8 = 1;
            for (size_t a = 0; a < n && utf8;) {
                const char *e = memchr(s + a, '\n', n - a);
                size_t b = e ? (size_t)(e - s) : n;
                utf8 = icu_line(s + a, b - a, 1, st, &trad);
                sb_add(&trad, "\n", 1);
                a = b + 1;
            }
            if (!utf8) { /* GB18030 and UTF-16 files are other tests' business */
                free(trad.s);
                free(s);
                continue;
            }
            if (!trad_doc_matches(tx, ts, trad.s, trad.n)) {
                same = 0;
                fprintf(stderr, "Traditional-Simplified differs from ICU on %s\n", path);
            }
            docs++;
            taken++;
            free(trad.s);
            free(s);
        }
        if (dh)
            closedir(dh);
        free(dir);
    }
    CHECK_MSG(docs >= 5, "traditional test documents were built");
    CHECK_MSG(same, "Traditional-Simplified from the tables equals ICU on real reports");

    /* (2) random strings over the rules' characters */
    UErrorCode e = U_ZERO_ERROR;
    int32_t rn = utrans_toRules(ts, 0, NULL, 0, &e);
    e = U_ZERO_ERROR;
    UChar *rules = malloc(((size_t)rn + 1) * sizeof *rules);
    utrans_toRules(ts, 0, rules, rn + 1, &e);
    uint32_t *alpha = malloc(((size_t)rn + 1) * sizeof *alpha);
    size_t na = 0;
    static uint8_t seen[65536];
    for (int32_t i = 0; U_SUCCESS(e) && i < rn; i++)
        if (rules[i] >= 0x3400 && !U16_IS_SURROGATE(rules[i]) && !seen[rules[i]]) {
            seen[rules[i]] = 1;
            alpha[na++] = rules[i];
        }
    CHECK_MSG(na > 1000, "the rules' characters were collected");
    int rounds = 0;
    same = 1;
    for (int round = 0; round < 200 && na && same; round++) {
        sbuf doc = { 0 };
        /* a traditional-looking first line decides the document's script */
        sb_add(&doc, "這與會為國區發處辦務關時個們來對說經過機縣鎮\n",
               strlen("這與會為國區發處辦務關時個們來對說經過機縣鎮\n"));
        for (int l = 0; l < 20; l++) {
            sbuf line = { 0 }, norm = { 0 };
            size_t len = 2 + rnd() % 14;
            /* runs of neighbours in the rule text make overlapping matches */
            for (size_t i = 0; i < len; i++) {
                if (rnd() % 2) {
                    int32_t at = (int32_t)(rnd() % (uint32_t)rn), k = 0;
                    while (at < rn && k < 4) {
                        if (rules[at] >= 0x3400 && !U16_IS_SURROGATE(rules[at])) {
                            put_cp(&line, rules[at]);
                            k++;
                        } else if (k)
                            break;
                        at++;
                    }
                } else
                    put_cp(&line, alpha[rnd() % na]);
            }
            sb_add(&line, ",", 1); /* sentence punctuation: never furniture */
            icu_line(line.s, line.n, 1, NULL, &norm); /* NFKC first, like pass 1 */
            sb_add(&doc, norm.s, norm.n);
            sb_add(&doc, "\n", 1);
            free(line.s);
            free(norm.s);
        }
        size_t tr, sm;
        fz_text_count_script(doc.s, doc.n, &tr, &sm);
        while (!(tr >= 2 && tr > sm * 2)) {
            sb_add(&doc, "這與會為國區發處辦務\n", strlen("這與會為國區發處辦務\n"));
            fz_text_count_script(doc.s, doc.n, &tr, &sm);
        }
        if (!trad_doc_matches(tx, ts, doc.s, doc.n)) {
            same = 0;
            fprintf(stderr, "Traditional-Simplified differs from ICU on:\n%s", doc.s);
        }
        rounds++;
        free(doc.s);
    }
    CHECK_MSG(rounds == 200 && same,
              "Traditional-Simplified from the tables equals ICU on overlapping rules");
    free(alpha);
    free(rules);
    utrans_close(ts);
    utrans_close(st);
}

int main(void)
{
    fz_text *tx = fz_text_new();
    test_furniture();
    test_furniture_words();
    test_footers();
    test_script();
    test_process(tx);
    test_nfkc_vs_icu(tx);
    test_simplify_vs_icu(tx);
    fz_text_free(tx);
    fz_text_free(NULL);
    return check_done();
}
