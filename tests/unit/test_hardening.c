/* test_hardening.c: bad input and output faults at the library level
 * (hardening work owns this file; the e2e scripts test the same through the
 * CLI). Covers: fz_outfile under a failing write (the fail_after seam), abort,
 * a path under a plain file and device paths; the reader on empty, binary,
 * NUL-bearing, invalid UTF-8, truncated GB18030 and BOM-less UTF-16 input
 * (each: the right status, one diagnostic naming the file, and the text
 * invariants of reader.h); the numeral parser on the fuzz regressions; the
 * lexicon, CSV table and observations readers on broken CSV. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "err.h"
#include "lexicon.h"
#include "numeral.h"
#include "obs.h"
#include "outfile.h"
#include "reader.h"
#include "table.h"
#include "tables.h"

static char tmpdir[] = "/tmp/fz_hardening.XXXXXX";

static char *tpath(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void put(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static int same_file(const char *path, const char *want)
{
    size_t n;
    char *s = check_slurp(path, &n);
    int ok = s && n == strlen(want) && memcmp(s, want, n) == 0;
    free(s);
    return ok;
}

/* Hidden entries in tmpdir: fz_outfile's temp files are ".name.XXXXXX". */
static int hidden_files(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* One diagnostic at level whose message contains both a and b. */
static int has_diag(const fz_diag *d, fz_diag_level level, const char *a, const char *b)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].level == level && strstr(d->items[i].msg, a) &&
            (!b || strstr(d->items[i].msg, b)))
            n++;
    return n == 1;
}

static void test_outfile(void)
{
    fz_diag d;
    fz_diag_init(&d);
    const char *p = tpath("out.csv");
    put(p, "old\n", 4);

    /* the write fails midway: old file stays, temp removed, one FATAL line */
    fz_outfile of;
    CHECK(fz_outfile_open(&of, p, &d) == 0);
    fz_outfile_fail_after(10);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", of.fp);
    CHECK(fz_outfile_commit(&of, &d) == FZ_EIO);
    fz_outfile_fail_after(-1);
    CHECK(same_file(p, "old\n"));
    CHECK(hidden_files() == 0);
    CHECK(has_diag(&d, FZ_DIAG_FATAL, p, "No space left on device"));
    fz_diag_clear(&d);

    /* a budget exactly the size written still commits */
    CHECK(fz_outfile_open(&of, p, &d) == 0);
    fz_outfile_fail_after(4);
    fputs("new\n", of.fp);
    CHECK(fz_outfile_commit(&of, &d) == 0);
    fz_outfile_fail_after(-1);
    CHECK(same_file(p, "new\n"));

    /* abort keeps the previous file */
    CHECK(fz_outfile_open(&of, p, &d) == 0);
    fputs("partial", of.fp);
    fz_outfile_abort(&of);
    CHECK(same_file(p, "new\n"));
    CHECK(hidden_files() == 0);
    CHECK(d.n == 0);

    /* under a plain file: FZ_EIO naming the path */
    put(tpath("plain"), "x", 1);
    const char *under = tpath("plain/obs.csv");
    CHECK(fz_outfile_open(&of, under, &d) == FZ_EIO);
    CHECK(has_diag(&d, FZ_DIAG_FATAL, under, "Not a directory"));
    fz_diag_clear(&d);

    /* a device is written in place, never replaced by a regular file */
    struct stat st;
    if (stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && access("/dev/null", W_OK) == 0) {
        CHECK(fz_outfile_open(&of, "/dev/null", &d) == 0);
        fputs("discarded\n", of.fp);
        CHECK(fz_outfile_commit(&of, &d) == 0);
        CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    }
    if (stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode) && access("/dev/full", W_OK) == 0) {
        CHECK(fz_outfile_open(&of, "/dev/full", &d) == 0);
        fputs("no room\n", of.fp);
        CHECK(fz_outfile_commit(&of, &d) == FZ_EIO);
        CHECK(has_diag(&d, FZ_DIAG_FATAL, "'/dev/full'", "No space left on device"));
        CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
        fz_diag_clear(&d);
    }
    fz_diag_release(&d);
}

