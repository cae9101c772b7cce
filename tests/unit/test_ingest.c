/* test_ingest.c: the document reader on the real seed reports and on every
 * encoding, format and damage it must survive. Encoded variants are made
 * in the test from the seeds with ICU, so no binary fixtures are needed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "buf.h"
#include "decode.h"
#include "check.h"
#include "diag.h"
#include "err.h"
#include "html.h"
#include "reader.h"
#include "xalloc.h"

static const char *const seeds[] = {
    "seeds/000_18829aa4f02e89c0.txt", "seeds/001_8c2a96bc722a2151.txt",
    "seeds/002_67201649ccd67642.txt", "seeds/003_2ae3d34c1a1508fa.txt",
    "seeds/004_4436622836a94dfb.txt",
};

static char *seed(int i, size_t *n)
{
    char *p = check_shared(seeds[i]);
    char *s = check_slurp(p, n);
    free(p);
    return s;
}

static int has(const fz_document *d, const char *w)
{
    return d->text && strstr(d->text, w) != NULL;
}

/* 1 if some output line is exactly w */
static int has_line(const fz_document *d, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i < d->nlines; i++) {
        const char *l = d->text + d->line_off[i];
        if (strncmp(l, w, k) == 0 && l[k] == '\n')
            return 1;
    }
    return 0;
}

static int has_line_prefix(const fz_document *d, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i < d->nlines; i++)
        if (strncmp(d->text + d->line_off[i], w, k) == 0)
            return 1;
    return 0;
}

/* The line invariants of reader.h: valid offsets, '\n' ends, no NUL, no
 * blank line first, last or twice in a row, source lines non-decreasing. */
static int invariants(const fz_document *d)
{
    if (strlen(d->text) != d->len)
        return 0;
    if (d->len && d->text[d->len - 1] != '\n')
        return 0;
    size_t newlines = 0;
    for (size_t i = 0; i < d->len; i++)
        newlines += d->text[i] == '\n';
    if (newlines != d->nlines)
        return 0;
    for (size_t i = 0; i < d->nlines; i++) {
        if (d->line_off[i] > d->len || (i && d->text[d->line_off[i] - 1] != '\n'))
            return 0;
        int blank = d->text[d->line_off[i]] == '\n';
        if (blank && (i == 0 || i + 1 == d->nlines || d->text[d->line_off[i - 1]] == '\n'))
            return 0;
        if (i && d->line_src[i] < d->line_src[i - 1])
            return 0;
        if (d->line_src[i] == 0)
            return 0;
    }
    return 1;
}

/* Every output line of an already-clean UTF-8 text appears in its source
 * line (the line map points at the right line). */
static int lines_map_back(const fz_document *d, const char *src)
{
    /* index source lines */
    size_t nl = 1;
    for (const char *p = src; *p; p++)
        nl += *p == '\n';
    const char **starts = fz_xcalloc(nl + 1, sizeof *starts);
    size_t k = 0;
    starts[k++] = src;
    for (const char *p = src; *p; p++)
        if (*p == '\n')
            starts[k++] = p + 1;
    int ok = 1;
    for (size_t i = 0; i < d->nlines && ok; i++) {
        const char *l = d->text + d->line_off[i];
        size_t len = (size_t)(strchr(l, '\n') - l);
        if (!len)
            continue;
        uint32_t sl = d->line_src[i];
        if (sl == 0 || sl > k) {
            ok = 0;
            break;
        }
        const char *a = starts[sl - 1];
        const char *e = strchr(a, '\n');
        size_t alen = e ? (size_t)(e - a) : strlen(a);
        /* compare a prefix: NFKC may change the rest (﹪, U+3000) */
        size_t plen = len < 12 ? len : 12;
        while (plen < len && ((unsigned char)l[plen] & 0xC0) == 0x80)
            plen++;
        char *line = fz_xstrndup(a, alen);
        char *want = fz_xstrndup(l, plen);
        if (!strstr(line, want)) {
            fprintf(stderr, "line %zu (src %u) not in source: %.60s\n", i, sl, want);
            ok = 0;
        }
        free(line);
        free(want);
    }
    free(starts);
    return ok;
}

static const char *last_msg(const fz_diag *d)
{
    return d->n ? d->items[d->n - 1].msg : "";
}

/* Converts UTF-8 to the charset `cs` with ICU; caller frees. */
static char *encode(const char *utf8, const char *cs, size_t *n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, utf8, -1, &st);
    st = U_ZERO_ERROR;
    UChar *u = fz_xmalloc(((size_t)ulen + 1) * sizeof *u);
    u_strFromUTF8(u, ulen + 1, NULL, utf8, -1, &st);
    UConverter *c = ucnv_open(cs, &st);
    size_t cap = (size_t)ulen * 4 + 16;
    char *out = fz_xmalloc(cap);
    int32_t k = ucnv_fromUChars(c, out, (int32_t)cap, u, ulen, &st);
    ucnv_close(c);
    free(u);
    *n = U_SUCCESS(st) ? (size_t)k : 0;
    return out;
}

/* Simplified to traditional with ICU; caller frees. */
static char *to_traditional(const char *utf8)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, utf8, -1, &st);
    st = U_ZERO_ERROR;
    int32_t cap = ulen * 2 + 16;
    UChar *u = fz_xmalloc((size_t)cap * sizeof *u);
    u_strFromUTF8(u, cap, NULL, utf8, -1, &st);
    UTransliterator *t = utrans_openU(u"Simplified-Traditional", -1, UTRANS_FORWARD, NULL, 0,
                                      NULL, &st);
    int32_t len = ulen, limit = ulen;
    utrans_transUChars(t, u, &len, cap, 0, &limit, &st);
    utrans_close(t);
    char *out = fz_xmalloc((size_t)len * 4 + 1);
    u_strToUTF8(out, len * 4 + 1, NULL, u, len, &st);
    free(u);
    return U_SUCCESS(st) ? out : fz_xstrdup("");
}

static void test_seeds(fz_reader *r)
{
    size_t before = fz_reader_transliterated(r);
    for (int i = 0; i < 5; i++) {
        char *path = check_shared(seeds[i]);
        size_t n;
        char *src = check_slurp(path, &n);
        fz_diag diag;
        fz_diag_init(&diag);
        fz_document d;
        int rc = fz_reader_read(r, path, &d, &diag);
        CHECK_MSG(rc == 0, seeds[i]);
        CHECK_MSG(diag.n == 0 && d.warnings == 0, "seed reads with no diagnostics");
        CHECK(strcmp(d.format, "text") == 0 && strcmp(d.encoding, "UTF-8") == 0);
        CHECK(d.bytes == n && d.invalid == 0 && d.traditional == 0);
        CHECK(strcmp(d.source, "text") == 0 && strcmp(d.path, path) == 0);
        CHECK_MSG(invariants(&d), "seed text keeps the line invariants");
        CHECK_MSG(lines_map_back(&d, src), "every seed line maps back to its source line");
        CHECK(!has_line(&d, "头部") && !has_line(&d, "字号") && !has_line(&d, "关闭"));
        CHECK(!has_line(&d, "字号:") && !has_line(&d, "打印") && !has_line(&d, "返回上一级"));
        CHECK(!has_line_prefix(&d, "当前位置") && !has_line(&d, "微博微信"));
        CHECK(!has_line(&d, "footer底部") && !has_line(&d, "扫一扫在手机打开当前页"));
        CHECK(!has_line(&d, "全国各省市政府网站") && !has_line(&d, "重点链接"));
        CHECK_MSG(d.len > n * 9 / 10, "furniture removal drops little");
        if (i == 0) {
            CHECK(has(&d, "行政处罚案件8宗") && has(&d, "共收有413宗投诉件"));
            CHECK(has_line(&d, "连州市大路边镇人民政府2022年法治政府建设年度报告"));
            CHECK(has_line_prefix(&d, "来源:大路边镇人民政府 发布时间:2023-01-19"));
            CHECK(d.line_src[0] == 3); /* "头部" and a blank line dropped */
            CHECK(d.line_page[0] == 0);
        }
        if (i == 1) {
            CHECK(has_line(&d, "2015年新城镇依法行政工作报告")); /* indentation trimmed */
            CHECK(has_line_prefix(&d, "发布日期: 2016-03-31 09:48"));
        }
        if (i == 2) {
            CHECK_MSG(has(&d, "调解成功率达99%"), "﹪ becomes % (NFKC)");
            CHECK(!has(&d, "﹪") && has(&d, "1338宗"));
        }
        if (i == 3) {
            CHECK(has_line(&d, "2024年重固镇法治政府建设报告") && has_line(&d, "2025.03.19"));
            CHECK(has_line(&d, "上海市青浦区重固镇人民政府"));
        }
        if (i == 4)
            CHECK(has_line(&d, "六盘水市钟山区人民政府荷城街道办事处"));
        fz_diag_release(&diag);
        free(src);
        free(path);
    }
    CHECK_MSG(fz_reader_transliterated(r) == before, "simplified seeds never reach the transliterator");
}

