/* gen_doc.c: composes one synthetic report and the figures it states.
 *
 * A report is planned first (which indicators, their values from a per-region
 * model with a trend over the years, how each is worded), then written as a
 * list of blocks (headings, paragraphs, signature) and rendered as plain text
 * or as a saved web page. Every quantity goes through put_qty(), which is the
 * only place that writes a figure, and every figure's phrase is cut from the
 * text as it is written, so the truth cannot drift from the file.
 * Traps (years, 12345, 第二届, 每月一次, 〔2022〕15号) come from gen_text.c prose
 * and are never recorded. */
#include "gen.h"
#include "gen_text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define NOTICE "【示例数据】本文件为fzstat自动生成的示例数据，数字均为虚构，不代表任何真实地区。"
#define MARK "【示例数据】"
#define NIND 64

enum { B_HEAD1, B_HEAD2, B_PARA };

typedef struct block {
    int   kind;
    char *text;
} block;

typedef struct qty {
    int64_t vc, vhc;    /* stated value (hundredths), high end of a range */
    int qual, form;     /* GEN_Q_*, which wording of it (余/多/以上/超过 ...) */
    gen_numstyle style;
    int pct;            /* rates: 0 %, 1 ％, 2 ﹪, 3 百分之 */
    int liang;          /* 两 rather than 二 */
} qty;

typedef struct ctx {
    gen_doc           *d;
    const gen_docspec *sp;
    const gen_region  *reg;
    gen_rng            r;
    int      li;              /* IND_TOWNSHIP .. IND_PREFECTURE */
    int      year;
    const char *name;         /* 大路边镇 */
    const char *county;       /* parent county of a township, else "" */
    const char *cp;           /* city prefix for titles: 连州市, 韶关市, 天津市, "" */
    const char *province;
    char     lvl[16];         /* 镇 区 街道 */
    char     self[24];        /* 我镇 */
    char     sfirst[8];       /* first character of the name */
    int      dup;             /* township or county whose name exists elsewhere */
    int      street;          /* 街道 */
    uint64_t code_h;
    int      has[NIND];       /* indicator stated in this report */
    int64_t  val[NIND];       /* its true value this year (hundredths) */
    int      used_distract;
    char     last_unit[32];   /* unit of the last main clause (其中 repeats it) */
    block   *blocks;
    size_t   nblocks, capblocks;
} ctx;

/* ---- small helpers ------------------------------------------------------- */

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static const char *pick(gen_rng *r, const char *const *v, size_t n)
{
    return v[gen_below(r, (uint32_t)n)];
}

static size_t count_null(const char *const *v, size_t max)
{
    size_t n = 0;
    while (n < max && v[n])
        n++;
    return n;
}

static void add_block(ctx *c, int kind, const char *text)
{
    if (c->nblocks == c->capblocks) {
        c->capblocks = c->capblocks ? 2 * c->capblocks : 64;
        c->blocks = fz_xreallocarray(c->blocks, c->capblocks, sizeof *c->blocks);
    }
    c->blocks[c->nblocks].kind = kind;
    c->blocks[c->nblocks++].text = fz_xstrdup(text);
}

static void put_int(fz_buf *b, long v)
{
    fz_buf_printf(b, "%ld", v);
}

static const char *const ZH_ORD[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                     "十一", "十二"};

static int prose_fits(const gen_prose *p, int year)
{
    return (!p->ymin || year >= p->ymin) && (!p->ymax || year <= p->ymax);
}

/* ---- values -------------------------------------------------------------- */

/* The model behind every figure: a region's level sets the magnitude, the
 * region (code hash) a lasting factor and a trend, the year some noise.
 * Integer arithmetic only (millionths), so that no compiler or FPU (fused
 * multiply-add) can change a figure: the sample must be the same everywhere. */
static int64_t model_vc(const ctx *c, size_t ind, int year)
{
    enum { ONE = 1000000 };
    const gen_ind *m = &GEN_INDS[ind];
    uint64_t ih = gen_hash_str(0, m->id);
    gen_rng r, ry;
    gen_rng_seed(&r, c->sp->world, c->code_h, ih);
    gen_rng_seed(&ry, c->sp->world ^ (uint64_t)year, c->code_h, ih);
    int64_t base = (int64_t)m->base[c->li] * (ONE / 10);
    if (m->rate) {
        int64_t r0 = base - 5 * ONE + 5 * (int64_t)gen_below(&r, ONE);
        int64_t step = ONE / 10 + (int64_t)gen_below(&r, ONE) / 2;     /* 0.1-0.6 a year */
        int64_t v = r0 + step * (year - 2016);
        v += ((int64_t)gen_below(&ry, ONE) - ONE / 2) * 16 / 10;          /* +-0.8 */
        if (v > 99 * ONE + 4 * ONE / 10 && gen_chance(&ry, 0.4))
            v = 100 * ONE;
        if (v > 100 * ONE)
            v = 100 * ONE;
        if (v < 70 * ONE)
            v = 70 * ONE;
        return (v + ONE / 20) / (ONE / 10) * 10; /* one decimal, in hundredths */
    }
    int64_t u1 = gen_below(&r, ONE), u2 = gen_below(&r, ONE), u3 = gen_below(&r, ONE);
    int64_t f = 45 * ONE / 100 + 16 * u1 / 10 * u2 / ONE + 3 * u3 / 10; /* 0.45-2.35 */
    int64_t g = -5 * ONE / 100 + 17 * (int64_t)gen_below(&r, ONE) / 100; /* -5%..+12% a year */
    int64_t noise = 85 * ONE / 100 + 3 * (int64_t)gen_below(&ry, ONE) / 10; /* 0.85-1.15 */
    /* at most 1.2e11 * 2.4e6: the products stay far below 2^63 */
    int64_t v = base * f / ONE;
    for (int y = 2016; y < year; y++)
        v = v * (ONE + g) / ONE;
    v = v * noise / ONE;
    int64_t iv = (v + ONE / 2) / ONE;
    return (iv < 1 ? 1 : iv) * 100;
}

