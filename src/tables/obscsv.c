/* obscsv.c: the observation table as CSV (rows and documents), as JSON Lines,
 * and read back from CSV. Column lists are in tables.h; a reader finds the
 * columns by header name so hand-edited files with reordered or extra
 * columns still load. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "obsstream.h"
#include "err.h"
#include "xalloc.h"

static const char *const obs_cols[] = {
    "doc", "file", "region_code", "region_name", "province", "prefecture", "county",
    "township", "level", "year", "published", "indicator", "value", "value_high", "unit",
    "qualifier", "primary", "page", "line", "phrase", "snippet"
};
enum { NOBS_COLS = sizeof obs_cols / sizeof *obs_cols };

static const char *const doc_cols[] = {
    "doc", "file", "format", "encoding", "source", "ocr_confidence", "bytes", "warnings",
    "traditional", "title", "region_code", "region_name", "province", "prefecture", "county",
    "township", "level", "department", "region_status", "region_method", "region_confidence",
    "region_candidates", "report_year", "year_method", "published", "figures", "ambiguous"
};
enum { NDOC_COLS = sizeof doc_cols / sizeof *doc_cols };

static void text(fz_csvw *w, const char *s) { fz_csvw_field(w, s ? s : "", 1); }

/* ---- the observation rows, fast ----------------------------------------
 * Most fields need no quotes and no formula guard: such a field is copied
 * as it is (and checked in the same pass), which is what fz_csvw_field()
 * writes for it; every other field goes through fz_csvw_field()'s code. The
 * fields of a document are the same on all its rows: they are formatted
 * once and the bytes repeated. */

enum { DOC_FIELDS = 11 }; /* doc ... published */

/* A row's own fields are written straight into the record, its room
 * reserved once: the texts' lengths, NUM_ROOM for a number, INT_ROOM for an
 * integer, a comma each. */
enum { NUM_ROOM = 64, INT_ROOM = 24, ROW_FIELDS = 10 };

/* The text field s (n bytes) after a comma at p; need: room to keep when a
 * guard or quotes take the slow way. */
static inline char *text_at(fz_csvw *w, char *p, const char *s, size_t n, size_t need)
{
    *p++ = ',';
    if (n == 0 || fz_csv_copy_text(p, s, n))
        return p + n;
    return fz_csvw_text_at(w, p, s, n, need);
}


/* A number is digits, '.', '-', 'e' and '+': never quoted or guarded. A
 * count (most figures) is its digits, as %.15g prints it. */
static inline char *num_at(char *p, double v)
{
    *p++ = ',';
    if (fz_csv_is_count(v))
        return fz_csv_digits_at(p, (long)v);
    return p + fz_format_num_to(v, -1, p, NUM_ROOM);
}

/* v after a comma */
static inline char *int_at(char *p, long v)
{
    *p++ = ',';
    return fz_csv_digits_at(p, v);
}

/* v if it is above 0, else an empty field */
static inline char *count_at(char *p, long v)
{
    *p++ = ',';
    return v > 0 ? fz_csv_digits_at(p, v) : p;
}

/* The fields of document doc, numbered number, that start a record. */
static void doc_fields(fz_csvw *w, const fz_obs_doc *doc, long number)
{
    const char *t[9] = { doc->file, doc->region_code, doc->region_name, doc->province,
                         doc->prefecture, doc->county, doc->township,
                         fz_level_name(doc->level), doc->published };
    size_t len[9], need = 3 * INT_ROOM + DOC_FIELDS + 1;
    for (size_t k = 0; k < 9; k++) {
        t[k] = t[k] ? t[k] : "";
        need += len[k] = strlen(t[k]);
    }
    fz_buf *b = &w->line;
    fz_buf_reserve(b, need);
    char *p = fz_csv_digits_at(b->data + b->len, number);
    for (size_t k = 0; k < 8; k++)
        p = text_at(w, p, t[k], len[k], need);
    *p++ = ',';
    if (doc->has_year)
        p = fz_csv_digits_at(p, doc->year);
    p = text_at(w, p, t[8], len[8], need);
    b->len = (size_t)(p - b->data);
    *p = '\0';
    w->nfields = DOC_FIELDS;
}

