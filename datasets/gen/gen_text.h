/* gen_text.h: the tables fzgen writes reports from (read-only data).
 *
 * Template mini-language, expanded by gen_doc.c:
 *   <  >   the phrase a labeller would mark (recorded in mentions.csv)
 *   #      the quantity with qualifier and unit: 400余次, 约2,000人, 98.5％
 *   #[a|b] the quantity with one of these units instead of the indicator's
 *   $Y $P $N   report year, the year before, the year after
 *   $W     self-reference (我镇, 我区, 街道); $L level word (镇, 区, 街道)
 *   $G     region name; $S its first character (发文字号 连府〔2022〕15号)
 *   $K     a small document number; $M $D month and day; $X $R distractor
 *          count and rate (numbers a careful labeller leaves alone)
 * Prose (fillers, traps) never states an indicator figure; traps put years,
 * dates, hotline numbers, ordinals and document numbers next to indicator
 * words, and the truth leaves them out. */
#ifndef FZ_GEN_TEXT_H
#define FZ_GEN_TEXT_H

#include <stddef.h>

typedef struct gen_prose {
    const char *text;
    short ymin, ymax; /* report years it fits (0: any) */
} gen_prose;

enum {
    TH_LEAD, TH_DECIDE, TH_ENFORCE, TH_SUPERVISE, TH_APPEAL,
    TH_DISPUTE, TH_GRID, TH_PUBLICITY, TH_LEGALSERV, TH_COUNT
};

typedef struct gen_theme {
    const char *headings[6];  /* subsection headings, NULL-terminated */
    const gen_prose *fill;    /* sentences without figures */
    size_t nfill;
    const gen_prose *trap;    /* sentences with numbers that are not figures */
    size_t ntrap;
} gen_theme;

enum { IND_TOWNSHIP, IND_COUNTY, IND_PREFECTURE };

typedef struct gen_ind {
    const char *id;           /* taxonomy id (spec/indicators.csv) */
    int theme;                /* TH_* */
    int rate;                 /* 1: a percentage */
    const char *units[4];     /* measure words (NULL-terminated); unused for rates */
    long base[3];             /* typical value by level, in tenths; rates: percent */
    double prob[3];           /* chance a report of that level states it */
    int words;                /* may be written in Chinese numerals */
    int cases;                /* counts matters handled (均在法定期限内办结 fits) */
    const char *clauses[7];   /* primary clause templates, NULL-terminated */
    const char *subs[3];      /* secondary (其中…) clause templates */
} gen_ind;

extern const gen_theme GEN_THEMES[TH_COUNT];
extern const gen_ind   GEN_INDS[];
extern const size_t    GEN_NINDS;

extern const gen_prose GEN_INTRO[];     extern const size_t GEN_NINTRO;
extern const gen_prose GEN_DUTY[];      extern const size_t GEN_NDUTY;
extern const gen_prose GEN_COVID[];     extern const size_t GEN_NCOVID;
extern const gen_prose GEN_PROBLEMS[];  extern const size_t GEN_NPROBLEMS;
extern const gen_prose GEN_PLANS[];     extern const size_t GEN_NPLANS;
extern const gen_prose GEN_DISTRACT[];  extern const size_t GEN_NDISTRACT;
extern const char *const GEN_OPENERS[]; extern const size_t GEN_NOPENERS;
extern const char *const GEN_TAILS[];   extern const size_t GEN_NTAILS;
extern const size_t GEN_NTAILS_ANY;     /* tails that fit any figure; the rest fit cases */

#endif
