/* test_report.c: the PDF report, built from the five seed reports' gold
 * documents and figures (shared/gold) through the real statistics. Checks
 * structure with poppler: page count, bookmarks, searchable Chinese text,
 * embedded fonts; determinism (identical bytes twice); an empty corpus; and
 * that a failed write leaves the previous report in place. */
#include <glib.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "err.h"
#include "obs.h"
#include "outfile.h"
#include "report.h"
#include "repint.h"
#include "stats.h"
#include "tables.h"
#include "xalloc.h"

/* cairo 1.16 leaks one array (768 bytes) for every PDF that shows text
 * (reproduced without fzstat: a PDF surface, cairo_show_text, finish,
 * destroy, cairo_debug_reset_static_data), and fontconfig keeps its parsed
 * configuration until exit (only FcFini frees it, unsafe while cairo holds
 * fonts). LeakSanitizer reads this hook in sanitizer builds; elsewhere it is
 * an unused function. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

static const char *cell(const fz_table *t, size_t r, const char *col)
{
    int c = fz_table_find_col(t, col);
    return c < 0 ? "" : fz_table_text(t, r, (size_t)c);
}

/* fz_obs from the gold tables: one document per gold row, its figures. */
static fz_obs *gold_obs(void)
{
    fz_diag d;
    fz_diag_init(&d);
    char *dp = check_shared("gold/seeds_docs.csv"), *mp = check_shared("gold/seeds_mentions.csv");
    fz_table *docs = fz_csv_read_table(dp, &d), *men = fz_csv_read_table(mp, &d);
    free(dp);
    free(mp);
    fz_diag_release(&d);
    if (!docs || !men) {
        fz_table_free(docs);
        fz_table_free(men);
        return NULL;
    }
    fz_obs *obs = fz_obs_new();
    for (size_t i = 0; i < fz_table_nrows(docs); i++) {
        fz_obs_doc doc = { 0 };
        doc.file = cell(docs, i, "file");
        doc.format = "text";
        doc.encoding = "UTF-8";
        doc.source = "text";
        doc.title = cell(docs, i, "title");
        doc.region_code = cell(docs, i, "region_code");
        doc.region_name = cell(docs, i, "region_name");
        doc.province = cell(docs, i, "province");
        doc.prefecture = cell(docs, i, "prefecture");
        doc.county = cell(docs, i, "county");
        doc.township = cell(docs, i, "township");
        fz_level_parse(cell(docs, i, "level"), &doc.level);
        doc.department = "";
        doc.region_status = "resolved";
        doc.region_method = "title";
        doc.region_confidence = 1;
        doc.region_candidates = "";
        doc.year = atoi(cell(docs, i, "report_year"));
        doc.has_year = doc.year > 0;
        doc.year_method = "title";
        doc.published = cell(docs, i, "published");
        for (size_t m = 0; m < fz_table_nrows(men); m++)
            doc.figures += strcmp(cell(men, m, "file"), doc.file) == 0;
        size_t di = fz_obs_add_doc(obs, &doc);
        long line = 1;
        for (size_t m = 0; m < fz_table_nrows(men); m++) {
            if (strcmp(cell(men, m, "file"), doc.file) != 0)
                continue;
            fz_obs_row r = { 0 };
            r.doc = di;
            r.indicator = cell(men, m, "indicator");
            r.value = strtod(cell(men, m, "value"), NULL);
            r.unit = cell(men, m, "unit");
            fz_qual_parse(cell(men, m, "qualifier"), &r.qual);
            r.primary = atoi(cell(men, m, "primary"));
            r.line = line++;
            r.phrase = cell(men, m, "phrase");
            r.snippet = r.phrase;
            r.noun = "";
            fz_obs_add(obs, &r);
        }
    }
    /* a document whose region could not be resolved, for the appendix */
    fz_obs_doc odd = { .file = "unknown_report.txt", .format = "text", .encoding = "GB18030",
                       .source = "text", .title = "", .region_code = "", .region_name = "",
                       .province = "", .prefecture = "", .county = "", .township = "",
                       .department = "", .region_status = "unresolved", .region_method = "",
                       .region_candidates = "", .year_method = "", .published = "" };
    fz_obs_add_doc(obs, &odd);
    fz_table_free(docs);
    fz_table_free(men);
    return obs;
}