/* The invariants reader.h promises for an accepted document. */
static int text_ok(const fz_document *doc)
{
    if (!doc->text || doc->text[doc->len] || memchr(doc->text, '\0', doc->len))
        return 0;
    if (doc->len && doc->text[doc->len - 1] != '\n')
        return 0;
    const unsigned char *s = (const unsigned char *)doc->text;
    for (size_t i = 0; i < doc->len;) { /* valid UTF-8 */
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > doc->len)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

static int read_mem(fz_reader *r, const char *name, const char *data, size_t n,
                    fz_document *doc, fz_diag *d)
{
    fz_diag_clear(d);
    return fz_reader_read_mem(r, name, data, n, doc, d);
}

static void test_reader(void)
{
    fz_reader *r = fz_reader_new();
    fz_diag d;
    fz_diag_init(&d);
    fz_document doc;

    CHECK(read_mem(r, "empty.txt", "", 0, &doc, &d) == FZ_EINPUT);
    CHECK(has_diag(&d, FZ_DIAG_SKIP, "'empty.txt'", "empty file"));

    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    CHECK(read_mem(r, "image.txt", png, sizeof png - 1, &doc, &d) == FZ_EINPUT);
    CHECK(has_diag(&d, FZ_DIAG_SKIP, "'image.txt'", "binary file"));

    static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0";
    CHECK(read_mem(r, "prog.txt", elf, sizeof elf - 1, &doc, &d) == FZ_EINPUT);
    CHECK(has_diag(&d, FZ_DIAG_SKIP, "'prog.txt'", "binary file"));

    static const char nul[] = "全年办理行政处罚案件11宗。\0\0\0受理投诉件23件。\n";
    CHECK(read_mem(r, "nul.txt", nul, sizeof nul - 1, &doc, &d) == 0);
    CHECK(has_diag(&d, FZ_DIAG_WARN, "'nul.txt'", "3 NUL bytes removed"));
    CHECK(text_ok(&doc));
    CHECK(strstr(doc.text, "受理投诉件23件") != NULL);

    static const char bad[] = "行政处罚案件12宗\xff\xfe\xc0\xaf。投诉24件\xe4\xb8";
    CHECK(read_mem(r, "bad.txt", bad, sizeof bad - 1, &doc, &d) == 0);
    CHECK(has_diag(&d, FZ_DIAG_WARN, "'bad.txt'", "invalid byte sequence"));
    CHECK(doc.invalid >= 2);
    CHECK(text_ok(&doc));
    CHECK(strstr(doc.text, "投诉24件") != NULL);

    /* 行政处罚案件8宗 in GB18030, cut after a lead byte */
    static const char gb[] = "\xd0\xd0\xd5\xfe\xb4\xa6\xb7\xa3\xb0\xb8\xbc\xfe" "8"
                             "\xd7\xda\xa1\xa3\xc8\xab\xc4\xea\xb9\xb2\xb0\xec\xc0\xed\xb0";
    CHECK(read_mem(r, "gb.txt", gb, sizeof gb - 1, &doc, &d) == 0);
    CHECK(doc.encoding && strcmp(doc.encoding, "GB18030") == 0);
    CHECK(has_diag(&d, FZ_DIAG_WARN, "'gb.txt'", "1 invalid byte sequence replaced"));
    CHECK(text_ok(&doc) && strstr(doc.text, "行政处罚案件8宗") != NULL);

    /* UTF-16LE without a BOM: 全年办理行政处罚案件8宗。 */
    static const char u8[] = "全年办理行政处罚案件8宗。受理投诉件23件。\n";
    unsigned char u16[256];
    size_t n16 = 0;
    for (const unsigned char *s = (const unsigned char *)u8; *s;) {
        unsigned c;
        if (*s < 0x80)
            c = *s++;
        else {
            c = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
            s += 3;
        }
        u16[n16++] = (unsigned char)(c & 0xFF);
        u16[n16++] = (unsigned char)(c >> 8);
    }
    CHECK(read_mem(r, "u16.txt", (const char *)u16, n16, &doc, &d) == 0);
    CHECK(doc.encoding && strcmp(doc.encoding, "UTF-16LE") == 0);
    CHECK(text_ok(&doc) && strstr(doc.text, "行政处罚案件8宗") != NULL);
    /* an odd byte count: the last half unit is invalid, the rest still reads */
    CHECK(read_mem(r, "u16odd.txt", (const char *)u16, n16 - 1, &doc, &d) == 0);
    CHECK(text_ok(&doc) && strstr(doc.text, "行政处罚案件8宗") != NULL);

    /* unclosed script and deeply nested tags */
    char html[64 * 1024];
    size_t hn = (size_t)snprintf(html, sizeof html, "<html><body>");
    for (int i = 0; i < 2000; i++)
        hn += (size_t)snprintf(html + hn, sizeof html - hn, "<div>");
    hn += (size_t)snprintf(html + hn, sizeof html - hn,
                           "<p>行政处罚案件15宗</p><script>var s = \"<p>hidden");
    CHECK(read_mem(r, "deep.html", html, hn, &doc, &d) == 0);
    CHECK(doc.format && strcmp(doc.format, "html") == 0);
    CHECK(text_ok(&doc) && strstr(doc.text, "行政处罚案件15宗") != NULL);
    CHECK(strstr(doc.text, "hidden") == NULL);

    /* files: missing, directory */
    fz_diag_clear(&d);
    const char *missing = tpath("missing.txt");
    CHECK(fz_reader_read(r, missing, &doc, &d) == FZ_EIO);
    CHECK(has_diag(&d, FZ_DIAG_SKIP, missing, "No such file or directory"));
    fz_diag_clear(&d);
    CHECK(fz_reader_read(r, tmpdir, &doc, &d) < 0);
    CHECK(has_diag(&d, FZ_DIAG_SKIP, tmpdir, "directory"));

    fz_diag_release(&d);
    fz_reader_free(r);
}

/* The numeral inputs libFuzzer found, with the answer a reader expects. */
static void test_numeral(void)
{
    /* crash-range-short-low: a one-byte low end before a range made the
     * multiplier check read 2 bytes before the text */
    static const char crash1[] = "0-22\xe4\xb8\x87\xe4\xba\xba\xdb\x30\xe6\xbb\xb6";
    size_t n = sizeof crash1 - 1;
    char *t = malloc(n);
    memcpy(t, crash1, n);
    fz_quantity q;
    size_t pos = 0;
    int found = 0;
    while (fz_quantity_next(t, n, &pos, &q)) {
        CHECK(q.end <= n && q.start <= q.end);
        found++;
    }
    CHECK(pos == n);
    free(t);
    static const char range[] = "受众1-2万人";
    CHECK(fz_quantity_at(range, strlen(range), strlen("受众"), &q) == 1);
    CHECK(q.qual == FZ_QUAL_RANGE && q.value == 10000 && q.value_high == 20000);
    CHECK(found >= 0);
}

static void test_csv_inputs(void)
{
    fz_diag d;
    fz_diag_init(&d);

    /* lexicon: an empty keyword is refused, naming file and line */
    static const char lex_empty[] =
        "id,name_zh,kind,unit,units,keywords,priority\n"
        "penalty_cases,行政处罚案件,count,件,件|宗,行政处罚案件,1\n"
        "complaints,投诉,count,件,件,投诉||举报,0\n";
    fz_lexicon *lex = fz_lexicon_parse("lex.csv", lex_empty, sizeof lex_empty - 1, &d);
    CHECK(lex == NULL);
    CHECK(d.n >= 1 && d.items[0].file && strcmp(d.items[0].file, "lex.csv") == 0 &&
          d.items[0].line == 3);
    fz_lexicon_free(lex);
    fz_diag_clear(&d);
    static const char lex_quote[] = "id,name_zh,kind,unit,units,keywords\n"
                                    "x,名,count,件,件,\"投诉\n";
    lex = fz_lexicon_parse("lexq.csv", lex_quote, sizeof lex_quote - 1, &d);
    CHECK(lex == NULL && d.n >= 1);
    fz_lexicon_free(lex);
    fz_diag_clear(&d);

    /* a table: broken rows are skipped one diagnostic each, the rest stays */
    const char *tp = tpath("pop.csv");
    static const char pop[] = "region_code,year,population\n"
                              "441882,2022,350000\n"
                              "441882,\"2021,5\n"
                              "441882\n"
                              "120103,2022,90000\n";
    put(tp, pop, sizeof pop - 1);
    fz_table *t = fz_csv_read_table(tp, &d);
    CHECK(t != NULL);
    CHECK(t && fz_table_nrows(t) >= 2);
    CHECK(t && strcmp(fz_table_text(t, 0, 2), "350000") == 0);
    CHECK(d.n >= 1);
    for (size_t i = 0; i < d.n; i++)
        CHECK_MSG(d.items[i].file && strstr(d.items[i].msg, "pop.csv"),
                  "every table diagnostic names the file");
    fz_table_free(t);
    fz_diag_clear(&d);
    CHECK(fz_csv_read_table(tpath("none.csv"), &d) == NULL);
    CHECK(d.n == 1 && strstr(d.items[0].msg, "none.csv"));
    fz_diag_clear(&d);

    /* observations: no indicator column is FZ_ENOTFOUND; a bad value row is skipped */
    const char *op = tpath("obs.csv");
    static const char nocol[] = "doc,file,value\n1,a.txt,8\n";
    put(op, nocol, sizeof nocol - 1);
    fz_obs *obs = fz_obs_new();
    CHECK(fz_obs_read_csv(op, obs, &d) == FZ_ENOTFOUND);
    CHECK(d.n >= 1 && strstr(d.items[0].msg, "obs.csv"));
    fz_diag_clear(&d);
    static const char rows[] = "doc,file,indicator,value,qualifier\n"
                               "1,a.txt,penalty_cases,8,exact\n"
                               "1,a.txt,complaints,abc,exact\n"
                               "1,a.txt,complaints,1e999,exact\n"
                               "1,a.txt,complaints,5,weird\n"
                               "2,b.txt,penalty_cases,9,exact\n";
    put(op, rows, sizeof rows - 1);
    fz_obs_clear(obs);
    CHECK(fz_obs_read_csv(op, obs, &d) == 0);
    CHECK(fz_obs_nrows(obs) == 2);
    CHECK(fz_diag_count(&d, FZ_DIAG_SKIP) + fz_diag_count(&d, FZ_DIAG_WARN) >= 3);
    fz_obs_free(obs);
    fz_diag_release(&d);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_outfile();
    test_reader();
    test_numeral();
    test_csv_inputs();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_done();
}