/* A text column's last text written as it is: the indicator, unit and
 * qualifier of a row often repeat the row before's (a pointer met before
 * is the same text while the table is the same). */
typedef struct seen {
    const char *s;
    size_t      n;
} seen;

static inline size_t seen_len(const char *s, const seen *k)
{
    return s == k->s ? k->n : strlen(s);
}

/* text_at() for a column with what it wrote last */
static inline char *seen_at(fz_csvw *w, char *p, const char *s, size_t n, seen *k, size_t need)
{
    *p++ = ',';
    if (s == k->s) {
        memcpy(p, s, n);
        return p + n;
    }
    if (n == 0 || fz_csv_copy_text(p, s, n)) {
        k->s = s;
        k->n = n;
        return p + n;
    }
    return fz_csvw_text_at(w, p, s, n, need);
}

/* cols: the indicator, unit and qualifier columns */
static void row_fields(fz_csvw *w, const fz_obs_row *r, int noun, seen *cols)
{
    const char *ind = r->indicator ? r->indicator : "", *unit = r->unit ? r->unit : "",
               *qual = fz_qual_name(r->qual), *snip = r->snippet ? r->snippet : "",
               *phrase = r->phrase ? r->phrase : "", *nn = noun && r->noun ? r->noun : "";
    size_t li = seen_len(ind, &cols[0]), lu = seen_len(unit, &cols[1]),
           lq = seen_len(qual, &cols[2]), ls = strlen(snip);
    /* the phrase is usually stored as the end of the snippet (fz_obs) */
    uintptr_t ps = (uintptr_t)phrase, ss = (uintptr_t)snip;
    size_t lp = ps >= ss && ps <= ss + ls ? ls - (ps - ss) : strlen(phrase);
    size_t ln = strlen(nn);
    size_t need = li + lu + lq + lp + ls + ln + 2 * NUM_ROOM + 3 * INT_ROOM + ROW_FIELDS + 1;
    fz_buf *b = &w->line;
    fz_buf_reserve(b, need);
    char *p = b->data + b->len;
    p = seen_at(w, p, ind, li, &cols[0], need);
    p = num_at(p, r->value);
    if (r->qual == FZ_QUAL_RANGE)
        p = num_at(p, r->value_high);
    else
        *p++ = ',';
    p = seen_at(w, p, unit, lu, &cols[1], need);
    p = seen_at(w, p, qual, lq, &cols[2], need);
    *p++ = ',';
    *p++ = r->primary ? '1' : '0';
    p = count_at(p, r->page);
    p = count_at(p, r->line);
    p = text_at(w, p, phrase, lp, need);
    p = text_at(w, p, snip, ls, need);
    if (noun)
        p = text_at(w, p, nn, ln, need);
    b->len = (size_t)(p - b->data);
    *p = '\0';
    w->nfields += ROW_FIELDS + (noun != 0);
}

struct fz_obs_stream {
    int        jsonl;
    int        noun;   /* the noun column/key too */
    fz_csvw    w;      /* CSV */
    fz_buf     prefix; /* CSV: the document fields of the document last written */
    size_t     prefix_doc;
    fz_outfile of;     /* JSON Lines */
    fz_buf     b;      /* JSON Lines: the record being built */
    int        bad;    /* JSON Lines: a write failed */
    fz_diag   *d;
};

