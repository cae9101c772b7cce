/* resolve.h: which region (official division code) and year a report is about.
 *
 * fz_region_resolve() reads a whole document and looks for the reporting
 * body where reports name it, strongest first: the title line
 * (连州市大路边镇人民政府2022年…报告), a header line (上海市青浦区重固镇人民政府,
 * 来源:大路边镇人民政府), the signature block (六盘水市钟山区人民政府荷城街道办事处),
 * else the body (结合荷城街道实际). A chain (韶关市曲江区) narrows a name to
 * the divisions under the names before it. When a name has several
 * divisions (新城镇 is in 19 counties), every other division named anywhere
 * in the document (滨海新区, 《天津市…》, 天津市各区政府网站) votes for the
 * candidates it contains or lies in; if the votes do not separate the
 * best candidate, the status is "ambiguous" and all candidates are listed.
 * A department (韶关市曲江区司法局) gives level "department", the region of
 * the division it belongs to, and department "司法局".
 *
 * Calling order: fz_resolution_init(), then fz_region_resolve() for any
 * number of documents (each call replaces the previous result), then
 * fz_resolution_release(). A resolution owns its strings; the gazetteer is
 * only read, so threads share one gazetteer and use one resolution each. */
#ifndef FZ_RESOLVE_H
#define FZ_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "gazetteer.h"
#include "obs.h"
#include "reader.h"

#define FZ_RESOLVE_MAX_MENTIONS 20000 /* names kept per document (as many again for the last lines) */
/* Of a longer text, names, years and dates are looked for in the first and
 * last half of this many bytes (titles, headers and signatures are there). */
#define FZ_RESOLVE_MAX_SCAN ((size_t)4 << 20)
#define FZ_RESOLVE_MAX_CANDIDATES 64  /* candidates listed for an ambiguous name */

typedef enum {
    FZ_REGION_UNRESOLVED, /* no division named as the reporting body */
    FZ_REGION_RESOLVED,
    FZ_REGION_AMBIGUOUS   /* several divisions fit equally; see candidates */
} fz_region_status;

typedef struct fz_resolution {
    fz_region_status status;
    int32_t     region;        /* gazetteer row, -1 unless resolved */
    const char *code;          /* "441882102", "" unless resolved */
    const char *name;          /* 大路边镇 */
    const char *path;          /* 广东省/清远市/连州市/大路边镇 */
    const char *province;      /* path names, "" where not applicable */
    const char *prefecture;
    const char *county;
    const char *township;
    fz_level    level;         /* DEPARTMENT when department is set */
    const char *department;    /* 司法局, or "" */
    const char *method;        /* title, header, signature, body, or "" */
    double      confidence;    /* 0..1 */
    int32_t    *cand;          /* candidate rows, best first */
    size_t      ncand;
    const char *candidates;    /* "code name path|..." when ambiguous, else "" */

    int         year;          /* report year, valid if has_year */
    int         has_year;
    const char *year_method;   /* title, body, published, or "" */
    char        published[11]; /* YYYY-MM-DD or "" */
    const char *title;         /* the title line, or "" */

    fz_buf      evidence;      /* how it was decided, one line per clue */
    size_t      unscanned;     /* lines not looked at for names (they could not matter) */

    fz_arena    arena;         /* owns the strings above */
    void       *scratch;       /* per-call working memory, reused */
} fz_resolution;

void fz_resolution_init(fz_resolution *r);
void fz_resolution_release(fz_resolution *r);

/* Resolves region and year of doc. Always fills res (status unresolved
 * when nothing names the reporting body); returns 0. */
int fz_region_resolve(const fz_gazetteer *g, const fz_document *doc, fz_resolution *res);

/* The same on bare text (len bytes, need not be NUL-terminated). */
int fz_region_resolve_text(const fz_gazetteer *g, const char *text, size_t len,
                           fz_resolution *res);

/* The same, looking for names on every line. fz_region_resolve_text() skips
 * the lines that cannot be a title, header or signature when the names on
 * those decide the result alone; both give the same result. For tests. */
int fz_region_resolve_text_full(const fz_gazetteer *g, const char *text, size_t len,
                                fz_resolution *res);

/* Fills d's region and year fields (region_code … region_candidates, year,
 * has_year, year_method, published, title, department); pointers borrow
 * from res. */
void fz_resolution_to_doc(const fz_resolution *res, fz_obs_doc *d);

/* Divisions a query names: a code (441882), a full or shortened name
 * (曲江区, 曲江, 荷城), or a chain (韶关市曲江区, 六盘水市钟山区人民政府荷城街道办事处).
 * Writes up to max rows into out and returns how many there are in all. */
size_t fz_region_lookup(const fz_gazetteer *g, const char *query, int32_t *out, size_t max);

const char *fz_region_status_name(fz_region_status s); /* "resolved", ... */

#endif
