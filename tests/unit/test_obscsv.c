/* test_obscsv.c: fz_obs_write_csv() (fields appended as they are where they
 * need no quotes and no guard, a document's fields repeated from one copy)
 * against the same table written field by field with fz_csvw_field(), on
 * random tables of tricky strings, in UTF-8 and GB18030; and the stream
 * (obsstream.h) fed one document at a time against the whole table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvio.h"
#include "obs.h"
#include "obsstream.h"
#include "tables.h"
#include "xalloc.h"

static char dir[] = "/tmp/fz_test_obscsv.XXXXXX";

/* The observation CSV as fz_obs_write_csv wrote it field by field. */
static int write_ref(const fz_obs *obs, const char *path, const fz_csv_opts *o, fz_diag *d)
{
    static const char *const cols[] = {
        "doc", "file", "region_code", "region_name", "province", "prefecture", "county",
        "township", "level", "year", "published", "indicator", "value", "value_high", "unit",
        "qualifier", "primary", "page", "line", "phrase", "snippet"
    };
    fz_csvw w;
    if (fz_csvw_open(&w, path, o, d) < 0)
        return -1;
    int noun = o && o->all_quantities;
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        fz_csvw_field(&w, cols[c], 1);
    if (noun)
        fz_csvw_field(&w, "noun", 1);
    fz_csvw_end_row(&w);
    for (size_t i = 0; i < fz_obs_nrows(obs) && !w.err; i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        const fz_obs_doc *doc = fz_obs_doc_at(obs, r->doc);
        fz_csvw_int(&w, (long)r->doc + 1);
        fz_csvw_field(&w, doc->file, 1);
        fz_csvw_field(&w, doc->region_code, 1);
        fz_csvw_field(&w, doc->region_name, 1);
        fz_csvw_field(&w, doc->province, 1);
        fz_csvw_field(&w, doc->prefecture, 1);
        fz_csvw_field(&w, doc->county, 1);
        fz_csvw_field(&w, doc->township, 1);
        fz_csvw_field(&w, fz_level_name(doc->level), 1);
        if (doc->has_year)
            fz_csvw_int(&w, doc->year);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_field(&w, doc->published, 1);
        fz_csvw_field(&w, r->indicator, 1);
        fz_csvw_num(&w, r->value, -1);
        if (r->qual == FZ_QUAL_RANGE)
            fz_csvw_num(&w, r->value_high, -1);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_field(&w, r->unit, 1);
        fz_csvw_field(&w, fz_qual_name(r->qual), 1);
        fz_csvw_int(&w, r->primary ? 1 : 0);
        if (r->page > 0)
            fz_csvw_int(&w, r->page);
        else
            fz_csvw_field(&w, "", 0);
        if (r->line > 0)
            fz_csvw_int(&w, r->line);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_field(&w, r->phrase, 1);
        fz_csvw_field(&w, r->snippet, 1);
        if (noun)
            fz_csvw_field(&w, r->noun, 1);
        fz_csvw_end_row(&w);
    }
    return fz_csvw_commit(&w);
}

static unsigned long rnd_state = 99;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(rnd_state >> 33);
}