/* Seed 002 in every encoding reads to exactly the same text as UTF-8. */
static void test_encodings(fz_reader *r)
{
    size_t n;
    char *utf8 = seed(2, &n);
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    CHECK(fz_reader_read_mem(r, "002.txt", utf8, n, &d, &diag) == 0);
    char *want = fz_xstrdup(d.text);
    uint32_t *want_src = fz_xmalloc(d.nlines * sizeof *want_src);
    memcpy(want_src, d.line_src, d.nlines * sizeof *want_src);
    size_t want_lines = d.nlines;

    static const struct {
        const char *cs, *bom, *expect;
        size_t bomlen;
    } enc[] = {
        { "GB18030", "", "GB18030", 0 },
        { "UTF-16LE", "\xFF\xFE", "UTF-16LE", 2 },
        { "UTF-16BE", "\xFE\xFF", "UTF-16BE", 2 },
        { "UTF-16LE", "", "UTF-16LE", 0 },
        { "UTF-16BE", "", "UTF-16BE", 0 },
        { "UTF-8", "\xEF\xBB\xBF", "UTF-8", 3 },
    };
    for (size_t e = 0; e < sizeof enc / sizeof *enc; e++) {
        size_t k;
        char *b = encode(utf8, enc[e].cs, &k);
        char *in = fz_xmalloc(k + enc[e].bomlen);
        memcpy(in, enc[e].bom, enc[e].bomlen);
        memcpy(in + enc[e].bomlen, b, k);
        fz_diag_clear(&diag);
        int rc = fz_reader_read_mem(r, "enc.txt", in, k + enc[e].bomlen, &d, &diag);
        char what[96];
        snprintf(what, sizeof what, "%s%s reads", enc[e].cs, enc[e].bomlen ? " with BOM" : "");
        CHECK_MSG(rc == 0 && diag.n == 0 && d.invalid == 0, what);
        snprintf(what, sizeof what, "%s%s detected as %s", enc[e].cs,
                 enc[e].bomlen ? " with BOM" : "", enc[e].expect);
        CHECK_MSG(d.encoding && strcmp(d.encoding, enc[e].expect) == 0, what);
        snprintf(what, sizeof what, "%s gives the same text and line map as UTF-8", enc[e].cs);
        CHECK_MSG(d.text && strcmp(d.text, want) == 0 && d.nlines == want_lines &&
                      memcmp(d.line_src, want_src, want_lines * sizeof *want_src) == 0,
                  what);
        free(in);
        free(b);
    }

    /* GBK (what most old sites use) is read as GB18030; seed 003 is all GBK */
    size_t n0;
    char *s0 = seed(3, &n0);
    size_t k;
    char *gbk = encode(s0, "GBK", &k);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "000.txt", s0, n0, &d, &diag) == 0);
    char *want0 = fz_xstrdup(d.text);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "gbk.txt", gbk, k, &d, &diag) == 0);
    CHECK_MSG(diag.n == 0 && strcmp(d.encoding, "GB18030") == 0 && strcmp(d.text, want0) == 0,
              "GBK reads as GB18030 to the same text");
    free(want0);
    free(gbk);
    free(s0);

    /* GB18030 truncated in the middle of a two-byte character */
    fz_diag_clear(&diag);
    char *gb2 = encode("共收有413宗投诉件,调解成功率达99%,受理", "GB18030", &k);
    CHECK(fz_reader_read_mem(r, "cut.txt", gb2, k - 1, &d, &diag) == 0);
    CHECK_MSG(strcmp(d.encoding, "GB18030") == 0 && d.invalid == 1,
              "GB18030 cut inside a character: one invalid sequence");
    CHECK(has(&d, "共收有413宗投诉件,调解成功率达99%,受\xEF\xBF\xBD"));
    CHECK(d.warnings == 1 && strstr(last_msg(&diag), "1 invalid byte sequence replaced"));
    free(gb2);

    fz_diag_release(&diag);
    free(want);
    free(want_src);
    free(utf8);
}

static void test_traditional(fz_reader *r)
{
    size_t n;
    char *utf8 = seed(4, &n);
    char *trad = to_traditional(utf8);
    CHECK_MSG(strstr(trad, "法治政府建設") != NULL, "test input really is traditional");
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    size_t before = fz_reader_transliterated(r);

    CHECK(fz_reader_read_mem(r, "trad-utf8.txt", trad, strlen(trad), &d, &diag) == 0);
    CHECK(d.traditional == 1 && strcmp(d.encoding, "UTF-8") == 0);
    CHECK(has(&d, "法治政府建设") && !has(&d, "建設") && !has(&d, "這"));
    CHECK(has_line(&d, "六盘水市钟山区人民政府荷城街道办事处"));
    CHECK(fz_reader_transliterated(r) == before + 1);

    size_t k;
    char *big5 = encode(trad, "Big5", &k);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "trad-big5.txt", big5, k, &d, &diag) == 0);
    CHECK_MSG(strcmp(d.encoding, "Big5") == 0, "Big5 detected");
    CHECK(d.traditional == 1 && has(&d, "法治政府建设") && has(&d, "依法行政"));
    CHECK(fz_reader_transliterated(r) == before + 2);

    /* simplified text with two traditional names quoted stays untouched */
    const char *mixed = "引用台湾“國會”资料。街道围绕依法执政、依法行政、普法教育、社会法治四大项内容开展工作。\n";
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "mixed.txt", mixed, strlen(mixed), &d, &diag) == 0);
    CHECK(d.traditional == 0 && has(&d, "國會"));
    CHECK(fz_reader_transliterated(r) == before + 2);

    fz_diag_release(&diag);
    free(big5);
    free(trad);
    free(utf8);
}

static void test_normalize(fz_reader *r)
{
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    const char *fw = "调解成功率达９９％，共收有４１３宗投诉件；ＡＢＣ　\r\n"
                     "受理\t行政复议案件11宗\x01\x7f  \r"
                     "办结率100﹪\xE2\x80\x8B。\n\n\n\n第四行\n";
    CHECK(fz_reader_read_mem(r, "fw.txt", fw, strlen(fw), &d, &diag) == 0);
    CHECK(diag.n == 0);
    CHECK(has_line(&d, "调解成功率达99%,共收有413宗投诉件;ABC"));
    CHECK_MSG(has_line(&d, "受理 行政复议案件11宗"), "tab to space, controls and trailing spaces gone");
    CHECK_MSG(has_line(&d, "办结率100%。"), "zero-width space removed");
    CHECK(d.nlines == 5 && d.text[d.line_off[3]] == '\n');
    CHECK_MSG(d.line_src[0] == 1 && d.line_src[1] == 2 && d.line_src[2] == 3 && d.line_src[4] == 7,
              "CRLF and CR count as one line each");
    CHECK(invariants(&d));

    /* line_at */
    CHECK(fz_document_line_at(&d, 0) == 0);
    CHECK(fz_document_line_at(&d, d.line_off[1] - 1) == 0);
    CHECK(fz_document_line_at(&d, d.line_off[1]) == 1);
    CHECK(fz_document_line_at(&d, d.line_off[4] + 2) == 4);
    CHECK(fz_document_line_at(&d, d.len + 100) == 4);
    fz_document empty = { 0 };
    CHECK(fz_document_line_at(&empty, 5) == 0);

    /* a 4 MB line without a newline, with full-width digits (slow path) */
    fz_buf big;
    fz_buf_init(&big);
    while (big.len < ((size_t)4 << 20))
        fz_buf_adds(&big, "共收有４１３宗投诉件,");
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "long.txt", big.data, big.len, &d, &diag) == 0);
    CHECK(d.nlines == 1 && d.len == big.len / 31 * 25 + 1); /* ４１３ is 9 bytes, 413 is 3 */
    fz_buf_release(&big);
    fz_diag_release(&diag);
}

