/* test_resolve_scan.c: fz_region_resolve_text() looks for names on the lines
 * that can be a title, header or signature first and on the others only when
 * they can change the result; fz_region_resolve_text_full() always reads
 * every line. Both must give the same resolution, field by field and the
 * evidence byte for byte: on the seeds (bare text and through the reader),
 * the bundled sample, the resolver's fuzz corpus, cut and shuffled copies of
 * those, and a few thousand generated reports (titles, headers, signatures,
 * shared names, departments, self-references, papers, villages). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "gazetteer.h"
#include "reader.h"
#include "resolve.h"
#include "xalloc.h"

static int same_str(const char *what, const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    fprintf(stderr, "  %s: '%s' vs '%s'\n", what, a, b);
    return 0;
}

/* Every field of the two resolutions; prints the ones that differ. */
static int same(const fz_resolution *a, const fz_resolution *b)
{
    int ok = 1;
    if (a->status != b->status || a->region != b->region || a->level != b->level ||
        a->confidence != b->confidence || a->ncand != b->ncand || a->year != b->year ||
        a->has_year != b->has_year) {
        fprintf(stderr, "  status %d/%d region %d/%d level %d/%d confidence %g/%g ncand %zu/%zu "
                        "year %d/%d has_year %d/%d\n",
                (int)a->status, (int)b->status, (int)a->region, (int)b->region, (int)a->level,
                (int)b->level, a->confidence, b->confidence, a->ncand, b->ncand, a->year, b->year,
                a->has_year, b->has_year);
        ok = 0;
    }
    ok &= same_str("code", a->code, b->code);
    ok &= same_str("name", a->name, b->name);
    ok &= same_str("path", a->path, b->path);
    ok &= same_str("province", a->province, b->province);
    ok &= same_str("prefecture", a->prefecture, b->prefecture);
    ok &= same_str("county", a->county, b->county);
    ok &= same_str("township", a->township, b->township);
    ok &= same_str("department", a->department, b->department);
    ok &= same_str("method", a->method, b->method);
    ok &= same_str("candidates", a->candidates, b->candidates);
    ok &= same_str("year_method", a->year_method, b->year_method);
    ok &= same_str("published", a->published, b->published);
    ok &= same_str("title", a->title, b->title);
    for (size_t i = 0; ok && i < a->ncand; i++)
        if (a->cand[i] != b->cand[i]) {
            fprintf(stderr, "  candidate %zu: %d vs %d\n", i, (int)a->cand[i], (int)b->cand[i]);
            ok = 0;
        }
    if (a->evidence.len != b->evidence.len ||
        (a->evidence.len && memcmp(a->evidence.data, b->evidence.data, a->evidence.len) != 0)) {
        fprintf(stderr, "  evidence:\n%s  vs\n%s", a->evidence.len ? a->evidence.data : "",
                b->evidence.len ? b->evidence.data : "");
        ok = 0;
    }
    if (b->unscanned != 0) {
        fprintf(stderr, "  the full scan left %zu lines out\n", b->unscanned);
        ok = 0;
    }
    return ok;
}

/* same() for two resolutions of the same scan: unscanned lines too. */
static int same_scan(const fz_resolution *a, const fz_resolution *b)
{
    size_t left = b->unscanned;
    fz_resolution c = *b;
    c.unscanned = 0;
    int ok = same(a, &c);
    if (a->unscanned != left) {
        fprintf(stderr, "  %zu lines left out vs %zu\n", a->unscanned, left);
        ok = 0;
    }
    return ok;
}

typedef struct tally {
    size_t texts, skipped; /* texts, and those with lines left unscanned */
    size_t bad;
} tally;

static fz_resolution ra, rb;

static void compare(const fz_gazetteer *g, const char *t, size_t n, const char *what, tally *ty)
{
    fz_region_resolve_text(g, t, n, &ra);
    fz_region_resolve_text_full(g, t, n, &rb);
    ty->texts++;
    ty->skipped += ra.unscanned > 0;
    if (!same(&ra, &rb)) {
        if (ty->bad++ < 5)
            fprintf(stderr, "differs: %s\n%.*s\n", what, (int)(n < 2000 ? n : 2000), t);
    }
}

/* ---- a small deterministic generator ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

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

/* Names shared by many divisions, and a few that chain. */
static const char *const shared_names[] = {
    "新城镇", "荷城街道", "和平区", "城关镇", "新华街道", "朝阳区", "曲江区", "大路边镇",
    "钟山区", "滨海新区", "新城", "荷城", "曲江", "东城街道", "长安镇", "太平镇",
    "六盘水市", "韶关市", "天津市", "广东省", "清远市", "连州市", "和县", "店镇", "佳县",
};

