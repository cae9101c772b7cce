/* table.c: column-major cells; text lives in an arena owned by the table.
 *
 * The long and roll-up tables of a large corpus have millions of cells, so
 * cells are small:
 * - a text cell is a 4-byte id into the table's list of distinct strings
 *   (id 0 is NA). Equal strings are stored once (a hash set finds them), so
 *   region codes, names, indicator ids, units and file names repeated on many
 *   rows cost one copy.
 * - a number column holds 4-byte integers while every value stored in it is
 *   an integer that fits (years, ranks, row numbers, counts), INT32_MIN being
 *   NA; the first other value turns it into doubles for good, NaN being NA
 *   (a non-finite number is NA anyway). */
#include "table.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

#define INT_NA INT32_MIN

typedef struct col {
    const char *name;
    fz_coltype  type;
    int         decimals;
    int         wide;   /* number column: 1 once stored as doubles */
    void       *data;   /* uint32_t ids, int32_t or double; caprows entries */
} col;

typedef struct slot {
    uint32_t id;        /* 0: empty */
    uint32_t hash;
} slot;

struct fz_table {
    const char *name;
    col   *cols;
    size_t ncols, capcols;
    size_t nrows, caprows;
    const char **strs;  /* id -> text; strs[0] unused */
    size_t nstrs, capstrs;
    slot  *set;         /* open addressing over strs, size hcap (a power of 2) */
    size_t hcap;
    fz_arena arena;
    const fz_table_view *view; /* a view: cells computed by these callbacks */
    fz_table_view viewcb;
    fz_table_row_fn rowfn; /* a view's row at once, or NULL */
};

fz_table *fz_table_new(const char *name)
{
    fz_table *t = fz_xcalloc(1, sizeof *t);
    fz_arena_init(&t->arena);
    t->name = fz_arena_strdup(&t->arena, name);
    t->nstrs = 1;
    return t;
}

fz_table *fz_table_new_view(const char *name, size_t nrows, const fz_table_view *v)
{
    fz_table *t = fz_table_new(name);
    t->viewcb = *v;
    t->view = &t->viewcb;
    t->nrows = nrows;
    return t;
}

void fz_table_set_row_fn(fz_table *t, fz_table_row_fn row)
{
    assert(t->view);
    t->rowfn = row;
}

void fz_table_free(fz_table *t)
{
    if (!t)
        return;
    if (t->view && t->view->release)
        t->view->release(t->view->ctx);
    for (size_t c = 0; c < t->ncols; c++)
        free(t->cols[c].data);
    free(t->cols);
    free(t->strs);
    free(t->set);
    fz_arena_release(&t->arena);
    free(t);
}

const char *fz_table_name(const fz_table *t) { return t->name; }

static size_t cell_size(const col *c)
{
    return c->type == FZ_COL_TEXT ? sizeof(uint32_t) : c->wide ? sizeof(double)
                                                               : sizeof(int32_t);
}

size_t fz_table_add_col(fz_table *t, const char *name, fz_coltype type, int decimals)
{
    assert(t->nrows == 0 || t->view);
    if (t->ncols == t->capcols) {
        t->capcols = t->capcols ? t->capcols * 2 : 16;
        t->cols = fz_xreallocarray(t->cols, t->capcols, sizeof *t->cols);
    }
    col *c = &t->cols[t->ncols];
    *c = (col){ fz_arena_strdup(&t->arena, name), type, decimals, 0, NULL };
    if (t->caprows && !t->view)
        c->data = fz_xreallocarray(NULL, t->caprows, cell_size(c));
    return t->ncols++;
}

size_t fz_table_add_row(fz_table *t)
{
    assert(!t->view);
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? t->caprows * 2 : 64;
        for (size_t c = 0; c < t->ncols; c++)
            t->cols[c].data = fz_xreallocarray(t->cols[c].data, t->caprows,
                                               cell_size(&t->cols[c]));
    }
    size_t r = t->nrows;
    for (size_t c = 0; c < t->ncols; c++) {
        col *k = &t->cols[c];
        if (k->type == FZ_COL_TEXT)
            ((uint32_t *)k->data)[r] = 0;
        else if (k->wide)
            ((double *)k->data)[r] = NAN;
        else
            ((int32_t *)k->data)[r] = INT_NA;
    }
    return t->nrows++;
}

