/* report.c: the report's frame: pages, the plan and contents, the cover,
 * overview, data-quality appendix and method page, and fz_report_write()
 * (see report.h). Indicator, composite, correlation and coverage sections
 * are in sections.c. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "err.h"
#include "outfile.h"
#include "repint.h"
#include "strs.h"
#include "xalloc.h"

static const fz_rgb INK = { 0.13, 0.13, 0.13 };
static const fz_rgb GREY = { 0.42, 0.42, 0.42 };
static const fz_rgb RULE = { 0.80, 0.80, 0.80 };
static const fz_rgb STRIPE = { 0.955, 0.960, 0.970 };
static const fz_rgb ACCENT = { 0.000, 0.447, 0.698 };

#define DEFAULT_TITLE "法治政府建设年度报告统计分析"

long long fz_report_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 0 && v < 253402300800LL)
            return v;
    }
    return 1704067200LL; /* 2024-01-01T00:00:00Z */
}

/* ---- cell access --------------------------------------------------------- */

int rep_col_of(const fz_table *t, const char *name)
{
    return t ? fz_table_find_col(t, name) : -1;
}

/* fz_table_text() and fz_table_num() tell NA cells themselves ("", NAN):
 * asking fz_table_is_na() first would read each cell twice, and a view
 * (the long table) computes a cell at every read. */
const char *rep_text(const fz_table *t, size_t row, int col)
{
    if (!t || col < 0 || fz_table_coltype(t, (size_t)col) != FZ_COL_TEXT)
        return "";
    return fz_table_text(t, row, (size_t)col);
}

int rep_num(const fz_table *t, size_t row, int col, double *v)
{
    if (!t || col < 0)
        return 0;
    if (fz_table_coltype(t, (size_t)col) == FZ_COL_NUM) {
        double x = fz_table_num(t, row, (size_t)col);
        if (!isfinite(x))
            return 0;
        *v = x;
        return 1;
    }
    if (fz_table_is_na(t, row, (size_t)col))
        return 0;
    /* a table read back from CSV has text cells */
    const char *s = fz_table_text(t, row, (size_t)col);
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno || !isfinite(x))
        return 0;
    *v = x;
    return 1;
}

char *rep_cat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = fz_xmalloc(na + nb + 1);
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

char *rep_fmt(double v, char *buf, size_t n)
{
    if (fabs(v - round(v)) < 1e-9 * fmax(1, fabs(v)))
        return fz_plot_tick_label(round(v), 1, buf, n);
    if (fabs(v) >= 1000)
        return fz_plot_tick_label(v, 0.1, buf, n);
    char t[64];
    snprintf(t, sizeof t, "%.2f", v);
    char *e = t + strlen(t);
    while (e[-1] == '0')
        *--e = '\0';
    if (e[-1] == '.')
        e[-1] = '\0';
    snprintf(buf, n, "%s", t);
    return buf;
}

char *rep_fmt_cell(const fz_table *t, size_t row, int col, char *buf, size_t n)
{
    double v;
    if (rep_num(t, row, col, &v))
        return rep_fmt(v, buf, n);
    snprintf(buf, n, "—");
    return buf;
}

char *rep_fmt_year(const fz_table *t, size_t row, int col, char *buf, size_t n)
{
    double v;
    if (rep_num(t, row, col, &v))
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "—");
    return buf;
}

const char *rep_base(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

const char *rep_level_zh(const char *level)
{
    static const char *const map[][2] = { { "province", "省级" },     { "prefecture", "地市" },
                                          { "county", "县区" },       { "township", "乡镇" },
                                          { "department", "部门" } };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (level && strcmp(level, map[i][0]) == 0)
            return map[i][1];
    return level && *level ? level : "未知";
}

const char *rep_qual_zh(const char *qual)
{
    static const char *const map[][2] = { { "exact", "" },        { "at_least", "下限" },
                                          { "approx", "约数" },   { "at_most", "上限" },
                                          { "range", "区间" } };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (qual && strcmp(qual, map[i][0]) == 0)
            return map[i][1];
    return qual ? qual : "";
}

int rep_qual_approx(const char *qual)
{
    return qual && *qual && strcmp(qual, "exact") != 0;
}

const char *rep_ind_name(const rep *r, const char *id)
{
    const fz_table *t = r->o->indicators;
    int ci = rep_col_of(t, "id"), cn = rep_col_of(t, "name_zh");
    for (size_t i = 0; t && ci >= 0 && cn >= 0 && i < fz_table_nrows(t); i++)
        if (strcmp(rep_text(t, i, ci), id) == 0 && *rep_text(t, i, cn))
            return rep_text(t, i, cn);
    return id;
}

const char *rep_ind_unit(const rep *r, const char *id, const char *fallback)
{
    const fz_table *t = r->o->indicators;
    int ci = rep_col_of(t, "id"), cu = rep_col_of(t, "unit");
    for (size_t i = 0; t && ci >= 0 && cu >= 0 && i < fz_table_nrows(t); i++)
        if (strcmp(rep_text(t, i, ci), id) == 0 && *rep_text(t, i, cu))
            return rep_text(t, i, cu);
    return fallback ? fallback : "";
}

/* ---- pages ------------------------------------------------------------------ */

static fz_pdoc_style style(double size, int bold, fz_rgb c, fz_align al, int one_line)
{
    return (fz_pdoc_style){ size, bold, c, al, one_line };
}

void rep_new_page(rep *r)
{
    int n = fz_pdoc_page(r->d);
    fz_pdoc_style st = style(7, 0, GREY, FZ_ALIGN_LEFT, 1);
    if (n > 1) {
        fz_pdoc_text_put(r->d, MARGIN_L, MARGIN_T - 26, CONTENT_W, r->title, &st);
        fz_pdoc_line(r->d, MARGIN_L, MARGIN_T - 14, PAGE_W - MARGIN_R, MARGIN_T - 14, RULE, 0.5);
    }
    char num[32];
    snprintf(num, sizeof num, "— %d —", n);
    st.align = FZ_ALIGN_CENTER;
    fz_pdoc_text_put(r->d, MARGIN_L, PAGE_H - MARGIN_B + 28, CONTENT_W, num, &st);
    r->y = MARGIN_T;
}

void rep_need(rep *r, double h)
{
    if (r->y + h > PAGE_H - MARGIN_B)
        rep_new_page(r);
}

size_t rep_plan_add(rep *r, int level, const char *title, const char *ind)
{
    if (r->nsec == r->capsec) {
        r->capsec = r->capsec ? r->capsec * 2 : 16;
        r->sec = fz_xreallocarray(r->sec, r->capsec, sizeof *r->sec);
    }
    rep_sec *s = &r->sec[r->nsec];
    memset(s, 0, sizeof *s);
    s->level = level;
    s->title = fz_xstrdup(title);
    s->ind = ind;
    snprintf(s->dest, sizeof s->dest, "sec%zu", r->nsec + 1);
    return r->nsec++;
}

void rep_heading(rep *r, const char *s, double size)
{
    fz_pdoc_style st = style(size, 1, INK, FZ_ALIGN_LEFT, 0);
    double h = fz_pdoc_text_height(r->d, CONTENT_W, s, &st);
    rep_need(r, h + 40); /* never a heading alone at the foot of a page */
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, s, &st) + size * 0.45;
}

