/* test_gazetteer.c: loading datasets/gazetteer.csv, its name index, and
 * refusing malformed gazetteers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gazetteer.h"
#include "xalloc.h"

static const fz_region *row_of(const fz_gazetteer *g, const char *code)
{
    int32_t i = fz_gazetteer_find_code(g, code);
    return i < 0 ? NULL : fz_gazetteer_at(g, (size_t)i);
}

/* Does name index row code under form? */
static int has_posting(const fz_gazetteer *g, const char *name, const char *code, fz_form form)
{
    const fz_posting *p;
    size_t n = fz_gazetteer_lookup(g, name, &p);
    int32_t want = fz_gazetteer_find_code(g, code);
    for (size_t i = 0; i < n; i++)
        if (p[i].region == want && p[i].form == form)
            return 1;
    return 0;
}

static size_t count(const fz_gazetteer *g, const char *name)
{
    const fz_posting *p;
    return fz_gazetteer_lookup(g, name, &p);
}

static int load_fails(const char *content, const char *what)
{
    char path[] = "/tmp/fz_gaz_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    FILE *f = fdopen(fd, "w");
    fputs(content, f);
    fclose(f);
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load(path, &d);
    int ok = g == NULL && fz_diag_count(&d, FZ_DIAG_FATAL) == 1 &&
             strstr(d.items[0].msg, what) != NULL;
    if (!ok && d.n)
        fprintf(stderr, "diag: %s\n", d.items[0].msg);
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    unlink(path);
    return ok;
}

/* fz_gazetteer_scan() against fz_gazetteer_match() tried at each character
 * with 《 and 》 as stops, over every position of each text. */
static int scan_like_match(const fz_gazetteer *g, const char *const *texts, size_t ntexts)
{
    static const uint32_t marks[] = { 0x300A, 0x300B }; /* 《 》 */
    for (size_t k = 0; k < ntexts; k++) {
        const char *tx = texts[k];
        size_t tn = strlen(tx);
        for (size_t pos = 0; pos < tn; pos++) {
            size_t want_at = pos, want_len = 0, wn = 0;
            const fz_posting *wp = NULL;
            while (want_at < tn) {
                if (tn - want_at >= 3 && (memcmp(tx + want_at, "《", 3) == 0 ||
                                          memcmp(tx + want_at, "》", 3) == 0))
                    break;
                want_len = fz_gazetteer_match(g, tx + want_at, tn - want_at, &wp, &wn);
                if (want_len)
                    break;
                unsigned char b = (unsigned char)tx[want_at];
                size_t l = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                want_at += l < tn - want_at ? l : tn - want_at;
            }
            size_t at, sn;
            const fz_posting *sp;
            size_t len = fz_gazetteer_scan(g, tx + pos, tn - pos, marks, 2, &at, &sp, &sn);
            if (pos + at != want_at || len != want_len || sp != wp || sn != wn) {
                fprintf(stderr, "scan of text %zu from %zu: %zu+%zu, match: %zu+%zu\n", k, pos,
                        pos + at, len, want_at, want_len);
                return 0;
            }
        }
    }
    return 1;
}

/* ---- the index file ---- */

static int same_posts(const fz_posting *a, size_t na, const fz_posting *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i].region != b[i].region || a[i].form != b[i].form)
            return 0;
    return 1;
}

/* a and b give the same rows, code and name lookups (every name and every
 * prefix of it at a character boundary), matches at every character of
 * texts and scans through them. */
