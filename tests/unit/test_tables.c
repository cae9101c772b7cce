/* test_tables.c: CSV writer (quoting, formula guard, BOM, GB18030, atomic
 * failure), CSV readers (broken rows reported with their lines, reading goes
 * on), the observation CSV round trip, JSON Lines and xlsx. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "csvio.h"
#include "err.h"
#include "obs.h"
#include "outfile.h"
#include "tables.h"
#include "xalloc.h"

static char dir[] = "/tmp/fz_test_tables.XXXXXX";

static char *path_of(const char *name) { return fz_xasprintf("%s/%s", dir, name); }

static void put(const char *name, const char *text)
{
    char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    fputs(text, f);
    fclose(f);
    free(p);
}

static int diag_has(const fz_diag *d, long line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].line == line && strstr(d->items[i].msg, needle))
            return 1;
    return 0;
}

/* A view and a stored table with the same cells read and write alike. */
typedef struct viewdata {
    const char *names[3];
    double      vals[3];
} viewdata;

static double view_num(const void *ctx, size_t row, size_t col)
{
    const viewdata *v = ctx;
    return col == 1 ? v->vals[row] : (double)row * 1.5;
}

static const char *view_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const viewdata *v = ctx;
    if (col == 0)
        return v->names[row];
    fz_buf_printf(scratch, "built %zu", row); /* col 3: built on each read */
    return scratch->data;
}

static int view_released;
static void view_release(const void *ctx)
{
    (void)ctx;
    view_released++;
}

static void test_view(void)
{
    static const viewdata vd = { { "=a", NULL, "" }, { 0.125, NAN, -0.0 } };
    const fz_table_view cb = { &vd, view_num, view_text, view_release };
    fz_table *v = fz_table_new_view("view", 3, &cb);
    fz_table *t = fz_table_new("view");
    const fz_coltype types[] = { FZ_COL_TEXT, FZ_COL_NUM, FZ_COL_NUM, FZ_COL_TEXT };
    const int decs[] = { -1, 2, -1, -1 };
    for (size_t c = 0; c < 4; c++) {
        char name[8];
        snprintf(name, sizeof name, "c%zu", c);
        fz_table_add_col(v, name, types[c], decs[c]);
        fz_table_add_col(t, name, types[c], decs[c]);
    }
    for (size_t r = 0; r < 3; r++) {
        char built[32];
        snprintf(built, sizeof built, "built %zu", r);
        fz_table_add_row(t);
        fz_table_set_text(t, r, 0, vd.names[r]);
        fz_table_set_num(t, r, 1, vd.vals[r]);
        fz_table_set_num(t, r, 2, (double)r * 1.5);
        fz_table_set_text(t, r, 3, built);
    }
    CHECK(fz_table_nrows(v) == 3 && fz_table_ncols(v) == 4);
    int same = 1;
    for (size_t r = 0; r < 3; r++)
        for (size_t c = 0; c < 4; c++) {
            char b1[64], b2[64], s1[64], s2[64];
            const char *x = fz_table_cell(v, r, c, s1, sizeof s1);
            const char *y = fz_table_cell(t, r, c, s2, sizeof s2);
            same &= fz_table_is_na(v, r, c) == fz_table_is_na(t, r, c);
            same &= (x == NULL) == (y == NULL) && (!x || strcmp(x, y) == 0);
            same &= strcmp(fz_table_format(v, r, c, b1, sizeof b1),
                           fz_table_format(t, r, c, b2, sizeof b2)) == 0;
            same &= strcmp(fz_table_text(v, r, c), fz_table_text(t, r, c)) == 0;
            double a = fz_table_num(v, r, c), b = fz_table_num(t, r, c);
            same &= (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b));
        }
    CHECK(same);
    CHECK(fz_table_is_na(v, 1, 0) && !fz_table_is_na(v, 2, 0) && fz_table_is_na(v, 1, 1));
    char *p1 = fz_xasprintf("%s/view1.csv", dir), *p2 = fz_xasprintf("%s/view2.csv", dir);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_csv_write_table(v, p1, NULL, &d) == 0 && fz_csv_write_table(t, p2, NULL, &d) == 0);
    size_t n1 = 0, n2 = 0;
    char *a = check_slurp(p1, &n1), *b = check_slurp(p2, &n2);
    CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
    CHECK(a && strstr(a, "'=a,0.12,0,built 0") != NULL);
    free(a);
    free(b);
    free(p1);
    free(p2);
    fz_diag_release(&d);
    fz_table_free(t);
    fz_table_free(v);
    CHECK(view_released == 1);
}

/* Quoting: a , " CR or LF anywhere in a field (each byte position of the
 * eight-byte scan and the tail), and a byte 0x80+ or 0x01 nowhere near one. */
static void test_quote_scan(void)
{
    static const char specials[] = ",\"\r\n";
    fz_table *t = fz_table_new("q");
    fz_table_add_col(t, "f", FZ_COL_TEXT, -1);
    size_t expect_quoted = 0;
    for (size_t len = 1; len <= 24; len++)
        for (size_t pos = 0; pos <= len; pos++)
            for (size_t k = 0; k < 4; k++) {
                char f[32];
                for (size_t i = 0; i < len; i++)
                    f[i] = (char)(i % 3 == 0 ? 0x01 : i % 3 == 1 ? (char)0xAC : 'x');
                f[len] = '\0';
                if (pos < len)
                    f[pos] = specials[k];
                else if (k)
                    continue; /* pos == len: one field without any special */
                expect_quoted += pos < len;
                fz_table_set_text(t, fz_table_add_row(t), 0, f);
            }
    char *path = fz_xasprintf("%s/quote.csv", dir);
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_csv_write_table(t, path, NULL, &d) == 0);
    fz_table *back = fz_csv_read_table(path, &d);
    size_t n = 0;
    char *csv = check_slurp(path, &n);
    size_t quoted = 0;
    for (size_t i = 0; csv && i + 2 < n; i++) /* a record that starts quoted */
        quoted += csv[i] == '\r' && csv[i + 1] == '\n' && csv[i + 2] == '"';
    CHECK(quoted == expect_quoted);
    int same = back && fz_table_nrows(back) == fz_table_nrows(t);
    for (size_t r = 0; same && r < fz_table_nrows(t); r++)
        same = strcmp(fz_table_text(back, r, 0), fz_table_text(t, r, 0)) == 0;
    CHECK(same);
    free(csv);
    free(path);
    fz_table_free(back);
    fz_table_free(t);
    fz_diag_release(&d);
}