static const char *const gov[] = { "人民政府", "政府", "街道办事处", "办事处", "党委",
                                   "党工委", "委员会", "人大", "管委会", "" };
static const char *const after[] = { "司法局", "人民政府办公室", "市场监督管理局", "村", "社区",
                                     "路", "中学", "派出所", "综合执法队", "", "", "",
                                     "化", "街", "所辖", "2022年" };
static const char *const selfref[] = { "我镇", "本镇", "全镇", "镇党委", "我区", "全区",
                                       "区政府", "本街道", "街道党工委", "我县", "全县",
                                       "县委", "我市", "全市", "市政府", "我乡", "乡政府" };
static const char *const filler[] = {
    "党的领导是全面推进依法治国、加快建设法治政府最根本的保证,坚持依法行政。",
    "规范行政执法行为,全面加强法治政府建设。", "推进新城镇化建设,省、市和县三级联动。",
    "认真执行向本级人大报告工作制度,自觉接受人大监督。", "现将有关情况报告如下：",
    "一、主要工作及成效", "（二）加强法治宣传教育，提升全民法治素养。", "2. 完善制度",
    "第三，强化监督。", "首页 > 政务公开 > 法治政府", "当前位置：首页",
};
static const char *const blanks[] = { "", "", "", "　　", "  ", "\t", " " };

/* A division's name, its chain from some ancestor, or a short form. */
static void add_name(fz_buf *b, const fz_gazetteer *g)
{
    uint32_t k = rnd(10);
    if (k < 3) {
        fz_buf_adds(b, PICK(shared_names));
        return;
    }
    int32_t row = (int32_t)rnd((uint32_t)fz_gazetteer_count(g));
    const fz_region *r = fz_gazetteer_at(g, (size_t)row);
    if (k < 6) {
        const char *chain[8];
        size_t n = 0;
        for (int32_t x = row; x >= 0 && n < 8; x = fz_gazetteer_at(g, (size_t)x)->parent)
            chain[n++] = fz_gazetteer_at(g, (size_t)x)->name;
        size_t from = rnd((uint32_t)n);
        for (size_t i = from + 1; i-- > 0;)
            fz_buf_adds(b, chain[i]);
    } else if (k < 8) {
        fz_buf_adds(b, r->name);
    } else {
        size_t n = strlen(r->name);
        fz_buf_printf(b, "%.*s", (int)(n > 6 ? n - 3 : n), r->name); /* 曲江区 -> 曲江 */
    }
}

static void add_title(fz_buf *b, const fz_gazetteer *g)
{
    if (rnd(6) == 0)
        fz_buf_adds(b, "首页 > 政务公开 > ");
    if (rnd(8) > 0) {
        add_name(b, g);
        fz_buf_adds(b, PICK(gov));
        if (rnd(5) == 0)
            fz_buf_adds(b, "司法局");
    }
    static const char *const kinds[] = { "法治政府建设年度报告", "依法行政工作报告",
                                         "法治政府建设工作总结", "法治政府建设情况",
                                         "工作报告", "政府信息公开年度报告" };
    fz_buf_printf(b, "%d年%s", 2015 + (int)rnd(9), PICK(kinds));
    if (rnd(6) == 0) {
        fz_buf_adds(b, rnd(2) ? "_" : " - ");
        add_name(b, g);
        fz_buf_adds(b, "人民政府门户网站");
    }
    fz_buf_adds(b, "\n");
}

/* Up to a dozen characters, ASCII or Chinese, that name nothing. */
static void add_noise(fz_buf *b)
{
    static const char *const bits[] = { "a", "1", " ", ":", "字", "体", "大", "中", "小", "浏",
                                        "览", "次", "数", "-", "|", "第" };
    for (size_t i = rnd(13); i > 0; i--)
        fz_buf_adds(b, PICK(bits));
}

