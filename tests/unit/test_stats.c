/* test_stats.c: every statistic of stats/ against values worked out by hand
 * for tests/fixtures/stats (four townships of two counties, a county report,
 * three years of one township, a duplicate report, a differing primary, a
 * document without region and one without year), plus the single-region,
 * single-year and empty edge cases. The hand calculations are in comments. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fit.h>

#include "check.h"
#include "obs.h"
#include "stats.h"
#include "tables.h"
#include "xalloc.h"

/* Row of t whose cells (as CSV text) match the key/value pairs; -1 if none
 * or more than one. Pairs end with NULL. */
static long find(const fz_table *t, ...)
{
    long found = -1;
    for (size_t r = 0; t && r < fz_table_nrows(t); r++) {
        va_list ap;
        va_start(ap, t);
        int ok = 1;
        const char *k;
        while ((k = va_arg(ap, const char *)) != NULL) {
            const char *v = va_arg(ap, const char *);
            int c = fz_table_find_col(t, k);
            char buf[256];
            if (c < 0 || strcmp(fz_table_format(t, r, (size_t)c, buf, sizeof buf), v) != 0)
                ok = 0;
        }
        va_end(ap);
        if (ok) {
            if (found >= 0)
                return -1;
            found = (long)r;
        }
    }
    return found;
}

static double num(const fz_table *t, long r, const char *col)
{
    int c = fz_table_find_col(t, col);
    if (r < 0 || c < 0)
        return -12345.678; /* never equal to an expected value */
    return fz_table_num(t, (size_t)r, (size_t)c);
}

static const char *txt(const fz_table *t, long r, const char *col)
{
    static char buf[1024];
    int c = fz_table_find_col(t, col);
    if (r < 0 || c < 0)
        return "<missing>";
    return fz_table_format(t, (size_t)r, (size_t)c, buf, sizeof buf);
}

static int near(double a, double b) { return fabs(a - b) < 1e-4; }
static int is_na(const fz_table *t, long r, const char *col)
{
    int c = fz_table_find_col(t, col);
    return r >= 0 && c >= 0 && fz_table_is_na(t, (size_t)r, (size_t)c);
}

#define A "441882102"
#define B "441882103"
#define C "441882104"
#define D "441802001"
#define E "441882"

static fz_obs *load(fz_diag *d)
{
    fz_obs *o = fz_obs_new();
    char *p = check_source("tests/fixtures/stats/obs.csv");
    CHECK(fz_obs_read_csv(p, o, d) == 0);
    free(p);
    return o;
}

static fz_table *fixture_table(const char *name, fz_diag *d)
{
    char *rel = fz_xasprintf("tests/fixtures/stats/%s", name);
    char *p = check_source(rel);
    fz_table *t = fz_csv_read_table(p, d);
    free(p);
    free(rel);
    return t;
}