/* The table writer against a reference written here: random texts (UTF-8,
 * , " CR LF, spaces at either end, formula characters; 0 to 80 bytes, so
 * the block scan, its overlapping last block and the short paths all meet
 * them, and a few of 70,000 more, which the record's reserved room does not
 * hold) and random numbers, NA among both, through a stored table and
 * through a view that builds two texts of a row in its scratch buffers. */
typedef struct rtab {
    size_t  nrows;
    char  **text;  /* nrows x 2, NULL for NA */
    double *num;   /* nrows x 2, NaN for NA */
} rtab;

enum { RT_T0, RT_N0, RT_T1, RT_N1, RT_NCOLS };
static const int rt_dec[RT_NCOLS] = { -1, -1, -1, 2 };

static double rt_num(const void *ctx, size_t row, size_t col)
{
    const rtab *r = ctx;
    return r->num[row * 2 + (col == RT_N1)];
}

static const char *rt_text(const void *ctx, size_t row, size_t col, fz_buf *scratch)
{
    const rtab *r = ctx;
    const char *s = r->text[row * 2 + (col == RT_T1)];
    if (!s)
        return NULL;
    fz_buf_add(scratch, s, strlen(s)); /* both texts of a row built on each read */
    return scratch->data;
}

static void rt_row(const void *ctx, size_t row, fz_table_value *out, fz_buf *scratch)
{
    for (size_t c = 0; c < RT_NCOLS; c++) {
        if (c == RT_T0 || c == RT_T1) {
            fz_buf_reset(&scratch[c]);
            out[c].text = rt_text(ctx, row, c, &scratch[c]);
        } else {
            double v = rt_num(ctx, row, c);
            out[c].num = isnan(v) ? INFINITY : v; /* non-finite: NA too */
        }
    }
}

static void ref_text(fz_buf *b, const char *s)
{
    fz_buf g;
    fz_buf_init(&g);
    if (strchr("=+-@\t\r", s[0]) && s[0])
        fz_buf_addc(&g, '\'');
    fz_buf_adds(&g, s);
    size_t n = g.len;
    int quote = n && (g.data[0] == ' ' || g.data[n - 1] == ' ');
    for (size_t i = 0; i < n; i++)
        quote |= strchr(",\"\r\n", g.data[i]) != NULL && g.data[i];
    if (!quote) {
        fz_buf_add(b, g.data, n);
    } else {
        fz_buf_addc(b, '"');
        for (size_t i = 0; i < n; i++) {
            if (g.data[i] == '"')
                fz_buf_addc(b, '"');
            fz_buf_addc(b, g.data[i]);
        }
        fz_buf_addc(b, '"');
    }
    fz_buf_release(&g);
}

static void test_writer_reference(void)
{
    static const char *const pieces[] = { "a", "Z", "7", "\xE4\xB8\x80", "\xEF\xBC\x8C", ",", "\"",
                                          "\r", "\n", " ", "=", "+", "-", "@", "\t", "'" };
    enum { NP = sizeof pieces / sizeof *pieces, NROWS = 3000 };
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    rtab rt = { NROWS, fz_xcalloc(NROWS * 2, sizeof(char *)), fz_xcalloc(NROWS * 2, sizeof(double)) };
    fz_table *t = fz_table_new("ref");
    const fz_table_view cb = { &rt, rt_num, rt_text, NULL };
    fz_table *v = fz_table_new_view("ref", NROWS, &cb);
    fz_table *vr = fz_table_new_view("ref", NROWS, &cb); /* with a row function */
    fz_table_set_row_fn(vr, rt_row);
    const char *names[RT_NCOLS] = { "t0", "n0", "t1", "n1" };
    for (size_t c = 0; c < RT_NCOLS; c++) {
        fz_coltype ty = c == RT_T0 || c == RT_T1 ? FZ_COL_TEXT : FZ_COL_NUM;
        fz_table_add_col(t, names[c], ty, rt_dec[c]);
        fz_table_add_col(v, names[c], ty, rt_dec[c]);
        fz_table_add_col(vr, names[c], ty, rt_dec[c]);
    }
    fz_buf want;
    fz_buf_init(&want);
    fz_buf_adds(&want, "t0,n0,t1,n1\r\n");
    for (size_t r = 0; r < NROWS; r++) {
        fz_table_add_row(t);
        for (int k = 0; k < 2; k++) {
            check_xorshift(&x);
            char *s = NULL;
            if (x % 11) { /* else NA */
                size_t len = (size_t)(x >> 8) % 81, common = (x >> 20) % 4 != 0;
                if ((x >> 40) % 151 == 0) /* longer than the room left in the record buffer */
                    len += 70000;
                fz_buf f;
                fz_buf_init(&f);
                while (f.len < len) {
                    check_xorshift(&x);
                    /* mostly plain bytes, so that most fields are written as they are */
                    fz_buf_adds(&f, pieces[common ? x % 5 : x % NP]);
                }
                check_xorshift(&x);
                if (common && f.len && x % 3 == 0) /* one byte that forces quotes */
                    f.data[(x >> 8) % f.len] = ",\"\r\n"[(x >> 4) % 4];
                s = fz_buf_steal(&f);
                fz_buf_release(&f);
            }
            rt.text[r * 2 + k] = s;
            fz_table_set_text(t, r, k ? RT_T1 : RT_T0, s);
            check_xorshift(&x);
            double d;
            switch (x % 6) {
            case 0: d = NAN; break;
            case 1: d = (double)(int64_t)(x >> 20) * (x & 64 ? -1 : 1); break;
            case 2: d = (double)((x >> 8) % 100000) / 100.0; break;
            case 3: d = (double)((x >> 8) % 10) - 5; break;
            case 4: d = ldexp((double)(x >> 11), (int)(x % 120) - 90); break;
            default: d = -(double)((x >> 8) % 1000003) / 997.0; break;
            }
            rt.num[r * 2 + k] = d;
            fz_table_set_num(t, r, k ? RT_N1 : RT_N0, d);
        }
        for (size_t c = 0; c < RT_NCOLS; c++) {
            if (c)
                fz_buf_addc(&want, ',');
            if (c == RT_T0 || c == RT_T1) {
                const char *s = rt.text[r * 2 + (c == RT_T1)];
                if (s)
                    ref_text(&want, s);
            } else {
                char nb[256];
                fz_format_num_slow(rt.num[r * 2 + (c == RT_N1)], rt_dec[c], nb, sizeof nb);
                fz_buf_adds(&want, nb);
            }
        }
        fz_buf_adds(&want, "\r\n");
    }
    char *p1 = path_of("ref_t.csv"), *p2 = path_of("ref_v.csv"), *p3 = path_of("ref_r.csv");
    fz_diag d;
    fz_diag_init(&d);
    CHECK(fz_csv_write_table(t, p1, NULL, &d) == 0 && fz_csv_write_table(v, p2, NULL, &d) == 0 &&
          fz_csv_write_table(vr, p3, NULL, &d) == 0);
    size_t n1 = 0, n2 = 0, n3 = 0;
    char *a = check_slurp(p1, &n1), *b = check_slurp(p2, &n2), *e = check_slurp(p3, &n3);
    CHECK(a && n1 == want.len && memcmp(a, want.data, n1) == 0);
    CHECK(b && n2 == want.len && memcmp(b, want.data, n2) == 0);
    CHECK(e && n3 == want.len && memcmp(e, want.data, n3) == 0);
    /* fz_table_row reads what the cell functions read */
    fz_table_value cells[RT_NCOLS];
    fz_buf scratch[RT_NCOLS];
    for (size_t c = 0; c < RT_NCOLS; c++)
        fz_buf_init(&scratch[c]);
    int same = 1;
    for (size_t r = 0; r < NROWS; r++) {
        const fz_table *both[3] = { t, v, vr };
        for (int k = 0; k < 3; k++) {
            fz_table_row(both[k], r, cells, scratch);
            for (size_t c = 0; c < RT_NCOLS; c++) {
                if (c == RT_T0 || c == RT_T1) {
                    const char *s = rt.text[r * 2 + (c == RT_T1)];
                    same &= s ? cells[c].text && strcmp(cells[c].text, s) == 0 : !cells[c].text;
                } else {
                    double x0 = rt.num[r * 2 + (c == RT_N1)];
                    same &= isnan(x0) ? isnan(cells[c].num) : cells[c].num == x0;
                }
            }
        }
    }
    CHECK(same);
    for (size_t c = 0; c < RT_NCOLS; c++)
        fz_buf_release(&scratch[c]);
    free(a);
    free(b);
    free(e);
    free(p1);
    free(p2);
    free(p3);
    fz_buf_release(&want);
    fz_diag_release(&d);
    fz_table_free(t);
    fz_table_free(v);
    fz_table_free(vr);
    for (size_t i = 0; i < NROWS * 2; i++)
        free(rt.text[i]);
    free(rt.text);
    free(rt.num);
}

