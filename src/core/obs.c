/* obs.c: the observation table (two growable arrays and one string arena). */
#include "obs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "xalloc.h"

struct fz_obs {
    fz_obs_doc *docs;
    size_t ndocs, capdocs;
    fz_obs_row *rows;
    size_t nrows, caprows;
    fz_arena strings;
    /* Indicator ids, units and nouns repeat on many rows: each distinct one
     * is stored once (open addressing over arena copies, NULL = empty). */
    const char **set;
    size_t nset, capset;
};

static const char *const qual_names[] = { "exact", "at_least", "approx", "at_most", "range" };
static const char *const level_names[] = { "", "province", "prefecture", "county",
                                           "township", "department" };

const char *fz_qual_name(fz_qual q)
{
    return (unsigned)q < 5 ? qual_names[q] : "exact";
}

int fz_qual_parse(const char *s, fz_qual *out)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, qual_names[i]) == 0) {
            *out = (fz_qual)i;
            return 0;
        }
    return FZ_EINPUT;
}

const char *fz_level_name(fz_level l)
{
    return (unsigned)l < 6 ? level_names[l] : "";
}

int fz_level_parse(const char *s, fz_level *out)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(s, level_names[i]) == 0) {
            *out = (fz_level)i;
            return 0;
        }
    return FZ_EINPUT;
}

fz_obs *fz_obs_new(void)
{
    fz_obs *t = fz_xcalloc(1, sizeof *t);
    fz_arena_init(&t->strings);
    return t;
}

void fz_obs_free(fz_obs *t)
{
    if (!t)
        return;
    free(t->docs);
    free(t->rows);
    free(t->set);
    fz_arena_release(&t->strings);
    free(t);
}

void fz_obs_clear(fz_obs *t)
{
    t->ndocs = t->nrows = 0;
    if (t->nset)
        memset(t->set, 0, t->capset * sizeof *t->set);
    t->nset = 0;
    fz_arena_reset(&t->strings);
}

static const char *dup(fz_obs *t, const char *s)
{
    return fz_arena_strdup(&t->strings, s);
}

/* eight bytes a step (snippets are tens of bytes), the tail zero-padded */
static size_t hash_str(const char *s, size_t n)
{
    uint64_t h = 0xCBF29CE484222325u ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s + i, n - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    return (size_t)(h ^ (h >> 29));
}

/* The stored copy of a string that many rows share, if it is at most max
 * bytes long; else a copy of its own. The set is at most 3/4 full. */
static const char *intern_upto(fz_obs *t, const char *s, size_t max)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (n > max)
        return dup(t, s);
    if ((t->nset + 1) * 4 > t->capset * 3) {
        size_t cap = t->capset ? t->capset * 2 : 64;
        const char **set = fz_xcalloc(cap, sizeof *set);
        for (size_t i = 0; i < t->capset; i++)
            if (t->set[i]) {
                size_t j = hash_str(t->set[i], strlen(t->set[i])) & (cap - 1);
                while (set[j])
                    j = (j + 1) & (cap - 1);
                set[j] = t->set[i];
            }
        free(t->set);
        t->set = set;
        t->capset = cap;
    }
    size_t j = hash_str(s, n) & (t->capset - 1);
    /* strncmp, not memcmp: a stored string shorter than s ends before n
     * bytes, and nothing may be read past its end */
    for (; t->set[j]; j = (j + 1) & (t->capset - 1))
        if (strncmp(t->set[j], s, n) == 0 && t->set[j][n] == '\0')
            return t->set[j];
    t->set[j] = fz_arena_strndup(&t->strings, s, n);
    t->nset++;
    return t->set[j];
}

/* indicator ids, units, nouns, a document's codes and names */
static const char *intern(fz_obs *t, const char *s)
{
    return intern_upto(t, s, 64);
}

/* A copy of s, or the end of tail (already stored) when s is how tail
 * ends: a figure's phrase is usually the end of its snippet. */
static const char *tail_or_dup(fz_obs *t, const char *s, const char *tail)
{
    if (!s)
        s = "";
    size_t n = strlen(s), m = strlen(tail);
    if (n <= m && memcmp(tail + m - n, s, n) == 0)
        return tail + m - n;
    return fz_arena_strndup(&t->strings, s, n);
}