static fz_table *lexicon(void)
{
    char *p = check_source("datasets/lexicon.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_table *t = access(p, R_OK) == 0 ? fz_csv_read_table(p, &d) : NULL;
    fz_diag_release(&d);
    free(p);
    return t;
}

static int count_outline(PopplerIndexIter *it)
{
    int n = 0;
    if (!it)
        return 0;
    do {
        n++;
        PopplerIndexIter *child = poppler_index_iter_get_child(it);
        n += count_outline(child);
        if (child)
            poppler_index_iter_free(child);
    } while (poppler_index_iter_next(it));
    return n;
}

static PopplerDocument *open_pdf(const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    char *uri = g_filename_to_uri(abs, NULL, NULL);
    free(abs);
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
    g_free(uri);
    return doc;
}

static char *all_text(PopplerDocument *doc)
{
    GString *s = g_string_new("");
    for (int i = 0; i < poppler_document_get_n_pages(doc); i++) {
        PopplerPage *p = poppler_document_get_page(doc, i);
        char *t = poppler_page_get_text(p);
        g_string_append(s, t ? t : "");
        g_string_append_c(s, '\f');
        g_free(t);
        g_object_unref(p);
    }
    return g_string_free(s, FALSE);
}

static size_t count_sub(const char *hay, size_t n, const char *needle)
{
    size_t c = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            c++;
    return c;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* rep_sort_doubles against qsort: ties, negatives, zeros of both signs,
 * infinities, tiny and huge magnitudes, whole numbers (bytes all keys
 * share), every length to 300. */
static void test_sort_doubles(void)
{
    unsigned long x = 987654321;
    static const double odd[] = { 0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 1e308, -1e308,
                                  INFINITY, -INFINITY, 0.5, 2.0, 3.0, 1024.0, 1e15 };
    for (size_t n = 0; n <= 300; n++) {
        double a[300], b[300];
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            double u = (double)(x >> 11) / 9007199254740992.0;
            switch ((x >> 3) % 4) {
            case 0: a[i] = floor(u * 50); break;
            case 1: a[i] = (u - 0.5) * pow(10, (double)((x >> 7) % 40) - 20); break;
            case 2: a[i] = odd[(x >> 9) % (sizeof odd / sizeof *odd)]; break;
            default: a[i] = n % 5 ? floor(u * 1e6) - 5e5 : u;
            }
        }
        memcpy(b, a, n * sizeof *a);
        rep_sort_doubles(a, n);
        qsort(b, n, sizeof *b, cmp_double);
        int same = 1;
        for (size_t i = 0; i < n; i++) {
            same &= a[i] == b[i];
            same &= i == 0 || !(a[i] < a[i - 1]);
            same &= i == 0 || !(a[i] == 0 && a[i - 1] == 0 && signbit(a[i]) && !signbit(a[i - 1]));
        }
        CHECK(same);
    }
}

/* rep_box_of: quartiles by linear interpolation between order statistics
 * (as gsl_stats_quantile_from_sorted_data and the summary table), whiskers
 * at the most extreme values inside 1.5 IQR, checked against a plain scan. */
static void test_box_of(void)
{
    double v[] = { 9, 100, 3, 1, 7, 2, 5, 6, 4, 8 };
    fz_plot_box b;
    rep_box_of(v, 10, &b);
    CHECK(b.ok);
    CHECK(fabs(b.q1 - 3.25) < 1e-12 && fabs(b.median - 5.5) < 1e-12 &&
          fabs(b.q3 - 7.75) < 1e-12);
    CHECK(b.lo == 1 && b.hi == 9); /* 100 > 7.75 + 1.5 * 4.5 */
    double one = 42;
    rep_box_of(&one, 1, &b);
    CHECK(b.ok && b.q1 == 42 && b.median == 42 && b.q3 == 42 && b.lo == 42 && b.hi == 42);
    rep_box_of(v, 0, &b);
    CHECK(!b.ok);

    unsigned long x = 12345;
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + (size_t)(round * 7 % 97);
        double a[97], sorted[97];
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            double u = (double)(x >> 11) / 9007199254740992.0;
            a[i] = round % 3 ? floor(u * 20) : exp(u * 8); /* ties; a long tail */
        }
        memcpy(sorted, a, n * sizeof *a);
        for (size_t i = 1; i < n; i++) /* insertion sort, the slow path */
            for (size_t j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
                double t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        rep_box_of(a, n, &b);
        double q[3], f[3] = { 0.25, 0.5, 0.75 };
        for (int k = 0; k < 3; k++) {
            double pos = f[k] * (double)(n - 1);
            size_t i = (size_t)floor(pos);
            q[k] = i + 1 < n ? sorted[i] + (pos - (double)i) * (sorted[i + 1] - sorted[i])
                             : sorted[n - 1];
        }
        CHECK(fabs(b.q1 - q[0]) <= 1e-9 * fmax(1, fabs(q[0])));
        CHECK(fabs(b.median - q[1]) <= 1e-9 * fmax(1, fabs(q[1])));
        CHECK(fabs(b.q3 - q[2]) <= 1e-9 * fmax(1, fabs(q[2])));
        double reach = 1.5 * (b.q3 - b.q1), lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (sorted[i] >= b.q1 - reach)
                lo = fmin(lo, sorted[i]);
            if (sorted[i] <= b.q3 + reach)
                hi = fmax(hi, sorted[i]);
        }
        CHECK(b.lo == lo && b.hi == hi);
        CHECK(b.lo <= b.q1 && b.q3 <= b.hi);
    }
}