static fz_table *sample_table(void)
{
    fz_table *t = fz_table_new("sample");
    fz_table_add_col(t, "name", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "value", FZ_COL_NUM, 2);
    fz_table_add_col(t, "n", FZ_COL_NUM, -1);
    size_t r = fz_table_add_row(t);
    fz_table_set_text(t, r, 0, "大路边镇, \"新\"");
    fz_table_set_num(t, r, 1, -5);
    fz_table_set_num(t, r, 2, 8);
    r = fz_table_add_row(t);
    fz_table_set_text(t, r, 0, "=SUM(A1:A2)");
    /* value stays NA */
    fz_table_set_num(t, r, 2, 99.5);
    r = fz_table_add_row(t);
    fz_table_set_text(t, r, 0, "-3 行\n二");
    fz_table_set_num(t, r, 1, 0.126);
    fz_table_set_num(t, r, 2, 1e20);
    return t;
}

static void test_write_csv(void)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_table *t = sample_table();
    char *p = path_of("sample.csv");
    CHECK(fz_csv_write_table(t, p, NULL, &d) == 0);
    char *got = check_slurp(p, NULL);
    const char *want = "name,value,n\r\n"
                       "\"大路边镇, \"\"新\"\"\",-5.00,8\r\n"
                       "'=SUM(A1:A2),,99.5\r\n"
                       "\"'-3 行\n二\",0.13,1e+20\r\n";
    CHECK(got && strcmp(got, want) == 0);
    if (got && strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\n", got);
    free(got);

    /* The reader gives back what was written, guard removed. */
    fz_table *back = fz_csv_read_table(p, &d);
    CHECK(back != NULL);
    if (back) {
        CHECK(strcmp(fz_table_name(back), "sample") == 0);
        CHECK(fz_table_ncols(back) == 3 && fz_table_nrows(back) == 3);
        CHECK(strcmp(fz_table_text(back, 0, 0), "大路边镇, \"新\"") == 0);
        CHECK(strcmp(fz_table_text(back, 1, 0), "=SUM(A1:A2)") == 0);
        CHECK(strcmp(fz_table_text(back, 2, 0), "-3 行\n二") == 0);
        CHECK(strcmp(fz_table_text(back, 1, 1), "") == 0);
        CHECK(strcmp(fz_table_text(back, 2, 1), "0.13") == 0);
    }
    fz_table_free(back);
    CHECK(d.n == 0);

    /* BOM and GB18030. */
    fz_csv_opts bom = { .excel_bom = 1 };
    CHECK(fz_csv_write_table(t, p, &bom, &d) == 0);
    size_t n = 0;
    got = check_slurp(p, &n);
    CHECK(got && n > 3 && memcmp(got, "\xEF\xBB\xBF" "name,", 8) == 0);
    free(got);
    fz_csv_opts gb = { .encoding = "gb18030" };
    CHECK(fz_csv_write_table(t, p, &gb, &d) == 0);
    got = check_slurp(p, &n);
    /* 大路边镇 in GB18030 is B4 F3 C2 B7 B1 DF D5 F2 */
    CHECK(got && strstr(got, "\"\xB4\xF3\xC2\xB7\xB1\xDF\xD5\xF2, ") != NULL);
    free(got);
    fz_csv_opts bad = { .encoding = "latin9" };
    CHECK(fz_csv_write_table(t, p, &bad, &d) == FZ_EIO);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 1);
    fz_diag_clear(&d);

    /* A write failing midway leaves the previous file as it was. */
    CHECK(fz_csv_write_table(t, p, NULL, &d) == 0);
    char *before = check_slurp(p, NULL);
    fz_outfile_fail_after(10);
    fz_table *big = fz_table_new("big");
    fz_table_add_col(big, "x", FZ_COL_NUM, -1);
    for (int i = 0; i < 100000; i++)
        fz_table_set_num(big, fz_table_add_row(big), 0, i);
    CHECK(fz_csv_write_table(big, p, NULL, &d) == FZ_EIO);
    fz_outfile_fail_after(-1);
    char *after = check_slurp(p, NULL);
    CHECK(before && after && strcmp(before, after) == 0);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) >= 1);
    free(before);
    free(after);
    fz_table_free(big);
    fz_diag_clear(&d);

    /* An output path under a plain file fails with a diagnostic. */
    char *under = path_of("sample.csv/x.csv");
    CHECK(fz_csv_write_table(t, under, NULL, &d) == FZ_EIO);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 1);
    free(under);

    /* write_all: one file per table, directory created. */
    fz_diag_clear(&d);
    char *sub = path_of("out/deeper");
    const fz_table *list[] = { t };
    CHECK(fz_tables_write_all(list, 1, sub, NULL, &d) == 0);
    char *f = fz_xasprintf("%s/sample.csv", sub);
    CHECK(access(f, R_OK) == 0);
    free(f);
    free(sub);

    fz_table_free(t);
    free(p);
    fz_diag_release(&d);
}

