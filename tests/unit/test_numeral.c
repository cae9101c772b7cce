/* test_numeral.c: the numeral and quantity table (values, qualifiers and
 * non-figures, one row per case) and the numeral parser on its own. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "numeral.h"

typedef struct ncase {
    const char *text;
    int         found;      /* 1: a quantity is expected */
    double      value;      /* -1: any value */
    double      high;       /* value_high for ranges */
    const char *unit;
    const char *qual;       /* NULL: not checked */
} ncase;

static const ncase cases[] = {
    { "8宗", 1, 8.0, 0.0, "宗", "exact" },
    { "行政处罚案件8宗", 1, 8.0, 0.0, "宗", "exact" },
    { "共收有413宗投诉件", 1, 413.0, 0.0, "宗", "exact" },
    { "114块网格", 1, 114.0, 0.0, "块", "exact" },
    { "网格员112名", 1, 112.0, 0.0, "名", "exact" },
    { "1338宗", 1, 1338.0, 0.0, "宗", "exact" },
    { "1,338宗", 1, 1338.0, 0.0, "宗", "exact" },
    { "12,000份", 1, 12000.0, 0.0, "份", "exact" },
    { "1,234,567人", 1, 1234567.0, 0.0, "人", "exact" },
    { "87.5%", 1, 87.5, 0.0, "%", "exact" },
    { "达99%", 1, 99.0, 0.0, "%", "exact" },
    { "98.8%", 1, 98.8, 0.0, "%", "exact" },
    { "100%", 1, 100.0, 0.0, "%", "exact" },
    { "0.5%", 1, 0.5, 0.0, "%", "exact" },
    { "0件", 1, 0.0, 0.0, "件", "exact" },
    { "400余次", 1, 400.0, 0.0, "次", "at_least" },
    { "200余场次", 1, 200.0, 0.0, "场次", "at_least" },
    { "3000余份", 1, 3000.0, 0.0, "份", "at_least" },
    { "2000多人", 1, 2000.0, 0.0, "人", "at_least" },
    { "12000余份", 1, 12000.0, 0.0, "份", "at_least" },
    { "995件(次)", 1, 995.0, 0.0, "件次", "exact" },
    { "30人(次)", 1, 30.0, 0.0, "人次", "exact" },
    { "10524人次", 1, 10524.0, 0.0, "人次", "exact" },
    { "5件次", 1, 5.0, 0.0, "件次", "exact" },
    { "3场", 1, 3.0, 0.0, "场", "exact" },
    { "2期", 1, 2.0, 0.0, "期", "exact" },
    { "500册", 1, 500.0, 0.0, "册", "exact" },
    { "5个", 1, 5.0, 0.0, "个", "exact" },
    { "3位", 1, 3.0, 0.0, "位", "exact" },
    { "6例", 1, 6.0, 0.0, "例", "exact" },
    { "8起", 1, 8.0, 0.0, "起", "exact" },
    { "十二件", 1, 12.0, 0.0, "件", "exact" },
    { "十件", 1, 10.0, 0.0, "件", "exact" },
    { "二十件", 1, 20.0, 0.0, "件", "exact" },
    { "二十五名", 1, 25.0, 0.0, "名", "exact" },
    { "一百零五人", 1, 105.0, 0.0, "人", "exact" },
    { "一百人", 1, 100.0, 0.0, "人", "exact" },
    { "一百一十人", 1, 110.0, 0.0, "人", "exact" },
    { "两千三百份", 1, 2300.0, 0.0, "份", "exact" },
    { "两千份", 1, 2000.0, 0.0, "份", "exact" },
    { "两千三份", 1, 2300.0, 0.0, "份", "exact" },
    { "三百五十份", 1, 350.0, 0.0, "份", "exact" },
    { "一千余人", 1, 1000.0, 0.0, "人", "at_least" },
    { "受众一千余人", 1, 1000.0, 0.0, "人", "at_least" },
    { "三千二百零八人", 1, 3208.0, 0.0, "人", "exact" },
    { "一千零一件", 1, 1001.0, 0.0, "件", "exact" },
    { "九百九十九件", 1, 999.0, 0.0, "件", "exact" },
    { "三万余份", 1, 30000.0, 0.0, "份", "at_least" },
    { "三万五千份", 1, 35000.0, 0.0, "份", "exact" },
    { "一万五千人", 1, 15000.0, 0.0, "人", "exact" },
    { "一万五人", 1, 15000.0, 0.0, "人", "exact" },
    { "十万人", 1, 100000.0, 0.0, "人", "exact" },
    { "一亿人", 1, 100000000.0, 0.0, "人", "exact" },
    { "两次", 1, 2.0, 0.0, "次", "exact" },
    { "讲座两次", 1, 2.0, 0.0, "次", "exact" },
    { "三场", 1, 3.0, 0.0, "场", "exact" },
    { "五期", 1, 5.0, 0.0, "期", "exact" },
    { "四名", 1, 4.0, 0.0, "名", "exact" },
    { "六位", 1, 6.0, 0.0, "位", "exact" },
    { "七起", 1, 7.0, 0.0, "起", "exact" },
    { "八宗", 1, 8.0, 0.0, "宗", "exact" },
    { "九例", 1, 9.0, 0.0, "例", "exact" },
    { "十余场", 1, 10.0, 0.0, "场", "at_least" },
    { "二十余场", 1, 20.0, 0.0, "场", "at_least" },
    { "十多场", 1, 10.0, 0.0, "场", "at_least" },
    { "一百多人", 1, 100.0, 0.0, "人", "at_least" },
    { "十来个", 1, 10.0, 0.0, "个", "approx" },
    { "1.2万份", 1, 12000.0, 0.0, "份", "exact" },
    { "2.35万人", 1, 23500.0, 0.0, "人", "exact" },
    { "5万余人", 1, 50000.0, 0.0, "人", "at_least" },
    { "3千份", 1, 3000.0, 0.0, "份", "exact" },
    { "3万多人", 1, 30000.0, 0.0, "人", "at_least" },
    { "1.5万人次", 1, 15000.0, 0.0, "人次", "exact" },
    { "2千万元", 1, 20000000.0, 0.0, "元", "exact" },
    { "百分之九十五", 1, 95.0, 0.0, "%", "exact" },
    { "百分之九十五点五", 1, 95.5, 0.0, "%", "exact" },
    { "百分之百", 1, 100.0, 0.0, "%", "exact" },
    { "百分之五十", 1, 50.0, 0.0, "%", "exact" },
    { "百分之八", 1, 8.0, 0.0, "%", "exact" },
    { "百分之98", 1, 98.0, 0.0, "%", "exact" },
    { "约10524人次", 1, 10524.0, 0.0, "人次", "approx" },
    { "约200人", 1, 200.0, 0.0, "人", "approx" },
    { "大约300份", 1, 300.0, 0.0, "份", "approx" },
    { "近千人", 1, 1000.0, 0.0, "人", "approx" },
    { "近百件", 1, 100.0, 0.0, "件", "approx" },
    { "近300人", 1, 300.0, 0.0, "人", "approx" },
    { "将近500人", 1, 500.0, 0.0, "人", "approx" },
    { "接近90%", 1, 90.0, 0.0, "%", "approx" },
    { "300人左右", 1, 300.0, 0.0, "人", "approx" },
    { "200件上下", 1, 200.0, 0.0, "件", "approx" },
    { "超过100场", 1, 100.0, 0.0, "场", "at_least" },
    { "逾千人", 1, 1000.0, 0.0, "人", "at_least" },
    { "逾5000人", 1, 5000.0, 0.0, "人", "at_least" },
    { "100人以上", 1, 100.0, 0.0, "人", "at_least" },
    { "95%以上", 1, 95.0, 0.0, "%", "at_least" },
    { "至少3次", 1, 3.0, 0.0, "次", "at_least" },
    { "不少于10场", 1, 10.0, 0.0, "场", "at_least" },
    { "不低于90%", 1, 90.0, 0.0, "%", "at_least" },
    { "上百人", 1, 100.0, 0.0, "人", "at_least" },
    { "上千份", 1, 1000.0, 0.0, "份", "at_least" },
    { "千余人", 1, 1000.0, 0.0, "人", "at_least" },
    { "万余份", 1, 10000.0, 0.0, "份", "at_least" },
    { "百余场", 1, 100.0, 0.0, "场", "at_least" },
    { "不足10件", 1, 10.0, 0.0, "件", "at_most" },
    { "不到5%", 1, 5.0, 0.0, "%", "at_most" },
    { "10件以下", 1, 10.0, 0.0, "件", "at_most" },
    { "5人以内", 1, 5.0, 0.0, "人", "at_most" },
    { "不超过3次", 1, 3.0, 0.0, "次", "at_most" },
    { "最多5次", 1, 5.0, 0.0, "次", "at_most" },
    { "少于10人", 1, 10.0, 0.0, "人", "at_most" },
    { "10-20件", 1, 10.0, 20.0, "件", "range" },
    { "10~20件", 1, 10.0, 20.0, "件", "range" },
    { "10至20件", 1, 10.0, 20.0, "件", "range" },
    { "10到20件", 1, 10.0, 20.0, "件", "range" },
    { "十至二十件", 1, 10.0, 20.0, "件", "range" },
    { "三到五次", 1, 3.0, 5.0, "次", "range" },
    { "3—5次", 1, 3.0, 5.0, "次", "range" },
    { "1.2-1.5万人", 1, 12000.0, 15000.0, "人", "range" },
    { "达到98%", 1, 98.0, 0.0, "%", "exact" },
    { "共计12000余份", 1, 12000.0, 0.0, "份", "at_least" },
    { "累计调处1338宗", 1, 1338.0, 0.0, "宗", "exact" },
    { "总数995件", 1, 995.0, 0.0, "件", "exact" },
    { "举行听证1次", 1, 1.0, 0.0, "次", "exact" },
    { "一名法律顾问", 1, 1.0, 0.0, "名", "exact" },
    { "一次", 1, 1.0, 0.0, "次", "exact" },
    { "召开一次会议", 1, 1.0, 0.0, "次", "exact" },
    { "二〇二二人", 1, 2022.0, 0.0, "人", "exact" },
    { "共 8 宗", 1, 8.0, 0.0, "宗", "exact" },
    { "10多万人次", 1, 100000.0, 0.0, "人次", "at_least" },
    { "二十余万份", 1, 200000.0, 0.0, "份", "at_least" },
    { "3千余人", 1, 3000.0, 0.0, "人", "at_least" },
    { "87.5 %", 1, 87.5, 0.0, "%", "exact" },
    { "400 余次", 1, 400.0, 0.0, "次", "at_least" },
    { "2022 年", 0, 0, 0, NULL, NULL },
    { "2022年", 0, 0, 0, NULL, NULL },
    { "2022年度", 0, 0, 0, NULL, NULL },
    { "3月19日", 0, 0, 0, NULL, NULL },
    { "截至10月底", 0, 0, 0, NULL, NULL },
    { "2023-01-19", 0, 0, 0, NULL, NULL },
    { "10:33:50", 0, 0, 0, NULL, NULL },
    { "24小时", 0, 0, 0, NULL, NULL },
    { "30分钟", 0, 0, 0, NULL, NULL },
    { "3天", 0, 0, 0, NULL, NULL },
    { "两年", 0, 0, 0, NULL, NULL },
    { "近三年", 0, 0, 0, NULL, NULL },
    { "近年来", 0, 0, 0, NULL, NULL },
    { "第二届", 0, 0, 0, NULL, NULL },
    { "第一责任人", 0, 0, 0, NULL, NULL },
    { "第十二条", 0, 0, 0, NULL, NULL },
    { "第3次", 0, 0, 0, NULL, NULL },
    { "第一批", 0, 0, 0, NULL, NULL },
    { "第1名", 0, 0, 0, NULL, NULL },
    { "一是", 0, 0, 0, NULL, NULL },
    { "二是加强", 0, 0, 0, NULL, NULL },
    { "(一)", 0, 0, 0, NULL, NULL },
    { "1.完善制度", 0, 0, 0, NULL, NULL },
    { "1、完善制度", 0, 0, 0, NULL, NULL },
    { "七五普法", 0, 0, 0, NULL, NULL },
    { "六进", 0, 0, 0, NULL, NULL },
    { "法律十进", 0, 0, 0, NULL, NULL },
    { "三项制度", 1, -1, 0, "项", NULL },
    { "一岗双责", 0, 0, 0, NULL, NULL },
    { "一网通办", 0, 0, 0, NULL, NULL },
    { "双百", 0, 0, 0, NULL, NULL },
    { "1+N", 0, 0, 0, NULL, NULL },
    { "N+1", 0, 0, 0, NULL, NULL },
    { "12·4", 0, 0, 0, NULL, NULL },
    { "12345", 0, 0, 0, NULL, NULL },
    { "12345热线", 0, 0, 0, NULL, NULL },
    { "拨打12345", 0, 0, 0, NULL, NULL },
    { "热线12345", 0, 0, 0, NULL, NULL },
    { "电话0763-6612345", 0, 0, 0, NULL, NULL },
    { "0763", 0, 0, 0, NULL, NULL },
    { "〔2022〕1117号", 0, 0, 0, NULL, NULL },
    { "[2022]5号", 0, 0, 0, NULL, NULL },
    { "每月一次", 0, 0, 0, NULL, NULL },
    { "每季度开展一次", 0, 0, 0, NULL, NULL },
    { "每村1名", 0, 0, 0, NULL, NULL },
    { "每个窗口都选派了一名", 0, 0, 0, NULL, NULL },
    { "每日巡查4次", 0, 0, 0, NULL, NULL },
    { "一次性告知", 0, 0, 0, NULL, NULL },
    { "统一部署", 0, 0, 0, NULL, NULL },
    { "唯一", 0, 0, 0, NULL, NULL },
    { "同一件事", 0, 0, 0, NULL, NULL },
    { "逐一", 0, 0, 0, NULL, NULL },
    { "一起开展", 0, 0, 0, NULL, NULL },
    { "与律师一起", 0, 0, 0, NULL, NULL },
    { "一村一法律顾问", 0, 0, 0, NULL, NULL },
    { "一人一档", 0, 0, 0, NULL, NULL },
    { "三位一体", 0, 0, 0, NULL, NULL },
    { "一心为民", 0, 0, 0, NULL, NULL },
    { "一视同仁", 0, 0, 0, NULL, NULL },
    { "一把手", 0, 0, 0, NULL, NULL },
    { "一体机", 0, 0, 0, NULL, NULL },
    { "进一步", 0, 0, 0, NULL, NULL },
    { "一站式", 0, 0, 0, NULL, NULL },
    { "十九大", 0, 0, 0, NULL, NULL },
    { "十九届四中全会", 0, 0, 0, NULL, NULL },
    { "二十大", 0, 0, 0, NULL, NULL },
    { "四大项内容", 0, 0, 0, NULL, NULL },
    { "八步工作法", 0, 0, 0, NULL, NULL },
    { "五坚持", 0, 0, 0, NULL, NULL },
    { "两会", 0, 0, 0, NULL, NULL },
    { "千方百计", 0, 0, 0, NULL, NULL },
    { "百姓", 0, 0, 0, NULL, NULL },
    { "万众一心", 0, 0, 0, NULL, NULL },
    { "数十人", 0, 0, 0, NULL, NULL },
    { "几百人", 0, 0, 0, NULL, NULL },
    { "数百名", 0, 0, 0, NULL, NULL },
    { "若干", 0, 0, 0, NULL, NULL },
    { "5G网络", 0, 0, 0, NULL, NULL },
    { "COVID-19", 0, 0, 0, NULL, NULL },
    { "H1N1", 0, 0, 0, NULL, NULL },
    { "AB岗", 0, 0, 0, NULL, NULL },
    { "2020——2023年", 0, 0, 0, NULL, NULL },
    { "2015-2020年", 0, 0, 0, NULL, NULL },
    { "19217-20217月", 0, 0, 0, NULL, NULL },
    { "2021年7月-2021年7月", 0, 0, 0, NULL, NULL },
    { "零差错", 0, 0, 0, NULL, NULL },
    { "零投诉", 0, 0, 0, NULL, NULL },
    { "无一例", 0, 0, 0, NULL, NULL },
    { "第一道防线", 0, 0, 0, NULL, NULL },
    { "一系列", 0, 0, 0, NULL, NULL },
    { "一线", 0, 0, 0, NULL, NULL },
    { "全国一盘棋", 0, 0, 0, NULL, NULL },
    { "网格化", 0, 0, 0, NULL, NULL },
    { "v1.2版", 0, 0, 0, NULL, NULL },
    { "3·15", 0, 0, 0, NULL, NULL },
    { "一季度", 0, 0, 0, NULL, NULL },
    { "1月", 0, 0, 0, NULL, NULL },
    { "1-10月", 0, 0, 0, NULL, NULL },
    { "2022年以来", 0, 0, 0, NULL, NULL },
    { "十四五", 0, 0, 0, NULL, NULL },
    { "无", 0, 0, 0, NULL, NULL },
    { "百分之", 0, 0, 0, NULL, NULL },
    { "万元", 0, 0, 0, NULL, NULL },
    { "百", 0, 0, 0, NULL, NULL },
    { "千", 0, 0, 0, NULL, NULL },
    { "千余", 0, 0, 0, NULL, NULL },
    { "1.2", 0, 0, 0, NULL, NULL },
    { "100", 0, 0, 0, NULL, NULL },
    { "5G", 0, 0, 0, NULL, NULL },
    { "之一", 0, 0, 0, NULL, NULL },
    { "万一", 0, 0, 0, NULL, NULL },
    { "任一", 0, 0, 0, NULL, NULL },
    { "某一", 0, 0, 0, NULL, NULL },
    { "均一", 0, 0, 0, NULL, NULL },
    { "单一", 0, 0, 0, NULL, NULL },
    { "专一", 0, 0, 0, NULL, NULL },
};

