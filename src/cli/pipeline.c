/* pipeline.c: read → resolve → extract over all inputs with worker threads.
 *
 * Files are processed in batches: workers take the next index of the batch
 * from an atomic counter and leave each file's rows and diagnostics in its
 * slot. The slots are merged in input order as soon as they can be: a
 * worker that finishes a file merges every finished slot from the first
 * unmerged one on (under a mutex), so merging overlaps with the other
 * workers' reading and extraction instead of running after the batch. A
 * batch is small enough that memory does not grow with the corpus (only the
 * merged observations do) and large enough that threads rarely wait.
 *
 * A corpus that is not in the page cache (a large one, or one written long
 * ago) is read from disk one file at a time by each worker, and a worker
 * waits for every read: at -j1 the run takes the sum of the CPU time and the
 * disk time. A prefetch thread keeps the files just ahead of the workers on
 * their way into the page cache: it looks whether a file is cached (a
 * one-byte read that must not wait) and, if not, asks the kernel to read it
 * (POSIX_FADV_WILLNEED) and does the same for the files after it; while the
 * files it looks at are cached it looks at one in PF_SPARSE only. It reads
 * nothing the workers use and reports nothing, so output is unchanged. */
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "datadir.h"
#include "err.h"
#include "extract.h"
#include "gazetteer.h"
#include "lexicon.h"
#include "reader.h"
#include "resolve.h"
#include "threads.h"
#include "walk.h"
#include "xalloc.h"

enum { BATCH = 256, MAX_JOBS = 64 };

typedef struct slot {
    fz_obs *obs;  /* this file's document and rows (document index 0) */
    fz_diag diag; /* this file's diagnostics */
    int     ok;   /* 1: read and processed; 0: skipped */
    int     done; /* processed, waiting to be merged (under the mutex) */
    size_t  bytes;
} slot;

typedef struct shared {
    const fz_lexicon   *lex;
    const fz_gazetteer *gaz;
    unsigned            flags;
    char *const        *paths;  /* this batch */
    slot               *slots;  /* this batch, one per path */
    size_t              n;      /* paths in this batch */
    size_t              base;   /* index of paths[0] among all files */
    atomic_size_t       next;   /* next index to take */
    atomic_size_t       taken;  /* index among all files of the last one taken */

    pthread_mutex_t     lock;   /* guards the fields below and slots' done */
    size_t              merged; /* slots of this batch merged so far */
    fz_obs             *obs;    /* the merged table */
    fz_pipeline_rows_fn on_rows; /* NULL: rows are merged into obs */
    void               *ctx;
    fz_diag            *diag;   /* the merged diagnostics */
    fz_pipeline_stats  *st;
} shared;

typedef struct worker {
    shared       *sh;
    fz_reader    *reader;
    fz_extractor *ext;
    fz_resolution res; /* reused: fz_region_resolve() resets it for each file */
} worker;

static void process(worker *w, size_t i)
{
    shared *sh = w->sh;
    slot *s = &sh->slots[i];
    fz_obs_clear(s->obs);
    s->ok = 0;
    fz_document doc;
    if (fz_reader_read(w->reader, sh->paths[i], &doc, &s->diag) < 0)
        return;
    s->ok = 1;
    s->bytes = doc.bytes;

    int ambiguous = 0;
    int n = fz_extract_doc(w->ext, &doc, 0, sh->flags, s->obs, &ambiguous);

    fz_region_resolve(sh->gaz, &doc, &w->res);
    fz_obs_doc d;
    memset(&d, 0, sizeof d);
    fz_resolution_to_doc(&w->res, &d);
    d.file = doc.path;
    d.format = doc.format;
    d.encoding = doc.encoding;
    d.source = doc.source;
    d.ocr_confidence = doc.ocr_confidence;
    d.bytes = doc.bytes;
    d.warnings = doc.warnings;
    d.traditional = doc.traditional;
    d.figures = n > 0 ? n : 0;
    d.ambiguous = ambiguous;
    fz_obs_add_doc(s->obs, &d);
}

/* Marks slot i finished and merges the finished slots that are next in
 * input order. */
