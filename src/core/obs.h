/* obs.h: every figure fzstat found, and the documents it found them in.
 *
 * The observation table is the contract between extraction (which appends)
 * and stats/plots/tables (which only read). It holds two lists: documents
 * (one per input file: where it came from, which region and year it is about)
 * and rows (one per figure: indicator, value, qualifier, and the sentence it
 * came from). Rows point at their document by index.
 *
 * The table copies every string it is given into its own arena; pointers it
 * returns are borrowed until fz_obs_free(). NA is a flag, never a value:
 * a document with no known year has year == 0 and has_year == 0. */
#ifndef FZ_OBS_H
#define FZ_OBS_H

#include <stddef.h>

typedef enum {
    FZ_QUAL_EXACT,    /* 8宗 */
    FZ_QUAL_AT_LEAST, /* 400余次, 2000多人, 100人以上, 超过, 逾 */
    FZ_QUAL_APPROX,   /* 约, 近, 左右, 上下 */
    FZ_QUAL_AT_MOST,  /* 不足, 以下, 不到 */
    FZ_QUAL_RANGE     /* 10-20件: value is the low end, value_high the high end */
} fz_qual;

typedef enum {
    FZ_LEVEL_NONE,       /* unresolved */
    FZ_LEVEL_PROVINCE,
    FZ_LEVEL_PREFECTURE,
    FZ_LEVEL_COUNTY,
    FZ_LEVEL_TOWNSHIP,
    FZ_LEVEL_DEPARTMENT  /* a department of a region (区司法局): region_code is its region */
} fz_level;

const char *fz_qual_name(fz_qual q);            /* "exact", "at_least", ... */
int         fz_qual_parse(const char *s, fz_qual *out);   /* 0 or FZ_EINPUT */
const char *fz_level_name(fz_level l);          /* "province", ..., "" for NONE */
int         fz_level_parse(const char *s, fz_level *out); /* "" gives NONE */

typedef struct fz_obs_doc {
    const char *file;          /* path as walked from the command line */
    const char *format;        /* text, html, pdf, docx */
    const char *encoding;      /* UTF-8, GB18030, UTF-16LE, Big5, ... */
    const char *source;        /* "text" (a text layer) or "ocr" */
    double      ocr_confidence;/* mean OCR word confidence 0-100; valid if source is ocr */
    size_t      bytes;         /* size of the file as read */
    int         warnings;      /* number of reader warnings (invalid bytes, ...) */
    int         traditional;   /* 1 if converted from traditional characters */
    const char *title;         /* the report's title line, or "" */

    const char *region_code;   /* 2/4/6/9-digit division code, "" if unresolved */
    const char *region_name;   /* 大路边镇 */
    const char *province;      /* path names, "" where not applicable */
    const char *prefecture;
    const char *county;
    const char *township;
    fz_level    level;
    const char *department;    /* 司法局 for a department report, else "" */
    const char *region_status; /* resolved, ambiguous, unresolved */
    const char *region_method; /* title, header, signature, body */
    double      region_confidence; /* 0..1 */
    const char *region_candidates; /* "code name path|..." when ambiguous */

    int         year;          /* the year the report is about; valid if has_year */
    int         has_year;
    const char *year_method;   /* title, body, published */
    const char *published;     /* publication date YYYY-MM-DD, or "" */

    int         figures;       /* rows this document contributed */
    int         ambiguous;     /* quantities left out because two indicators claimed them */
} fz_obs_doc;

typedef struct fz_obs_row {
    size_t      doc;           /* index into the document list */
    const char *indicator;     /* taxonomy id; "" for an unmapped quantity */
    double      value;         /* the figure (low end of a range); percent for rates */
    double      value_high;    /* high end of a range; valid if qual == FZ_QUAL_RANGE */
    const char *unit;          /* measure word as written: 宗, 名, 场次, % */
    fz_qual     qual;
    int         primary;       /* 1: the main figure of this indicator in this doc */
    long        line;          /* 1-based line in the decoded file */
    int         page;          /* 1-based page for PDF input, 0 otherwise */
    const char *phrase;        /* the words that state it: 行政处罚案件8宗 */
    const char *snippet;       /* the clause it came from, trimmed */
    const char *noun;          /* governing noun phrase (unmapped quantities), or "" */
} fz_obs_row;

typedef struct fz_obs fz_obs;

fz_obs *fz_obs_new(void);
void    fz_obs_free(fz_obs *t);                        /* NULL is fine */
void    fz_obs_clear(fz_obs *t);                       /* empty, keeps memory */

size_t  fz_obs_add_doc(fz_obs *t, const fz_obs_doc *d);   /* copies; returns index */
void    fz_obs_set_doc(fz_obs *t, size_t i, const fz_obs_doc *d); /* replace; copies */
void    fz_obs_add(fz_obs *t, const fz_obs_row *r);       /* copies r and its strings */

size_t            fz_obs_ndocs(const fz_obs *t);
size_t            fz_obs_nrows(const fz_obs *t);
const fz_obs_doc *fz_obs_doc_at(const fz_obs *t, size_t i);
const fz_obs_row *fz_obs_row_at(const fz_obs *t, size_t i);
fz_obs_row       *fz_obs_row_mut(fz_obs *t, size_t i);   /* for marking primary */

/* Appends all of src's documents and rows to dst (row doc indices shifted). */
void fz_obs_merge(fz_obs *dst, const fz_obs *src);

#endif
