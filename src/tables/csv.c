/* csv.c: CSV: the record writer (quoting as libcsv's csv_write(), formula
 * guard, BOM, GB18030 via glibc iconv), the record reader (strict libcsv parse of
 * one record at a time so a broken row is reported and skipped without losing
 * the rest), and the generic table reader and writers of tables.h. */
#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "err.h"
#include "xalloc.h"

/* ---- writer ------------------------------------------------------------ */

int fz_csvw_open(fz_csvw *w, const char *path, const fz_csv_opts *o, fz_diag *d)
{
    memset(w, 0, sizeof *w);
    w->cd = (iconv_t)-1;
    w->d = d;
    fz_buf_init(&w->line);
    fz_buf_init(&w->conv);
    const char *enc = o && o->encoding ? o->encoding : "utf-8";
    int gb = 0;
    if (strcasecmp(enc, "gb18030") == 0) {
        gb = 1;
    } else if (strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': unknown encoding '%s'",
                    path, enc);
        goto fail_bufs;
    }
    if (gb) {
        w->cd = iconv_open("GB18030", "UTF-8");
        if (w->cd == (iconv_t)-1) {
            fz_diag_add(d, FZ_DIAG_FATAL, path, 0,
                        "cannot write '%s': GB18030 conversion unavailable", path);
            goto fail_bufs;
        }
    }
    if (fz_outfile_open(&w->of, path, d) < 0)
        goto fail_iconv;
    if (!gb && o && o->excel_bom && fputs("\xEF\xBB\xBF", w->of.fp) == EOF)
        w->err = FZ_EIO;
    return 0;
fail_iconv:
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
fail_bufs:
    fz_buf_release(&w->line);
    fz_buf_release(&w->conv);
    return FZ_EIO;
}

/* A spreadsheet runs a cell starting with = + - @ as a formula (and TAB/CR
 * can smuggle one in), so such text gets a leading apostrophe. */
static int needs_guard(const char *s)
{
    return fz_csv_guarded(s[0]);
}

const char *fz_csv_unguard(const char *s)
{
    return (s[0] == '\'' && needs_guard(s + 1)) ? s + 1 : s;
}

/* 1 if one of the 8 bytes of x is , " CR or LF: a byte of y is zero iff
 * (y - 0x01..) & ~y has its high bit (a borrow can only set high bits above
 * a zero byte, which is a hit anyway). */
static inline int special_bytes(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t a = x ^ (ones * ','), b = x ^ (ones * '"'), c = x ^ (ones * '\r'),
             d = x ^ (ones * '\n');
    uint64_t z = ((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) | ((d - ones) & ~d);
    return (z & high) != 0;
}

/* 1 if src[0..n) holds a , " CR or LF. Eight bytes at a time. */
static int has_special(const char *src, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, src + i, 8);
        if (special_bytes(x))
            return 1;
    }
    for (; i < n; i++) {
        char c = src[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            return 1;
    }
    return 0;
}

/* Appends src[0..n) to the record, quoted when it has to be. */
static void add_field(fz_csvw *w, const char *src, size_t n)
{
    int quote = (n && (src[0] == ' ' || src[n - 1] == ' ')) || has_special(src, n);
    if (quote) {
        /* as libcsv's csv_write(): in quotes, each quote doubled */
        fz_buf_reserve(&w->line, 2 * n + 3);
        char *p = w->line.data + w->line.len;
        *p++ = '"';
        for (const char *q = src, *end = src + n; q < end;) {
            const char *dq = memchr(q, '"', (size_t)(end - q));
            size_t k = (size_t)((dq ? dq + 1 : end) - q);
            memcpy(p, q, k);
            p += k;
            q += k;
            if (dq)
                *p++ = '"';
        }
        *p++ = '"';
        *p = '\0';
        w->line.len = (size_t)(p - w->line.data);
    } else {
        fz_buf_add(&w->line, src, n);
    }
}

/* Appends the field s[0..n) (after its separator): guarded and quoted as
 * it has to be. */