/* A string of up to max pieces, any of which may force quotes or a guard. */
static void rnd_str(char *buf, size_t cap, int max)
{
    static const char *const pieces[] = { "案件", "8", "宗", ",", "\"", "\r", "\n", " ",
                                          "=", "+", "-", "@", "\t", "'", "(", ")", "%", "a",
                                          "，", "、", "“", "”", "0.5", "#", "!", "*" };
    size_t n = 0;
    int k = (int)(rnd() % (unsigned)(max + 1));
    for (int i = 0; i < k; i++) {
        const char *p = pieces[rnd() % (sizeof pieces / sizeof *pieces)];
        size_t l = strlen(p);
        if (n + l + 1 > cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    buf[n] = '\0';
}

static fz_obs *rnd_obs(void)
{
    fz_obs *o = fz_obs_new();
    char s[16][200];
    size_t ndocs = 1 + rnd() % 20;
    for (size_t i = 0; i < ndocs; i++) {
        for (int k = 0; k < 9; k++)
            rnd_str(s[k], sizeof s[k], k == 0 ? 12 : 3);
        fz_obs_doc d = { .file = s[0], .region_code = s[1], .region_name = s[2],
                         .province = s[3], .prefecture = s[4], .county = s[5],
                         .township = s[6], .published = s[7], .region_status = s[8],
                         .level = (fz_level)(rnd() % 6), .year = 1990 + (int)(rnd() % 40),
                         .has_year = (int)(rnd() % 3 != 0) };
        fz_obs_add_doc(o, &d);
    }
    size_t nrows = rnd() % 60;
    size_t doc = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (rnd() % 4 == 0)
            doc = rnd() % ndocs; /* mostly runs of one document, as extraction adds them */
        for (int k = 0; k < 5; k++)
            rnd_str(s[k], sizeof s[k], k >= 2 ? 40 : 3);
        if (rnd() % 2) { /* the phrase as the end of the snippet, from any character */
            size_t ls = strlen(s[3]), cut = rnd() % (ls + 1);
            while (((unsigned char)s[3][cut] & 0xC0) == 0x80)
                cut++;
            memcpy(s[2], s[3] + cut, ls - cut + 1);
        }
        static const double vals[] = { 0,   8,   -3,        1000,      99.5, 0.1, 1e20, -0.25,
                                       12345678.9, -0.0, 999999999, 1e9, 4294967296.0 };
        fz_obs_row r = { .doc = doc, .indicator = s[0], .unit = s[1], .phrase = s[2],
                         .snippet = s[3], .noun = s[4],
                         .value = vals[rnd() % (sizeof vals / sizeof *vals)],
                         .value_high = vals[rnd() % (sizeof vals / sizeof *vals)],
                         .qual = (fz_qual)(rnd() % 5), .primary = (int)(rnd() % 2),
                         .page = (int)(rnd() % 3), .line = (long)(rnd() % 3) * 17 };
        fz_obs_add(o, &r);
    }
    return o;
}

/* documents.csv as fz_obs_write_docs_csv wrote it field by field. */
static int write_docs_ref(const fz_obs *obs, const char *path, const fz_csv_opts *o, fz_diag *d)
{
    static const char *const cols[] = {
        "doc", "file", "format", "encoding", "source", "ocr_confidence", "bytes", "warnings",
        "traditional", "title", "region_code", "region_name", "province", "prefecture",
        "county", "township", "level", "department", "region_status", "region_method",
        "region_confidence", "region_candidates", "report_year", "year_method", "published",
        "figures", "ambiguous"
    };
    fz_csvw w;
    if (fz_csvw_open(&w, path, o, d) < 0)
        return -1;
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        fz_csvw_field(&w, cols[c], 1);
    fz_csvw_end_row(&w);
    for (size_t i = 0; i < fz_obs_ndocs(obs) && !w.err; i++) {
        const fz_obs_doc *doc = fz_obs_doc_at(obs, i);
        const char *mid[] = { doc->title,    doc->region_code, doc->region_name,
                              doc->province, doc->prefecture,  doc->county,
                              doc->township, fz_level_name(doc->level), doc->department,
                              doc->region_status, doc->region_method };
        fz_csvw_int(&w, (long)i + 1);
        fz_csvw_field(&w, doc->file, 1);
        fz_csvw_field(&w, doc->format, 1);
        fz_csvw_field(&w, doc->encoding, 1);
        fz_csvw_field(&w, doc->source, 1);
        if (doc->source && strcmp(doc->source, "ocr") == 0)
            fz_csvw_num(&w, doc->ocr_confidence, 1);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_int(&w, (long)doc->bytes);
        fz_csvw_int(&w, doc->warnings);
        fz_csvw_int(&w, doc->traditional ? 1 : 0);
        for (size_t k = 0; k < sizeof mid / sizeof *mid; k++)
            fz_csvw_field(&w, mid[k], 1);
        if (doc->region_code && doc->region_code[0])
            fz_csvw_num(&w, doc->region_confidence, 2);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_field(&w, doc->region_candidates, 1);
        if (doc->has_year)
            fz_csvw_int(&w, doc->year);
        else
            fz_csvw_field(&w, "", 0);
        fz_csvw_field(&w, doc->year_method, 1);
        fz_csvw_field(&w, doc->published, 1);
        fz_csvw_int(&w, doc->figures);
        fz_csvw_int(&w, doc->ambiguous);
        fz_csvw_end_row(&w);
    }
    return fz_csvw_commit(&w);
}

/* Documents with every field random (texts that need quotes or a guard,
 * OCR or not, with and without a region and a year, odd numbers). */
static fz_obs *rnd_docs(void)
{
    static const double nums[] = { 0, 0.005, 0.994999, 1, 87.25, -0.0, 99.95, 1e300, NAN };
    fz_obs *o = fz_obs_new();
    char s[18][200];
    size_t ndocs = rnd() % 30;
    for (size_t i = 0; i < ndocs; i++) {
        for (int k = 0; k < 18; k++)
            rnd_str(s[k], sizeof s[k], k == 0 || k == 15 ? 20 : 3);
        fz_obs_doc d = {
            .file = s[0], .format = s[1], .encoding = s[2],
            .source = rnd() % 3 ? s[3] : "ocr", .title = s[4],
            .region_code = rnd() % 3 ? s[5] : "", .region_name = s[6], .province = s[7],
            .prefecture = s[8], .county = s[9], .township = s[10], .department = s[12],
            .region_status = s[13], .region_method = s[14], .region_candidates = s[15],
            .year_method = s[16], .published = s[17], .level = (fz_level)(rnd() % 6),
            .ocr_confidence = nums[rnd() % (sizeof nums / sizeof *nums)],
            .region_confidence = nums[rnd() % (sizeof nums / sizeof *nums)],
            .bytes = rnd() % 2 ? rnd() : (size_t)1 << 40, .warnings = (int)(rnd() % 5) - 1,
            .traditional = (int)(rnd() % 3), .year = 1990 + (int)(rnd() % 40),
            .has_year = (int)(rnd() % 3 != 0), .figures = (int)(rnd() % 100),
            .ambiguous = (int)(rnd() % 3)
        };
        fz_obs_add_doc(o, &d);
    }
    return o;
}

/* 1 when files a and b both read and hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *ga = check_slurp(a, &na), *gb = check_slurp(b, &nb);
    int same = ga && gb && na == nb && memcmp(ga, gb, na) == 0;
    free(ga);
    free(gb);
    return same;
}

typedef int (*write_fn)(const fz_obs *obs, const char *path, const fz_csv_opts *o, fz_diag *d);

/* Random tables written by the writer and by the reference give the same
 * bytes: the observations, or (docs) documents.csv of random documents. */
static void same_bytes(const fz_csv_opts *opts, int rounds, int docs)
{
    char *a = fz_xasprintf("%s/fast.csv", dir), *b = fz_xasprintf("%s/ref.csv", dir);
    write_fn fast = docs ? fz_obs_write_docs_csv : fz_obs_write_csv;
    write_fn ref = docs ? write_docs_ref : write_ref;
    int bad = 0, failed = 0;
    for (int r = 0; r < rounds; r++) {
        fz_obs *o = docs ? rnd_docs() : rnd_obs();
        fz_diag d;
        fz_diag_init(&d);
        int ra = fast(o, a, opts, &d);
        int rb = ref(o, b, opts, &d);
        if (ra != rb) {
            failed++;
        } else if (ra == 0) {
            bad += !same_file(a, b);
        }
        fz_diag_release(&d);
        fz_obs_free(o);
    }
    CHECK(failed == 0);
    CHECK(bad == 0);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

/* The table split into one part per document (as the pipeline hands them
 * over: the document at index 0, its rows after it), streamed part by part,
 * gives the bytes of the whole table written at once (CSV and JSON Lines). */
static void stream_parts(const fz_csv_opts *opts, int jsonl, int rounds)
{
    char *a = fz_xasprintf("%s/whole.out", dir), *b = fz_xasprintf("%s/parts.out", dir);
    int bad = 0, failed = 0;
    for (int r = 0; r < rounds; r++) {
        fz_obs *o = rnd_obs();
        fz_diag d;
        fz_diag_init(&d);
        /* rows in document order, as extraction adds them */
        fz_obs *sorted = fz_obs_new();
        for (size_t k = 0; k < fz_obs_ndocs(o); k++)
            fz_obs_add_doc(sorted, fz_obs_doc_at(o, k));
        for (size_t k = 0; k < fz_obs_ndocs(o); k++)
            for (size_t i = 0; i < fz_obs_nrows(o); i++)
                if (fz_obs_row_at(o, i)->doc == k)
                    fz_obs_add(sorted, fz_obs_row_at(o, i));
        int ra = jsonl ? fz_obs_write_jsonl(sorted, a, opts, &d) : fz_obs_write_csv(sorted, a, opts, &d);
        fz_obs_stream *st = fz_obs_stream_open(b, jsonl, opts, &d);
        int rb = -1;
        if (st) {
            fz_obs *part = fz_obs_new();
            for (size_t k = 0; k < fz_obs_ndocs(sorted); k++) {
                fz_obs_clear(part);
                fz_obs_add_doc(part, fz_obs_doc_at(sorted, k));
                for (size_t i = 0; i < fz_obs_nrows(sorted); i++) {
                    fz_obs_row row = *fz_obs_row_at(sorted, i);
                    if (row.doc == k) {
                        row.doc = 0;
                        fz_obs_add(part, &row);
                    }
                }
                fz_obs_stream_rows(st, part, k);
            }
            fz_obs_free(part);
            rb = fz_obs_stream_commit(st);
        }
        if (ra != 0 || rb != 0) {
            failed++;
        } else {
            bad += !same_file(a, b);
        }
        fz_diag_release(&d);
        fz_obs_free(sorted);
        fz_obs_free(o);
    }
    CHECK(failed == 0);
    CHECK(bad == 0);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    fz_csv_opts plain = { 0 }, all = { .all_quantities = 1 }, bom = { .excel_bom = 1 };
    fz_csv_opts gb = { .encoding = "gb18030", .all_quantities = 1 };
    same_bytes(&plain, 300, 0);
    same_bytes(&all, 300, 0);
    same_bytes(&bom, 100, 0);
    same_bytes(&gb, 100, 0);
    stream_parts(&plain, 0, 100);
    stream_parts(&all, 1, 100);
    stream_parts(&gb, 0, 50);
    same_bytes(&plain, 200, 1);
    same_bytes(&gb, 50, 1);
    rmdir(dir);
    return check_done();
}
