/* gen_sample.c: fzgen, the sample corpus generator (main).
 *
 *   fzgen [--count N] [--seed S] [--out DIR] [--truth DIR] [--gazetteer FILE]
 *
 * Picks regions from the gazetteer (townships, counties, prefecture cities in
 * several provinces; namesake townships such as 新城镇 on purpose), gives each
 * a run of report years between 2016 and 2024 with gaps, and writes one report
 * per (region, year) as NNNN_<code>_<year>.txt or .html, plus the ground truth
 * docs.csv and mentions.csv. The same options give the same bytes. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "diag.h"
#include "err.h"
#include "outfile.h"
#include "xalloc.h"

enum { YEAR_FIRST = 2016, YEAR_LAST = 2024, MAX_COUNT = 1000000 };

static const char USAGE[] =
    "usage: fzgen [options]\n"
    "Writes synthetic rule-of-law reports and their ground truth (sample data only).\n"
    "  --count N         number of reports (default 300, at most 1000000)\n"
    "  --seed S          run seed (default 2024); the same seed gives the same bytes\n"
    "  --out DIR         directory for the reports (default sample)\n"
    "  --truth DIR       write docs.csv and mentions.csv there (default: none)\n"
    "  --gazetteer FILE  code,name,level,parent (default: gazetteer.csv in the data dir)\n"
    "  --help            this text\n"
    "example: fzgen --count 300 --out datasets/sample --truth datasets/sample_truth\n";

typedef struct pair {
    long region;
    int  year;
} pair;

typedef struct pool {
    long  *v;
    size_t n, cap;
    unsigned char *taken; /* 1: already has a plan */
} pool;

static void pool_add(pool *p, long i)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->v = fz_xreallocarray(p->v, p->cap, sizeof *p->v);
    }
    p->v[p->n++] = i;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static int placeholder(const char *name)
{
    return !strcmp(name, "市辖区") || !strcmp(name, "县") || strstr(name, "直辖") != NULL;
}

/* Provinces for the committed sample: several regions, each with all levels. */
static int preferred(const char *code)
{
    static const char *const P[] = {"44", "31", "12", "52", "33", "37", "51", "43", "32", "35",
                                    "42", "61"};
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (!strncmp(code, P[i], 2))
            return 1;
    return 0;
}

static long pool_take(pool *p, gen_rng *r)
{
    if (p->n == 0)
        return -1;
    for (int tries = 0; tries < 40; tries++) {
        size_t k = gen_below(r, (uint32_t)p->n);
        if (!p->taken[k]) {
            p->taken[k] = 1;
            return p->v[k];
        }
    }
    return -1;
}

static int by_region_year(const void *a, const void *b, void *g)
{
    const pair *x = a, *y = b;
    const gen_gaz *gz = g;
    int c = strcmp(gz->r[x->region].code, gz->r[y->region].code);
    return c ? c : x->year - y->year;
}

