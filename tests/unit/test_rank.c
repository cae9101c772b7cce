/* test_rank.c: fz_spearman_sorted (stats/rank.c) against gsl_stats_spearman
 * on the pairwise-complete rows of random matrices: values with many ties
 * (and -0 beside 0), missing cells, tiny and constant columns. The two sum
 * in different orders, so the doubles may differ in the last bits; they
 * must agree to 1e-12 and print the same at the four decimals of
 * correlations.csv. fz_spearman_bits (presence as bits, the values sorted
 * beside the rows) gives the very double fz_spearman_sorted does. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "statsint.h"
#include "table.h"
#include "xalloc.h"

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void)
{
    return check_xorshift(&rnd_state);
}

/* A value of column kind k: few distinct values (ties), many, or ±0. */
static double value(int k)
{
    switch (k) {
    case 0: return (double)(rnd() % 4);
    case 1: return (double)(rnd() % 1000) / 7.0;
    case 2: return (rnd() & 1) ? 0.0 : -0.0;
    case 3: return 5.0; /* constant */
    default: return (double)(int64_t)(rnd() % 2000001) - 1e6 + (double)(rnd() % 3) * 0.25;
    }
}

static size_t nsame, ndiff;

/* Compares every pair of columns of a nrow x ncol matrix. */
static void compare(const double *m, size_t nrow, size_t ncol)
{
    uint32_t *ord = fz_xmalloc((nrow * ncol + 1) * sizeof *ord);
    size_t *first = fz_xmalloc((ncol + 1) * sizeof *first);
    uint64_t *rank = fz_xmalloc((nrow + 1) * sizeof *rank);
    double *a = fz_xmalloc((nrow + 1) * sizeof *a), *b = fz_xmalloc((nrow + 1) * sizeof *b);
    double *work = fz_xmalloc((2 * nrow + 1) * sizeof *work);
    /* presence bits and the sorted values for fz_spearman_bits */
    size_t nw = (nrow + 63) / 64;
    uint64_t *bits = fz_xcalloc(nw * ncol + 1, sizeof *bits);
    double *sv = fz_xmalloc((nrow * ncol + 1) * sizeof *sv);
    first[0] = 0;
    for (size_t x = 0; x < ncol; x++) {
        size_t f = first[x];
        for (size_t r = 0; r < nrow; r++)
            if (isfinite(m[r * ncol + x])) {
                ord[f++] = (uint32_t)r;
                bits[x * nw + r / 64] |= (uint64_t)1 << (r % 64);
            }
        fz_rows_by_value(ord + first[x], f - first[x], m + x, ncol);
        first[x + 1] = f;
        int sorted = 1, all = 1;
        for (size_t k = first[x]; k < f; k++) {
            sv[k] = m[ord[k] * ncol + x];
            sorted &= k == first[x] || sv[k - 1] <= sv[k];
        }
        /* every present row once */
        unsigned char *seen = fz_xcalloc(nrow + 1, 1);
        for (size_t k = first[x]; k < f; k++)
            all &= !seen[ord[k]]++;
        free(seen);
        CHECK(sorted && all);
    }
    for (size_t x = 0; x < ncol; x++)
        for (size_t y = 0; y < ncol; y++) {
            size_t n = 0;
            for (size_t r = 0; r < nrow; r++)
                if (isfinite(m[r * ncol + x]) && isfinite(m[r * ncol + y])) {
                    a[n] = m[r * ncol + x];
                    b[n] = m[r * ncol + y];
                    n++;
                }
            double got = fz_spearman_sorted(ord + first[x], first[x + 1] - first[x], m + x,
                                            ord + first[y], first[y + 1] - first[y], m + y,
                                            ncol, rank);
            double want = n ? gsl_stats_spearman(a, 1, b, 1, n, work) : NAN;
            /* the same sums from the bits: the same double */
            double bgot = fz_spearman_bits(ord + first[x], sv + first[x], first[x + 1] - first[x],
                                           bits + x * nw, ord + first[y], sv + first[y],
                                           first[y + 1] - first[y], bits + y * nw, rank);
            CHECK((isnan(got) && isnan(bgot)) || memcmp(&got, &bgot, sizeof got) == 0);
            if (!isfinite(want) || !isfinite(got)) {
                /* n = 0, or a constant column: gsl divides 0 by 0 */
                CHECK(!isfinite(want) && !isfinite(got));
                continue;
            }
            char gs[32], ws[32];
            fz_format_num(got, 4, gs, sizeof gs); /* as the CSV writer prints it */
            fz_format_num(want, 4, ws, sizeof ws);
            CHECK(fabs(got - want) <= 1e-12);
            /* away from a rounding boundary the printed values agree */
            if (fabs(fmod(fabs(want) * 1e4, 1.0) - 0.5) > 1e-6)
                CHECK(strcmp(gs, ws) == 0);
            if (got == want)
                nsame++;
            else
                ndiff++;
        }
    free(ord);
    free(bits);
    free(sv);
    free(first);
    free(rank);
    free(a);
    free(b);
    free(work);
}

static void test_random(void)
{
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 10, 31, 200, 1500 };
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (int round = 0; round < 6; round++) {
            size_t nrow = sizes[si], ncol = 6;
            double *m = fz_xmalloc(nrow * ncol * sizeof *m);
            int kind[6];
            for (size_t c = 0; c < ncol; c++)
                kind[c] = (int)(rnd() % 5);
            unsigned missing = (unsigned)(rnd() % 4); /* in quarters */
            for (size_t r = 0; r < nrow; r++)
                for (size_t c = 0; c < ncol; c++)
                    m[r * ncol + c] = rnd() % 4 < missing ? NAN : value(kind[c]);
            compare(m, nrow, ncol);
            free(m);
        }
}

/* Worked by hand: x = 1 2 3 4 5, y = 5 6 7 8 7 (ranks 1 2 3.5 5 3.5); from
 * the means 3: sum dx dy = 8, sum dx^2 = 10, sum dy^2 = 9.5, rho = 8 / sqrt(95).
 * Rows 5 and 6 miss one value each. */
static void test_known(void)
{
    double m[] = { 1, 5, 2, 6, 3, 7, 4, 8, 5, 7, NAN, 1, 9, NAN };
    size_t nrow = 7, ncol = 2;
    uint32_t ox[7], oy[7];
    size_t nx = 0, ny = 0;
    uint64_t rank[7];
    for (size_t r = 0; r < nrow; r++) {
        if (isfinite(m[r * ncol]))
            ox[nx++] = (uint32_t)r;
        if (isfinite(m[r * ncol + 1]))
            oy[ny++] = (uint32_t)r;
    }
    fz_rows_by_value(ox, nx, m, ncol);
    fz_rows_by_value(oy, ny, m + 1, ncol);
    double rho = fz_spearman_sorted(ox, nx, m, oy, ny, m + 1, ncol, rank);
    CHECK(fabs(rho - 8 / sqrt(95)) < 1e-15);
    CHECK(fabs(fz_spearman_sorted(oy, ny, m + 1, ox, nx, m, ncol, rank) - rho) < 1e-15);
    /* no common rows */
    CHECK(isnan(fz_spearman_sorted(ox + 5, 1, m, oy + 5, 1, m + 1, ncol, rank)));
}

int main(void)
{
    gsl_set_error_handler_off();
    test_known();
    test_random();
    printf("fz_spearman_sorted: %zu pairs bit-identical to gsl, %zu within 1e-12\n", nsame,
           ndiff);
    return check_done();
}