static void test_panel(const fz_stats *s)
{
    const fz_table *lt = fz_stats_table(s, "long");
    CHECK(lt != NULL);
    /* 4 townships in 2022 (penalty) + 3 rates + county + A 2021/2020 + B 2021 */
    CHECK(fz_table_nrows(lt) == 11);
    long a = find(lt, "region_code", A, "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(a >= 0);
    CHECK(num(lt, a, "value") == 8);               /* first primary kept, 9 is a conflict */
    CHECK(strcmp(txt(lt, a, "flags"), "differing_primary") == 0);
    CHECK(num(lt, a, "obs_row") == 1 && num(lt, a, "doc") == 1 && num(lt, a, "line") == 10);
    CHECK(strcmp(txt(lt, a, "phrase"), "行政处罚案件8宗") == 0);
    CHECK(strcmp(txt(lt, a, "file"), "a2022.txt") == 0);
    CHECK(strcmp(txt(lt, a, "parent_code"), E) == 0);
    CHECK(strcmp(txt(lt, a, "kind"), "count") == 0);
    long b = find(lt, "region_code", B, "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(num(lt, b, "value") == 12);              /* the later published report */
    CHECK(strcmp(txt(lt, b, "qualifier"), "at_least") == 0);
    CHECK(strcmp(txt(lt, b, "flags"), "later_report") == 0);
    CHECK(num(lt, b, "doc") == 3 && num(lt, b, "obs_row") == 6);
    /* C states no rate: no row, never a 0 */
    CHECK(find(lt, "region_code", C, "indicator", "mediation_success_rate", NULL) == -1);
    long ar = find(lt, "region_code", A, "year", "2022", "indicator", "mediation_success_rate",
                   NULL);
    CHECK(strcmp(txt(lt, ar, "kind"), "rate") == 0);
    /* unresolved and year-less documents are not in the panel */
    CHECK(find(lt, "value", "50", NULL) == -1 && find(lt, "value", "60", NULL) == -1);
    CHECK(find(lt, "region_code", "441882105", NULL) == -1);

    /* Within 2022 townships, penalty: A 8, B 12, C 100, D 20.
     * mean 35; sd = sqrt((27^2+23^2+65^2+15^2)/3) = sqrt(1902.667) = 43.61957
     * z(A) = -27/43.61957 = -0.61899; minmax A 0, B 400/92 = 4.3478, C 100,
     * D 1200/92 = 13.0435; rank C 1, D 2, B 3, A 4; percentile A 0, B 33.33,
     * D 66.67, C 100. */
    CHECK(near(num(lt, a, "zscore"), -27 / sqrt(5708.0 / 3)));
    CHECK(num(lt, a, "minmax") == 0 && num(lt, a, "rank") == 4 && num(lt, a, "percentile") == 0);
    CHECK(num(lt, a, "n_peers") == 4);
    CHECK(near(num(lt, b, "minmax"), 400.0 / 92) && num(lt, b, "rank") == 3);
    CHECK(near(num(lt, b, "percentile"), 100.0 / 3));
    long c = find(lt, "region_code", C, "indicator", "penalty_cases", NULL);
    CHECK(num(lt, c, "minmax") == 100 && num(lt, c, "rank") == 1 && num(lt, c, "percentile") == 100);
    long dd = find(lt, "region_code", D, "indicator", "penalty_cases", NULL);
    CHECK(near(num(lt, dd, "zscore"), -15 / sqrt(5708.0 / 3)));
    CHECK(near(num(lt, dd, "percentile"), 200.0 / 3) && num(lt, dd, "rank") == 2);
    /* The county is compared with counties only: alone, so z/minmax NA. */
    long e = find(lt, "region_code", E, "indicator", "penalty_cases", NULL);
    CHECK(is_na(lt, e, "zscore") && is_na(lt, e, "minmax") && is_na(lt, e, "percentile"));
    CHECK(num(lt, e, "rank") == 1 && num(lt, e, "n_peers") == 1);
    CHECK(strcmp(txt(lt, e, "level"), "county") == 0 && strcmp(txt(lt, e, "parent_code"), "4418") == 0);

    /* Over years, A penalty 2020: 2, 2021: 4, 2022: 8; base 2020. */
    long a20 = find(lt, "region_code", A, "year", "2020", NULL);
    long a21 = find(lt, "region_code", A, "year", "2021", NULL);
    CHECK(num(lt, a20, "index") == 100 && num(lt, a21, "index") == 200 && num(lt, a, "index") == 400);
    CHECK(num(lt, a, "base_year") == 2020);
    CHECK(is_na(lt, a20, "yoy_change") && is_na(lt, a20, "yoy_pct"));
    CHECK(num(lt, a21, "yoy_change") == 2 && num(lt, a21, "yoy_pct") == 100);
    CHECK(num(lt, a, "yoy_change") == 4 && num(lt, a, "yoy_pct") == 100);
    /* B 2021: 10, 2022: 12 -> +2, +20% */
    CHECK(num(lt, b, "yoy_change") == 2 && near(num(lt, b, "yoy_pct"), 20));
    /* D has one year: index 100 to itself, no change */
    CHECK(num(lt, dd, "index") == 100 && is_na(lt, dd, "yoy_change"));

    /* Share of the parent's total: 441882 townships 8+12+100 = 120 */
    CHECK(num(lt, a, "parent_total") == 120 && near(num(lt, a, "parent_share"), 800.0 / 120));
    CHECK(num(lt, dd, "parent_total") == 20 && num(lt, dd, "parent_share") == 100);
    CHECK(is_na(lt, ar, "parent_total") && is_na(lt, ar, "parent_share")); /* a rate */

    /* Per capita: A 2022 pop 20000 -> 4 per 10k; A 2021 nearest of 2020 and
     * 2022 (tie: the earlier) 18000 -> 2.2222; B has none. */
    CHECK(num(lt, a, "per10k") == 4 && num(lt, a, "population_year") == 2022);
    CHECK(near(num(lt, a21, "per10k"), 40000.0 / 18000) && num(lt, a21, "population_year") == 2020);
    CHECK(strcmp(txt(lt, a21, "flags"), "nearest_population") == 0);
    CHECK(is_na(lt, b, "per10k") && is_na(lt, ar, "per10k"));

    /* Sorted by region_code, year, indicator. */
    char prev[256] = "";
    int sorted = 1;
    for (size_t r = 0; r < fz_table_nrows(lt); r++) {
        char key[256];
        snprintf(key, sizeof key, "%s\x01%04.0f\x01%s", fz_table_text(lt, r, 0), fz_table_num(lt, r, 5),
                 fz_table_text(lt, r, 6));
        if (strcmp(prev, key) >= 0)
            sorted = 0;
        snprintf(prev, sizeof prev, "%s", key);
    }
    CHECK(sorted);

    const fz_table *w = fz_stats_table(s, "wide");
    CHECK(fz_table_nrows(w) == 8); /* unit-years */
    long wc = find(w, "region_code", C, "year", "2022", NULL);
    CHECK(num(w, wc, "penalty_cases") == 100 && is_na(w, wc, "mediation_success_rate"));
    long wb = find(w, "region_code", B, "year", "2022", NULL);
    CHECK(strcmp(txt(w, wb, "penalty_cases_qualifier"), "at_least") == 0 && num(w, wb, "doc") == 3);
}

static void test_summary(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "summary");
    long r = find(t, "indicator", "penalty_cases", "year", "2022", "level", "township", NULL);
    CHECK(num(t, r, "n") == 4 && num(t, r, "mean") == 35);
    CHECK(near(num(t, r, "sd"), sqrt(5708.0 / 3)));
    /* sorted 8 12 20 100: median 16; q1 at 0.75 -> 11; q3 at 2.25 -> 40 */
    CHECK(num(t, r, "median") == 16 && num(t, r, "q1") == 11 && num(t, r, "q3") == 40);
    CHECK(num(t, r, "min") == 8 && num(t, r, "max") == 100);
    CHECK(near(num(t, r, "cv"), sqrt(5708.0 / 3) / 35));
    /* |v-16| = 8 4 84 4 -> MAD 6; 84 > 3.5*1.4826*6 = 31.13: C is an outlier */
    CHECK(num(t, r, "mad") == 6 && num(t, r, "outliers") == 1);
    CHECK(strcmp(txt(t, r, "outlier_regions"), C) == 0);
    CHECK(num(t, r, "qualified_n") == 1);
    CHECK(strcmp(txt(t, r, "obs_rows"), "9;1;6;8") == 0); /* D A B C: sorted by code */
    long rr = find(t, "indicator", "mediation_success_rate", "year", "2022", "level", "township",
                   NULL);
    CHECK(num(t, rr, "n") == 3 && near(num(t, rr, "mean"), 265.0 / 3) && num(t, rr, "median") == 90);
    /* n = 1: sd, cv NA; n < 3: outliers NA */
    long one = find(t, "indicator", "penalty_cases", "year", "2022", "level", "county", NULL);
    CHECK(num(t, one, "n") == 1 && is_na(t, one, "sd") && is_na(t, one, "cv"));
    CHECK(is_na(t, one, "outliers") && num(t, one, "median") == 100);
    long two = find(t, "indicator", "penalty_cases", "year", "2021", NULL);
    CHECK(num(t, two, "n") == 2 && near(num(t, two, "sd"), sqrt(18.0)) && is_na(t, two, "outliers"));
}

static void test_trends(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "trends");
    CHECK(fz_table_nrows(t) == 1); /* only A has 3 years */
    long r = find(t, "region_code", A, "indicator", "penalty_cases", NULL);
    /* x 2020..2022, y 2 4 8: slope 6/2 = 3; SSE = 2/3, s2 = 2/3, se = sqrt(1/3);
     * t = 3*sqrt(3) = 5.19615, df 1; p = 2*(0.5 - atan(t)/pi) = 0.121033;
     * CAGR = (8/2)^(1/2) - 1 = 100% */
    CHECK(near(num(t, r, "slope"), 3) && near(num(t, r, "slope_se"), sqrt(1.0 / 3)));
    CHECK(near(num(t, r, "t"), 3 * sqrt(3.0)) && num(t, r, "df") == 1);
    CHECK(near(num(t, r, "p_value"), 2 * (0.5 - atan(3 * sqrt(3.0)) / M_PI)));
    CHECK(near(num(t, r, "cagr"), 100));
    CHECK(near(num(t, r, "intercept"), 14.0 / 3 - 3 * 2021)); /* ybar - slope * xbar */
    CHECK(num(t, r, "n_years") == 3 && num(t, r, "first_year") == 2020 && num(t, r, "last_value") == 8);
    CHECK(strcmp(txt(t, r, "obs_rows"), "14;12;1") == 0);
}