static void test_html(fz_reader *r)
{
    const char *page =
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
        "<title>韶关市曲江区2019年度法治政府建设年度报告</title>\n"
        "<script>var x = \"<p>共收有9宗</p>\";</script>\n"
        "<style>p { color: red }</style></head>\n"
        "<body><!-- 当前位置 <p>隐藏</p> -->\n"
        "<div class=\"nav\">当前位置:首页 &gt; 新闻中心 &gt; 重要公示</div>\n"
        "<p>全区人民调解组织累计调处各类民事纠纷1338宗，调解成功\n率达99&#xFE6A;，\n"
        "有效防止了社会矛盾激化。</p><p>&ldquo;法律进社区&rdquo;&nbsp;活动&amp;讲座&#20849;12场</p>\n"
        "<table><tr><td>行政复议</td><td>11宗</td></tr></table>\n"
        "<div>字号:<a href=#>大</a> <a href=#>中</a> <a href=#>小</a></div><br>"
        "Law&nbsp;day<BR/>5 &lt; 6 & 7\n</body></html>\n";
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    CHECK(fz_reader_read_mem(r, "page.html", page, strlen(page), &d, &diag) == 0);
    CHECK(diag.n == 0 && strcmp(d.format, "html") == 0);
    CHECK_MSG(has_line(&d, "韶关市曲江区2019年度法治政府建设年度报告"), "title kept as a line");
    CHECK(d.line_src[0] == 3);
    CHECK_MSG(!has(&d, "共收有9宗") && !has(&d, "color") && !has(&d, "隐藏"),
              "script, style and comments dropped");
    CHECK(!has(&d, "当前位置") && !has(&d, "字号"));
    CHECK_MSG(has_line(&d, "全区人民调解组织累计调处各类民事纠纷1338宗,调解成功率达99%,有效防止了社会矛盾激化。"),
              "a newline between CJK characters disappears; &#xFE6A; becomes %");
    CHECK(has_line(&d, "“法律进社区” 活动&讲座共12场"));
    CHECK(has_line(&d, "行政复议 | 11宗"));
    CHECK(has_line(&d, "Law day") && has_line(&d, "5 < 6 & 7"));
    size_t i;
    for (i = 0; i < d.nlines; i++)
        if (strncmp(d.text + d.line_off[i], "全区", 6) == 0)
            break;
    CHECK_MSG(i < d.nlines && d.line_src[i] == 8, "html line map points at the block's source line");
    CHECK(invariants(&d));

    /* a GBK page that says so */
    size_t k;
    char *gb = encode("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
                      "</head><body><p>受理行政复议案件11宗</p></body></html>",
                      "GB18030", &k);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "gb.htm", gb, k, &d, &diag) == 0);
    CHECK(strcmp(d.encoding, "GB18030") == 0 && has_line(&d, "受理行政复议案件11宗"));
    free(gb);
    fz_diag_release(&diag);
}

static void test_damage(fz_reader *r)
{
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);

    const char *bad = "行政处罚案件8宗\xFF,共收有413宗\xC0\xAF投诉件\xE5\xAE\n";
    CHECK(fz_reader_read_mem(r, "bad.txt", bad, strlen(bad), &d, &diag) == 0);
    CHECK(strcmp(d.encoding, "UTF-8") == 0 && d.invalid == 4);
    CHECK(d.warnings == 1 && diag.n == 1 && diag.items[0].level == FZ_DIAG_WARN);
    CHECK(strcmp(diag.items[0].msg, "'bad.txt': 4 invalid byte sequences replaced") == 0);
    CHECK(has(&d, "行政处罚案件8宗\xEF\xBF\xBD,共收有413宗\xEF\xBF\xBD\xEF\xBF\xBD投诉件\xEF\xBF\xBD"));

    const char cut[] = "调解成功率达99%,共8\xE5\xAE"; /* 宗 cut off at EOF */
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "cut.txt", cut, sizeof cut - 1, &d, &diag) == 0);
    CHECK_MSG(d.invalid == 1 && strcmp(d.encoding, "UTF-8") == 0, "truncated UTF-8 at EOF is one invalid sequence");

    const char nul[] = "行政处罚\0案件8宗\n共收有413宗投诉件\0\n";
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "nul.txt", nul, sizeof nul - 1, &d, &diag) == 0);
    CHECK(has_line(&d, "行政处罚案件8宗") && has_line(&d, "共收有413宗投诉件"));
    CHECK(d.warnings == 1 && strcmp(last_msg(&diag), "'nul.txt': 2 NUL bytes removed") == 0);

    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "empty.txt", "", 0, &d, &diag) == FZ_EINPUT);
    CHECK(diag.n == 1 && diag.items[0].level == FZ_DIAG_SKIP);
    CHECK(strcmp(last_msg(&diag), "cannot read 'empty.txt': empty file") == 0);

    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "bom.txt", "\xEF\xBB\xBF", 3, &d, &diag) == FZ_EINPUT);
    CHECK(strcmp(last_msg(&diag), "cannot read 'bom.txt': empty file") == 0);

    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0,
                                         13, 'I', 'H', 'D', 'R', 0, 0, 1, 0 };
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "x.txt", png, sizeof png, &d, &diag) == FZ_EINPUT);
    CHECK(strcmp(last_msg(&diag), "cannot read 'x.txt': binary file (PNG image)") == 0);

    unsigned char elf[256] = { 0x7F, 'E', 'L', 'F', 2, 1, 1 };
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "a.out", elf, sizeof elf, &d, &diag) == FZ_EINPUT);
    CHECK(strstr(last_msg(&diag), "binary file (ELF executable)") != NULL);

    unsigned char noise[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof noise; i++) {
        v = v * 1103515245u + 12345u;
        noise[i] = (unsigned char)(v >> 16);
    }
    fz_diag_clear(&diag);
    CHECK_MSG(fz_reader_read_mem(r, "noise.txt", noise, sizeof noise, &d, &diag) == FZ_EINPUT,
              "random bytes are binary");
    CHECK(strstr(last_msg(&diag), "cannot read 'noise.txt': binary file") != NULL);

    static const unsigned char ole[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 };
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "x.doc", ole, sizeof ole, &d, &diag) == FZ_EUNSUPPORTED);
    CHECK(strcmp(last_msg(&diag), "cannot read 'x.doc': old Word/WPS binary format; convert it "
                                  "with: libreoffice --headless --convert-to docx") == 0);

    fz_diag_clear(&diag);
    CHECK(fz_reader_read(r, "/nonexistent/x.txt", &d, &diag) == FZ_EIO);
    CHECK(strcmp(last_msg(&diag), "cannot read '/nonexistent/x.txt': No such file or directory") == 0);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read(r, "/", &d, &diag) == FZ_EINPUT);
    CHECK(strcmp(last_msg(&diag), "cannot read '/': is a directory") == 0);

    /* a file on disk, read twice with the same reader (buffer reuse) */
    char tmpl[] = "/tmp/fz_ingest_XXXXXX";
    int fd = mkstemp(tmpl);
    const char *body = "头部\n\n受理行政复议案件11宗\n";
    CHECK(fd >= 0 && write(fd, body, strlen(body)) == (ssize_t)strlen(body));
    close(fd);
    for (int k = 0; k < 2; k++) {
        fz_diag_clear(&diag);
        CHECK(fz_reader_read(r, tmpl, &d, &diag) == 0);
        CHECK(d.nlines == 1 && d.line_src[0] == 3 && strcmp(d.text, "受理行政复议案件11宗\n") == 0);
    }

    /* "-" reads stdin */
    fd = open(tmpl, O_RDONLY);
    int saved = dup(0);
    CHECK(fd >= 0 && saved >= 0 && dup2(fd, 0) == 0);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read(r, "-", &d, &diag) == 0 && strcmp(d.path, "-") == 0);
    CHECK(strcmp(d.text, "受理行政复议案件11宗\n") == 0);
    dup2(saved, 0);
    close(saved);
    close(fd);

    /* over the size limit: refused from fstat, nothing read (sparse file) */
    fd = open(tmpl, O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)FZ_READER_MAX_BYTES + 1) == 0);
    close(fd);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read(r, tmpl, &d, &diag) == FZ_ELIMIT);
    CHECK(strstr(last_msg(&diag), "file too large (257 MB; the limit is 256 MB)") != NULL);
    unlink(tmpl);
    fz_diag_release(&diag);
}