static int same_answers(const fz_gazetteer *a, const fz_gazetteer *b, const char *const *texts,
                        size_t ntexts)
{
    size_t n = fz_gazetteer_count(a);
    if (fz_gazetteer_count(b) != n || fz_gazetteer_min_name(a) != fz_gazetteer_min_name(b))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const fz_region *x = fz_gazetteer_at(a, i), *y = fz_gazetteer_at(b, i);
        if (strcmp(x->code, y->code) != 0 || strcmp(x->name, y->name) != 0 ||
            x->level != y->level || x->parent != y->parent || x->placeholder != y->placeholder ||
            fz_gazetteer_find_code(b, y->code) != (int32_t)i) {
            fprintf(stderr, "row %zu differs\n", i);
            return 0;
        }
        char pa[512], pb[512];
        if (fz_gazetteer_path(a, (int32_t)i, pa, sizeof pa) !=
                fz_gazetteer_path(b, (int32_t)i, pb, sizeof pb) ||
            strcmp(pa, pb) != 0)
            return 0;
        char name[FZ_GAZETTEER_MAX_NAME + 1];
        size_t len = strlen(x->name);
        for (size_t k = 1; k <= len; k++) {
            if (k < len && ((unsigned char)x->name[k] & 0xC0) == 0x80)
                continue;
            memcpy(name, x->name, k);
            name[k] = '\0';
            const fz_posting *pa1, *pb1;
            size_t na = fz_gazetteer_lookup(a, name, &pa1), nb = fz_gazetteer_lookup(b, name, &pb1);
            if (!same_posts(pa1, na, pb1, nb)) {
                fprintf(stderr, "lookup of %s differs\n", name);
                return 0;
            }
        }
    }
    if (fz_gazetteer_find_code(a, "99") != fz_gazetteer_find_code(b, "99") ||
        fz_gazetteer_find_code(b, "000000000") != -1)
        return 0;
    static const uint32_t marks[] = { 0x300A, 0x300B, 0xFF0C }; /* 《 》 ， */
    for (size_t t = 0; t < ntexts; t++) {
        const char *tx = texts[t];
        size_t tn = strlen(tx);
        for (size_t p = 0; p < tn; p++) {
            const fz_posting *pa1, *pb1;
            size_t na, nb;
            if (fz_gazetteer_match(a, tx + p, tn - p, &pa1, &na) !=
                    fz_gazetteer_match(b, tx + p, tn - p, &pb1, &nb) ||
                !same_posts(pa1, na, pb1, nb)) {
                fprintf(stderr, "match in text %zu at %zu differs\n", t, p);
                return 0;
            }
        }
        for (size_t nstop = 0; nstop <= 3; nstop += 3)
            for (size_t p = 0; p < tn;) {
                const fz_posting *pa1, *pb1;
                size_t na, nb, ata, atb;
                size_t la = fz_gazetteer_scan(a, tx + p, tn - p, marks, nstop, &ata, &pa1, &na);
                size_t lb = fz_gazetteer_scan(b, tx + p, tn - p, marks, nstop, &atb, &pb1, &nb);
                if (la != lb || ata != atb || !same_posts(pa1, na, pb1, nb)) {
                    fprintf(stderr, "scan of text %zu from %zu differs\n", t, p);
                    return 0;
                }
                p += ata + 1;
            }
    }
    return 1;
}

static int write_bytes(const char *path, const char *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    int ok = fwrite(buf, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Sets byte i of the file at path to b. */
static int poke(const char *path, size_t i, char b)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return 0;
    int ok = fseek(f, (long)i, SEEK_SET) == 0 && fputc((unsigned char)b, f) != EOF;
    return fclose(f) == 0 && ok;
}

/* Loads csv with index; 1 if that worked and used the index as want says
 * and the rows are those of ref. */
static int loads(const char *csv, const char *index, int want, const fz_gazetteer *ref)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load_index(csv, index, &d);
    int ok = g && d.n == 0 && fz_gazetteer_indexed(g) == want &&
             (!ref || (fz_gazetteer_count(g) == fz_gazetteer_count(ref) &&
                       fz_gazetteer_find_code(g, "441882102") ==
                           fz_gazetteer_find_code(ref, "441882102") &&
                       count(g, "大路边") == count(ref, "大路边")));
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    return ok;
}