static void test_read_broken(void)
{
    fz_diag d;
    fz_diag_init(&d);
    put("broken.csv", "\xEF\xBB\xBFregion_code,year,population\n"
                      "441882102,2022,31000\n"            /* line 2 ok */
                      "441882102,2021\n"                   /* line 3 too few */
                      "441882,\"20\"22,5\n"                /* line 4 bad quote */
                      "\n"                                 /* line 5 blank */
                      "\"441882,2020,5\n"                  /* line 6 unterminated */
                      "120116100,\"2015\",\"3\r\n4\"\r\n"  /* line 7-8 ok, quoted LF */
                      "120116,2016,7\n");                  /* line 9 ok */
    char *p = path_of("broken.csv");
    fz_table *t = fz_csv_read_table(p, &d);
    CHECK(t != NULL);
    if (t) {
        CHECK(fz_table_ncols(t) == 3);
        CHECK(strcmp(fz_table_colname(t, 0), "region_code") == 0);
        CHECK(fz_table_nrows(t) == 3);
        if (fz_table_nrows(t) == 3) {
            CHECK(strcmp(fz_table_text(t, 1, 2), "3\r\n4") == 0);
            CHECK(strcmp(fz_table_text(t, 2, 0), "120116") == 0);
        }
    }
    CHECK(fz_diag_count(&d, FZ_DIAG_SKIP) == 3);
    CHECK(diag_has(&d, 3, "2 fields, the header has 3"));
    CHECK(diag_has(&d, 4, "broken quoting"));
    CHECK(diag_has(&d, 6, "row skipped"));
    fz_table_free(t);
    fz_diag_clear(&d);

    /* A field over the 1 MiB limit costs its row, not the file. */
    char *lp = path_of("long.csv");
    FILE *lf = fopen(lp, "wb");
    fputs("a,b\n1,", lf);
    for (int i = 0; i < (1 << 20) + 10; i++)
        fputc('x', lf);
    fputs("\n2,y\n", lf);
    fclose(lf);
    fz_diag_clear(&d);
    fz_table *lt = fz_csv_read_table(lp, &d);
    CHECK(lt && fz_table_nrows(lt) == 1 && strcmp(fz_table_text(lt, 0, 1), "y") == 0);
    CHECK(diag_has(&d, 2, "field too long"));
    fz_table_free(lt);
    free(lp);
    fz_diag_clear(&d);

    put("empty.csv", "");
    char *e = path_of("empty.csv");
    CHECK(fz_csv_read_table(e, &d) == NULL);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 1);
    free(e);
    fz_diag_clear(&d);
    char *missing = path_of("missing.csv");
    CHECK(fz_csv_read_table(missing, &d) == NULL);
    free(missing);
    put("bin.csv", "a,b\n1,\0002\n");
    fz_diag_clear(&d);
    char *bin = path_of("bin.csv");
    FILE *fb = fopen(bin, "wb");
    fwrite("a,b\n1,\0" "2\n", 1, 8, fb);
    fclose(fb);
    CHECK(fz_csv_read_table(bin, &d) == NULL);
    CHECK(d.n == 1 && strstr(d.items[0].msg, "binary"));
    free(bin);
    free(p);
    fz_diag_release(&d);
}

