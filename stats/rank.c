/* rank.c: Spearman's rank correlation of two columns of a matrix over the
 * rows where both are present, from each column's values sorted once.
 * gsl_stats_spearman sorts both arrays for every pair; here a column is
 * sorted once and each pair walks the two sorted lists, skipping the rows
 * the other column lacks, so a pair costs O(n).
 *
 * Ranks are those of gsl_stats_spearman: 1..n in ascending order, equal
 * values (==, so -0 equals 0) share the mean of their positions. Doubled,
 * they are integers (2i + L + 1 for a run of L equal values from position
 * i), and the sums of the correlation are exact in 64 bits for n <= 2^20:
 * sum of R^2 <= n (2n)^2 = 4n^3 <= 2^62. */
#include <math.h>
#include <stdlib.h>

#include "statsint.h"

typedef struct colref {
    const double *col;
    size_t        stride;
} colref;

static int cmp_row(const void *a, const void *b, void *ctx)
{
    const colref *c = ctx;
    double x = c->col[(size_t)*(const uint32_t *)a * c->stride];
    double y = c->col[(size_t)*(const uint32_t *)b * c->stride];
    return (x > y) - (x < y);
}

void fz_rows_by_value(uint32_t *rows, size_t n, const double *col, size_t stride)
{
    colref c = { col, stride };
    qsort_r(rows, n, sizeof *rows, cmp_row, &c);
}

/* Doubled ranks of the entries of o whose row has a finite value in other;
 * rank[row] gets the rank if cross is NULL, else *sxy gets the sum of
 * rank * cross[row]. Returns the number of entries ranked; *sqq gets the sum
 * of the squared ranks. */
static size_t walk(const uint32_t *o, size_t no, const double *own, const double *other,
                   size_t stride, uint64_t *rank, const uint64_t *cross, uint64_t *sqq,
                   uint64_t *sxy)
{
    size_t i = 0, j = 0;
    uint64_t sq = 0, xy = 0;
    while (j < no) {
        if (!isfinite(other[(size_t)o[j] * stride])) {
            j++;
            continue;
        }
        /* a run of equal values among the entries kept: positions i.. */
        double v = own[(size_t)o[j] * stride];
        size_t e = j, len = 0;
        while (e < no && own[(size_t)o[e] * stride] == v) {
            len += isfinite(other[(size_t)o[e] * stride]);
            e++;
        }
        uint64_t r2 = 2 * (uint64_t)i + len + 1;
        sq += (uint64_t)len * r2 * r2;
        for (size_t k = j; k < e; k++) {
            uint32_t row = o[k];
            if (!isfinite(other[(size_t)row * stride]))
                continue;
            if (cross)
                xy += r2 * cross[row];
            else
                rank[row] = r2;
        }
        i += len;
        j = e;
    }
    *sqq = sq;
    if (sxy)
        *sxy = xy;
    return i;
}

double fz_spearman_sorted(const uint32_t *ox, size_t nx, const double *xcol,
                          const uint32_t *oy, size_t ny, const double *ycol, size_t stride,
                          uint64_t *rank)
{
    uint64_t sxx, syy, sxy;
    size_t n = walk(ox, nx, xcol, ycol, stride, rank, NULL, &sxx, NULL);
    if (n == 0 || n > FZ_SPEARMAN_MAX)
        return NAN;
    walk(oy, ny, ycol, xcol, stride, NULL, rank, &syy, &sxy);
    /* the doubled ranks sum to n (n + 1) each, so their mean is n + 1 */
    uint64_t m = (uint64_t)n * (n + 1) * (n + 1);
    int64_t cov = (int64_t)sxy - (int64_t)m;
    uint64_t vx = sxx - m, vy = syy - m;
    if (vx == 0 || vy == 0)
        return NAN;
    long double r = (long double)cov / (sqrtl((long double)vx) * sqrtl((long double)vy));
    return (double)r;
}
