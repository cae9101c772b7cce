/* tables.h: reading and writing fzstat's tables as CSV (libcsv), JSON Lines
 * and xlsx (libxlsxwriter).
 *
 * This module owns libcsv and libxlsxwriter: no other module includes csv.h
 * or xlsxwriter.h. It links only fzcore, so it knows fz_table and fz_obs but
 * not stats/ or plots/: callers hand it arrays of fz_table pointers.
 *
 * Writers are atomic (fz_outfile: temp file + fsync + rename, or temp + rename
 * for xlsx): on failure the previous file under the final name survives.
 * CSV is RFC 4180 (CRLF line ends, quotes doubled, fields quoted only when
 * needed), UTF-8 unless o->encoding says "gb18030". NA is an empty cell.
 * Text cells beginning with = + - @ TAB or CR are prefixed with ' so a
 * spreadsheet never runs them as formulas; number columns are left alone.
 *
 * Readers report every problem (file, line) through the fz_diag the caller
 * passes, skip the bad row and go on. Limits: a file is at most
 * FZ_CSV_MAX_BYTES, a field at most FZ_CSV_MAX_FIELD bytes, a row at most
 * FZ_CSV_MAX_COLS fields. Pointers returned are owned by the caller as
 * documented per function. */
#ifndef FZ_TABLES_H
#define FZ_TABLES_H

#include <stddef.h>

#include "diag.h"
#include "obs.h"
#include "table.h"

#define FZ_CSV_MAX_BYTES ((size_t)512 * 1024 * 1024) /* whole input file */
#define FZ_CSV_MAX_FIELD ((size_t)1024 * 1024)       /* one cell */
#define FZ_CSV_MAX_COLS  4096                        /* cells in one row */

typedef struct fz_csv_opts {
    int         excel_bom;      /* 1: start with a UTF-8 BOM (ignored for gb18030) */
    const char *encoding;       /* NULL, "utf-8" or "gb18030" */
    int         all_quantities; /* observations CSV: add the noun column */
} fz_csv_opts;

/* Writes t (header row + rows) to path atomically. o may be NULL (UTF-8, no
 * BOM). 0, FZ_EIO, or FZ_EINPUT (text not representable in the encoding). */
int fz_csv_write_table(const fz_table *t, const char *path, const fz_csv_opts *o,
                       fz_diag *d);

/* Reads a CSV with a header row into a table of text columns named by the
 * header (BOM stripped). Rows with the wrong number of fields or broken
 * quoting get one diagnostic each and are skipped. Returns NULL (with a
 * diagnostic) if the file cannot be read, is too large or has no header.
 * Caller frees with fz_table_free(). The table is named after the file's base
 * name without ".csv". */
fz_table *fz_csv_read_table(const char *path, fz_diag *d);

/* Observation CSV columns, in order:
 *   doc,file,region_code,region_name,province,prefecture,county,township,
 *   level,year,published,indicator,value,value_high,unit,qualifier,primary,
 *   page,line,phrase,snippet  (+ noun when o->all_quantities)
 * doc is the 1-based document number; NA cells are empty (year of a document
 * without one, value_high of a non-range, page 0). */
int fz_obs_write_csv(const fz_obs *obs, const char *path, const fz_csv_opts *o,
                     fz_diag *d);

/* Documents CSV columns, in order:
 *   doc,file,format,encoding,source,ocr_confidence,bytes,warnings,traditional,
 *   title,region_code,region_name,province,prefecture,county,township,level,
 *   department,region_status,region_method,region_confidence,
 *   region_candidates,report_year,year_method,published,figures,ambiguous */
int fz_obs_write_docs_csv(const fz_obs *obs, const char *path, const fz_csv_opts *o,
                          fz_diag *d);

/* Observations as JSON Lines: one object per row with the observation CSV's
 * keys; NA is null, numbers are JSON numbers. UTF-8 always. */
int fz_obs_write_jsonl(const fz_obs *obs, const char *path, const fz_csv_opts *o,
                       fz_diag *d);

/* Reads an observations CSV (as written above; columns found by header name,
 * any order, extra columns ignored; indicator and value are required) and
 * appends to out: one document per distinct doc number (or file when there is
 * no doc column), one row per CSV row. The 1-based data row number of each
 * CSV row is its obs_row when no row was skipped (out's row i is the
 * (i+1)-th accepted data row; when rows were skipped a NOTE says so). Bad rows (wrong column count, broken quoting, non-numeric value,
 * unknown qualifier or level) get one diagnostic each and are skipped.
 * 0; FZ_EIO/FZ_ELIMIT/FZ_ENOTFOUND (missing required column) for the file. */
int fz_obs_read_csv(const char *path, fz_obs *out, fz_diag *d);

/* Writes each table to dir/<name>.csv (fz_table_name). dir is created if
 * missing. Every table is attempted; returns 0 or the first error. */
int fz_tables_write_all(const fz_table *const *tables, size_t n, const char *dir,
                        const fz_csv_opts *o, fz_diag *d);

/* One workbook, one sheet per table (sheet named after the table, truncated
 * to 31 characters), header row bold and frozen, number columns written as
 * numbers, NA cells left blank. Atomic: written to a temp file, then renamed.
 * 0, FZ_EIO. */
int fz_xlsx_write(const fz_table *const *tables, size_t n, const char *path, fz_diag *d);

#endif