static void table_test(void)
{
    size_t n = sizeof cases / sizeof *cases;
    char msg[512];
    CHECK(n >= 200);
    for (size_t i = 0; i < n; i++) {
        const ncase *c = &cases[i];
        fz_quantity q;
        size_t pos = 0;
        int found = fz_quantity_next(c->text, strlen(c->text), &pos, &q);
        if (!c->found) {
            snprintf(msg, sizeof msg, "'%s' is not a figure (got %g %s)", c->text,
                     found ? q.value : 0.0, found ? q.unit : "");
            CHECK_MSG(!found, msg);
            continue;
        }
        snprintf(msg, sizeof msg, "'%s' -> %g-%g %s %s (got %s%g-%g %s %s)", c->text, c->value,
                 c->high, c->unit, c->qual ? c->qual : "", found ? "" : "nothing: ",
                 found ? q.value : 0.0, found ? q.value_high : 0.0, found ? q.unit : "",
                 found ? fz_qual_name(q.qual) : "");
        int ok = found && strcmp(q.unit, c->unit) == 0;
        if (ok && c->value >= 0)
            ok = fabs(q.value - c->value) < 1e-9 * (1 + fabs(c->value));
        if (ok && c->qual)
            ok = strcmp(fz_qual_name(q.qual), c->qual) == 0;
        if (ok && c->qual && strcmp(c->qual, "range") == 0)
            ok = fabs(q.value_high - c->high) < 1e-9 * (1 + fabs(c->high));
        CHECK_MSG(ok, msg);
    }
}