/* A text that recurs across documents (formats, region codes and names,
 * methods, dates): interned when share. */
static const char *doc_text(fz_obs *t, const char *s, int share)
{
    return share ? intern(t, s) : dup(t, s);
}

/* A document's file and title are its own. */
static void copy_doc(fz_obs *t, fz_obs_doc *dst, const fz_obs_doc *src, int share)
{
    *dst = *src;
    dst->file = dup(t, src->file);
    dst->format = doc_text(t, src->format, share);
    dst->encoding = doc_text(t, src->encoding, share);
    dst->source = doc_text(t, src->source, share);
    dst->title = dup(t, src->title);
    dst->region_code = doc_text(t, src->region_code, share);
    dst->region_name = doc_text(t, src->region_name, share);
    dst->province = doc_text(t, src->province, share);
    dst->prefecture = doc_text(t, src->prefecture, share);
    dst->county = doc_text(t, src->county, share);
    dst->township = doc_text(t, src->township, share);
    dst->department = doc_text(t, src->department, share);
    dst->region_status = doc_text(t, src->region_status, share);
    dst->region_method = doc_text(t, src->region_method, share);
    dst->region_candidates = doc_text(t, src->region_candidates, share);
    dst->year_method = doc_text(t, src->year_method, share);
    dst->published = doc_text(t, src->published, share);
}

static size_t add_doc(fz_obs *t, const fz_obs_doc *d, int share)
{
    if (t->ndocs == t->capdocs) {
        t->capdocs = t->capdocs ? t->capdocs * 2 : 16;
        t->docs = fz_xreallocarray(t->docs, t->capdocs, sizeof *t->docs);
    }
    copy_doc(t, &t->docs[t->ndocs], d, share);
    return t->ndocs++;
}

size_t fz_obs_add_doc(fz_obs *t, const fz_obs_doc *d)
{
    return add_doc(t, d, 0);
}

void fz_obs_set_doc(fz_obs *t, size_t i, const fz_obs_doc *d)
{
    if (i < t->ndocs)
        copy_doc(t, &t->docs[i], d, 0);
}

/* Copies r and its strings; share: the snippet is interned too. */
static void add_row(fz_obs *t, const fz_obs_row *r, int share)
{
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? t->caprows * 2 : 64;
        t->rows = fz_xreallocarray(t->rows, t->caprows, sizeof *t->rows);
    }
    fz_obs_row *dst = &t->rows[t->nrows++];
    *dst = *r;
    dst->indicator = intern(t, r->indicator);
    dst->unit = intern(t, r->unit);
    dst->snippet = share ? intern_upto(t, r->snippet, SIZE_MAX) : dup(t, r->snippet);
    dst->phrase = tail_or_dup(t, r->phrase, dst->snippet);
    dst->noun = intern(t, r->noun);
}

void fz_obs_add(fz_obs *t, const fz_obs_row *r)
{
    add_row(t, r, 0);
}

size_t fz_obs_ndocs(const fz_obs *t) { return t->ndocs; }
size_t fz_obs_nrows(const fz_obs *t) { return t->nrows; }

const fz_obs_doc *fz_obs_doc_at(const fz_obs *t, size_t i)
{
    return i < t->ndocs ? &t->docs[i] : NULL;
}

const fz_obs_row *fz_obs_row_at(const fz_obs *t, size_t i)
{
    return i < t->nrows ? &t->rows[i] : NULL;
}

fz_obs_row *fz_obs_row_mut(fz_obs *t, size_t i)
{
    return i < t->nrows ? &t->rows[i] : NULL;
}

/* A merged table holds many documents (the pipeline's, all of them): their
 * texts that recur are interned, and so are the rows' snippets, as the
 * same clause recurs across reports (100,000 generated reports: 0.66 M
 * distinct snippets in 1.49 M rows); a table of one document's rows is not
 * worth the hashing. */
void fz_obs_merge(fz_obs *dst, const fz_obs *src)
{
    size_t base = dst->ndocs;
    for (size_t i = 0; i < src->ndocs; i++)
        add_doc(dst, &src->docs[i], 1);
    for (size_t i = 0; i < src->nrows; i++) {
        fz_obs_row r = src->rows[i];
        r.doc += base;
        add_row(dst, &r, 1);
    }
}