static void field_body(fz_csvw *w, const char *s, size_t n, int is_text)
{
    if (is_text && needs_guard(s)) {
        char small[256];
        char *g = n + 2 <= sizeof small ? small : fz_xmalloc(n + 2);
        g[0] = '\'';
        memcpy(g + 1, s, n + 1);
        add_field(w, g, n + 1);
        if (g != small)
            free(g);
        return;
    }
    add_field(w, s, n);
}

void fz_csvw_field(fz_csvw *w, const char *s, int is_text)
{
    if (w->err)
        return;
    if (!s)
        s = "";
    if (w->nfields++)
        fz_buf_addc(&w->line, ',');
    field_body(w, s, strlen(s), is_text);
}

void fz_csvw_num(fz_csvw *w, double v, int decimals)
{
    char b[64];
    fz_csvw_field(w, fz_format_num(v, decimals, b, sizeof b), 0);
}

char *fz_csv_int_text(long v, char *end)
{
    char *p = end;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

void fz_csvw_int(fz_csvw *w, long v)
{
    char b[32];
    b[sizeof b - 1] = '\0';
    fz_csvw_field(w, fz_csv_int_text(v, b + sizeof b - 1), 0);
}

static int convert(fz_csvw *w)
{
    fz_buf_reset(&w->conv);
    fz_buf_reserve(&w->conv, w->line.len * 2 + 8);
    char *in = w->line.data;
    size_t inleft = w->line.len;
    iconv(w->cd, NULL, NULL, NULL, NULL);
    while (inleft) {
        char *out = w->conv.data + w->conv.len;
        size_t outleft = w->conv.cap - w->conv.len - 1;
        size_t r = iconv(w->cd, &in, &inleft, &out, &outleft);
        w->conv.len = (size_t)(out - w->conv.data);
        if (r == (size_t)-1) {
            if (errno == E2BIG) {
                fz_buf_reserve(&w->conv, inleft * 4 + 16);
                continue;
            }
            return -1;
        }
    }
    w->conv.data[w->conv.len] = '\0';
    return 0;
}

/* Writes the whole records collected in line. */
static void csvw_flush(fz_csvw *w)
{
    if (!w->err && w->rec && fwrite(w->line.data, 1, w->rec, w->of.fp) != w->rec)
        w->err = FZ_EIO;
    size_t rest = w->line.len - w->rec;
    memmove(w->line.data, w->line.data + w->rec, rest);
    w->line.len = rest;
    w->line.data[rest] = '\0';
    w->rec = 0;
    w->moved++;
}

void fz_csvw_end_row(fz_csvw *w)
{
    w->row++;
    w->nfields = 0;
    if (w->err) {
        fz_buf_reset(&w->line);
        w->rec = 0;
        w->moved++;
        return;
    }
    fz_buf_add(&w->line, "\r\n", 2);
    w->rec = w->line.len;
    if (w->cd == (iconv_t)-1) {
        if (w->line.len >= FZ_CSVW_CHUNK)
            csvw_flush(w);
        return;
    }
    if (convert(w) < 0) {
        fz_diag_add(w->d, FZ_DIAG_FATAL, w->of.path, 0,
                    "cannot write '%s': record %ld is not valid UTF-8 or has no GB18030 form",
                    w->of.path, w->row);
        w->err = FZ_EINPUT;
    } else if (fwrite(w->conv.data, 1, w->conv.len, w->of.fp) != w->conv.len) {
        w->err = FZ_EIO;
    }
    fz_buf_reset(&w->line);
    w->rec = 0;
    w->moved++;
}

static void csvw_release(fz_csvw *w)
{
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    w->cd = (iconv_t)-1;
    fz_buf_release(&w->line);
    fz_buf_release(&w->conv);
}

void fz_csvw_abort(fz_csvw *w)
{
    fz_outfile_abort(&w->of);
    csvw_release(w);
}

int fz_csvw_commit(fz_csvw *w)
{
    csvw_flush(w);
    if (w->err) {
        if (w->err == FZ_EIO)
            fz_diag_add(w->d, FZ_DIAG_FATAL, w->of.path, 0, "cannot write '%s': %s",
                        w->of.path, strerror(errno ? errno : EIO));
        int e = w->err;
        fz_csvw_abort(w);
        return e;
    }
    csvw_release(w);
    return fz_outfile_commit(&w->of, w->d);
}

/* 1 if no byte of x is below 0x2D, as none of most text's is (ideographs,
 * digits, letters): then none is , " CR or LF, which all are. Exact: the
 * lowest byte below 0x2D borrows and keeps its high bit clear in x; with
 * none below, nothing borrows and no byte of x - 0x2D.. gets a high bit
 * that x does not have. */
static inline int no_low_bytes(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    return ((x - ones * 0x2D) & ~x & high) == 0;
}

int fz_csv_copy_plain(char *dst, const char *src, size_t n)
{
#ifdef __SSE2__
    if (n >= 16) {
        const __m128i lim = _mm_set1_epi8(0x2C);
        __m128i low = _mm_setzero_si128();
        size_t i = 0;
        for (;; i += 16) {
            if (i + 16 > n)
                i = n - 16; /* the last block overlaps the one before */
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
            _mm_storeu_si128((__m128i *)(void *)(dst + i), x);
            low = _mm_or_si128(low, _mm_cmpeq_epi8(_mm_min_epu8(x, lim), x)); /* x <= 0x2C */
            if (i + 16 == n)
                break;
        }
        /* a space, '(' or '%' among the bytes: look for the four */
        return _mm_movemask_epi8(low) == 0 || !has_special(src, n);
    }
#endif
    if (n >= 8) { /* two words, overlapping when n < 16 */
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
        return (no_low_bytes(a) && no_low_bytes(b)) || (!special_bytes(a) && !special_bytes(b));
    }
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
        return !special_bytes(a) && !special_bytes(b); /* the zero bytes added are not special */
    }
    int plain = 1;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        dst[i] = c;
        plain &= !(c == ',' || c == '"' || c == '\r' || c == '\n');
    }
    return plain;
}