void rep_section(rep *r, size_t i)
{
    rep_sec *s = &r->sec[i];
    if (i + 1 > r->next_sec)
        r->next_sec = i + 1;
    /* chapters open a page; a section follows the previous one when more
     * than 55% of a page is left (room for its text and first chart) */
    if (s->level == 0 || (r->y > MARGIN_T + 1 && r->y > MARGIN_T + (PAGE_H - MARGIN_T - MARGIN_B) * 0.45))
        rep_new_page(r);
    else if (r->y > MARGIN_T + 1)
        r->y += 14;
    s->page = fz_pdoc_page_number(r->d);
    fz_pdoc_dest(r->d, s->dest, MARGIN_L, r->y);
    if (s->level == 0)
        r->outline_top = fz_pdoc_outline(r->d, 0, s->title, s->dest);
    else
        fz_pdoc_outline(r->d, r->outline_top, s->title, s->dest);
    rep_heading(r, s->title, s->level == 0 ? 17 : 13.5);
    if (s->level == 0)
        fz_pdoc_line(r->d, MARGIN_L, r->y - 2, PAGE_W - MARGIN_R, r->y - 2, ACCENT, 1.2);
    r->y += 6;
}

void rep_para(rep *r, const char *s)
{
    fz_pdoc_style st = style(BODY_PT, 0, INK, FZ_ALIGN_LEFT, 0);
    double h = fz_pdoc_text_height(r->d, CONTENT_W, s, &st);
    rep_need(r, h);
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, s, &st) + 5;
}

void rep_note(rep *r, const char *s)
{
    fz_pdoc_style st = style(SMALL_PT, 0, GREY, FZ_ALIGN_LEFT, 0);
    double h = fz_pdoc_text_height(r->d, CONTENT_W, s, &st);
    rep_need(r, h);
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, s, &st) + 4;
}

#define ROW_H 12.5

static void table_head_at(rep *r, const rep_col *c, size_t n)
{
    double x = MARGIN_L, tot = 0;
    for (size_t i = 0; i < n; i++)
        tot += c[i].w;
    fz_pdoc_line(r->d, MARGIN_L, r->y, MARGIN_L + tot, r->y, INK, 0.8);
    fz_pdoc_style st = style(SMALL_PT, 1, INK, FZ_ALIGN_LEFT, 1);
    for (size_t i = 0; i < n; i++) {
        st.align = c[i].align;
        fz_pdoc_text_put(r->d, x + 2, r->y + 2, c[i].w - 4, c[i].head, &st);
        x += c[i].w;
    }
    r->y += ROW_H + 1;
    fz_pdoc_line(r->d, MARGIN_L, r->y, MARGIN_L + tot, r->y, INK, 0.5);
}

static const rep_col *last_head;
static size_t last_head_n, row_parity;

void rep_table_head(rep *r, const rep_col *c, size_t n)
{
    rep_need(r, ROW_H * 3);
    table_head_at(r, c, n);
    last_head = c;
    last_head_n = n;
    row_parity = 0;
}