static void parse_test(void)
{
    double v;
    int ch;
    CHECK(fz_numeral_parse("1338", 4, &v, &ch) == 4 && v == 1338 && ch == 0);
    CHECK(fz_numeral_parse("1,338宗", 9, &v, &ch) == 5 && v == 1338);
    CHECK(fz_numeral_parse("1,33", 4, &v, &ch) == 1 && v == 1);   /* not a thousands group */
    CHECK(fz_numeral_parse("12,3456", 7, &v, &ch) == 2 && v == 12);
    CHECK(fz_numeral_parse("87.5%", 5, &v, &ch) == 4 && v == 87.5);
    CHECK(fz_numeral_parse("十二", 6, &v, &ch) == 6 && v == 12 && ch == 1);
    CHECK(fz_numeral_parse("二〇二二年", 15, &v, &ch) == 12 && v == 2022);
    CHECK(fz_numeral_parse("一百零五", 12, &v, &ch) == 12 && v == 105);
    CHECK(fz_numeral_parse("九十五点五", 15, &v, &ch) == 15 && v == 95.5);
    CHECK(fz_numeral_parse("1.2万", 6, &v, &ch) == 6 && v == 12000);
    CHECK(fz_numeral_parse("万", 3, &v, &ch) == 3 && ch == 2);   /* bare unit */
    CHECK(fz_numeral_parse("是", 3, &v, &ch) == 0);
    CHECK(fz_numeral_parse("", 0, &v, &ch) == 0);
    CHECK(fz_numeral_parse("1234567890123456789", 19, &v, &ch) == 0); /* too many digits */
    CHECK(fz_measure_known("件次") && fz_measure_known("%") && !fz_measure_known("年"));

    /* scanning from a position, positions reported */
    const char *t = "2022年,我镇行政处罚案件8宗,公开及时率达87.5%。";
    size_t pos = 0;
    fz_quantity q;
    CHECK(fz_quantity_next(t, strlen(t), &pos, &q) == 1);
    CHECK(q.value == 8 && strncmp(t + q.start, "8宗", q.end - q.start) == 0);
    CHECK(fz_quantity_next(t, strlen(t), &pos, &q) == 1);
    CHECK(q.value == 87.5 && q.percent == 1 && strncmp(t + q.start, "87.5%", q.end - q.start) == 0);
    CHECK(fz_quantity_next(t, strlen(t), &pos, &q) == 0 && pos == strlen(t));

    /* a qualifier before the number widens the quantity */
    const char *u = "受理约200件";
    pos = 0;
    CHECK(fz_quantity_next(u, strlen(u), &pos, &q) == 1);
    CHECK(q.qual == FZ_QUAL_APPROX && q.start == strlen("受理"));

    /* truncated UTF-8 and stray bytes do not crash */
    const char bad[] = { (char)0xE4, (char)0xB8, '8', (char)0xE5, 0 };
    pos = 0;
    CHECK(fz_quantity_next(bad, 4, &pos, &q) == 0);
}