static int64_t pow10i(int k)
{
    int64_t p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

/* v rounded to its two leading digits (one below 100): dir <0 floor, 0 nearest, >0 ceil */
static int64_t round_sig(int64_t v, int dir)
{
    int digits = 0;
    for (int64_t t = v; t > 0; t /= 10)
        digits++;
    int64_t unit = v < 100 ? 10 : pow10i(digits - 2);
    if (dir < 0)
        return v / unit * unit;
    if (dir > 0)
        return (v + unit - 1) / unit * unit;
    return (v + unit / 2) / unit * unit;
}

static gen_numstyle pick_style(ctx *c, const gen_ind *m, int64_t vc)
{
    double u = gen_unit(&c->r);
    if (m->words && gen_num_style_ok(vc, GEN_NUM_CHINESE) && u < (vc <= 1000 ? 0.3 : 0.15))
        return GEN_NUM_CHINESE;
    u = gen_unit(&c->r);
    if (gen_num_style_ok(vc, GEN_NUM_WAN) && u < 0.4)
        return GEN_NUM_WAN;
    if (gen_num_style_ok(vc, GEN_NUM_THOUSANDS) && u > 0.8)
        return GEN_NUM_THOUSANDS;
    if (gen_chance(&c->r, 0.05))
        return GEN_NUM_FULLWIDTH;
    return GEN_NUM_ARABIC;
}

/* How the true value tvc is stated: qualifier, rounding, numeral style. */
static qty make_qty(ctx *c, const gen_ind *m, int64_t tvc, int allow_vague)
{
    qty q = {tvc, 0, GEN_Q_EXACT, 0, GEN_NUM_ARABIC, 0, 0};
    if (m->rate) {
        double u = gen_unit(&c->r);
        if (allow_vague && u < 0.12 && tvc >= 9000 && tvc < 10000) {
            q.qual = GEN_Q_AT_LEAST; /* 98%以上 */
            q.vc = tvc / 100 * 100;
            q.form = 2;
        } else if (gen_chance(&c->r, 0.25)) {
            q.vc = (tvc + 50) / 100 * 100; /* 99% rather than 99.3% */
        }
        u = gen_unit(&c->r);
        q.pct = u < 0.55 ? 0 : u < 0.75 ? 1 : u < 0.88 ? 2 : 3;
        if (q.pct == 3 && q.qual != GEN_Q_EXACT)
            q.pct = 0;
        q.style = q.pct == 1 && gen_chance(&c->r, 0.3) ? GEN_NUM_FULLWIDTH : GEN_NUM_ARABIC;
        return q;
    }
    int64_t v = tvc / 100;
    double u = gen_unit(&c->r);
    if (allow_vague && v >= 10) {
        if (u < 0.22) {
            q.qual = GEN_Q_AT_LEAST;
            q.form = (int)gen_below(&c->r, 4);
            v = round_sig(v, -1);
        } else if (u < 0.30) {
            q.qual = GEN_Q_APPROX;
            q.form = (int)gen_below(&c->r, 3);
            v = round_sig(v, 0);
        } else if (u < 0.32) {
            q.qual = GEN_Q_AT_MOST;
            q.form = (int)gen_below(&c->r, 2);
            v = round_sig(v, 1);
        } else if (u < 0.37) {
            q.qual = GEN_Q_RANGE;
            q.form = (int)gen_below(&c->r, 3);
            int64_t lo = round_sig(v * 85 / 100, -1), hi = round_sig(v * 115 / 100 + 1, 1);
            if (lo < 1 || hi <= lo)
                q.qual = GEN_Q_EXACT;
            else {
                v = lo;
                q.vhc = hi * 100;
            }
        }
        if (q.qual != GEN_Q_EXACT && q.qual != GEN_Q_RANGE && v < 10)
            q.qual = GEN_Q_EXACT, v = tvc / 100;
    } else if (allow_vague && v >= 3 && v < 10 && u < 0.04) {
        q.qual = GEN_Q_RANGE; /* 三至五次 */
        q.vhc = (v + 1 + (int64_t)gen_below(&c->r, 2)) * 100;
        v = v - 1;
        q.form = 0;
    }
    q.vc = v * 100;
    q.style = pick_style(c, m, q.vc);
    if (q.vhc && !gen_num_style_ok(q.vhc, q.style))
        q.style = GEN_NUM_ARABIC;
    q.liang = q.vc == 200 && q.style == GEN_NUM_CHINESE && q.qual == GEN_Q_EXACT;
    return q;
}

static void put_num(fz_buf *b, int64_t vc, const qty *q)
{
    if (q->liang)
        fz_buf_adds(b, "两");
    else
        gen_num_put(b, vc, q->style);
}

/* Writes the quantity (qualifier, number, unit) - the only writer of figures. */
static void put_qty(fz_buf *b, const qty *q, int rate, const char *unit)
{
    if (rate) {
        if (q->pct == 3) {
            fz_buf_adds(b, "百分之");
            gen_num_chinese_dec(b, q->vc);
            return;
        }
        put_num(b, q->vc, q);
        fz_buf_adds(b, q->pct == 1 ? "％" : q->pct == 2 ? "﹪" : "%");
        if (q->qual == GEN_Q_AT_LEAST)
            fz_buf_adds(b, "以上");
        return;
    }
    switch (q->qual) {
    case GEN_Q_AT_LEAST:
        if (q->form == 3)
            fz_buf_adds(b, "超过");
        put_num(b, q->vc, q);
        if (q->form <= 1)
            fz_buf_adds(b, q->form == 0 ? "余" : "多");
        fz_buf_adds(b, unit);
        if (q->form == 2)
            fz_buf_adds(b, "以上");
        return;
    case GEN_Q_APPROX:
        if (q->form < 2)
            fz_buf_adds(b, q->form == 0 ? "约" : "近");
        put_num(b, q->vc, q);
        fz_buf_adds(b, unit);
        if (q->form == 2)
            fz_buf_adds(b, "左右");
        return;
    case GEN_Q_AT_MOST:
        fz_buf_adds(b, q->form == 0 ? "不足" : "不到");
        put_num(b, q->vc, q);
        fz_buf_adds(b, unit);
        return;
    case GEN_Q_RANGE:
        put_num(b, q->vc, q);
        fz_buf_adds(b, q->form == 0 ? "至" : q->form == 1 ? "-" : "到");
        put_num(b, q->vhc, q);
        fz_buf_adds(b, unit);
        return;
    default:
        put_num(b, q->vc, q);
        fz_buf_adds(b, unit);
    }
}

/* ---- template expansion -------------------------------------------------- */

static void add_fig(ctx *c, const char *ind, const qty *q, int primary, const char *unit,
                    const char *phrase, size_t plen)
{
    gen_doc *d = c->d;
    if (d->nfigs == d->capfigs) {
        d->capfigs = d->capfigs ? 2 * d->capfigs : 32;
        d->figs = fz_xreallocarray(d->figs, d->capfigs, sizeof *d->figs);
    }
    gen_fig *f = &d->figs[d->nfigs++];
    memset(f, 0, sizeof *f);
    f->indicator = ind;
    /* expand() calls this only with a figure (m and q set): q is never NULL */
    // cppcheck-suppress ctunullpointer
    f->vc = q->vc;
    f->vhc = q->qual == GEN_Q_RANGE ? q->vhc : 0;
    f->qual = q->qual;
    f->primary = primary;
    /* 件(次) is the measure word 件次 written with brackets */
    size_t k = 0;
    for (const char *u = unit; *u && k + 1 < sizeof f->unit; u++)
        if (*u != '(' && *u != ')')
            f->unit[k++] = *u;
    f->unit[k] = '\0';
    f->phrase = fz_xstrndup(phrase, plen);
}

/* Expands tpl into b. With a figure (m, q) a '#' writes the quantity and the
 * text between '<' and '>' becomes its phrase. */
static void expand(ctx *c, fz_buf *b, const char *tpl, const gen_ind *m, const qty *q,
                   int primary)
{
    size_t mark = 0;
    char unit[32] = "";
    for (const char *p = tpl; *p; p++) {
        if (*p == '<' && m) {
            mark = b->len;
            continue;
        }
        if (*p == '>' && m) {
            add_fig(c, m->id, q, primary, unit, b->data + mark, b->len - mark);
            continue;
        }
        if (*p == '#' && m) {
            if (p[1] == '[') {
                const char *e = strchr(p, ']');
                assert(e);
                const char *opts[4];
                size_t n = 0;
                char tmp[64];
                size_t len = (size_t)(e - p - 2);
                assert(len < sizeof tmp);
                memcpy(tmp, p + 2, len);
                tmp[len] = '\0';
                for (char *t = strtok(tmp, "|"); t && n < 4; t = strtok(NULL, "|"))
                    opts[n++] = t;
                assert(n > 0); /* "#[]" has no measure word to choose */
                snprintf(unit, sizeof unit, "%s", opts[gen_below(&c->r, (uint32_t)n)]);
                p = e;
            } else if (m->rate) {
                snprintf(unit, sizeof unit, "%%");
            } else if (!primary && c->last_unit[0]) {
                snprintf(unit, sizeof unit, "%s", c->last_unit);
            } else {
                snprintf(unit, sizeof unit, "%s",
                         pick(&c->r, m->units, count_null(m->units, 4)));
            }
            put_qty(b, q, m->rate, m->rate ? "" : unit);
            if (primary)
                snprintf(c->last_unit, sizeof c->last_unit, "%s", unit);
            continue;
        }
        if (*p != '$') {
            fz_buf_addc(b, *p);
            continue;
        }
        switch (*++p) {
        case 'Y': put_int(b, c->year); break;
        case 'P': put_int(b, c->year - 1); break;
        case 'N': put_int(b, c->year + 1); break;
        case 'W': fz_buf_adds(b, c->self); break;
        case 'L': fz_buf_adds(b, c->lvl); break;
        case 'G': fz_buf_adds(b, c->name); break;
        case 'S': fz_buf_adds(b, c->sfirst); break;
        case 'K': put_int(b, gen_range(&c->r, 2, 60)); break;
        case 'M': put_int(b, gen_range(&c->r, 1, 12)); break;
        case 'D': put_int(b, gen_range(&c->r, 1, 28)); break;
        case 'X': /* a township has a few dozen villages, a city thousands */
            put_int(b, c->li == IND_TOWNSHIP ? gen_range(&c->r, 6, 40)
                       : c->li == IND_COUNTY ? gen_range(&c->r, 40, 480) : gen_range(&c->r, 300, 3000));
            break;
        case 'R': { /* two draws, in this order (argument order is unspecified) */
            int whole = gen_range(&c->r, 90, 99);
            fz_buf_printf(b, "%d.%d", whole, gen_range(&c->r, 1, 9));
            break;
        }
        default: fz_buf_addc(b, '$'); p--; break;
        }
    }
}

static void expand_prose(ctx *c, fz_buf *b, const gen_prose *v, size_t n)
{
    for (int tries = 0; tries < 16; tries++) {
        const gen_prose *p = &v[gen_below(&c->r, (uint32_t)n)];
        if (prose_fits(p, c->year)) {
            expand(c, b, p->text, NULL, NULL, 0);
            return;
        }
    }
}

/* ---- figure sentences ---------------------------------------------------- */

static size_t ind_index(const char *id)
{
    for (size_t i = 0; i < GEN_NINDS; i++)
        if (!strcmp(GEN_INDS[i].id, id))
            return i;
    assert(!"unknown indicator");
    return 0;
}

/* one main clause for indicator i, maybe followed by 同比 (a trap) and 其中 */
static void figure_clause(ctx *c, fz_buf *b, size_t i, int first_in_sentence)
{
    const gen_ind *m = &GEN_INDS[i];
    const char *tpl = pick(&c->r, m->clauses, count_null(m->clauses, 7));
    if (!first_in_sentence)
        fz_buf_adds(b, "，");
    /* 共有镇调委会1个、村调委会20个: two parts and no whole-area total,
     * so neither is primary (as in the labelled seeds) */
    if (!strcmp(m->id, "mediation_committees") && c->li == IND_TOWNSHIP &&
        c->val[i] >= 300 && gen_chance(&c->r, 0.3)) {
        qty one = make_qty(c, m, 100, 0), rest = make_qty(c, m, c->val[i] - 100, 0);
        one.style = rest.style = GEN_NUM_ARABIC;
        one.liang = rest.liang = 0;
        fz_buf_adds(b, "共有");
        expand(c, b, "<$L调委会#[个]>", m, &one, 0);
        fz_buf_adds(b, "、");
        expand(c, b, "<村调委会#[个]>", m, &rest, 0);
        return;
    }
    /* 调处150宗 with 成功调处151宗 next to it would contradict itself: a
     * count that other figures are derived from is stated exactly */
    int linked = (!strcmp(m->id, "mediation_cases") || !strcmp(m->id, "mediation_success")) &&
                 (c->has[ind_index("mediation_success")] + c->has[ind_index("mediation_cases")] +
                  c->has[ind_index("mediation_success_rate")]) > 1;
    qty q = make_qty(c, m, c->val[i], !linked);
    expand(c, b, tpl, m, &q, 1);
    if (!m->rate && q.qual == GEN_Q_EXACT && gen_chance(&c->r, 0.12)) {
        int64_t prev = model_vc(c, i, c->year - 1);
        int64_t diff = c->val[i] - prev;
        if (prev > 0 && diff) {
            int64_t pm = ((diff < 0 ? -diff : diff) * 1000 + prev / 2) / prev; /* per mille */
            if (pm > 0) {
                fz_buf_adds(b, diff > 0 ? "，同比增长" : "，同比下降");
                fz_buf_printf(b, "%ld.%ld%%", (long)(pm / 10), (long)(pm % 10));
            }
        }
    }
    size_t nsub = count_null(m->subs, 3);
    if (nsub && q.qual == GEN_Q_EXACT && c->val[i] >= 600 && gen_chance(&c->r, 0.3)) {
        int64_t sv = c->val[i] / 100 * (20 + (int64_t)gen_below(&c->r, 50)) / 100;
        if (sv >= 1) {
            qty sq = make_qty(c, m, sv * 100, 0);
            fz_buf_adds(b, "，");
            expand(c, b, pick(&c->r, m->subs, nsub), m, &sq, 0);
        }
    }
}

/* sentences stating the theme's indicators, 1-3 clauses each */
static size_t figure_sentences(ctx *c, int th, char **out, size_t max)
{
    size_t n = 0;
    fz_buf b;
    fz_buf_init(&b);
    size_t i = 0;
    while (i < GEN_NINDS && n < max) {
        if (GEN_INDS[i].theme != th || !c->has[i]) {
            i++;
            continue;
        }
        fz_buf_reset(&b);
        expand(c, &b, pick(&c->r, GEN_OPENERS, GEN_NOPENERS), NULL, NULL, 0);
        int k = 0, want = 1 + (int)gen_below(&c->r, 3);
        size_t last = i;
        for (; i < GEN_NINDS && k < want; i++) {
            if (GEN_INDS[i].theme != th || !c->has[i])
                continue;
            figure_clause(c, &b, i, k == 0);
            last = i;
            k++;
        }
        if (gen_chance(&c->r, 0.4)) {
            fz_buf_adds(&b, "，");
            fz_buf_adds(&b, pick(&c->r, GEN_TAILS, GEN_INDS[last].cases ? GEN_NTAILS : GEN_NTAILS_ANY));
        }
        fz_buf_adds(&b, "。");
        out[n++] = fz_xstrdup(b.data);
    }
    fz_buf_release(&b);
    return n;
}

/* ---- sections ------------------------------------------------------------ */

static void paragraphs(ctx *c, char **s, size_t n, int enumerate)
{
    fz_buf b;
    fz_buf_init(&b);
    size_t i = 0;
    int no = 0;
    while (i < n) {
        size_t take = 1 + gen_below(&c->r, enumerate ? 2 : 4);
        fz_buf_reset(&b);
        if (enumerate && no < 12) {
            fz_buf_adds(&b, ZH_ORD[no++]);
            fz_buf_adds(&b, "是");
        }
        for (size_t k = 0; k < take && i < n; k++, i++)
            fz_buf_adds(&b, s[i]);
        add_block(c, B_PARA, b.data);
    }
    fz_buf_release(&b);
}

static void heading2(ctx *c, int no, const char *text, int paren_style, int period)
{
    fz_buf b;
    fz_buf_init(&b);
    fz_buf_adds(&b, paren_style ? "(" : "（");
    fz_buf_adds(&b, ZH_ORD[no]);
    fz_buf_adds(&b, paren_style ? ")" : "）");
    fz_buf_adds(&b, text);
    if (period)
        fz_buf_adds(&b, "。");
    add_block(c, B_HEAD2, b.data);
    fz_buf_release(&b);
}

static void theme_section(ctx *c, int th)
{
    const gen_theme *t = &GEN_THEMES[th];
    enum { MAXS = 40 };
    char *s[MAXS];
    size_t n = 0;
    fz_buf b;
    fz_buf_init(&b);
    /* fillers, each at most once */
    int used[64] = {0};
    size_t want = 7 + gen_below(&c->r, 5);
    for (int tries = 0; tries < 40 && n < want && n < MAXS; tries++) {
        size_t k = gen_below(&c->r, (uint32_t)t->nfill);
        if (k >= 64 || used[k] || !prose_fits(&t->fill[k], c->year))
            continue;
        used[k] = 1;
        fz_buf_reset(&b);
        expand(c, &b, t->fill[k].text, NULL, NULL, 0);
        s[n++] = fz_xstrdup(b.data);
    }
    size_t ntrap = gen_below(&c->r, 3);
    int tused[16] = {0};
    for (int tries = 0; tries < 20 && ntrap > 0 && n < MAXS; tries++) {
        size_t k = gen_below(&c->r, (uint32_t)t->ntrap);
        if (k >= 16 || tused[k] || !prose_fits(&t->trap[k], c->year))
            continue;
        tused[k] = 1;
        ntrap--;
        fz_buf_reset(&b);
        expand(c, &b, t->trap[k].text, NULL, NULL, 0);
        s[n++] = fz_xstrdup(b.data);
    }
    if (!c->used_distract && n < MAXS && gen_chance(&c->r, 0.25)) {
        c->used_distract = 1;
        fz_buf_reset(&b);
        expand_prose(c, &b, GEN_DISTRACT, GEN_NDISTRACT);
        s[n++] = fz_xstrdup(b.data);
    }
    /* shuffle the prose, then insert the figure sentences in order */
    for (size_t i = n; i > 1; i--) {
        size_t j = gen_below(&c->r, (uint32_t)i);
        char *tmp = s[i - 1];
        s[i - 1] = s[j];
        s[j] = tmp;
    }
    char *fs[16];
    size_t nf = figure_sentences(c, th, fs, 16);
    size_t pos = 0;
    for (size_t f = 0; f < nf && n < MAXS; f++) {
        pos += gen_below(&c->r, (uint32_t)(n - pos + 1));
        memmove(&s[pos + 1], &s[pos], (n - pos) * sizeof *s);
        s[pos++] = fs[f];
        n++;
    }
    paragraphs(c, s, n, gen_chance(&c->r, 0.4));
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    fz_buf_release(&b);
}

static void prose_list(ctx *c, const gen_prose *v, size_t nv, size_t want, char **s, size_t *n)
{
    int used[64] = {0};
    fz_buf b;
    fz_buf_init(&b);
    for (int tries = 0; tries < 60 && *n < want; tries++) {
        size_t k = gen_below(&c->r, (uint32_t)nv);
        if (k >= 64 || used[k] || !prose_fits(&v[k], c->year))
            continue;
        used[k] = 1;
        fz_buf_reset(&b);
        expand(c, &b, v[k].text, NULL, NULL, 0);
        s[(*n)++] = fz_xstrdup(b.data);
    }
    fz_buf_release(&b);
}

static void free_list(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
}

/* ---- planning ------------------------------------------------------------ */

static void plan(ctx *c)
{
    assert(GEN_NINDS <= NIND);
    int n = 0;
    for (int tries = 0; tries < 4 && n < 6; tries++) {
        for (size_t i = 0; i < GEN_NINDS; i++) {
            if (!c->has[i] && gen_chance(&c->r, GEN_INDS[i].prob[c->li])) {
                c->has[i] = 1;
                n++;
            }
        }
    }
    for (size_t i = 0; i < GEN_NINDS; i++)
        c->val[i] = model_vc(c, i, c->year);
    /* 调处1338宗, 成功调处1301宗, 调解成功率97.2%: the three agree */
    size_t ic = ind_index("mediation_cases"), is = ind_index("mediation_success"),
           ir = ind_index("mediation_success_rate");
    int64_t cases = c->val[ic] / 100;
    int64_t succ = (cases * c->val[ir] + 5000) / 10000;
    if (succ < 1)
        succ = 1;
    c->val[is] = succ * 100;
    c->val[ir] = (succ * 1000 + cases / 2) / cases * 10;
}

/* ---- titles, signature, header ------------------------------------------ */

static void gov_name(const ctx *c, fz_buf *b)
{
    fz_buf_adds(b, c->name);
    fz_buf_adds(b, c->street ? "办事处" : "人民政府");
}

static void make_title(ctx *c, fz_buf *t, int with_year)
{
    uint64_t h = gen_mix(c->code_h ^ c->sp->world);
    int style = (int)(h % 6);
    if (gen_chance(&c->r, 0.3))
        style = (int)gen_below(&c->r, 6);
    const char *cp = c->dup ? "" : c->cp;
    if (c->li == IND_PREFECTURE && !gen_chance(&c->r, 0.2))
        cp = "";
    fz_buf_adds(t, MARK);
    if (!with_year) {
        switch (style % 3) {
        case 0:
            fz_buf_adds(t, cp);
            gov_name(c, t);
            fz_buf_adds(t, "法治政府建设年度报告");
            break;
        case 1:
            fz_buf_adds(t, c->name);
            fz_buf_adds(t, "关于法治政府建设工作情况的报告");
            break;
        default:
            fz_buf_adds(t, cp);
            fz_buf_adds(t, c->name);
            fz_buf_adds(t, "法治政府建设年度工作报告");
        }
        return;
    }
    switch (style) {
    case 0:
        fz_buf_adds(t, cp);
        gov_name(c, t);
        fz_buf_printf(t, "%d年法治政府建设年度报告", c->year);
        break;
    case 1:
        fz_buf_adds(t, cp);
        fz_buf_adds(t, c->name);
        fz_buf_printf(t, "%d年度法治政府建设年度报告", c->year);
        break;
    case 2:
        fz_buf_printf(t, "%d年", c->year);
        fz_buf_adds(t, c->name);
        fz_buf_adds(t, "法治政府建设报告");
        break;
    case 3:
        fz_buf_printf(t, "%d年", c->year);
        fz_buf_adds(t, c->name);
        fz_buf_adds(t, "依法行政工作报告");
        break;
    case 4:
        fz_buf_adds(t, c->name);
        fz_buf_printf(t, "关于%d年法治政府建设工作情况的报告", c->year);
        break;
    default:
        fz_buf_adds(t, cp);
        gov_name(c, t);
        fz_buf_printf(t, "关于%d年度法治政府建设情况的报告", c->year);
    }
}

/* the issuing government as signed; a namesake always names its county or city */
static void signature(ctx *c, fz_buf *b)
{
    int v = (int)gen_below(&c->r, 3);
    if (c->li == IND_TOWNSHIP) {
        if (c->dup || v == 0) {
            fz_buf_adds(b, c->county);
            gov_name(c, b);
        } else if (c->street && v == 1) {
            fz_buf_adds(b, c->cp);
            fz_buf_adds(b, "人民政府");
            gov_name(c, b);
        } else {
            gov_name(c, b);
        }
    } else if (c->li == IND_COUNTY && (c->dup || v > 0)) {
        fz_buf_adds(b, c->cp);
        gov_name(c, b);
    } else {
        gov_name(c, b);
    }
}

static void zh_year(fz_buf *b, int y)
{
    static const char *const D[10] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    char tmp[8];
    snprintf(tmp, sizeof tmp, "%d", y);
    for (const char *p = tmp; *p; p++)
        fz_buf_adds(b, D[*p - '0']);
}

static void date_line(ctx *c, fz_buf *b, int y, int m, int d)
{
    if (gen_chance(&c->r, 0.2)) {
        zh_year(b, y);
        fz_buf_adds(b, "年");
        gen_num_chinese(b, m);
        fz_buf_adds(b, "月");
        gen_num_chinese(b, d);
        fz_buf_adds(b, "日");
    } else {
        fz_buf_printf(b, "%d年%d月%d日", y, m, d);
    }
}

/* ---- body ---------------------------------------------------------------- */

static void body(ctx *c)
{
    fz_buf b;
    fz_buf_init(&b);
    char *s[16];
    size_t n = 0;

    prose_list(c, GEN_INTRO, GEN_NINTRO, 1 + gen_below(&c->r, 2), s, &n);
    fz_buf_reset(&b);
    for (size_t i = 0; i < n; i++)
        fz_buf_adds(&b, s[i]);
    expand(c, &b, gen_chance(&c->r, 0.5) ? "现将$Y年度法治政府建设工作情况报告如下："
                                         : "现将$Y年度$W法治政府建设情况汇报如下：",
           NULL, NULL, 0);
    add_block(c, B_PARA, b.data);
    free_list(s, n);

    static const char *const H1[] = {"$Y年度法治政府建设主要举措和成效", "法治政府建设工作履行情况",
                                     "$Y年工作情况", "主要工作及成效", "$Y年法治政府建设基本情况"};
    int sec = 0;
    fz_buf_reset(&b);
    fz_buf_printf(&b, "%s、", ZH_ORD[sec++]);
    expand(c, &b, pick(&c->r, H1, 5), NULL, NULL, 0);
    add_block(c, B_HEAD1, b.data);

    int paren = gen_chance(&c->r, 0.3), period = gen_chance(&c->r, 0.5), sub = 0;
    for (int th = 0; th < TH_COUNT; th++) {
        int any = 0;
        for (size_t i = 0; i < GEN_NINDS; i++)
            any |= GEN_INDS[i].theme == th && c->has[i];
        if (!any && !gen_chance(&c->r, 0.9))
            continue;
        heading2(c, sub++, pick(&c->r, GEN_THEMES[th].headings,
                                count_null(GEN_THEMES[th].headings, 6)), paren, period);
        theme_section(c, th);
    }
    if (c->year >= 2020 && c->year <= 2022 && gen_chance(&c->r, 0.5)) {
        heading2(c, sub++, "做好疫情防控，有效保障群众生命健康", paren, period);
        n = 0;
        prose_list(c, GEN_COVID, GEN_NCOVID, 2 + gen_below(&c->r, 2), s, &n);
        paragraphs(c, s, n, 0);
        free_list(s, n);
    }

    if (c->year >= 2019 && gen_chance(&c->r, 0.7)) {
        fz_buf_reset(&b);
        fz_buf_printf(&b, "%s、党政主要负责人履行推进法治建设第一责任人职责情况", ZH_ORD[sec++]);
        add_block(c, B_HEAD1, b.data);
        n = 0;
        prose_list(c, GEN_DUTY, GEN_NDUTY, 2 + gen_below(&c->r, 3), s, &n);
        paragraphs(c, s, n, 0);
        free_list(s, n);
    }

    fz_buf_reset(&b);
    fz_buf_printf(&b, "%s、%s", ZH_ORD[sec++],
                  gen_chance(&c->r, 0.5) ? "存在的问题和不足" : "存在问题");
    add_block(c, B_HEAD1, b.data);
    n = 0;
    prose_list(c, GEN_PROBLEMS, GEN_NPROBLEMS, 3 + gen_below(&c->r, 4), s, &n);
    paragraphs(c, s, n, 1);
    free_list(s, n);

    static const char *const H3[] = {"$N年工作打算", "下一步工作计划", "下一步措施",
                                     "$N年推进法治政府建设的主要安排"};
    fz_buf_reset(&b);
    fz_buf_printf(&b, "%s、", ZH_ORD[sec++]);
    expand(c, &b, pick(&c->r, H3, 4), NULL, NULL, 0);
    add_block(c, B_HEAD1, b.data);
    add_block(c, B_PARA, "在下一步的工作中，我们将进一步提高认识，增强法治政府建设工作的责任感和紧迫感，"
                         "努力提高依法行政工作水平。");
    n = 0;
    prose_list(c, GEN_PLANS, GEN_NPLANS, 4 + gen_below(&c->r, 4), s, &n);
    for (size_t i = 0; i < n; i++) {
        fz_buf_reset(&b);
        fz_buf_adds(&b, paren ? "(" : "（");
        fz_buf_adds(&b, ZH_ORD[i]);
        fz_buf_adds(&b, paren ? ")" : "）");
        fz_buf_adds(&b, s[i]);
        add_block(c, B_PARA, b.data);
    }
    free_list(s, n);
    fz_buf_release(&b);
}

/* ---- rendering ----------------------------------------------------------- */

typedef struct layout {
    int  header;        /* 0..3 with a publication line, 4 title only, 5 nothing */
    int  py, pm, pd;    /* publication date */
    int  sy, sm, sd;    /* signature date */
    int  hh, mi, ss;
    const char *indent; /* before every body line */
    const char *sep;    /* between blocks */
    int  footer;
    const char *charset;/* html meta charset */
} layout;

static void source_name(const ctx *c, fz_buf *b, int v)
{
    if (v == 0 || c->dup)
        fz_buf_adds(b, c->name);
    else
        gov_name(c, b);
}

static void render_txt(ctx *c, const layout *L, const char *title, fz_buf *o)
{
    fz_buf src;
    fz_buf_init(&src);
    source_name(c, &src, (int)gen_below(&c->r, 2));
    fz_buf_adds(o, NOTICE "\n\n");
    switch (L->header) {
    case 0:
        if (gen_chance(&c->r, 0.5))
            fz_buf_adds(o, "头部\n\n");
        fz_buf_printf(o, "%s\n\n\n来源:%s 发布时间:%04d-%02d-%02d %02d:%02d:%02d 字体大小: 浏览次数:-\n\n\n",
                      title, src.data, L->py, L->pm, L->pd, L->hh, L->mi, L->ss);
        break;
    case 1:
        fz_buf_printf(o, "当前位置:%s> 政务公开> 最新文件\n\n%s\n发布日期: %04d-%02d-%02d %02d:%02d      来源: %s\n"
                         "字号:\n  • 扫一扫在手机打开当前页\n\n\n    %s\n\n",
                      c->name, title, L->py, L->pm, L->pd, L->hh, L->mi, src.data, title);
        break;
    case 2: {
        fz_buf gov;
        fz_buf_init(&gov);
        signature(c, &gov);
        fz_buf_printf(o, "返回上一级\n\n字号\n\n打印\n\n%s\n\n主动公开\n\n%s\n\n%04d.%02d.%02d\n\n%s\n\n",
                      title, gov.data, L->py, L->pm, L->pd, title);
        fz_buf_release(&gov);
        break;
    }
    case 3:
        fz_buf_printf(o, "%s\n\n信息来源：%s　　发布时间：%04d-%02d-%02d\n\n", title, src.data, L->py,
                      L->pm, L->pd);
        break;
    case 4:
        fz_buf_printf(o, "%s\n\n", title);
        break;
    default:
        break;
    }
    for (size_t i = 0; i < c->nblocks; i++) {
        fz_buf_adds(o, L->indent);
        fz_buf_adds(o, c->blocks[i].text);
        fz_buf_adds(o, L->sep);
    }
    fz_buf_adds(o, "\n\n");
    const char *pad = gen_chance(&c->r, 0.3) ? "                                        " : "";
    fz_buf_adds(o, pad);
    signature(c, o);
    fz_buf_adds(o, "\n\n");
    if (L->header < 4) {
        fz_buf_adds(o, pad);
        date_line(c, o, L->sy, L->sm, L->sd);
        fz_buf_adds(o, "\n");
    }
    static const char *const FOOT[] = {"", "\n\n\n\nfooter底部", "\n\n微博微信\n\n关闭\n",
                                       "\n【打印本页】【关闭窗口】\n",
                                       "\n\n    全国各省市政府网站\n    重点链接\n"};
    fz_buf_adds(o, FOOT[L->footer % 5]);
    fz_buf_release(&src);
}

static const char *icp_abbrev(const char *code)
{
    static const char *const AB[][2] = {
        {"11", "京"}, {"12", "津"}, {"13", "冀"}, {"14", "晋"}, {"15", "蒙"}, {"21", "辽"},
        {"22", "吉"}, {"23", "黑"}, {"31", "沪"}, {"32", "苏"}, {"33", "浙"}, {"34", "皖"},
        {"35", "闽"}, {"36", "赣"}, {"37", "鲁"}, {"41", "豫"}, {"42", "鄂"}, {"43", "湘"},
        {"44", "粤"}, {"45", "桂"}, {"46", "琼"}, {"50", "渝"}, {"51", "蜀"}, {"52", "黔"},
        {"53", "滇"}, {"54", "藏"}, {"61", "陕"}, {"62", "甘"}, {"63", "青"}, {"64", "宁"},
        {"65", "新"}};
    for (size_t i = 0; i < sizeof AB / sizeof AB[0]; i++)
        if (!strncmp(code, AB[i][0], 2))
            return AB[i][1];
    return "";
}

static void render_html(ctx *c, const layout *L, const char *title, fz_buf *o)
{
    fz_buf site;
    fz_buf_init(&site);
    if (c->li == IND_TOWNSHIP)
        fz_buf_printf(&site, "%s人民政府门户网站", c->county);
    else
        fz_buf_printf(&site, "%s人民政府门户网站", c->name);
    fz_buf_adds(o, "<!DOCTYPE html><!-- " NOTICE " -->\n");
    fz_buf_printf(o, "<html lang=\"zh-CN\">\n<head>\n<meta http-equiv=\"Content-Type\" "
                     "content=\"text/html; charset=%s\">\n",
                  L->charset);
    fz_buf_printf(o, "<title>%s_%s</title>\n", *title ? title : "政务公开", site.data);
    fz_buf_adds(o, "<link rel=\"stylesheet\" type=\"text/css\" href=\"/css/common.css\">\n"
                   "<script type=\"text/javascript\" src=\"/js/jquery.min.js\"></script>\n"
                   "<script>function doZoom(size){document.getElementById('zoom').style.fontSize=size+'px';}</script>\n"
                   "</head>\n<body>\n");
    fz_buf_printf(o, "<div class=\"top\"><span>%s</span> <a href=\"/\">首页</a> | <a href=\"/zwgk/\">政务公开</a> | "
                     "<a href=\"/hdjl/\">互动交流</a> | <a href=\"/bsfw/\">办事服务</a> | <a href=\"/zjzf/\">走进政府</a></div>\n",
                  site.data);
    fz_buf_adds(o, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> "
                   "&gt; <a href=\"/zwgk/fzzfjs/\">法治政府建设</a></div>\n");
    fz_buf_adds(o, "<div class=\"article\">\n<p class=\"notice\">" NOTICE "</p>\n");
    if (*title)
        fz_buf_printf(o, "<h1 class=\"title\">%s</h1>\n", title);
    if (L->header < 4) {
        fz_buf src;
        fz_buf_init(&src);
        source_name(c, &src, (int)gen_below(&c->r, 2));
        fz_buf_printf(o, "<div class=\"info\">发布时间：%04d-%02d-%02d %02d:%02d &nbsp; 来源：%s &nbsp; "
                         "字号：<a href=\"javascript:doZoom(18)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> "
                         "<a href=\"javascript:doZoom(14)\">小</a> &nbsp; <a href=\"javascript:window.print()\">打印</a> "
                         "<a href=\"javascript:window.close()\">关闭</a></div>\n",
                      L->py, L->pm, L->pd, L->hh, L->mi, src.data);
        fz_buf_release(&src);
    } else {
        fz_buf_adds(o, "<div class=\"info\">字号：<a href=\"javascript:doZoom(18)\">大</a> "
                       "<a href=\"javascript:doZoom(16)\">中</a> <a href=\"javascript:doZoom(14)\">小</a> "
                       "<a href=\"javascript:window.print()\">打印</a> <a href=\"javascript:window.close()\">关闭</a></div>\n");
    }
    fz_buf_adds(o, "<div class=\"content\" id=\"zoom\">\n");
    for (size_t i = 0; i < c->nblocks; i++) {
        const block *k = &c->blocks[i];
        if (k->kind == B_HEAD1)
            fz_buf_printf(o, "<p style=\"text-indent:2em;\"><strong>%s</strong></p>\n", k->text);
        else if (k->kind == B_HEAD2)
            fz_buf_printf(o, "<p style=\"text-indent:2em;\"><b>%s</b></p>\n", k->text);
        else
            fz_buf_printf(o, "<p style=\"text-indent:2em;\">%s</p>\n", k->text);
    }
    fz_buf_adds(o, "<p style=\"text-align:right;\">");
    signature(c, o);
    fz_buf_adds(o, "</p>\n");
    if (L->header < 4) {
        fz_buf_adds(o, "<p style=\"text-align:right;\">");
        date_line(c, o, L->sy, L->sm, L->sd);
        fz_buf_adds(o, "</p>\n");
    }
    fz_buf_adds(o, "</div>\n</div>\n<div class=\"share\">分享到：微信 微博 &nbsp; <a href=\"javascript:window.print()\">"
                   "【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n");
    uint64_t h = gen_mix(c->code_h);
    fz_buf_printf(o, "<div class=\"footer\">主办：%s办公室 &nbsp; 版权所有<br>网站标识码：%.6s%04u &nbsp; "
                     "%sICP备%08u号<br>建议使用1920×1080分辨率浏览本网站</div>\n</body>\n</html>\n",
                  site.data, c->reg->code, (unsigned)(h % 10000), icp_abbrev(c->reg->code),
                  (unsigned)(h / 10000 % 100000000));
    fz_buf_release(&site);
}

/* ---- post-processing ----------------------------------------------------- */

/* 2022年,我镇…: pages copied from some sites use ASCII punctuation */
static void ascii_punct(fz_buf *b, size_t from)
{
    static const char *const MAP[][2] = {{"，", ","}, {"：", ":"}, {"（", "("}, {"）", ")"},
                                         {"；", ";"}};
    fz_buf o;
    fz_buf_init(&o);
    fz_buf_add(&o, b->data, from);
    for (size_t i = from; i < b->len;) {
        size_t k = 0;
        for (; k < 5; k++)
            if (!strncmp(b->data + i, MAP[k][0], 3))
                break;
        if (k < 5) {
            fz_buf_adds(&o, MAP[k][1]);
            i += 3;
        } else {
            fz_buf_addc(&o, b->data[i++]);
        }
    }
    fz_buf_reset(b);
    fz_buf_add(b, o.data, o.len);
    fz_buf_release(&o);
}

static void ascii_str(char **s)
{
    fz_buf t;
    fz_buf_init(&t);
    fz_buf_adds(&t, *s);
    ascii_punct(&t, 0);
    free(*s);
    *s = fz_buf_steal(&t);
    fz_buf_release(&t);
}

static int trad_str(gen_conv *cv, char **s)
{
    fz_buf t;
    fz_buf_init(&t);
    fz_buf_adds(&t, *s);
    int rc = gen_conv_trad(cv, &t);
    if (rc == 0) {
        free(*s);
        *s = fz_buf_steal(&t);
    }
    fz_buf_release(&t);
    return rc;
}

static void crlf(fz_buf *b)
{
    fz_buf o;
    fz_buf_init(&o);
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] == '\n')
            fz_buf_addc(&o, '\r');
        fz_buf_addc(&o, b->data[i]);
    }
    fz_buf_reset(b);
    fz_buf_add(b, o.data, o.len);
    fz_buf_release(&o);
}

