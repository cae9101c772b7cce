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

static int cmp_valrow(const void *a, const void *b)
{
    double x = ((const fz_valrow *)a)->v, y = ((const fz_valrow *)b)->v;
    return (x > y) - (x < y);
}

void fz_valrow_sort(fz_valrow *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_valrow);
}

/* Doubled ranks of the entries of o whose row has a finite value in other;
 * rank[row] gets the rank if cross is NULL, else *sxy gets the sum of
 * rank * cross[row]. Returns the number of entries ranked; *sqq gets the sum
 * of the squared ranks. */
static size_t walk(const fz_valrow *o, size_t no, const double *other, size_t stride,
                   uint64_t *rank, const uint64_t *cross, uint64_t *sqq, uint64_t *sxy)
{
    size_t i = 0, j = 0;
    uint64_t sq = 0, xy = 0;
    while (j < no) {
        if (!isfinite(other[(size_t)o[j].row * stride])) {
            j++;
            continue;
        }
        /* a run of equal values among the entries kept: positions i.. */
        double v = o[j].v;
        size_t e = j, len = 0;
        while (e < no && o[e].v == v) {
            len += isfinite(other[(size_t)o[e].row * stride]);
            e++;
        }
        uint64_t r2 = 2 * (uint64_t)i + len + 1;
        sq += (uint64_t)len * r2 * r2;
        for (size_t k = j; k < e; k++) {
            uint32_t row = o[k].row;
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

double fz_spearman_sorted(const fz_valrow *ox, size_t nx, const double *xcol,
                          const fz_valrow *oy, size_t ny, const double *ycol, size_t stride,
                          uint64_t *rank)
{
    uint64_t sxx, syy, sxy;
    size_t n = walk(ox, nx, ycol, stride, rank, NULL, &sxx, NULL);
    if (n == 0 || n > FZ_SPEARMAN_MAX)
        return NAN;
    walk(oy, ny, xcol, stride, NULL, rank, &syy, &sxy);
    /* the doubled ranks sum to n (n + 1) each, so their mean is n + 1 */
    uint64_t m = (uint64_t)n * (n + 1) * (n + 1);
    int64_t cov = (int64_t)sxy - (int64_t)m;
    uint64_t vx = sxx - m, vy = syy - m;
    if (vx == 0 || vy == 0)
        return NAN;
    long double r = (long double)cov / (sqrtl((long double)vx) * sqrtl((long double)vy));
    return (double)r;
}
