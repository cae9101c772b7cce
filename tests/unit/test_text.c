/* test_text.c: normalization, script detection, furniture lines and the
 * line map of src/text, driven directly (no file reading). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
}

int main(void)
{
    fz_text *tx = fz_text_new();
    test_furniture();
    test_script();
    test_process(tx);
    fz_text_free(tx);
    fz_text_free(NULL);
    return check_done();
}