char *fz_csvw_text_at(fz_csvw *w, char *p, const char *s, size_t n, size_t need)
{
    fz_buf *b = &w->line;
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
    field_body(w, s, n, 1);
    fz_buf_reserve(b, need);
    return b->data + b->len;
}

/* A column as the table writer sees it, with what it wrote last: a column
 * often repeats the row before (a region's code, name and level, a year, a
 * document's file). The same text pointer is the same text unless the view
 * built it in the column's scratch buffer; the same number (bit for bit)
 * is the same text. */
typedef struct wcol {
    int         text;   /* a text column */
    int         dec;    /* a number column's decimals */
    const char *s;      /* the last text written as it is (not in scratch) */
    size_t      n;      /* its length */
    uint64_t    vbits;  /* the last number written, if vn < 32 */
    size_t      vn;     /* the length of its text */
    size_t      vat;    /* where its text is in the record buffer */
    unsigned long vmoved; /* the buffer's moved count then */
    size_t      rest;   /* the room the columns after it need but texts' */
} wcol;

enum { NUM_CELL_MAX = 256 }; /* a number cell is cut at 255 bytes */

/* Writes the number v (not NaN) at p, which has NUM_CELL_MAX bytes of room
 * in the record buffer; returns the end (p itself for +-inf: NA, as
 * fz_format_num_to() writes it). A number is digits, '.', '-', 'e'
 * and '+': never quoted or guarded. The same number as the column's last
 * one is copied from where that was written, while it is still in the
 * buffer (a row or more back: copying the text just formatted would stall
 * on store forwarding). */
static char *num_cell(fz_csvw *w, char *p, double v, wcol *k)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if (bits == k->vbits && k->vmoved == w->moved) {
        char t[32]; /* the two may overlap: through registers */
        memcpy(t, w->line.data + k->vat, sizeof t);
        memcpy(p, t, sizeof t);
        return p + k->vn;
    }
    size_t n = k->dec <= 0 && fz_csv_is_count(v) ? (size_t)(fz_csv_digits_at(p, (long)v) - p)
                                                  : fz_format_num_to(v, k->dec, p, NUM_CELL_MAX);
    if (n < 32) {
        k->vbits = bits;
        k->vn = n;
        k->vat = (size_t)(p - w->line.data);
        k->vmoved = w->moved;
    }
    return p + n;
}

