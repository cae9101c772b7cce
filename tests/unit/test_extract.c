/* test_extract.c: figures from real reports and from invented sentences.
 *
 * Part 1 reads the five seed reports through the real reader
 * (fz_reader_read) and compares the full extracted set with
 * gold/seeds_mentions.csv, read at test time: every gold row must be found
 * with the same indicator, value, unit, qualifier and primary flag, and
 * nothing else may be extracted. Part 2 runs realistic sentences written for
 * this test (the traps of the issue) through a hand-built fz_document.
 * FZ_TEST_VERBOSE=1 prints every extracted row. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "datadir.h"
#include "decode.h"
#include "extract.h"
#include "reader.h"
#include "suggest.h"
#include "tables.h"
#include "xalloc.h"

static int verbose;

static void print_row(const char *tag, const fz_obs_row *r)
{
    char v[64];
    if (r->qual == FZ_QUAL_RANGE)
        snprintf(v, sizeof v, "%g-%g", r->value, r->value_high);
    else
        snprintf(v, sizeof v, "%g", r->value);
    fprintf(stderr, "%s %s %s %s %s p=%d line=%ld phrase=%s | %s\n", tag,
            r->indicator[0] ? r->indicator : "-", v, r->unit, fz_qual_name(r->qual), r->primary,
            r->line, r->phrase, r->snippet);
}

/* gold phrases are raw text; the reader normalizes ﹪ and ％ to % */
static char *normalize_phrase(const char *s)
{
    char *o = fz_xmalloc(strlen(s) + 1), *w = o;
    while (*s) {
        if (strncmp(s, "\xEF\xB9\xAA", 3) == 0 || strncmp(s, "\xEF\xBC\x85", 3) == 0) {
            *w++ = '%';
            s += 3;
        } else {
            *w++ = *s++;
        }
    }
    *w = '\0';
    return o;
}

static void gold_test(const fz_lexicon *lex)
{
    fz_diag d;
    fz_diag_init(&d);
    char *gpath = check_shared("gold/seeds_mentions.csv");
    char *dpath = check_shared("gold/seeds_docs.csv");
    fz_table *gold = fz_csv_read_table(gpath, &d);
    fz_table *docs = fz_csv_read_table(dpath, &d);
    CHECK_MSG(gold != NULL, "gold/seeds_mentions.csv is readable");
    CHECK_MSG(docs != NULL, "gold/seeds_docs.csv is readable");
    if (!gold || !docs)
        goto done;
    int gfile = fz_table_find_col(gold, "file"), gind = fz_table_find_col(gold, "indicator");
    int gval = fz_table_find_col(gold, "value"), gunit = fz_table_find_col(gold, "unit");
    int gqual = fz_table_find_col(gold, "qualifier"), gprim = fz_table_find_col(gold, "primary");
    int gphr = fz_table_find_col(gold, "phrase"), dfile = fz_table_find_col(docs, "file");
    CHECK(gfile >= 0 && gind >= 0 && gval >= 0 && gunit >= 0 && gqual >= 0 && gprim >= 0 &&
          gphr >= 0 && dfile >= 0);
    if (gfile < 0 || gind < 0 || gval < 0 || gunit < 0 || gqual < 0 || gprim < 0 || gphr < 0 ||
        dfile < 0)
        goto done;
    CHECK(fz_table_nrows(docs) == 5);
    CHECK(fz_table_nrows(gold) >= 30);

    fz_reader *rd = fz_reader_new();
    fz_extractor *x = fz_extractor_new(lex);
    size_t ngold = fz_table_nrows(gold);
    int *gold_used = fz_xcalloc(ngold, sizeof *gold_used);
    int found = 0, fp = 0, wrong_primary = 0;
    for (size_t di = 0; di < fz_table_nrows(docs); di++) {
        const char *file = fz_table_text(docs, di, (size_t)dfile);
        char *rel = fz_xasprintf("seeds/%s", file);
        char *path = check_shared(rel);
        fz_document doc;
        int rc = fz_reader_read(rd, path, &doc, &d);
        CHECK_MSG(rc == 0, path);
        if (rc == 0) {
            fz_obs *obs = fz_obs_new();
            int amb = -1;
            int n = fz_extract_doc(x, &doc, di, 0, obs, &amb);
            CHECK(n == (int)fz_obs_nrows(obs));
            CHECK(amb >= 0);
            for (size_t ri = 0; ri < fz_obs_nrows(obs); ri++) {
                const fz_obs_row *r = fz_obs_row_at(obs, ri);
                if (verbose)
                    print_row(file, r);
                CHECK(r->doc == di);
                CHECK(r->line > 0);
                size_t gi;
                int match = 0;
                for (gi = 0; gi < ngold; gi++) {
                    if (gold_used[gi] || strcmp(fz_table_text(gold, gi, (size_t)gfile), file))
                        continue;
                    if (strcmp(fz_table_text(gold, gi, (size_t)gind), r->indicator) ||
                        strcmp(fz_table_text(gold, gi, (size_t)gunit), r->unit) ||
                        strcmp(fz_table_text(gold, gi, (size_t)gqual), fz_qual_name(r->qual)) ||
                        fabs(atof(fz_table_text(gold, gi, (size_t)gval)) - r->value) > 1e-9)
                        continue;
                    char *gp = normalize_phrase(fz_table_text(gold, gi, (size_t)gphr));
                    int same_place = strstr(gp, r->phrase) != NULL || strstr(r->snippet, gp) != NULL;
                    free(gp);
                    if (!same_place)
                        continue;
                    match = 1;
                    break;
                }
                if (!match) {
                    fp++;
                    print_row("UNEXPECTED", r);
                    continue;
                }
                gold_used[gi] = 1;
                found++;
                int want = atoi(fz_table_text(gold, gi, (size_t)gprim));
                if (want != r->primary) {
                    wrong_primary++;
                    print_row("PRIMARY", r);
                }
            }
            fz_obs_free(obs);
        }
        free(path);
        free(rel);
    }
    for (size_t gi = 0; gi < ngold; gi++)
        if (!gold_used[gi])
            fprintf(stderr, "MISSING %s %s %s%s %s primary=%s: %s\n",
                    fz_table_text(gold, gi, (size_t)gfile), fz_table_text(gold, gi, (size_t)gind),
                    fz_table_text(gold, gi, (size_t)gval), fz_table_text(gold, gi, (size_t)gunit),
                    fz_table_text(gold, gi, (size_t)gqual), fz_table_text(gold, gi, (size_t)gprim),
                    fz_table_text(gold, gi, (size_t)gphr));
    CHECK_MSG(found == (int)ngold, "every gold figure is found");
    CHECK_MSG(fp == 0, "nothing but the gold figures is extracted");
    CHECK_MSG(wrong_primary == 0, "primary flags match the gold");
    fprintf(stderr, "gold: %d of %zu found, %d unexpected, %d wrong primary\n", found, ngold, fp,
            wrong_primary);
    free(gold_used);
    fz_extractor_free(x);
    fz_reader_free(rd);
done:
    fz_table_free(gold);
    fz_table_free(docs);
    free(gpath);
    free(dpath);
    fz_diag_release(&d);
}