/* The (region, year) list: regions by level, each reporting in some years. */
static pair *make_plan(const gen_gaz *g, uint64_t world, size_t count, size_t *got)
{
    pool pt = {0}, pd = {0}, pc = {0}, pp = {0};
    int all = count > 3000;
    for (size_t i = 0; i < g->n; i++) {
        const gen_region *r = &g->r[i];
        if (!all && !preferred(r->code))
            continue;
        if (r->level == GEN_TOWNSHIP &&
            (ends_with(r->name, "镇") || ends_with(r->name, "乡") || ends_with(r->name, "街道"))) {
            long c = gen_gaz_up(g, (long)i, GEN_COUNTY);
            if (c < 0 || placeholder(g->r[c].name))
                continue;
            pool_add(r->namesakes >= 5 ? &pd : &pt, (long)i);
        } else if (r->level == GEN_COUNTY && !placeholder(r->name) &&
                   (ends_with(r->name, "区") || ends_with(r->name, "县") ||
                    ends_with(r->name, "市") || ends_with(r->name, "旗"))) {
            pool_add(&pc, (long)i);
        } else if (r->level == GEN_PREFECTURE && !placeholder(r->name) &&
                   (ends_with(r->name, "市") || ends_with(r->name, "州") ||
                    ends_with(r->name, "盟") || ends_with(r->name, "地区"))) {
            pool_add(&pp, (long)i);
        }
    }
    pool *pools[4] = {&pt, &pd, &pc, &pp};
    for (int k = 0; k < 4; k++)
        pools[k]->taken = fz_xcalloc(pools[k]->n ? pools[k]->n : 1, 1);

    gen_rng r;
    gen_rng_seed(&r, world, 0x706c616eULL /* plan */, 0);
    pair *v = NULL;
    size_t n = 0, cap = 0;
    /* the namesakes everyone trips over come first: 新城镇 (19 of them),
     * 城关镇, and 鼓楼区 twice (a district of that name in several cities) */
    static const char *const FAMOUS[] = {"新城镇", "城关镇", "鼓楼区", "鼓楼区"};
    enum { NFAMOUS = sizeof FAMOUS / sizeof FAMOUS[0] };
    size_t famous = 0;
    while (n < count) {
        long reg = -1;
        if (famous < NFAMOUS) {
            const char *want = FAMOUS[famous++];
            pool *p = ends_with(want, "区") ? &pc : &pd;
            for (size_t k = 0; k < p->n && reg < 0; k++)
                if (!p->taken[k] && !strcmp(g->r[p->v[k]].name, want)) {
                    p->taken[k] = 1;
                    reg = p->v[k];
                }
            if (reg < 0)
                continue;
        } else {
            double u = gen_unit(&r);
            pool *p = u < 0.34 ? &pt : u < 0.46 ? &pd : u < 0.85 ? &pc : &pp;
            reg = pool_take(p, &r);
        }
        for (int k = 0; reg < 0 && k < 4; k++)
            reg = pool_take(pools[k], &r);
        if (reg < 0) { /* every region is taken: a benchmark corpus repeats them */
            for (int k = 0; k < 4; k++)
                if (pools[k]->n)
                    memset(pools[k]->taken, 0, pools[k]->n);
            for (int k = 0; reg < 0 && k < 4; k++)
                reg = pool_take(pools[k], &r);
            if (reg < 0)
                break;
        }
        int any = 0;
        for (int y = YEAR_FIRST; y <= YEAR_LAST; y++) {
            int last = y == YEAR_LAST && !any;
            if (!last && !gen_chance(&r, 0.42))
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                v = fz_xreallocarray(v, cap, sizeof *v);
            }
            v[n].region = reg;
            v[n++].year = last ? YEAR_FIRST + (int)gen_below(&r, YEAR_LAST - YEAR_FIRST + 1) : y;
            any = 1;
        }
    }
    /* the last region may overshoot: drop random pairs, not its late years */
    while (n > count) {
        size_t k = gen_below(&r, (uint32_t)n);
        v[k] = v[--n];
    }
    qsort_r(v, n, sizeof *v, by_region_year, (void *)g);
    *got = n;
    for (int k = 0; k < 4; k++) {
        free(pools[k]->v);
        free(pools[k]->taken);
    }
    return v;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_field(FILE *fp, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', fp);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', fp);
            fputc(*s, fp);
        }
        fputc('"', fp);
    } else {
        fputs(s, fp);
    }
    fputc(last ? '\n' : ',', fp);
}

static const char *level_name(int l)
{
    return l == GEN_TOWNSHIP ? "township" : l == GEN_COUNTY ? "county" : l == GEN_PREFECTURE ? "prefecture" : "province";
}