static void test_correlations(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "correlations");
    long r = find(t, "level", "township", "indicator_x", "mediation_success_rate", "indicator_y",
                  "penalty_cases", NULL);
    /* pairs (90,8) (95,12) (80,20): Sxy = -73.333, Sxx(rate) = 116.667,
     * Syy = 74.667: r = -0.785714; ranks (2,1)(3,2)(1,3): rho = 1 - 6*6/24 = -0.5 */
    CHECK(num(t, r, "n") == 3);
    CHECK(near(num(t, r, "pearson"), -73.3333333 / sqrt(116.6666667 * 74.6666667)));
    CHECK(near(num(t, r, "spearman"), -0.5));
    /* OLS of penalty on rate: slope = -73.333/116.667 = -0.628571;
     * intercept = 13.3333 + 0.628571 * 88.3333 = 68.857143 */
    CHECK(near(num(t, r, "slope"), -73.3333333 / 116.6666667));
    CHECK(near(num(t, r, "intercept"), 40.0 / 3 + 73.3333333 / 116.6666667 * 265.0 / 3));
    CHECK(find(t, "level", "county", NULL) == -1); /* the county has one indicator */
}

static void test_composite(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "composite");
    /* weights: penalty 1 (direction -1), rate 3, legal_advisers 1 (absent).
     * rate 2022 townships: A 90, B 95, D 80 -> minmax A 66.667, B 100, D 0.
     * A: (1*(100-0) + 3*66.667)/4 = 75; B: (1*(100-4.3478) + 3*100)/4 = 98.913;
     * C: (1*(100-100))/1 = 0; D: (1*(100-13.0435) + 3*0)/4 = 21.739 */
    long a = find(t, "region_code", A, "year", "2022", NULL);
    long b = find(t, "region_code", B, "year", "2022", NULL);
    long c = find(t, "region_code", C, "year", "2022", NULL);
    long d = find(t, "region_code", D, "year", "2022", NULL);
    CHECK(near(num(t, a, "composite"), 75) && num(t, a, "rank") == 2);
    CHECK(near(num(t, b, "composite"), (100 - 400.0 / 92 + 300) / 4) && num(t, b, "rank") == 1);
    CHECK(num(t, c, "composite") == 0 && num(t, c, "rank") == 4);
    CHECK(near(num(t, d, "composite"), (100 - 1200.0 / 92) / 4) && num(t, d, "rank") == 3);
    CHECK(num(t, a, "n_components") == 2 && num(t, a, "n_weights") == 3);
    CHECK(num(t, a, "coverage") == 80 && num(t, c, "coverage") == 20);
    CHECK(num(t, b, "qualified_n") == 1);
    /* the county alone: no normalized value, composite NA (not 0) */
    long e = find(t, "region_code", E, NULL);
    CHECK(e >= 0 && is_na(t, e, "composite") && num(t, e, "n_components") == 0);
}