/* Appends the cells of a row (fz_table_row_na()) to the record. The room
 * for what follows a column (k->rest: NUM_CELL_MAX for a number, a comma
 * for each) is reserved at the row's start and at each text with the
 * text's length; a text that needs a guard or quotes goes through
 * fz_csvw_field()'s code and the room is reserved again after it. A text
 * is copied as it is when it needs neither (most text). */
static void row_cells(fz_csvw *w, const fz_table_value *cells, size_t nc, wcol *cols,
                      const fz_buf *scratch)
{
    fz_buf *b = &w->line;
    fz_buf_reserve(b, cols[nc].rest);
    char *p = b->data + b->len;
    for (size_t c = 0; c < nc; c++) {
        wcol *k = &cols[c];
        *p = ',';
        p += c != 0;
        if (!k->text) {
            if (!isnan(cells[c].num))
                p = num_cell(w, p, cells[c].num, k);
            continue;
        }
        const char *s = cells[c].text;
        if (!s)
            continue;
        size_t n = s == k->s ? k->n : strlen(s);
        b->len = (size_t)(p - b->data);
        fz_buf_reserve(b, n + k->rest);
        p = b->data + b->len;
        if (s == k->s) {
            memcpy(p, s, n);
            p += n;
            continue;
        }
        if (!n)
            continue;
        if (fz_csv_copy_text(p, s, n)) {
            p += n;
            uintptr_t a = (uintptr_t)s, from = (uintptr_t)scratch[c].data;
            if (a < from || a >= from + scratch[c].cap) {
                k->s = s;
                k->n = n;
            }
            continue;
        }
        p = fz_csvw_text_at(w, p, s, n, k->rest);
    }
    b->len = (size_t)(p - b->data);
    *p = '\0';
}

int fz_csv_write_table(const fz_table *t, const char *path, const fz_csv_opts *o,
                       fz_diag *d)
{
    fz_csvw w;
    if (fz_csvw_open(&w, path, o, d) < 0)
        return FZ_EIO;
    size_t nc = fz_table_ncols(t), nr = fz_table_nrows(t);
    for (size_t c = 0; c < nc; c++)
        fz_csvw_field(&w, fz_table_colname(t, c), 1);
    fz_csvw_end_row(&w);
    wcol *cols = fz_xcalloc(nc + 1, sizeof *cols);
    fz_table_value *cells = fz_xmalloc((nc + 1) * sizeof *cells);
    fz_buf *scratch = fz_xmalloc((nc + 1) * sizeof *scratch);
    const double nan = NAN;
    uint64_t nanbits; /* never compared equal: NaN is written as NA first */
    memcpy(&nanbits, &nan, sizeof nanbits);
    size_t rest = 2; /* the row's end and its NUL */
    for (size_t c = nc; c-- > 0;) {
        cols[c].text = fz_table_coltype(t, c) == FZ_COL_TEXT;
        cols[c].dec = fz_table_decimals(t, c);
        cols[c].vbits = nanbits;
        cols[c].rest = rest;
        rest += 1 + (cols[c].text ? 0 : NUM_CELL_MAX);
        fz_buf_init(&scratch[c]);
    }
    cols[nc].rest = rest; /* the whole row's but its texts */
    for (size_t r = 0; r < nr && !w.err; r++) {
        fz_table_row_na(t, r, cells, scratch);
        row_cells(&w, cells, nc, cols, scratch);
        w.nfields = nc;
        fz_csvw_end_row(&w);
    }
    for (size_t c = 0; c < nc; c++)
        fz_buf_release(&scratch[c]);
    free(scratch);
    free(cells);
    free(cols);
    return fz_csvw_commit(&w);
}

int fz_tables_write_all(const fz_table *const *tables, size_t n, const char *dir,
                        const fz_csv_opts *o, fz_diag *d)
{
    if (fz_mkdirs(dir, d) < 0)
        return FZ_EIO;
    int first = 0;
    for (size_t i = 0; i < n; i++) {
        if (!tables[i])
            continue;
        char *path = fz_xasprintf("%s/%s.csv", dir, fz_table_name(tables[i]));
        int rc = fz_csv_write_table(tables[i], path, o, d);
        free(path);
        if (rc < 0 && !first)
            first = rc;
    }
    return first;
}

