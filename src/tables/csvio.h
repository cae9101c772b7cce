/* csvio.h: the CSV record reader and writer shared by csv.c and obscsv.c
 * (private to src/tables; the public interface is tables.h).
 *
 * Writer: fz_csvw_open() -> fz_csvw_field()... fz_csvw_end_row() ... ->
 * fz_csvw_commit() or fz_csvw_abort(). Errors are sticky: after the first
 * failed write every call is a no-op and commit reports it. UTF-8 records
 * are collected in line and written FZ_CSVW_CHUNK bytes or more at a time.
 * Reader: fz_csvr_each() calls row() for every record (header first) with the
 * physical line it starts on; broken records get a diagnostic and are
 * skipped. Field strings are borrowed for the duration of the callback. */
#ifndef FZ_TABLES_CSVIO_H
#define FZ_TABLES_CSVIO_H

#include <iconv.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "outfile.h"
#include "tables.h"

typedef struct fz_csvw {
    fz_outfile of;    /* the atomic output file */
    fz_buf     line;  /* UTF-8: records not yet written, the last one being
                       * built; GB18030: the record being built */
    size_t     rec;   /* where the record being built starts in line */
    unsigned long moved; /* times the bytes in line were written out or dropped */
    fz_buf     conv;  /* the record converted to the output encoding */
    iconv_t    cd;    /* UTF-8 -> GB18030, or (iconv_t)-1 */
    size_t     nfields; /* fields in the current record */
    long       row;   /* records written, for messages */
    int        err;   /* first error (FZ_E*), 0 while all is well */
    fz_diag   *d;
} fz_csvw;

enum { FZ_CSVW_CHUNK = 256 * 1024 };

int  fz_csvw_open(fz_csvw *w, const char *path, const fz_csv_opts *o, fz_diag *d);
/* Appends one field; text fields are guarded against formula injection. */
void fz_csvw_field(fz_csvw *w, const char *s, int is_text);
void fz_csvw_num(fz_csvw *w, double v, int decimals);  /* non-finite: empty */
void fz_csvw_int(fz_csvw *w, long v);
/* Writes v in decimal so that it ends at end (not terminated); returns its
 * first character. end needs 20 bytes before it. */
char *fz_csv_int_text(long v, char *end);

/* Writes v in decimal at p (20 bytes of room); returns its end. */
static inline char *fz_csv_digits_at(char *p, long v)
{
    size_t n = 1 + (v < 0);
    for (unsigned long x = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v; x >= 10; x /= 10)
        n++;
    fz_csv_int_text(v, p + n);
    return p + n;
}

/* 1 if v is a count, 0 <= v < 10^9 and whole: what fz_format_num_to()
 * prints with decimals of 0 or -1 is then its digits. */
static inline int fz_csv_is_count(double v)
{
    return v >= 0 && v < 1e9 && (double)(long)v == v;
}
void fz_csvw_end_row(fz_csvw *w);
/* Copies src[0..n) to dst; 1 if it holds none of , " CR LF (the bytes that
 * make a field quoted), 0 if it does. One pass: the copy is what a field
 * that needs no quotes (and no guard) is written as. */
int  fz_csv_copy_plain(char *dst, const char *src, size_t n);

/* A text starting with c gets the formula guard (fz_csvw_field()). */
static inline int fz_csv_guarded(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Copies the text s[0..n) (n > 0) to dst; 1 if that is how fz_csvw_field()
 * writes it (no guard, no quotes), 0 if not (dst then holds a copy all the
 * same). */
static inline int fz_csv_copy_text(char *dst, const char *s, size_t n)
{
    return !fz_csv_guarded(s[0]) && s[0] != ' ' && s[n - 1] != ' ' &&
           fz_csv_copy_plain(dst, s, n);
}

/* The text field s[0..n) written as fz_csvw_field() writes it at p, in the
 * record being built, just after its separator; for a text that
 * fz_csv_copy_text() does not take. Room for need bytes is reserved after
 * it. Returns the new end of the record (the buffer may have moved). */
char *fz_csvw_text_at(fz_csvw *w, char *p, const char *s, size_t n, size_t need);
int  fz_csvw_commit(fz_csvw *w);   /* 0 or FZ_E*; releases w */
void fz_csvw_abort(fz_csvw *w);

/* Return 0 to continue, <0 to stop reading (that value is returned). */
typedef int (*fz_csvr_row_fn)(void *ctx, long line, char **fields, size_t n);
int fz_csvr_each(const char *path, fz_diag *d, fz_csvr_row_fn row, void *ctx);

/* Removes the ' that fz_csvw_field put before = + - @ TAB CR. */
const char *fz_csv_unguard(const char *s);

#endif