/* ---- invented sentences ---- */

/* Builds an fz_document over text (already normalized) by hand. */
typedef struct handdoc {
    fz_document doc;
    uint32_t   *off, *src;
} handdoc;

static void handdoc_init(handdoc *h, const char *text)
{
    memset(h, 0, sizeof *h);
    size_t len = strlen(text), n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && i + 1 < len)
            n++;
    h->off = fz_xcalloc(n, sizeof *h->off);
    h->src = fz_xcalloc(n, sizeof *h->src);
    size_t k = 0;
    h->off[k] = 0;
    h->src[k] = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && i + 1 < len) {
            k++;
            h->off[k] = (uint32_t)(i + 1);
            h->src[k] = (uint32_t)(k + 1);
        }
    h->doc.path = "sentences";
    h->doc.format = "text";
    h->doc.encoding = "UTF-8";
    h->doc.source = "text";
    h->doc.text = text;
    h->doc.len = len;
    h->doc.nlines = n;
    h->doc.line_off = h->off;
    h->doc.line_src = h->src;
}

static void handdoc_release(handdoc *h)
{
    free(h->off);
    free(h->src);
}

typedef struct scase {
    const char *text;
    const char *want; /* "id value unit qual primary; ..." in order, "" = nothing */
} scase;

/* Formats the rows as the want strings do. */
static void describe(const fz_obs *obs, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < fz_obs_nrows(obs); i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        char v[64];
        if (r->qual == FZ_QUAL_RANGE)
            snprintf(v, sizeof v, "%g-%g", r->value, r->value_high);
        else
            snprintf(v, sizeof v, "%g", r->value);
        int w = snprintf(buf + used, n - used, "%s%s %s %s %s %d", i ? "; " : "", r->indicator,
                         v, r->unit, fz_qual_name(r->qual), r->primary);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static const scase sentences[] = {
    /* keyword before, keyword after, qualifiers */
    { "2023年,全区共办理行政处罚案件1,338宗,罚没款120万元。",
      "penalty_cases 1338 宗 exact 1" },
    { "今年以来共受理群众投诉举报56件,办结率100%。",
      "complaints 56 件 exact 1; completion_rate 100 % exact 1" },
    { "全年共收到12345热线工单3200余件,按时办结率达98.6%。",
      "hotline_tickets 3200 件 at_least 1; completion_rate 98.6 % exact 1" },
    { "拨打12345热线反映问题的群众逐年增多。", "" },
    { "全镇共排查化解矛盾纠纷236起,调解成功231起,调解成功率97.9%。",
      "mediation_cases 236 起 exact 1; mediation_success 231 起 exact 1; "
      "mediation_success_rate 97.9 % exact 1" },
    { "共调处纠纷58件,成功率100%。",
      "mediation_cases 58 件 exact 1; mediation_success_rate 100 % exact 1" },
    { "项目验收成功率达95%。", "" },
    { "全街道划分网格36个,配备专职网格员36名、兼职网格员120名。",
      "grids 36 个 exact 1; grid_members 36 名 exact 1; grid_members 120 名 exact 0" },
    { "通过网格平台上报事件1500余件,办结率99%。",
      "grid_events 1500 件 at_least 1; completion_rate 99 % exact 1" },
    { "全镇有人民调解员85名,村(居)调委会18个。",
      "mediators 85 名 exact 1; mediation_committees 18 个 exact 0" },
    { "共有镇调委会1个、村调委会12个、行业性调解组织3个。",
      "mediation_committees 1 个 exact 0; mediation_committees 12 个 exact 0; "
      "mediation_committees 3 个 exact 1" },
    { "区政府收到行政复议申请42件,依法受理38件。",
      "admin_reconsideration_cases 42 件 exact 1; admin_reconsideration_cases 38 件 exact 0" },
    { "全年发生行政诉讼案件7件,行政机关负责人出庭应诉率100%。",
      "admin_litigation_cases 7 件 exact 1" },
    { "受理群众来信来访216件次。", "petitions 216 件次 exact 1" },
    { "对12件规范性文件进行合法性审查,审查率100%。",
      "normative_documents 12 件 exact 1" },
    { "全年开展重大行政决策合法性审查15件。", "legal_review_cases 15 件 exact 1" },
    { "组织召开听证会3次。", "hearings 3 次 exact 1" },
    { "清理规范性文件27件。", "normative_documents 27 件 exact 1" },
    { "聘请法律顾问4名,为12个村提供服务。", "legal_advisers 4 名 exact 1" },
    { "受理法律援助案件125件,为受援人挽回经济损失300余万元。",
      "legal_aid_cases 125 件 exact 1" },
    { "村居法律顾问全年提供法律咨询1200余人次。",
      "legal_services 1200 人次 at_least 1" },
    { "开展送法进企业、进校园活动30余场,发放宣传资料5000余份,受众群众约8000人。",
      "publicity_events 30 场 at_least 1; publicity_materials 5000 份 at_least 1; "
      "publicity_audience 8000 人 approx 1" },
    { "举办法治讲座十二场,参与群众一千二百余人。",
      "publicity_events 12 场 exact 1; publicity_audience 1200 人 at_least 1" },
    { "培养法律明白人312名。", "legal_literates 312 名 exact 1" },
    { "组织领导干部集中学法4次,举办依法行政专题培训2期。",
      "law_study_sessions 4 次 exact 1; law_study_sessions 2 期 exact 0" },
    { "召开学法工作会议3次。", "" },
    { "开展矛盾纠纷排查52次。", "dispute_screenings 52 次 exact 1" },
    { "行政执法信息公示及时率100%,群众满意度达96.5%以上。",
      "disclosure_timeliness_rate 100 % exact 1; satisfaction_rate 96.5 % at_least 1" },
    { "政务服务事项受理率、按期办结率均达100%。", "completion_rate 100 % exact 1" },
    { "群众满意率、办结率均达100%。",
      "satisfaction_rate 100 % exact 1; completion_rate 100 % exact 1" },
    { "满意率为百分之九十五点五。", "satisfaction_rate 95.5 % exact 1" },
    /* Chinese and mixed numerals */
    { "发放宣传册两千三百份。", "publicity_materials 2300 份 exact 1" },
    { "受众一百零五人。", "publicity_audience 105 人 exact 1" },
    { "发放宣传资料1.2万份,受众2.35万人次。",
      "publicity_materials 12000 份 exact 1; publicity_audience 23500 人次 exact 1" },
    { "发放普法资料三万余份。", "publicity_materials 30000 份 at_least 1" },
    { "受教育群众5万余人。", "publicity_audience 50000 人 at_least 1" },
    { "发放宣传单3千份。", "publicity_materials 3000 份 exact 1" },
    /* qualifiers */
    { "开展普法活动超过100场。", "publicity_events 100 场 at_least 1" },
    { "受众逾千人。", "publicity_audience 1000 人 at_least 1" },
    { "受理投诉近百件。", "complaints 100 件 approx 1" },
    { "调处纠纷300件左右。", "mediation_cases 300 件 approx 1" },
    { "全年信访件不足10件。", "petitions 10 件 at_most 1" },
    { "行政复议案件不到5件。", "admin_reconsideration_cases 5 件 at_most 1" },
    { "每场讲座受众在50人以下。", "" },
    { "开展法治宣传活动10-20次。", "publicity_events 10-20 次 range 1" },
    { "举办普法讲座十至二十场。", "publicity_events 10-20 场 range 1" },
    /* zero in words */
    { "全年实现零投诉。", "complaints 0 件 exact 1" },
    { "全年行政诉讼案件无一例败诉。", "" },
    { "全年行政复议案件无一例。", "admin_reconsideration_cases 0 例 exact 1" },
    { "全年没有发生行政诉讼案件。", "admin_litigation_cases 0 件 exact 1" },
    { "未发生因调解不当引起的民转刑案件。", "" },
    { "全年无行政诉讼案件。", "admin_litigation_cases 0 件 exact 1" },
    { "全年无信访案件发生。", "petitions 0 件 exact 1" },
    { "核查有无行政诉讼案件。", "" },
    { "无需开展法治宣传活动。", "" },
    { "无行政诉讼案件败诉。", "" },
    { "确保没有新增违建。", "" },
    /* not figures */
    { "2022年度,我镇严格执行3月19日出台的规定,截至10月底运行良好。", "" },
    { "值班人员24小时待命。", "" },
    { "召开第二届普法工作推进会,落实第一责任人职责。", "" },
    { "一是加强学法;二是开展普法。", "" },
    { "(一)加强普法宣传1.完善制度", "" },
    { "深入开展“七五”普法和法律“六进”活动,落实“三项制度”。", "" },
    { "推行“一村一法律顾问”制度,落实“一岗双责”和“一网通办”。", "" },
    { "开展“双百”活动和“1+N”普法模式,利用“12·4”宪法日开展普法宣传。", "" },
    { "依据《某某市人民政府办公室关于印发的通知》(某府办〔2022〕1117号)开展普法。", "" },
    { "按照第十二条的规定开展听证。", "" },
    { "法律顾问每月一次到村服务,每季度开展一次普法宣传。", "" },
    { "每村配备1名法律顾问。", "" },
    { "普法工作队深入20个村委会开展活动。", "" },
    { "贯彻落实《法治政府建设实施纲要(2021-2025年)》,开展普法宣传。", "" },
    { "学习《中国共产党百年法治大事记(1921年7月-2021年7月)》。", "" },
    { "公开举报电话12345678。", "" },
    { "统一开展普法一次性告知。", "" },
    { "律师与网格员一起调解纠纷。", "" },
    { "组织行政执法案卷评查会2次。", "" },
    { "评查行政处罚案卷30宗。", "" },
    { "与3家律师事务所签订合同。", "" },
    /* sub-units and primary */
    { "全区受理行政复议案件20件,其中镇街受理5件。",
      "admin_reconsideration_cases 20 件 exact 1; admin_reconsideration_cases 5 件 exact 0" },
    { "开展普法宣传活动80场。司法所开展普法活动12场。",
      "publicity_events 80 场 exact 1; publicity_events 12 场 exact 0" },
    /* respectively, changes, targets, short asides */
    { "受理行政复议案件和行政诉讼案件分别为5件和3件。",
      "admin_reconsideration_cases 5 件 exact 1; admin_litigation_cases 3 件 exact 1" },
    { "群众满意率同比提高5%,办结率提升至98%。", "completion_rate 98 % exact 1" },
    { "全镇信访总量为45件,同比下降30%。", "petitions 45 件 exact 1" },
    { "确保按期办结率达到100%,力争培育法律明白人2000名。", "" },
    { "按照上级要求,按计划开展普法活动30场。", "publicity_events 30 场 exact 1" },
    { "今年计划开展普法活动40场。", "" },
    { "开展普法宣传进村(社区)、进学校、进企业活动30余场。",
      "publicity_events 30 场 at_least 1" },
    { "12345政务服务便民热线共受理群众诉求8.6万件,办结率99.6%。",
      "hotline_tickets 86000 件 exact 1; completion_rate 99.6 % exact 1" },
    { "共受理群众诉求860件。", "" },
    { "全年共作出行政处罚决定45份,听证3次。",
      "penalty_cases 45 份 exact 1; hearings 3 次 exact 1" },
    { "建立人民调解委员会25个,其中村级调委会20个、企事业单位调委会5个。",
      "mediation_committees 25 个 exact 1; mediation_committees 20 个 exact 0; "
      "mediation_committees 5 个 exact 0" },
    { "发放《民法典》宣传手册2000余册。", "publicity_materials 2000 册 at_least 1" },
    { "举行听证会一次。", "hearings 1 次 exact 1" },
    /* labels and spaced-out numbers (tables, PDF text) */
    { "全年受理行政复议案件:12件;行政诉讼案件: 3 件。",
      "admin_reconsideration_cases 12 件 exact 1; admin_litigation_cases 3 件 exact 1" },
    { "行政处罚案件情况如下:共办结8宗。", "penalty_cases 8 宗 exact 1" },
    /* generic words need their context */
    { "开展安全隐患排查12次。", "" },
    { "排查矛盾纠纷56次,化解54起。", "dispute_screenings 56 次 exact 1" },
    { "化解矛盾纠纷涉及群众500人。", "" },
    { "整理档案资料300份。", "" },
    { "全区共有村(社区)法律顾问86名。", "legal_advisers 86 名 exact 1" },
    { "选聘5名律师担任法律顾问。", "legal_advisers 5 名 exact 1" },
    { "组织120名干部参加学法考试。", "" },
    { "群众满意度提高3个百分点。", "" },
    { "接待群众来访300人次。", "petitions 300 人次 exact 1" },
    { "十几场讲座和数十场宣传活动。", "" },
    { "上万人次参与普法活动。", "publicity_audience 10000 人次 at_least 1" },
    /* 其中 reaches only its own indicator; 镇/街道 prefixes are the area unless
     * listed with another level */
    { "受理信访件24件,其中网上信访13件,按时办结率达97.7%。",
      "petitions 24 件 exact 1; petitions 13 件 exact 0; completion_rate 97.7 % exact 1" },
    { "全年111名网格员开展巡查,其中专职网格员27名,处置网格事件697宗。",
      "grid_members 111 名 exact 1; grid_members 27 名 exact 0; grid_events 697 宗 exact 1" },
    { "2018年,街道人民调解委员会二十九个。", "mediation_committees 29 个 exact 1" },
    { "各村调委会共20个。", "mediation_committees 20 个 exact 0" },
    { "对18份重大行政决策事项开展合法性审查,审核行政合同7份。",
      "legal_review_cases 18 份 exact 1; legal_review_cases 7 份 exact 0" },
    { "应诉行政诉讼案件一起。", "admin_litigation_cases 1 起 exact 1" },
    { "本年度参与群众3753人次,取得了良好效果。", "publicity_audience 3753 人次 exact 1" },
    { "2022年受理投诉50件。2023年受理投诉80件。",
      "complaints 50 件 exact 0; complaints 80 件 exact 1" },
    { "组织开展“宪法宣传周”“民法典宣传月”等主题活动86场次。",
      "publicity_events 86 场次 exact 1" },
    { "开展政府开放日主题活动3次。", "" },
    { "法律顾问参与调解矛盾纠纷20起。全年受理纠纷152件,调解成功150件。",
      "mediation_cases 20 起 exact 0; mediation_cases 152 件 exact 1; "
      "mediation_success 150 件 exact 1" },
    { "全年无一例行政复议和行政诉讼案件。",
      "admin_reconsideration_cases 0 例 exact 1; admin_litigation_cases 0 例 exact 1" },
    { "全年没有发生行政复议和行政诉讼案件。",
      "admin_reconsideration_cases 0 件 exact 1; admin_litigation_cases 0 件 exact 1" },
    { "群众满意率达150%。", "" },
    { "现场解答群众咨询3000余人次。", "legal_services 3000 人次 at_least 1" },
    { "全年发生行政复议案件7件,其中维持5件,终止2件。",
      "admin_reconsideration_cases 7 件 exact 1; admin_reconsideration_cases 5 件 exact 0; "
      "admin_reconsideration_cases 2 件 exact 0" },
    { "建立网格微信群85个,投诉平台2个。", "" },
    { "组建律师服务团3个,法律顾问团队2个。", "" },
    /* plan section */
    { "一、工作成效\n开展普法活动50场。\n二、下一步工作计划\n计划开展普法活动60场。",
      "publicity_events 50 场 exact 1" },
    /* headings after blanks, with every numeral's lead bytes */
    { "四、工作成效\n开展普法活动50场。\n\xE3\x80\x80五、下一步工作计划\n开展普法活动60场。",
      "publicity_events 50 场 exact 1" },
    { "六、成效\n开展普法活动50场。\n 七、工作设想\n开展普法活动60场。",
      "publicity_events 50 场 exact 1" },
    { "八、成效\n开展普法活动50场。\n\t九、展望\n开展普法活动60场。\n十一、成效\n开展普法活动70场。",
      "publicity_events 50 场 exact 1; publicity_events 70 场 exact 0" },
    { "三、打算\n开展普法活动60场。\n二十、成效\n开展普法活动70场。",
      "publicity_events 70 场 exact 1" },
};

static void sentence_test(const fz_lexicon *lex)
{
    fz_extractor *x = fz_extractor_new(lex);
    fz_obs *obs = fz_obs_new();
    char got[2048], msg[4096];
    size_t n = sizeof sentences / sizeof *sentences;
    CHECK(n >= 60);
    for (size_t i = 0; i < n; i++) {
        handdoc h;
        handdoc_init(&h, sentences[i].text);
        fz_obs_clear(obs);
        int amb = 0;
        fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        describe(obs, got, sizeof got);
        snprintf(msg, sizeof msg, "%s\n     want: %s\n      got: %s", sentences[i].text,
                 sentences[i].want, got);
        CHECK_MSG(strcmp(got, sentences[i].want) == 0, msg);
        handdoc_release(&h);
    }
    fz_obs_free(obs);
    fz_extractor_free(x);
}

static void misc_test(const fz_lexicon *lex)
{
    fz_extractor *x = fz_extractor_new(lex);
    fz_obs *obs = fz_obs_new();
    handdoc h;

    /* ambiguity is counted, not emitted: two indicators claim 案件 equally */
    {
        static const char lexcsv[] =
            "id,name_zh,kind,unit,units,keywords,priority\n"
            "a,甲,count,件,件,案件|甲案,0\n"
            "b,乙,count,件,件,案件|乙案,0\n";
        fz_diag d;
        fz_diag_init(&d);
        fz_lexicon *two = fz_lexicon_parse("two.csv", lexcsv, strlen(lexcsv), &d);
        CHECK(two != NULL);
        if (two) {
            fz_extractor *x2 = fz_extractor_new(two);
            handdoc_init(&h, "全年办理案件12件,甲案3件。");
            int amb2 = -1;
            int n2 = fz_extract_doc(x2, &h.doc, 0, 0, obs, &amb2);
            CHECK(amb2 == 1);
            CHECK(n2 == 1 && strcmp(fz_obs_row_at(obs, 0)->indicator, "a") == 0);
            fz_obs_clear(obs);
            n2 = fz_extract_doc(x2, &h.doc, 0, FZ_EXTRACT_ALL_QUANTITIES, obs, &amb2);
            CHECK(n2 == 2 && amb2 == 1 && strcmp(fz_obs_row_at(obs, 0)->indicator, "") == 0);
            handdoc_release(&h);
            fz_extractor_free(x2);
        }
        fz_lexicon_free(two);
        fz_diag_release(&d);
    }
    int amb = 0, n;

    /* characters other than ASCII and CJK (é, an emoji, a stray byte) before
     * and between figures change nothing; a run-on text cut into pieces of
     * FZ_EXTRACT_MAX_SENTENCE bytes still gives its figures (Debug builds
     * also check the sentence pass against fz_quantity_next here) */
    {
        static const char mixed[] = "caf\xC3\xA9行政处罚案件8宗,一\xF0\x9F\x98\x80共调处纠纷12件。"
                                    "\xB8受理群众投诉二十件,\xE4\xB8行政处罚案件9宗。";
        handdoc_init(&h, mixed);
        fz_obs_clear(obs);
        n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        char got[512];
        describe(obs, got, sizeof got);
        CHECK_MSG(strcmp(got, "penalty_cases 8 宗 exact 1; mediation_cases 12 件 exact 1; "
                              "complaints 20 件 exact 1; penalty_cases 9 宗 exact 0") == 0,
                  got);
        handdoc_release(&h);
        size_t unit = strlen("行政处罚案件8宗、"), reps = 2 * FZ_EXTRACT_MAX_SENTENCE / unit;
        char *run = fz_xmalloc(reps * unit + 1);
        for (size_t i = 0; i < reps; i++)
            memcpy(run + i * unit, "行政处罚案件8宗、", unit);
        run[reps * unit] = '\0';
        handdoc_init(&h, run);
        fz_obs_clear(obs);
        n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        CHECK(n >= (int)reps - 2 && n <= (int)reps);
        handdoc_release(&h);
        free(run);
    }

    /* the sentence pass looks at characters two at a time: numerals, zero
     * words, 。 and a stray byte at either character of a pair, or at the
     * end of a line, are all seen */
    for (int pad = 0; pad < 6; pad++) {
        char text[512], got[512];
        char fill[32] = "";
        for (int k = 0; k < pad; k++)
            strcat(fill, k % 2 ? "的" : "x");
        snprintf(text, sizeof text,
                 "%s受理群众投诉二十件。%s行政处罚案件8宗,%s全年未发生行政诉讼案件。%s\xE4\xB8"
                 "共调处纠纷十二件",
                 fill, fill, fill, fill);
        handdoc_init(&h, text);
        fz_obs_clear(obs);
        n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        describe(obs, got, sizeof got);
        CHECK_MSG(strcmp(got, "complaints 20 件 exact 1; penalty_cases 8 宗 exact 1; "
                              "admin_litigation_cases 0 件 exact 1; mediation_cases 12 件 exact 1") == 0,
                  got);
        handdoc_release(&h);
    }

    /* stray bytes next to 年, 《》, “” and ( ): the one pass that finds them
     * reads them as the byte rules always did (an incomplete character
     * whose first two bytes are those of 《 hides a 《 right after it) */
    {
        static const struct {
            const char *text, *want;
        } stray[] = {
            { "2021年\xE5办理行政处罚案件(含简易程序)8宗,2022年行政处罚案件9宗。",
              "penalty_cases 8 宗 exact 0; penalty_cases 9 宗 exact 1" },
            { "\xE3\x80《行政处罚案件8宗》受理“群众投诉二十件”行政处罚案件(\xE2\x80)9宗。",
              "penalty_cases 8 宗 exact 1; penalty_cases 9 宗 exact 0" },
            { "(行政处罚案件8宗,\xB4(行政处罚案件9宗)\xE3)\x80行政处罚案件7宗。",
              "penalty_cases 8 宗 exact 0; penalty_cases 9 宗 exact 0; "
              "penalty_cases 7 宗 exact 1" },
        };
        for (size_t i = 0; i < sizeof stray / sizeof *stray; i++) {
            char got[512];
            handdoc_init(&h, stray[i].text);
            fz_obs_clear(obs);
            n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
            describe(obs, got, sizeof got);
            CHECK_MSG(strcmp(got, stray[i].want) == 0, got);
            handdoc_release(&h);
        }
    }

    /* unmapped quantities carry their noun */
    fz_obs_clear(obs);
    (void)amb;
    handdoc_init(&h, "我镇20个村委会已完成建设。");
    n = fz_extract_doc(x, &h.doc, 3, FZ_EXTRACT_ALL_QUANTITIES, obs, &amb);
    CHECK(n == 1);
    if (n == 1) {
        const fz_obs_row *r = fz_obs_row_at(obs, 0);
        CHECK(strcmp(r->indicator, "") == 0);
        CHECK(strcmp(r->noun, "村委会") == 0);
        CHECK(r->value == 20 && strcmp(r->unit, "个") == 0);
        CHECK(r->primary == 0 && r->doc == 3);
    }
    handdoc_release(&h);

    /* without the flag the same text gives nothing */
    fz_obs_clear(obs);
    handdoc_init(&h, "我镇20个村委会已完成建设。");
    CHECK(fz_extract_doc(x, &h.doc, 0, 0, obs, &amb) == 0);
    handdoc_release(&h);

    /* phrase, snippet, line */
    fz_obs_clear(obs);
    handdoc_init(&h, "标题\n\n2022年,我镇行政处罚案件8宗,公开及时率达87.5%。");
    n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
    CHECK(n == 2);
    if (n == 2) {
        const fz_obs_row *r = fz_obs_row_at(obs, 0);
        CHECK(strcmp(r->phrase, "行政处罚案件8宗") == 0);
        CHECK(strcmp(r->snippet, "我镇行政处罚案件8宗") == 0);
        CHECK(r->line == 3);
        r = fz_obs_row_at(obs, 1);
        CHECK(strcmp(r->phrase, "公开及时率达87.5%") == 0);
    }
    handdoc_release(&h);

    /* a long clause is trimmed to the snippet limit and keeps the phrase */
    fz_obs_clear(obs);
    {
        fz_buf b;
        fz_buf_init(&b);
        for (int i = 0; i < 100; i++)
            fz_buf_adds(&b, "深入");
        fz_buf_adds(&b, "开展普法活动5次");
        for (int i = 0; i < 100; i++)
            fz_buf_adds(&b, "持续");
        handdoc_init(&h, b.data);
        n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        CHECK(n == 1);
        if (n == 1) {
            const fz_obs_row *r = fz_obs_row_at(obs, 0);
            CHECK(strlen(r->snippet) <= (FZ_EXTRACT_SNIPPET_MAX + 10) * 3);
            CHECK(strstr(r->snippet, "普法活动5次") != NULL);
        }
        handdoc_release(&h);
        fz_buf_release(&b);
    }

    /* suggestions rank unmapped nouns by frequency */
    fz_obs_clear(obs);
    handdoc_init(&h, "我镇20个村委会已完成建设。全镇共有20个村委会,3个社区。\n"
                     "安装监控电子眼430个。另有5个社区。\n另有20个村委会。");
    n = fz_extract_doc(x, &h.doc, 0, FZ_EXTRACT_ALL_QUANTITIES, obs, &amb);
    CHECK(n == 6);
    size_t ns = 0;
    fz_suggestion *sg = fz_suggest_nouns(obs, lex, &ns);
    CHECK(ns == 3);
    if (ns == 3) {
        CHECK(strcmp(sg[0].noun, "村委会") == 0 && sg[0].count == 3 && sg[0].docs == 1);
        CHECK(strcmp(sg[0].units, "个") == 0);
        CHECK(strcmp(sg[1].noun, "社区") == 0 && sg[1].count == 2);
        CHECK(sg[2].count == 1 && strstr("安装监控电子眼", sg[2].noun) != NULL);
    }
    fz_suggest_free(sg);
    handdoc_release(&h);

    /* a run-on line of 300 KB is cut into bounded sentences, not choked on */
    fz_obs_clear(obs);
    {
        fz_buf b;
        fz_buf_init(&b);
        for (int i = 0; i < 20000; i++)
            fz_buf_adds(&b, "调解纠纷1件");
        handdoc_init(&h, b.data);
        n = fz_extract_doc(x, &h.doc, 0, 0, obs, &amb);
        CHECK(n > 19000 && n <= 20000);
        CHECK(fz_obs_nrows(obs) > 0 && fz_obs_row_at(obs, 0)->primary == 1);
        handdoc_release(&h);
        fz_buf_release(&b);
    }

    /* empty document */
    fz_obs_clear(obs);
    handdoc_init(&h, "");
    CHECK(fz_extract_doc(x, &h.doc, 0, 0, obs, &amb) == 0);
    handdoc_release(&h);

    fz_obs_free(obs);
    fz_extractor_free(x);
}

/* Random text from the pieces the sentence pass and the quantity scan look
 * at (digit runs, numerals, zero words, measure words, punctuation, 年,
 * 其中, 分别, quotes, broken UTF-8, a digit run across the sentence cut).
 * Debug builds check every sentence's quantity scan (the positions the
 * pass recorded) against fz_quantity_next over the whole sentence; here the
 * extraction must also not depend on what came before in the extractor. */
static void random_test(const fz_lexicon *lex)
{
    static const char *const pieces[] = {
        "0", "1", "12", "2022", "20221", "1,338", "3.5", "007", "一", "二", "两", "三", "十",
        "百", "千", "万", "亿", "零", "〇", "点", "无", "没有", "未发生", "未", "件", "人", "次",
        "万元", "人次", "件(次)", "余", "多", "来", "%", "百分之", "年", "2021年", "其中", "分别",
        "确保", "力争", "受理", "调解纠纷", "信访", "。", ",", ";", "!", "?", "\n", "(", ")",
        "《", "》", "“", "”", " ", "a", "x", ".", "-", "—", "至", "第", "每", "以上", "左右",
        "约", "近", "\xC2\xB7", "\xF0\x9F\x98\x80", "\x80", "\xE4\xB8", "\xFF", "中", "的", "了",
        "进一步", "统一",
    };
    /* fewer pieces, so that short combinations (2-1件, x1,2人) come up */
    static const char *const dense[] = { "0", "1", "23", "-", ",", ".", "a", "件", "人",
                                         "一", "十", "万", "余", "%", "。", "年" };
    const size_t np = sizeof pieces / sizeof *pieces, nd = sizeof dense / sizeof *dense;
    fz_extractor *x = fz_extractor_new(lex), *fresh = fz_extractor_new(lex);
    fz_obs *a = fz_obs_new(), *b = fz_obs_new();
    uint64_t seed = 0x9E3779B97F4A7C15u;
    fz_buf text;
    fz_buf_init(&text);
    for (int doc = 0; doc < 400; doc++) {
        fz_buf_reset(&text);
        size_t n = 1 + (size_t)(doc % 7) * 150;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            fz_buf_adds(&text, doc % 3 ? pieces[(seed >> 33) % np] : dense[(seed >> 33) % nd]);
        }
        if (doc % 50 == 0) { /* digits across FZ_EXTRACT_MAX_SENTENCE */
            while (text.len < FZ_EXTRACT_MAX_SENTENCE - 5)
                fz_buf_adds(&text, "中");
            fz_buf_adds(&text, "1234567890件");
        }
        handdoc h;
        handdoc_init(&h, text.data);
        fz_obs_clear(a);
        fz_obs_clear(b);
        int amb = 0;
        unsigned flags = doc % 2 ? FZ_EXTRACT_ALL_QUANTITIES : 0;
        int na = fz_extract_doc(x, &h.doc, 0, flags, a, &amb);
        fz_extractor_free(fresh);
        fresh = fz_extractor_new(lex);
        int nb = fz_extract_doc(fresh, &h.doc, 0, flags, b, &amb);
        CHECK(na == nb && fz_obs_nrows(a) == fz_obs_nrows(b));
        for (size_t r = 0; r < fz_obs_nrows(a) && r < fz_obs_nrows(b); r++) {
            const fz_obs_row *ra = fz_obs_row_at(a, r), *rb = fz_obs_row_at(b, r);
            CHECK(ra->value == rb->value && strcmp(ra->phrase, rb->phrase) == 0 &&
                  strcmp(ra->unit, rb->unit) == 0 && ra->primary == rb->primary);
        }
        handdoc_release(&h);
    }
    fz_buf_release(&text);
    fz_obs_free(a);
    fz_obs_free(b);
    fz_extractor_free(x);
    fz_extractor_free(fresh);
}