static void csv_rows(fz_obs_stream *st, const fz_obs *obs, size_t base)
{
    fz_csvw *w = &st->w;
    st->prefix_doc = SIZE_MAX; /* documents are numbered anew per call */
    seen cols[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } }; /* texts of this table */
    size_t nd = fz_obs_ndocs(obs);
    for (size_t i = 0, n = fz_obs_nrows(obs); i < n && !w->err; i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        if (r->doc >= nd) /* an invariant of fz_obs, but never index past it */
            continue;
        if (r->doc == st->prefix_doc && w->nfields == 0) {
            fz_buf_add(&w->line, st->prefix.data, st->prefix.len);
            w->nfields = DOC_FIELDS;
        } else {
            doc_fields(w, fz_obs_doc_at(obs, r->doc), (long)(base + r->doc) + 1);
            fz_buf_reset(&st->prefix);
            fz_buf_add(&st->prefix, w->line.data + w->rec, w->line.len - w->rec);
            st->prefix_doc = r->doc;
        }
        row_fields(w, r, st->noun, cols);
        fz_csvw_end_row(w);
    }
}

int fz_obs_write_csv(const fz_obs *obs, const char *path, const fz_csv_opts *o, fz_diag *d)
{
    fz_obs_stream *s = fz_obs_stream_open(path, 0, o, d);
    if (!s)
        return FZ_EIO;
    fz_obs_stream_rows(s, obs, 0);
    return fz_obs_stream_commit(s);
}

/* The record of a document in documents.csv, numbered number: written as
 * an observation's fields are (room reserved once, texts copied in place). */
static void docs_record(fz_csvw *w, const fz_obs_doc *doc, long number)
{
    const char *t[] = { doc->file,        doc->format,        doc->encoding,
                        doc->source,      doc->title,         doc->region_code,
                        doc->region_name, doc->province,      doc->prefecture,
                        doc->county,      doc->township,      fz_level_name(doc->level),
                        doc->department,  doc->region_status, doc->region_method,
                        doc->region_candidates, doc->year_method, doc->published };
    enum { NT = sizeof t / sizeof *t };
    size_t len[NT], need = 2 * NUM_ROOM + 7 * INT_ROOM + NDOC_COLS + 1;
    for (size_t k = 0; k < NT; k++) {
        t[k] = t[k] ? t[k] : "";
        need += len[k] = strlen(t[k]);
    }
    fz_buf *b = &w->line;
    fz_buf_reserve(b, need);
    char *p = fz_csv_digits_at(b->data + b->len, number);
    size_t k = 0;
    for (; k < 4; k++) /* file .. source */
        p = text_at(w, p, t[k], len[k], need);
    *p++ = ',';
    if (strcmp(t[3], "ocr") == 0)
        p += fz_format_num_to(doc->ocr_confidence, 1, p, NUM_ROOM);
    p = int_at(p, (long)doc->bytes);
    p = int_at(p, doc->warnings);
    p = int_at(p, doc->traditional ? 1 : 0);
    for (; k < 15; k++) /* title .. region_method */
        p = text_at(w, p, t[k], len[k], need);
    *p++ = ',';
    if (t[5][0]) /* a region code */
        p += fz_format_num_to(doc->region_confidence, 2, p, NUM_ROOM);
    p = text_at(w, p, t[k], len[k], need); /* region_candidates */
    *p++ = ',';
    if (doc->has_year)
        p = fz_csv_digits_at(p, doc->year);
    for (k++; k < NT; k++) /* year_method, published */
        p = text_at(w, p, t[k], len[k], need);
    p = int_at(p, doc->figures);
    p = int_at(p, doc->ambiguous);
    b->len = (size_t)(p - b->data);
    *p = '\0';
    w->nfields = NDOC_COLS;
}

int fz_obs_write_docs_csv(const fz_obs *obs, const char *path, const fz_csv_opts *o,
                          fz_diag *d)
{
    fz_csvw w;
    if (fz_csvw_open(&w, path, o, d) < 0)
        return FZ_EIO;
    for (size_t c = 0; c < NDOC_COLS; c++)
        text(&w, doc_cols[c]);
    fz_csvw_end_row(&w);
    for (size_t i = 0, n = fz_obs_ndocs(obs); i < n && !w.err; i++) {
        docs_record(&w, fz_obs_doc_at(obs, i), (long)i + 1);
        fz_csvw_end_row(&w);
    }
    return fz_csvw_commit(&w);
}

/* ---- JSON Lines -------------------------------------------------------- */