static int all_phrases_present(const gen_doc *d)
{
    for (size_t i = 0; i < d->nfigs; i++)
        if (!strstr(d->text.data, d->figs[i].phrase))
            return 0;
    return !*d->title || strstr(d->text.data, d->title) != NULL;
}

/* ---- public -------------------------------------------------------------- */

void gen_doc_init(gen_doc *d)
{
    memset(d, 0, sizeof *d);
    fz_buf_init(&d->text);
    d->title = fz_xstrdup("");
}

void gen_doc_reset(gen_doc *d)
{
    fz_buf_reset(&d->text);
    for (size_t i = 0; i < d->nfigs; i++)
        free(d->figs[i].phrase);
    d->nfigs = 0;
    free(d->title);
    d->title = fz_xstrdup("");
    d->published[0] = '\0';
    d->html = d->traditional = 0;
    d->encoding = GEN_ENC_UTF8;
}

void gen_doc_release(gen_doc *d)
{
    gen_doc_reset(d);
    fz_buf_release(&d->text);
    free(d->figs);
    free(d->title);
    memset(d, 0, sizeof *d);
}

static int is_placeholder(const char *name)
{
    return !strcmp(name, "市辖区") || !strcmp(name, "县") || strstr(name, "直辖") != NULL;
}

static void region_words(ctx *c)
{
    static const char *const SUF[] = {"街道", "地区", "镇", "乡", "区", "县", "市", "旗", "州", "盟"};
    snprintf(c->lvl, sizeof c->lvl, "区");
    for (size_t i = 0; i < sizeof SUF / sizeof SUF[0]; i++)
        if (ends_with(c->name, SUF[i])) {
            snprintf(c->lvl, sizeof c->lvl, "%s", SUF[i]);
            break;
        }
    c->street = !strcmp(c->lvl, "街道");
    snprintf(c->self, sizeof c->self, "%s%s", c->street && gen_chance(&c->r, 0.5) ? "" : "我", c->lvl);
    size_t k = 1;
    while (c->name[k] && ((unsigned char)c->name[k] & 0xC0) == 0x80)
        k++;
    snprintf(c->sfirst, sizeof c->sfirst, "%.*s", (int)k, c->name);
}

