/* test_lexicon.c: datasets/lexicon.csv against the taxonomy, validation
 * messages (file and line), and the keyword automaton. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lexicon.h"
#include "tables.h"
#include "xalloc.h"

static const char *HEADER = "id,name_zh,kind,unit,units,keywords,weak_keywords,context,"
                            "exclusions,priority,description\n";

/* Parses text and returns the lexicon; *msg gets the first diagnostic. */
static fz_lexicon *parse(const char *text, char *msg, size_t n, long *line)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = fz_lexicon_parse("lex.csv", text, strlen(text), &d);
    msg[0] = '\0';
    *line = -1;
    if (d.n > 0) {
        snprintf(msg, n, "%s", d.items[0].msg);
        *line = d.items[0].line;
        CHECK(d.items[0].file && strcmp(d.items[0].file, "lex.csv") == 0);
    }
    fz_diag_release(&d);
    return lex;
}

static void spec_test(void)
{
    char *path = check_source("datasets/lexicon.csv");
    char *spec_path = check_shared("spec/indicators.csv");
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = fz_lexicon_load(path, &d);
    CHECK_MSG(lex != NULL, "datasets/lexicon.csv loads");
    CHECK(d.n == 0);
    fz_table *spec = fz_csv_read_table(spec_path, &d);
    CHECK_MSG(spec != NULL, "spec/indicators.csv is readable");
    if (lex && spec) {
        int cid = fz_table_find_col(spec, "id"), ckind = fz_table_find_col(spec, "kind");
        int cunit = fz_table_find_col(spec, "unit"), cname = fz_table_find_col(spec, "name_zh");
        CHECK(cid >= 0 && ckind >= 0 && cunit >= 0 && cname >= 0);
        /* exactly the taxonomy's ids, with its kind, unit and name */
        CHECK(fz_lexicon_count(lex) == fz_table_nrows(spec));
        for (size_t r = 0; r < fz_table_nrows(spec) && cid >= 0 && ckind >= 0 && cunit >= 0 && cname >= 0; r++) {
            const char *id = fz_table_text(spec, r, (size_t)cid);
            long i = fz_lexicon_find(lex, id);
            char msg[256];
            snprintf(msg, sizeof msg, "spec indicator '%s' is in the lexicon", id);
            CHECK_MSG(i >= 0, msg);
            if (i < 0)
                continue;
            snprintf(msg, sizeof msg, "'%s' has the spec's kind, unit and name", id);
            CHECK_MSG(strcmp(fz_lexicon_kind_name(fz_lexicon_kind(lex, (size_t)i)),
                             fz_table_text(spec, r, (size_t)ckind)) == 0 &&
                          strcmp(fz_lexicon_unit(lex, (size_t)i),
                                 fz_table_text(spec, r, (size_t)cunit)) == 0 &&
                          strcmp(fz_lexicon_name_zh(lex, (size_t)i),
                                 fz_table_text(spec, r, (size_t)cname)) == 0,
                      msg);
            CHECK(fz_lexicon_accepts(lex, (size_t)i, fz_lexicon_unit(lex, (size_t)i)));
            /* every spec keyword governs this indicator (as keyword or weak keyword) */
            int ckw = fz_table_find_col(spec, "keywords_zh");
            const char *kws = ckw >= 0 ? fz_table_text(spec, r, (size_t)ckw) : "";
            while (*kws) {
                const char *end = strchr(kws, '|');
                size_t kl = end ? (size_t)(end - kws) : strlen(kws);
                int ok = 0;
                for (uint32_t w = 0; w < fz_lexicon_nwords(lex); w++) {
                    const char *wt = fz_lexicon_word_text(lex, w);
                    if (strlen(wt) != kl || memcmp(wt, kws, kl) != 0)
                        continue;
                    for (size_t k = 0; k < fz_lexicon_word_nentries(lex, w); k++) {
                        size_t ind;
                        fz_kw_role role;
                        fz_lexicon_word_entry(lex, w, k, &ind, &role);
                        if (ind == (size_t)i && (role == FZ_KW_STRONG || role == FZ_KW_WEAK))
                            ok = 1;
                    }
                }
                snprintf(msg, sizeof msg, "spec keyword '%.*s' governs '%s'", (int)kl, kws, id);
                CHECK_MSG(ok, msg);
                if (!end)
                    break;
                kws = end + 1;
            }
            CHECK(strlen(fz_lexicon_keywords(lex, (size_t)i)) > 0);
        }
    }
    long pc = lex ? fz_lexicon_find(lex, "penalty_cases") : -1;
    CHECK(pc >= 0);
    if (pc >= 0) {
        CHECK(fz_lexicon_accepts(lex, (size_t)pc, "宗"));
        CHECK(!fz_lexicon_accepts(lex, (size_t)pc, "%"));
        CHECK(!fz_lexicon_accepts(lex, (size_t)pc, "人"));
        CHECK(fz_lexicon_kind(lex, (size_t)pc) == FZ_KIND_COUNT);
    }
    CHECK(lex && fz_lexicon_find(lex, "no_such_indicator") == -1);
    fz_table_free(spec);
    fz_lexicon_free(lex);
    fz_diag_release(&d);
    free(path);
    free(spec_path);
}