void rep_table_row(rep *r, const rep_col *c, size_t n, const char *const *cells)
{
    if (r->y + ROW_H > PAGE_H - MARGIN_B) {
        rep_new_page(r);
        if (last_head == c && last_head_n == n)
            table_head_at(r, c, n); /* the header again on the new page */
    }
    double x = MARGIN_L, tot = 0;
    for (size_t i = 0; i < n; i++)
        tot += c[i].w;
    if (row_parity++ % 2)
        fz_pdoc_rect(r->d, MARGIN_L, r->y, tot, ROW_H, STRIPE);
    fz_pdoc_style st = style(SMALL_PT, 0, INK, FZ_ALIGN_LEFT, 1);
    for (size_t i = 0; i < n; i++) {
        st.align = c[i].align;
        fz_pdoc_text_put(r->d, x + 2, r->y + 2, c[i].w - 4, cells[i] ? cells[i] : "", &st);
        x += c[i].w;
    }
    r->y += ROW_H;
}

int rep_chart(rep *r, const fz_plot_spec *s, double x, double w, double h)
{
    rep_need(r, h);
    return fz_pdoc_chart(r->d, s, x, r->y, w, h, r->diag);
}

/* ---- corpus facts ----------------------------------------------------------- */

typedef struct corpus {
    size_t docs, with_figures, resolved, figures, primary, approx;
    size_t levels[6];
    int ymin, ymax;
    size_t regions;
} corpus;

static void corpus_facts(const rep *r, corpus *c)
{
    memset(c, 0, sizeof *c);
    c->ymin = 0;
    size_t nd = fz_obs_ndocs(r->obs);
    const char **codes = fz_xcalloc(nd + 1, sizeof *codes);
    size_t nc = 0;
    c->docs = nd;
    for (size_t i = 0; i < nd; i++) {
        const fz_obs_doc *d = fz_obs_doc_at(r->obs, i);
        if (d->figures > 0)
            c->with_figures++;
        if (d->region_code && *d->region_code) {
            c->resolved++;
            codes[nc++] = d->region_code;
            if ((size_t)d->level < 6)
                c->levels[d->level]++;
        }
        if (d->has_year) {
            if (!c->ymin || d->year < c->ymin)
                c->ymin = d->year;
            if (d->year > c->ymax)
                c->ymax = d->year;
        }
    }
    c->regions += fz_strs_sort_unique(codes, nc);
    free(codes);
    for (size_t i = 0; i < fz_obs_nrows(r->obs); i++) {
        const fz_obs_row *row = fz_obs_row_at(r->obs, i);
        if (!*row->indicator)
            continue;
        c->figures++;
        if (row->primary) {
            c->primary++;
            if (row->qual != FZ_QUAL_EXACT)
                c->approx++;
        }
    }
}

static char *make_source(const fz_report_opts *o, const corpus *c)
{
    fz_buf b;
    fz_buf_init(&b);
    if (o->sample)
        fz_buf_adds(&b, "示例数据 synthetic sample · ");
    fz_buf_adds(&b, o->corpus && *o->corpus ? o->corpus : "输入报告");
    fz_buf_printf(&b, " · %zu 份报告", c->docs);
    if (c->ymin && c->ymax > c->ymin)
        fz_buf_printf(&b, " · %d—%d年", c->ymin, c->ymax);
    else if (c->ymin)
        fz_buf_printf(&b, " · %d年", c->ymin);
    fz_buf_printf(&b, " · fzstat %s", fz_version());
    char *s = fz_buf_steal(&b);
    fz_buf_release(&b);
    return s;
}

/* ---- cover, contents -------------------------------------------------------- */

static void kv_row(rep *r, const char *k, const char *v)
{
    fz_pdoc_style sk = style(10, 0, GREY, FZ_ALIGN_LEFT, 0), sv = style(10, 1, INK, FZ_ALIGN_LEFT, 0);
    fz_pdoc_text_put(r->d, MARGIN_L + 20, r->y, 120, k, &sk);
    double h = fz_pdoc_text(r->d, MARGIN_L + 140, r->y, CONTENT_W - 160, v, &sv);
    r->y += fmax(h, 14) + 6;
}

