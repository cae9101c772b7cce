/* test_regions.c: resolving the region of a report (title, header,
 * signature, body; chains, short names, departments, shared names, traps),
 * looking names up, and the five seed reports against the gold labels. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "gazetteer.h"
#include "reader.h"
#include "resolve.h"
#include "xalloc.h"

/* A paragraph every report has; it names no place. */
#define P "党的领导是全面推进依法治国、加快建设法治政府最根本的保证,坚持依法行政,规范行政执法行为,全面加强法治政府建设。\n"

typedef struct tcase {
    const char *text;
    fz_region_status status;
    const char *code;    /* resolved code (NULL: not checked) */
    fz_level level;      /* checked when code is set */
    const char *dept;    /* department, "" for none */
    const char *method;  /* NULL: not checked */
    size_t ncand;        /* ambiguous: number of candidates (0: not checked) */
} tcase;

#define RES(text, code, level, method) { text, FZ_REGION_RESOLVED, code, level, "", method, 0 }
#define DEPT(text, code, dept) { text, FZ_REGION_RESOLVED, code, FZ_LEVEL_DEPARTMENT, dept, NULL, 0 }
#define AMB(text, n) { text, FZ_REGION_AMBIGUOUS, NULL, FZ_LEVEL_NONE, "", NULL, n }
#define NONE(text) { text, FZ_REGION_UNRESOLVED, NULL, FZ_LEVEL_NONE, "", NULL, 0 }