int gen_doc_make(gen_doc *d, const gen_docspec *sp)
{
    gen_doc_reset(d);
    ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.sp = sp;
    c.reg = &sp->gaz->r[sp->region];
    c.year = sp->year;
    c.name = c.reg->name;
    c.code_h = gen_hash_str(0, c.reg->code);
    gen_rng_seed(&c.r, sp->seed, c.code_h, (uint64_t)sp->year);
    const gen_gaz *g = sp->gaz;
    long ip = gen_gaz_up(g, sp->region, GEN_PROVINCE);
    long ipf = gen_gaz_up(g, sp->region, GEN_PREFECTURE);
    long ic = gen_gaz_up(g, sp->region, GEN_COUNTY);
    c.province = ip >= 0 ? g->r[ip].name : "";
    const char *pref = ipf >= 0 && !is_placeholder(g->r[ipf].name) ? g->r[ipf].name : c.province;
    c.county = "";
    if (c.reg->level == GEN_TOWNSHIP) {
        c.li = IND_TOWNSHIP;
        c.county = ic >= 0 ? g->r[ic].name : "";
        c.cp = c.county;
        c.dup = c.reg->namesakes > 1;
    } else if (c.reg->level == GEN_COUNTY) {
        c.li = IND_COUNTY;
        c.cp = pref;
        c.dup = c.reg->namesakes > 1; /* 鼓楼区: the signature names the city */
    } else {
        c.li = IND_PREFECTURE;
        c.cp = c.province;
    }
    region_words(&c);

    /* variants */
    d->html = gen_chance(&c.r, 0.22);
    d->traditional = sp->conv && gen_chance(&c.r, 0.05);
    double u = gen_unit(&c.r);
    if (d->traditional)
        d->encoding = !d->html && u < 0.5 ? GEN_ENC_BIG5 : GEN_ENC_UTF8;
    else
        d->encoding = u < 0.16 ? GEN_ENC_GB18030 : u < 0.22 && !d->html ? GEN_ENC_UTF8_BOM : GEN_ENC_UTF8;
    int with_year = !gen_chance(&c.r, 0.12);
    layout L;
    memset(&L, 0, sizeof L);
    u = gen_unit(&c.r);
    L.header = u < 0.25 ? 0 : u < 0.45 ? 1 : u < 0.62 ? 2 : u < 0.92 ? 3 : u < 0.97 ? 4 : 5;
    u = gen_unit(&c.r);
    if (u < 0.75) {
        L.py = c.year + 1;
        L.pm = gen_range(&c.r, 1, 3);
    } else if (u < 0.9) {
        L.py = c.year;
        L.pm = 12;
    } else {
        L.py = c.year + 1;
        L.pm = gen_range(&c.r, 4, 6);
    }
    L.pd = gen_range(&c.r, 1, 28);
    L.sy = L.py;
    L.sm = L.pm;
    L.sd = gen_chance(&c.r, 0.6) ? L.pd : gen_range(&c.r, 1, L.pd);
    L.hh = gen_range(&c.r, 8, 18);
    L.mi = gen_range(&c.r, 0, 59);
    L.ss = gen_range(&c.r, 0, 59);
    static const char *const IND[] = {"", "    ", "　　", "  "};
    L.indent = IND[gen_below(&c.r, 4)];
    L.sep = gen_chance(&c.r, 0.75) ? "\n\n" : "\n";
    L.footer = (int)gen_below(&c.r, 5);
    static const char *const GBCS[] = {"gb2312", "GBK", "gb18030"};
    L.charset = d->encoding == GEN_ENC_GB18030 ? GBCS[gen_below(&c.r, 3)] : "utf-8";
    int ascii = !d->html && gen_chance(&c.r, 0.2);
    int use_crlf = !d->html && gen_chance(&c.r, 0.12);

    plan(&c);
    body(&c);
    fz_buf t;
    fz_buf_init(&t);
    if (L.header < 5)
        make_title(&c, &t, with_year);
    free(d->title);
    d->title = fz_buf_steal(&t);
    fz_buf_release(&t);
    if (L.header < 4)
        snprintf(d->published, sizeof d->published, "%04d-%02d-%02d", L.py, L.pm, L.pd);

    if (d->html)
        render_html(&c, &L, d->title, &d->text);
    else
        render_txt(&c, &L, d->title, &d->text);
    for (size_t i = 0; i < c.nblocks; i++)
        free(c.blocks[i].text);
    free(c.blocks);

    if (ascii) {
        const char *nl = strchr(d->text.data, '\n');
        ascii_punct(&d->text, nl ? (size_t)(nl - d->text.data) : 0);
        ascii_str(&d->title);
        for (size_t i = 0; i < d->nfigs; i++)
            ascii_str(&d->figs[i].phrase);
    }
    if (!all_phrases_present(d))
        return -1;
    if (d->traditional) {
        /* phrases are converted on their own; keep the document simplified
         * if that ever gives a different string than in context */
        gen_doc tr;
        gen_doc_init(&tr);
        fz_buf_add(&tr.text, d->text.data, d->text.len);
        int ok = gen_conv_trad(sp->conv, &tr.text) == 0;
        free(tr.title);
        tr.title = fz_xstrdup(d->title);
        ok = ok && trad_str(sp->conv, &tr.title) == 0;
        tr.figs = fz_xreallocarray(NULL, d->nfigs ? d->nfigs : 1, sizeof *tr.figs);
        tr.capfigs = d->nfigs ? d->nfigs : 1;
        for (size_t i = 0; i < d->nfigs; i++) {
            tr.figs[i] = d->figs[i];
            tr.figs[i].phrase = fz_xstrdup(d->figs[i].phrase);
            tr.nfigs++;
            ok = ok && trad_str(sp->conv, &tr.figs[i].phrase) == 0;
        }
        if (ok && all_phrases_present(&tr)) {
            fz_buf_reset(&d->text);
            fz_buf_add(&d->text, tr.text.data, tr.text.len);
            free(d->title);
            d->title = fz_xstrdup(tr.title);
            for (size_t i = 0; i < d->nfigs; i++) {
                free(d->figs[i].phrase);
                d->figs[i].phrase = fz_xstrdup(tr.figs[i].phrase);
            }
        } else {
            d->traditional = 0;
            if (d->encoding == GEN_ENC_BIG5)
                d->encoding = GEN_ENC_UTF8;
        }
        gen_doc_release(&tr);
    }
    if (use_crlf)
        crlf(&d->text);
    return 0;
}