static void cover(rep *r, const corpus *c)
{
    rep_new_page(r);
    fz_pdoc_rect(r->d, 0, 0, PAGE_W, 8, ACCENT);
    r->y = 170;
    fz_pdoc_style st = style(26, 1, INK, FZ_ALIGN_LEFT, 0);
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, r->title, &st) + 10;
    st = style(12, 0, GREY, FZ_ALIGN_LEFT, 0);
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W,
                         "地方政府法治政府建设年度报告中的指标数字：抽取、归一与比较", &st) + 30;
    if (r->o->sample) {
        fz_pdoc_rect(r->d, MARGIN_L, r->y, CONTENT_W, 26, (fz_rgb){ 1.0, 0.95, 0.80 });
        st = style(10, 1, (fz_rgb){ 0.55, 0.35, 0.0 }, FZ_ALIGN_LEFT, 0);
        fz_pdoc_text_put(r->d, MARGIN_L + 10, r->y + 6, CONTENT_W - 20,
                     "示例数据 synthetic sample：本报告基于合成的示例语料，数字不代表任何真实地区",
                     &st);
        r->y += 40;
    }
    fz_pdoc_line(r->d, MARGIN_L, r->y, PAGE_W - MARGIN_R, r->y, RULE, 0.6);
    r->y += 14;
    char v[256];
    kv_row(r, "语料", r->o->corpus && *r->o->corpus ? r->o->corpus : "输入报告");
    snprintf(v, sizeof v, "%zu 份（其中 %zu 份含指标数字）", c->docs, c->with_figures);
    kv_row(r, "报告文件", v);
    snprintf(v, sizeof v, "%zu 个（%zu 份报告已确定行政区划代码）", c->regions, c->resolved);
    kv_row(r, "地区", v);
    fz_buf b;
    fz_buf_init(&b);
    static const fz_level order[] = { FZ_LEVEL_PROVINCE, FZ_LEVEL_PREFECTURE, FZ_LEVEL_COUNTY,
                                      FZ_LEVEL_TOWNSHIP, FZ_LEVEL_DEPARTMENT };
    for (size_t i = 0; i < 5; i++)
        if (c->levels[order[i]])
            fz_buf_printf(&b, "%s%s %zu 份", b.len ? "，" : "",
                          rep_level_zh(fz_level_name(order[i])), c->levels[order[i]]);
    kv_row(r, "层级", b.len ? b.data : "—");
    fz_buf_release(&b);
    if (c->ymin && c->ymax > c->ymin)
        snprintf(v, sizeof v, "%d—%d年", c->ymin, c->ymax);
    else if (c->ymin)
        snprintf(v, sizeof v, "%d年", c->ymin);
    else
        snprintf(v, sizeof v, "—");
    kv_row(r, "年份", v);
    size_t nind = 0;
    for (size_t i = 0; i < r->nsec; i++)
        nind += r->sec[i].ind != NULL;
    snprintf(v, sizeof v, "%zu 项有数据", nind);
    kv_row(r, "指标", v);
    snprintf(v, sizeof v, "%zu 个（主数字 %zu 个，其中约数或界限 %zu 个）", c->figures, c->primary,
             c->approx);
    kv_row(r, "抽取的数字", v);
    const fz_table *cov = fz_stats_table(r->st, "coverage");
    int cu = rep_col_of(cov, "units"), cr = rep_col_of(cov, "reporting");
    double units = 0, rep_n = 0, x;
    for (size_t i = 0; cov && i < fz_table_nrows(cov); i++) {
        if (rep_num(cov, i, cu, &x))
            units += x;
        if (rep_num(cov, i, cr, &x))
            rep_n += x;
    }
    if (units > 0)
        snprintf(v, sizeof v, "%zu 项指标 × 地区年份中有 %.0f%% 载明数字", nind,
                 100.0 * rep_n / units);
    else
        snprintf(v, sizeof v, "—");
    kv_row(r, "覆盖率", v);
    r->y = PAGE_H - MARGIN_B - 40;
    st = style(8, 0, GREY, FZ_ALIGN_LEFT, 0);
    char gen[160];
    snprintf(gen, sizeof gen, "由 fzstat %s 生成。表中“—”表示报告未载明（NA），不按 0 计。",
             fz_version());
    fz_pdoc_text_put(r->d, MARGIN_L, r->y, CONTENT_W, gen, &st);
}

#define TOC_ROW 16.0

static void contents(rep *r)
{
    rep_new_page(r);
    rep_heading(r, "目录", 17);
    r->y += 6;
    for (size_t i = 0; i < r->nsec; i++) {
        const rep_sec *s = &r->sec[i];
        rep_need(r, TOC_ROW);
        double indent = s->level ? 18 : 0;
        fz_pdoc_style st = style(s->level ? 9.5 : 10.5, s->level == 0, INK, FZ_ALIGN_LEFT, 1);
        fz_pdoc_text_put(r->d, MARGIN_L + indent, r->y, CONTENT_W - indent - 40, s->title, &st);
        char pg[16] = "";
        if (s->page > 0)
            snprintf(pg, sizeof pg, "%d", s->page);
        st.align = FZ_ALIGN_RIGHT;
        fz_pdoc_text_put(r->d, PAGE_W - MARGIN_R - 40, r->y, 40, pg, &st);
        fz_pdoc_link(r->d, s->dest, MARGIN_L, r->y, CONTENT_W, TOC_ROW);
        r->y += TOC_ROW;
    }
}

/* ---- overview ---------------------------------------------------------------- */

static void overview(rep *r, size_t sec_i, const corpus *c)
{
    rep_section(r, sec_i);
    char buf[512];
    snprintf(buf, sizeof buf,
             "本报告汇总 %zu 份法治政府建设年度报告中可比较的指标数字。每个数字都来自报告原文中的一句话，"
             "附录与 CSV 表（long.csv）给出文件与行号。报告未载明的指标记为 NA（表中为“—”，"
             "图中为空缺或斜线格），不按 0 计；带“余、约、以上”等限定词的数字在图中以空心点或“≈”标出。",
             c->docs);
    rep_para(r, buf);
    r->y += 4;
    rep_coverage(r, (size_t)-1); /* the coverage heatmap (indicators x years) */
}

/* ---- data-quality appendix -------------------------------------------------- */