/* A two-page PDF with one Helvetica text object per page, xref computed. */
static void make_pdf(fz_buf *b)
{
    static const char *const pages[2] = {
        "(Report on administrative cases in 2022.) Tj 0 -20 Td "
        "(The county accepted 11 review cases this year.) Tj",
        "(Mediation succeeded in 99 percent of 1338 disputes.) Tj 0 -20 Td "
        "(Legal aid served 995 people.) Tj",
    };
    size_t off[7];
    fz_buf_reset(b);
    fz_buf_adds(b, "%PDF-1.4\n");
    off[1] = b->len;
    fz_buf_adds(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = b->len;
    fz_buf_adds(b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>\nendobj\n");
    for (int i = 0; i < 2; i++) {
        char content[256];
        int len = snprintf(content, sizeof content, "BT /F1 12 Tf 72 720 Td %s ET", pages[i]);
        off[3 + 2 * i] = b->len;
        fz_buf_printf(b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                         "/Resources << /Font << /F1 7 0 R >> >> /Contents %d 0 R >>\nendobj\n",
                      3 + 2 * i, 4 + 2 * i);
        off[4 + 2 * i] = b->len;
        fz_buf_printf(b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n",
                      4 + 2 * i, len, content);
    }
    size_t font = b->len;
    fz_buf_adds(b, "7 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
    size_t xref = b->len;
    fz_buf_adds(b, "xref\n0 8\n0000000000 65535 f \n");
    for (int i = 1; i <= 6; i++)
        fz_buf_printf(b, "%010zu 00000 n \n", off[i]);
    fz_buf_printf(b, "%010zu 00000 n \n", font);
    fz_buf_printf(b, "trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

static void test_pdf(fz_reader *r)
{
    fz_buf pdf;
    fz_buf_init(&pdf);
    make_pdf(&pdf);
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    CHECK(fz_reader_read_mem(r, "two.pdf", pdf.data, pdf.len, &d, &diag) == 0);
    CHECK(strcmp(d.format, "pdf") == 0 && strcmp(d.source, "text") == 0);
    const char *pa = strstr(d.text, "11 review cases"), *pb = strstr(d.text, "1338 disputes");
    size_t a = pa ? fz_document_line_at(&d, (size_t)(pa - d.text)) : d.nlines;
    size_t b = pb ? fz_document_line_at(&d, (size_t)(pb - d.text)) : d.nlines;
    CHECK_MSG(a < d.nlines && d.line_page[a] == 1, "PDF line on page 1");
    CHECK_MSG(b < d.nlines && d.line_page[b] == 2 && d.line_src[b] > d.line_src[a],
              "PDF line on page 2, later raw line");
    CHECK(invariants(&d));
    fz_diag_release(&diag);
    fz_buf_release(&pdf);
}

/* 1 if doc strips to want; says what it got otherwise. */
static int tag_text(fz_html *h, const char *doc, const char *want)
{
    fz_html_strip(h, doc, strlen(doc));
    if (strcmp(h->text.data, want) == 0)
        return 1;
    fprintf(stderr, "'%s' strips to '%s', not '%s'\n", doc, h->text.data, want);
    return 0;
}

static void test_html_parts(void)
{
    uint32_t cp = 0;
    CHECK(fz_html_entity("&#x4E00;x", 9, &cp) == 8 && cp == 0x4E00);
    CHECK(fz_html_entity("&#20849;", 8, &cp) == 8 && cp == 0x5171);
    CHECK(fz_html_entity("&ldquo;", 7, &cp) == 7 && cp == 0x201C);
    CHECK_MSG(fz_html_entity("&amp 2019", 9, &cp) == 4 && cp == '&', "&amp without ';'");
    CHECK_MSG(fz_html_entity("&ldquo 2019", 11, &cp) == 0, "new entities need ';'");
    CHECK(fz_html_entity("&#0;", 4, &cp) == 4 && cp == 0xFFFD);
    CHECK(fz_html_entity("&#xD800;", 8, &cp) == 8 && cp == 0xFFFD);
    CHECK(fz_html_entity("&#99999999999;", 14, &cp) == 14 && cp == 0xFFFD);
    CHECK(fz_html_entity("&unknown;", 9, &cp) == 0 && fz_html_entity("& b", 3, &cp) == 0);

    size_t n;
    char *seed0 = seed(0, &n);
    CHECK_MSG(!fz_html_sniff(seed0, n), "a plain report is not HTML");
    free(seed0);
    CHECK(fz_html_sniff("<p>受理行政复议案件11宗</p>", 33));
    CHECK(fz_html_sniff("\n  <!DOCTYPE HTML PUBLIC>", 25));
    CHECK(!fz_html_sniff("5 < 6 and 7 > 6", 15));

    char cs[32];
    const char *m = "<html><head><meta charset=\"GBK\"></head>";
    CHECK(fz_html_charset(m, strlen(m), cs, sizeof cs) && strcmp(cs, "GBK") == 0);
    m = "<meta http-equiv=Content-Type content='text/html; charset=gb2312'>";
    CHECK(fz_html_charset(m, strlen(m), cs, sizeof cs) && strcmp(cs, "gb2312") == 0);
    CHECK(fz_html_charset("<p>charset</p>", 14, cs, sizeof cs) == NULL);

    /* every tag name the stripper knows, in either case, and some it does
     * not: block elements end lines, raw-text elements go with their
     * content, cells are joined by " | ", anything else is inline */
    static const char *const block[] = {
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "tbody", "thead",
        "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
        "footer", "nav", "aside", "main", "blockquote", "hr", "form", "center", "pre",
        "address", "figure", "figcaption", "body", "html", "fieldset", "legend", "details",
        "summary", "option", "iframe", "frame", "frameset", "noframes", "menu", "dir", "TABLE",
        "Div", "title", "SeCtIoN",
    };
    static const char *const raw[] = { "script", "style", "noscript", "template", "svg",
                                       "select", "textarea", "object", "math", "SCRIPT" };
    static const char *const inline_tags[] = { "span", "a", "b", "font", "strong", "em", "img",
                                               "x-tag", "tablex", "paragraphs", "h7", "d",
                                               "headx", "bodyx", "pres", "tdx",
                                               "averyveryverylongtagname", "o:p", "x:section",
                                               "sectionsectionsection", "H1-x" };
    fz_html h;
    fz_html_init(&h);
    int ok = 1;
    char doc[200];
    for (size_t i = 0; i < sizeof block / sizeof *block; i++) {
        snprintf(doc, sizeof doc, "<body>甲<%s>乙</%s>丙", block[i], block[i]);
        ok &= tag_text(&h, doc, "甲\n乙\n丙");
    }
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
        snprintf(doc, sizeof doc, "<body>甲<%s>乙</%s>丙", raw[i], raw[i]);
        ok &= tag_text(&h, doc, "甲\n丙");
    }
    for (size_t i = 0; i < sizeof inline_tags / sizeof *inline_tags; i++) {
        snprintf(doc, sizeof doc, "<body>甲<%s>乙</%s>丙", inline_tags[i], inline_tags[i]);
        ok &= tag_text(&h, doc, "甲乙丙");
    }
    const char *cells = "<head><title>题</title><meta x></head><TD>甲</td><th>乙</TH>丙";
    ok &= tag_text(&h, cells, "题\n甲 | 乙 | 丙");
    const char *pre = "<body><pre>甲\n乙</pre>丙\n丁";
    ok &= tag_text(&h, pre, "甲\n乙\n丙丁");
    /* source lines end at LF, CR and CRLF; a page without CR counts LF only */
    const char *crs = "<p>甲</p>\r<p>乙</p>\r\n<p>丙</p>\n\r<p>丁</p>";
    fz_html_strip(&h, crs, strlen(crs));
    CHECK_MSG(h.nsrc == 4 && h.src[0] == 1 && h.src[1] == 2 && h.src[2] == 3 && h.src[3] == 5,
              "source lines of a page with CR, CRLF and LF CR");
    const char *lfs = "<p>甲</p>\n\n<p>乙</p>\n<p>丙</p>";
    fz_html_strip(&h, lfs, strlen(lfs));
    CHECK_MSG(h.nsrc == 3 && h.src[0] == 1 && h.src[1] == 3 && h.src[2] == 4,
              "source lines of a page with LF only");
    ok &= tag_text(&h, "<body>甲<3>乙</-p>丙", "甲<3>乙</-p>丙"); /* no letter: text */
    fz_html_release(&h);
    CHECK_MSG(ok, "block, raw-text, cell and inline tags by name");
}

static void test_short_encodings(fz_reader *r)
{
    fz_document d;
    fz_diag diag;
    fz_diag_init(&diag);
    size_t k;
    char *b5 = encode("受理行政復議案件11宗,調解成功率達99%。", "Big5", &k);
    CHECK(fz_reader_read_mem(r, "short-big5.txt", b5, k, &d, &diag) == 0);
    CHECK_MSG(strcmp(d.encoding, "Big5") == 0 && d.traditional == 1 &&
                  has_line(&d, "受理行政复议案件11宗,调解成功率达99%。"),
              "one Big5 sentence is detected and simplified");
    char *u16 = encode("法治政府建设年度报告", "UTF-16LE", &k);
    char *odd = fz_xmalloc(k + 3);
    memcpy(odd, "\xFF\xFE", 2);
    memcpy(odd + 2, u16, k);
    odd[k + 2] = 'x'; /* half a code unit at the end */
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "odd.txt", odd, k + 3, &d, &diag) == 0);
    CHECK_MSG(d.invalid == 1 && has(&d, "法治政府建设年度报告\xEF\xBF\xBD"),
              "UTF-16 cut in half a unit: one invalid sequence");
    free(odd);
    free(u16);
    free(b5);

    /* GB18030 bytes first, then enough UTF-8 to outweigh them: still UTF-8
     * (the scan may only give up on UTF-8 when the rest cannot make up) */
    fz_buf mix;
    fz_buf_init(&mix);
    char *gb = encode("行政处罚", "GB18030", &k);
    fz_buf_add(&mix, gb, k);
    for (int i = 0; i < 6; i++)
        fz_buf_adds(&mix, "受理行政复议案件11宗,调解成功率达99%。");
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "gb-then-utf8.txt", mix.data, mix.len, &d, &diag) == 0);
    CHECK_MSG(strcmp(d.encoding, "UTF-8") == 0 && d.invalid > 0 &&
                  has(&d, "受理行政复议案件11宗,调解成功率达99%。"),
              "a GB18030 prefix before much UTF-8 is damage in UTF-8");
    /* GB18030 with NUL bytes far after the point where UTF-8 is ruled out */
    fz_buf_reset(&mix);
    free(gb);
    gb = encode("行政处罚案件8宗,共收有413宗投诉件。调解成功率达99%。", "GB18030", &k);
    for (int i = 0; i < 20; i++)
        fz_buf_add(&mix, gb, k);
    fz_buf_add(&mix, "\0\0\0", 3);
    fz_buf_add(&mix, gb, k);
    fz_diag_clear(&diag);
    CHECK(fz_reader_read_mem(r, "gb-nul.txt", mix.data, mix.len, &d, &diag) == 0);
    CHECK_MSG(strcmp(d.encoding, "GB18030") == 0 && d.invalid == 0 &&
                  strcmp(last_msg(&diag), "'gb-nul.txt': 3 NUL bytes removed") == 0,
              "NUL bytes after the end of the UTF-8 scan are counted");
    free(gb);
    fz_buf_release(&mix);
    fz_diag_release(&diag);
}


