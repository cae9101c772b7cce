/* lexicon.h: the indicator lexicon (datasets/lexicon.csv) and its keyword
 * automaton.
 *
 * The lexicon is a CSV (read with libcsv) with one row per indicator, so
 * analysts can extend it without recompiling. Columns (found by header name,
 * any order; lists are |-separated):
 *   id             taxonomy id (a public contract: spec/indicators.csv)
 *   name_zh        Chinese name
 *   kind           count | rate
 *   unit           canonical unit (used for zero figures: 零投诉)
 *   units          accepted measure words (件|宗|起); a rate accepts only %
 *   keywords       words that govern a figure (行政处罚案件|处罚案件)
 *   weak_keywords  keywords valid only with a context word in the same
 *                  sentence (成功率 with 调解; 排查 with 矛盾)  [optional]
 *   context        those context words                  [optional]
 *   exclusions     phrases that cancel a keyword they overlap or touch
 *                  (学法 + 工作会议; 网格 + 网格化)       [optional]
 *   priority       0 generic .. 3 specific: a more specific keyword wins over
 *                  a nearer generic one (成功调处 beats 矛盾纠纷)  [optional]
 *   description    free text                            [optional]
 * Every unit must be a measure word numeral.h knows (or %).
 *
 * fz_lexicon_load() validates (unknown kind, empty keyword, duplicate id,
 * unknown unit, bad priority, missing column) and reports each problem with
 * file and line; it returns NULL if there was any. It then builds one
 * Aho-Corasick automaton over the UTF-8 bytes of every keyword, weak keyword,
 * context word and exclusion. A loaded lexicon is immutable: share it
 * read-only between threads. Strings returned are borrowed until
 * fz_lexicon_free().
 *
 * Limits: FZ_LEXICON_MAX_BYTES per file, FZ_LEXICON_MAX_ROWS indicators,
 * FZ_LEXICON_MAX_KEYWORD bytes per keyword. */
#ifndef FZ_LEXICON_H
#define FZ_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define FZ_LEXICON_MAX_BYTES   ((size_t)4 << 20)
#define FZ_LEXICON_MAX_ROWS    4096
#define FZ_LEXICON_MAX_KEYWORD 96

typedef struct fz_lexicon fz_lexicon;

typedef enum { FZ_KIND_COUNT, FZ_KIND_RATE } fz_kind;

typedef enum {
    FZ_KW_STRONG,  /* keyword */
    FZ_KW_WEAK,    /* weak keyword: needs a context word earlier in the sentence */
    FZ_KW_CONTEXT, /* context word for weak keywords */
    FZ_KW_EXCLUDE  /* exclusion phrase */
} fz_kw_role;

/* Loads and validates path; NULL on error (diag says why, with file and line). */
fz_lexicon *fz_lexicon_load(const char *path, fz_diag *diag);
/* Same from memory; name is used in messages. */
fz_lexicon *fz_lexicon_parse(const char *name, const char *data, size_t n, fz_diag *diag);
void        fz_lexicon_free(fz_lexicon *lex); /* NULL is fine */

size_t      fz_lexicon_count(const fz_lexicon *lex);
const char *fz_lexicon_id(const fz_lexicon *lex, size_t i);
const char *fz_lexicon_name_zh(const fz_lexicon *lex, size_t i);
fz_kind     fz_lexicon_kind(const fz_lexicon *lex, size_t i);
const char *fz_lexicon_kind_name(fz_kind k);                 /* "count", "rate" */
const char *fz_lexicon_unit(const fz_lexicon *lex, size_t i);  /* canonical unit */
const char *fz_lexicon_units(const fz_lexicon *lex, size_t i); /* "件|宗|起" */
const char *fz_lexicon_keywords(const fz_lexicon *lex, size_t i); /* "a|b|c" */
int         fz_lexicon_priority(const fz_lexicon *lex, size_t i);
/* Index of indicator id, or -1. */
long        fz_lexicon_find(const fz_lexicon *lex, const char *id);
/* 1 if indicator i accepts measure word unit ("%" for rates). */
int         fz_lexicon_accepts(const fz_lexicon *lex, size_t i, const char *unit);
/* 1 if s (n bytes) is one of the words the automaton knows in any role. */
int         fz_lexicon_knows(const fz_lexicon *lex, const char *s, size_t n);

/* One keyword occurrence found by fz_lexicon_scan. */
typedef struct fz_kw_hit {
    uint32_t start, end; /* byte offsets in the scanned text */
    uint32_t word;       /* index of the word (see fz_lexicon_word_*) */
} fz_kw_hit;

/* Runs the automaton once over text[0..len) and calls hit() for every
 * occurrence of every word (overlapping ones included), in order of end
 * offset. Returns the number of hits. Reentrant; no allocation. */
size_t fz_lexicon_scan(const fz_lexicon *lex, const char *text, size_t len,
                       void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx);
/* The same over valid UTF-8 (text that is not gives hits that may differ):
 * one transition per three-byte character instead of three. */
size_t fz_lexicon_scan_utf8(const fz_lexicon *lex, const char *text, size_t len,
                            void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx);
/* The same, one automaton transition per byte (the reference the scans above
 * must agree with: it passes over characters that start no word in bulk). */
size_t fz_lexicon_scan_dfa(const fz_lexicon *lex, const char *text, size_t len,
                           void (*hit)(void *ctx, const fz_kw_hit *h), void *ctx);

/* A word may serve several indicators in several roles: entries
 * [0, fz_lexicon_word_nentries) give (indicator, role) pairs. */
size_t      fz_lexicon_nwords(const fz_lexicon *lex); /* words are 0..nwords-1 */
size_t      fz_lexicon_word_nentries(const fz_lexicon *lex, uint32_t word);
void        fz_lexicon_word_entry(const fz_lexicon *lex, uint32_t word, size_t k,
                                  size_t *indicator, fz_kw_role *role);
const char *fz_lexicon_word_text(const fz_lexicon *lex, uint32_t word);

#endif