static void quality(rep *r, size_t sec_i)
{
    rep_section(r, sec_i);
    char buf[256];
    size_t nd = fz_obs_ndocs(r->obs);

    rep_heading(r, "1. 地区未确定或有歧义的报告", 11);
    rep_col rc[] = { { "文件", 150, FZ_ALIGN_LEFT }, { "状态", 50, FZ_ALIGN_LEFT },
                     { "依据", 45, FZ_ALIGN_LEFT }, { "候选", CONTENT_W - 245, FZ_ALIGN_LEFT } };
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < nd; i++) {
        const fz_obs_doc *d = fz_obs_doc_at(r->obs, i);
        int bad = !d->region_code || !*d->region_code ||
                  (d->region_status && strcmp(d->region_status, "resolved") != 0 &&
                   *d->region_status);
        if (!bad)
            continue;
        if (total++ == 0)
            rep_table_head(r, rc, 4);
        if (shown >= LIST_MAX)
            continue;
        shown++;
        const char *st = d->region_status && *d->region_status ? d->region_status : "unresolved";
        const char *cells[] = { rep_base(d->file), strcmp(st, "ambiguous") == 0 ? "有歧义" : "未确定",
                                d->region_method ? d->region_method : "",
                                d->region_candidates ? d->region_candidates : "" };
        rep_table_row(r, rc, 4, cells);
    }
    if (!total)
        rep_note(r, "无：所有报告都已确定行政区划。");
    else if (total > shown) {
        snprintf(buf, sizeof buf, "另有 %zu 份未列出。", total - shown);
        rep_note(r, buf);
    }
    r->y += 10;

    rep_heading(r, "2. 未找到指标数字的报告", 11);
    rep_col nc[] = { { "文件", 200, FZ_ALIGN_LEFT }, { "地区", 120, FZ_ALIGN_LEFT },
                     { "年份", 50, FZ_ALIGN_RIGHT }, { "标题", CONTENT_W - 370, FZ_ALIGN_LEFT } };
    shown = total = 0;
    for (size_t i = 0; i < nd; i++) {
        const fz_obs_doc *d = fz_obs_doc_at(r->obs, i);
        if (d->figures > 0)
            continue;
        if (total++ == 0)
            rep_table_head(r, nc, 4);
        if (shown >= LIST_MAX)
            continue;
        shown++;
        char yr[16] = "—";
        if (d->has_year)
            snprintf(yr, sizeof yr, "%d", d->year);
        const char *cells[] = { rep_base(d->file), d->region_name ? d->region_name : "", yr,
                                d->title ? d->title : "" };
        rep_table_row(r, nc, 4, cells);
    }
    if (!total)
        rep_note(r, "无：每份报告都至少有一个指标数字。");
    else if (total > shown) {
        snprintf(buf, sizeof buf, "另有 %zu 份未列出。", total - shown);
        rep_note(r, buf);
    }
    r->y += 10;

    rep_heading(r, "3. 冲突与未入面板的数字", 11);
    const fz_table *cf = fz_stats_table(r->st, "conflicts");
    int ct = rep_col_of(cf, "type"), cn = rep_col_of(cf, "region_name"),
        cy = rep_col_of(cf, "year"), ci = rep_col_of(cf, "indicator"),
        ck = rep_col_of(cf, "value_kept"), co = rep_col_of(cf, "value_other"),
        cfk = rep_col_of(cf, "file_kept"), cfo = rep_col_of(cf, "file_other"),
        cd = rep_col_of(cf, "detail");
    rep_col cc[] = { { "类型", 70, FZ_ALIGN_LEFT },   { "地区", 70, FZ_ALIGN_LEFT },
                     { "年份", 30, FZ_ALIGN_RIGHT },  { "指标", 70, FZ_ALIGN_LEFT },
                     { "保留值", 42, FZ_ALIGN_RIGHT }, { "另一值", 42, FZ_ALIGN_RIGHT },
                     { "文件", CONTENT_W - 324, FZ_ALIGN_LEFT } };
    size_t ncf = cf ? fz_table_nrows(cf) : 0;
    static const char *const types[][2] = { { "duplicate_report", "同年重复报告" },
                                            { "differing_primary", "同一报告数字不一" },
                                            { "no_region", "无地区" },
                                            { "no_year", "无年份" } };
    if (ncf)
        rep_table_head(r, cc, 7);
    for (size_t i = 0; i < ncf && i < LIST_MAX; i++) {
        const char *type = rep_text(cf, i, ct);
        for (size_t k = 0; k < 4; k++)
            if (strcmp(type, types[k][0]) == 0)
                type = types[k][1];
        char yr[32], vk[64], vo[64];
        rep_fmt_year(cf, i, cy, yr, sizeof yr);
        rep_fmt_cell(cf, i, ck, vk, sizeof vk);
        rep_fmt_cell(cf, i, co, vo, sizeof vo);
        const char *ind = rep_text(cf, i, ci);
        char files[512];
        const char *fo = rep_base(rep_text(cf, i, cfo)), *det = rep_text(cf, i, cd);
        const char *fk = rep_base(rep_text(cf, i, cfk));
        snprintf(files, sizeof files, "%s%s%s%s%s", fk, *fk && *fo ? " / " : "", fo,
                 (*fk || *fo) && *det ? " · " : "", det);
        const char *cells[] = { type, rep_text(cf, i, cn), yr, *ind ? rep_ind_name(r, ind) : "",
                                vk, vo, files };
        rep_table_row(r, cc, 7, cells);
    }
    if (!ncf)
        rep_note(r, "无冲突。");
    else if (ncf > LIST_MAX) {
        snprintf(buf, sizeof buf, "另有 %zu 条未列出，见 conflicts.csv。", ncf - LIST_MAX);
        rep_note(r, buf);
    }
    r->y += 10;

    rep_heading(r, "4. 跳过的文件与读取警告", 11);
    const fz_diag *dg = r->o->run_diag;
    rep_col sc[] = { { "级别", 40, FZ_ALIGN_LEFT }, { "文件", 170, FZ_ALIGN_LEFT },
                     { "问题", CONTENT_W - 210, FZ_ALIGN_LEFT } };
    shown = total = 0;
    for (size_t i = 0; dg && i < dg->n; i++) {
        const fz_diag_item *it = &dg->items[i];
        if (it->level != FZ_DIAG_SKIP && it->level != FZ_DIAG_WARN)
            continue;
        if (total++ == 0)
            rep_table_head(r, sc, 3);
        if (shown >= LIST_MAX)
            continue;
        shown++;
        char where[600];
        if (it->line > 0)
            snprintf(where, sizeof where, "%s:%ld", rep_base(it->file), it->line);
        else
            snprintf(where, sizeof where, "%s", rep_base(it->file));
        const char *cells[] = { it->level == FZ_DIAG_SKIP ? "跳过" : "警告", where, it->msg };
        rep_table_row(r, sc, 3, cells);
    }
    if (!total)
        rep_note(r, "无：所有文件都已读取，没有警告。");
    else if (total > shown) {
        snprintf(buf, sizeof buf, "另有 %zu 条未列出。", total - shown);
        rep_note(r, buf);
    }
}