/* fz_decode's GB18030 and Big5 confidences against ucsdet_detectAll() on
 * reports in both encodings (simplified and traditional), cut at odd
 * places, damaged at random bytes, padded with four-byte GB18030 forms,
 * 0x80 and 0xFF bytes, and very short texts. */
static int icu_confidence(UCharsetDetector *det, const char *s, size_t n, const char *name)
{
    UErrorCode st = U_ZERO_ERROR;
    ucsdet_setText(det, s, (int32_t)(n > 6144 ? 6144 : n), &st);
    int32_t nm = 0;
    const UCharsetMatch **m = ucsdet_detectAll(det, &nm, &st);
    int best = 0;
    for (int32_t i = 0; U_SUCCESS(st) && i < nm; i++) {
        UErrorCode e = U_ZERO_ERROR;
        const char *got = ucsdet_getName(m[i], &e);
        int conf = ucsdet_getConfidence(m[i], &e);
        if (U_SUCCESS(e) && got && strcmp(got, name) == 0 && conf > best)
            best = conf;
    }
    return best;
}

static void test_cjk_confidence(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    CHECK_MSG(U_SUCCESS(st), "ICU has a charset detector");
    if (U_FAILURE(st))
        return;
    char *dir = check_shared("seeds");
    static const char *const seed_files[] = { "000_18829aa4f02e89c0.txt", "001_8c2a96bc722a2151.txt",
                                         "002_67201649ccd67642.txt", "003_2ae3d34c1a1508fa.txt",
                                         "004_4436622836a94dfb.txt" };
    uint32_t rnd = 99;
    int cases = 0, same = 1;
    for (size_t f = 0; f < sizeof seed_files / sizeof *seed_files && same; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", seed_files[f]);
        size_t n;
        char *text = check_slurp(path, &n);
        if (!text)
            continue;
        char *trad = to_traditional(text);
        for (int v = 0; v < 4 && same; v++) {
            size_t k;
            char *enc = encode(v < 2 ? text : trad, v % 2 ? "Big5" : "GB18030", &k);
            for (int round = 0; round < 30 && same; round++) {
                size_t len = k, at = (size_t)(rnd % 7000);
                char *b = fz_xmalloc(k + 64);
                memcpy(b, enc, k);
                rnd = rnd * 1103515245u + 12345u;
                if (round % 3 == 1 && k) { /* damage */
                    for (int d = 0; d < (int)(rnd % 40); d++) {
                        rnd = rnd * 1103515245u + 12345u;
                        b[(rnd >> 8) % k] = (char)(rnd >> 20);
                    }
                }
                if (round % 5 == 2 && at + 10 < k) /* four-byte form, 0x80, 0xFF, 0x7F */
                    memcpy(b + at, "\x81\x30\x81\x30\x80\xFF\x95\x32\xB0\x7F", 10);
                if (round % 5 == 4 && k > 100) /* a run of the trail byte 0x7F */
                    for (size_t i = 1; i < 100; i += 2)
                        b[i] = 0x7F;
                if (round % 4 == 3) /* cut anywhere, also mid-character */
                    len = (rnd >> 4) % (k < 7000 ? k + 1 : 7000);
                if (round == 29)
                    len = k < 15 ? k : 15; /* a few characters */
                int gb, big5;
                fz_decode_cjk_confidence(b, len, &gb, &big5);
                int igb = icu_confidence(det, b, len, "GB18030");
                int ibig5 = icu_confidence(det, b, len, "Big5");
                if (gb != igb || big5 != ibig5) {
                    same = 0;
                    fprintf(stderr, "%s variant %d round %d: GB18030 %d/%d Big5 %d/%d\n",
                            seed_files[f], v, round, gb, igb, big5, ibig5);
                }
                cases++;
                free(b);
            }
            free(enc);
        }
        free(trad);
        free(text);
    }
    CHECK_MSG(cases >= 500, "charset confidence cases were built");
    CHECK_MSG(same, "GB18030 and Big5 confidences equal ICU's detector");
    free(dir);
    ucsdet_close(det);
}

/* fz_utf8_scan (which checks runs of three-byte sequences 16 at a time)
 * against ICU's UTF-8 conversion on random mixes of CJK runs, E0 and ED
 * sequences, surrogates, ASCII, NUL, two- and four-byte sequences, lone
 * continuation bytes and cut sequences. */