int main(void)
{
    test_sort_doubles();
    test_box_of();
    fz_obs *obs = gold_obs();
    CHECK(obs != NULL);
    if (!obs)
        return check_done();
    fz_table *lex = lexicon();
    fz_diag d;
    fz_diag_init(&d);
    fz_stats_opts so = { .indicators = lex };
    fz_stats *st = fz_stats_run(obs, &so, &d);
    CHECK(st != NULL);

    fz_diag run;
    fz_diag_init(&run);
    fz_diag_add(&run, FZ_DIAG_SKIP, "reports/broken.doc", 0, "cannot read 'reports/broken.doc': old Word format");
    fz_report_opts o = { .title = "种子报告统计", .corpus = "shared/seeds", .indicators = lex,
                         .run_diag = &run, .epoch = 1700000000 };
    CHECK(fz_report_write(obs, st, "report_test.pdf", &o, &d) == 0);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 0);
    size_t n1 = 0, n2 = 0;
    char *a = check_slurp("report_test.pdf", &n1);
    CHECK(a && n1 > 10000 && memcmp(a, "%PDF-", 5) == 0);
    CHECK(a && count_sub(a, n1, "/FontFile") >= 1); /* fonts embedded */

    /* second run, its fonts loaded ahead on a thread: the same bytes */
    fz_report_prepare();
    CHECK(fz_report_write(obs, st, "report_test2.pdf", &o, &d) == 0);
    char *b = check_slurp("report_test2.pdf", &n2);
    CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
    free(b);
    remove("report_test2.pdf");

    /* the layout pass keeping none or some of the indicators' rows (the
     * drawing pass reads the others again), on one thread or two: the same bytes */
    const size_t keeps[] = { 1, 2000 };
    for (size_t k = 0; k < 2; k++)
        for (int jobs = 1; jobs <= 2; jobs++) {
            fz_report_opts ok = o;
            ok.keep_bytes = keeps[k];
            ok.jobs = jobs;
            CHECK(fz_report_write(obs, st, "report_test2.pdf", &ok, &d) == 0);
            b = check_slurp("report_test2.pdf", &n2);
            CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
            free(b);
            remove("report_test2.pdf");
        }

    PopplerDocument *doc = open_pdf("report_test.pdf");
    CHECK(doc != NULL);
    if (doc) {
        int pages = poppler_document_get_n_pages(doc);
        /* cover, contents, overview, chapter + sections, coverage, 2 appendices */
        CHECK(pages >= 8 && pages < 60);
        PopplerIndexIter *it = poppler_index_iter_new(doc);
        int nout = count_outline(it);
        if (it)
            poppler_index_iter_free(it);
        /* six chapters at least plus one entry per indicator with data */
        CHECK(nout >= 6 + 10);
        char *text = all_text(doc);
        CHECK(strstr(text, "大路边镇") != NULL);  /* searchable Chinese region names */
        CHECK(strstr(text, "重固镇") != NULL);
        CHECK(strstr(text, "行政处罚案件") != NULL);
        CHECK(strstr(text, "目录") != NULL);
        CHECK(strstr(text, "方法说明") != NULL);
        CHECK(strstr(text, "unknown_report.txt") != NULL); /* quality appendix */
        CHECK(strstr(text, "broken.doc") != NULL);
        CHECK(strstr(text, "413") != NULL);                /* 共收有413宗 */
        CHECK(strstr(text, "shared/seeds") != NULL);       /* source lines */
        CHECK(strstr(text, "示例数据") == NULL);           /* not the sample corpus */
        g_free(text);
        const char *title = poppler_document_get_title(doc);
        CHECK(title && strcmp(title, "种子报告统计") == 0);
        g_free((char *)title);
        CHECK(poppler_document_get_creation_date(doc) == 1700000000);
        g_object_unref(doc);
    }

    /* the sample corpus is marked as synthetic */
    o.sample = 1;
    CHECK(fz_report_write(obs, st, "report_sample.pdf", &o, &d) == 0);
    doc = open_pdf("report_sample.pdf");
    if (doc) {
        char *text = all_text(doc);
        CHECK(strstr(text, "示例数据") != NULL && strstr(text, "synthetic sample") != NULL);
        g_free(text);
        g_object_unref(doc);
    } else {
        CHECK(doc != NULL);
    }
    remove("report_sample.pdf");
    o.sample = 0;

    /* a failed write keeps the old report */
    fz_outfile_fail_after(4096);
    fz_diag fd;
    fz_diag_init(&fd);
    CHECK(fz_report_write(obs, st, "report_test.pdf", &o, &fd) == FZ_EIO);
    CHECK(fz_diag_count(&fd, FZ_DIAG_FATAL) >= 1);
    fz_outfile_fail_after(-1);
    size_t n3 = 0;
    char *c = check_slurp("report_test.pdf", &n3);
    CHECK(c && a && n3 == n1 && memcmp(a, c, n1) == 0);
    free(c);
    /* output under a plain file */
    CHECK(fz_report_write(obs, st, "report_test.pdf/x.pdf", &o, &fd) == FZ_EIO);
    fz_diag_release(&fd);
    free(a);

    /* an empty corpus still gives a report */
    fz_obs *empty = fz_obs_new();
    fz_stats *est = fz_stats_run(empty, NULL, &d);
    CHECK(est != NULL);
    CHECK(fz_report_write(empty, est, "report_empty.pdf", &o, &d) == 0);
    doc = open_pdf("report_empty.pdf");
    CHECK(doc && poppler_document_get_n_pages(doc) >= 4);
    if (doc)
        g_object_unref(doc);
    remove("report_empty.pdf");
    fz_stats_free(est);
    fz_obs_free(empty);

    /* SOURCE_DATE_EPOCH */
    setenv("SOURCE_DATE_EPOCH", "1234567890", 1);
    CHECK(fz_report_epoch() == 1234567890);
    setenv("SOURCE_DATE_EPOCH", "soon", 1);
    CHECK(fz_report_epoch() == 1704067200);
    unsetenv("SOURCE_DATE_EPOCH");
    CHECK(fz_report_epoch() == 1704067200);

    fz_stats_free(st);
    fz_table_free(lex);
    fz_obs_free(obs);
    fz_diag_release(&run);
    fz_diag_release(&d);
    return check_done();
}