/* ---- method ------------------------------------------------------------------ */

static const char *const method_text[][2] = {
    { "数据来源与抽取",
      "每份报告读入后统一为 UTF-8 并做 NFKC 归一（全角数字、﹪ 等变为半角），繁体转为简体。"
      "指标数字由词表匹配：指标关键词与其后的数字、量词（宗、件、人次、%）组成一句“短语”，"
      "中文数字（一千余、二十三）换算为阿拉伯数字。地区由标题、落款和正文按行政区划表确定代码与层级，"
      "年份取报告所述年度。" },
    { "主数字与 NA",
      "同一报告中同一指标可能出现多次，取第一次陈述的总数为主数字（primary）；只有主数字进入统计。"
      "报告未载明的指标是 NA：表中为“—”，图中为空缺（线段断开、无柱、斜线格），从不按 0 计。" },
    { "限定词",
      "“余、多、以上、超过、逾”记为下限（at_least），“约、近、左右”记为约数（approx），"
      "“不足、不到、以下”记为上限（at_most），“10—20件”记为区间（取下端，另记上端）。"
      "限定值照常参与计算，但在每张表中计数（qualified_n），在图中以空心点、浅色柱或“≈”标出。" },
    { "重复与冲突",
      "同一地区同一年有两份报告时保留发布日期较晚者（无日期时取较后的文件），另一份列入附录的冲突表。"
      "同一报告中主数字不一致时保留第一处。没有地区或年份的报告不进入面板。" },
    { "z 分数（zscore）",
      "同一指标、同一年、同一层级的单位之间：z = (v − 均值) / 样本标准差（n−1）。n < 2 或标准差为 0 时为 NA。" },
    { "极差归一（minmax）",
      "同一组内 100 × (v − 最小值) / (最大值 − 最小值)；最大值等于最小值时为 NA。" },
    { "名次与百分位（rank, percentile）",
      "名次 1 为最大值，并列取最小名次（1, 2, 2, 4）。百分位 = 100 × (低于者 + (相等者 − 1)/2) / (n − 1)，n = 1 时为 NA。" },
    { "指数（index）",
      "同一单位同一指标：100 × v / 基年值。基年为 --base-year 指定的年份，否则为该单位该指标的第一年；基年值缺失或为 0 时为 NA。" },
    { "同比（yoy_change, yoy_pct）",
      "只与同一单位同一指标的上一年比较：变化量 v − v(上一年)，变化率 100 × 变化量 / v(上一年)。上一年缺失时为 NA，不跨年比较。" },
    { "每万人（per10k）",
      "仅限计数类指标：10000 × v / 人口，人口取 --population 表中最近年份（距离相同取较早年），population_year 记录所用年份。比率类指标不做人均。" },
    { "上级合计与占比（parent_total, parent_share）",
      "同一层级、同一年、同一指标、同一上级代码下各单位计数之和；占比 = 100 × v / 合计。" },
    { "汇总统计（summary）",
      "每个指标、年份、层级：n、均值、样本标准差、中位数、四分位数（顺序统计量间线性插值）、最小、最大、"
      "变异系数 cv = 标准差 / 均值（均值为 0 时为 NA）、MAD = 中位数 |v − 中位数|；"
      "离群值为 |v − 中位数| > 3.5 × 1.4826 × MAD（n < 3 或 MAD = 0 时不判）。任何 n = 0 的统计量为 NA。" },
    { "趋势（trends）",
      "有 3 年及以上数据的单位：值对年份做普通最小二乘回归，给出斜率、标准误、t、自由度 n−2 与双侧 p 值；"
      "年均增长率 cagr = 100 × ((末值/首值)^(1/(末年−首年)) − 1)，首值须大于 0。" },
    { "相关（correlations）",
      "同一层级内每对指标，在两者都有数值的单位年份上（成对完整）计算 Pearson 与 Spearman 相关系数；"
      "n < 3 或方差为 0 时为 NA。散点图中的 r 与直线均由统计模块给出，图表本身不做计算。" },
    { "综合指数（composite）",
      "每个单位每年：对有权重的指标，方向为正取 minmax，方向为负取 100 − minmax，按权重加权平均；"
      "覆盖率 = 100 × 在场权重 / 全部权重。没有任何分项时为 NA；年内同层级排名，1 为最高。" },
    { "逐级汇总（rollups）",
      "对每个上级（县、市、省）、年份、指标：计数类求和，比率类取均值（另给中位数）。"
      "子单位有自报数字时用其数字，否则用其自身的汇总。children_reported / children_known 说明覆盖程度，"
      "own_value 给出上级自报数字以便对照。" },
    { "覆盖率（coverage）",
      "某层级某年有报告的单位中，载明该指标的单位所占百分比。" },
};