static void test_utf8_scan(void)
{
    static const char *const tok[] = {
        "\xE6\xB3\x95\xE6\xB2\xBB\xE6\x94\xBF\xE5\xBA\x9C\xE5\xBB\xBA\xE8\xAE\xBE\xE5\xB9\xB4\xE5\xBA\xA6",
        "\xE8\xA1\x8C", "\xE0\xA0\x80", "\xE0\x9F\xBF", "\xED\x9F\xBF", "\xED\xA0\x80", "a", "1 ",
        "", "\xC3\xA9", "\xF0\x9F\x98\x80", "\x80", "\xE6\xB3", "\xE6", "\xEF\xBC\x8C",
        "\xF4\x90\x80\x80", "\xC0\xAF", "\xFF",
    };
    const size_t ntok = sizeof tok / sizeof *tok;
    uint32_t rnd = 7;
    int same = 1;
    for (int round = 0; round < 4000 && same; round++) {
        char buf[600];
        size_t n = 0;
        rnd = rnd * 1103515245u + 12345u;
        size_t want = (rnd >> 8) % 400;
        while (n < want) {
            rnd = rnd * 1103515245u + 12345u;
            /* mostly long CJK runs, so the 48-byte blocks see every position */
            size_t t = (rnd >> 10) % 4 ? 0 : (rnd >> 14) % ntok;
            size_t k = t == 8 ? 1 : strlen(tok[t]);
            if (n + k > sizeof buf)
                break;
            memcpy(buf + n, tok[t], k); /* tok 8 is the NUL byte */
            n += k;
        }
        size_t bad = 0, nul = 0, mb = 0;
        int ok = fz_utf8_scan((const unsigned char *)buf, n, &bad, &nul, &mb);
        UChar u[1200];
        int32_t ulen = 0, subs = 0;
        UErrorCode st = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, 1200, &ulen, buf, (int32_t)n, 0xFFFD, &subs, &st);
        size_t cps = 0, zeros = 0;
        for (int32_t i = 0; i < ulen;) {
            UChar32 c;
            U16_NEXT(u, i, ulen, c);
            cps += c >= 0x80;
            zeros += c == 0;
        }
        if (U_FAILURE(st) || bad != (size_t)subs || nul != zeros || mb != cps - (size_t)subs ||
            ok != (subs == 0 && zeros == 0) ||
            fz_utf8_valid((const unsigned char *)buf, n) != ok) {
            same = 0;
            fprintf(stderr, "utf8 scan round %d: invalid %zu/%d nul %zu/%zu mb %zu/%zu\n", round,
                    bad, subs, nul, zeros, mb, cps - (size_t)subs);
        }
    }
    CHECK_MSG(same, "fz_utf8_scan counts what ICU's UTF-8 conversion counts");
}

/* A sequence cut at every offset of the first blocks, followed by long runs
 * of ASCII (whole blocks of it, one or two at a time) and ideographs: the
 * ASCII blocks must not lose the cut, and fz_utf8_valid must answer as
 * fz_utf8_scan does. */
static void test_utf8_cut_before_ascii(void)
{
    static const char *const cut[] = { "\xE6", "\xE6\xB3", "\xC3", "\xF0\x9F", "\xF0\x9F\x98",
                                       "\xE6\xB3\x95" /* whole: valid */ };
    int same = 1;
    size_t nbad = 0;
    for (size_t pre = 0; pre < 140 && same; pre++)
        for (size_t c = 0; c < sizeof cut / sizeof *cut; c++)
            for (size_t ascii = 1; ascii < 200; ascii += 13) {
                char buf[512];
                size_t n = 0;
                for (size_t i = 0; i < pre; i++) /* ideographs and digits */
                    if (i % 4 == 3 || pre - i < 3)
                        buf[n++] = '7';
                    else {
                        memcpy(buf + n, "\xE5\xBA\x9C", 3);
                        n += 3, i += 2;
                    }
                memcpy(buf + n, cut[c], strlen(cut[c]));
                n += strlen(cut[c]);
                memset(buf + n, 'a', ascii);
                n += ascii;
                for (size_t i = 0; i < 20; i++, n += 3) /* non-ASCII blocks after */
                    memcpy(buf + n, "\xE5\xBA\x9C", 3);
                int want = fz_utf8_scan((const unsigned char *)buf, n, NULL, NULL, NULL);
                nbad += !want;
                if (fz_utf8_valid((const unsigned char *)buf, n) != want) {
                    same = 0;
                    fprintf(stderr, "utf8 valid: cut %zu after %zu bytes, %zu ASCII: scan says %d\n",
                            c, pre, ascii, want);
                }
            }
    CHECK_MSG(same && nbad > 10000, "a sequence cut before ASCII blocks is invalid");
}

/* fz_utf8_ruled_out against fz_utf8_scan's counts: whenever it rules UTF-8
 * out, the scan counts fewer than twice as many valid multibyte sequences as
 * invalid ones, at least as many invalid ones as it says, and the same NUL
 * bytes. Texts of up to 12 KB (past the points where it may stop early)
 * mix GB18030-like pairs, Big5-like pairs, UTF-8 CJK, two- and four-byte
 * sequences, cut sequences, lone continuations, ASCII and NUL bytes in
 * shares that put many of them near the line; plain GB18030-like text must
 * be ruled out. */
static void test_utf8_ruled_out(void)
{
    static const char *const tok[] = {
        "\xE6\xB3\x95", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xE6\xB3", "\x80", "\xBF\xBF",
        "\xC0", "\xF5", "a", "12 ", "\n",
    };
    const size_t ntok = sizeof tok / sizeof *tok;
    uint64_t rnd = 29;
    static unsigned char buf[12300];
    int sound = 1;
    size_t ruled = 0, gb = 0, gb_ruled = 0;
    for (int round = 0; round < 3000 && sound; round++) {
        size_t want = (size_t)(check_xorshift(&rnd) % 12000);
        unsigned share = (unsigned)(check_xorshift(&rnd) % 101); /* % of two-byte pairs */
        unsigned valid = (unsigned)(check_xorshift(&rnd) % 101); /* % of UTF-8 CJK after */
        int big5 = (int)(check_xorshift(&rnd) & 1), plain = round % 4 == 0;
        size_t n = 0;
        while (n < want) {
            uint64_t x = check_xorshift(&rnd);
            if (plain || x % 100 < share) { /* a GB18030 or Big5 character */
                buf[n++] = (unsigned char)(big5 ? 0xA1 + (x >> 8) % 0x59 : 0xB0 + (x >> 8) % 0x48);
                buf[n++] = (unsigned char)(big5 && (x >> 16) & 1 ? 0x40 + (x >> 20) % 0x3F
                                                                 : 0xA1 + (x >> 20) % 0x5E);
            } else if ((x >> 8) % 100 < valid) {
                memcpy(buf + n, "\xE5\xBA\x9C", 3);
                n += 3;
            } else if ((x >> 8) % 50 == 0)
                buf[n++] = 0;
            else {
                const char *t = tok[(x >> 16) % ntok];
                size_t k = strlen(t);
                memcpy(buf + n, t, k);
                n += k;
            }
        }
        size_t bad = 0, nul = 0, mb = 0, lb = 0, nul2 = 0;
        fz_utf8_scan(buf, n, &bad, &nul, &mb);
        int out = fz_utf8_ruled_out(buf, n, &lb, &nul2);
        ruled += (size_t)out;
        if (plain && n > 0) {
            gb++;
            gb_ruled += (size_t)out;
        }
        if (out && (mb >= 2 * bad || lb == 0 || lb > bad || nul2 != nul)) {
            sound = 0;
            fprintf(stderr, "utf8 ruled out, round %d (%zu bytes): scan %zu valid, %zu invalid, "
                            "%zu NUL; said %zu invalid, %zu NUL\n",
                    round, n, mb, bad, nul, lb, nul2);
        }
    }
    CHECK_MSG(sound, "fz_utf8_ruled_out rules out only what fz_utf8_scan's counts rule out");
    CHECK(ruled > 1000 && gb > 700 && gb_ruled == gb);
}

/* fz_utf8_valid (32-byte blocks where the CPU has AVX2) against
 * fz_utf8_scan on valid text of every length below 300 bytes, and on the
 * same text with one damaged sequence at every place, the end of a block
 * and the end of the text included. */