/* 1 if the two tables hold the same rows, field by field. */
static int same_rows(const fz_obs *a, const fz_obs *b)
{
    if (fz_obs_nrows(a) != fz_obs_nrows(b))
        return 0;
    for (size_t r = 0; r < fz_obs_nrows(a); r++) {
        const fz_obs_row *ra = fz_obs_row_at(a, r), *rb = fz_obs_row_at(b, r);
        if (strcmp(ra->indicator, rb->indicator) || ra->value != rb->value ||
            ra->value_high != rb->value_high || strcmp(ra->unit, rb->unit) ||
            ra->qual != rb->qual || ra->primary != rb->primary || ra->line != rb->line ||
            strcmp(ra->phrase, rb->phrase) || strcmp(ra->snippet, rb->snippet) ||
            strcmp(ra->noun, rb->noun))
            return 0;
    }
    return 1;
}

/* The sentence pass and the pass over a sentence's spans (mark_spans) pass
 * over valid UTF-8 64 bytes at a time (doc.utf8 set) and one character at a
 * time (not set): the same rows either way. The texts are long runs of
 * characters that stop nothing, cut by the pieces the passes stop at
 * (digits, numerals, zero words, 。;!?, line ends, 2- and 4-byte
 * characters, characters that share the stops' last bytes or lead byte,
 * target words and their first characters, parentheses), at every offset
 * from the 64-byte windows and from line and sentence ends, with figures
 * around them. */
