/* suggest.c: counting unmapped nouns (sort row indices by noun, then runs). */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

typedef struct item {
    const fz_obs_row *r;
    size_t i; /* row index, for a stable order */
} item;

static int by_noun(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->r->noun, y->r->noun);
    if (c)
        return c;
    if (x->r->doc != y->r->doc)
        return x->r->doc < y->r->doc ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int by_rank(const void *a, const void *b)
{
    const fz_suggestion *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->docs != y->docs)
        return x->docs > y->docs ? -1 : 1;
    return strcmp(x->noun, y->noun);
}

static void add_unit(char *units, const char *u)
{
    size_t n = strlen(u), have = strlen(units);
    const char *p = units;
    while (*p) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, u, n) == 0)
            return;
        if (!e)
            break;
        p = e + 1;
    }
    if (have + n + 2 > FZ_SUGGEST_UNITS_MAX)
        return;
    if (have)
        units[have++] = '|';
    memcpy(units + have, u, n + 1);
}

/* An indicator one of whose keywords occurs in noun, or "". */
static const char *known_in(const fz_lexicon *lex, const char *noun)
{
    if (!lex)
        return "";
    for (size_t i = 0; i < fz_lexicon_count(lex); i++) {
        const char *p = fz_lexicon_keywords(lex, i);
        while (*p) {
            const char *e = strchr(p, '|');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l > 0) {
                char kw[FZ_LEXICON_MAX_KEYWORD + 1];
                if (l > FZ_LEXICON_MAX_KEYWORD)
                    l = FZ_LEXICON_MAX_KEYWORD;
                memcpy(kw, p, l);
                kw[l] = '\0';
                if (strstr(noun, kw))
                    return fz_lexicon_id(lex, i);
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    return "";
}

fz_suggestion *fz_suggest_nouns(const fz_obs *obs, const fz_lexicon *lex, size_t *n)
{
    *n = 0;
    size_t nrows = fz_obs_nrows(obs), k = 0;
    item *idx = fz_xmalloc((nrows ? nrows : 1) * sizeof *idx);
    for (size_t i = 0; i < nrows; i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        if ((!r->indicator || !r->indicator[0]) && r->noun && r->noun[0])
            idx[k++] = (item){ r, i };
    }
    if (k == 0) {
        free(idx);
        return NULL;
    }
    qsort(idx, k, sizeof *idx, by_noun);
    fz_suggestion *s = fz_xcalloc(k, sizeof *s);
    size_t ns = 0;
    for (size_t i = 0; i < k;) {
        const fz_obs_row *r = idx[i].r;
        fz_suggestion *g = &s[ns++];
        g->noun = r->noun;
        g->example = r->phrase ? r->phrase : "";
        g->known = known_in(lex, r->noun);
        size_t j = i, last_doc = (size_t)-1;
        for (; j < k; j++) {
            const fz_obs_row *q = idx[j].r;
            if (strcmp(q->noun, r->noun) != 0)
                break;
            g->count++;
            if (q->doc != last_doc) { /* sorted by doc within a noun */
                g->docs++;
                last_doc = q->doc;
            }
            add_unit(g->units, q->unit ? q->unit : "");
        }
        i = j;
    }
    free(idx);
    qsort(s, ns, sizeof *s, by_rank);
    *n = ns;
    return s;
}

void fz_suggest_free(fz_suggestion *s)
{
    free(s);
}