static void test_utf8_valid(void)
{
    static const char *const good[] = {
        "\xE6\xB3\x95\xE6\xB2\xBB\xE6\x94\xBF\xE5\xBA\x9C", "\xE8\xA1\x8C", "\xE0\xA0\x80",
        "\xED\x9F\xBF", "a", "1 ", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xEF\xBC\x8C",
        "\xF4\x8F\xBF\xBF", "\xE3\x80\x82", "\n",
    };
    static const char *const bad[] = {
        "\x80", "\xE6\xB3", "\xE6", "\xF4\x90\x80\x80", "\xC0\xAF", "\xFF", "\xED\xA0\x80",
        "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF", "\xC2", "\xF0\x9F\x98", "\xBF\xBF", "",
    };
    const size_t ngood = sizeof good / sizeof *good, nbad = sizeof bad / sizeof *bad;
    uint32_t rnd = 11;
    int same = 1;
    size_t nvalid = 0, ninvalid = 0;
    for (size_t round = 0; round < 1500 && same; round++) {
        size_t want = round / 5; /* five texts of each length */
        char text[320];
        size_t n = 0;
        while (n < want) {
            rnd = rnd * 1103515245u + 12345u;
            const char *g = good[(rnd >> 12) % ngood];
            size_t k = strlen(g);
            if (n + k > want)
                k = 1, g = "b";
            memcpy(text + n, g, k);
            n += k;
        }
        for (size_t at = 0; at <= n + 1 && same; at++) {
            char buf[340];
            size_t m = n;
            memcpy(buf, text, n);
            if (at <= n) { /* at == n + 1: the text as it is */
                rnd = rnd * 1103515245u + 12345u;
                size_t b = (rnd >> 12) % nbad;
                size_t k = b == nbad - 1 ? 1 : strlen(bad[b]); /* the last one is NUL */
                memmove(buf + at + k, buf + at, n - at);
                memcpy(buf + at, bad[b], k);
                m = n + k;
            }
            int want_ok = fz_utf8_scan((const unsigned char *)buf, m, NULL, NULL, NULL);
            int got = fz_utf8_valid((const unsigned char *)buf, m);
            if (want_ok)
                nvalid++;
            else
                ninvalid++;
            if (got != want_ok) {
                same = 0;
                fprintf(stderr, "utf8 valid: %zu bytes, damage at %zu: %d, scan says %d\n", m, at,
                        got, want_ok);
            }
        }
    }
    CHECK_MSG(same, "fz_utf8_valid answers as fz_utf8_scan does");
    CHECK(nvalid == 1500 && ninvalid > 100000);
}

/* fz_decode's binary test on GB18030-like text (the bytes that reach it):
 * control bytes other than NUL, 09-0D and 1B are counted 16 at a time; the
 * text is binary when they are more than 2% of it and more than 2, as a
 * byte-by-byte count says, at every density around that line. */
static void test_binary_share(void)
{
    fz_decoder *dec = fz_decoder_new();
    fz_buf out;
    fz_buf_init(&out);
    uint32_t rnd = 5;
    int same = 1, nbin = 0, ntext = 0;
    for (int round = 0; round < 3000 && same; round++) {
        static unsigned char buf[4200];
        rnd = rnd * 1103515245u + 12345u;
        size_t want = 64 + (rnd >> 8) % 4000, n = 0;
        unsigned per_mille = (rnd >> 20) % 90; /* control bytes per thousand */
        size_t ctl = 0;
        while (n + 2 <= want) {
            rnd = rnd * 1103515245u + 12345u;
            unsigned r = rnd >> 8;
            if (r % 1000 < per_mille) {
                static const unsigned char c[] = { 1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 27, 31, 0x1F, 0x7F };
                unsigned char b = c[(r >> 10) % sizeof c];
                buf[n++] = b;
                ctl += b < 0x20 && (b < 9 || b > 13) && b != 27;
            } else {
                buf[n++] = (unsigned char)(0xB0 + (r >> 4) % 0x48);
                buf[n++] = (unsigned char)(0xA1 + (r >> 12) % 0x5E);
            }
        }
        int expect = ctl * 100 > n * 2 && ctl > 2;
        fz_decoded res;
        fz_decode(dec, buf, n, NULL, &out, &res);
        int got = res.binary != NULL;
        nbin += got;
        ntext += !got;
        if (got != expect) {
            same = 0;
            fprintf(stderr, "binary share round %d: %zu bytes, %zu control: %d, want %d\n", round,
                    n, ctl, got, expect);
        }
    }
    CHECK_MSG(same, "control bytes counted as one by one");
    CHECK(nbin > 300 && ntext > 300);
    fz_buf_release(&out);
    fz_decoder_free(dec);
}

/* The share of plausible UTF-16 units as the test byte by byte: 0 when
 * more than a tenth of them are not. */
static double share16(const unsigned char *s, size_t n, int big)
{
    size_t units = n / 2 > 32768 ? 32768 : n / 2, good = 0;
    for (size_t i = 0; i < units; i++) {
        unsigned u = big ? (unsigned)s[2 * i] << 8 | s[2 * i + 1]
                         : (unsigned)s[2 * i + 1] << 8 | s[2 * i];
        good += (u >= 0x20 && u < 0x7F) || u == '\n' || u == '\r' || u == '\t' ||
                (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3000 && u <= 0x303F) ||
                (u >= 0xFF00 && u <= 0xFFEF) || (u >= 0x2000 && u <= 0x206F) ||
                (u >= 0x3400 && u <= 0x4DBF) || u == 0xA0 || u == 0xB7;
    }
    if ((units - good) * 10 > units)
        return 0;
    return units ? (double)good / (double)units : 0;
}

/* fz_decode's UTF-16 test (units counted eight at a time) on random text
 * without a BOM, little or big endian, with shares of implausible units
 * around the tenth that decides, against share16. */
static void test_utf16_share(void)
{
    static const unsigned plausible[] = { 'a', ' ', '\n', '\t', '\r', 0x4E2D, 0x9FFF, 0x4E00,
                                          0x3002, 0xFF0C, 0x2014, 0x3400, 0xA0, 0xB7, 0x7E };
    static const unsigned implausible[] = { 0x01, 0x7F, 0x4DFF, 0xA000, 0xFFF0, 0x2070, 0x0100,
                                            0xE000, 0xD800, 0x1F, 0x0B, 0xB6, 0x33FF, 0x3040 };
    fz_decoder *dec = fz_decoder_new();
    fz_buf out;
    fz_buf_init(&out);
    uint32_t rnd = 99;
    int same = 1, n16 = 0, nother = 0;
    for (int round = 0; round < 2000 && same; round++) {
        static unsigned char buf[8200];
        rnd = rnd * 1103515245u + 12345u;
        size_t units = 8 + (rnd >> 8) % 4000, n = 0;
        int big = (rnd >> 20) & 1;
        unsigned per_mille = 40 + (rnd >> 21) % 120; /* implausible units per thousand */
        for (size_t k = 0; k < units; k++) {
            rnd = rnd * 1103515245u + 12345u;
            unsigned r = rnd >> 8;
            unsigned u = k == 0 ? 'a' /* no BOM, no magic; a NUL byte */
                         : r % 1000 < per_mille
                             ? implausible[(r >> 10) % (sizeof implausible / sizeof *implausible)]
                             : plausible[(r >> 10) % (sizeof plausible / sizeof *plausible)];
            buf[n++] = (unsigned char)(big ? u >> 8 : u & 0xFF);
            buf[n++] = (unsigned char)(big ? u & 0xFF : u >> 8);
        }
        if (rnd >> 31)
            buf[n++] = 'x'; /* an odd length */
        double le = share16(buf, n, 0), be = share16(buf, n, 1);
        const char *want = le >= 0.9 || be >= 0.9 ? (le >= be ? "UTF-16LE" : "UTF-16BE") : NULL;
        fz_decoded res;
        fz_decode(dec, buf, n, NULL, &out, &res);
        int is16 = res.encoding && strncmp(res.encoding, "UTF-16", 6) == 0;
        n16 += is16;
        nother += !is16;
        if (want ? !is16 || strcmp(res.encoding, want) != 0 : is16) {
            same = 0;
            fprintf(stderr, "utf16 share round %d: %zu bytes, le %.3f be %.3f: %s, want %s\n",
                    round, n, le, be, res.encoding ? res.encoding : "-", want ? want : "other");
        }
    }
    CHECK_MSG(same, "UTF-16 without a BOM is told by the share of plausible units");
    CHECK(n16 > 200 && nother > 200);
    fz_buf_release(&out);
    fz_decoder_free(dec);
}