static void test_index(const char *path)
{
    char dir[] = "/tmp/fz_gazidx_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char *idx = fz_xasprintf("%s/gazetteer.idx", dir);
    char *bad = fz_xasprintf("%s/bad.idx", dir);
    char *csv2 = fz_xasprintf("%s/gazetteer.csv", dir);
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *built = fz_gazetteer_load_index(path, NULL, &d);
    CHECK(built && !fz_gazetteer_indexed(built));
    CHECK(built && fz_gazetteer_write_index(built, idx, &d) == 0);
    fz_gazetteer *mapped = fz_gazetteer_load_index(path, idx, &d);
    CHECK(mapped && fz_gazetteer_indexed(mapped));
    CHECK(d.n == 0);

    /* sample reports, and the gazetteer itself as a text */
    size_t ncsv = 0;
    char *csvtext = check_slurp(path, &ncsv);
    char *s1 = check_source("datasets/sample/0001_120114110_2016.txt");
    char *s2 = check_source("datasets/sample/0006_120116100_2017.txt");
    size_t n1, n2;
    char *t1 = check_slurp(s1, &n1), *t2 = check_slurp(s2, &n2);
    CHECK(csvtext && t1 && t2);
    const char *texts[] = {
        t1 ? t1 : "", t2 ? t2 : "", csvtext ? csvtext : "",
        "广东省清远市连州市大路边镇、曲江区和荷城街道办事处;黔南布依族苗族自治州（新）镇",
        "\xE5\xB2", "一二\xE0\x81\x98镇三四五六", "x\xF0\xA0\x80\x80\xF0\xA0\x80\x81镇",
    };
    CHECK(built && mapped && same_answers(built, mapped, texts, sizeof texts / sizeof *texts));

    /* fz_gazetteer_load() finds the index beside the CSV */
    char *beside = fz_gazetteer_index_path(csv2);
    CHECK(strcmp(beside + strlen(dir), "/gazetteer.idx") == 0);
    CHECK(csvtext && write_bytes(csv2, csvtext, ncsv));
    unsetenv("FZSTAT_GAZETTEER_INDEX");
    fz_gazetteer *g = fz_gazetteer_load(csv2, &d);
    CHECK(g && fz_gazetteer_indexed(g));
    fz_gazetteer_free(g);
    setenv("FZSTAT_GAZETTEER_INDEX", "", 1); /* none */
    g = fz_gazetteer_load(csv2, &d);
    CHECK(g && !fz_gazetteer_indexed(g));
    fz_gazetteer_free(g);
    unsetenv("FZSTAT_GAZETTEER_INDEX");
    CHECK(d.n == 0);

    /* a CSV that is not the one the index was built from: one row more, or
     * one name changed (same size) */
    if (csvtext) {
        size_t m = ncsv + 64;
        char *c = fz_xmalloc(m);
        memcpy(c, csvtext, ncsv);
        int k = snprintf(c + ncsv, 64, "441882199,测试镇,township,441882\n");
        CHECK(write_bytes(csv2, c, ncsv + (size_t)k));
        fz_diag_init(&d);
        g = fz_gazetteer_load_index(csv2, idx, &d);
        CHECK(g && !fz_gazetteer_indexed(g) && fz_gazetteer_count(g) == fz_gazetteer_count(built) + 1 &&
              count(g, "测试") == 1);
        fz_gazetteer_free(g);
        char *at = strstr(c, "大路边镇");
        if (at)
            memcpy(at, "大路过", strlen("大路过"));
        CHECK(at && write_bytes(csv2, c, ncsv));
        g = fz_gazetteer_load_index(csv2, idx, &d);
        CHECK(g && !fz_gazetteer_indexed(g) && count(g, "大路过镇") == 1 && count(g, "大路边") == 0);
        fz_gazetteer_free(g);
        CHECK(d.n == 0);
        free(c);
    }

    /* a damaged or cut index is not used: every header byte, bytes spread
     * over the body, and cuts at many lengths; on the first 3,000 rows
     * (quick to parse at each try) */
    fz_gazetteer *small = NULL;
    if (csvtext) {
        const char *q = csvtext;
        for (int line = 0; line < 3001 && q; line++)
            q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL;
        CHECK(q && write_bytes(csv2, csvtext, (size_t)(q - csvtext)));
        small = fz_gazetteer_load_index(csv2, NULL, &d);
        CHECK(small && fz_gazetteer_count(small) == 3000 &&
              fz_gazetteer_write_index(small, idx, &d) == 0);
    }
    size_t nidx = 0;
    char *img = small ? check_slurp(idx, &nidx) : NULL;
    CHECK(img && nidx > 4096);
    if (img && nidx > 4096) {
        int flips_ok = 1, cuts_ok = 1;
        flips_ok &= write_bytes(bad, img, nidx);
        for (size_t i = 0; i < nidx; i += i < 256 ? 1 : 1021 + i % 61) {
            char flipped = (char)(img[i] ^ (char)(1u << (i % 8)));
            flips_ok &= poke(bad, i, flipped) && loads(csv2, bad, 0, small) && poke(bad, i, img[i]);
        }
        CHECK(flips_ok);
        static const size_t cuts[] = { 0, 1, 8, 64, 127, 128, 129, 4096 };
        for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
            cuts_ok &= write_bytes(bad, img, cuts[i]) && loads(csv2, bad, 0, small);
        for (size_t len = nidx / 7; len < nidx; len += nidx / 7)
            cuts_ok &= write_bytes(bad, img, len) && loads(csv2, bad, 0, small);
        cuts_ok &= write_bytes(bad, img, nidx - 1) && loads(csv2, bad, 0, small);
        char *longer = fz_xmalloc(nidx + 64);
        memcpy(longer, img, nidx);
        memset(longer + nidx, 0, 64);
        cuts_ok &= write_bytes(bad, longer, nidx + 64) && loads(csv2, bad, 0, small);
        free(longer);
        CHECK(cuts_ok);
        /* intact, it still loads; a missing file or a directory does not */
        CHECK(write_bytes(bad, img, nidx) && loads(csv2, bad, 1, small));
        CHECK(loads(csv2, dir, 0, small));
        CHECK(unlink(bad) == 0 && loads(csv2, bad, 0, small));
    }
    /* an index of another gazetteer does not fit this one */
    char tiny_csv[] = "/tmp/fz_gaz_XXXXXX";
    int fd = mkstemp(tiny_csv);
    FILE *f = fdopen(fd, "w");
    fputs("code,name,level,parent\n44,广东省,province,\n", f);
    fclose(f);
    g = fz_gazetteer_load_index(tiny_csv, NULL, &d);
    CHECK(g && fz_gazetteer_write_index(g, bad, &d) == 0);
    fz_gazetteer_free(g);
    CHECK(loads(tiny_csv, bad, 1, NULL) && loads(path, bad, 0, built));
    unlink(tiny_csv);

    free(img);
    fz_gazetteer_free(small);
    free(t1);
    free(t2);
    free(s1);
    free(s2);
    free(csvtext);
    fz_gazetteer_free(mapped);
    fz_gazetteer_free(built);
    fz_diag_release(&d);
    unlink(idx);
    unlink(bad);
    unlink(csv2);
    rmdir(dir);
    free(beside);
    free(idx);
    free(bad);
    free(csv2);
}