typedef struct hits {
    char words[32][64];
    unsigned start[32];
    size_t n;
    const fz_lexicon *lex;
} hits;

static void on_hit(void *ctx, const fz_kw_hit *h)
{
    hits *H = ctx;
    if (H->n < 32) {
        snprintf(H->words[H->n], sizeof H->words[H->n], "%s",
                 fz_lexicon_word_text(H->lex, h->word));
        H->start[H->n] = h->start;
        H->n++;
    }
}

static int hit_seen(const hits *H, const char *w, unsigned start)
{
    for (size_t i = 0; i < H->n; i++)
        if (strcmp(H->words[i], w) == 0 && H->start[i] == start)
            return 1;
    return 0;
}

static void automaton_test(void)
{
    char text[2048], msg[256];
    long line;
    snprintf(text, sizeof text,
             "%sa,甲,count,件,件|宗,网格|网格事件|格事,,,网格化,1,\n"
             "b,乙,rate,%%,%%,成功率|调解成功率,成功,调解,,0,\n",
             HEADER);
    fz_lexicon *lex = parse(text, msg, sizeof msg, &line);
    CHECK_MSG(lex != NULL, msg);
    if (!lex)
        return;
    CHECK(fz_lexicon_count(lex) == 2);
    CHECK(fz_lexicon_priority(lex, 0) == 1);
    CHECK(fz_lexicon_kind(lex, 1) == FZ_KIND_RATE);
    CHECK(fz_lexicon_knows(lex, "网格化", strlen("网格化")));
    CHECK(!fz_lexicon_knows(lex, "网", strlen("网")));

    hits H;
    memset(&H, 0, sizeof H);
    H.lex = lex;
    const char *s = "共报有627件网格事件,调解成功率达99%";
    size_t n = fz_lexicon_scan(lex, s, strlen(s), on_hit, &H);
    CHECK(n == H.n);
    unsigned g = (unsigned)(strstr(s, "网格事件") - s);
    unsigned c = (unsigned)(strstr(s, "调解成功率") - s);
    /* overlapping words are all reported */
    CHECK(hit_seen(&H, "网格", g));
    CHECK(hit_seen(&H, "网格事件", g));
    CHECK(hit_seen(&H, "格事", g + 3));
    CHECK(hit_seen(&H, "调解成功率", c));
    CHECK(hit_seen(&H, "成功率", c + 6));
    CHECK(hit_seen(&H, "调解", c));
    CHECK(hit_seen(&H, "成功", c + 6));
    CHECK(n == 7);

    /* a word serving several roles keeps every (indicator, role) */
    uint32_t w = UINT32_MAX;
    for (uint32_t k = 0; k < fz_lexicon_nwords(lex); k++)
        if (strcmp(fz_lexicon_word_text(lex, k), "成功") == 0)
            w = k;
    size_t ind;
    fz_kw_role role;
    int found_weak = 0;
    if (w != UINT32_MAX) {
        CHECK(fz_lexicon_word_nentries(lex, w) == 1);
        fz_lexicon_word_entry(lex, w, 0, &ind, &role);
        found_weak = (ind == 1 && role == FZ_KW_WEAK);
    }
    CHECK(found_weak);

    /* no hit in text without keywords; empty text */
    memset(&H, 0, sizeof H);
    H.lex = lex;
    CHECK(fz_lexicon_scan(lex, "没有关键词", strlen("没有关键词"), on_hit, &H) == 0);
    CHECK(fz_lexicon_scan(lex, "", 0, on_hit, &H) == 0);
    fz_lexicon_free(lex);
}