static void test_rollups(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "rollups");
    long r = find(t, "region_code", E, "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(num(t, r, "value") == 120 && strcmp(txt(t, r, "method"), "sum") == 0);
    CHECK(num(t, r, "children_reported") == 3 && num(t, r, "children_known") == 3);
    CHECK(num(t, r, "own_value") == 100 && num(t, r, "qualified_n") == 1);
    CHECK(strcmp(txt(t, r, "child_codes"), A ";" B ";" C) == 0);
    CHECK(strcmp(txt(t, r, "region_name"), "连州市") == 0);
    /* prefecture: county 441882's own 100 (not its roll-up) + 441802's 20 */
    long p = find(t, "region_code", "4418", "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(num(t, p, "value") == 120 && num(t, p, "children_reported") == 2);
    CHECK(strcmp(txt(t, p, "level"), "prefecture") == 0 && strcmp(txt(t, p, "region_name"), "清远市") == 0);
    long pv = find(t, "region_code", "44", "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(num(t, pv, "value") == 120 && strcmp(txt(t, pv, "region_name"), "广东省") == 0);
    /* rates are averaged: A 90, B 95 -> 92.5, coverage 2 of 3 townships */
    long rt = find(t, "region_code", E, "year", "2022", "indicator", "mediation_success_rate", NULL);
    CHECK(num(t, rt, "value") == 92.5 && num(t, rt, "median") == 92.5);
    CHECK(strcmp(txt(t, rt, "method"), "mean") == 0 && near(num(t, rt, "coverage"), 200.0 / 3));
    CHECK(is_na(t, rt, "own_value"));
    long pr = find(t, "region_code", "4418", "year", "2022", "indicator", "mediation_success_rate",
                   NULL);
    CHECK(num(t, pr, "value") == 86.25); /* mean of 92.5 and 80 */
    long y21 = find(t, "region_code", E, "year", "2021", NULL);
    CHECK(num(t, y21, "value") == 14 && num(t, y21, "children_reported") == 2);
    CHECK(near(num(t, y21, "coverage"), 200.0 / 3));
    /* obs_rows of a roll-up of roll-ups: its children's, in child order */
    CHECK(strcmp(txt(t, r, "obs_rows"), "1;6;8") == 0);
    CHECK(strcmp(txt(t, p, "obs_rows"), "9;11") == 0 && strcmp(txt(t, p, "child_codes"),
                                                               "441802;441882") == 0);
    CHECK(strcmp(txt(t, y21, "obs_rows"), "12;13") == 0);
    long p21 = find(t, "region_code", "4418", "year", "2021", "indicator", "penalty_cases", NULL);
    CHECK(strcmp(txt(t, p21, "obs_rows"), "12;13") == 0 &&
          strcmp(txt(t, p21, "child_codes"), E) == 0);
    long pv21 = find(t, "region_code", "44", "year", "2021", "indicator", "penalty_cases", NULL);
    CHECK(strcmp(txt(t, pv21, "obs_rows"), "12;13") == 0 &&
          strcmp(txt(t, pv21, "child_codes"), "4418") == 0);
}

static void test_conflicts(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "conflicts");
    CHECK(fz_table_nrows(t) == 4);
    long dp = find(t, "type", "differing_primary", NULL);
    CHECK(num(t, dp, "value_kept") == 8 && num(t, dp, "value_other") == 9);
    CHECK(num(t, dp, "obs_row_kept") == 1 && num(t, dp, "obs_row_other") == 3);
    long du = find(t, "type", "duplicate_report", NULL);
    CHECK(num(t, du, "doc_kept") == 3 && num(t, du, "doc_other") == 2);
    CHECK(strcmp(txt(t, du, "published_kept"), "2023-02-01") == 0);
    CHECK(strcmp(txt(t, du, "region_code"), B) == 0 && num(t, du, "year") == 2022);
    CHECK(find(t, "type", "no_region", "doc_other", "10", NULL) >= 0);
    CHECK(find(t, "type", "no_year", "doc_other", "11", NULL) >= 0);
    /* document order */
    CHECK(strcmp(txt(t, 0, "type"), "differing_primary") == 0);
}

static void test_coverage(const fz_stats *s)
{
    const fz_table *t = fz_stats_table(s, "coverage");
    long r = find(t, "indicator", "mediation_success_rate", "year", "2022", "level", "township",
                  NULL);
    CHECK(num(t, r, "units") == 4 && num(t, r, "reporting") == 3 && num(t, r, "coverage") == 75);
    long q = find(t, "indicator", "penalty_cases", "year", "2022", "level", "township", NULL);
    CHECK(num(t, q, "reporting") == 4 && num(t, q, "qualified_n") == 1);
}

static void test_base_year(fz_obs *o, fz_diag *d)
{
    fz_stats_opts opts = { .base_year = 2021 };
    fz_stats *s = fz_stats_run(o, &opts, d);
    const fz_table *lt = fz_stats_table(s, "long");
    long a20 = find(lt, "region_code", A, "year", "2020", NULL);
    long a22 = find(lt, "region_code", A, "year", "2022", "indicator", "penalty_cases", NULL);
    CHECK(num(lt, a20, "index") == 50 && num(lt, a22, "index") == 200);
    long dd = find(lt, "region_code", D, "indicator", "penalty_cases", NULL);
    CHECK(is_na(lt, dd, "index") && num(lt, dd, "base_year") == 2021); /* no 2021 figure */
    CHECK(fz_table_nrows(fz_stats_table(s, "composite")) == 0); /* no weights given */
    CHECK(is_na(lt, a22, "per10k"));                            /* no population */
    fz_stats_free(s);
}

static void test_edges(fz_diag *d)
{
    /* Empty: every table exists, none has rows. */
    fz_obs *o = fz_obs_new();
    fz_stats *s = fz_stats_run(o, NULL, d);
    size_t n = 0;
    const fz_table *const *all = fz_stats_tables(s, &n);
    CHECK(n == FZ_STATS_NTABLES);
    int empty = 1;
    for (size_t i = 0; i < n; i++)
        empty &= all[i] != NULL && fz_table_nrows(all[i]) == 0;
    CHECK(empty);
    CHECK(fz_stats_table(s, "nonesuch") == NULL);
    CHECK(strcmp(fz_table_name(fz_stats_table(s, "rollups")), "rollups") == 0);
    fz_stats_free(s);

    /* Single region, single year. */
    fz_obs_doc doc = { .file = "x.txt", .region_code = "520201014", .region_name = "x镇",
                       .level = FZ_LEVEL_TOWNSHIP, .year = 2022, .has_year = 1 };
    fz_obs_add_doc(o, &doc);
    fz_obs_row r1 = { .doc = 0, .indicator = "grids", .value = 7, .unit = "个", .primary = 1 };
    fz_obs_row r2 = { .doc = 0, .indicator = "satisfaction_rate", .value = 99.5, .unit = "%",
                      .qual = FZ_QUAL_APPROX, .primary = 1 };
    fz_obs_add(o, &r1);
    fz_obs_add(o, &r2);
    s = fz_stats_run(o, NULL, d);
    const fz_table *lt = fz_stats_table(s, "long");
    CHECK(fz_table_nrows(lt) == 2);
    long g = find(lt, "indicator", "grids", NULL);
    CHECK(is_na(lt, g, "zscore") && is_na(lt, g, "minmax") && is_na(lt, g, "percentile"));
    CHECK(num(lt, g, "rank") == 1 && num(lt, g, "index") == 100 && is_na(lt, g, "yoy_change"));
    long sr = find(lt, "indicator", "satisfaction_rate", NULL);
    CHECK(strcmp(txt(lt, sr, "qualifier"), "approx") == 0 && strcmp(txt(lt, sr, "kind"), "rate") == 0);
    const fz_table *sm = fz_stats_table(s, "summary");
    long m = find(sm, "indicator", "grids", NULL);
    CHECK(num(sm, m, "n") == 1 && num(sm, m, "mean") == 7 && is_na(sm, m, "sd"));
    CHECK(fz_table_nrows(fz_stats_table(s, "trends")) == 0);
    const fz_table *cr = fz_stats_table(s, "correlations");
    long c = find(cr, "indicator_x", "grids", NULL);
    CHECK(num(cr, c, "n") == 1 && is_na(cr, c, "pearson") && is_na(cr, c, "spearman"));
    CHECK(is_na(cr, c, "slope") && is_na(cr, c, "intercept"));
    const fz_table *ru = fz_stats_table(s, "rollups");
    long rc = find(ru, "region_code", "520201", "indicator", "satisfaction_rate", NULL);
    CHECK(num(ru, rc, "value") == 99.5 && num(ru, rc, "qualified_n") == 1);
    fz_stats_free(s);

    /* Bad options: a population table without its columns is fatal. */
    fz_table *bad = fz_table_new("pop");
    fz_table_add_col(bad, "code", FZ_COL_TEXT, -1);
    fz_stats_opts opts = { .population = bad };
    fz_diag_clear(d);
    CHECK(fz_stats_run(o, &opts, d) == NULL);
    CHECK(fz_diag_count(d, FZ_DIAG_FATAL) == 1);
    fz_table_free(bad);
    fz_obs_free(o);
}

/* rank and percentile of many tied values (0 and -0 among them) against
 * counting above, below and equal over the whole group. */
static void test_ranks(fz_diag *d)
{
    fz_obs *o = fz_obs_new();
    static const double pool[] = { 0.0, -0.0, 1, 1, 2.5, -3, 1e9, 7, 7, 7, 0.1, 0.3 };
    unsigned seed = 12345;
    size_t n = 400;
    for (size_t i = 0; i < n; i++) {
        char code[16], name[32];
        snprintf(code, sizeof code, "5202%05zu", 10000 + i);
        snprintf(name, sizeof name, "镇%zu", i);
        fz_obs_doc doc = { .file = "x.txt", .region_code = code, .region_name = name,
                           .level = FZ_LEVEL_TOWNSHIP, .year = 2022, .has_year = 1 };
        fz_obs_add_doc(o, &doc);
        seed = seed * 1103515245u + 12345u;
        double v = pool[(seed >> 16) % (sizeof pool / sizeof *pool)];
        if ((seed >> 8) % 7 == 0)
            v = (double)((seed >> 4) % 1000) / 8;
        fz_obs_row r = { .doc = i, .indicator = "grids", .value = v, .unit = "个",
                         .primary = 1 };
        fz_obs_add(o, &r);
    }
    fz_stats *s = fz_stats_run(o, NULL, d);
    const fz_table *lt = fz_stats_table(s, "long");
    int cv = fz_table_find_col(lt, "value"), cr = fz_table_find_col(lt, "rank");
    int cp = fz_table_find_col(lt, "percentile"), cn = fz_table_find_col(lt, "n_peers");
    size_t nr = fz_table_nrows(lt), bad = 0;
    CHECK(nr == n);
    for (size_t i = 0; i < nr; i++) {
        double v = fz_table_num(lt, i, (size_t)cv);
        size_t above = 0, below = 0, equal = 0;
        for (size_t j = 0; j < nr; j++) {
            double w = fz_table_num(lt, j, (size_t)cv);
            above += w > v;
            below += w < v;
            equal += w == v;
        }
        double pct = 100.0 * ((double)below + ((double)equal - 1) / 2) / (double)(nr - 1);
        bad += fz_table_num(lt, i, (size_t)cr) != (double)(above + 1) ||
               fz_table_num(lt, i, (size_t)cp) != pct ||
               fz_table_num(lt, i, (size_t)cn) != (double)nr;
    }
    CHECK(bad == 0);
    fz_stats_free(s);
    fz_obs_free(o);
}

/* Same input, same bytes. */
/* A released table is gone; every other table is untouched. */
static void test_release(const fz_obs *o, const fz_stats_opts *opts, fz_diag *d)
{
    fz_stats *s = fz_stats_run(o, opts, d);
    CHECK(s != NULL);
    if (!s)
        return;
    size_t n = 0;
    const fz_table *const *all = fz_stats_tables(s, &n);
    const fz_table *before[FZ_STATS_NTABLES];
    for (size_t i = 0; i < n; i++)
        before[i] = all[i];
    const fz_table *long_t = fz_stats_table(s, "long");
    size_t long_rows = fz_table_nrows(long_t);
    CHECK(fz_stats_table(s, "rollups") != NULL);
    fz_stats_release_table(s, "rollups");
    fz_stats_release_table(s, "no such table");
    CHECK(fz_stats_table(s, "rollups") == NULL);
    int others = 1, gone = 0;
    for (size_t i = 0; i < n; i++) {
        if (before[i] && all[i] == NULL)
            gone++;
        else if (all[i] != before[i])
            others = 0;
    }
    CHECK(gone == 1 && others);
    CHECK(fz_stats_table(s, "long") == long_t && fz_table_nrows(long_t) == long_rows);
    fz_stats_free(s); /* frees the rest once, the released table not again */
}

static void test_reproducible(const fz_obs *o, const fz_stats_opts *opts)
{
    fz_diag d;
    fz_diag_init(&d);
    char dir1[] = "/tmp/fz_test_stats1.XXXXXX", dir2[] = "/tmp/fz_test_stats2.XXXXXX";
    CHECK(mkdtemp(dir1) && mkdtemp(dir2));
    /* the second run builds its tables on three threads: same bytes */
    fz_stats_opts serial = *opts, threaded = *opts;
    serial.jobs = 1;
    threaded.jobs = 3;
    fz_stats *s1 = fz_stats_run(o, &serial, &d), *s2 = fz_stats_run(o, &threaded, &d);
    size_t n = 0;
    const fz_table *const *t1 = fz_stats_tables(s1, &n), *const *t2 = fz_stats_tables(s2, &n);
    CHECK(fz_tables_write_all(t1, n, dir1, NULL, &d) == 0);
    CHECK(fz_tables_write_all(t2, n, dir2, NULL, &d) == 0);
    int same = 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = fz_table_name(t1[i]);
        char *p1 = fz_xasprintf("%s/%s.csv", dir1, name), *p2 = fz_xasprintf("%s/%s.csv", dir2, name);
        size_t n1 = 0, n2 = 0;
        char *a = check_slurp(p1, &n1), *b = check_slurp(p2, &n2);
        same &= a && b && n1 == n2 && memcmp(a, b, n1) == 0;
        free(a);
        free(b);
        free(p1);
        free(p2);
    }
    CHECK(same);
    fz_stats_free(s1);
    fz_stats_free(s2);
    char *cmd = fz_xasprintf("rm -rf '%s' '%s'", dir1, dir2);
    CHECK(system(cmd) == 0);
    free(cmd);
    fz_diag_release(&d);
}

