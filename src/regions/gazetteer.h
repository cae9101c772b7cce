/* gazetteer.h: the official divisions of China (datasets/gazetteer.csv) and a
 * name index over them.
 *
 * fz_gazetteer_load() reads code,name,level,parent rows (2-digit provinces,
 * 4-digit prefectures, 6-digit counties, 9-digit townships) and builds a
 * character trie over every full name and every safe shortened form
 * (曲江区 → 曲江, 大路边镇 → 大路边, 荷城街道办事处 → 荷城街道 and 荷城,
 * 黔南布依族苗族自治州 → 黔南). Placeholder rows (市辖区, 县, 省直辖县级行政区划)
 * and county rows that repeat their city's name (441900 东莞市) stay in the
 * table but are not indexed by name.
 *
 * The loaded gazetteer is immutable: any number of threads may read it at
 * once. Pointers it returns borrow its memory until fz_gazetteer_free().
 * Codes are strings of digits; a division is an ancestor of another exactly
 * when its code is a prefix of the other's. */
#ifndef FZ_GAZETTEER_H
#define FZ_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "obs.h"

#define FZ_GAZETTEER_MAX_BYTES ((size_t)64 << 20) /* larger files are refused */
#define FZ_GAZETTEER_MAX_ROWS  1000000
#define FZ_GAZETTEER_MAX_NAME  128                 /* bytes in one name */

typedef struct fz_gazetteer fz_gazetteer;

typedef struct fz_region {
    const char *code;   /* "441882102" */
    const char *name;   /* 大路边镇, as in the source */
    fz_level    level;  /* PROVINCE .. TOWNSHIP */
    int32_t     parent; /* index of the parent row, -1 for provinces */
    int         placeholder; /* 1 for 市辖区, 县, 直辖县级行政区划, pseudo-counties */
} fz_region;

/* How a name in the index relates to its division. */
typedef enum {
    FZ_FORM_FULL,  /* the name as in the source (or with 办事处 dropped) */
    FZ_FORM_SHORT  /* suffix dropped: 曲江, 大路边, 荷城, 广东 */
} fz_form;

typedef struct fz_posting {
    int32_t region; /* row index */
    fz_form form;
} fz_posting;

/* Reads path. NULL on error, with one FZ_DIAG_FATAL naming the file and
 * line. The rows and the name index come from a binary index file when one
 * was built from exactly these bytes (see fz_gazetteer_write_index()):
 * $FZSTAT_GAZETTEER_INDEX if set (empty: none), else the one beside path
 * (fz_gazetteer_index_path()), else the one the build generated for
 * datasets/gazetteer.csv. Otherwise the CSV is parsed and the index built
 * (about 45k rows in some 25 ms). Either way the gazetteer answers the same. */
fz_gazetteer *fz_gazetteer_load(const char *path, fz_diag *diag);
/* The same with index as the only index file tried (NULL: none). */
fz_gazetteer *fz_gazetteer_load_index(const char *path, const char *index, fz_diag *diag);
void          fz_gazetteer_free(fz_gazetteer *g); /* NULL is fine */

/* Writes g as an index file for the CSV it was loaded from (atomically:
 * a temporary file renamed into place). 0 or FZ_EIO. The file holds the
 * size and a hash of that CSV, and is used only for a CSV with both the
 * same, by a build with the same layout; it is native-endian. */
int   fz_gazetteer_write_index(const fz_gazetteer *g, const char *path, fz_diag *diag);
/* The index file that belongs beside a CSV: x/gazetteer.csv -> x/gazetteer.idx.
 * Caller frees. */
char *fz_gazetteer_index_path(const char *path);
/* 1 if g came from an index file, 0 if it was built from its CSV. */
int   fz_gazetteer_indexed(const fz_gazetteer *g);

size_t           fz_gazetteer_count(const fz_gazetteer *g);
/* No name the index finds (fz_gazetteer_match(), fz_gazetteer_scan()) is
 * shorter than this many bytes; at least 1. */
size_t           fz_gazetteer_min_name(const fz_gazetteer *g);
const fz_region *fz_gazetteer_at(const fz_gazetteer *g, size_t i);
/* Row index of a code, or -1. */
int32_t          fz_gazetteer_find_code(const fz_gazetteer *g, const char *code);
/* 1 if row a is row b or one of its ancestors. */
int              fz_gazetteer_contains(const fz_gazetteer *g, int32_t a, int32_t b);

/* Writes "广东省/清远市/连州市/大路边镇" into out (always NUL-terminated,
 * truncated to cap). Returns the length it needed. */
size_t fz_gazetteer_path(const fz_gazetteer *g, int32_t i, char *out, size_t cap);

/* The longest indexed name that starts at s (n bytes available). Returns
 * its length in bytes (0 if none) and sets *post and *npost to its postings,
 * which are borrowed from g. Names never contain line breaks. */
size_t fz_gazetteer_match(const fz_gazetteer *g, const char *s, size_t n,
                          const fz_posting **post, size_t *npost);

/* The first name in s (n bytes) found by fz_gazetteer_match() at each
 * character in turn, stepping by the length its lead byte gives (1 for a
 * stray byte). Sets *at to its offset and returns its length; or, when a
 * character of stop[0..nstop) (code points, in their shortest UTF-8 form)
 * comes first, sets *at to that character and returns 0; *at is n when
 * there is neither. Postings as for fz_gazetteer_match(). */
size_t fz_gazetteer_scan(const fz_gazetteer *g, const char *s, size_t n, const uint32_t *stop,
                         size_t nstop, size_t *at, const fz_posting **post, size_t *npost);

/* Postings of exactly this name (full or short form), or 0. */
size_t fz_gazetteer_lookup(const fz_gazetteer *g, const char *name,
                           const fz_posting **post);

#endif