/* Every hit of the bundled lexicon's automaton, against a naive search of
 * every word at every offset (same hits, in order of end offset, longer words
 * first), over a text of all its words back to back and with separators. */
typedef struct allhits {
    fz_kw_hit *h;
    size_t     n, cap;
} allhits;

static void on_any_hit(void *ctx, const fz_kw_hit *h)
{
    allhits *A = ctx;
    if (A->n == A->cap) {
        A->cap = A->cap ? 2 * A->cap : 256;
        A->h = fz_xreallocarray(A->h, A->cap, sizeof *A->h);
    }
    A->h[A->n++] = *h;
}

typedef size_t (*scan_fn)(const fz_lexicon *lex, const char *text, size_t len,
                          void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx);

/* Scans text with scan and with the plain automaton; 1 when the hits
 * differ. *total gains the automaton's count. */
static int scan_differs(const fz_lexicon *lex, scan_fn scan, const char *text, size_t len,
                        size_t *total)
{
    allhits A = { NULL, 0, 0 }, B = { NULL, 0, 0 };
    size_t na = scan(lex, text, len, on_any_hit, &A);
    size_t nb = fz_lexicon_scan_dfa(lex, text, len, on_any_hit, &B);
    *total += nb;
    int bad = na != nb || A.n != B.n || (A.n && memcmp(A.h, B.h, A.n * sizeof *A.h) != 0);
    free(A.h);
    free(B.h);
    return bad;
}

static void naive_test(void)
{
    char *path = check_source("datasets/lexicon.csv");
    size_t len;
    char *data = check_slurp(path, &len);
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = data ? fz_lexicon_parse(path, data, len, &d) : NULL;
    CHECK(lex != NULL);
    if (lex) {
        size_t nw = fz_lexicon_nwords(lex), cap = 1;
        for (uint32_t w = 0; w < nw; w++)
            cap += 2 * strlen(fz_lexicon_word_text(lex, w)) + 8;
        char *text = fz_xmalloc(cap);
        size_t tl = 0;
        for (uint32_t w = 0; w < nw; w++) { /* back to back, then separated */
            size_t l = strlen(fz_lexicon_word_text(lex, w));
            memcpy(text + tl, fz_lexicon_word_text(lex, w), l);
            tl += l;
        }
        for (uint32_t w = 0; w < nw; w++) {
            size_t l = strlen(fz_lexicon_word_text(lex, w));
            memcpy(text + tl, fz_lexicon_word_text(lex, w), l);
            tl += l;
            memcpy(text + tl, w % 2 ? "、" : "8x", 3 - w % 2);
            tl += 3 - w % 2;
        }
        allhits A = { NULL, 0, 0 };
        size_t n = fz_lexicon_scan(lex, text, tl, on_any_hit, &A);
        CHECK(n == A.n);
        size_t *wl = fz_xmalloc(nw * sizeof *wl);
        for (uint32_t w = 0; w < nw; w++)
            wl[w] = strlen(fz_lexicon_word_text(lex, w));
        size_t k = 0, bad = 0;
        for (size_t e = 1; e <= tl; e++) {
            /* the words ending at e, longest first (one word per length) */
            uint32_t at[FZ_LEXICON_MAX_KEYWORD + 1];
            for (size_t l = 0; l <= FZ_LEXICON_MAX_KEYWORD; l++)
                at[l] = UINT32_MAX;
            for (uint32_t w = 0; w < nw; w++)
                if (wl[w] <= e && memcmp(text + e - wl[w], fz_lexicon_word_text(lex, w), wl[w]) == 0)
                    at[wl[w]] = w;
            for (size_t l = FZ_LEXICON_MAX_KEYWORD; l >= 1; l--) {
                if (at[l] == UINT32_MAX)
                    continue;
                if (k >= A.n || A.h[k].start != e - l || A.h[k].end != e || A.h[k].word != at[l])
                    bad++;
                k++;
            }
        }
        free(wl);
        CHECK(bad == 0);
        CHECK(k == A.n);
        CHECK(A.n > 2 * nw);
        free(A.h);
        free(text);
    }
    fz_lexicon_free(lex);
    fz_diag_release(&d);
    free(data);
    free(path);
}