/* ---- reader ------------------------------------------------------------ */

typedef struct rec {
    fz_buf  bytes;   /* field contents, each NUL-terminated */
    size_t *offs;    /* start of each field in bytes */
    size_t  n, cap;  /* fields */
    int     bad;     /* a field too long or too many fields */
    int     done;    /* cb2 seen */
} rec;

static void on_field(void *s, size_t len, void *data)
{
    rec *r = data;
    if (r->bad)
        return;
    if (len > FZ_CSV_MAX_FIELD || r->n >= FZ_CSV_MAX_COLS) {
        r->bad = 1;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->offs = fz_xreallocarray(r->offs, r->cap, sizeof *r->offs);
    }
    r->offs[r->n++] = r->bytes.len;
    if (len)
        fz_buf_add(&r->bytes, s, len);
    fz_buf_addc(&r->bytes, '\0');
}

static void on_row(int c, void *data)
{
    (void)c;
    ((rec *)data)->done = 1;
}

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Parses one record strictly. 0, or -1 with *why set. */
static int parse_record(const char *s, size_t len, rec *r, const char **why)
{
    struct csv_parser p;
    fz_buf_reset(&r->bytes);
    r->n = 0;
    r->bad = r->done = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        *why = "parser failed";
        return -1;
    }
    csv_set_space_func(&p, never_space);
    int rc = 0;
    if (csv_parse(&p, s, len, on_field, on_row, r) != len) {
        *why = "broken quoting";
        rc = -1;
    } else if (csv_fini(&p, on_field, on_row, r) != 0) {
        *why = "unterminated quote";
        rc = -1;
    } else if (r->bad) {
        *why = "field too long or too many fields";
        rc = -1;
    }
    csv_free(&p);
    return rc;
}

enum { INPUT_SLICE = 8 << 20 }; /* bytes checked or parsed between drops */

/* Drops the mapped pages wholly inside data[from, to) from this process
 * (the file stays in the page cache): parsed input costs no memory. */
static void input_done(char *data, size_t from, size_t to)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)data + from + pg - 1) / pg * pg, b = ((uintptr_t)data + to) / pg * pg;
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static void input_release(char *data, size_t size, int mapped)
{
    if (mapped)
        munmap(data, size);
    else
        free(data);
}

/* The input file, mapped (or read, if it cannot be mapped); *mapped says
 * which, for input_release(). A large input is not copied into the heap: the
 * pages already parsed are dropped as the parse goes on (input_done()). */
static char *input_open(const char *path, size_t *n, int *mapped, fz_diag *d, int *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot read '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        *err = errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO;
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > FZ_CSV_MAX_BYTES) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot read '%s': %s", path,
                    S_ISREG(st.st_mode) ? "larger than 512 MiB" : "not a regular file");
        close(fd);
        *err = S_ISREG(st.st_mode) ? FZ_ELIMIT : FZ_EINPUT;
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *data = NULL;
    *mapped = 0;
    if (size > 0) {
        void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            data = m;
            *mapped = 1;
        }
    }
    size_t got = size;
    if (!*mapped) {
        data = fz_xmalloc(size + 1);
        got = 0;
        while (got < size) {
            ssize_t k = read(fd, data + got, size - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        data[got < size ? got : size] = '\0';
    }
    close(fd);
    if (got != size) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot read '%s': short read", path);
        free(data);
        *err = FZ_EIO;
        return NULL;
    }
    /* a NUL anywhere: refused before any row is read (checked a slice at a
     * time, each dropped once checked) */
    int binary = 0;
    for (size_t at = 0; at < size && !binary; at += INPUT_SLICE) {
        size_t len = size - at < INPUT_SLICE ? size - at : INPUT_SLICE;
        binary = memchr(data + at, '\0', len) != NULL;
        if (*mapped)
            input_done(data, at, at + len);
    }
    if (binary) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot read '%s': binary file", path);
        input_release(data, size, *mapped);
        *err = FZ_EINPUT;
        return NULL;
    }
    *n = size;
    return data;
}