/* Every measure word is read after a number, with its normalized form, and
 * known to fz_measure_known (the lexicon's check); near misses are not. */
static void measure_test(void)
{
    static const char *const words[][2] = {
        { "件(次)", "件次" }, { "人(次)", "人次" }, { "场(次)", "场次" }, { "户(次)", "户次" },
        { "场次", "场次" },   { "人次", "人次" },   { "件次", "件次" },   { "户次", "户次" },
        { "批次", "批次" },
        { "件", "件" }, { "宗", "宗" }, { "起", "起" }, { "例", "例" }, { "名", "名" },
        { "人", "人" }, { "位", "位" }, { "次", "次" }, { "场", "场" }, { "期", "期" },
        { "份", "份" }, { "册", "册" }, { "本", "本" }, { "张", "张" }, { "个", "个" },
        { "块", "块" }, { "家", "家" }, { "处", "处" }, { "篇", "篇" }, { "项", "项" },
        { "条", "条" }, { "所", "所" }, { "支", "支" }, { "台", "台" }, { "套", "套" },
        { "批", "批" }, { "封", "封" }, { "幅", "幅" }, { "轮", "轮" }, { "单", "单" },
        { "户", "户" }, { "课", "课" }, { "堂", "堂" }, { "节", "节" }, { "元", "元" },
        { "座", "座" }, { "间", "间" }, { "队", "队" },
    };
    char text[64], msg[160];
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        snprintf(text, sizeof text, "共37%s。", words[i][0]);
        fz_quantity q;
        int found = fz_quantity_at(text, strlen(text), strlen("共"), &q);
        snprintf(msg, sizeof msg, "'%s' -> 37 %s (got %s)", text, words[i][1],
                 found ? q.unit : "nothing");
        CHECK_MSG(found && q.value == 37 && strcmp(q.unit, words[i][1]) == 0 &&
                      q.end == strlen(text) - strlen("。"),
                  msg);
        snprintf(msg, sizeof msg, "'%s' is a known measure word", words[i][1]);
        CHECK_MSG(fz_measure_known(words[i][1]), msg);
    }
    /* characters next to measure words in code point order are not units */
    static const char *const not_units[] = { "乂", "亻", "仟", "伫", "佰", "丫", "队长" };
    for (size_t i = 0; i < sizeof not_units / sizeof *not_units; i++) {
        snprintf(text, sizeof text, "37%s", not_units[i]);
        fz_quantity q;
        int found = fz_quantity_at(text, strlen(text), 0, &q);
        snprintf(msg, sizeof msg, "'%s' has unit %s", text, found ? q.unit : "nothing");
        CHECK_MSG(strcmp(not_units[i], "队长") == 0 ? found && strcmp(q.unit, "队") == 0 : !found,
                  msg);
    }
    /* every other 3-byte character after a number: no unit (the search
     * for one character is a hash of its bytes) */
    static const char singles[] = "个人件份位例元册单台名场块堂处套宗家封幅座张户所批支期本条次"
                                  "篇节课起轮间队项";
    int wrong = 0;
    for (unsigned c = 0x800; c <= 0xFFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        char ch[4] = { (char)(0xE0 | c >> 12), (char)(0x80 | (c >> 6 & 0x3F)),
                       (char)(0x80 | (c & 0x3F)), '\0' };
        snprintf(text, sizeof text, "37%s", ch);
        fz_quantity q;
        int found = fz_quantity_at(text, strlen(text), 0, &q);
        int unit = 0;
        for (size_t k = 0; k + 3 <= sizeof singles - 1; k += 3)
            if (memcmp(singles + k, ch, 3) == 0)
                unit = 1;
        if (found != unit || (found && (strcmp(q.unit, ch) != 0 || q.end != 5))) {
            if (wrong++ < 5) {
                snprintf(msg, sizeof msg, "'%s' has unit %s", text, found ? q.unit : "nothing");
                CHECK_MSG(0, msg);
            }
        }
    }
    CHECK(wrong == 0);
    /* 万 after a number multiplies it (37万元 is 370000 元), so 万元 is only a
     * lexicon unit */
    CHECK(fz_measure_known("万元"));
    CHECK(!fz_measure_known("年") && !fz_measure_known("件(次)") && !fz_measure_known(""));
}

