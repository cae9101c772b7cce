/* test_statsfast.c: the fast paths of stats/ against the straightforward
 * computations they replace, on random input with ties, -0 and signs:
 * fz_mad_sorted against fz_median_of of the deviations (the same double),
 * fz_varies against gsl_stats_variance() > 0; the panel's cells when
 * indicator ids longer than the fz_obs interns are stored more than once;
 * every table of a random corpus the same on one thread, on several, and
 * with the roll-ups left for fz_stats_finish(). */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "obs.h"
#include "statsint.h"
#include "table.h"
#include "xalloc.h"

static uint64_t rnd_state = 0x2545f4914f6cdd1du;
static uint64_t rnd(void)
{
    return check_xorshift(&rnd_state);
}

/* A value of kind k: few distinct values (ties), many, ±0, large and tiny. */
static double value(int k)
{
    switch (k) {
    case 0: return (double)(rnd() % 4);
    case 1: return (double)(rnd() % 1000) / 7.0;
    case 2: return (rnd() & 1) ? 0.0 : -0.0;
    case 3: return 5.0;
    case 4: return ((double)(rnd() % 2001) - 1000) * 1e300;
    case 5: return ((double)(rnd() % 2001) - 1000) * 1e-310;
    default: return (double)(int64_t)(rnd() % 2000001) - 1e6 + (double)(rnd() % 3) * 0.25;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void test_mad(void)
{
    CHECK(isnan(fz_mad_sorted(NULL, 0, 0)));
    size_t bad = 0, runs = 0;
    double *v = fz_xmalloc(300 * sizeof *v), *dev = fz_xmalloc(300 * sizeof *dev);
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)(rnd() % (round < 2000 ? 12 : 300));
        int kind = (int)(rnd() % 7), mixed = (int)(rnd() % 3) == 0;
        for (size_t i = 0; i < n; i++)
            v[i] = value(mixed ? (int)(rnd() % 7) : kind);
        qsort(v, n, sizeof *v, cmp_double);
        /* the median as summary takes it, and one of the values or beside */
        double meds[3] = { n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[rnd() % n],
                           v[rnd() % n] + 0.5 };
        for (int m = 0; m < 3; m++) {
            for (size_t i = 0; i < n; i++)
                dev[i] = fabs(v[i] - meds[m]);
            bad += !same_double(fz_mad_sorted(v, n, meds[m]), fz_median_of(dev, n));
            runs++;
        }
    }
    CHECK(runs == 9000 && bad == 0);
    free(v);
    free(dev);
}

static void test_varies(void)
{
    size_t bad = 0, yes = 0, no = 0;
    double v[40];
    for (int round = 0; round < 20000; round++) {
        size_t n = 1 + (size_t)(rnd() % 40);
        int kind = (int)(rnd() % 7), mixed = (int)(rnd() % 3) == 0;
        for (size_t i = 0; i < n; i++)
            v[i] = value(mixed ? (int)(rnd() % 7) : kind);
        if (round % 5 == 0) /* near-equal values, at any scale */
            for (size_t i = 0; i < n; i++)
                v[i] = ldexp(1.0 + (double)(rnd() % 3) * 0x1p-52, (int)(rnd() % 2000) - 1000);
        if (round % 7 == 0) { /* one scale, two values a few ulps apart */
            double base = ldexp(1.0, (int)(rnd() % 2100) - 1074);
            for (size_t i = 0; i < n; i++)
                v[i] = (rnd() & 1) ? base : nextafter(base, INFINITY);
        }
        int want = gsl_stats_variance(v, 1, n) > 0, got = fz_varies(v, n);
        bad += want != got;
        yes += want;
        no += !want;
    }
    CHECK(bad == 0);
    CHECK(yes > 1000 && no > 1000);
}

/* Two documents; ids of 80 characters are copied per row by the fz_obs, so
 * equal ids come as different pointers. Cells: one per unit, year and id, in
 * id order; a second, differing figure of an id is a conflict. */
static void test_long_ids(void)
{
    char la[96], lb[96];
    memset(la, 'a', 80);
    memcpy(la + 80, "_z", 3);
    memset(lb, 'a', 80);
    memcpy(lb + 80, "_b", 3);
    fz_obs *o = fz_obs_new();
    for (int d = 0; d < 2; d++) {
        fz_obs_doc doc = { 0 };
        doc.file = d ? "b.txt" : "a.txt";
        doc.region_code = d ? "441882" : "441800";
        doc.region_name = "x";
        doc.year = 2022;
        doc.has_year = 1;
        fz_obs_add_doc(o, &doc);
        const char *ids[] = { la, "b_short", lb, la, "a_short", lb, "b_short" };
        const double vals[] = { 1, 2, 3, 1, 4, 5, 2 };
        for (size_t i = 0; i < 7; i++) {
            fz_obs_row r = { 0 };
            r.doc = (size_t)d;
            r.indicator = ids[i];
            r.value = vals[i] + d;
            r.unit = "件";
            r.primary = 1;
            fz_obs_add(o, &r);
        }
    }
    fz_diag d;
    fz_diag_init(&d);
    fz_stats *s = fz_stats_run(o, NULL, &d);
    const fz_table *lt = fz_stats_table(s, "long");
    const fz_table *ct = fz_stats_table(s, "conflicts");
    CHECK(fz_table_nrows(lt) == 8);
    const char *want[] = { "a_short", lb, la, "b_short" }; /* strcmp order: '_' < 'a' */
    int ok = 1;
    int ci = fz_table_find_col(lt, "indicator"), cv = fz_table_find_col(lt, "value");
    for (size_t r = 0; r < 8 && ok; r++) {
        const double first[] = { 4, 3, 1, 2 }; /* the first figure of each */
        ok = strcmp(fz_table_text(lt, r, (size_t)ci), want[r % 4]) == 0 &&
             fz_table_num(lt, r, (size_t)cv) == first[r % 4] + (double)(r / 4);
    }
    CHECK(ok);
    /* lb: 3 then 5 in each document; la and b_short repeat the same value */
    CHECK(fz_table_nrows(ct) == 2);
    int cind = fz_table_find_col(ct, "indicator");
    CHECK(strcmp(fz_table_text(ct, 0, (size_t)cind), lb) == 0 &&
          strcmp(fz_table_text(ct, 1, (size_t)cind), lb) == 0);
    fz_stats_free(s);
    fz_diag_release(&d);
    fz_obs_free(o);
}