static fz_obs *sample_obs(void)
{
    fz_obs *o = fz_obs_new();
    fz_obs_doc a = { .file = "000_a.txt", .format = "text", .encoding = "UTF-8",
                     .source = "text", .bytes = 1234, .title = "连州市大路边镇人民政府2022年法治政府建设年度报告",
                     .region_code = "441882102", .region_name = "大路边镇", .province = "广东省",
                     .prefecture = "清远市", .county = "连州市", .township = "大路边镇",
                     .level = FZ_LEVEL_TOWNSHIP, .region_status = "resolved",
                     .region_method = "title", .region_confidence = 0.95, .year = 2022,
                     .has_year = 1, .year_method = "title", .published = "2023-01-19",
                     .figures = 3 };
    fz_obs_doc b = { .file = "=cmd.txt", .format = "html", .encoding = "GB18030",
                     .source = "ocr", .ocr_confidence = 81.26, .region_status = "unresolved" };
    fz_obs_add_doc(o, &a);
    fz_obs_add_doc(o, &b);
    fz_obs_row r1 = { .doc = 0, .indicator = "penalty_cases", .value = 8, .unit = "宗",
                      .qual = FZ_QUAL_EXACT, .primary = 1, .line = 12,
                      .phrase = "行政处罚案件8宗", .snippet = "办理行政处罚案件8宗，" };
    fz_obs_row r2 = { .doc = 0, .indicator = "publicity_audience", .value = 1000,
                      .unit = "人", .qual = FZ_QUAL_AT_LEAST, .primary = 1, .line = 30,
                      .phrase = "受众一千余人", .snippet = "受众一千余人" };
    fz_obs_row r3 = { .doc = 0, .indicator = "mediation_cases", .value = 10,
                      .value_high = 20, .unit = "件", .qual = FZ_QUAL_RANGE, .primary = 0,
                      .line = 31, .phrase = "调解10-20件", .snippet = "调解10-20件, \"约\"" };
    fz_obs_row r4 = { .doc = 1, .indicator = "", .value = 99.5, .unit = "%",
                      .qual = FZ_QUAL_APPROX, .primary = 0, .page = 3, .line = 2,
                      .phrase = "约99.5%", .snippet = "-约99.5%", .noun = "成功率" };
    fz_obs_add(o, &r1);
    fz_obs_add(o, &r2);
    fz_obs_add(o, &r3);
    fz_obs_add(o, &r4);
    return o;
}

static void test_obs_csv(void)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_obs *o = sample_obs();
    char *p = path_of("obs.csv");
    fz_csv_opts all = { .all_quantities = 1 };
    CHECK(fz_obs_write_csv(o, p, &all, &d) == 0);
    char *got = check_slurp(p, NULL);
    CHECK(got && strncmp(got, "doc,file,region_code,region_name,province,prefecture,county,"
                              "township,level,year,published,indicator,value,value_high,unit,"
                              "qualifier,primary,page,line,phrase,snippet,noun\r\n", 170) == 0);
    CHECK(got && strstr(got, "\r\n1,000_a.txt,441882102,大路边镇,广东省,清远市,连州市,大路边镇,"
                             "township,2022,2023-01-19,penalty_cases,8,,宗,exact,1,,12,"
                             "行政处罚案件8宗,办理行政处罚案件8宗，,\r\n"));
    CHECK(got && strstr(got, ",mediation_cases,10,20,件,range,0,,31,"));
    CHECK(got && strstr(got, "\r\n2,'=cmd.txt,,,,,,,,,,,99.5,,%,approx,0,3,2,约99.5%,'-约99.5%,成功率\r\n"));
    free(got);

    fz_obs *back = fz_obs_new();
    CHECK(fz_obs_read_csv(p, back, &d) == 0);
    CHECK(d.n == 0);
    CHECK(fz_obs_ndocs(back) == 2 && fz_obs_nrows(back) == 4);
    if (fz_obs_nrows(back) == 4) {
        const fz_obs_doc *a = fz_obs_doc_at(back, 0);
        CHECK(strcmp(a->region_code, "441882102") == 0 && a->level == FZ_LEVEL_TOWNSHIP);
        CHECK(a->has_year && a->year == 2022 && a->figures == 3);
        CHECK(strcmp(fz_obs_doc_at(back, 1)->file, "=cmd.txt") == 0);
        CHECK(!fz_obs_doc_at(back, 1)->has_year);
        const fz_obs_row *r = fz_obs_row_at(back, 2);
        CHECK(r->qual == FZ_QUAL_RANGE && r->value == 10 && r->value_high == 20);
        CHECK(strcmp(r->snippet, "调解10-20件, \"约\"") == 0);
        r = fz_obs_row_at(back, 3);
        CHECK(r->doc == 1 && r->page == 3 && r->qual == FZ_QUAL_APPROX && r->value == 99.5);
        CHECK(strcmp(r->snippet, "-约99.5%") == 0 && strcmp(r->noun, "成功率") == 0);
        CHECK(fz_obs_row_at(back, 1)->qual == FZ_QUAL_AT_LEAST);
    }
    fz_obs_free(back);

    /* Docs CSV. */
    char *dp = path_of("docs.csv");
    CHECK(fz_obs_write_docs_csv(o, dp, NULL, &d) == 0);
    got = check_slurp(dp, NULL);
    CHECK(got && strncmp(got, "doc,file,format,encoding,source,ocr_confidence,bytes,warnings,"
                              "traditional,title,region_code,region_name,province,prefecture,"
                              "county,township,level,department,region_status,region_method,"
                              "region_confidence,region_candidates,report_year,year_method,"
                              "published,figures,ambiguous\r\n", 150) == 0);
    CHECK(got && strstr(got, "\r\n1,000_a.txt,text,UTF-8,text,,1234,0,0,"));
    CHECK(got && strstr(got, ",township,,resolved,title,0.95,,2022,title,2023-01-19,3,0\r\n"));
    CHECK(got && strstr(got, "\r\n2,'=cmd.txt,html,GB18030,ocr,81.3,0,0,0,"));
    free(got);
    free(dp);

    /* JSON Lines. */
    char *jp = path_of("obs.jsonl");
    CHECK(fz_obs_write_jsonl(o, jp, NULL, &d) == 0);
    got = check_slurp(jp, NULL);
    CHECK(got && strncmp(got, "{\"doc\":1,\"file\":\"000_a.txt\",\"region_code\":\"441882102\"", 52) == 0);
    CHECK(got && strstr(got, "\"year\":null,\"published\":\"\",\"indicator\":\"\",\"value\":99.5,"
                             "\"value_high\":null,\"unit\":\"%\",\"qualifier\":\"approx\","
                             "\"primary\":0,\"page\":3,\"line\":2"));
    CHECK(got && strstr(got, "\"snippet\":\"调解10-20件, \\\"约\\\"\""));
    free(got);
    free(jp);

    /* Reordered columns, extra column, bad rows. */
    put("obs_bad.csv",
        "value,indicator,qualifier,file,extra,year,region_code,level\n"
        "8,penalty_cases,exact,a.txt,x,2022,441882102,township\n"   /* 2 ok */
        "八,penalty_cases,exact,a.txt,x,2022,441882102,township\n"  /* 3 value */
        "5,complaints,roughly,a.txt,x,2022,441882102,township\n"    /* 4 qualifier */
        "5,complaints,exact,a.txt,x\n"                              /* 5 count */
        "nan,complaints,exact,a.txt,x,2022,441882102,township\n"    /* 6 value */
        "7,petitions,,b.txt,x,20x2,441882,county\n"                 /* 7 year */
        "7,petitions,,b.txt,x,2021,441882,city\n"                   /* 8 level */
        "12.5,hearings,approx,a.txt,x,2022,441882102,township\n");  /* 9 ok */
    char *bp = path_of("obs_bad.csv");
    fz_obs *bad = fz_obs_new();
    fz_diag_clear(&d);
    CHECK(fz_obs_read_csv(bp, bad, &d) == 0);
    CHECK(fz_obs_nrows(bad) == 2 && fz_obs_ndocs(bad) == 1);
    CHECK(fz_diag_count(&d, FZ_DIAG_SKIP) == 6);
    CHECK(fz_diag_count(&d, FZ_DIAG_NOTE) == 1); /* obs_row numbering shifted */
    CHECK(diag_has(&d, 3, "not a number"));
    CHECK(diag_has(&d, 4, "unknown qualifier"));
    CHECK(diag_has(&d, 5, "5 fields"));
    CHECK(diag_has(&d, 6, "not a number"));
    CHECK(diag_has(&d, 7, "not a year"));
    CHECK(diag_has(&d, 8, "unknown level"));
    if (fz_obs_nrows(bad) == 2) {
        CHECK(fz_obs_row_at(bad, 1)->value == 12.5);
        CHECK(fz_obs_row_at(bad, 1)->qual == FZ_QUAL_APPROX);
        CHECK(fz_obs_doc_at(bad, 0)->figures == 2);
    }
    fz_obs_free(bad);
    free(bp);

    put("obs_nocol.csv", "doc,indicator\n1,penalty_cases\n");
    char *np = path_of("obs_nocol.csv");
    fz_obs *none = fz_obs_new();
    fz_diag_clear(&d);
    CHECK(fz_obs_read_csv(np, none, &d) == FZ_ENOTFOUND);
    CHECK(d.n == 1 && strstr(d.items[0].msg, "no 'value' column"));
    fz_obs_free(none);
    free(np);

    fz_obs_free(o);
    free(p);
    fz_diag_release(&d);
}