/* Runs of 1 to 17 ASCII digits before what may and may not continue a
 * quantity: the value is the parser's, a run the parser refuses (more than
 * FZ_NUMERAL_MAX_DIGITS digits) or one followed by no measure word is no
 * figure. */
static void digit_run_test(void)
{
    static const struct {
        const char *after;
        int         figure;    /* 1: a figure when the run is short enough */
        double      mul, add;  /* its value: run * mul + add */
        size_t      max;       /* longest run it holds for */
    } runs[] = {
        { "件。", 1, 1, 0, 15 },    { "年。", 0, 1, 0, 15 },      { "", 0, 1, 0, 15 },
        { "%", 1, 1, 0, 15 },       { " 件", 1, 1, 0, 15 },       { "万人", 1, 1e4, 0, 15 },
        { "余件", 1, 1, 0, 15 },    { "多人", 1, 1, 0, 15 },      { ",000件", 1, 1000, 0, 3 },
        { ".5件", 1, 1, 0.5, 10 },  { "号", 0, 1, 0, 15 },        { "热线", 0, 1, 0, 15 },
        { "-", 0, 1, 0, 15 },       { "~", 0, 1, 0, 15 },         { "千余人", 1, 1e3, 0, 15 },
        { "a件", 0, 1, 0, 15 },
    };
    char text[96], msg[200];
    for (size_t nd = 1; nd <= FZ_NUMERAL_MAX_DIGITS + 2; nd++) {
        char digits[32];
        double run = 0;
        for (size_t k = 0; k < nd; k++) {
            digits[k] = (char)('1' + k % 9);
            run = run * 10 + (digits[k] - '0');
        }
        digits[nd] = '\0';
        for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
            if (nd > runs[i].max && nd <= FZ_NUMERAL_MAX_DIGITS)
                continue;
            snprintf(text, sizeof text, "共%s%s", digits, runs[i].after);
            fz_quantity q;
            int found = fz_quantity_at(text, strlen(text), strlen("共"), &q);
            int want = runs[i].figure && nd <= FZ_NUMERAL_MAX_DIGITS;
            double v = run * runs[i].mul + runs[i].add;
            snprintf(msg, sizeof msg, "'%s': %s (got %s %.17g)", text,
                     want ? "a figure" : "no figure", found ? "a figure" : "nothing",
                     found ? q.value : 0.0);
            CHECK_MSG(found == want && (!found || q.value == v), msg);
        }
    }
}