static void json_str(fz_buf *b, const char *s)
{
    fz_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fz_buf_adds(b, "\\\""); break;
        case '\\': fz_buf_adds(b, "\\\\"); break;
        case '\n': fz_buf_adds(b, "\\n"); break;
        case '\r': fz_buf_adds(b, "\\r"); break;
        case '\t': fz_buf_adds(b, "\\t"); break;
        default:
            if (*p < 0x20)
                fz_buf_printf(b, "\\u%04x", *p);
            else
                fz_buf_addc(b, (char)*p);
        }
    }
    fz_buf_addc(b, '"');
}

static void json_key(fz_buf *b, const char *k, int first)
{
    if (!first)
        fz_buf_addc(b, ',');
    json_str(b, k);
    fz_buf_addc(b, ':');
}

static void json_num(fz_buf *b, double v)
{
    char s[64];
    if (!isfinite(v)) {
        fz_buf_adds(b, "null");
        return;
    }
    fz_buf_adds(b, fz_format_num(v, -1, s, sizeof s));
}

static void jsonl_rows(fz_obs_stream *st, const fz_obs *obs, size_t base)
{
    fz_buf *b = &st->b;
    size_t nd = fz_obs_ndocs(obs);
    for (size_t i = 0, n = fz_obs_nrows(obs); i < n && !st->bad; i++) {
        const fz_obs_row *r = fz_obs_row_at(obs, i);
        if (r->doc >= nd)
            continue;
        const fz_obs_doc *doc = fz_obs_doc_at(obs, r->doc);
        fz_buf_reset(b);
        fz_buf_addc(b, '{');
        json_key(b, "doc", 1);
        fz_buf_printf(b, "%zu", base + r->doc + 1);
        const char *strs[][2] = {
            { "file", doc->file }, { "region_code", doc->region_code },
            { "region_name", doc->region_name }, { "province", doc->province },
            { "prefecture", doc->prefecture }, { "county", doc->county },
            { "township", doc->township }, { "level", fz_level_name(doc->level) },
        };
        for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
            json_key(b, strs[k][0], 0);
            json_str(b, strs[k][1]);
        }
        json_key(b, "year", 0);
        json_num(b, doc->has_year ? doc->year : NAN);
        json_key(b, "published", 0);
        json_str(b, doc->published);
        json_key(b, "indicator", 0);
        json_str(b, r->indicator);
        json_key(b, "value", 0);
        json_num(b, r->value);
        json_key(b, "value_high", 0);
        json_num(b, r->qual == FZ_QUAL_RANGE ? r->value_high : NAN);
        json_key(b, "unit", 0);
        json_str(b, r->unit);
        json_key(b, "qualifier", 0);
        json_str(b, fz_qual_name(r->qual));
        json_key(b, "primary", 0);
        fz_buf_adds(b, r->primary ? "1" : "0");
        json_key(b, "page", 0);
        json_num(b, r->page > 0 ? r->page : NAN);
        json_key(b, "line", 0);
        json_num(b, r->line > 0 ? (double)r->line : NAN);
        json_key(b, "phrase", 0);
        json_str(b, r->phrase);
        json_key(b, "snippet", 0);
        json_str(b, r->snippet);
        if (st->noun) {
            json_key(b, "noun", 0);
            json_str(b, r->noun);
        }
        fz_buf_adds(b, "}\n");
        if (fwrite(b->data, 1, b->len, st->of.fp) != b->len)
            st->bad = 1;
    }
}

int fz_obs_write_jsonl(const fz_obs *obs, const char *path, const fz_csv_opts *o,
                       fz_diag *d)
{
    fz_obs_stream *s = fz_obs_stream_open(path, 1, o, d);
    if (!s)
        return FZ_EIO;
    fz_obs_stream_rows(s, obs, 0);
    return fz_obs_stream_commit(s);
}

/* ---- the stream (obsstream.h) ------------------------------------------ */