static void add_org(fz_buf *b, const fz_gazetteer *g)
{
    if (rnd(3) == 0)
        add_noise(b); /* the label or the chain need not start the line */
    switch (rnd(7)) {
    case 0:
        fz_buf_adds(b, "来源:");
        add_name(b, g);
        fz_buf_adds(b, PICK(gov));
        fz_buf_printf(b, " 发布时间:%d-0%d-1%d 10:33:50 字体大小: 浏览次数:-", 2016 + (int)rnd(8),
                      1 + (int)rnd(9), (int)rnd(10));
        break;
    case 1:
        fz_buf_adds(b, rnd(2) ? "中共" : "中共 ");
        add_name(b, g);
        fz_buf_adds(b, "委员会 ");
        add_name(b, g);
        fz_buf_adds(b, "人民政府");
        break;
    case 2: {
        static const char *const labels[] = { "信息来源：", "发布机构: ", "发文机关:", "发布单位：",
                                              "发文单位 ", "单位:", "来源" };
        fz_buf_adds(b, PICK(labels));
        add_name(b, g);
        fz_buf_adds(b, PICK(gov));
        if (rnd(3) == 0)
            add_noise(b);
        break;
    }
    case 3:
        add_name(b, g);
        fz_buf_adds(b, PICK(after));
        break;
    default:
        add_name(b, g);
        fz_buf_adds(b, PICK(gov));
        if (rnd(3) == 0) {
            add_name(b, g);
            fz_buf_adds(b, PICK(gov));
        }
    }
    fz_buf_adds(b, "\n");
}

static void add_body(fz_buf *b, const fz_gazetteer *g)
{
    fz_buf_adds(b, PICK(blanks));
    size_t parts = 1 + rnd(8);
    for (size_t i = 0; i < parts; i++) {
        switch (rnd(9)) {
        case 0:
        case 1:
            add_name(b, g);
            fz_buf_adds(b, PICK(after));
            break;
        case 2:
            fz_buf_adds(b, "《");
            add_name(b, g);
            fz_buf_printf(b, "%d年依法行政工作要点》", 2015 + (int)rnd(9));
            break;
        case 3:
            fz_buf_adds(b, PICK(selfref));
            break;
        case 4:
            add_name(b, g);
            fz_buf_adds(b, PICK(gov));
            break;
        default:
            fz_buf_adds(b, PICK(filler));
        }
    }
    fz_buf_adds(b, "\n");
    if (rnd(3) == 0)
        fz_buf_adds(b, "\n");
}

static void gen_report(fz_buf *b, const fz_gazetteer *g)
{
    fz_buf_reset(b);
    if (rnd(3) == 0)
        fz_buf_adds(b, "【示例数据】本文件为自动生成的示例数据。\n\n头部\n\n");
    size_t tpos = b->len;
    if (rnd(10) > 0)
        add_title(b, g);
    size_t tlen = b->len - tpos;
    char *title = fz_xmalloc(tlen + 1);
    memcpy(title, b->data + tpos, tlen);
    title[tlen] = '\0';
    for (size_t i = rnd(4); i > 0; i--)
        add_org(b, g);
    size_t lines = rnd(4) == 0 ? rnd(6) : rnd(70);
    for (size_t i = 0; i < lines; i++) {
        if (rnd(40) == 0)
            fz_buf_adds(b, title); /* the title again */
        else if (rnd(12) == 0)
            add_org(b, g);
        else
            add_body(b, g);
    }
    for (size_t i = rnd(4); i > 0; i--)
        add_org(b, g);
    if (rnd(2))
        fz_buf_printf(b, "%d年%d月%d日\n", 2016 + (int)rnd(8), 1 + (int)rnd(12), 1 + (int)rnd(28));
    if (rnd(4) == 0)
        fz_buf_adds(b, "\n\n\nfooter底部\n");
    free(title);
}

/* ---- cut and shuffled copies of a real text ---- */

typedef struct span {
    size_t b, e;
} span;

static void variants(const fz_gazetteer *g, const char *t, size_t n, const char *what, tally *ty)
{
    span *ls = NULL;
    size_t nl = 0, cap = 0;
    for (size_t b = 0; b < n;) {
        const char *nlp = memchr(t + b, '\n', n - b);
        size_t e = nlp ? (size_t)(nlp - t) + 1 : n;
        if (nl == cap) {
            cap = cap ? cap * 2 : 256;
            ls = fz_xreallocarray(ls, cap, sizeof *ls);
        }
        ls[nl++] = (span){ b, e };
        b = e;
    }
    fz_buf v;
    fz_buf_init(&v);
    for (int round = 0; round < 12 && nl > 0; round++) {
        fz_buf_reset(&v);
        size_t from = round < 4 ? rnd((uint32_t)(nl < 40 ? nl : 40)) : 0;
        size_t to = round >= 2 && round < 8 ? nl - rnd((uint32_t)(nl < 40 ? nl : 40)) : nl;
        for (size_t k = from; k < to; k++) {
            size_t src = k;
            if (round >= 6 && rnd(4) == 0)
                src = rnd((uint32_t)nl); /* a line from elsewhere */
            if (round >= 9 && rnd(10) == 0)
                continue;
            fz_buf_add(&v, t + ls[src].b, ls[src].e - ls[src].b);
        }
        compare(g, v.data ? v.data : "", v.len, what, ty);
    }
    fz_buf_release(&v);
    free(ls);
}