/* Every 3-byte character alone: a numeral of one character exactly for the
 * Chinese digits and units (their table is a hash of the code point), with
 * their values; after 3 it multiplies only as a unit of 100 and more. */
static void cn_char_test(void)
{
    static const struct {
        unsigned c;
        double   v;
    } chars[] = {
        { 0x96F6, 0 }, { 0x3007, 0 }, { 0x4E00, 1 }, { 0x4E8C, 2 }, { 0x4E24, 2 },
        { 0x4E09, 3 }, { 0x56DB, 4 }, { 0x4E94, 5 }, { 0x516D, 6 }, { 0x4E03, 7 },
        { 0x516B, 8 }, { 0x4E5D, 9 }, { 0x5341, 10 }, { 0x767E, 100 }, { 0x5343, 1000 },
        { 0x4E07, 1e4 }, { 0x4EBF, 1e8 },
    };
    int wrong = 0;
    char msg[96];
    for (unsigned c = 0x800; c <= 0xFFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        char t[5] = { '3', (char)(0xE0 | c >> 12), (char)(0x80 | (c >> 6 & 0x3F)),
                      (char)(0x80 | (c & 0x3F)), '\0' };
        double want = -1, v = -1, v3 = -1;
        for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
            if (chars[i].c == c)
                want = chars[i].v;
        int ch;
        size_t n = fz_numeral_parse(t + 1, 3, &v, &ch);
        size_t n3 = fz_numeral_parse(t, 4, &v3, NULL);
        int ok = want < 0 ? n == 0 && n3 == 1 && v3 == 3
                          : n == 3 && v == want && ch == (want >= 100 ? 2 : 1) &&
                                (want >= 100 ? n3 == 4 && v3 == 3 * want : n3 == 1 && v3 == 3);
        if (!ok && wrong++ < 5) {
            snprintf(msg, sizeof msg, "U+%04X: %zu bytes, %g; after 3: %zu bytes, %g", c, n, v,
                     n3, v3);
            CHECK_MSG(0, msg);
        }
    }
    CHECK(wrong == 0);
}