fz_obs_stream *fz_obs_stream_open(const char *path, int jsonl, const fz_csv_opts *o,
                                  fz_diag *d)
{
    fz_obs_stream *s = fz_xcalloc(1, sizeof *s);
    s->jsonl = jsonl;
    s->noun = o && o->all_quantities;
    s->d = d;
    if (jsonl) {
        if (fz_outfile_open(&s->of, path, d) < 0) {
            free(s);
            return NULL;
        }
        fz_buf_init(&s->b);
        return s;
    }
    if (fz_csvw_open(&s->w, path, o, d) < 0) {
        free(s);
        return NULL;
    }
    for (size_t c = 0; c < NOBS_COLS; c++)
        text(&s->w, obs_cols[c]);
    if (s->noun)
        text(&s->w, "noun");
    fz_csvw_end_row(&s->w);
    fz_buf_init(&s->prefix);
    s->prefix_doc = SIZE_MAX;
    return s;
}

void fz_obs_stream_rows(fz_obs_stream *s, const fz_obs *part, size_t doc_base)
{
    if (s->jsonl)
        jsonl_rows(s, part, doc_base);
    else
        csv_rows(s, part, doc_base);
}

int fz_obs_stream_commit(fz_obs_stream *s)
{
    int rc;
    if (s->jsonl) {
        fz_buf_release(&s->b);
        if (s->bad) {
            fz_diag_add(s->d, FZ_DIAG_FATAL, s->of.path, 0, "cannot write '%s': write failed",
                        s->of.path);
            fz_outfile_abort(&s->of);
            rc = FZ_EIO;
        } else {
            rc = fz_outfile_commit(&s->of, s->d);
        }
    } else {
        fz_buf_release(&s->prefix);
        rc = fz_csvw_commit(&s->w);
    }
    free(s);
    return rc;
}

void fz_obs_stream_abort(fz_obs_stream *s)
{
    if (!s)
        return;
    if (s->jsonl) {
        fz_buf_release(&s->b);
        fz_outfile_abort(&s->of);
    } else {
        fz_buf_release(&s->prefix);
        fz_csvw_abort(&s->w);
    }
    free(s);
}

/* ---- reader ------------------------------------------------------------ */

enum {
    C_DOC, C_FILE, C_CODE, C_NAME, C_PROV, C_PREF, C_COUNTY, C_TOWN, C_LEVEL, C_YEAR,
    C_PUB, C_IND, C_VALUE, C_HIGH, C_UNIT, C_QUAL, C_PRIMARY, C_PAGE, C_LINE, C_PHRASE,
    C_SNIPPET, C_NOUN, C_DEPT, NCOLS
};
static const char *const read_names[NCOLS] = {
    "doc", "file", "region_code", "region_name", "province", "prefecture", "county",
    "township", "level", "year", "published", "indicator", "value", "value_high", "unit",
    "qualifier", "primary", "page", "line", "phrase", "snippet", "noun", "department"
};

#define MAX_NUMBER_CHARS 64

typedef struct docmap {
    char  **keys;  /* doc key (doc number or file) per document read */
    size_t *index; /* its index in out */
    int    *figs;  /* rows read for it */
    size_t  n, cap;
    size_t *slots; /* open-addressing hash of keys: position + 1, 0 = empty */
    size_t  nslots; /* a power of two, at least twice n */
} docmap;

static size_t hash_key(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void slot_put(docmap *m, size_t pos)
{
    size_t mask = m->nslots - 1, i = hash_key(m->keys[pos]) & mask;
    while (m->slots[i])
        i = (i + 1) & mask;
    m->slots[i] = pos + 1;
}

static void grow_slots(docmap *m)
{
    free(m->slots);
    m->nslots = m->nslots ? m->nslots * 2 : 256;
    m->slots = fz_xcalloc(m->nslots, sizeof *m->slots);
    for (size_t k = 0; k < m->n; k++)
        slot_put(m, k);
}

typedef struct readctx {
    const char *path;
    fz_obs     *out;
    fz_diag    *d;
    int         col[NCOLS]; /* field index per column, -1 if absent */
    int         have_header;
    docmap      docs;
    long        rows;       /* data rows accepted */
} readctx;

static const char *field(readctx *c, char **f, int which)
{
    int i = c->col[which];
    return i < 0 ? "" : fz_csv_unguard(f[i]);
}

/* A plain decimal: digits, one point, sign, exponent; finite. */
static int parse_num(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || n > MAX_NUMBER_CHARS)
        return -1;
    if (strspn(s, "0123456789+-.eE") < n)
        return -1;
    char tmp[MAX_NUMBER_CHARS + 1];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    double v;
    if (parse_num(s, &v) < 0 || v != floor(v) || v < (double)lo || v > (double)hi)
        return -1;
    *out = (long)v;
    return 0;
}

