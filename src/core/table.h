/* table.h: a small typed table (text and number columns, NA cells) that
 * stats/ produces and tables/ (CSV, xlsx) and plots/ consume.
 *
 * Every cell starts NA. Text is copied into the table; pointers returned are
 * borrowed until fz_table_free(). Number columns carry the number of decimals
 * to print (-1: shortest exact form, %.15g trimmed). */
#ifndef FZ_TABLE_H
#define FZ_TABLE_H

#include <stddef.h>

#include "buf.h"

typedef enum { FZ_COL_TEXT, FZ_COL_NUM } fz_coltype;

typedef struct fz_table fz_table;

/* A cell as a writer reads it: the text of a text column (NULL for NA) or
 * the number of a number column (NaN for NA). */
typedef union fz_table_value {
    const char *text;
    double      num;
} fz_table_value;

/* A view is a table whose cells are computed when read, from data its
 * creator keeps, instead of being stored: a large table that only restates
 * another structure row by row costs no memory of its own. Columns are added
 * as for any table; rows are fixed at creation and cannot be set. Callbacks
 * must be safe to call from several threads at once. */
typedef struct fz_table_view {
    const void *ctx;
    /* The number in a number column; a non-finite result is NA. */
    double (*num)(const void *ctx, size_t row, size_t col);
    /* The text of a text column, NULL for NA. It stays valid until
     * fz_table_free(), or it is built in scratch (given empty): then a
     * pointer from fz_table_text() is valid only until the next read of
     * that view's text on the same thread. */
    const char *(*text)(const void *ctx, size_t row, size_t col, fz_buf *scratch);
    void (*release)(const void *ctx); /* called by fz_table_free(); may be NULL */
} fz_table_view;

/* Every cell of a view's row at once, for fz_table_row(): what the view's
 * num and text give cell by cell (a non-finite number is NA); a text it
 * builds for column c is built in scratch[c], which it resets first.
 * Optional; set with fz_table_set_row_fn(). */
typedef void (*fz_table_row_fn)(const void *ctx, size_t row, fz_table_value *out,
                                fz_buf *scratch);

fz_table   *fz_table_new(const char *name);      /* name: e.g. "long", used for file names */
fz_table   *fz_table_new_view(const char *name, size_t nrows, const fz_table_view *v);
void        fz_table_set_row_fn(fz_table *t, fz_table_row_fn row); /* a view's */
void        fz_table_free(fz_table *t);          /* NULL is fine */
const char *fz_table_name(const fz_table *t);

/* Columns must all be added before the first row. Returns the column index. */
size_t fz_table_add_col(fz_table *t, const char *name, fz_coltype type, int decimals);
size_t fz_table_add_row(fz_table *t);            /* all cells NA; returns row index */
/* Puts the rows in the order given: new row i is old row order[i]; order is
 * a permutation of 0..nrows-1. Text pointers stay valid. */
void   fz_table_reorder(fz_table *t, const size_t *order);

void fz_table_set_text(fz_table *t, size_t row, size_t col, const char *s); /* NULL: NA */
/* Like fz_table_set_text() without the copy: s must stay valid and unchanged
 * until fz_table_free(). For long unique texts owned by something that
 * outlives the table (the phrases and snippets of an fz_obs). */
void fz_table_set_text_ref(fz_table *t, size_t row, size_t col, const char *s);
void fz_table_set_num(fz_table *t, size_t row, size_t col, double v);       /* non-finite: NA */
void fz_table_set_na(fz_table *t, size_t row, size_t col);

size_t      fz_table_nrows(const fz_table *t);
size_t      fz_table_ncols(const fz_table *t);
const char *fz_table_colname(const fz_table *t, size_t col);
fz_coltype  fz_table_coltype(const fz_table *t, size_t col);
int         fz_table_decimals(const fz_table *t, size_t col); /* of a number column */
int         fz_table_find_col(const fz_table *t, const char *name); /* index or -1 */
int         fz_table_is_na(const fz_table *t, size_t row, size_t col);
double      fz_table_num(const fz_table *t, size_t row, size_t col);   /* NAN if NA/text */
const char *fz_table_text(const fz_table *t, size_t row, size_t col);  /* "" if NA/number */

/* The cell as CSV text: NA is "", numbers use the column's decimals.
 * Writes at most n bytes including the NUL; returns buf. */
char *fz_table_format(const fz_table *t, size_t row, size_t col, char *buf, size_t n);

/* The cell for a writer, read once: NULL for NA, else the text of a text
 * column (valid as fz_table_text()'s is) or the number formatted into buf
 * (at most n bytes including the NUL) as fz_table_format() does. */
const char *fz_table_cell(const fz_table *t, size_t row, size_t col, char *buf, size_t n);

/* Reads the cells of row into out[0..ncols), for writers that go through a
 * table row by row. scratch: ncols buffers (fz_buf_init()) that the caller
 * owns; a text a view builds for column c is built in scratch[c] and stays
 * valid until the next read into the same buffers. Other texts are valid as
 * fz_table_text()'s are. */
void fz_table_row(const fz_table *t, size_t row, fz_table_value *out, fz_buf *scratch);
/* fz_table_row() without its last pass over the cells: a number column's
 * NA may be +-inf as well as NaN (a view's row function gives what it
 * computed). For a writer that writes every non-finite number as NA. */
void fz_table_row_na(const fz_table *t, size_t row, fz_table_value *out, fz_buf *scratch);

/* Formats v like fz_table_format does for a number column (shared with plots). */
char *fz_format_num(double v, int decimals, char *buf, size_t n);
/* The same, returning the length of the text written into buf. */
size_t fz_format_num_to(double v, int decimals, char *buf, size_t n);
/* The same through snprintf only (the reference for tests). */
char *fz_format_num_slow(double v, int decimals, char *buf, size_t n);

#endif