void fz_table_reorder(fz_table *t, const size_t *order)
{
    assert(!t->view);
    for (size_t c = 0; c < t->ncols; c++) {
        col *k = &t->cols[c];
        size_t sz = cell_size(k);
        unsigned char *out = fz_xreallocarray(NULL, t->caprows ? t->caprows : 1, sz);
        const unsigned char *in = k->data;
        for (size_t r = 0; r < t->nrows; r++) {
            assert(order[r] < t->nrows);
            memcpy(out + r * sz, in + order[r] * sz, sz);
        }
        free(k->data);
        k->data = out;
    }
}

static col *cell_col(const fz_table *t, size_t row, size_t c)
{
    assert(row < t->nrows && c < t->ncols && !t->view);
    (void)row;
    return &t->cols[c];
}

/* ---- views -------------------------------------------------------------- */

/* One scratch buffer per thread for texts a view builds on demand; freed
 * when the thread ends (the main thread's lives until exit). */
static pthread_key_t  scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
    fz_buf *b = p;
    fz_buf_release(b);
    free(b);
}

static void scratch_init(void)
{
    if (pthread_key_create(&scratch_key, scratch_free) != 0)
        abort();
}

/* this thread's buffer, cached: the key is looked up once per thread */
static _Thread_local fz_buf *scratch_mine;

static fz_buf *scratch_buf(void)
{
    fz_buf *b = scratch_mine;
    if (!b) {
        pthread_once(&scratch_once, scratch_init);
        b = pthread_getspecific(scratch_key);
        if (!b) {
            b = fz_xmalloc(sizeof *b);
            fz_buf_init(b);
            if (pthread_setspecific(scratch_key, b) != 0)
                abort();
        }
        scratch_mine = b;
    }
    fz_buf_reset(b);
    return b;
}

static const char *view_text(const fz_table *t, size_t row, size_t c)
{
    assert(row < t->nrows && c < t->ncols);
    if (t->cols[c].type != FZ_COL_TEXT)
        return NULL;
    return t->view->text(t->view->ctx, row, c, scratch_buf());
}

static double view_num(const fz_table *t, size_t row, size_t c)
{
    assert(row < t->nrows && c < t->ncols);
    if (t->cols[c].type != FZ_COL_NUM)
        return NAN;
    double v = t->view->num(t->view->ctx, row, c);
    return isfinite(v) ? v : NAN;
}

/* ---- distinct strings --------------------------------------------------- */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
    return (uint32_t)h;
}

static void set_grow(fz_table *t)
{
    size_t cap = t->hcap ? t->hcap * 2 : 64;
    slot *s = fz_xcalloc(cap, sizeof *s);
    for (size_t i = 0; i < t->hcap; i++) {
        if (!t->set[i].id)
            continue;
        size_t j = t->set[i].hash & (cap - 1);
        while (s[j].id)
            j = (j + 1) & (cap - 1);
        s[j] = t->set[i];
    }
    free(t->set);
    t->set = s;
    t->hcap = cap;
}

static uint32_t add_str(fz_table *t, const char *s)
{
    if (t->nstrs >= t->capstrs) {
        t->capstrs = t->capstrs ? t->capstrs * 2 : 64;
        t->strs = fz_xreallocarray(t->strs, t->capstrs, sizeof *t->strs);
    }
    assert(t->nstrs < UINT32_MAX);
    t->strs[t->nstrs] = s;
    return (uint32_t)t->nstrs++;
}

/* The id of s, adding a copy of it if it is new. */
static uint32_t intern(fz_table *t, const char *s)
{
    size_t n = strlen(s);
    uint32_t h = hash_bytes(s, n);
    if ((t->nstrs + 1) * 4 > t->hcap * 3)
        set_grow(t);
    size_t j = h & (t->hcap - 1);
    for (; t->set[j].id; j = (j + 1) & (t->hcap - 1)) {
        if (t->set[j].hash != h)
            continue;
        const char *o = t->strs[t->set[j].id];
        if (memcmp(o, s, n) == 0 && o[n] == '\0')
            return t->set[j].id;
    }
    uint32_t id = add_str(t, fz_arena_strndup(&t->arena, s, n));
    t->set[j] = (slot){ id, h };
    return id;
}