static void test_xlsx(void)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_table *t = sample_table();
    fz_table *u = fz_table_new("another");
    fz_table_add_col(u, "x", FZ_COL_NUM, -1);
    fz_table_set_num(u, fz_table_add_row(u), 0, 3.5);
    const fz_table *list[] = { t, u };
    char *p1 = path_of("a.xlsx"), *p2 = path_of("b.xlsx");
    CHECK(fz_xlsx_write(list, 2, p1, &d) == 0);
    CHECK(fz_xlsx_write(list, 2, p2, &d) == 0);
    size_t n1 = 0, n2 = 0;
    char *a = check_slurp(p1, &n1), *b = check_slurp(p2, &n2);
    CHECK(a && n1 > 100 && memcmp(a, "PK", 2) == 0);
    CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0); /* reproducible */
    free(a);
    free(b);
    char *under = path_of("a.xlsx/c.xlsx");
    CHECK(fz_xlsx_write(list, 2, under, &d) == FZ_EIO);
    CHECK(fz_diag_count(&d, FZ_DIAG_FATAL) == 1);
    free(under);
    free(p1);
    free(p2);
    fz_table_free(t);
    fz_table_free(u);
    fz_diag_release(&d);
}

/* fz_table storage: integer columns that turn into doubles, NA in every
 * column type, equal texts stored once, text and number cells kept apart. */
static void test_table_cells(void)
{
    fz_table *t = fz_table_new("cells");
    size_t ci = fz_table_add_col(t, "i", FZ_COL_NUM, 0);
    size_t cd = fz_table_add_col(t, "d", FZ_COL_NUM, -1);
    size_t cs = fz_table_add_col(t, "s", FZ_COL_TEXT, -1);
    for (int r = 0; r < 1000; r++) {
        size_t row = fz_table_add_row(t);
        CHECK(row == (size_t)r);
        CHECK(fz_table_is_na(t, row, ci) && fz_table_is_na(t, row, cd) &&
              fz_table_is_na(t, row, cs));
        if (r % 7)
            fz_table_set_num(t, row, ci, r - 500);
        fz_table_set_num(t, row, cd, r == 600 ? 0.5 : r % 3 ? (double)r * 1000 : NAN);
        char b[32];
        snprintf(b, sizeof b, "unit-%d", r % 10);
        if (r % 5)
            fz_table_set_text(t, row, cs, b);
    }
    int ok = 1;
    for (size_t r = 0; r < 1000; r++) {
        double want_i = r % 7 ? (double)r - 500 : NAN;
        double got_i = fz_table_num(t, r, ci);
        ok &= (r % 7) ? got_i == want_i && !fz_table_is_na(t, r, ci) : fz_table_is_na(t, r, ci);
        double got_d = fz_table_num(t, r, cd);
        if (r == 600)
            ok &= got_d == 0.5;
        else if (r % 3)
            ok &= got_d == (double)r * 1000;
        else
            ok &= fz_table_is_na(t, r, cd) && got_d != got_d;
        ok &= (r % 5 == 0) == (fz_table_is_na(t, r, cs) != 0);
        ok &= fz_table_num(t, r, cs) != fz_table_num(t, r, cs);     /* text: NAN */
        ok &= strcmp(fz_table_text(t, r, ci), "") == 0;             /* number: "" */
    }
    CHECK(ok);
    /* one copy of each distinct text */
    CHECK(fz_table_text(t, 1, cs) == fz_table_text(t, 11, cs));
    CHECK(strcmp(fz_table_text(t, 11, cs), "unit-1") == 0);
    CHECK(strcmp(fz_table_text(t, 10, cs), "") == 0);

    /* values an integer column cannot hold */
    size_t r = fz_table_add_row(t);
    fz_table_set_num(t, r, ci, 3e9);
    CHECK(fz_table_num(t, r, ci) == 3e9);
    CHECK(fz_table_num(t, 1, ci) == -499 && fz_table_is_na(t, 0, ci));
    fz_table_set_num(t, r, ci, -0.0);
    CHECK(fz_table_num(t, r, ci) == 0 && signbit(fz_table_num(t, r, ci)));
    fz_table_set_num(t, r, ci, INFINITY);
    CHECK(fz_table_is_na(t, r, ci));
    fz_table_set_num(t, r, ci, -2147483648.0); /* INT32_MIN is a number, not NA */
    CHECK(fz_table_num(t, r, ci) == -2147483648.0);
    fz_table *n = fz_table_new("neg0");
    fz_table_add_col(n, "x", FZ_COL_NUM, -1);
    fz_table_add_col(n, "y", FZ_COL_NUM, -1);
    size_t nr = fz_table_add_row(n);
    fz_table_set_num(n, nr, 0, -0.0);
    fz_table_set_num(n, nr, 1, -2147483648.0);
    CHECK(signbit(fz_table_num(n, nr, 0)) && !fz_table_is_na(n, nr, 0));
    CHECK(fz_table_num(n, nr, 1) == -2147483648.0 && !fz_table_is_na(n, nr, 1));
    char b[64];
    CHECK(strcmp(fz_table_format(n, nr, 0, b, sizeof b), "0") == 0);
    fz_table_set_na(n, nr, 1);
    CHECK(fz_table_is_na(n, nr, 1));
    fz_table_free(n);

    /* formatting of text cells is cut to the buffer like snprintf */
    fz_table_set_text(t, r, cs, "abcdef");
    CHECK(strcmp(fz_table_format(t, r, cs, b, 4), "abc") == 0);
    fz_table_set_text(t, r, cs, NULL);
    CHECK(fz_table_is_na(t, r, cs));
    CHECK(strcmp(fz_table_format(t, r, cs, b, sizeof b), "") == 0);
    fz_table_free(t);
}