/* Every table read a row at once (fz_table_row(): the long table's row
 * function, the other views' cell by cell) gives what its cells give one
 * by one; fz_table_row_na() gives the same texts and numbers, a non-finite
 * number where fz_table_row() gives NaN. */
static void test_row_reads(const fz_stats *s)
{
    size_t n;
    const fz_table *const *tabs = fz_stats_tables(s, &n);
    int same = 1, rows = 0;
    for (size_t i = 0; i < n; i++) {
        const fz_table *t = tabs[i];
        if (!t)
            continue;
        size_t nc = fz_table_ncols(t);
        fz_table_value *cells = fz_xmalloc((nc + 1) * sizeof *cells);
        fz_table_value *raw = fz_xmalloc((nc + 1) * sizeof *raw);
        fz_buf *scratch = fz_xmalloc((nc + 1) * sizeof *scratch);
        for (size_t c = 0; c < nc; c++)
            fz_buf_init(&scratch[c]);
        for (size_t r = 0; r < fz_table_nrows(t); r++, rows++) {
            fz_table_row_na(t, r, raw, scratch);
            for (size_t c = 0; c < nc; c++)
                if (fz_table_coltype(t, c) == FZ_COL_NUM)
                    same &= isfinite(raw[c].num) ? raw[c].num == fz_table_num(t, r, c)
                                                 : isnan(fz_table_num(t, r, c));
            fz_table_row(t, r, cells, scratch);
            for (size_t c = 0; c < nc; c++)
                if (fz_table_coltype(t, c) == FZ_COL_TEXT)
                    same &= raw[c].text == cells[c].text ||
                            (raw[c].text && cells[c].text && strcmp(raw[c].text, cells[c].text) == 0);
            for (size_t c = 0; c < nc; c++) {
                char b1[256], b2[256];
                const char *want = fz_table_cell(t, r, c, b1, sizeof b1);
                const char *got = NULL;
                if (fz_table_coltype(t, c) == FZ_COL_TEXT)
                    got = cells[c].text;
                else if (!isnan(cells[c].num))
                    got = fz_format_num(cells[c].num, fz_table_decimals(t, c), b2, sizeof b2);
                same &= (want == NULL) == (got == NULL) && (!want || strcmp(want, got) == 0);
            }
        }
        for (size_t c = 0; c < nc; c++)
            fz_buf_release(&scratch[c]);
        free(scratch);
        free(raw);
        free(cells);
    }
    CHECK(same && rows > 0);
}

