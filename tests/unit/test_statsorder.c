/* test_statsorder.c: the orders stats/ sorts the panel in. The radix sort of
 * packed keys (fz_panel_order, the parents' sums of normalize.c) against
 * qsort_r with the comparators, and fz_radix_sort against an insertion sort, on random panels with ties, many levels and years. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "obs.h"
#include "statsint.h"
#include "xalloc.h"

static uint64_t rnd_state = 88172645463325252u;
static uint64_t rnd(void)
{
    return check_xorshift(&rnd_state);
}

static void test_radix(void)
{
    size_t n = 5000;
    uint64_t *key = fz_xmalloc(n * sizeof *key), *ref = fz_xmalloc(n * sizeof *ref);
    for (int round = 0; round < 4; round++) {
        int shift = round * 16; /* small keys with many ties up to 63-bit keys */
        for (size_t i = 0; i < n; i++) {
            uint64_t k = (rnd() % 97) << shift | (round == 3 ? rnd() >> 50 : 0);
            key[i] = ref[i] = k << 13 | i; /* the index in the low bits */
        }
        for (size_t i = 1; i < n; i++) { /* insertion sort */
            uint64_t k = ref[i];
            size_t j = i;
            while (j > 0 && ref[j - 1] > k) {
                ref[j] = ref[j - 1];
                j--;
            }
            ref[j] = k;
        }
        fz_radix_sort(key, n);
        CHECK(memcmp(key, ref, n * sizeof *key) == 0);
    }
    fz_radix_sort(key, 0);
    free(key);
    free(ref);
}

/* A random corpus: townships, counties, prefectures, provinces and
 * departments over a few years, indicators drawn from a small list. */
static fz_obs *random_obs(size_t ndocs, int year_span, int letters)
{
    static const char *const ids[] = { "a_cases", "b_rate", "c", "grids", "z_last", "m_mid" };
    fz_obs *o = fz_obs_new();
    for (size_t d = 0; d < ndocs; d++) {
        char code[16], name[32];
        int kind = (int)(rnd() % 5);
        static const int lens[] = { 9, 6, 4, 2, 6 };
        static const fz_level lv[] = { FZ_LEVEL_TOWNSHIP, FZ_LEVEL_COUNTY, FZ_LEVEL_PREFECTURE,
                                       FZ_LEVEL_PROVINCE, FZ_LEVEL_DEPARTMENT };
        snprintf(code, sizeof code, "%02d%02d%02d%03d", 44 + (int)(rnd() % 2),
                 1 + (int)(rnd() % 3), 1 + (int)(rnd() % 4), 1 + (int)(rnd() % 9));
        if (letters && rnd() % 4 == 0)
            code[4] = (char)('A' + rnd() % 3); /* not a digit: the comparison sorts */
        code[lens[kind]] = '\0';
        snprintf(name, sizeof name, "单位%zu", d);
        fz_obs_doc doc = { .file = "x.txt", .region_code = code, .region_name = name,
                           .level = lv[kind], .year = 2015 + (int)(rnd() % (uint64_t)year_span),
                           .has_year = 1, .department = kind == 4 ? "司法局" : NULL };
        fz_obs_add_doc(o, &doc);
        size_t nr = 1 + rnd() % 5;
        for (size_t r = 0; r < nr; r++) {
            const char *id = ids[rnd() % (sizeof ids / sizeof *ids)];
            fz_obs_row row = { .doc = d, .indicator = id, .value = (double)(rnd() % 50) / 4,
                               .unit = id[0] == 'b' ? "%" : "件", .primary = 1 };
            fz_obs_add(o, &row);
        }
    }
    return o;
}

static int cmp_parent_ref(const fz_panel *p, const fz_cell *x, const fz_cell *y)
{
    const fz_unit *ux = &p->units[x->unit], *uy = &p->units[y->unit];
    return ux->level == uy->level && strcmp(ux->parent, uy->parent) == 0 &&
           x->year == y->year && strcmp(p->inds[x->k], p->inds[y->k]) == 0;
}