/* fz_format_num must give snprintf's text for every value: ties, near-ties,
 * powers of ten, negative zero results, large and tiny values, random bits. */
static int format_agrees(double v, int dec)
{
    char a[64], b[64];
    fz_format_num(v, dec, a, sizeof a);
    fz_format_num_slow(v, dec, b, sizeof b);
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "format %.17g (%d): fast '%s', snprintf '%s'\n", v, dec, a, b);
        return 0;
    }
    return 1;
}

static void test_format_num(void)
{
    static const double fixed[] = {
        0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1.005, 1.015, 0.045, 99.995,
        -0.004, -0.005, -0.0049999, 0.126, 1e-5, 1e-4, 0.1, 0.01, 0.001, 0.0001, 9.9999e-5,
        123456.785, 1e14, 1e15, 1e15 - 0.5, 1e15 + 2, 4503599627370495.5, 4503599627370497.0,
        9007199254740993.0, 1e20, 1e22, 1e300, -1e300, 5e-324, 2.2250738585072014e-308,
        0.30000000000000004, 100.0 / 3, 2.0 / 3, -2.0 / 3, 999999999999999.9, 99999.99999999999,
        0.99999999999999989, 9.999999999999999e-5, 12345678901234.5, 1234567890123.45,
        -87.5, 87.5, 0.05, 0.15, 0.25, 0.35, 1e-4 * 3, 33.333333333333336,
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        for (int dec = -1; dec <= 10; dec++) {
            ok &= format_agrees(fixed[i], dec);
            ok &= format_agrees(-fixed[i], dec);
        }
    /* exact decimal ties and their neighbours at every scale */
    for (int dec = 0; dec <= 6; dec++) {
        double p = 1;
        for (int k = 0; k < dec; k++)
            p *= 10;
        for (long m = 0; m < 20000; m++) {
            double v = ((double)m + 0.5) / p;
            ok &= format_agrees(v, dec) && format_agrees(nextafter(v, 0), dec) &&
                  format_agrees(nextafter(v, 1e300), dec) && format_agrees(-v, dec);
        }
    }
    /* random doubles of every magnitude and random short decimals */
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 400000 && ok; i++) {
        check_xorshift(&x);
        double v;
        switch (i % 4) {
        case 0: { /* random bits of finite doubles in 1e-8..1e17 */
            double m = (double)(x >> 11) / 9007199254740992.0;
            v = (1 + m) * pow(2, (double)((int)(x % 84) - 27));
            break;
        }
        case 1: v = (double)(long long)(x % 2000000001) / 100.0 - 1e7; break;
        case 2: v = (double)(long long)(x % 20000001) / 10000.0; break;
        default: v = (double)(x % 1000003) / (double)(1 + x % 997); break;
        }
        for (int dec = -1; dec <= 4; dec++)
            ok &= format_agrees(v, dec);
    }
    /* 1 to 7 decimals, the value scaled by them of every digit count to 10^9
     * (eight digits at most are written at once) */
    for (int i = 0; i < 300000 && ok; i++) {
        check_xorshift(&x);
        int dec = 1 + (int)(x % 7);
        uint64_t m = ((x >> 8) % 1000000000u) >> ((x >> 40) % 30);
        double v = (double)m / pow(10, dec) * (x >> 50 & 1 ? -1 : 1);
        ok &= format_agrees(v, dec) && format_agrees(nextafter(v, 0), dec);
    }
    /* integers at every digit count (the digit count from the bit length) */
    for (int k = 0; k <= 15 && ok; k++) {
        double p = pow(10, k);
        const double near[] = { p - 1, p, p + 1, 2 * p - 1, 5 * p, 9 * p };
        for (size_t i = 0; i < sizeof near / sizeof *near; i++)
            for (int dec = -1; dec <= 4; dec++)
                ok &= format_agrees(near[i], dec) && format_agrees(-near[i], dec);
    }
    for (int e = 0; e < 64 && ok; e++)
        for (int dec = -1; dec <= 2; dec++)
            ok &= format_agrees(ldexp(1, e), dec) && format_agrees(ldexp(1, e) - 1, dec);
    CHECK(ok);
    char big[256], small[4];
    int lens = 1;
    const double some[] = { 0, -0.0, 7, -12, 123.456, 1e300, -2.5e-7, 4503599627370497.0, NAN };
    for (size_t i = 0; i < sizeof some / sizeof *some; i++)
        for (int dec = -1; dec <= 12; dec++)
            lens &= fz_format_num_to(some[i], dec, big, sizeof big) == strlen(big) &&
                    fz_format_num_to(some[i], dec, small, sizeof small) == strlen(small);
    CHECK(lens);
    CHECK(strcmp(fz_format_num(123.456, 2, small, sizeof small), "123") == 0);
    CHECK(strcmp(fz_format_num(NAN, 2, small, sizeof small), "") == 0);
}