static void finish(shared *sh, size_t i)
{
    pthread_mutex_lock(&sh->lock);
    sh->slots[i].done = 1;
    while (sh->merged < sh->n && sh->slots[sh->merged].done) {
        slot *s = &sh->slots[sh->merged++];
        s->done = 0;
        fz_diag_move(sh->diag, &s->diag);
        if (!s->ok) {
            sh->st->skipped++;
            continue;
        }
        sh->st->read++;
        sh->st->bytes += s->bytes;
        sh->st->figures += fz_obs_nrows(s->obs);
        if (sh->on_rows) {
            sh->on_rows(sh->ctx, s->obs, fz_obs_ndocs(sh->obs));
            for (size_t k = 0; k < fz_obs_ndocs(s->obs); k++)
                fz_obs_add_doc(sh->obs, fz_obs_doc_at(s->obs, k));
        } else {
            fz_obs_merge(sh->obs, s->obs);
        }
    }
    pthread_mutex_unlock(&sh->lock);
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&w->sh->next, 1);
        if (i >= w->sh->n)
            break;
        atomic_store_explicit(&w->sh->taken, w->sh->base + i, memory_order_relaxed);
        process(w, i);
        finish(w->sh, i);
    }
    return NULL;
}

/* ---- prefetching (see the top of the file) ---- */

enum {
    PF_MIN_FILES = 64, /* fewer files: no prefetch thread */
    PF_AHEAD = 128,    /* files ahead of the workers while fetching */
    PF_AHEAD_SPARSE = 1024, /* files ahead while only looking */
    PF_SPARSE = 16,    /* while files are cached, look at one in PF_SPARSE */
    PF_WARM_RUN = 64   /* cached files in a row that end fetching */
};

typedef struct prefetch {
    pthread_t      th;
    char *const   *paths;
    size_t         n;
    atomic_size_t *taken; /* the workers' progress */
    pthread_mutex_t lock;
    pthread_cond_t cond;  /* signalled when stop is set */
    int            stop;  /* under lock */
} prefetch;

/* 1 if the page holding the first byte of fd is cached, 0 if not, -1 if
 * the kernel cannot tell (then nothing is fetched). */
static int cached(int fd)
{
    char b;
    struct iovec v = { &b, 1 };
    if (preadv2(fd, &v, 1, 0, RWF_NOWAIT) >= 0)
        return 1;
    return errno == EAGAIN ? 0 : -1;
}

/* Waits ms milliseconds or until stop; returns stop. */
static int pf_wait(prefetch *pf, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&pf->lock);
    if (!pf->stop)
        pthread_cond_timedwait(&pf->cond, &pf->lock, &ts);
    int stop = pf->stop;
    pthread_mutex_unlock(&pf->lock);
    return stop;
}