/* Position of key in m, or -1. */
static long find_doc(const docmap *m, const char *key)
{
    if (!m->nslots)
        return -1;
    size_t mask = m->nslots - 1;
    for (size_t i = hash_key(key) & mask; m->slots[i]; i = (i + 1) & mask)
        if (strcmp(m->keys[m->slots[i] - 1], key) == 0)
            return (long)(m->slots[i] - 1);
    return -1;
}

static int read_row(void *ctx, long line, char **f, size_t n)
{
    readctx *c = ctx;
    if (!c->have_header) {
        for (int k = 0; k < NCOLS; k++)
            c->col[k] = -1;
        for (size_t i = 0; i < n; i++) {
            const char *h = f[i];
            if (i == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
                h += 3;
            for (int k = 0; k < NCOLS; k++)
                if (c->col[k] < 0 && strcmp(h, read_names[k]) == 0)
                    c->col[k] = (int)i;
        }
        c->have_header = 1;
        const int required[] = { C_IND, C_VALUE };
        for (size_t k = 0; k < sizeof required / sizeof *required; k++)
            if (c->col[required[k]] < 0) {
                fz_diag_add(c->d, FZ_DIAG_FATAL, c->path, line,
                            "cannot read '%s': no '%s' column", c->path,
                            read_names[required[k]]);
                return FZ_ENOTFOUND;
            }
        if (c->col[C_DOC] < 0 && c->col[C_FILE] < 0) {
            fz_diag_add(c->d, FZ_DIAG_FATAL, c->path, line,
                        "cannot read '%s': no 'doc' or 'file' column", c->path);
            return FZ_ENOTFOUND;
        }
        return 0;
    }
    (void)n;
    const char *p = c->path;
    fz_obs_row r = { 0 };
    long lv;
    if (parse_num(field(c, f, C_VALUE), &r.value) < 0) {
        fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: value '%.40s' is not a number",
                    p, field(c, f, C_VALUE));
        return 0;
    }
    const char *q = field(c, f, C_QUAL);
    r.qual = FZ_QUAL_EXACT;
    if (*q && fz_qual_parse(q, &r.qual) < 0) {
        fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: unknown qualifier '%.40s'",
                    p, q);
        return 0;
    }
    const char *hi = field(c, f, C_HIGH);
    if (r.qual == FZ_QUAL_RANGE) {
        if (parse_num(hi, &r.value_high) < 0) {
            fz_diag_add(c->d, FZ_DIAG_SKIP, p, line,
                        "'%s': row skipped: range without a numeric value_high", p);
            return 0;
        }
    } else if (*hi) {
        fz_diag_add(c->d, FZ_DIAG_WARN, p, line,
                    "'%s': value_high ignored: qualifier is not range", p);
    }
    const char *prim = field(c, f, C_PRIMARY);
    if (*prim) {
        if (parse_int(prim, 0, 1, &lv) < 0) {
            fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: primary '%.40s' is not 0 or 1",
                        p, prim);
            return 0;
        }
        r.primary = (int)lv;
    }
    const char *pg = field(c, f, C_PAGE);
    if (*pg) {
        if (parse_int(pg, 0, 1000000, &lv) < 0) {
            fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: page '%.40s' is not a page number",
                        p, pg);
            return 0;
        }
        r.page = (int)lv;
    }
    const char *ln = field(c, f, C_LINE);
    if (*ln) {
        if (parse_int(ln, 0, 1000000000L, &lv) < 0) {
            fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: line '%.40s' is not a line number",
                        p, ln);
            return 0;
        }
        r.line = lv;
    }
    /* The document: by doc number, else by file. */
    const char *key = c->col[C_DOC] >= 0 ? field(c, f, C_DOC) : field(c, f, C_FILE);
    if (c->col[C_DOC] >= 0 && parse_int(key, 1, 1000000000L, &lv) < 0) {
        fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: doc '%.40s' is not a document number",
                    p, key);
        return 0;
    }
    long mk = find_doc(&c->docs, key);
    if (mk < 0) {
        fz_obs_doc doc = { 0 };
        doc.file = field(c, f, C_FILE);
        doc.region_code = field(c, f, C_CODE);
        doc.region_name = field(c, f, C_NAME);
        doc.province = field(c, f, C_PROV);
        doc.prefecture = field(c, f, C_PREF);
        doc.county = field(c, f, C_COUNTY);
        doc.township = field(c, f, C_TOWN);
        doc.department = field(c, f, C_DEPT);
        doc.published = field(c, f, C_PUB);
        if (fz_level_parse(field(c, f, C_LEVEL), &doc.level) < 0) {
            fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: unknown level '%.40s'", p,
                        field(c, f, C_LEVEL));
            return 0;
        }
        const char *y = field(c, f, C_YEAR);
        if (*y) {
            if (parse_int(y, 1000, 9999, &lv) < 0) {
                fz_diag_add(c->d, FZ_DIAG_SKIP, p, line, "'%s': row skipped: year '%.40s' is not a year",
                            p, y);
                return 0;
            }
            doc.year = (int)lv;
            doc.has_year = 1;
        }
        doc.region_status = *doc.region_code ? "resolved" : "unresolved";
        docmap *m = &c->docs;
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 64;
            m->keys = fz_xreallocarray(m->keys, m->cap, sizeof *m->keys);
            m->index = fz_xreallocarray(m->index, m->cap, sizeof *m->index);
            m->figs = fz_xreallocarray(m->figs, m->cap, sizeof *m->figs);
        }
        m->keys[m->n] = fz_xstrdup(key);
        m->index[m->n] = fz_obs_add_doc(c->out, &doc);
        m->figs[m->n] = 0;
        mk = (long)m->n++;
        if (m->n * 2 > m->nslots)
            grow_slots(m);
        else
            slot_put(m, (size_t)mk);
    }
    r.doc = c->docs.index[mk];
    r.indicator = field(c, f, C_IND);
    r.unit = field(c, f, C_UNIT);
    r.phrase = field(c, f, C_PHRASE);
    r.snippet = field(c, f, C_SNIPPET);
    r.noun = field(c, f, C_NOUN);
    fz_obs_add(c->out, &r);
    c->docs.figs[mk]++;
    c->rows++;
    return 0;
}

int fz_obs_read_csv(const char *path, fz_obs *out, fz_diag *d)
{
    readctx c = { .path = path, .out = out, .d = d };
    size_t skipped = fz_diag_count(d, FZ_DIAG_SKIP);
    int rc = fz_csvr_each(path, d, read_row, &c);
    skipped = fz_diag_count(d, FZ_DIAG_SKIP) - skipped;
    if (rc == 0 && skipped)
        fz_diag_add(d, FZ_DIAG_NOTE, path, 0,
                    "'%s': %zu rows skipped, so obs_row numbers count the %ld rows read, "
                    "not the file's rows", path, skipped, c.rows);
    for (size_t i = 0; i < c.docs.n; i++) {
        fz_obs_doc dd = *fz_obs_doc_at(out, c.docs.index[i]);
        dd.figures = c.docs.figs[i];
        fz_obs_set_doc(out, c.docs.index[i], &dd);
        free(c.docs.keys[i]);
    }
    free(c.docs.keys);
    free(c.docs.index);
    free(c.docs.figs);
    free(c.docs.slots);
    return rc < 0 ? rc : 0;
}