int main(void)
{
    char *path = check_source("datasets/gazetteer.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load(path, &d);
    CHECK(g != NULL);
    CHECK(d.n == 0);
    if (!g)
        return check_done();

    /* the 2023 snapshot: 31 provinces, ~2.9k counties, ~41k townships */
    size_t n = fz_gazetteer_count(g), lv[6] = { 0 };
    for (size_t i = 0; i < n; i++)
        lv[fz_gazetteer_at(g, i)->level]++;
    CHECK(lv[FZ_LEVEL_PROVINCE] == 31);
    CHECK(lv[FZ_LEVEL_PREFECTURE] > 330 && lv[FZ_LEVEL_PREFECTURE] < 350);
    CHECK(lv[FZ_LEVEL_COUNTY] > 2900 && lv[FZ_LEVEL_COUNTY] < 3100);
    CHECK(lv[FZ_LEVEL_TOWNSHIP] > 40000 && lv[FZ_LEVEL_TOWNSHIP] < 43000);

    /* every row but a province has a parent whose code is its prefix */
    int parents_ok = 1;
    for (size_t i = 0; i < n; i++) {
        const fz_region *r = fz_gazetteer_at(g, i);
        if (r->level == FZ_LEVEL_PROVINCE)
            parents_ok &= r->parent == -1;
        else
            parents_ok &= r->parent >= 0 && fz_gazetteer_contains(g, r->parent, (int32_t)i);
    }
    CHECK(parents_ok);

    /* the gold divisions */
    const fz_region *r = row_of(g, "441882102");
    CHECK(r && strcmp(r->name, "大路边镇") == 0 && r->level == FZ_LEVEL_TOWNSHIP);
    r = row_of(g, "120116100");
    CHECK(r && strcmp(r->name, "新城镇") == 0);
    r = row_of(g, "440205");
    CHECK(r && strcmp(r->name, "曲江区") == 0 && r->level == FZ_LEVEL_COUNTY);
    r = row_of(g, "310118109");
    CHECK(r && strcmp(r->name, "重固镇") == 0);
    r = row_of(g, "520201014");
    CHECK(r && strcmp(r->name, "荷城街道") == 0);
    CHECK(row_of(g, "999999") == NULL);
    CHECK(row_of(g, "12a") == NULL);
    CHECK(fz_gazetteer_find_code(g, "") == -1);

    /* paths, with the 市辖区 level of the municipalities */
    char buf[256];
    fz_gazetteer_path(g, fz_gazetteer_find_code(g, "441882102"), buf, sizeof buf);
    CHECK(strcmp(buf, "广东省/清远市/连州市/大路边镇") == 0);
    fz_gazetteer_path(g, fz_gazetteer_find_code(g, "120116100"), buf, sizeof buf);
    CHECK(strcmp(buf, "天津市/市辖区/滨海新区/新城镇") == 0);
    fz_gazetteer_path(g, fz_gazetteer_find_code(g, "44"), buf, sizeof buf);
    CHECK(strcmp(buf, "广东省") == 0);
    char small[8];
    size_t need = fz_gazetteer_path(g, fz_gazetteer_find_code(g, "440205"), small, sizeof small);
    CHECK(need == strlen("广东省/韶关市/曲江区") && strlen(small) < sizeof small);

    /* ancestry is by code prefix */
    CHECK(fz_gazetteer_contains(g, fz_gazetteer_find_code(g, "12"),
                                fz_gazetteer_find_code(g, "120116100")));
    CHECK(!fz_gazetteer_contains(g, fz_gazetteer_find_code(g, "44"),
                                 fz_gazetteer_find_code(g, "120116100")));
    CHECK(!fz_gazetteer_contains(g, -1, 0));

    /* placeholders: 市辖区 and 县 are levels, not names; 441900 东莞市 repeats its city */
    r = row_of(g, "1201");
    CHECK(r && r->placeholder);
    r = row_of(g, "441900");
    CHECK(r && r->placeholder);
    r = row_of(g, "4419");
    CHECK(r && !r->placeholder);
    CHECK(count(g, "市辖区") == 0);
    CHECK(count(g, "县") == 0);
    CHECK(count(g, "省直辖县级行政区划") == 0);
    CHECK(count(g, "东莞市") == 1 && has_posting(g, "东莞市", "4419", FZ_FORM_FULL));

    /* full names, duplicates and short forms */
    CHECK(count(g, "新城镇") == 19);
    CHECK(count(g, "荷城街道") == 2);
    CHECK(has_posting(g, "荷城", "520201014", FZ_FORM_SHORT));
    CHECK(has_posting(g, "荷城", "440608004", FZ_FORM_SHORT));
    CHECK(has_posting(g, "曲江", "440205", FZ_FORM_SHORT));
    CHECK(has_posting(g, "大路边", "441882102", FZ_FORM_SHORT));
    CHECK(has_posting(g, "广西", "45", FZ_FORM_SHORT));
    CHECK(has_posting(g, "新疆", "65", FZ_FORM_SHORT));
    CHECK(has_posting(g, "内蒙古", "15", FZ_FORM_SHORT));
    CHECK(has_posting(g, "黔南", "5227", FZ_FORM_SHORT));
    CHECK(has_posting(g, "连南", "441826", FZ_FORM_SHORT));
    CHECK(has_posting(g, "天津", "12", FZ_FORM_SHORT));
    /* 办事处 names are also found without it */
    CHECK(has_posting(g, "保康街道办事处", "150521403", FZ_FORM_FULL));
    CHECK(has_posting(g, "保康街道", "150521403", FZ_FORM_FULL));
    CHECK(has_posting(g, "保康", "150521403", FZ_FORM_SHORT));
    /* no short form for suffix-less-looking names or everyday words */
    CHECK(count(g, "滨海新") == 0);
    CHECK(count(g, "滨海新区") == 2);
    CHECK(count(g, "人民") == 0);
    CHECK(count(g, "建设") == 0);
    CHECK(count(g, "街道") == 0);
    CHECK(count(g, "和") == 0);
    CHECK(count(g, "") == 0);

    /* longest match in running text stops at the name */
    const fz_posting *p;
    size_t np;
    const char *text = "连州市大路边镇人民政府";
    size_t len = fz_gazetteer_match(g, text, strlen(text), &p, &np);
    CHECK(len == strlen("连州市") && np == 1);
    len = fz_gazetteer_match(g, text + strlen("连州市"), strlen(text) - strlen("连州市"), &p, &np);
    CHECK(len == strlen("大路边镇") && np == 1 &&
          strcmp(fz_gazetteer_at(g, (size_t)p[0].region)->code, "441882102") == 0);
    len = fz_gazetteer_match(g, "法治政府", strlen("法治政府"), &p, &np);
    CHECK(len == 0 && np == 0);
    /* a name never runs over a line end */
    len = fz_gazetteer_match(g, "新城镇\n天津", strlen("新城镇\n天津"), &p, &np);
    CHECK(len == strlen("新城镇"));
    /* full-width parentheses in the source match NFKC text's ASCII ones */
    CHECK(has_posting(g, "天津经济技术开发区(其他片区)", "120116400", FZ_FORM_FULL));
    CHECK(has_posting(g, "天津经济技术开发区（其他片区）", "120116400", FZ_FORM_FULL));

    /* a scan finds what fz_gazetteer_match() finds, character by character */
    static const char *const texts[] = {
        "连州市大路边镇人民政府",
        "关于《韶关市曲江区2019年依法行政工作要点》的通知,荷城街道办事处",
        "天津经济技术开发区（其他片区）与天津经济技术开发区(其他片区)",
        "2022年 abc 新城镇\n天津市 滨海新区新城镇人民政府",
        "连州\xE5\xB7市\xFF\x80大路边镇\xF0\x9F\x98\x80连州市\xC2\xA0连州市\xE5",
        "\xE3\x80\x8A\xF0\x83\x80\x8A连州市\xE3\x80", /* 《, an overlong 《 */
        "广东省清远市连州市大路边镇大路边村", "和县", "曲江", "",
        /* pairs that start names without being one: 建设 of 建设镇, 大路 of 大路边 */
        "建设大路边镇建设镇建设,大路 大路边曲江区曲江,曲江\n曲江", "建设", "大路",
        /* runs of three-byte characters, with overlong forms among them */
        "我们在连州市和清远市看到连\xE0\x80\x80州市\xE0\x80\x8A连州\xE0\x81\x98市曲江区",
    };
    CHECK(scan_like_match(g, texts, sizeof texts / sizeof *texts));
    {
        /* random texts of names, their first characters, everyday words
         * that begin names, CJK characters of U+4000-U+4FFF (lead byte
         * E4 on both sides of U+4E00) and of the whole block, marks and
         * ASCII, so that names start at every offset of the scan's
         * four-character blocks and near the end of the text */
        static const char *const words[] = { "建设", "人民", "发展", "法治政府", "中心", "的",
                                             "《", "》", "（", "）", "12", "\n", "a", "，",
                                             "\xE4\xB8\x80", "\xE4\xB7\xBF", "\xE4\xB8\xB8" };
        static char rbuf[300][400];
        const char *rt[300];
        uint32_t x = 2024;
        for (int t = 0; t < 300; t++) {
            size_t rl = 0, want = 20 + t % 300;
            while (rl + 40 < want + 40 && rl < want) {
                x = x * 1103515245u + 12345u;
                unsigned kind = (x >> 16) % 8;
                char tok[160];
                size_t k;
                if (kind < 3) { /* a name, whole or without its last character */
                    const char *nm = fz_gazetteer_at(g, (x >> 3) % n)->name;
                    k = strlen(nm);
                    if (kind == 2 && k > 3)
                        k -= 3;
                    memcpy(tok, nm, k);
                } else if (kind < 5) {
                    const char *w = words[(x >> 4) % (sizeof words / sizeof *words)];
                    k = strlen(w);
                    memcpy(tok, w, k);
                } else { /* any character of U+4000-U+9FFF */
                    unsigned c = 0x4000 + (x >> 5) % 0x6000;
                    tok[0] = (char)(0xE0 | c >> 12);
                    tok[1] = (char)(0x80 | (c >> 6 & 0x3F));
                    tok[2] = (char)(0x80 | (c & 0x3F));
                    k = 3;
                }
                if (rl + k >= sizeof rbuf[t])
                    break;
                memcpy(rbuf[t] + rl, tok, k);
                rl += k;
            }
            rbuf[t][rl] = '\0';
            rt[t] = rbuf[t];
        }
        CHECK_MSG(scan_like_match(g, rt, 300), "the scan finds what a match at each character does");
    }
    /* the scan stops at a mark, and only at its shortest form */
    {
        static const uint32_t marks[] = { 0x300A, 0x300B };
        size_t at;
        const fz_posting *sp;
        size_t sn;
        CHECK(fz_gazetteer_scan(g, "abc《连州市", strlen("abc《连州市"), marks, 2, &at, &sp, &sn) == 0 &&
              at == 3 && sp == NULL && sn == 0);
        CHECK(fz_gazetteer_scan(g, "abc《连州市", strlen("abc《连州市"), NULL, 0, &at, &sp, &sn) ==
                  strlen("连州市") &&
              at == 6 && sn == 1);
        CHECK(fz_gazetteer_scan(g, "\xF0\x83\x80\x8A连州市", 13, marks, 2, &at, &sp, &sn) ==
                  strlen("连州市") && at == 4);
        CHECK(fz_gazetteer_scan(g, "abc", 3, marks, 2, &at, &sp, &sn) == 0 && at == 3);
    }
    fz_gazetteer_free(g);

    /* malformed gazetteers are refused with one fatal diagnostic */
    CHECK(load_fails("code,name\n11,北京市\n", "header"));
    CHECK(load_fails("code,name,level,parent\n11,北京市,province,\n1101,市辖区,county,11\n",
                     "malformed"));
    CHECK(load_fails("code,name,level,parent\n11,北京市,province,\n1101,市辖区,prefecture,12\n",
                     "bad parent"));
    CHECK(load_fails("code,name,level,parent\n11,北京市,province,\n11,北京,province,\n",
                     "duplicate"));
    CHECK(load_fails("code,name,level,parent\n11,\"北京市,province,\n", "malformed"));
    CHECK(load_fails("code,name,level,parent\n1x,北京市,province,\n", "malformed"));
    fz_diag_clear(&d);
    CHECK(fz_gazetteer_load("/nonexistent/gazetteer.csv", &d) == NULL &&
          fz_diag_count(&d, FZ_DIAG_FATAL) == 1);

    /* a tiny well-formed one, with a quoted name and CRLF ends */
    char tpath[] = "/tmp/fz_gaz_XXXXXX";
    int fd = mkstemp(tpath);
    FILE *f = fdopen(fd, "w");
    fputs("code,name,level,parent\r\n44,广东省,province,\r\n4418,\"清远市\",prefecture,44\r\n"
          "441882,连州市,county,4418\r\n441882102,大路边镇,township,441882\r\n",
          f);
    fclose(f);
    fz_diag_clear(&d);
    g = fz_gazetteer_load(tpath, &d);
    CHECK(g && fz_gazetteer_count(g) == 4);
    CHECK(g && has_posting(g, "清远", "4418", FZ_FORM_SHORT));
    CHECK(g && has_posting(g, "大路边镇", "441882102", FZ_FORM_FULL));
    fz_gazetteer_free(g);
    unlink(tpath);

    /* names that start outside the CJK block, or are one character */
    char opath[] = "/tmp/fz_gaz_XXXXXX";
    fd = mkstemp(opath);
    f = fdopen(fd, "w");
    fputs("code,name,level,parent\n44,广东省,province,\n4418,清远市,prefecture,44\n"
          "441882,连州市,county,4418\n441882101,岛,township,441882\n"
          "441882102,X镇,township,441882\n441882103,（新）镇,township,441882\n"
          "441882104,𠀀𠀁镇,township,441882\n441882105,〇村镇,township,441882\n"
          "441882106,岭（东）镇,township,441882\n",
          f);
    fclose(f);
    g = fz_gazetteer_load(opath, &d);
    CHECK(g && count(g, "岛") == 1 && count(g, "X镇") == 1 && count(g, "(新)镇") == 1 &&
          count(g, "（新）镇") == 1 && count(g, "𠀀𠀁镇") == 1 && count(g, "〇村镇") == 1);
    static const char *const odd[] = {
        "岛上X镇与(新)镇、（新）镇,𠀀𠀁镇和〇村镇;岛", "XX镇 X 镇 岛岛 （新）", "《岛》", "岭（东）镇与岭(东)镇,岭（东",
        "\xE5\xB2\x9B", "\xE5\xB2", "x\xF0\xA0\x80\x80\xF0\xA0\x80\x81镇",
        /* overlong three-byte forms decode as the character: X, (, ) and NUL */
        "一二\xE0\x81\x98镇三四五六", "一二岭\xE0\x80\xA8东\xE0\x80\xA9镇三四五六",
        "一二\xE0\x80\xA8新\xE0\x80\xA9镇三四五六", "一二岭\xE0\x80\x80东)镇三四五六",
        "一二\xE0\x80\x80岛三四五六岭\xEF\xBC\x88东)镇三四五六",
    };
    CHECK(g && scan_like_match(g, odd, sizeof odd / sizeof *odd));
    fz_gazetteer_free(g);
    unlink(opath);

    /* no one-character name: runs of CJK go four characters at a time,
     * and a name may start just below U+4E00 (lead byte E4 all the same) */
    char xpath[] = "/tmp/fz_gaz_XXXXXX";
    fd = mkstemp(xpath);
    f = fdopen(fd, "w");
    fputs("code,name,level,parent\n44,广东省,province,\n4418,清远市,prefecture,44\n"
          "441882,连州市,county,4418\n441882101,\xE4\xB7\xBF\xE4\xB8\x80镇,township,441882\n"
          "441882102,\xE4\xB8\x80\xE4\xB7\xBF乡,township,441882\n"
          "441882103,大路边镇,township,441882\n",
          f);
    fclose(f);
    g = fz_gazetteer_load(xpath, &d);
    CHECK(g && count(g, "\xE4\xB7\xBF\xE4\xB8\x80镇") == 1 && count(g, "大路边") == 1);
    static const char *const ext[] = {
        "一二三四五\xE4\xB7\xBF\xE4\xB8\x80镇六七八九十一二三四五六七八九十",
        "一二三四\xE4\xB7\xBF\xE4\xB8\x80六七八九十一二三四五六七八九十大路边",
        "一二三四五六七\xE4\xB8\x80\xE4\xB7\xBF乡八九十一二三四五六七八九十大路边镇",
        "《一二三四五六七八九十一二三四五》六七八九十\xE4\xB7\xBF\xE4\xB8\x80镇",
    };
    CHECK(g && scan_like_match(g, ext, sizeof ext / sizeof *ext));
    fz_gazetteer_free(g);
    unlink(xpath);

    test_index(path);

    fz_diag_release(&d);
    free(path);
    return check_done();
}