static const tcase cases[] = {
    /* titles with a chain of names */
    RES("连州市大路边镇人民政府2022年法治政府建设年度报告\n" P, "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    RES("广东省清远市连州市大路边镇2022年法治政府建设年度报告\n" P, "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    RES("韶关市曲江区2019年度法治政府建设年度报告\n" P, "440205", FZ_LEVEL_COUNTY, "title"),
    RES("清远市2021年法治政府建设年度报告\n" P, "4418", FZ_LEVEL_PREFECTURE, "title"),
    RES("广东省2020年法治政府建设年度报告\n" P, "44", FZ_LEVEL_PROVINCE, "title"),
    RES("上海市青浦区重固镇人民政府关于2024年度法治政府建设情况的报告\n" P, "310118109", FZ_LEVEL_TOWNSHIP, "title"),
    RES("天津市滨海新区新城镇2015年依法行政工作报告\n" P, "120116100", FZ_LEVEL_TOWNSHIP, "title"),
    RES("六盘水市钟山区荷城街道办事处2022年法治政府建设工作报告\n" P, "520201014", FZ_LEVEL_TOWNSHIP, "title"),
    RES("佛山市高明区荷城街道2021年法治政府建设年度报告\n" P, "440608004", FZ_LEVEL_TOWNSHIP, "title"),
    RES("黔南布依族苗族自治州2022年法治政府建设情况报告\n" P, "5227", FZ_LEVEL_PREFECTURE, "title"),
    RES("连南瑶族自治县2022年法治政府建设年度报告\n" P, "441826", FZ_LEVEL_COUNTY, "title"),
    RES("新疆维吾尔自治区2021年法治政府建设情况报告\n" P, "65", FZ_LEVEL_PROVINCE, "title"),
    RES("北京市东城区2022年法治政府建设年度情况报告\n" P, "110101", FZ_LEVEL_COUNTY, "title"),
    RES("东莞市2022年法治政府建设年度报告\n" P, "4419", FZ_LEVEL_PREFECTURE, "title"),
    RES("东莞市东城街道2022年法治政府建设年度报告\n" P, "441900003", FZ_LEVEL_TOWNSHIP, "title"),
    RES("重庆市渝中区2022年法治政府建设情况报告\n" P, "500103", FZ_LEVEL_COUNTY, "title"),
    RES("中共连州市委 连州市人民政府关于2022年度法治政府建设情况的报告\n" P, "441882", FZ_LEVEL_COUNTY, "title"),
    RES("安徽省马鞍山市和县2022年法治政府建设年度报告\n" P, "340523", FZ_LEVEL_COUNTY, "title"),
    RES("阳泉市城区2021年法治政府建设年度报告\n" P, "140302", FZ_LEVEL_COUNTY, "title"),
    RES("和县2022年法治政府建设年度报告\n" P, "340523", FZ_LEVEL_COUNTY, "title"),
    RES("2021年店镇法治政府建设工作报告\n" P "佳县店镇人民政府\n", "610828102", FZ_LEVEL_TOWNSHIP, "signature"),
    /* shortened names */
    RES("曲江区人民政府2020年法治政府建设年度报告\n" P, "440205", FZ_LEVEL_COUNTY, "title"),
    RES("韶关曲江2019年度法治政府建设报告\n" P, "440205", FZ_LEVEL_COUNTY, "title"),
    RES("连州市大路边2022年法治政府建设年度报告\n" P, "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    RES("大路边人民政府2022年法治政府建设年度报告\n" P, "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    RES("重固镇2024年法治政府建设报告\n" P, "310118109", FZ_LEVEL_TOWNSHIP, "title"),
    RES("2024年重固镇法治政府建设报告\n" P, "310118109", FZ_LEVEL_TOWNSHIP, "title"),
    /* departments of a region */
    DEPT("韶关市曲江区司法局2019年法治政府建设年度报告\n" P, "440205", "司法局"),
    DEPT("清远市市场监督管理局2022年法治政府建设年度报告\n" P, "4418", "市场监督管理局"),
    DEPT("连州市人民政府办公室2022年度法治政府建设工作报告\n" P, "441882", "人民政府办公室"),
    DEPT("上海市青浦区生态环境局2023年法治政府建设情况报告\n" P, "310118", "生态环境局"),
    DEPT("关于2022年法治政府建设情况的报告\n" P "韶关市曲江区司法局\n2023年1月5日\n", "440205", "司法局"),
    /* shared names: decided by the other divisions the document names */
    AMB("2015年新城镇依法行政工作报告\n" P, 19),
    AMB("荷城街道2022年法治政府建设工作报告\n" P, 2),
    RES("荷城街道2022年法治政府建设工作报告\n" P "结合荷城街道实际,根据《贵州省政府信息公开规定》做好公开。\n",
        "520201014", FZ_LEVEL_TOWNSHIP, "title"),
    RES("荷城街道2022年法治政府建设工作报告\n" P "在佛山市高明区委、区政府的领导下开展工作。\n",
        "440608004", FZ_LEVEL_TOWNSHIP, "title"),
    AMB("新城镇2020年法治政府建设工作报告\n" P "认真贯彻《河北省行政执法条例》。\n", 3),
    RES("新城镇2020年法治政府建设工作报告\n" P "认真贯彻《河北省行政执法条例》,落实保定市工作部署。\n",
        "130684101", FZ_LEVEL_TOWNSHIP, "title"),
    RES("2015年新城镇依法行政工作报告\n" P "我镇切实履行《天津市街道综合执法暂行办法》。\n"
        "通过滨海新区行政执法监督平台主动监督。\n天津市各区政府网站\n滨海新区政府系统网站\n",
        "120116100", FZ_LEVEL_TOWNSHIP, "title"),
    RES("2015年新城镇依法行政工作报告\n" P "天津市各区政府网站\n", "120116100", FZ_LEVEL_TOWNSHIP, "title"),
    RES("2020年新城镇法治政府建设报告\n" P "甘肃省兰州市西固区新城镇人民政府\n2021年1月20日\n",
        "620104100", FZ_LEVEL_TOWNSHIP, "title"),
    AMB("建设镇人民政府2022年法治政府建设年度报告\n" P, 6),
    AMB("2022年大塘镇法治政府建设工作报告\n" P, 0),
    RES("2022年大塘镇法治政府建设工作报告\n" P "与马坝镇、枫湾镇建立联调机制。\n",
        "440205101", FZ_LEVEL_TOWNSHIP, "title"),
    /* header and signature lines */
    RES("返回上一级\n2024年法治政府建设报告\n上海市青浦区重固镇人民政府\n2025.03.19\n" P,
        "310118109", FZ_LEVEL_TOWNSHIP, "header"),
    RES("头部\n2022年法治政府建设年度报告\n来源:大路边镇人民政府 发布时间:2023-01-19 10:33:50\n" P,
        "441882102", FZ_LEVEL_TOWNSHIP, "header"),
    RES(P P "现就2022年法治政府建设工作开展情况报告如下:\n" P "六盘水市钟山区人民政府荷城街道办事处\n",
        "520201014", FZ_LEVEL_TOWNSHIP, "signature"),
    RES(P "2022年法治政府建设工作总结\n" P P "中共大路边镇委员会 大路边镇人民政府\n2023年1月19日\n",
        "441882102", FZ_LEVEL_TOWNSHIP, "signature"),
    RES(P P P "韶关市曲江区人民政府\n2019年12月6日\n微博微信\n关闭\n", "440205", FZ_LEVEL_COUNTY,
        "signature"),
    RES(P P "佳县店镇人民政府\n2021年1月5日\n", "610828102", FZ_LEVEL_TOWNSHIP, "signature"),
    /* a web page title names the site after the report */
    RES("2016年徐杨街道依法行政工作报告_淮安经济技术开发区人民政府门户网站\n" P, "320871002",
        FZ_LEVEL_TOWNSHIP, "title"),
    RES("关于2022年度法治政府建设情况的报告 - 清远市人民政府网\n" P "连州市大路边镇人民政府\n",
        "441882102", FZ_LEVEL_TOWNSHIP, "signature"),
    RES("首页 > 政务公开 > 清远市 > 连州市大路边镇2022年法治政府建设年度报告\n" P, "441882102",
        FZ_LEVEL_TOWNSHIP, "title"),
    RES("连州市大路边镇2022年法治政府建设情况\n" P, "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    /* a site banner above a town's report */
    RES("清远市人民政府\n2022年法治政府建设年度报告\n2022年,我镇坚持依法行政,结合大路边镇实际开展工作。\n" P
        "大路边镇党委高度重视,我镇全面推进普法。\n", "441882102", FZ_LEVEL_TOWNSHIP, "body"),
    /* only the body names it */
    RES(P "结合荷城街道实际,现就2022年法治政府建设工作开展情况报告如下:\n"
        "荷城街道自觉接受党的领导。四是按照《钟山区行政机关政府信息公开工作实施办法》做好公开。\n",
        "520201014", FZ_LEVEL_TOWNSHIP, "body"),
    RES("2022年,我镇坚持依法行政。结合大路边镇实际,认真落实清远市委部署。\n" P
        "我镇与星子镇建立联防机制。大路边镇党委高度重视。\n",
        "441882102", FZ_LEVEL_TOWNSHIP, "body"),
    RES("2019年,全区深入推进依法行政,曲江区各部门认真履职。\n" P
        "马坝镇、大塘镇开展普法宣传,全区法治建设水平提升。曲江区司法局牵头推进。\n",
        "440205", FZ_LEVEL_COUNTY, "body"),
    AMB(P "结合荷城街道实际开展工作,荷城街道办事处认真履职。\n", 2),
    RES("2019年,我区全面贯彻党的十九大精神。区委印发了《韶关市曲江区2019年全面依法治区工作要点》,"
        "以区政府办文件形式印发了《曲江区2019年依法行政工作要点》。\n" P "全区共撤销22个事业单位。\n",
        "440205", FZ_LEVEL_COUNTY, "body"),
    NONE("2022年,我镇认真落实《钟山区行政机关政府信息公开工作实施办法》《钟山区法治政府建设实施方案》。\n"
         P "我镇全面推进依法行政,镇党委高度重视。\n"),
    /* other places are not the reporting body */
    RES("连州市大路边镇人民政府2022年法治政府建设年度报告\n" P "学习借鉴星子镇、龙坪镇经验,落实清远市委要求。\n",
        "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    RES("大路边镇2022年法治政府建设年度报告\n" P "根据《广东省法治政府建设年度报告制度工作指引》,"
        "对照北京市、上海市先进经验。\n",
        "441882102", FZ_LEVEL_TOWNSHIP, "title"),
    /* 在区委、区政府的领导下 names the superior; 我镇 says who speaks */
    RES("2022年,在区委、区政府的正确领导下,三张镇坚持依法行政。现将2022年我镇法治政府建设工作情况报告如下:\n"
        P "制定三张镇党的二十大精神宣讲工作方案。\n", "610502104", FZ_LEVEL_TOWNSHIP, "body"),
    /* a town's report that never names the town is not about the city it names */
    NONE("2022年,我镇坚持依法行政,认真落实清远市委、清远市政府部署。\n" P "我镇全面推进法治宣传,镇党委高度重视。\n"),
    NONE("2022年,全县深入推进依法行政,认真贯彻《广东省法治政府建设实施纲要》。\n" P),
    /* traps: no reporting body at all */
    NONE(P "根据《广东省法治政府建设年度报告制度工作指引》规定,认真部署各项工作。\n"),
    NONE("大路边村2022年工作报告\n" P),
    NONE(P "进一步提高镇政府执政效能,改善工作作风。\n"),
    NONE("人民政府2022年法治政府建设年度报告\n" P),
    NONE("法治政府建设年度报告\n" P),
    NONE("2022年法治政府建设工作报告\n" P "建设人民满意的法治政府,街道办事处认真履职,乡镇政府依法行政。\n"),
    NONE(""),
    NONE("\n\n\n"),
    NONE("新城路社区2022年工作总结\n" P),
    NONE("2022年法治政府建设工作报告\n" P "推进新城镇化建设,省、市和县三级联动。\n"),
};

/* The same result when every line is read for names (test_resolve_scan
 * compares every field). */
static int same_as_full(const fz_gazetteer *g, const fz_resolution *r, const char *text)
{
    fz_resolution f;
    fz_resolution_init(&f);
    fz_region_resolve_text_full(g, text, strlen(text), &f);
    int ok = f.status == r->status && strcmp(f.code, r->code) == 0 &&
             strcmp(f.method, r->method) == 0 && strcmp(f.candidates, r->candidates) == 0 &&
             strcmp(f.evidence.data, r->evidence.data) == 0;
    fz_resolution_release(&f);
    return ok;
}

static int run_case(const fz_gazetteer *g, fz_resolution *r, const tcase *c, size_t i)
{
    fz_region_resolve_text(g, c->text, strlen(c->text), r);
    int ok = r->status == c->status && same_as_full(g, r, c->text);
    if (c->code)
        ok &= strcmp(r->code, c->code) == 0 && r->level == c->level &&
              strcmp(r->department, c->dept) == 0;
    if (c->method)
        ok &= strcmp(r->method, c->method) == 0;
    if (c->status == FZ_REGION_AMBIGUOUS) {
        ok &= r->code[0] == '\0' && r->candidates[0] != '\0' && r->ncand >= 2;
        if (c->ncand)
            ok &= r->ncand == c->ncand;
    }
    if (c->status == FZ_REGION_UNRESOLVED)
        ok &= r->code[0] == '\0' && r->confidence == 0;
    if (!ok)
        fprintf(stderr, "case %zu: got %s %s level %s dept '%s' method %s ncand %zu\n%s", i,
                fz_region_status_name(r->status), r->code, fz_level_name(r->level), r->department,
                r->method, r->ncand, r->evidence.data);
    return ok;
}

typedef struct lcase {
    const char *query;
    size_t n;            /* divisions it names */
    const char *code;    /* one of them (NULL: none) */
} lcase;

static const lcase lookups[] = {
    { "曲江区", 1, "440205" },           { "曲江", 6, "440205" },
    { "韶关市曲江区", 1, "440205" },     { "韶关曲江", 1, "440205" },
    { "荷城街道", 2, "520201014" },      { "荷城", 2, "440608004" },
    { "钟山区荷城街道", 1, "520201014" }, { "六盘水市钟山区人民政府荷城街道办事处", 1, "520201014" },
    { "新城镇", 19, "120116100" },       { "滨海新区新城镇", 1, "120116100" },
    { "天津市滨海新区", 1, "120116" },   { "大路边", 1, "441882102" },
    { "大路边镇人民政府", 1, "441882102" }, { "441882102", 1, "441882102" },
    { "4419", 1, "4419" },               { "东莞市", 1, "4419" },
    { "广西", 1, "45" },                 { "内蒙古", 1, "15" },
    { "黔南", 1, "5227" },               { "重固镇", 1, "310118109" },
    { "上海市青浦区重固镇", 1, "310118109" }, { "连南", 1, "441826" },
    { "韶关市曲江区司法局", 1, "440205" }, { " 曲江区 ", 1, "440205" },
    { "市辖区", 0, NULL },               { "新区镇政府工作", 0, NULL },
    { "法治政府", 0, NULL },             { "", 0, NULL },
    { "999999", 0, NULL },               { "人民", 0, NULL },
};

static int run_lookup(const fz_gazetteer *g, const lcase *c)
{
    int32_t rows[64];
    size_t n = fz_region_lookup(g, c->query, rows, 64);
    int ok = n == c->n;
    if (c->code) {
        int found = 0;
        for (size_t i = 0; i < n && i < 64; i++)
            found |= strcmp(fz_gazetteer_at(g, (size_t)rows[i])->code, c->code) == 0;
        ok &= found;
    }
    if (!ok)
        fprintf(stderr, "lookup '%s': %zu divisions\n", c->query, n);
    return ok;
}

/* ---- the seeds against the gold ---- */

typedef struct gold {
    char file[128], code[16], level[16], year[8], published[16];
} gold;

/* Field i of a simple CSV line (no quoted commas in the gold file). */
static void field(const char *line, int i, char *out, size_t cap)
{
    const char *p = line;
    for (int k = 0; k < i && p; k++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    size_t n = 0;
    if (p)
        while (p[n] && p[n] != ',' && p[n] != '\n' && p[n] != '\r')
            n++;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p ? p : "", n);
    out[n] = '\0';
}

static int col(const char *header, const char *name)
{
    char f[64];
    for (int i = 0; i < 32; i++) {
        field(header, i, f, sizeof f);
        if (strcmp(f, name) == 0)
            return i;
    }
    return -1;
}

static size_t read_gold(gold *out, size_t max)
{
    char *path = check_shared("gold/seeds_docs.csv");
    size_t n = 0;
    char *data = check_slurp(path, &n);
    free(path);
    if (!data)
        return 0;
    size_t k = 0;
    char *save = NULL, *line = strtok_r(data, "\n", &save);
    const char *header = line;
    int cf = col(header, "file"), cc = col(header, "region_code"), cl = col(header, "level"),
        cy = col(header, "report_year"), cp = col(header, "published");
    CHECK(cf >= 0 && cc >= 0 && cl >= 0 && cy >= 0 && cp >= 0);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL && k < max) {
        field(line, cf, out[k].file, sizeof out[k].file);
        field(line, cc, out[k].code, sizeof out[k].code);
        field(line, cl, out[k].level, sizeof out[k].level);
        field(line, cy, out[k].year, sizeof out[k].year);
        field(line, cp, out[k].published, sizeof out[k].published);
        k++;
    }
    free(data);
    return k;
}

static int matches_gold(const fz_resolution *r, const gold *gd)
{
    char year[8] = "";
    if (r->has_year)
        snprintf(year, sizeof year, "%d", r->year);
    int ok = r->status == FZ_REGION_RESOLVED && strcmp(r->code, gd->code) == 0 &&
             strcmp(fz_level_name(r->level), gd->level) == 0 && strcmp(year, gd->year) == 0 &&
             strcmp(r->published, gd->published) == 0;
    if (!ok)
        fprintf(stderr, "%s: got %s %s %s year %s published '%s'\n%s", gd->file,
                fz_region_status_name(r->status), r->code, fz_level_name(r->level), year,
                r->published, r->evidence.data);
    return ok;
}

/* ---- threads share one gazetteer ---- */

typedef struct job {
    const fz_gazetteer *g;
    const char *text;
    size_t len;
    char code[16];
    int rounds_ok;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    fz_resolution r;
    fz_resolution_init(&r);
    for (int i = 0; i < 50; i++) {
        fz_region_resolve_text(j->g, j->text, j->len, &r);
        j->rounds_ok += strcmp(r.code, j->code) == 0;
    }
    fz_resolution_release(&r);
    return NULL;
}

int main(void)
{
    char *path = check_source("datasets/gazetteer.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load(path, &d);
    free(path);
    CHECK(g != NULL);
    if (!g)
        return check_done();

    fz_resolution r;
    fz_resolution_init(&r);
    size_t ncases = sizeof cases / sizeof *cases, nlook = sizeof lookups / sizeof *lookups;
    CHECK(ncases + nlook >= 80);
    for (size_t i = 0; i < ncases; i++)
        CHECK_MSG(run_case(g, &r, &cases[i], i), cases[i].text);
    for (size_t i = 0; i < nlook; i++)
        CHECK_MSG(run_lookup(g, &lookups[i]), lookups[i].query);

    /* the ambiguous list names every candidate with its path */
    const char *amb = "荷城街道2022年法治政府建设工作报告\n" P;
    fz_region_resolve_text(g, amb, strlen(amb), &r);
    CHECK(r.status == FZ_REGION_AMBIGUOUS && r.ncand == 2);
    CHECK(strstr(r.candidates, "520201014 荷城街道 贵州省/六盘水市/钟山区/荷城街道") != NULL);
    CHECK(strstr(r.candidates, "440608004 荷城街道 广东省/佛山市/高明区/荷城街道") != NULL);
    CHECK(r.confidence > 0 && r.confidence < 0.6);

    /* the result fills a document row, borrowing from the resolution */
    const char *t = "韶关市曲江区司法局2019年法治政府建设年度报告\n" P "2019年12月6日\n";
    fz_region_resolve_text(g, t, strlen(t), &r);
    fz_obs_doc doc;
    memset(&doc, 0, sizeof doc);
    fz_resolution_to_doc(&r, &doc);
    CHECK(strcmp(doc.region_code, "440205") == 0 && doc.level == FZ_LEVEL_DEPARTMENT);
    CHECK(strcmp(doc.department, "司法局") == 0 && strcmp(doc.county, "曲江区") == 0);
    CHECK(strcmp(doc.prefecture, "韶关市") == 0 && strcmp(doc.province, "广东省") == 0);
    CHECK(strcmp(doc.township, "") == 0 && strcmp(doc.region_status, "resolved") == 0);
    CHECK(strcmp(doc.region_method, "title") == 0 && doc.region_confidence > 0.9);
    CHECK(doc.has_year && doc.year == 2019 && strcmp(doc.year_method, "title") == 0);
    CHECK(strcmp(doc.published, "2019-12-06") == 0);
    CHECK(strcmp(doc.title, "韶关市曲江区司法局2019年法治政府建设年度报告") == 0);
    CHECK(strcmp(doc.region_candidates, "") == 0);

    t = "首页 > 政务公开 > 连州市大路边镇2022年法治政府建设年度报告_连州市人民政府网\n" P;
    fz_region_resolve_text(g, t, strlen(t), &r);
    CHECK(strcmp(r.title, "连州市大路边镇2022年法治政府建设年度报告") == 0);
    CHECK(strcmp(r.code, "441882102") == 0);

    t = "认真执行向本级人大报告工作制度,自觉接受人大监督。\n" P;
    fz_region_resolve_text(g, t, strlen(t), &r);
    CHECK(strcmp(r.title, "") == 0);

    /* a year only from the publication date, flagged as such */
    t = "连州市大路边镇人民政府法治政府建设年度报告\n" P "发布时间:2023-01-19\n";
    fz_region_resolve_text(g, t, strlen(t), &r);
    CHECK(r.has_year && r.year == 2022 && strcmp(r.year_method, "published") == 0);
    /* no year anywhere: NA, not 0 */
    t = "连州市大路边镇人民政府法治政府建设年度报告\n" P;
    fz_region_resolve_text(g, t, strlen(t), &r);
    CHECK(!r.has_year && r.year == 0 && r.year_method[0] == '\0' && r.published[0] == '\0');

    /* a huge text: names are looked for in its head and tail only */
    {
        fz_buf big;
        fz_buf_init(&big);
        fz_buf_adds(&big, "2022年法治政府建设工作报告\n");
        while (big.len < FZ_RESOLVE_MAX_SCAN + (1u << 20))
            fz_buf_adds(&big, P "荷城街道\n");
        fz_buf_adds(&big, "六盘水市钟山区人民政府荷城街道办事处\n2023年1月19日\n");
        fz_region_resolve_text(g, big.data, big.len, &r);
        CHECK(r.status == FZ_REGION_RESOLVED && strcmp(r.code, "520201014") == 0 &&
              strcmp(r.method, "signature") == 0);
        CHECK(r.has_year && r.year == 2022 && strcmp(r.published, "2023-01-19") == 0);
        fz_buf_release(&big);
    }

    /* the seeds, read by the real reader and as bare text */
    gold gd[16];
    size_t ng = read_gold(gd, 16);
    CHECK(ng == 5);
    fz_reader *rd = fz_reader_new();
    job jobs[5];
    char *texts[5] = { 0 };
    for (size_t i = 0; i < ng; i++) {
        char *rel = fz_xasprintf("seeds/%s", gd[i].file);
        char *fp = check_shared(rel);
        free(rel);
        fz_document doc2;
        fz_diag_clear(&d);
        int rc = fz_reader_read(rd, fp, &doc2, &d);
        CHECK_MSG(rc == 0, fp);
        if (rc == 0) {
            fz_region_resolve(g, &doc2, &r);
            CHECK_MSG(matches_gold(&r, &gd[i]), gd[i].file);
        }
        size_t n = 0;
        texts[i] = check_slurp(fp, &n);
        CHECK(texts[i] != NULL);
        if (texts[i]) {
            fz_region_resolve_text(g, texts[i], n, &r);
            CHECK_MSG(matches_gold(&r, &gd[i]), gd[i].file);
            if (i < 5)
                jobs[i] = (job){ g, texts[i], n, "", 0 };
            snprintf(jobs[i].code, sizeof jobs[i].code, "%s", gd[i].code);
        }
        free(fp);
    }
    fz_reader_free(rd);

    /* 新城镇 and 荷城街道 are shared names: only the context decides them */
    fz_region_resolve_text(g, "2015年新城镇依法行政工作报告\n", strlen("2015年新城镇依法行政工作报告\n"), &r);
    CHECK(r.status == FZ_REGION_AMBIGUOUS);

    /* five threads, one gazetteer */
    pthread_t th[5];
    size_t started = 0;
    for (size_t i = 0; i < ng && i < 5; i++)
        if (texts[i] && pthread_create(&th[i], NULL, worker, &jobs[i]) == 0)
            started |= (size_t)1 << i;
    for (size_t i = 0; i < ng && i < 5; i++)
        if (started & ((size_t)1 << i)) {
            pthread_join(th[i], NULL);
            CHECK_MSG(jobs[i].rounds_ok == 50, gd[i].file);
        }
    for (size_t i = 0; i < 5; i++)
        free(texts[i]);

    fz_resolution_release(&r);
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    return check_done();
}
