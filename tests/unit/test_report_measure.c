/* test_report_measure.c: the width a PDF document's charts measure
 * (fz_pdoc_measure: texts of ideographs, digits, spaces, ( ) - . and "…"
 * summed from their characters' widths, other texts laid out) is pango's
 * width of the whole text (fz_plot_fonts_measure), exactly: every gazetteer
 * name with a year or rank after it, names cut with "…", every sequence of
 * three of the summed characters (a dozen ideographs among them), random
 * strings at the report's sizes and at odd fitted sizes, bold and not, and
 * texts with other characters (Latin that kerns, full-width punctuation,
 * ideographs outside U+4E00..U+9FFF, broken UTF-8). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "render.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

static size_t same, differ;

static void compare(fz_pdoc *d, fz_plot_fonts *f, const char *s, double size, int bold)
{
    double a = fz_pdoc_measure(d, s, size, bold), b = fz_plot_fonts_measure(f, s, size, bold);
    if (a == b) {
        same++;
    } else {
        if (differ++ < 5)
            fprintf(stderr, "'%s' at %.3f%s: %.4f, pango %.4f\n", s, size, bold ? " bold" : "",
                    a, b);
    }
}

static void put_cp(char *p, uint32_t cp)
{
    p[0] = (char)(0xE0 | cp >> 12);
    p[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    p[2] = (char)(0x80 | (cp & 0x3F));
}

static void test_names(fz_pdoc *d, fz_plot_fonts *f)
{
    char *path = check_source("datasets/gazetteer.csv");
    size_t n = 0;
    char *csv = check_slurp(path, &n);
    free(path);
    CHECK(csv != NULL);
    if (!csv)
        return;
    static const double sizes[] = { 7, 7.5, 6.5, 5.37 };
    size_t lines = 0;
    for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        char *a = strchr(line, ','), *b = a ? strchr(a + 1, ',') : NULL;
        if (!a || !b || lines == 0)
            continue;
        *b = '\0';
        compare(d, f, a + 1, sizes[lines % 4], lines % 7 == 0);
        char lab[256];
        if (lines % 5 == 0) { /* as the slope chart labels a name, as fit() cuts it */
            snprintf(lab, sizeof lab, "%s %zu", a + 1, lines % 97);
            compare(d, f, lab, 7, 0);
            snprintf(lab, sizeof lab, "%zu %s(%.6s)", lines % 30, a + 1, line);
            compare(d, f, lab, 6.5, 1);
            size_t len = strlen(a + 1);
            if (len > 6) {
                snprintf(lab, sizeof lab, "%.*s…", (int)(len - 3), a + 1);
                compare(d, f, lab, 7.5, 0);
            }
        }
    }
    free(csv);
    CHECK(lines > 40000);
}

static void test_triples(fz_pdoc *d, fz_plot_fonts *f)
{
    static const char *const ch[] = { "0", "1", "2", "5", "7", "9", " ", "(", ")", "-",
                                      ".", "…", "一", "朝", "阳", "区", "镇", "司", "鿿", "L",
                                      "V", "T", "，", "（" };
    const size_t n = sizeof ch / sizeof *ch;
    static const double sizes[] = { 7, 7.5, 4.7 };
    char s[32];
    for (size_t z = 0; z < 3; z++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                for (size_t k = 0; k < n; k++) {
                    snprintf(s, sizeof s, "%s%s%s", ch[i], ch[j], ch[k]);
                    compare(d, f, s, sizes[z], (i + j + k + z) % 2);
                }
}

static void test_random(fz_pdoc *d, fz_plot_fonts *f)
{
    uint64_t st = 0x6a09e667f3bcc908ULL;
    static const double sizes[] = { 7, 7.5, 8, 10.5, 4, 6.3, 9.81 };
    char s[3 * 24 + 1];
    for (int it = 0; it < 3000; it++) {
        size_t len = 1 + check_xorshift(&st) % 24;
        for (size_t i = 0; i < len; i++) {
            uint64_t x = check_xorshift(&st);
            /* mostly common characters, some anywhere in the block */
            uint32_t cp = x % 4 ? 0x4E00 + (uint32_t)(x >> 8) % 0x1000
                                : 0x4E00 + (uint32_t)(x >> 8) % 0x5200;
            put_cp(s + 3 * i, cp);
            if (x % 7 == 0) /* a digit, space or bracket padded to three bytes */
                memcpy(s + 3 * i, "0 9(5)-.7" + (x >> 40) % 7, 3);
        }
        s[3 * len] = '\0';
        compare(d, f, s, sizes[it % 7], it % 3 == 0);
    }
    /* the ends of the range and what lies outside it */
    static const char *const others[] = {
        "一", "鿿", "鿕", "㐀", "丁丂七", "北京市朝阳区", "城关镇(4101)", "城关镇 12", "2022",
        "Abc", "名称：", "名称，单位", "……", "（件）", "朝阳区司法局 3", "朝\xE9", "朝\xE9\xBF",
        "\xE9\xBF\xBF\xE9", "", "龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘龘", "﨑", "豈",
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        for (int bold = 0; bold < 2; bold++)
            compare(d, f, others[i], 7.5, bold);
}

int main(void)
{
    fz_diag diag;
    fz_diag_init(&diag);
    fz_plot_fonts *f = fz_plot_fonts_new(&diag);
    CHECK(f != NULL);
    if (!f)
        return check_done();
    fz_pdoc_meta meta = { "t", NULL, NULL, "test", 0 };
    fz_pdoc *d = fz_pdoc_new(f, FZ_PDOC_PDF, NULL, 595, 842, &meta, &diag);
    CHECK(d != NULL);
    fz_pdoc_page(d);
    test_names(d, f);
    test_triples(d, f);
    test_random(d, f);
    fprintf(stderr, "%zu widths the same, %zu different\n", same, differ);
    CHECK(same > 40000 && differ == 0);
    fz_pdoc_free(d);
    fz_plot_fonts_free(f);
    fz_diag_release(&diag);
    return check_done();
}