/* fz_lexicon_scan passes over characters that lead back to the root in bulk;
 * it must report exactly what the plain byte automaton does, on random texts
 * of keyword pieces, CJK and ASCII, broken and overlong UTF-8, for the bundled
 * lexicon and for one whose words start with ASCII, digits and bytes that
 * are not lead bytes. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void same_as_dfa(const fz_lexicon *lex, int rounds)
{
    size_t nw = fz_lexicon_nwords(lex);
    static const char *const pieces[] = { "行政", "案件", "。", "8", "12", "件", "、", "的",
                                          "\xE5", "\xB9\xB4", "\x80", "\xE0\x80\x80", "\xF0\x9F\x98\x80",
                                          "a", " ", "\xC2\xA0", "调解", "纠纷", "共", "“", "”" };
    char text[1024];
    size_t bad = 0, total = 0;
    for (int r = 0; r < rounds; r++) {
        size_t tl = 0;
        while (tl < sizeof text - FZ_LEXICON_MAX_KEYWORD - 8) {
            uint32_t k = rnd() % 8;
            const char *p;
            size_t l;
            if (k < 3 && nw) { /* a whole word, or a piece of one */
                p = fz_lexicon_word_text(lex, rnd() % (uint32_t)nw);
                l = strlen(p);
                if (k == 2 && l > 1) {
                    size_t a = rnd() % l;
                    p += a;
                    l = 1 + rnd() % (l - a);
                }
            } else if (k < 7) {
                p = pieces[rnd() % (sizeof pieces / sizeof *pieces)];
                l = strlen(p);
            } else { /* a random byte */
                text[tl++] = (char)(rnd() & 0xFF);
                continue;
            }
            memcpy(text + tl, p, l);
            tl += l;
        }
        size_t len = rnd() % (tl + 1);
        bad += scan_differs(lex, fz_lexicon_scan, text, len, &total);
    }
    CHECK(bad == 0);
    CHECK(total > 0);
}

/* Appends the UTF-8 of code point c to text at *tl. */
static void put_utf8(char *text, size_t *tl, uint32_t c)
{
    unsigned char *u = (unsigned char *)text + *tl;
    if (c < 0x80) {
        u[0] = (unsigned char)c;
        *tl += 1;
    } else if (c < 0x800) {
        u[0] = (unsigned char)(0xC0 | c >> 6);
        u[1] = (unsigned char)(0x80 | (c & 0x3F));
        *tl += 2;
    } else if (c < 0x10000) {
        u[0] = (unsigned char)(0xE0 | c >> 12);
        u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (c & 0x3F));
        *tl += 3;
    } else {
        u[0] = (unsigned char)(0xF0 | c >> 18);
        u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        u[3] = (unsigned char)(0x80 | (c & 0x3F));
        *tl += 4;
    }
}

/* fz_lexicon_scan_utf8 (one step per three-byte character) reports what
 * the byte automaton does on valid UTF-8: whole words, words cut at
 * character boundaries, characters next to the words' ones in the code
 * space, and characters of every length, up to any end. */