static void method(rep *r, size_t sec_i)
{
    rep_section(r, sec_i);
    /* the last section: the layout pass, which only learns where sections
     * start, has learnt everything once it has started */
    if (!r->drawing && sec_i + 1 == r->nsec)
        return;
    fz_pdoc_style hs = style(9.5, 1, INK, FZ_ALIGN_LEFT, 0),
                  bs = style(BODY_PT, 0, INK, FZ_ALIGN_LEFT, 0);
    for (size_t i = 0; i < sizeof method_text / sizeof *method_text; i++) {
        double h = fz_pdoc_text_height(r->d, CONTENT_W, method_text[i][1], &bs);
        rep_need(r, h + 16);
        r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, method_text[i][0], &hs) + 2;
        r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, method_text[i][1], &bs) + 8;
    }
    if (!r->boxplots)
        return;
    char box[512];
    snprintf(box, sizeof box,
             "某指标在单位最多的一年有多于 %d 个单位载明时，其“各年分布”图不再逐个画点：有至少 %d 个单位的年份各画一个箱线图，"
             "箱的上下边为第一、第三四分位数（与汇总统计相同的插值，各层级合在一起），箱中横线为中位数，"
             "须线延伸到距箱不超过 1.5 倍四分位距的最远的值（Tukey），须线以外的单位仍逐个画点。",
             DIST_BOX_UNITS, DIST_BOX_MIN);
    double h = fz_pdoc_text_height(r->d, CONTENT_W, box, &bs);
    rep_need(r, h + 16);
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, "各年分布（箱线图）", &hs) + 2;
    r->y += fz_pdoc_text(r->d, MARGIN_L, r->y, CONTENT_W, box, &bs) + 8;
}

/* ---- the whole document ----------------------------------------------------- */

typedef struct plan_ids {
    size_t overview, ind_chapter, composite, correlations, coverage, quality, method;
} plan_ids;

#define NONE ((size_t)-1)

static void make_plan(rep *r, plan_ids *p)
{
    p->overview = rep_plan_add(r, 0, "一、概览", NULL);
    p->ind_chapter = rep_plan_add(r, 0, "二、分指标结果", NULL);
    size_t before = r->nsec;
    rep_plan_indicators(r);
    if (r->nsec == before) {
        free(r->sec[p->ind_chapter].title);
        r->nsec--; /* no indicator has data: no chapter */
        p->ind_chapter = NONE;
    }
    int k = p->ind_chapter == NONE ? 2 : 3;
    static const char *const num[] = { "一", "二", "三", "四", "五", "六", "七", "八" };
    char t[96];
    p->composite = p->correlations = NONE;
    if (rep_has_composite(r)) {
        snprintf(t, sizeof t, "%s、综合指数", num[k++ - 1]);
        p->composite = rep_plan_add(r, 0, t, NULL);
    }
    if (rep_has_correlations(r)) {
        snprintf(t, sizeof t, "%s、指标间相关", num[k++ - 1]);
        p->correlations = rep_plan_add(r, 0, t, NULL);
    }
    snprintf(t, sizeof t, "%s、覆盖矩阵", num[k++ - 1]);
    p->coverage = rep_plan_add(r, 0, t, NULL);
    p->quality = rep_plan_add(r, 0, "附录一、数据质量", NULL);
    p->method = rep_plan_add(r, 0, "附录二、方法说明", NULL);
}

/* Everything after the cover; the cover is composed before (cover()). */
static void compose_rest(rep *r, const plan_ids *p, const corpus *c)
{
    contents(r);
    overview(r, p->overview, c);
    if (p->ind_chapter != NONE) {
        rep_section(r, p->ind_chapter);
        rep_para(r, "每个有数据的指标一节：最近一年各单位排序（柱长与数值成正比，未载明的单位不画柱），"
                    "多年数据时给出各年分布、单位走势、名次变化与 z 分数热图，"
                    "并列出最高与最低的单位及其原文出处、各年汇总统计。");
        for (size_t i = 0; i < r->nsec; i++)
            if (r->sec[i].ind)
                rep_indicator(r, i);
    }
    if (p->composite != NONE)
        rep_composite(r, p->composite);
    if (p->correlations != NONE)
        rep_correlations(r, p->correlations);
    rep_coverage(r, p->coverage);
    quality(r, p->quality);
    method(r, p->method);
}

static fz_pdoc *new_doc(rep *r, fz_plot_fonts *fonts, FILE *fp, const char *path, fz_diag *diag)
{
    fz_pdoc_meta meta = { r->title, NULL, "法治政府建设年度报告统计", NULL, r->o->epoch };
    char creator[64];
    snprintf(creator, sizeof creator, "fzstat %s", fz_version());
    meta.creator = creator;
    fz_pdoc *d = fz_pdoc_new(fonts, fp ? FZ_PDOC_PDF : FZ_PDOC_LAYOUT, fp, PAGE_W, PAGE_H, &meta,
                             diag);
    if (d)
        fz_pdoc_set_name(d, path);
    return d;
}