static void write_doc_row(FILE *fp, const gen_gaz *g, const pair *p, const char *file,
                          const gen_doc *d)
{
    const gen_region *r = &g->r[p->region];
    const char *names[4] = {"", "", "", ""};
    for (int l = GEN_PROVINCE; l <= GEN_TOWNSHIP; l++) {
        long a = gen_gaz_up(g, p->region, l);
        if (a >= 0)
            names[l - 1] = g->r[a].name;
    }
    char year[16];
    snprintf(year, sizeof year, "%d", p->year);
    csv_field(fp, file, 0);
    csv_field(fp, r->name, 0);
    for (int l = 0; l < 4; l++)
        csv_field(fp, names[l], 0);
    csv_field(fp, r->code, 0);
    csv_field(fp, level_name(r->level), 0);
    csv_field(fp, year, 0);
    csv_field(fp, d->published, 0);
    csv_field(fp, d->title, 1);
}

static void write_fig_rows(FILE *fp, const char *file, const gen_doc *d)
{
    fz_buf v;
    fz_buf_init(&v);
    for (size_t i = 0; i < d->nfigs; i++) {
        const gen_fig *f = &d->figs[i];
        csv_field(fp, file, 0);
        csv_field(fp, f->indicator, 0);
        fz_buf_reset(&v);
        gen_num_csv(&v, f->vc);
        csv_field(fp, v.data, 0);
        csv_field(fp, f->unit, 0);
        csv_field(fp, gen_qual_name(f->qual), 0);
        csv_field(fp, f->primary ? "1" : "0", 0);
        csv_field(fp, f->phrase, 0);
        fz_buf_reset(&v);
        if (f->qual == GEN_Q_RANGE)
            gen_num_csv(&v, f->vhc);
        csv_field(fp, v.data, 1);
    }
    fz_buf_release(&v);
}

/* ---- main ----------------------------------------------------------------- */

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static void print_diag(const fz_diag *dg)
{
    for (size_t i = 0; i < dg->n; i++)
        fprintf(stderr, "fzgen: %s\n", dg->items[i].msg);
}