static void *run_prefetch(void *arg)
{
    prefetch *pf = arg;
    int fetching = 0;
    size_t warm = 0;
    for (size_t g = 0; g < pf->n;) {
        size_t at = atomic_load_explicit(pf->taken, memory_order_relaxed);
        if (g <= at)
            g = at + 1; /* the workers have it already */
        if (g >= pf->n)
            break;
        if (g > at + (fetching ? PF_AHEAD : PF_AHEAD_SPARSE)) {
            if (pf_wait(pf, fetching ? 1 : 4))
                break;
            continue;
        }
        if (!fetching && g % PF_SPARSE) {
            g++;
            continue;
        }
        int fd = open(pf->paths[g], O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        struct stat st;
        int c = 1; /* directories, FIFOs, empty files: nothing to fetch */
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
            c = cached(fd);
        if (c == 0)
            posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
        if (fd >= 0)
            close(fd);
        if (c < 0)
            break; /* RWF_NOWAIT is not supported here */
        if (c == 0) {
            warm = 0;
            if (!fetching) {
                /* the files passed over since the last look may be on disk too */
                fetching = 1;
                g = g > PF_SPARSE ? g - PF_SPARSE : 0;
                continue;
            }
        } else if (fetching && ++warm >= PF_WARM_RUN) {
            fetching = 0;
        }
        g++;
    }
    return NULL;
}

static char *data_file(const char *given, const char *name, fz_diag *diag)
{
    if (given)
        return fz_xstrdup(given);
    char *p = fz_data_path(name);
    if (!p)
        fz_diag_add(diag, FZ_DIAG_FATAL, name, 0,
                    "cannot find data file '%s' (set FZSTAT_DATA to the directory holding it)",
                    name);
    return p;
}

/* The gazetteer takes longer to load than the lexicon and the file walk
 * together; with more than one job it loads on a thread of its own. */
typedef struct gaz_load {
    pthread_t     th;
    const char   *path;
    fz_gazetteer *gaz;
    fz_diag       diag;
} gaz_load;

static void *load_gazetteer(void *arg)
{
    gaz_load *g = arg;
    g->gaz = fz_gazetteer_load(g->path, &g->diag);
    return NULL;
}

char *fz_pipeline_sample_dir(void)
{
    return fz_data_path("sample");
}

int fz_pipeline_run(char *const *inputs, size_t ninputs, const fz_pipeline_opts *o,
                    fz_obs *obs, fz_diag *diag, fz_pipeline_stats *st)
{
    return fz_pipeline_run_rows(inputs, ninputs, o, NULL, NULL, obs, diag, st);
}

int fz_pipeline_run_rows(char *const *inputs, size_t ninputs, const fz_pipeline_opts *o,
                         fz_pipeline_rows_fn on_rows, void *ctx, fz_obs *obs, fz_diag *diag,
                         fz_pipeline_stats *st)
{
    double t0 = fz_cli_now();
    memset(st, 0, sizeof *st);
    int rc = 0;
    fz_lexicon *lex = NULL;
    fz_gazetteer *gaz = NULL;
    fz_pathlist files;
    memset(&files, 0, sizeof files);

    char *lexpath = data_file(o->lexicon, "lexicon.csv", diag);
    char *gazpath = data_file(o->gazetteer, "gazetteer.csv", diag);
    if (!lexpath || !gazpath) {
        rc = FZ_ENOTFOUND;
        goto done;
    }
    /* diagnostics keep the serial order: lexicon, gazetteer, files */
    gaz_load gl = { .path = gazpath };
    fz_diag_init(&gl.diag);
    int threaded = o->jobs > 1 && pthread_create(&gl.th, NULL, load_gazetteer, &gl) == 0;
    lex = fz_lexicon_load(lexpath, diag);
    fz_diag walk_diag;
    fz_diag_init(&walk_diag);
    if (lex)
        fz_walk(inputs, ninputs, &files, &walk_diag);
    if (threaded)
        pthread_join(gl.th, NULL);
    else
        load_gazetteer(&gl);
    gaz = gl.gaz;
    fz_diag_move(diag, &gl.diag);
    fz_diag_release(&gl.diag);
    if (!lex || !gaz) {
        fz_diag_release(&walk_diag);
        rc = FZ_EINPUT;
        goto done;
    }
    fz_diag_move(diag, &walk_diag);
    fz_diag_release(&walk_diag);
    st->files = files.n;

    int jobs = o->jobs > 0 ? o->jobs : 1;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if ((size_t)jobs > files.n)
        jobs = files.n ? (int)files.n : 1;

    slot *slots = fz_xcalloc(BATCH, sizeof *slots);
    for (size_t i = 0; i < BATCH; i++) {
        slots[i].obs = fz_obs_new();
        fz_diag_init(&slots[i].diag);
    }
    worker *ws = fz_xcalloc((size_t)jobs, sizeof *ws);
    shared sh = { .lex = lex, .gaz = gaz, .flags = o->extract_flags, .obs = obs, .diag = diag,
                  .st = st, .on_rows = on_rows, .ctx = ctx };
    pthread_mutex_init(&sh.lock, NULL);
    atomic_init(&sh.taken, 0);
    for (int j = 0; j < jobs; j++) {
        ws[j].sh = &sh;
        ws[j].reader = fz_reader_new();
        ws[j].ext = fz_extractor_new(lex);
        fz_resolution_init(&ws[j].res);
    }
    prefetch pf = { .paths = files.paths, .n = files.n, .taken = &sh.taken };
    pthread_mutex_init(&pf.lock, NULL);
    pthread_cond_init(&pf.cond, NULL);
    int prefetching = files.n >= PF_MIN_FILES &&
                      pthread_create(&pf.th, NULL, run_prefetch, &pf) == 0;

    for (size_t base = 0; base < files.n; base += BATCH) {
        sh.paths = files.paths + base;
        sh.slots = slots;
        sh.n = files.n - base < BATCH ? files.n - base : BATCH;
        sh.base = base;
        sh.merged = 0;
        atomic_store(&sh.next, 0);
        fz_threads_run(run_worker, ws, sizeof *ws, jobs);
        /* every slot was merged by the worker that finished it or a later one */
    }
    if (prefetching) {
        pthread_mutex_lock(&pf.lock);
        pf.stop = 1;
        pthread_cond_signal(&pf.cond);
        pthread_mutex_unlock(&pf.lock);
        pthread_join(pf.th, NULL);
    }
    pthread_cond_destroy(&pf.cond);
    pthread_mutex_destroy(&pf.lock);
    pthread_mutex_destroy(&sh.lock);

    for (int j = 0; j < jobs; j++) {
        fz_reader_free(ws[j].reader);
        fz_extractor_free(ws[j].ext);
        fz_resolution_release(&ws[j].res);
    }
    free(ws);
    for (size_t i = 0; i < BATCH; i++) {
        fz_obs_free(slots[i].obs);
        fz_diag_release(&slots[i].diag);
    }
    free(slots);

done:
    fz_pathlist_release(&files);
    fz_lexicon_free(lex);
    fz_gazetteer_free(gaz);
    free(lexpath);
    free(gazpath);
    st->seconds = fz_cli_now() - t0;
    return rc;
}
