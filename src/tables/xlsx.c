/* xlsx.c: tables as one xlsx workbook (libxlsxwriter), one sheet per table.
 * Number columns are written as numbers, text as strings (a string cell is
 * never evaluated, so no formula guard is needed here), NA cells are left
 * blank. The creation date is fixed ($SOURCE_DATE_EPOCH or 2000-01-01) so the
 * same tables give the same bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "err.h"
#include "tables.h"
#include "xalloc.h"

#define FZ_XLSX_EPOCH 946684800 /* 2000-01-01T00:00:00Z */
#define XLSX_MAX_ROWS 1048576   /* Excel's sheet limit, header included */
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_TEXT 32767     /* characters in one cell */

static time_t fixed_time(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v > 0)
            return (time_t)v;
    }
    return (time_t)FZ_XLSX_EPOCH;
}

/* Sheet names: at most 31 characters, none of []:*?/\ , unique. */
static void sheet_name(const char *table, size_t i, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = table; *p && k < 28 && k + 1 < n; p++)
        out[k++] = strchr("[]:*?/\\'", *p) ? '_' : *p;
    out[k] = '\0';
    if (k == 0)
        snprintf(out, n, "sheet%zu", i + 1);
}

static lxw_error write_sheet(lxw_workbook *wb, const fz_table *t, size_t i, lxw_format *bold,
                             char *name, size_t namelen)
{
    sheet_name(fz_table_name(t), i, name, namelen);
    if (workbook_get_worksheet_by_name(wb, name))
        snprintf(name + strlen(name), namelen - strlen(name), "%zu", i + 1);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    size_t nc = fz_table_ncols(t), nr = fz_table_nrows(t);
    if (nc > XLSX_MAX_COLS || nr + 1 > XLSX_MAX_ROWS)
        return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < nc && !e; c++)
        e = worksheet_write_string(ws, 0, (lxw_col_t)c, fz_table_colname(t, c), bold);
    for (size_t r = 0; r < nr && !e; r++)
        for (size_t c = 0; c < nc && !e; c++) {
            if (fz_table_is_na(t, r, c))
                continue;
            lxw_row_t row = (lxw_row_t)(r + 1);
            if (fz_table_coltype(t, c) == FZ_COL_NUM) {
                e = worksheet_write_number(ws, row, (lxw_col_t)c, fz_table_num(t, r, c), NULL);
            } else {
                const char *s = fz_table_text(t, r, c);
                if (strlen(s) > XLSX_MAX_TEXT)
                    return LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED;
                e = worksheet_write_string(ws, row, (lxw_col_t)c, s, NULL);
            }
        }
    if (!e)
        worksheet_freeze_panes(ws, 1, 0);
    return e;
}

int fz_xlsx_write(const fz_table *const *tables, size_t n, const char *path, fz_diag *d)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) + 1 : 0;
    char *tmp = fz_xasprintf("%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return FZ_EIO;
    }
    close(fd);
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': cannot create workbook",
                    path);
        goto fail;
    }
    lxw_doc_properties props = { 0 };
    props.created = fixed_time();
    workbook_set_properties(wb, &props);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_error e = LXW_NO_ERROR;
    char name[40] = "";
    size_t sheets = 0;
    for (size_t i = 0; i < n && !e; i++) {
        if (!tables[i])
            continue;
        e = write_sheet(wb, tables[i], i, bold, name, sizeof name);
        sheets++;
    }
    if (!e && sheets == 0)
        e = workbook_add_worksheet(wb, NULL) ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (e) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': sheet '%s': %s", path, name,
                    lxw_strerror(e));
        workbook_close(wb);
        goto fail;
    }
    e = workbook_close(wb);
    if (e) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': %s", path, lxw_strerror(e));
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        fz_diag_add(d, FZ_DIAG_FATAL, path, 0, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    unlink(tmp);
    free(tmp);
    return FZ_EIO;
}