int main(int argc, char **argv)
{
    uint64_t count = 300, seed = 2024;
    const char *out = "sample", *truth = NULL, *gazpath = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--count") && parse_u64(v, MAX_COUNT, &count) == 0 && count > 0) {
            i++;
        } else if (!strcmp(a, "--seed") && parse_u64(v, UINT64_MAX, &seed) == 0) {
            i++;
        } else if (!strcmp(a, "--out") && v) {
            out = argv[++i];
        } else if (!strcmp(a, "--truth") && v) {
            truth = argv[++i];
        } else if (!strcmp(a, "--gazetteer") && v) {
            gazpath = argv[++i];
        } else {
            fprintf(stderr, "fzgen: bad option or value '%s'\n%s", a, USAGE);
            return 2;
        }
    }
    char *gaz_owned = NULL;
    if (!gazpath) {
        gaz_owned = fz_data_path("gazetteer.csv");
        if (!gaz_owned) {
            fprintf(stderr, "fzgen: cannot find gazetteer.csv (give --gazetteer)\n");
            return 1;
        }
        gazpath = gaz_owned;
    }
    int status = 1;
    char err[512];
    gen_gaz g;
    fz_diag dg;
    fz_diag_init(&dg);
    gen_conv *conv = NULL;
    pair *plan = NULL;
    fz_outfile odocs = {0}, omen = {0};
    int have_truth = 0;
    gen_doc d;
    gen_doc_init(&d);
    fz_buf enc, path, fname;
    fz_buf_init(&enc);
    fz_buf_init(&path);
    fz_buf_init(&fname);
    if (gen_gaz_load(&g, gazpath, err, sizeof err) < 0) {
        fprintf(stderr, "fzgen: %s\n", err);
        goto done_nogaz;
    }
    if (!(conv = gen_conv_new(err, sizeof err))) {
        fprintf(stderr, "fzgen: %s\n", err);
        goto done;
    }
    if (fz_mkdirs(out, &dg) < 0 || (truth && fz_mkdirs(truth, &dg) < 0))
        goto done;
    if (truth) {
        char *p1 = fz_xasprintf("%s/docs.csv", truth), *p2 = fz_xasprintf("%s/mentions.csv", truth);
        int rc = fz_outfile_open(&odocs, p1, &dg);
        if (rc == 0 && (rc = fz_outfile_open(&omen, p2, &dg)) < 0)
            fz_outfile_abort(&odocs);
        free(p1);
        free(p2);
        if (rc < 0)
            goto done;
        have_truth = 1;
        fputs("file,region_name,province,prefecture,county,township,region_code,level,report_year,"
              "published,title\n", odocs.fp);
        fputs("file,indicator,value,unit,qualifier,primary,phrase,value_high\n", omen.fp);
    }
    uint64_t world = gen_mix(seed ^ 0x66727a67656eULL);
    size_t planned = 0;
    plan = make_plan(&g, world, (size_t)count, &planned);
    if (planned < count) {
        fprintf(stderr, "fzgen: '%s' has no township, county or prefecture to write about\n",
                gazpath);
        goto done;
    }
    int width = 4;
    for (uint64_t t = count; t >= 10000; t /= 10)
        width++;
    unsigned long long bytes = 0;
    for (size_t i = 0; i < count; i++) {
        gen_docspec sp = {&g, plan[i].region, plan[i].year, gen_mix(world + 1), world, conv};
        if (gen_doc_make(&d, &sp) < 0) {
            fprintf(stderr, "fzgen: internal error: a phrase of %s %d is not in its text\n",
                    g.r[plan[i].region].code, plan[i].year);
            goto done;
        }
        fz_buf_reset(&fname);
        fz_buf_printf(&fname, "%0*zu_%s_%d.%s", width, i + 1, g.r[plan[i].region].code,
                      plan[i].year, d.html ? "html" : "txt");
        const char *file = fname.data;
        const char *data = d.text.data;
        size_t len = d.text.len;
        if (d.encoding == GEN_ENC_GB18030 || d.encoding == GEN_ENC_BIG5) {
            if (gen_conv_encode(conv, d.text.data, d.text.len, d.encoding, &enc) < 0) {
                if (d.encoding == GEN_ENC_GB18030) {
                    fprintf(stderr, "fzgen: cannot encode '%s' as GB18030\n", file);
                    goto done;
                }
                d.encoding = GEN_ENC_UTF8; /* Big5 lacks a character: keep UTF-8 */
            } else {
                data = enc.data;
                len = enc.len;
            }
        }
        fz_buf_reset(&path);
        fz_buf_printf(&path, "%s/%s", out, file);
        FILE *fp = fopen(path.data, "wb");
        if (!fp) {
            fprintf(stderr, "fzgen: cannot write '%s': %s\n", path.data, strerror(errno));
            goto done;
        }
        if (d.encoding == GEN_ENC_UTF8_BOM)
            fputs("\xEF\xBB\xBF", fp);
        size_t w = fwrite(data, 1, len, fp);
        if (fclose(fp) != 0 || w != len) {
            fprintf(stderr, "fzgen: cannot write '%s': %s\n", path.data, strerror(errno));
            goto done;
        }
        bytes += len;
        if (have_truth) {
            write_doc_row(odocs.fp, &g, &plan[i], file, &d);
            write_fig_rows(omen.fp, file, &d);
        }
    }
    if (have_truth) {
        have_truth = 0;
        int rc = fz_outfile_commit(&odocs, &dg);
        if (rc < 0) {
            fz_outfile_abort(&omen);
            goto done;
        }
        if (fz_outfile_commit(&omen, &dg) < 0)
            goto done;
    }
    fprintf(stderr, "fzgen: wrote %llu reports (%llu bytes) to '%s'\n", (unsigned long long)count,
            bytes, out);
    status = 0;
done:
    if (have_truth) {
        fz_outfile_abort(&odocs);
        fz_outfile_abort(&omen);
    }
    print_diag(&dg);
    gen_gaz_release(&g);
done_nogaz:
    free(plan);
    gen_conv_free(conv);
    gen_doc_release(&d);
    fz_buf_release(&enc);
    fz_buf_release(&path);
    fz_buf_release(&fname);
    fz_diag_release(&dg);
    free(gaz_owned);
    return status;
}