/* ---- cells -------------------------------------------------------------- */

static void num_na(col *k, size_t row)
{
    if (k->wide)
        ((double *)k->data)[row] = NAN;
    else
        ((int32_t *)k->data)[row] = INT_NA;
}

/* Turns an integer column into doubles (caprows entries). */
static void widen(fz_table *t, col *k)
{
    const int32_t *in = k->data;
    double *out = fz_xreallocarray(NULL, t->caprows ? t->caprows : 1, sizeof *out);
    for (size_t r = 0; r < t->nrows; r++)
        out[r] = in[r] == INT_NA ? NAN : (double)in[r];
    free(k->data);
    k->data = out;
    k->wide = 1;
}

void fz_table_set_text(fz_table *t, size_t row, size_t c, const char *s)
{
    col *k = cell_col(t, row, c);
    assert(k->type == FZ_COL_TEXT);
    if (k->type != FZ_COL_TEXT) {
        num_na(k, row);
        return;
    }
    ((uint32_t *)k->data)[row] = s ? intern(t, s) : 0;
}

void fz_table_set_text_ref(fz_table *t, size_t row, size_t c, const char *s)
{
    col *k = cell_col(t, row, c);
    assert(k->type == FZ_COL_TEXT);
    if (k->type != FZ_COL_TEXT) {
        num_na(k, row);
        return;
    }
    ((uint32_t *)k->data)[row] = s ? add_str(t, s) : 0;
}

void fz_table_set_num(fz_table *t, size_t row, size_t c, double v)
{
    col *k = cell_col(t, row, c);
    assert(k->type == FZ_COL_NUM);
    if (k->type != FZ_COL_NUM) {
        ((uint32_t *)k->data)[row] = 0;
        return;
    }
    if (!isfinite(v)) {
        num_na(k, row);
        return;
    }
    if (!k->wide) {
        if (v > (double)INT_NA && v <= (double)INT32_MAX && v == (double)(int32_t)v &&
            !(v == 0 && signbit(v))) {
            ((int32_t *)k->data)[row] = (int32_t)v;
            return;
        }
        widen(t, k);
    }
    ((double *)k->data)[row] = v;
}

void fz_table_set_na(fz_table *t, size_t row, size_t c)
{
    col *k = cell_col(t, row, c);
    if (k->type == FZ_COL_TEXT)
        ((uint32_t *)k->data)[row] = 0;
    else
        num_na(k, row);
}

size_t fz_table_nrows(const fz_table *t) { return t->nrows; }
size_t fz_table_ncols(const fz_table *t) { return t->ncols; }
const char *fz_table_colname(const fz_table *t, size_t c) { return t->cols[c].name; }
fz_coltype fz_table_coltype(const fz_table *t, size_t c) { return t->cols[c].type; }
int fz_table_decimals(const fz_table *t, size_t c) { return t->cols[c].decimals; }