static void utf8_same_as_dfa(const fz_lexicon *lex, int rounds)
{
    size_t nw = fz_lexicon_nwords(lex);
    char text[1024];
    size_t bad = 0, total = 0;
    for (int r = 0; r < rounds; r++) {
        size_t tl = 0;
        while (tl < sizeof text - FZ_LEXICON_MAX_KEYWORD - 8) {
            uint32_t k = rnd() % 8;
            if (k < 4 && nw) { /* a whole word, or characters of one */
                const char *p = fz_lexicon_word_text(lex, rnd() % (uint32_t)nw);
                size_t l = strlen(p), a = 0;
                if (k == 3 && l > 1) { /* cut at character boundaries */
                    a = rnd() % l;
                    while (a > 0 && ((unsigned char)p[a] & 0xC0) == 0x80)
                        a--;
                    size_t b = a + 1 + rnd() % (l - a);
                    while (b < l && ((unsigned char)p[b] & 0xC0) == 0x80)
                        b++;
                    l = b;
                }
                memcpy(text + tl, p + a, l - a);
                tl += l - a;
            } else if (k < 6 && nw) { /* a neighbour of a word's character */
                const unsigned char *p =
                    (const unsigned char *)fz_lexicon_word_text(lex, rnd() % (uint32_t)nw);
                uint32_t c = p[0] < 0x80 ? p[0] : p[0] < 0xE0 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
                             : p[0] < 0xF0 ? (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)
                                           : 0x1F600;
                c += rnd() % 5 - 2;
                if ((c >= 0xD800 && c < 0xE000) || c == 0)
                    c = 0x4E00;
                put_utf8(text, &tl, c);
            } else { /* any character */
                static const uint32_t span[] = { 0x80, 0x800, 0x10000, 0x110000 };
                uint32_t c = 1 + rnd() % (span[rnd() % 4] - 1);
                if (c >= 0xD800 && c < 0xE000)
                    c = 0x3002;
                put_utf8(text, &tl, c);
            }
        }
        size_t len = rnd() % (tl + 1);
        while (len > 0 && len < tl && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* ends at a character boundary */
        bad += scan_differs(lex, fz_lexicon_scan_utf8, text, len, &total);
    }
    CHECK(bad == 0);
    CHECK(total > 0);
}

/* A lexicon of the header and rows, parsed as name; check compares its
 * scan with the plain automaton. */
static void rows_same_as_dfa(const char *name, const char *rows,
                             void (*check)(const fz_lexicon *lex, int rounds), fz_diag *d)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", HEADER, rows);
    fz_lexicon *lex = fz_lexicon_parse(name, text, strlen(text), d);
    CHECK(lex != NULL);
    if (lex)
        check(lex, 3000);
    fz_lexicon_free(lex);
}

static void skip_test(void)
{
    char *path = check_source("datasets/lexicon.csv");
    size_t len;
    char *data = check_slurp(path, &len);
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = data ? fz_lexicon_parse(path, data, len, &d) : NULL;
    CHECK(lex != NULL);
    if (lex) {
        same_as_dfa(lex, 3000);
        utf8_same_as_dfa(lex, 3000);
    }
    fz_lexicon_free(lex);
    free(data);
    free(path);
    /* words that start with ASCII, a digit, a continuation byte, a 2-byte
     * and a 4-byte character, and a lone lead byte */
    rows_same_as_dfa("odd.csv",
                     "a,甲,count,件,件,a调解|12件|\xB9\xB4共|\xC2\xA0案|\xF0\x9F\x98\x80|\xE5,,,,0,\n"
                     "b,乙,count,件,件,行政|政案|案件|件,,,,0,\n",
                     same_as_dfa, &d);
    /* valid UTF-8 words of every length, overlapping, ASCII among them */
    rows_same_as_dfa("utf8.csv",
                     "a,甲,count,件,件,a调解|12件|\xC2\xA0案|\xF0\x9F\x98\x80调|案件x|件,,,,0,\n"
                     "b,乙,count,件,件,行政|政案|案件|件|解案|a,,,,0,\n",
                     utf8_same_as_dfa, &d);
    fz_diag_release(&d);
}

typedef struct bad {
    const char *rows;   /* rows after the header */
    const char *expect; /* part of the first message */
    long        line;   /* its line */
} bad;

