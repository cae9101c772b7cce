/* test_year.c: report year and publication date, kept apart from the other
 * years a report mentions. */
#include <string.h>

#include "check.h"
#include "year.h"

static int date_is(const char *s, int y, int m, int d)
{
    int a, b, c;
    size_t n = fz_year_parse_date(s, strlen(s), &a, &b, &c);
    return n == strlen(s) && a == y && b == m && c == d;
}

static int no_date(const char *s)
{
    int a, b, c;
    return fz_year_parse_date(s, strlen(s), &a, &b, &c) == 0;
}

static int title(const char *s)
{
    return fz_year_from_title(s, strlen(s));
}

static int body(const char *s, int max)
{
    return fz_year_from_body(s, strlen(s), max);
}

static int published_is(const char *s, const char *want)
{
    char out[11] = "";
    int ok = fz_year_published(s, strlen(s), out);
    return want ? ok && strcmp(out, want) == 0 : !ok;
}

int main(void)
{
    /* dates as reports write them */
    CHECK(date_is("2023-01-19", 2023, 1, 19));
    CHECK(date_is("2016-03-31", 2016, 3, 31));
    CHECK(date_is("2025.03.19", 2025, 3, 19));
    CHECK(date_is("2023/1/9", 2023, 1, 9));
    CHECK(date_is("2023年1月19日", 2023, 1, 19));
    CHECK(date_is("2019年12月6日", 2019, 12, 6));
    CHECK(date_is("2019年12月6号", 2019, 12, 6));
    CHECK(date_is("二〇二三年一月十九日", 2023, 1, 19));
    CHECK(date_is("二〇一九年十二月三十一日", 2019, 12, 31));
    CHECK(date_is("2024年2月29日", 2024, 2, 29));
    /* every Chinese digit, 零 and the stand-in ○ for 〇 */
    CHECK(date_is("二零零八年五月四日", 2008, 5, 4));
    CHECK(date_is("二○一六年六月七日", 2016, 6, 7));
    CHECK(date_is("一九九八年八月九日", 1998, 8, 9));
    CHECK(date_is("二〇三五年三月二十三日", 2035, 3, 23));
    CHECK(no_date("二〇二三年一月日"));   /* no day */
    CHECK(no_date("二〇二亖年一月一日")); /* 亖 is no digit */
    CHECK(no_date("2023年2月29日"));   /* not a leap year */
    CHECK(no_date("2023-13-01"));
    CHECK(no_date("2023-04-31"));
    CHECK(no_date("2023年11月"));      /* no day */
    CHECK(no_date("2023-01/19"));      /* mixed separators */
    CHECK(no_date("1889-01-01"));      /* outside 1990..2100 */
    CHECK(no_date("2101-01-01"));
    CHECK(no_date("20231-01-01"));
    CHECK(no_date("2023-1-190"));
    CHECK(no_date(""));
    {   /* a date followed by a time: the date part is used */
        int y, m, d;
        const char *s = "2023-01-19 10:33:50";
        CHECK(fz_year_parse_date(s, strlen(s), &y, &m, &d) == 10);
    }

    /* titles */
    CHECK(title("连州市大路边镇人民政府2022年法治政府建设年度报告") == 2022);
    CHECK(title("韶关市曲江区2019年度法治政府建设年度报告") == 2019);
    CHECK(title("2024年重固镇法治政府建设报告") == 2024);
    CHECK(title("关于2021年度法治政府建设情况的报告") == 2021);
    CHECK(title("二〇二二年法治政府建设工作报告") == 2022);
    CHECK(title("法治政府建设年度报告") == 0);
    CHECK(title("关于《法治政府建设实施纲要(2021—2025年)》落实情况的报告") == 0);
    CHECK(title("2021—2025年法治政府建设规划") == 0);
    CHECK(title("2015-2020年依法行政工作总结") == 0);
    CHECK(title("1985年工作报告") == 0);
    CHECK(title("某镇2023年法治政府建设工作总结及2024年工作计划") == 2023);

    /* bodies */
    CHECK(body("结合荷城街道实际,现就2022年法治政府建设工作开展情况报告如下:\n"
               "一、2022年度法治政府建设工作的基本情况\n", 0) == 2022);
    CHECK(body("2022年,大路边镇以习近平新时代中国特色社会主义思想为指导,认真落实"
               "《法治中国建设规划(2020—2025年)》。\n现将2022年度我镇法治政府建设情况汇报如下:\n",
               0) == 2022);
    CHECK(body("今年以来,根据市、区有关会议精神。\n2019年,我区全面贯彻党的十九大精神。\n"
               "三、2020年工作设想\n2020年,我区将继续推进。\n", 0) == 2019);
    CHECK(body("认真落实《法治政府建设实施纲要(2015-2020年)》,到2020年年底前基本建成。\n", 0) == 0);
    CHECK(body("2024年年底前完成整改。2025年起实施。\n", 0) == 0);
    CHECK(body("自2018年以来,累计办理案件300件。\n", 0) == 0);
    CHECK(body("下一步工作计划\n2023年,我镇将继续加强法治宣传。\n现将2022年度工作报告如下:\n",
               2023) == 2022);
    /* years after the publication year are plans */
    CHECK(body("2024年,我镇全面推进依法行政。\n", 2023) == 0);
    CHECK(body("", 0) == 0);
    CHECK(body("第2022年", 0) == 0);
    /* the same bodies after 0..40 bytes of other text (a year, a 《, a line
     * end at each offset of a 16-byte block), with bytes next to the
     * digits and to 0xE3 around them */
    {
        static const struct { const char *s; int max, want; } cases[] = {
            { "认真落实《法治政府建设实施纲要(2015-2020年)》,到2020年年底前基本建成。\n", 0, 0 },
            { "下一步工作计划\n2023年,我镇将继续加强法治宣传。\n现将2022年度工作报告如下:\n",
              2023, 2022 },
            { "\n现将2022年度工作报告如下:\n", 0, 2022 },
            { "\n2019年,我区/:全面贯彻党的十九大精神。\n", 0, 2019 },
            { "\n见《2019年度工作报告》\n2020年,我区全面推进。\n", 0, 2020 },
        };
        static const char pad[] = "/:a\xE2\x80\x9C\xE4\xB8\x80;.";
        char buf[256];
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
            for (size_t i = 0; i <= 40; i++) {
                size_t n = 0;
                while (n < i) {
                    buf[n] = pad[n % (sizeof pad - 1)];
                    n++;
                }
                buf[n] = '\n';
                size_t m = strlen(cases[k].s);
                memcpy(buf + n + 1, cases[k].s, m + 1);
                CHECK(fz_year_from_body(buf, n + 1 + m, cases[k].max) == cases[k].want);
            }
    }

    /* publication dates */
    CHECK(published_is("连州市大路边镇人民政府2022年法治政府建设年度报告\n"
                       "来源:大路边镇人民政府 发布时间:2023-01-19 10:33:50 字体大小:\n"
                       "正文\n连州市大路边镇人民政府\n2023年1月19日\n",
                       "2023-01-19"));
    CHECK(published_is("2015年新城镇依法行政工作报告\n发布日期: 2016-03-31 09:48 来源: 新城镇\n",
                       "2016-03-31"));
    CHECK(published_is("返回上一级\n2024年重固镇法治政府建设报告\n上海市青浦区重固镇人民政府\n"
                       "2025.03.19\n2024年重固镇法治政府建设报告\n2024年11月\n正文。\n",
                       "2025-03-19"));
    CHECK(published_is("韶关市曲江区2019年度法治政府建设年度报告\n正文。\n"
                       "\xC2\xA0\xC2\xA0 韶关市曲江区人民政府\n\xC2\xA0 2019年12月6日\n微博微信\n关闭\n",
                       "2019-12-06"));
    /* the page's date under the header wins over the signature's */
    CHECK(published_is("2024年徐杨街道依法行政工作报告\n淮安经济技术开发区徐杨街道办事处\n2025.02.21\n"
                       "2024年,徐杨街道坚持以经济建设为中心,以促进经济发展、社会稳定、依法行政为目标,"
                       "深入开展法治宣传教育,着力夯实行政执法基础。现将2024年度法治政府建设工作情况报告如下:\n"
                       "淮安经济技术开发区徐杨街道办事处\n二〇二五年二月七日\n",
                       "2025-02-21"));
    CHECK(published_is("成文日期:2022年3月1日\n发布日期:2022年3月5日\n", "2022-03-05"));
    CHECK(published_is("时间:2022年3月5日\n", "2022-03-05"));
    /* 日 and 时 not in a label, 0x97 ending other characters (志) */
    CHECK(published_is("昨日时报日志\n日期:2020-01-02\n", "2020-01-02"));
    CHECK(published_is("日志日", NULL));
    /* the strongest label wins wherever it is; of one label, the first valid date */
    CHECK(published_is("日期:2021-01-02\n印发日期:2021-01-03\n发布时间:2021-01-04\n发布时间:2021-01-05\n",
                       "2021-01-04"));
    CHECK(published_is("发布时间:2021-02-30\n公开日期:2021-01-06 成文日期:2021-01-07\n"
                       "公开日期:2021-01-08\n",
                       "2021-01-06"));
    CHECK(published_is("发文日期 2020年5月6日 日期 2020-05-07\n", "2020-05-06"));
    CHECK(published_is("日期发布时间：2019.10.11", "2019-10-11"));
    CHECK(published_is("会议时间2022年3月5日召开\n", NULL)); /* a generic label needs a colon */
    CHECK(published_is("2022年3月5日,我镇召开会议。\n", NULL)); /* a date in a sentence */
    CHECK(published_is("结合荷城街道实际,现就2022年法治政府建设工作开展情况报告如下:\n"
                       "六盘水市钟山区人民政府荷城街道办事处\n",
                       NULL));
    CHECK(published_is("发布时间:2023-02-30\n", NULL));
    return check_done();
}
