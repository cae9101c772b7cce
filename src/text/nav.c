/* nav.c: recognises site furniture lines in saved web pages (see
 * fz_text_is_furniture in text.h).
 *
 * The rules, in order, each quoting what it is for:
 *   - breadcrumbs: "当前位置:首页 > 新闻中心 > 重要公示", "您现在的位置:..." are
 *     dropped whatever follows, unless the line reads as a sentence (。);
 *   - a line of furniture words and separators only: "头部", "footer底部",
 *     "字号:", "• 扫一扫在手机打开当前页", "微博微信", "【打印】【关闭】";
 *   - otherwise a line longer than 40 characters, or one with sentence
 *     punctuation (。,;!? 、), is body text and kept;
 *   - short footers: "版权所有:曲江区人民政府", "粤ICP备05008785号", "技术支持:...";
 *   - short link-list lines: "全国各省市政府网站", "滨海新区政府系统网站", "重点链接".
 * The 来源/发布时间 line is not furniture: later stages read the date from it. */
#include <stddef.h>
#include <string.h>

#include "text.h"

#define BODY_CHARS 40 /* longer lines are body text */

static const char *const words[] = {
    "头部", "底部", "页头", "页脚", "页眉", "顶部", "footer", "header", "top",
    "字号", "字体", "字体大小", "大", "中", "小", "默认", "A+", "A-",
    "打印", "打印本页", "打印此页", "打印文章", "打印正文", "关闭", "关闭窗口", "关闭本页", "关闭此页",
    "返回", "返回上一级", "返回上一页", "返回顶部", "返回首页", "返回列表", "回到顶部", "TOP",
    "扫一扫在手机打开当前页", "扫一扫", "在手机打开当前页", "手机扫一扫", "手机版", "用手机看",
    "微博", "微信", "微博微信", "新浪微博", "腾讯微博", "QQ空间", "分享到", "分享", "收藏",
    "收藏本页", "加入收藏", "设为首页", "上一篇", "下一篇", "首页", "网站地图", "联系我们",
    "重点链接", "友情链接", "相关链接", "全国各省市政府网站", "无障碍", "无障碍浏览", "长者模式",
    "繁体", "简体", "繁體", "搜索", "登录", "注册", "浏览次数", "阅读次数", "点击数", "保护视力色",
    "纠错", "我要纠错", "政务服务", "English", "RSS",
};

static const char *const crumbs[] = {
    "当前位置", "您现在的位置", "您当前的位置", "您的位置", "您所在的位置", "所在位置",
    "现在位置", "当前的位置", "您现在所在的位置",
};

static const char *const footers[] = {
    "版权所有", "主办单位", "承办单位", "ICP备", "ICP证", "公网安备", "技术支持", "网站标识码",
    "Copyright", "copyright", "\xC2\xA9", "维护单位", "建议使用",
};

/* Tails of link-list lines; a bare "网站" would also end headings such as
 * "二、规范政府网站", which have 、 and are kept by the punctuation rule anyway. */
static const char *const link_tails[] = { "政府网站", "系统网站", "网站群", "网站", "链接" };

/* Separators between furniture words (after NFKC: ASCII where it maps). */
static size_t separator(const char *s, size_t n)
{
    static const char *const seps[] = { "·", "•", "»", "«", "›", "‹", "【", "】", "〔", "〕",
                                        "、", "丨", "│", "|", "→", "◆", "■", "□", "▪", "●" };
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return strchr(" :|-/<>[]().*_=+~#", c) && c ? 1 : 0;
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        size_t k = strlen(seps[i]);
        if (k <= n && memcmp(s, seps[i], k) == 0)
            return k;
    }
    return 0;
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

/* 1 if the line is nothing but furniture words and separators. */
static int only_words(const char *s, size_t n)
{
    size_t i = 0, matched = 0;
    while (i < n) {
        size_t k = separator(s + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        size_t best = 0;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            size_t len = strlen(words[w]);
            if (len > best && len <= n - i && ascii_ieq(s + i, words[w], len))
                best = len;
        }
        if (!best)
            return 0;
        i += best;
        matched++;
    }
    return matched > 0;
}

static size_t nchars(const char *s, size_t n, size_t stop)
{
    size_t c = 0;
    for (size_t i = 0; i < n && c <= stop; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int contains(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, w, k) == 0)
            return 1;
    return 0;
}

static int sentence_punct(const char *s, size_t n)
{
    if (contains(s, n, "。") || contains(s, n, "、") || contains(s, n, "!") || contains(s, n, "?"))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == ';' || s[i] == '!' || s[i] == '?')
            return 1;
    return 0;
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

    for (size_t i = 0; i < sizeof crumbs / sizeof *crumbs; i++) {
        size_t len = strlen(crumbs[i]);
        if (len <= bn && memcmp(b, crumbs[i], len) == 0 && !contains(b, bn, "。"))
            return 1;
    }
    size_t chars = nchars(b, bn, BODY_CHARS + 1);
    if (chars <= BODY_CHARS * 2 && only_words(b, bn))
        return 1;
    if (chars > BODY_CHARS || sentence_punct(b, bn))
        return 0;
    for (size_t i = 0; i < sizeof footers / sizeof *footers; i++)
        if (contains(b, bn, footers[i]))
            return 1;
    if (chars <= 20 && !heading(b, bn)) {
        for (size_t i = 0; i < sizeof link_tails / sizeof *link_tails; i++) {
            size_t len = strlen(link_tails[i]);
            if (len <= bn && memcmp(b + bn - len, link_tails[i], len) == 0)
                return 1;
        }
    }
    return 0;
}