/* ICU's to-Unicode callback as fz_decode uses it: U+FFFD, counted. */
static void count_fffd(const void *ctx, UConverterToUnicodeArgs *args, const char *units,
                       int32_t len, UConverterCallbackReason why, UErrorCode *err)
{
    (void)units;
    (void)len;
    if (why > UCNV_IRREGULAR)
        return;
    ++*(size_t *)ctx;
    *err = U_ZERO_ERROR;
    static const UChar fffd = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &fffd, 1, 0, err);
}

/* fz_decode's GB18030 (its two-byte map, ICU for the rest of a line from
 * anything else) against ICU on the whole text: random two-byte codes
 * (mapped, user-defined, unassigned and invalid trails), four-byte forms
 * whole and cut, stray 0x80/0xFF, lead bytes before line feeds and at the
 * end. */
static void test_gb18030_vs_icu(void)
{
    static const char *const tok[] = {
        "\n", "a", "12", " ", "\r\n", "\x81\x30\x81\x30", "\x84\x31\xA4\x39", "\x95\x32\x82\x36",
        "\x81\x30", "\x81\x30\x81", "\x80", "\xFF", "\x81", "\xA1\xA1", "\xA2\xE3", "\xFE\x51",
        "\xA6\xD9", "\x81\x7F", "\x81\xFF", "\xE3\x32\x9A\x35", "\x84\x31\xA5\x30",
    };
    const size_t ntok = sizeof tok / sizeof *tok;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open("GB18030", &st);
    size_t subs = 0;
    ucnv_setToUCallBack(cnv, count_fffd, &subs, NULL, NULL, &st);
    CHECK(U_SUCCESS(st));
    fz_decoder *dec = fz_decoder_new();
    fz_buf out;
    fz_buf_init(&out);
    uint32_t rnd = 99;
    int same = 1, compared = 0;
    for (int round = 0; round < 3000 && same && U_SUCCESS(st); round++) {
        char buf[1200];
        size_t n = 0;
        rnd = rnd * 1103515245u + 12345u;
        size_t want = 40 + (rnd >> 8) % 600;
        /* plain two-byte text mostly, so the detector takes it for GB18030 */
        while (n + 4 <= want) {
            rnd = rnd * 1103515245u + 12345u;
            unsigned r = rnd >> 8;
            if (r % 8) {
                buf[n++] = (char)(r % 3 ? 0xB0 + (r >> 4) % 0x48 : 0x81 + (r >> 4) % 0x7E);
                buf[n++] = (char)(0x40 + (r >> 12) % 0xBF);
            } else {
                const char *t = tok[(r >> 4) % ntok];
                memcpy(buf + n, t, strlen(t));
                n += strlen(t);
            }
        }
        if (rnd >> 30 == 0)
            buf[n++] = (char)0x81; /* a lead byte at the end */
        fz_decoded res;
        fz_decode(dec, buf, n, "gb18030", &out, &res);
        if (!res.encoding || strcmp(res.encoding, "GB18030") != 0)
            continue;
        compared++;
        static UChar u[4096];
        static char want8[8192];
        subs = 0;
        ucnv_reset(cnv);
        int32_t ulen = ucnv_toUChars(cnv, u, 4096, buf, (int32_t)n, &st);
        int32_t k = 0;
        u_strToUTF8(want8, (int32_t)sizeof want8, &k, u, ulen, &st);
        if (U_FAILURE(st) || res.len != (size_t)k || memcmp(res.text, want8, (size_t)k) != 0 ||
            res.invalid != subs) {
            same = 0;
            fprintf(stderr, "GB18030 round %d: %zu bytes, invalid %zu/%zu, %s\n", round, res.len,
                    res.invalid, subs, u_errorName(st));
        }
    }
    CHECK_MSG(same && compared > 2000, "GB18030 from the two-byte map equals ICU's converter");
    fz_buf_release(&out);
    fz_decoder_free(dec);
    ucnv_close(cnv);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK_MSG(f != NULL, path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Files of one directory are opened by name from the directory the reader
 * keeps open: alternating directories, a directory that has gone, a file
 * that is not there, a relative name and a path ending in '/' read (or
 * fail) as by their full paths. */
static void test_dirs(fz_reader *r)
{
    char root[] = "/tmp/fz_ingest_dirs_XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char a[64], b[64], fa[96], fb[96], fa2[96], none[96];
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(b, sizeof b, "%s/b", root);
    CHECK(mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0);
    snprintf(fa, sizeof fa, "%s/one.txt", a);
    snprintf(fa2, sizeof fa2, "%s/two.txt", a);
    snprintf(fb, sizeof fb, "%s/one.txt", b);
    snprintf(none, sizeof none, "%s/none.txt", a);
    put_file(fa, "甲目录第一份\n");
    put_file(fa2, "甲目录第二份\n");
    put_file(fb, "乙目录第一份\n");
    const char *order[] = { fa, fa2, fb, fa, fb, fb, fa2 };
    const char *want[] = { "甲目录第一份\n", "甲目录第二份\n", "乙目录第一份\n", "甲目录第一份\n",
                           "乙目录第一份\n", "乙目录第一份\n", "甲目录第二份\n" };
    int ok = 1;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        fz_diag d;
        fz_diag_init(&d);
        fz_document doc;
        ok &= fz_reader_read(r, order[i], &doc, &d) == 0 && strcmp(doc.text, want[i]) == 0 &&
              strcmp(doc.path, order[i]) == 0;
        fz_diag_release(&d);
    }
    CHECK_MSG(ok, "files of two directories in turn");

    fz_diag d;
    fz_diag_init(&d);
    fz_document doc;
    CHECK(fz_reader_read(r, none, &doc, &d) == FZ_EIO);
    CHECK(d.n == 1 && strstr(d.items[0].msg, "No such file or directory") != NULL);
    fz_diag_release(&d);

    /* the directory kept open is removed, another made under its name */
    fz_diag_init(&d);
    CHECK(fz_reader_read(r, fa, &doc, &d) == 0);
    CHECK(unlink(fa) == 0 && unlink(fa2) == 0 && rmdir(a) == 0 && mkdir(a, 0700) == 0);
    put_file(fa, "新甲目录\n");
    CHECK_MSG(fz_reader_read(r, fa, &doc, &d) == 0 && strcmp(doc.text, "新甲目录\n") == 0,
              "a directory made again under the same name is read anew");
    CHECK(fz_reader_read(r, fb, &doc, &d) == 0 && fz_reader_read(r, fa, &doc, &d) == 0 &&
          strcmp(doc.text, "新甲目录\n") == 0);
    fz_diag_release(&d);

    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL && chdir(b) == 0);
    fz_diag_init(&d);
    CHECK(fz_reader_read(r, "one.txt", &doc, &d) == 0 && strcmp(doc.text, "乙目录第一份\n") == 0);
    char slash[96];
    snprintf(slash, sizeof slash, "%s/", b);
    CHECK(fz_reader_read(r, slash, &doc, &d) < 0 && d.n == 1);
    fz_diag_release(&d);
    CHECK(chdir(cwd) == 0);

    unlink(fa);
    unlink(fb);
    rmdir(a);
    rmdir(b);
    rmdir(root);
}

int main(void)
{
    fz_reader *r = fz_reader_new();
    test_dirs(r);
    test_seeds(r);
    test_encodings(r);
    test_traditional(r);
    test_normalize(r);
    test_html(r);
    test_damage(r);
    test_pdf(r);
    test_html_parts();
    test_short_encodings(r);
    test_cjk_confidence();
    test_utf8_scan();
    test_utf8_valid();
    test_utf8_cut_before_ascii();
    test_utf8_ruled_out();
    test_binary_share();
    test_utf16_share();
    test_gb18030_vs_icu();
    fz_reader_free(r);
    fz_reader_free(NULL);
    return check_done();
}
