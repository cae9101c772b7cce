/* suggest.h: which quantities the lexicon misses, most frequent first.
 *
 * Reads an fz_obs that holds unmapped quantities (indicator "", noun set:
 * see FZ_EXTRACT_ALL_QUANTITIES) and ranks their nouns by how often they
 * occur, so an analyst can add keywords to datasets/lexicon.csv. Strings in
 * the result are borrowed from the fz_obs; the array is the caller's
 * (fz_suggest_free). */
#ifndef FZ_SUGGEST_H
#define FZ_SUGGEST_H

#include <stddef.h>

#include "lexicon.h"
#include "obs.h"

#define FZ_SUGGEST_UNITS_MAX 64 /* bytes of the units list kept per noun */

typedef struct fz_suggestion {
    const char *noun;     /* 村委会 */
    size_t      count;    /* unmapped quantities counting it */
    size_t      docs;     /* documents it occurs in */
    char        units[FZ_SUGGEST_UNITS_MAX]; /* measure words seen, |-separated */
    const char *example;  /* one phrase, e.g. 20个村委会 */
    const char *known;    /* id of an indicator whose keyword is in the noun, or "" */
} fz_suggestion;

/* Ranks the unmapped nouns of obs (count, then documents, then noun).
 * lex may be NULL; with it, `known` names an indicator whose keyword the noun
 * contains (a unit the lexicon does not accept yet, say). *n gets the length;
 * NULL when there is nothing to suggest. */
fz_suggestion *fz_suggest_nouns(const fz_obs *obs, const fz_lexicon *lex, size_t *n);
void           fz_suggest_free(fz_suggestion *s); /* NULL is fine */

#endif