int fz_table_find_col(const fz_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

int fz_table_is_na(const fz_table *t, size_t row, size_t c)
{
    if (t->view)
        return t->cols[c].type == FZ_COL_TEXT ? view_text(t, row, c) == NULL
                                              : isnan(view_num(t, row, c));
    const col *k = cell_col(t, row, c);
    if (k->type == FZ_COL_TEXT)
        return ((const uint32_t *)k->data)[row] == 0;
    if (k->wide)
        return isnan(((const double *)k->data)[row]);
    return ((const int32_t *)k->data)[row] == INT_NA;
}

double fz_table_num(const fz_table *t, size_t row, size_t c)
{
    if (t->view)
        return view_num(t, row, c);
    const col *k = cell_col(t, row, c);
    if (k->type != FZ_COL_NUM)
        return NAN;
    if (k->wide)
        return ((const double *)k->data)[row];
    int32_t i = ((const int32_t *)k->data)[row];
    return i == INT_NA ? NAN : (double)i;
}

const char *fz_table_text(const fz_table *t, size_t row, size_t c)
{
    if (t->view) {
        const char *s = view_text(t, row, c);
        return s ? s : "";
    }
    const col *k = cell_col(t, row, c);
    if (k->type != FZ_COL_TEXT)
        return "";
    uint32_t id = ((const uint32_t *)k->data)[row];
    return id ? t->strs[id] : "";
}

/* Like snprintf(buf, n, "%s", s). */
static char *copy_out(const char *s, char *buf, size_t n)
{
    if (!n)
        return buf;
    size_t len = strlen(s);
    if (len >= n)
        len = n - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

/* ---- numbers as text ----------------------------------------------------
 * printf("%.*f") and printf("%.15g") round the exact binary value (half to
 * even) and are slow. The fast paths below scale by an exact power of ten,
 * recover the exact rounding error of that product with fma(), and so round
 * exactly as printf does; huge and tiny values and exponent forms go to
 * snprintf. fz_format_num_slow() is the reference the tests compare with. */

static const double pow10_exact[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* a * p (a >= 0, p an exact power of ten) rounded to an integer half to
 * even, as the exact product is; -1 when it is 2^52 or more. */
static int64_t round_scaled(double a, double p)
{
    double x = a * p;
    if (!(x < 0x1p52))
        return -1;
    int64_t i = (int64_t)x;       /* floor: 0 <= x < 2^52 */
    double r = (double)i;
    double err = fma(a, p, -x);   /* a*p - x, exactly */
    double s = ((x - r) - 0.5) + err; /* its sign is that of frac(a*p) - 1/2 */
    i += (s > 0) | ((s == 0) & (int)(i & 1)); /* no branch: the way a value rounds is random */
    return i;
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

static const uint64_t pow10_u64[20] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u
};

/* The number of decimal digits of u (1 for 0): the bit length gives it to
 * within one (1233/4096 is just above log10(2)). u | 1 has as many digits
 * as u (no power of ten above 1 is odd) and is never 0. */
static size_t count_digits(uint64_t u)
{
    uint64_t x = u | 1;
    unsigned bits = 64 - (unsigned)__builtin_clzll(x);
    size_t n = (size_t)((bits * 1233) >> 12);
    return n + (x >= pow10_u64[n]);
}

/* Writes exactly n digits of u (u < 10^n, zero-padded on the left) at p,
 * two at a time from the right. */
static void put_width(uint64_t u, size_t n, char *p)
{
    char *q = p + n;
    while (q - p >= 2) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        q -= 2;
        memcpy(q, digit_pairs + 2 * r, 2);
    }
    if (q > p)
        *p = (char)('0' + u);
}

/* Writes the decimal digits of u at p; returns their number. */
static size_t put_uint(uint64_t u, char *p)
{
    size_t n = count_digits(u);
    put_width(u, n, p);
    return n;
}

/* The eight decimal digits of x < 10^8 (zero-padded) as ASCII, the first in
 * the lowest byte: stored on a little-endian machine they read left to
 * right. Four, then two, then one digit per lane of 32, 16 and 8 bits, each
 * split by a multiplication that is exact for the lane's range (n * 10486
 * >> 20 is n / 100 for n < 10^4, n * 103 >> 10 is n / 10 for n < 100). */
static uint64_t eight_digits(uint32_t x)
{
    uint64_t v = (uint64_t)(x / 10000) | (uint64_t)(x % 10000) << 32;
    uint64_t top = (v * 10486) >> 20 & 0x0000007F0000007FULL;
    uint64_t pairs = ((v - 100 * top) << 16) + top;
    uint64_t tens = (pairs * 103) >> 10 & 0x000F000F000F000FULL;
    return tens + ((pairs - 10 * tens) << 8) + 0x3030303030303030ULL;
}

/* r / 10^decimals with its decimals (1 to 7) for r < 10^8, at p (24 bytes
 * of room: the digits are stored eight bytes at a time); returns the end. */
static char *put_fixed8(uint32_t r, int decimals, char *p)
{
    size_t d = (size_t)decimals, n = count_digits(r);
    size_t w = n > d ? n : d + 1; /* the digits written: a 0 before the point */
    uint64_t dg = eight_digits(r), head = dg >> (8 * (8 - w)), tail = dg >> (8 * (8 - d));
    memcpy(p, &head, 8);
    p += w - d;
    *p++ = '.';
    memcpy(p, &tail, 8);
    return p + d;
}

/* %.*f without the sign of a zero result; its length, 0 when the fast path
 * does not apply. Not inlined, nor is fast_general(): the integer path of
 * format_fast() stays short. */
__attribute__((noinline)) static size_t fast_fixed(double v, int decimals, char *out)
{
    if (decimals > 9)
        return 0;
    int64_t r = round_scaled(fabs(v), pow10_exact[decimals]);
    if (r < 0)
        return 0;
    char *p = out;
    if (v < 0 && r > 0)
        *p++ = '-';
    if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && r < 100000000 && decimals >= 1 &&
        decimals <= 7) {
        p = put_fixed8((uint32_t)r, decimals, p);
        *p = '\0';
        return (size_t)(p - out);
    }
    /* whole and fractional digits apart, by constant divisors (no division
     * instruction); written once each: reading back digits just stored
     * would stall on store forwarding */
    uint64_t u = (uint64_t)r, whole, frac;
    switch (decimals) {
    case 0: whole = u; frac = 0; break;
    case 1: whole = u / 10; frac = u % 10; break;
    case 2: whole = u / 100; frac = u % 100; break;
    case 3: whole = u / 1000; frac = u % 1000; break;
    case 4: whole = u / 10000; frac = u % 10000; break;
    case 5: whole = u / 100000; frac = u % 100000; break;
    case 6: whole = u / 1000000; frac = u % 1000000; break;
    case 7: whole = u / 10000000; frac = u % 10000000; break;
    case 8: whole = u / 100000000; frac = u % 100000000; break;
    default: whole = u / 1000000000; frac = u % 1000000000; break;
    }
    p += put_uint(whole, p);
    if (decimals > 0) {
        *p++ = '.';
        put_width(frac, (size_t)decimals, p);
        p += decimals;
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* %.15g of a finite v with 1e-4 <= |v| < 1e15; its length, 0 when the fast
 * path does not apply. */
__attribute__((noinline)) static size_t fast_general(double v, char *out)
{
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e15))
        return 0;
    /* e: the decimal exponent of a. The doubles 1e-1..1e-4 lie just above
     * the powers they stand for and the double before each just below, so
     * comparing with them decides the exponent of the exact value. */
    int e;
    if (a >= 1) {
        e = 0;
        while (e < 14 && a >= pow10_exact[e + 1])
            e++;
    } else {
        static const double neg[] = { 1e-1, 1e-2, 1e-3, 1e-4 };
        e = -1;
        while (a < neg[-e - 1])
            e--;
    }
    int64_t r = round_scaled(a, pow10_exact[14 - e]);
    if (r < 100000000000000 || r >= 1000000000000000)
        return 0; /* rounding carried into the next power of ten */
    char dig[16];
    put_width((uint64_t)r, 15, dig);
    size_t last = 14; /* the last significant digit */
    while (last > 0 && dig[last] == '0')
        last--;
    char *p = out;
    if (v < 0)
        *p++ = '-';
    if (e >= 0) {
        memcpy(p, dig, (size_t)e + 1);
        p += e + 1;
        if (last > (size_t)e) {
            *p++ = '.';
            memcpy(p, dig + e + 1, last - (size_t)e);
            p += last - (size_t)e;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int z = 0; z < -e - 1; z++)
            *p++ = '0';
        memcpy(p, dig, last + 1);
        p += last + 1;
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* The fast text of v in out (room for FZ_NUM_FAST bytes); its length, 0
 * when only snprintf can say. */
enum { FZ_NUM_FAST = 48 };

static size_t format_fast(double v, int decimals, char *out)
{
    /* an integer (years, ranks, counts, row numbers) under 1e15: its digits
     * are what %.0f and %.15g print, never "-0" */
    if (decimals <= 0 && fabs(v) < 1e15) {
        int64_t i = (int64_t)v;
        if ((double)i == v) {
            char *p = out;
            if (i < 0)
                *p++ = '-';
            p += put_uint(i < 0 ? (uint64_t)-i : (uint64_t)i, p);
            *p = '\0';
            return (size_t)(p - out);
        }
    }
    if (decimals >= 0)
        return fast_fixed(v, decimals, out);
    return fast_general(v, out);
}

size_t fz_format_num_to(double v, int decimals, char *buf, size_t n)
{
    if (!n)
        return 0;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return 0;
    }
    if (n >= FZ_NUM_FAST) { /* straight into buf */
        size_t len = format_fast(v, decimals, buf);
        if (len)
            return len;
    } else {
        char tmp[FZ_NUM_FAST];
        size_t len = format_fast(v, decimals, tmp);
        if (len) {
            if (len >= n)
                len = n - 1;
            memcpy(buf, tmp, len);
            buf[len] = '\0';
            return len;
        }
    }
    if (decimals >= 0) {
        snprintf(buf, n, "%.*f", decimals, v);
        if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
            memmove(buf, buf + 1, strlen(buf)); /* never print -0.00 */
    } else {
        snprintf(buf, n, "%.15g", v);
    }
    return strlen(buf);
}

char *fz_format_num(double v, int decimals, char *buf, size_t n)
{
    fz_format_num_to(v, decimals, buf, n);
    return buf;
}

/* fz_format_num without the fast paths: what it must always agree with. */
char *fz_format_num_slow(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    if (decimals >= 0) {
        snprintf(buf, n, "%.*f", decimals, v);
        if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
            memmove(buf, buf + 1, strlen(buf)); /* never print -0.00 */
        return buf;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v == 0 ? 0.0 : v);
        return buf;
    }
    snprintf(buf, n, "%.15g", v);
    return buf;
}

char *fz_table_format(const fz_table *t, size_t row, size_t c, char *buf, size_t n)
{
    if (t->view) {
        if (t->cols[c].type == FZ_COL_TEXT) {
            const char *s = view_text(t, row, c);
            return copy_out(s ? s : "", buf, n);
        }
        return fz_format_num(view_num(t, row, c), t->cols[c].decimals, buf, n);
    }
    const col *k = cell_col(t, row, c);
    if (fz_table_is_na(t, row, c))
        return copy_out("", buf, n);
    if (k->type == FZ_COL_TEXT)
        return copy_out(fz_table_text(t, row, c), buf, n);
    return fz_format_num(fz_table_num(t, row, c), k->decimals, buf, n);
}

const char *fz_table_cell(const fz_table *t, size_t row, size_t c, char *buf, size_t n)
{
    if (t->view) {
        if (t->cols[c].type == FZ_COL_TEXT)
            return view_text(t, row, c);
        double v = view_num(t, row, c);
        return isnan(v) ? NULL : fz_format_num(v, t->cols[c].decimals, buf, n);
    }
    if (fz_table_is_na(t, row, c))
        return NULL;
    if (t->cols[c].type == FZ_COL_TEXT)
        return fz_table_text(t, row, c);
    return fz_format_num(fz_table_num(t, row, c), t->cols[c].decimals, buf, n);
}

void fz_table_row(const fz_table *t, size_t row, fz_table_value *out, fz_buf *scratch)
{
    fz_table_row_na(t, row, out, scratch);
    if (!t->rowfn)
        return;
    const col *k = t->cols;
    for (size_t c = 0; c < t->ncols; c++)
        if (k[c].type == FZ_COL_NUM && !isfinite(out[c].num))
            out[c].num = NAN;
}

void fz_table_row_na(const fz_table *t, size_t row, fz_table_value *out, fz_buf *scratch)
{
    assert(row < t->nrows);
    const col *k = t->cols;
    if (t->rowfn) {
        t->rowfn(t->view->ctx, row, out, scratch);
        return;
    }
    if (t->view) {
        const fz_table_view *v = t->view;
        for (size_t c = 0; c < t->ncols; c++) {
            if (k[c].type == FZ_COL_TEXT) {
                scratch[c].len = 0; /* fz_buf_reset(), inline */
                scratch[c].data[0] = '\0';
                out[c].text = v->text(v->ctx, row, c, &scratch[c]);
            } else {
                double x = v->num(v->ctx, row, c);
                out[c].num = isfinite(x) ? x : NAN;
            }
        }
        return;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (k[c].type == FZ_COL_TEXT) {
            uint32_t id = ((const uint32_t *)k[c].data)[row];
            out[c].text = id ? t->strs[id] : NULL;
        } else if (k[c].wide) {
            out[c].num = ((const double *)k[c].data)[row];
        } else {
            int32_t i = ((const int32_t *)k[c].data)[row];
            out[c].num = i == INT_NA ? NAN : (double)i;
        }
    }
}