static void test_orders(size_t ndocs, int year_span)
{
    fz_obs *o = random_obs(ndocs, year_span, 0);
    fz_diag d;
    fz_diag_init(&d);
    fz_stats_opts none = { 0 };
    fz_panel p = { .obs = o, .opts = &none, .diag = &d };
    fz_panel_build(&p);
    CHECK(p.ncells > 0);
    int (*cmps[2])(const void *, const void *, void *) = { fz_panel_cmp_group,
                                                           fz_panel_cmp_series };
    for (int w = 0; w < 2; w++) {
        size_t *fast = fz_panel_order(&p, cmps[w]);
        size_t *slow = fz_xmalloc(p.ncells * sizeof *slow);
        for (size_t i = 0; i < p.ncells; i++)
            slow[i] = i;
        qsort_r(slow, p.ncells, sizeof *slow, cmps[w], &p);
        CHECK(memcmp(fast, slow, p.ncells * sizeof *fast) == 0);
        uint32_t *o32 = fz_panel_order32(&p, cmps[w]); /* the same in 4-byte indices */
        size_t same = 0;
        for (size_t i = 0; i < p.ncells; i++)
            same += o32[i] == slow[i];
        CHECK(same == p.ncells);
        free(o32);
        free(fast);
        free(slow);
    }
    /* parent totals: every group summed in cell order */
    CHECK(fz_normalize(&p) == 0);
    size_t bad = 0, with = 0;
    for (size_t i = 0; i < p.ncells; i++) {
        const fz_cell *c = &p.cells[i];
        const fz_unit *u = &p.units[c->unit];
        if (c->rate || !u->parent[0] || u->level == FZ_LEVEL_DEPARTMENT) {
            bad += !isnan(fz_cell_ptotal(&p, c));
            continue;
        }
        double sum = 0;
        for (size_t j = 0; j < p.ncells; j++) {
            const fz_cell *x = &p.cells[j];
            const fz_unit *ux = &p.units[x->unit];
            if (!x->rate && ux->parent[0] && ux->level != FZ_LEVEL_DEPARTMENT &&
                cmp_parent_ref(&p, c, x))
                sum += x->value;
        }
        bad += fz_cell_ptotal(&p, c) != sum;
        with++;
    }
    CHECK(bad == 0 && with > 0);
    fz_panel_release(&p);
    fz_diag_release(&d);
    fz_obs_free(o);
}

/* The roll-ups of a random corpus: rows strictly in region_code, year,
 * indicator order (strcmp, as the comparator the radix keys stand for),
 * child codes strictly increasing and as many as children_reported. */
static void test_rollup_order(size_t ndocs, int year_span, int letters)
{
    fz_obs *o = random_obs(ndocs, year_span, letters);
    fz_diag d;
    fz_diag_init(&d);
    fz_stats *s = fz_stats_run(o, NULL, &d);
    const fz_table *t = fz_stats_table(s, "rollups");
    int cc = fz_table_find_col(t, "region_code"), cy = fz_table_find_col(t, "year");
    int ci = fz_table_find_col(t, "indicator"), ck = fz_table_find_col(t, "child_codes");
    int cn = fz_table_find_col(t, "children_reported");
    size_t nr = fz_table_nrows(t), bad = 0;
    CHECK(nr > 0);
    char prev[160] = "";
    for (size_t r = 0; r < nr; r++) {
        char code[64], ind[64];
        snprintf(code, sizeof code, "%s", fz_table_text(t, r, (size_t)cc));
        snprintf(ind, sizeof ind, "%s", fz_table_text(t, r, (size_t)ci));
        double y = fz_table_num(t, r, (size_t)cy);
        if (r > 0) {
            const char *pc = prev, *pi = prev + strlen(prev) + 1;
            double py = fz_table_num(t, r - 1, (size_t)cy);
            int c = strcmp(pc, code);
            if (!c)
                c = (py > y) - (py < y);
            if (!c)
                c = strcmp(pi, ind);
            bad += c >= 0;
        }
        size_t lc = strlen(code), li = strlen(ind);
        memcpy(prev, code, lc + 1);
        memcpy(prev + lc + 1, ind, li + 1);
        char kids[4096];
        snprintf(kids, sizeof kids, "%s", fz_table_text(t, r, (size_t)ck));
        size_t nk = 0;
        char *last = NULL;
        for (char *tok = strtok(kids, ";"); tok; tok = strtok(NULL, ";")) {
            bad += last && strcmp(last, tok) >= 0;
            bad += strncmp(tok, code, lc) != 0;
            last = tok;
            nk++;
        }
        bad += (double)nk != fz_table_num(t, r, (size_t)cn);
    }
    CHECK(bad == 0);
    /* children_known: the distinct child codes of a parent over all its rows */
    int cw = fz_table_find_col(t, "children_known");
    size_t badk = 0;
    for (size_t r = 0; r < nr; r++) {
        char code[64]; /* a copy: the view spells codes out in a scratch buffer */
        snprintf(code, sizeof code, "%s", fz_table_text(t, r, (size_t)cc));
        char seen[256][16];
        size_t ns = 0;
        for (size_t q = 0; q < nr; q++) {
            if (strcmp(fz_table_text(t, q, (size_t)cc), code) != 0)
                continue;
            char kids[4096];
            snprintf(kids, sizeof kids, "%s", fz_table_text(t, q, (size_t)ck));
            for (char *tok = strtok(kids, ";"); tok; tok = strtok(NULL, ";")) {
                size_t j = 0;
                while (j < ns && strcmp(seen[j], tok) != 0)
                    j++;
                if (j == ns && ns < 256)
                    snprintf(seen[ns++], sizeof seen[0], "%s", tok);
            }
        }
        badk += (double)ns != fz_table_num(t, r, (size_t)cw);
    }
    CHECK(badk == 0);
    fz_stats_free(s);
    fz_diag_release(&d);
    fz_obs_free(o);
}

int main(void)
{
    test_radix();
    test_orders(50, 1);
    test_orders(800, 4);
    test_orders(3000, 9);
    test_rollup_order(60, 2, 0);
    test_rollup_order(3000, 9, 0);
    test_rollup_order(3000, 9, 1);
    return check_done();
}
