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
#include <string.h>

#include "statsint.h"
#include "xalloc.h"

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

/* The bits of a finite double as an unsigned key in the order of the value;
 * -0 gets the key of 0, so equal values get equal keys. */
static uint64_t value_key(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0; /* -0 */
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

/* Rows sorted by an LSD radix sort of (value key, row) pairs, a byte at a
 * time, passing over the bytes every key shares (figures are mostly
 * integers, whose low mantissa bytes are 0). Equal values end up side by
 * side, which is all the walks below need of the order. */
static void rows_radix(uint32_t *rows, size_t n, const double *col, size_t stride)
{
    uint64_t *key = fz_xmalloc(2 * n * sizeof *key), *k2 = key + n;
    uint32_t *r2 = fz_xmalloc(n * sizeof *r2);
    uint64_t and = ~(uint64_t)0, or = 0;
    for (size_t i = 0; i < n; i++) {
        key[i] = value_key(col[(size_t)rows[i] * stride]);
        and &= key[i];
        or |= key[i];
    }
    uint64_t *kin = key, *kout = k2;
    uint32_t *rin = rows, *rout = r2;
    for (int shift = 0; shift < 64; shift += 8) {
        if ((((and ^ or) >> shift) & 0xFF) == 0)
            continue; /* every key has this byte */
        size_t count[256] = { 0 };
        for (size_t i = 0; i < n; i++)
            count[(kin[i] >> shift) & 0xFF]++;
        size_t sum = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = count[(kin[i] >> shift) & 0xFF]++;
            kout[at] = kin[i];
            rout[at] = rin[i];
        }
        uint64_t *kt = kin;
        kin = kout;
        kout = kt;
        uint32_t *rt = rin;
        rin = rout;
        rout = rt;
    }
    if (rin != rows)
        memcpy(rows, rin, n * sizeof *rows);
    free(key);
    free(r2);
}

void fz_rows_by_value(uint32_t *rows, size_t n, const double *col, size_t stride)
{
    if (n > 64) {
        rows_radix(rows, n, col, stride);
        return;
    }
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

/* walk() for the rows of o whose bit is set in other (present there), with
 * o's values in order beside it (sv). */
static size_t walk_bits(const uint32_t *o, const double *sv, size_t no, const uint64_t *other,
                        uint64_t *rank, const uint64_t *cross, uint64_t *sqq, uint64_t *sxy)
{
    size_t i = 0, j = 0;
    uint64_t sq = 0, xy = 0;
#define IN_OTHER(row) ((other[(row) / 64] >> ((row) % 64)) & 1)
    while (j < no) {
        if (!IN_OTHER(o[j])) {
            j++;
            continue;
        }
        /* a run of equal values among the entries kept: positions i.. */
        double v = sv[j];
        size_t e = j, len = 0;
        while (e < no && sv[e] == v) {
            len += IN_OTHER(o[e]);
            e++;
        }
        uint64_t r2 = 2 * (uint64_t)i + len + 1;
        sq += (uint64_t)len * r2 * r2;
        for (size_t k = j; k < e; k++) {
            uint32_t row = o[k];
            if (!IN_OTHER(row))
                continue;
            if (cross)
                xy += r2 * cross[row];
            else
                rank[row] = r2;
        }
        i += len;
        j = e;
    }
#undef IN_OTHER
    *sqq = sq;
    if (sxy)
        *sxy = xy;
    return i;
}

double fz_spearman_bits(const uint32_t *ox, const double *svx, size_t nx, const uint64_t *bx,
                        const uint32_t *oy, const double *svy, size_t ny, const uint64_t *by,
                        uint64_t *rank)
{
    uint64_t sxx, syy, sxy;
    size_t n = walk_bits(ox, svx, nx, by, rank, NULL, &sxx, NULL);
    if (n == 0 || n > FZ_SPEARMAN_MAX)
        return NAN;
    walk_bits(oy, svy, ny, bx, NULL, rank, &syy, &sxy);
    uint64_t m = (uint64_t)n * (n + 1) * (n + 1);
    int64_t cov = (int64_t)sxy - (int64_t)m;
    uint64_t vx = sxx - m, vy = syy - m;
    if (vx == 0 || vy == 0)
        return NAN;
    long double r = (long double)cov / (sqrtl((long double)vx) * sqrtl((long double)vy));
    return (double)r;
}
