/* gen.h: the sample corpus generator (fzgen), shared declarations.
 *
 * fzgen writes synthetic "法治政府建设年度报告" in the style of real ones,
 * together with the ground truth a careful human would label: one docs.csv row
 * per file (region, year, publication date, title) and one mentions.csv row per
 * indicator figure the text states. Everything is derived from one seed through
 * the generator's own PRNG, so a run is reproducible byte for byte.
 *
 * Modules (no mutable globals; gen_text.c exports read-only tables):
 *   gen_rng.c    splitmix64 streams and hashing
 *   gen_num.c    numerals: Arabic, full-width, 1.2万, 一千余, 百分之九十五
 *   gen_gaz.c    reads gazetteer.csv (code,name,level,parent) into a tree
 *   gen_doc.c    composes one report and its figures
 *   gen_text.c   the phrase, template and prose tables gen_doc.c draws from
 *   gen_conv.c   ICU: Simplified-Traditional and GB18030/Big5 encoding
 *   gen_sample.c options, region/year plan, files and truth CSVs
 *
 * Nothing here prints except gen_sample.c's main(). */
#ifndef FZ_GEN_H
#define FZ_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* ---- PRNG ---------------------------------------------------------------- */

typedef struct gen_rng {
    uint64_t s; /* splitmix64 state */
} gen_rng;

uint64_t gen_mix(uint64_t x);                          /* splitmix64 finaliser */
uint64_t gen_hash_str(uint64_t h, const char *s);      /* FNV-1a then mix */
void     gen_rng_seed(gen_rng *r, uint64_t a, uint64_t b, uint64_t c);
uint64_t gen_next(gen_rng *r);
uint32_t gen_below(gen_rng *r, uint32_t n);            /* 0..n-1; n > 0 */
double   gen_unit(gen_rng *r);                         /* [0,1) */
int      gen_chance(gen_rng *r, double p);             /* 1 with probability p */
int      gen_range(gen_rng *r, int lo, int hi);        /* lo..hi inclusive */

/* ---- numerals ------------------------------------------------------------ */

typedef enum {
    GEN_NUM_ARABIC,    /* 413 */
    GEN_NUM_FULLWIDTH, /* ４１３ */
    GEN_NUM_THOUSANDS, /* 12,000 */
    GEN_NUM_WAN,       /* 1.2万 (value a multiple of 1000, >= 10000) */
    GEN_NUM_CHINESE    /* 四百一十三, 一千 */
} gen_numstyle;

/* Appends value (in hundredths: 41300 is 413, 8750 is 87.5) in style. */
void gen_num_put(fz_buf *b, int64_t vc, gen_numstyle style);
void gen_num_chinese(fz_buf *b, int64_t v);            /* integer, 0..99999999 */
void gen_num_chinese_dec(fz_buf *b, int64_t vc);       /* 99.5 -> 九十九点五 */
int  gen_num_style_ok(int64_t vc, gen_numstyle style); /* can vc be written so? */
void gen_num_csv(fz_buf *b, int64_t vc);               /* 413, 87.5, 99.25 */

/* ---- gazetteer ----------------------------------------------------------- */

enum { GEN_PROVINCE = 1, GEN_PREFECTURE, GEN_COUNTY, GEN_TOWNSHIP };

typedef struct gen_region {
    char *code;    /* 2/4/6/9-digit division code */
    char *name;    /* 大路边镇 */
    int   level;   /* GEN_PROVINCE .. GEN_TOWNSHIP */
    long  parent;  /* index of the parent row, -1 for provinces */
    int   namesakes; /* rows of the same level with the same name (1 = unique) */
} gen_region;

typedef struct gen_gaz {
    gen_region *r; /* rows in file order (parents before children) */
    size_t      n;
} gen_gaz;

/* Reads path; 0, or FZ_EIO/FZ_EINPUT/FZ_ELIMIT with a message in err. */
int  gen_gaz_load(gen_gaz *g, const char *path, char *err, size_t errlen);
void gen_gaz_release(gen_gaz *g);
/* Ancestor of row i at level lvl, or -1. */
long gen_gaz_up(const gen_gaz *g, long i, int lvl);

/* ---- one document -------------------------------------------------------- */

typedef struct gen_fig {
    const char *indicator; /* taxonomy id */
    int64_t     vc;        /* value in hundredths (low end of a range) */
    int64_t     vhc;       /* high end of a range, else 0 */
    int         qual;      /* GEN_Q_* */
    int         primary;   /* 1: first whole-area figure of the indicator */
    char        unit[24];  /* measure word, "%" for rates, 件次 for 件(次) */
    char       *phrase;    /* the words that state it, as written */
} gen_fig;

enum { GEN_Q_EXACT, GEN_Q_AT_LEAST, GEN_Q_APPROX, GEN_Q_AT_MOST, GEN_Q_RANGE };
const char *gen_qual_name(int q);

typedef struct gen_conv gen_conv;

typedef struct gen_docspec {
    const gen_gaz *gaz;
    long     region;       /* row in gaz */
    int      year;         /* the year reported on */
    uint64_t seed;         /* document stream */
    uint64_t world;        /* run seed: region magnitudes and trends */
    struct gen_conv *conv; /* for traditional documents; NULL: none */
} gen_docspec;

typedef struct gen_doc {
    fz_buf   text;         /* UTF-8 file text (HTML for html docs) */
    int      html;         /* 1: saved web page */
    int      traditional;  /* 1: traditional characters */
    int      encoding;     /* GEN_ENC_* of the written file */
    char     published[16];/* YYYY-MM-DD or "" */
    char    *title;        /* title line as written, or "" */
    gen_fig *figs;
    size_t   nfigs, capfigs;
} gen_doc;

enum { GEN_ENC_UTF8, GEN_ENC_UTF8_BOM, GEN_ENC_GB18030, GEN_ENC_BIG5 };

void gen_doc_init(gen_doc *d);
void gen_doc_release(gen_doc *d);
void gen_doc_reset(gen_doc *d);
/* Composes the report for spec into d: UTF-8 text (traditional already
 * applied), title, publication date and figures. The file's encoding is in
 * d->encoding; the caller encodes. Returns 0, or -1 if a phrase or the title
 * is not in the text (a generator bug: nothing may be written). */
int gen_doc_make(gen_doc *d, const gen_docspec *spec);

/* ---- conversion (ICU) ---------------------------------------------------- */

gen_conv *gen_conv_new(char *err, size_t errlen);      /* NULL on ICU failure */
void      gen_conv_free(gen_conv *c);
/* Simplified -> traditional in place; 0 or -1 (text left unchanged). */
int gen_conv_trad(gen_conv *c, fz_buf *b);
/* Encodes UTF-8 text as GB18030 or Big5 into out; 0, or -1 if a character
 * has no mapping (out is then undefined). */
int gen_conv_encode(gen_conv *c, const char *text, size_t len, int enc, fz_buf *out);

#endif