int fz_csvr_each(const char *path, fz_diag *d, fz_csvr_row_fn row, void *ctx)
{
    size_t size = 0, dropped = 0;
    int err = 0, mapped = 0;
    char *data = input_open(path, &size, &mapped, d, &err);
    if (!data)
        return err;
    size_t pos = 0;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    rec r = { 0 };
    fz_buf_init(&r.bytes);
    char **fields = NULL;
    size_t ncap = 0, header_n = 0;
    int have_header = 0, rc = 0;
    long line = 1;
    while (pos < size) {
        if (mapped && pos - dropped >= INPUT_SLICE) {
            input_done(data, dropped, pos);
            dropped = pos;
        }
        /* Find the end of the record: a LF outside quotes. */
        size_t end = pos, nl = 0;
        int inq = 0;
        while (end < size && (inq || data[end] != '\n')) {
            if (data[end] == '"')
                inq = !inq;
            else if (data[end] == '\n')
                nl++;
            end++;
        }
        size_t stop = end;
        if (stop > pos && data[stop - 1] == '\r')
            stop--;
        const char *why = NULL;
        if (stop == pos) { /* blank line */
            pos = end + 1;
            line += 1 + (long)nl;
            continue;
        }
        if (inq) {
            why = "unterminated quote";
        } else if (parse_record(data + pos, stop - pos, &r, &why) == 0 && r.n == 0) {
            pos = end + 1;
            line += 1 + (long)nl;
            continue;
        }
        if (why) {
            fz_diag_add(d, FZ_DIAG_SKIP, path, line, "'%s': row skipped: %s", path, why);
            /* Resynchronize on the next physical line: a stray quote must not
             * swallow the rows after it. */
            const char *lf = memchr(data + pos, '\n', size - pos);
            pos = lf ? (size_t)(lf - data) + 1 : size;
            line++;
            continue;
        }
        if (r.n > ncap) {
            ncap = r.n;
            fields = fz_xreallocarray(fields, ncap, sizeof *fields);
        }
        for (size_t i = 0; i < r.n; i++)
            fields[i] = r.bytes.data + r.offs[i];
        if (!have_header) {
            have_header = 1;
            header_n = r.n;
            rc = row(ctx, line, fields, r.n);
        } else if (r.n != header_n) {
            fz_diag_add(d, FZ_DIAG_SKIP, path, line,
                        "'%s': row skipped: %zu fields, the header has %zu", path, r.n,
                        header_n);
        } else {
            rc = row(ctx, line, fields, r.n);
        }
        if (rc < 0)
            break;
        pos = end + 1;
        line += 1 + (long)nl;
    }
    if (!have_header && rc == 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot read '%s': no header row", path);
        rc = FZ_EINPUT;
    }
    free(fields);
    free(r.offs);
    fz_buf_release(&r.bytes);
    input_release(data, size, mapped);
    return rc;
}

typedef struct tabctx {
    fz_table *t;
    int header_done;
} tabctx;

static int table_row(void *ctx, long line, char **f, size_t n)
{
    (void)line;
    tabctx *c = ctx;
    if (!c->header_done) {
        for (size_t i = 0; i < n; i++)
            fz_table_add_col(c->t, f[i], FZ_COL_TEXT, -1);
        c->header_done = 1;
        return 0;
    }
    size_t r = fz_table_add_row(c->t);
    for (size_t i = 0; i < n; i++)
        fz_table_set_text(c->t, r, i, fz_csv_unguard(f[i]));
    return 0;
}

fz_table *fz_csv_read_table(const char *path, fz_diag *d)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bl = strlen(base);
    if (bl > 4 && strcasecmp(base + bl - 4, ".csv") == 0)
        bl -= 4;
    char *name = fz_xstrndup(base, bl);
    tabctx c = { fz_table_new(name), 0 };
    free(name);
    if (fz_csvr_each(path, d, table_row, &c) < 0) {
        fz_table_free(c.t);
        return NULL;
    }
    return c.t;
}