/* The layout pass, which only learns the page of every section. */
static int layout_pass(rep *r, fz_plot_fonts *fonts, const char *path, const plan_ids *p,
                       const corpus *c, fz_diag *diag)
{
    r->d = new_doc(r, fonts, NULL, path, diag);
    if (!r->d)
        return FZ_EIO;
    r->next_sec = 0;
    cover(r, c);
    compose_rest(r, p, c);
    int rc = fz_pdoc_finish(r->d, diag);
    fz_pdoc_free(r->d);
    r->d = NULL;
    return rc;
}

/* The PDF into fp. Its cover does not depend on the layout pass, so it is
 * composed first and handed to the document's writer, which (with more
 * than one job) writes it on its own thread while the layout pass runs. */
static int pdf_pass(rep *r, fz_plot_fonts *fonts, FILE *fp, const char *path, const plan_ids *p,
                    const corpus *c, fz_diag *diag)
{
    fz_pdoc *d = new_doc(r, fonts, fp, path, diag);
    if (!d)
        return FZ_EIO;
    fz_pdoc_record_pages(d, r->o->jobs);
    r->d = d;
    r->next_sec = 0;
    cover(r, c);
    fz_pdoc_page_done(d);
    fz_diag scratch; /* the layout pass's document diagnostics would repeat */
    fz_diag_init(&scratch);
    int rc = layout_pass(r, fonts, path, p, c, &scratch);
    fz_diag_release(&scratch);
    if (rc == 0) {
        r->d = d;
        r->drawing = 1;
        compose_rest(r, p, c);
        fz_pdoc_end_pages(d);
        fz_plot_fonts_trim(fonts); /* while the writer finishes the PDF */
        rc = fz_pdoc_finish(d, diag);
    }
    fz_pdoc_free(d);
    r->d = NULL;
    return rc;
}

/* ---- fonts prepared ahead ---------------------------------------------------- */

/* The text sizes (points) and weights the report and its charts use, with
 * a heatmap's values at its tick size (7 x 0.95: every report that has a
 * heatmap); the sizes fitted to smaller heatmap rows are loaded when first
 * met. */
static const double warm_size[] = { 6.5, 7 * 0.95, 7,    7,  7.5, 7.5,  8,    8.5, 9,  9.5,
                                    9.5, 10,       10,   10.5, 10.5, 11, 12, 13.5, 17, 26 };
static const int warm_bold[] = { 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1 };

static struct {
    int started;
    pthread_t th;
    fz_plot_fonts *fonts;
    fz_diag diag;
} prep;

static void *prepare_fonts(void *arg)
{
    (void)arg;
    prep.fonts = fz_plot_fonts_new(&prep.diag);
    if (prep.fonts)
        fz_plot_fonts_warm(prep.fonts, warm_size, warm_bold, sizeof warm_size / sizeof *warm_size);
    return NULL;
}

void fz_report_prepare(void)
{
    if (prep.started)
        return;
    fz_diag_init(&prep.diag);
    prep.fonts = NULL;
    prep.started = pthread_create(&prep.th, NULL, prepare_fonts, NULL) == 0;
    if (!prep.started)
        fz_diag_release(&prep.diag); /* no thread: fz_report_write loads them itself */
}

void fz_report_prepare_cancel(void)
{
    if (!prep.started)
        return;
    pthread_join(prep.th, NULL);
    prep.started = 0;
    fz_plot_fonts_free(prep.fonts);
    prep.fonts = NULL;
    fz_diag_release(&prep.diag);
}

/* The fonts fz_report_prepare() loaded (its diagnostics passed on to diag),
 * or loaded now. */
static fz_plot_fonts *report_fonts(fz_diag *diag)
{
    if (!prep.started)
        return fz_plot_fonts_new(diag);
    pthread_join(prep.th, NULL);
    prep.started = 0;
    fz_diag_move(diag, &prep.diag);
    fz_diag_release(&prep.diag);
    fz_plot_fonts *f = prep.fonts;
    prep.fonts = NULL;
    return f;
}

int fz_report_write(const fz_obs *obs, const fz_stats *st, const char *path,
                    const fz_report_opts *o, fz_diag *diag)
{
    fz_plot_fonts *fonts = report_fonts(diag);
    if (!fonts)
        return FZ_EDEP;
    rep r = { 0 };
    r.idx = fz_xcalloc(1, sizeof *r.idx);
    r.obs = obs;
    r.st = st;
    r.o = o;
    r.diag = diag;
    r.title = o->title && *o->title ? o->title : DEFAULT_TITLE;
    corpus c;
    corpus_facts(&r, &c);
    r.source = make_source(o, &c);
    plan_ids p;
    make_plan(&r, &p);
    fz_outfile of;
    int rc = fz_outfile_open(&of, path, diag);
    if (rc == 0) {
        rc = pdf_pass(&r, fonts, of.fp, path, &p, &c, diag);
        if (rc == 0)
            rc = fz_outfile_commit(&of, diag);
        else
            fz_outfile_abort(&of);
    }
    rep_index_free(&r);
    for (size_t i = 0; i < r.nsec; i++)
        free(r.sec[i].title);
    free(r.sec);
    free(r.source);
    fz_plot_fonts_free(fonts);
    return rc;
}
