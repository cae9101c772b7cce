/* datadir.h: where fzstat finds its data files (lexicon, gazetteer, weights).
 * Order: $FZSTAT_DATA; <dir of the executable>/../share/fzstat (installed);
 * the source tree's datasets/ (running from a build tree). */
#ifndef FZ_DATADIR_H
#define FZ_DATADIR_H

/* Full path of data file `name`, or NULL if none of the places has it.
 * Caller frees. */
char *fz_data_path(const char *name);

const char *fz_version(void);

#endif