static void skip_test(const fz_lexicon *lex)
{
    static const char *const filler[] = { "的", "工", "作", "调", "解", "纠", "纷", "案", "件",
                                          "受", "理", "中", "a", " ", ",", "(", ")", "“", "”",
                                          "《", "》", "、", ":" };
    static const char *const stops[] = {
        "1", "12", "2022年", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十",
        "百", "千", "万", "亿", "零", "〇", "无", "没有", "未发生", "未", "。", ";", "!", "?",
        "\n", "\xC2\xB7", "\xF0\x9F\x98\x80", "件", "%", "余", "丁", "丂", "乀", "亾", "与",
        "兀", "匁", "癿", "旡", "沠", "朩", "雬", "〃", "、", "受理纠纷12件", "调解案件三百余起",
        "无一例", "零投诉", "其中", "分别为5件和3件", "\n\n", "确保", "力争", "争取",
        "目标", "预计", "计划开展", "拟完成", "按计划开展", "确", "计", "(", ")",
    };
    const size_t nf = sizeof filler / sizeof *filler, ns = sizeof stops / sizeof *stops;
    fz_extractor *x = fz_extractor_new(lex);
    fz_obs *a = fz_obs_new(), *b = fz_obs_new();
    uint64_t seed = 0x51A7E5C0FFEEULL;
    fz_buf text;
    fz_buf_init(&text);
    int differ = 0, valid = 0;
    for (int doc = 0; doc < 600; doc++) {
        fz_buf_reset(&text);
        size_t pieces = 1 + (size_t)(doc % 13) * 40;
        /* long runs in some documents, short ones in others */
        size_t run = doc % 4 == 0 ? 200 : doc % 4 == 1 ? 40 : doc % 4 == 2 ? 12 : 3;
        for (size_t k = 0; k < pieces; k++) {
            size_t nfill = (size_t)(check_xorshift(&seed) % (run + 1));
            for (size_t i = 0; i < nfill; i++)
                fz_buf_adds(&text, filler[check_xorshift(&seed) % nf]);
            const char *st = stops[check_xorshift(&seed) % ns];
            fz_buf_adds(&text, st);
        }
        if (doc % 25 == 0) /* a run past FZ_EXTRACT_MAX_SENTENCE */
            for (size_t i = 0; i < FZ_EXTRACT_MAX_SENTENCE / 3 + 40; i++)
                fz_buf_adds(&text, i % 500 == 499 ? "8件" : "网");
        fz_buf_adds(&text, "共受理纠纷42件\n");
        handdoc h;
        handdoc_init(&h, text.data);
        h.doc.utf8 = fz_utf8_valid((const unsigned char *)text.data, text.len);
        valid += h.doc.utf8;
        fz_obs_clear(a);
        fz_obs_clear(b);
        unsigned flags = doc % 2 ? FZ_EXTRACT_ALL_QUANTITIES : 0;
        int amb_a = 0, amb_b = 0;
        int na = fz_extract_doc(x, &h.doc, 0, flags, a, &amb_a);
        h.doc.utf8 = 0;
        int nb = fz_extract_doc(x, &h.doc, 0, flags, b, &amb_b);
        if (na != nb || amb_a != amb_b || !same_rows(a, b))
            differ++;
        handdoc_release(&h);
    }
    CHECK(differ == 0);
    CHECK(valid == 600);
    fz_buf_release(&text);
    fz_obs_free(a);
    fz_obs_free(b);
    fz_extractor_free(x);
}

int main(void)
{
    verbose = getenv("FZ_TEST_VERBOSE") != NULL;
    char *path = check_source("datasets/lexicon.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = fz_lexicon_load(path, &d);
    CHECK_MSG(lex != NULL, "datasets/lexicon.csv loads");
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s:%ld: %s\n", d.items[i].file ? d.items[i].file : "", d.items[i].line,
                d.items[i].msg);
    if (lex) {
        gold_test(lex);
        sentence_test(lex);
        misc_test(lex);
        random_test(lex);
        skip_test(lex);
    }
    fz_lexicon_free(lex);
    fz_diag_release(&d);
    free(path);
    return check_done();
}
