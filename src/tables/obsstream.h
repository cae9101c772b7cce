/* obsstream.h: the observation table written while extraction builds it.
 *
 * 'fzstat extract' hands each document's rows to the stream as the pipeline
 * merges them in input order, so the rows need not be kept and the file is
 * written beside the extraction instead of after it. The bytes are those of
 * fz_obs_write_csv() / fz_obs_write_jsonl() (which are this stream over the
 * whole table). The file is atomic as theirs: nothing appears under path
 * until fz_obs_stream_commit().
 * Calling order: fz_obs_stream_open -> fz_obs_stream_rows ... ->
 * fz_obs_stream_commit or fz_obs_stream_abort. Not thread-safe: the caller
 * serializes the calls. */
#ifndef FZ_OBSSTREAM_H
#define FZ_OBSSTREAM_H

#include <stddef.h>

#include "diag.h"
#include "obs.h"
#include "tables.h"

typedef struct fz_obs_stream fz_obs_stream;

/* NULL when path cannot be created (d says why). jsonl: JSON Lines, else CSV
 * with its header row. Diagnostics of later calls go to d as well. */
fz_obs_stream *fz_obs_stream_open(const char *path, int jsonl, const fz_csv_opts *o,
                                  fz_diag *d);
/* Writes every row of part; a row's document is part's document row.doc,
 * numbered doc_base + row.doc + 1 in the output. */
void fz_obs_stream_rows(fz_obs_stream *s, const fz_obs *part, size_t doc_base);
int  fz_obs_stream_commit(fz_obs_stream *s); /* 0 or FZ_E*; frees s */
void fz_obs_stream_abort(fz_obs_stream *s);  /* NULL is fine; frees s */

#endif