/* Every regular file of dir (sorted), through the reader and as bare text. */
static void each_file(const fz_gazetteer *g, const char *dir, int use_reader, int cut, tally *ty)
{
    DIR *d = opendir(dir);
    CHECK_MSG(d != NULL, dir);
    if (!d)
        return;
    fz_reader *rd = fz_reader_new();
    fz_diag diag;
    fz_diag_init(&diag);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *fp = fz_xasprintf("%s/%s", dir, de->d_name);
        size_t n = 0;
        char *raw = check_slurp(fp, &n);
        if (raw) {
            compare(g, raw, n, fp, ty);
            if (cut)
                variants(g, raw, n, fp, ty);
            free(raw);
        }
        fz_document doc;
        fz_diag_clear(&diag);
        if (use_reader && fz_reader_read(rd, fp, &doc, &diag) == 0 && doc.text) {
            compare(g, doc.text, doc.len, fp, ty);
            /* the document's own line starts give what the lines found give */
            fz_region_resolve(g, &doc, &rb);
            if (!same_scan(&ra, &rb) && ty->bad++ < 5)
                fprintf(stderr, "line starts differ: %s\n", fp);
            if (cut)
                variants(g, doc.text, doc.len, fp, ty);
        }
        free(fp);
    }
    closedir(d);
    fz_diag_release(&diag);
    fz_reader_free(rd);
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
    CHECK(fz_gazetteer_min_name(g) >= 1 && fz_gazetteer_min_name(g) <= 6);
    fz_resolution_init(&ra);
    fz_resolution_init(&rb);

    tally seeds = { 0 }, sample = { 0 }, fuzz = { 0 }, gen = { 0 };
    char *dir = check_shared("seeds");
    each_file(g, dir, 1, 1, &seeds);
    free(dir);
    dir = check_source("datasets/sample");
    each_file(g, dir, 1, 1, &sample);
    free(dir);
    dir = check_source("tests/fuzz/corpus/resolve");
    each_file(g, dir, 0, 1, &fuzz);
    free(dir);

    fz_buf b;
    fz_buf_init(&b);
    for (int i = 0; i < 4000; i++) {
        gen_report(&b, g);
        char what[32];
        snprintf(what, sizeof what, "generated %d", i);
        compare(g, b.data ? b.data : "", b.len, what, &gen);
    }
    /* a text too long to rule out the cap on names is read in full */
    fz_buf_reset(&b);
    fz_buf_adds(&b, "韶关市曲江区2019年度法治政府建设年度报告\n");
    while (b.len < 20000 * 6 + 1000)
        fz_buf_adds(&b, "新城镇荷城街道曲江区大路边镇和平区\n");
    fz_buf_adds(&b, "韶关市曲江区人民政府\n");
    compare(g, b.data, b.len, "many names", &gen);
    CHECK(ra.unscanned == 0 && strcmp(ra.code, "440205") == 0);
    /* a short report decided by its title reads only its zoned lines */
    fz_buf_reset(&b);
    fz_buf_adds(&b, "连州市大路边镇人民政府2022年法治政府建设年度报告\n");
    for (int i = 0; i < 40; i++)
        fz_buf_adds(&b, "同志们从新城镇和荷城街道来大路边镇交流,全镇法治政府建设稳步推进。\n");
    fz_buf_adds(&b, "连州市大路边镇人民政府\n2023年1月19日\n");
    compare(g, b.data, b.len, "title", &gen);
    CHECK(ra.unscanned == 41 && strcmp(ra.code, "441882102") == 0); /* and the date */
    fz_buf_release(&b);

    const tally *all[] = { &seeds, &sample, &fuzz, &gen };
    const char *names[] = { "seeds", "sample", "fuzz corpus", "generated" };
    for (size_t i = 0; i < 4; i++) {
        fprintf(stderr, "%s: %zu texts, %zu with lines left unscanned, %zu differ\n", names[i],
                all[i]->texts, all[i]->skipped, all[i]->bad);
        CHECK_MSG(all[i]->texts > 0 && all[i]->bad == 0, names[i]);
    }
    /* both paths are taken */
    CHECK(gen.skipped > gen.texts / 10 && gen.skipped < gen.texts);
    CHECK(seeds.skipped > 0 && sample.skipped > 0);

    fz_resolution_release(&ra);
    fz_resolution_release(&rb);
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    return check_done();
}
