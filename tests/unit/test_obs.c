/* test_obs.c: the observation table keeps the texts it is given: a phrase
 * stored as the end of its snippet, interned document texts (short and
 * long, repeated and not, NULL) and the copies fz_obs_merge() makes, on
 * random rows and documents, compared with the texts as given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "obs.h"

static const char *const pieces[] = { "", "8", "宗", "行政处罚案件", "10余期", "讲座", "a",
                                      "约", "%", "我区全年举办领导干部法治专题培训" };
#define NPIECES (sizeof pieces / sizeof *pieces)

/* A random text of 0 to 5 pieces, sometimes longer than 64 bytes. */
static void random_text(uint64_t *rng, char *out, size_t cap)
{
    size_t n = check_xorshift(rng) % 6, len = 0;
    if (check_xorshift(rng) % 8 == 0)
        n += 8;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *p = pieces[check_xorshift(rng) % NPIECES];
        size_t m = strlen(p);
        if (len + m + 1 > cap)
            break;
        memcpy(out + len, p, m + 1);
        len += m;
    }
}

typedef struct text_row {
    char phrase[256], snippet[256], unit[256];
    size_t doc;
} text_row;

typedef struct text_doc {
    char file[64], region[256], name[256], published[256];
} text_doc;

static int same(const char *stored, const char *given)
{
    return stored && strcmp(stored, given) == 0;
}

static void check_table(const fz_obs *t, const text_doc *docs, size_t nd, const text_row *rows,
                        size_t nr, size_t doc0, size_t row0)
{
    int ok = fz_obs_ndocs(t) == doc0 + nd && fz_obs_nrows(t) == row0 + nr;
    for (size_t i = 0; ok && i < nd; i++) {
        const fz_obs_doc *d = fz_obs_doc_at(t, doc0 + i);
        ok = same(d->file, docs[i].file) && same(d->region_code, docs[i].region) &&
             same(d->region_name, docs[i].name) && same(d->published, docs[i].published) &&
             same(d->format, "text") && same(d->department, "") && same(d->township, "");
    }
    for (size_t i = 0; ok && i < nr; i++) {
        const fz_obs_row *r = fz_obs_row_at(t, row0 + i);
        ok = same(r->phrase, rows[i].phrase) && same(r->snippet, rows[i].snippet) &&
             same(r->unit, rows[i].unit) && same(r->noun, "") && r->doc == doc0 + rows[i].doc;
    }
    CHECK_MSG(ok, "stored texts equal the given ones");
}

static void test_random(void)
{
    uint64_t rng = 0x9E3779B97F4A7C15u;
    enum { ND = 40, NR = 600 };
    static text_doc docs[ND];
    static text_row rows[NR];
    fz_obs *a = fz_obs_new(), *b = fz_obs_new();
    for (int round = 0; round < 3; round++) {
        fz_obs_clear(a);
        for (size_t i = 0; i < ND; i++) {
            snprintf(docs[i].file, sizeof docs[i].file, "dir/%zu.txt", i);
            random_text(&rng, docs[i].region, sizeof docs[i].region);
            random_text(&rng, docs[i].name, sizeof docs[i].name);
            random_text(&rng, docs[i].published, sizeof docs[i].published);
            fz_obs_doc d = { .file = docs[i].file, .format = "text",
                             .region_code = docs[i].region, .region_name = docs[i].name,
                             .published = docs[i].published };
            CHECK(fz_obs_add_doc(a, &d) == i);
        }
        for (size_t i = 0; i < NR; i++) {
            text_row *w = &rows[i];
            random_text(&rng, w->snippet, sizeof w->snippet);
            size_t m = strlen(w->snippet);
            switch (check_xorshift(&rng) % 4) {
            case 0: /* the end of the snippet, cut anywhere (even inside a character) */
                memcpy(w->phrase, w->snippet + m - check_xorshift(&rng) % (m + 1), m + 1);
                break;
            case 1: /* the snippet itself */
                memcpy(w->phrase, w->snippet, m + 1);
                break;
            default: random_text(&rng, w->phrase, sizeof w->phrase);
            }
            random_text(&rng, w->unit, sizeof w->unit);
            w->doc = check_xorshift(&rng) % ND;
            /* given in buffers that are scribbled on after the call */
            char given[2][256];
            memcpy(given[0], w->phrase, sizeof given[0]);
            memcpy(given[1], w->snippet, sizeof given[1]);
            fz_obs_row r = { .doc = w->doc, .indicator = "x", .phrase = given[0],
                             .snippet = given[1], .unit = w->unit };
            fz_obs_add(a, &r);
            memset(given, 'z', sizeof given);
        }
        check_table(a, docs, ND, rows, NR, 0, 0);
        size_t d0 = fz_obs_ndocs(b), r0 = fz_obs_nrows(b);
        fz_obs_merge(b, a);
        check_table(b, docs, ND, rows, NR, d0, r0);
    }
    fz_obs_free(a);
    fz_obs_free(b);
}

/* NULL texts are stored as "" */
static void test_null(void)
{
    fz_obs *t = fz_obs_new();
    fz_obs_doc d = { .file = "f" };
    fz_obs_add_doc(t, &d);
    fz_obs_row r = { .doc = 0 };
    fz_obs_add(t, &r);
    const fz_obs_doc *sd = fz_obs_doc_at(t, 0);
    const fz_obs_row *sr = fz_obs_row_at(t, 0);
    CHECK(same(sd->region_code, "") && same(sd->published, "") && same(sd->title, ""));
    CHECK(same(sr->phrase, "") && same(sr->snippet, "") && same(sr->indicator, ""));
    fz_obs_free(t);
}

int main(void)
{
    test_random();
    test_null();
    return check_done();
}