/* A series longer than the trends view's stack room (100 years) and a
 * second indicator with gaps: the fit read from the view equals GSL's on
 * the same points, qualified_n counts the qualified years, and yoy_change
 * is against the year before only (the cell found when read). */
static void test_long_series(fz_diag *d)
{
    fz_obs *o = fz_obs_new();
    enum { NY = 100 };
    double x[NY], y[NY];
    size_t qn = 0;
    for (size_t i = 0; i < NY; i++) {
        fz_obs_doc doc = { .file = "x.txt", .region_code = "520201014", .region_name = "x镇",
                           .level = FZ_LEVEL_TOWNSHIP, .year = 1901 + (int)i, .has_year = 1 };
        fz_obs_add_doc(o, &doc);
        x[i] = 1901 + (double)i;
        y[i] = (double)((i * 7919) % 113) + 0.25 * (double)i;
        fz_qual q = i % 9 == 0 ? FZ_QUAL_APPROX : FZ_QUAL_EXACT;
        qn += q != FZ_QUAL_EXACT;
        fz_obs_row r = { .doc = i, .indicator = "grids", .value = y[i], .unit = "个",
                         .qual = q, .primary = 1 };
        fz_obs_add(o, &r);
        if (i % 3 != 1) { /* every third year missing */
            fz_obs_row g = { .doc = i, .indicator = "cases", .value = (double)(i % 11),
                             .unit = "件", .primary = 1 };
            fz_obs_add(o, &g);
        }
    }
    fz_stats *s = fz_stats_run(o, NULL, d);
    const fz_table *tt = fz_stats_table(s, "trends");
    long r = find(tt, "indicator", "grids", NULL);
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(x, 1, y, 1, NY, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    CHECK(r >= 0 && num(tt, r, "n_years") == NY && num(tt, r, "qualified_n") == (double)qn);
    CHECK(fz_table_num(tt, (size_t)r, (size_t)fz_table_find_col(tt, "slope")) == c1);
    CHECK(fz_table_num(tt, (size_t)r, (size_t)fz_table_find_col(tt, "intercept")) == c0);
    CHECK(fz_table_num(tt, (size_t)r, (size_t)fz_table_find_col(tt, "t")) == c1 / sqrt(cov11));
    const fz_table *lt = fz_stats_table(s, "long");
    int cy = fz_table_find_col(lt, "year"), ci = fz_table_find_col(lt, "indicator");
    int cv = fz_table_find_col(lt, "value"), cc = fz_table_find_col(lt, "yoy_change");
    size_t bad = 0;
    for (size_t i = 0; i < fz_table_nrows(lt); i++) {
        double want = NAN;
        for (size_t j = 0; j < fz_table_nrows(lt); j++)
            if (strcmp(fz_table_text(lt, j, (size_t)ci), fz_table_text(lt, i, (size_t)ci)) == 0 &&
                fz_table_num(lt, j, (size_t)cy) + 1 == fz_table_num(lt, i, (size_t)cy))
                want = fz_table_num(lt, i, (size_t)cv) - fz_table_num(lt, j, (size_t)cv);
        double got = fz_table_num(lt, i, (size_t)cc);
        bad += isnan(want) ? !isnan(got) : got != want;
    }
    CHECK(bad == 0);
    test_row_reads(s);
    fz_stats_free(s);
    fz_obs_free(o);
}

int main(void)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_obs *o = load(&d);
    CHECK(fz_obs_nrows(o) == 17 && fz_obs_ndocs(o) == 11);
    fz_table *pop = fixture_table("population.csv", &d);
    fz_table *w = fixture_table("weights.csv", &d);
    CHECK(pop && w && d.n == 0);
    fz_stats_opts opts = { .population = pop, .weights = w, .source = "obs.csv" };
    fz_stats *s = fz_stats_run(o, &opts, &d);
    CHECK(s != NULL);
    /* population row 3 ("oops") is ignored with a warning; nearest year noted */
    CHECK(fz_diag_count(&d, FZ_DIAG_WARN) == 1);
    CHECK(fz_diag_count(&d, FZ_DIAG_NOTE) == 2);
    if (s) {
        test_panel(s);
        test_summary(s);
        test_trends(s);
        test_correlations(s);
        test_composite(s);
        test_rollups(s);
        test_conflicts(s);
        test_coverage(s);
        test_row_reads(s);
    }
    fz_stats_free(s);
    test_base_year(o, &d);
    test_reproducible(o, &opts);
    test_release(o, &opts, &d);
    test_edges(&d);
    test_ranks(&d);
    test_long_series(&d);
    fz_table_free(pop);
    fz_table_free(w);
    fz_obs_free(o);
    fz_diag_release(&d);
    return check_done();
}