/* 每 up to 40 characters before a number makes it no figure, unless a
 * clause stop comes between: every distance, with ASCII in the way or not. */
static void mei_test(void)
{
    char text[256], msg[300];
    for (int n = 0; n <= 44; n++)
        for (int var = 0; var < 4; var++) {
            /* var 1: an ASCII letter after 每 (one character more); 2: 。
             * after 每; 3: a comma before 每 and a 2-byte character after */
            static const char *const after[] = { "", "a", "。", "\xC2\xB7" };
            size_t k = (size_t)snprintf(text, sizeof text, "%s每%s", var == 3 ? "," : "", after[var]);
            for (int i = 0; i < n; i++)
                k += (size_t)snprintf(text + k, sizeof text - k, "的");
            size_t pos = k;
            snprintf(text + k, sizeof text - k, "3件");
            fz_quantity q;
            int found = fz_quantity_at(text, strlen(text), pos, &q);
            int dist = n + 1 + (var == 1 || var == 3); /* characters back to 每 */
            int want = var == 2 || dist > 40;
            snprintf(msg, sizeof msg, "'%s': %s", text, want ? "a figure" : "no figure");
            CHECK_MSG(found == want, msg);
        }
}

int main(void)
{
    table_test();
    parse_test();
    measure_test();
    digit_run_test();
    cn_char_test();
    mei_test();
    return check_done();
}