static void validation_test(void)
{
    static const bad bads[] = {
        { "a,甲,count,件,件,投诉,,,,0,\nb,乙,ratio,%,%,满意率,,,,0,\n", "unknown kind 'ratio'", 3 },
        { "a,甲,count,件,件,投诉||举报,,,,0,\n", "empty keyword", 2 },
        { "a,甲,count,件,件,,,,,0,\n", "empty keywords", 2 },
        { "a,甲,count,件,件,投诉,,,,0,\nb,乙,count,件,件,举报,,,,0,\na,丙,count,件,件,信访,,,,0,\n",
          "duplicate id 'a' (first on line 2)", 4 },
        { "a,甲,count,件,件|年,投诉,,,,0,\n", "unknown measure word '年'", 2 },
        { "a,甲,rate,%,%|件,满意率,,,,0,\n", "a rate takes only the unit '%'", 2 },
        { "a,甲,count,件,件|%,投诉,,,,0,\n", "a count cannot take the unit '%'", 2 },
        { "a,甲,count,人,件,投诉,,,,0,\n", "unit '人' of 'a' is not among its units", 2 },
        { "a,甲,count,件,件,投诉,,,,9,\n", "priority '9'", 2 },
        { "a,甲,rate,%,%,满意率,成功率,,,0,\n", "need context words", 2 },
        { "a,甲,count,件,件,投诉,,,网格化|,0,\n", "empty keyword in exclusions", 2 },
        { ",甲,count,件,件,投诉,,,,0,\n", "empty id", 2 },
    };
    char text[2048], msg[512], what[700];
    long line;
    for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
        snprintf(text, sizeof text, "%s%s", HEADER, bads[i].rows);
        fz_lexicon *lex = parse(text, msg, sizeof msg, &line);
        snprintf(what, sizeof what, "expected '%s' on line %ld, got '%s' on line %ld",
                 bads[i].expect, bads[i].line, msg, line);
        CHECK_MSG(lex == NULL && strstr(msg, bads[i].expect) != NULL && line == bads[i].line,
                  what);
        fz_lexicon_free(lex);
    }

    /* missing column, empty file, header only, broken quoting */
    fz_lexicon *lex = parse("id,name_zh,kind,unit,units\na,甲,count,件,件\n", msg, sizeof msg,
                            &line);
    CHECK(lex == NULL && strstr(msg, "missing column 'keywords'") && line == 1);
    lex = parse("", msg, sizeof msg, &line);
    CHECK(lex == NULL && strstr(msg, "empty lexicon"));
    lex = parse(HEADER, msg, sizeof msg, &line);
    CHECK(lex == NULL && strstr(msg, "no indicators"));
    snprintf(text, sizeof text, "%sa,\"甲\"x\"\",count,件,件,投诉,,,,0,\n", HEADER);
    fz_diag d;
    fz_diag_init(&d);
    lex = fz_lexicon_parse("lex.csv", text, strlen(text), &d);
    /* libcsv in relaxed mode accepts this; either way no crash and a clean result */
    fz_lexicon_free(lex);
    fz_diag_release(&d);

    /* optional columns may be absent; quoted fields and CRLF line ends work;
     * extra columns are ignored; spaces around list items are trimmed */
    lex = parse("id,kind,name_zh,unit,units,keywords,extra\r\n"
                "a,count,\"甲,乙\",件,件|宗, 投诉 | 举报 ,x\r\n",
                msg, sizeof msg, &line);
    CHECK_MSG(lex != NULL, msg);
    if (lex) {
        CHECK(strcmp(fz_lexicon_name_zh(lex, 0), "甲,乙") == 0);
        CHECK(fz_lexicon_priority(lex, 0) == 0);
        CHECK(fz_lexicon_knows(lex, "举报", strlen("举报")));
    }
    fz_lexicon_free(lex);

    /* a missing file is reported, not fatal to the caller */
    fz_diag_init(&d);
    CHECK(fz_lexicon_load("/nonexistent/lexicon.csv", &d) == NULL);
    CHECK(d.n == 1 && strstr(d.items[0].msg, "cannot read lexicon"));
    fz_diag_release(&d);
}

int main(void)
{
    spec_test();
    automaton_test();
    naive_test();
    skip_test();
    validation_test();
    return check_done();
}