/* fz_table_reorder moves whole rows; fz_obs stores a repeated indicator once. */
static void test_reorder_and_obs_strings(void)
{
    fz_table *t = fz_table_new("r");
    fz_table_add_col(t, "s", FZ_COL_TEXT, -1);
    fz_table_add_col(t, "i", FZ_COL_NUM, 0);
    fz_table_add_col(t, "d", FZ_COL_NUM, 2);
    const char *names[] = { "c", "a", "b", "a" };
    for (size_t r = 0; r < 4; r++) {
        fz_table_add_row(t);
        fz_table_set_text(t, r, 0, names[r]);
        if (r != 2)
            fz_table_set_num(t, r, 1, (double)r * 10);
        fz_table_set_num(t, r, 2, (double)r + 0.25);
    }
    const char *a_before = fz_table_text(t, 1, 0);
    const size_t order[] = { 1, 3, 2, 0 };
    fz_table_reorder(t, order);
    CHECK(strcmp(fz_table_text(t, 0, 0), "a") == 0 && fz_table_num(t, 0, 1) == 10 &&
          fz_table_num(t, 0, 2) == 1.25);
    CHECK(strcmp(fz_table_text(t, 1, 0), "a") == 0 && fz_table_num(t, 1, 1) == 30);
    CHECK(strcmp(fz_table_text(t, 2, 0), "b") == 0 && fz_table_is_na(t, 2, 1) &&
          fz_table_num(t, 2, 2) == 2.25);
    CHECK(strcmp(fz_table_text(t, 3, 0), "c") == 0 && fz_table_num(t, 3, 1) == 0);
    CHECK(fz_table_text(t, 0, 0) == a_before); /* text pointers stay valid */
    static const char kept[] = "a snippet that outlives the table";
    fz_table_set_text_ref(t, 2, 0, kept);
    fz_table_set_text_ref(t, 3, 0, NULL);
    CHECK(fz_table_text(t, 2, 0) == kept && fz_table_is_na(t, 3, 0));
    CHECK(strcmp(fz_table_text(t, 1, 0), "a") == 0);
    fz_table_free(t);

    fz_obs *o = fz_obs_new();
    fz_obs_doc d = { .file = "f.txt", .region_code = "110101" };
    fz_obs_add_doc(o, &d);
    char id[32];
    strcpy(id, "penalty_cases");
    fz_obs_row r = { .doc = 0, .indicator = id, .unit = "宗", .value = 8, .phrase = "p",
                     .snippet = "s" };
    fz_obs_add(o, &r);
    strcpy(id, "other");
    fz_obs_add(o, &r);
    strcpy(id, "penalty_cases");
    r.unit = NULL;
    fz_obs_add(o, &r);
    CHECK(fz_obs_nrows(o) == 3);
    CHECK(fz_obs_row_at(o, 0)->indicator == fz_obs_row_at(o, 2)->indicator);
    CHECK(strcmp(fz_obs_row_at(o, 1)->indicator, "other") == 0);
    CHECK(strcmp(fz_obs_row_at(o, 0)->unit, "宗") == 0 && strcmp(fz_obs_row_at(o, 2)->unit, "") == 0);
    fz_obs *m = fz_obs_new();
    fz_obs_merge(m, o);
    fz_obs_merge(m, o);
    CHECK(fz_obs_nrows(m) == 6 && fz_obs_row_at(m, 5)->doc == 1);
    CHECK(fz_obs_row_at(m, 0)->indicator == fz_obs_row_at(m, 5)->indicator);
    fz_obs_clear(o);
    CHECK(fz_obs_nrows(o) == 0);
    fz_obs_add_doc(o, &d);
    strcpy(id, "x");
    fz_obs_add(o, &r);
    CHECK(strcmp(fz_obs_row_at(o, 0)->indicator, "x") == 0);
    fz_obs_free(m);
    fz_obs_free(o);
}

/* fz_csv_copy_plain() against a byte loop: random bytes (the four that
 * make quotes, others below 0x2D that do not, ASCII, UTF-8 bytes) at every
 * length to 80 and at any alignment; the copy is the source. */
static void test_copy_plain(void)
{
    static const unsigned char bytes[] = { ',', '"', '\r', '\n', ' ', '\t', '(', '%', '+', '!',
                                           '-', '.', '0', '9', 'a', 0xE4, 0xB8, 0x80, 0x2C,
                                           0x2D, 0x7F, 0xFF, 0x01, 0xAC };
    uint64_t x = 0x5DEECE66DULL;
    int bad = 0;
    for (int round = 0; round < 20000; round++) {
        char src[96], dst[96];
        size_t n = (size_t)(check_xorshift(&x) % 81), at = (size_t)(check_xorshift(&x) % 8);
        /* mostly bytes of one kind, a special now and then */
        int rare = (int)(check_xorshift(&x) % 4);
        int want = 1;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = check_xorshift(&x);
            unsigned char c = rare && r % 23 != 0 ? (unsigned char)(0xE4 + r % 3)
                                                  : bytes[(r >> 8) % sizeof bytes];
            src[at + i] = (char)c;
            want &= !(c == ',' || c == '"' || c == '\r' || c == '\n');
        }
        int got = fz_csv_copy_plain(dst + at, src + at, n);
        bad += got != want || (n && memcmp(dst + at, src + at, n) != 0);
    }
    CHECK(bad == 0);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_table_cells();
    test_format_num();
    test_reorder_and_obs_strings();
    test_write_csv();
    test_view();
    test_quote_scan();
    test_writer_reference();
    test_copy_plain();
    test_read_broken();
    test_obs_csv();
    test_xlsx();
    char *cmd = fz_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return check_done();
}