/* A random corpus: townships, counties and prefectures of two provinces
 * (some without a report of their own, some codes spelled two ways: two
 * units with one significant code), five years, seven indicators (two of
 * them rates), values with ties, repeated reports and figures. Debug builds
 * check every roll-up's own figure against the comparator's search. */
static fz_obs *random_obs(size_t ndocs)
{
    static const char *const ids[] = { "cases", "complaints", "hearings", "lawyers",
                                       "mediations", "rate_a", "rate_b" };
    fz_obs *o = fz_obs_new();
    for (size_t d = 0; d < ndocs; d++) {
        char code[16];
        int lv = (int)(rnd() % 4);
        unsigned pr = 44 + (unsigned)(rnd() % 2), pf = 1 + (unsigned)(rnd() % 3);
        unsigned co = 1 + (unsigned)(rnd() % 5), tw = 1 + (unsigned)(rnd() % 9);
        if (lv == 0)
            snprintf(code, sizeof code, "%u%02u%02u%03u", pr, pf, co, tw);
        else if (lv == 1)
            snprintf(code, sizeof code, "%u%02u%02u", pr, pf, co);
        else if (lv == 2) /* two spellings of one prefecture: two units, one code */
            snprintf(code, sizeof code, rnd() % 3 ? "%u%02u00" : "%u%02u", pr, pf);
        else
            snprintf(code, sizeof code, rnd() % 3 ? "%u0000" : "%u", pr);
        fz_obs_doc doc = { 0 };
        doc.file = "f.txt";
        doc.region_code = code;
        doc.region_name = "x";
        doc.year = 2019 + (int)(rnd() % 5);
        doc.has_year = rnd() % 50 != 0;
        doc.published = rnd() % 2 ? "2024-01-02" : "2024-03-04";
        size_t di = fz_obs_add_doc(o, &doc);
        size_t nf = rnd() % 9;
        for (size_t i = 0; i < nf; i++) {
            fz_obs_row r = { 0 };
            size_t k = rnd() % 7;
            r.doc = di;
            r.indicator = ids[k];
            r.value = k >= 5 ? (double)(rnd() % 100) : (double)(rnd() % 40) * (rnd() % 3 ? 1 : 10);
            r.unit = k >= 5 ? "%" : "件";
            r.qual = rnd() % 5 ? FZ_QUAL_EXACT : FZ_QUAL_AT_LEAST;
            r.primary = rnd() % 6 != 0;
            fz_obs_add(o, &r);
        }
    }
    return o;
}

static int same_tables(const fz_stats *a, const fz_stats *b)
{
    size_t na, nb;
    const fz_table *const *ta = fz_stats_tables(a, &na), *const *tb = fz_stats_tables(b, &nb);
    if (na != nb)
        return 0;
    static char x[1 << 16], y[1 << 16];
    for (size_t i = 0; i < na; i++) {
        if (!ta[i] || !tb[i] || fz_table_nrows(ta[i]) != fz_table_nrows(tb[i]) ||
            fz_table_ncols(ta[i]) != fz_table_ncols(tb[i]))
            return 0;
        for (size_t r = 0; r < fz_table_nrows(ta[i]); r++)
            for (size_t c = 0; c < fz_table_ncols(ta[i]); c++)
                if (strcmp(fz_table_format(ta[i], r, c, x, sizeof x),
                           fz_table_format(tb[i], r, c, y, sizeof y)) != 0)
                    return 0;
    }
    return 1;
}

static void test_threads_later(void)
{
    size_t sizes[] = { 0, 1, 5, 60, 3000 };
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        fz_obs *o = random_obs(sizes[si]);
        fz_diag d;
        fz_diag_init(&d);
        fz_stats_opts one = { .jobs = 1 }, two = { .jobs = 2 }, later = { .jobs = 3,
                                                                         .rollups_later = 1 };
        fz_stats *s1 = fz_stats_run(o, &one, &d), *s2 = fz_stats_run(o, &two, &d);
        fz_stats *s3 = fz_stats_run(o, &later, &d);
        CHECK(fz_stats_table(s3, "rollups") == NULL);
        fz_stats_finish(s3);
        fz_stats_finish(s3); /* nothing left */
        CHECK(fz_stats_table(s1, "rollups") != NULL);
        CHECK(same_tables(s1, s2) && same_tables(s1, s3));
        if (sizes[si] == 3000)
            CHECK(fz_table_nrows(fz_stats_table(s1, "rollups")) > 100 &&
                  fz_table_nrows(fz_stats_table(s1, "correlations")) > 40);
        fz_stats_free(s1);
        fz_stats_free(s2);
        fz_stats_free(s3);
        fz_diag_release(&d);
        fz_obs_free(o);
    }
}

int main(void)
{
    test_threads_later();
    test_long_ids();
    test_mad();
    test_varies();
    return check_done();
}
