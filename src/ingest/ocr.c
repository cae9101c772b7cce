/* ocr.c: text of a scanned page image with tesseract (C API, chi_sim).
 *
 * One TessBaseAPI per thread, created on the first page a thread reads and
 * kept for the next (loading chi_sim takes longer than reading a page);
 * a pthread key frees it when the thread exits, fz_ocr_thread_release()
 * earlier. If the language data is missing the page is refused with a
 * diagnostic naming the Debian package, and the next call tries again.
 * libtesseract itself is opened on the first page (dlopen, once per
 * process); if it cannot be, every page is refused with a diagnostic
 * naming the library and its package.
 *
 * Tesseract writes its own messages to the file in its debug_file
 * variable; that is /dev/null here, as library code never prints.
 * Its Chinese output puts spaces between characters ("行 政 处 罚 8 宗"):
 * they are removed. Paragraphs are rebuilt from the text lines' boxes (see
 * add_paragraphs); a page-number line at the top or bottom is dropped. */
#include "formats.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tesseract/capi.h>

#include "dlib.h"
#include "err.h"
#include "xalloc.h"

#define OCR_LANG "chi_sim"

/* libtesseract (and leptonica, which it links) is opened on the first
 * scanned page, not at startup (see dlib.h). The pointers have the types of
 * the functions in tesseract/capi.h, so every call is checked against the
 * real declarations. FZ_TESSERACT_SONAME and FZ_TESSERACT_PACKAGE come from
 * the build (the library pkg-config names). */
#define TESS_FUNCS(X)                                                              \
    X(TessBaseAPICreate) X(TessBaseAPIDelete) X(TessBaseAPIEnd) X(TessBaseAPIInit3) \
    X(TessBaseAPISetVariable) X(TessBaseAPISetImage) X(TessBaseAPISetSourceResolution) \
    X(TessBaseAPIRecognize) X(TessBaseAPIGetIterator) X(TessBaseAPIMeanTextConf)    \
    X(TessBaseAPIClear) X(TessResultIteratorGetPageIterator)                        \
    X(TessResultIteratorGetUTF8Text) X(TessResultIteratorNext)                      \
    X(TessResultIteratorDelete) X(TessPageIteratorBoundingBox) X(TessDeleteText)

static struct {
#define X(f) __typeof__(f) *f;
    TESS_FUNCS(X)
#undef X
} tess;

static pthread_once_t tess_once = PTHREAD_ONCE_INIT;
static void *tess_handle;  /* NULL if libtesseract cannot be loaded */
static char tess_why[256]; /* why not */

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t api_key;

static void api_free(void *p)
{
    if (!p)
        return;
    tess.TessBaseAPIEnd(p);
    tess.TessBaseAPIDelete(p);
}

/* Tesseract's LSTM runs its loops on OpenMP teams of four threads. fzstat
 * already reads one file per worker thread, so those teams only fight for
 * the same cores: on a busy two-core machine a page took 3.7 s instead of
 * 0.6 s. Tesseract's advice is OMP_THREAD_LIMIT=1, but libgomp reads the
 * environment when it is loaded. Allowing no active parallel level has the
 * same effect; the call is looked up in libtesseract's dependencies (a build
 * without OpenMP has no such symbol, and needs nothing). */
static void one_thread_per_page(void *handle)
{
    void (*set_levels)(int);
    *(void **)&set_levels = dlsym(handle, "omp_set_max_active_levels");
    if (set_levels)
        set_levels(0);
}

static void tess_load(void)
{
    static const fz_dlib_sym syms[] = {
#define X(f) {#f, (void **)&tess.f},
        TESS_FUNCS(X)
#undef X
    };
    tess_handle = fz_dlib_open(FZ_TESSERACT_SONAME, syms, sizeof syms / sizeof *syms,
                               tess_why, sizeof tess_why);
    if (tess_handle)
        one_thread_per_page(tess_handle);
}

static void make_key(void)
{
    pthread_key_create(&api_key, api_free);
}

void fz_ocr_thread_release(void)
{
    pthread_once(&key_once, make_key);
    api_free(pthread_getspecific(api_key));
    pthread_setspecific(api_key, NULL);
}

const char *fz_ocr_missing(void)
{
    pthread_once(&tess_once, tess_load);
    if (!tess_handle)
        return "the OCR library " FZ_TESSERACT_SONAME " cannot be loaded (install "
               FZ_TESSERACT_PACKAGE ")";
    return "Chinese OCR data is missing (install tesseract-ocr-chi-sim)";
}

/* This thread's tesseract, or NULL if chi_sim cannot be loaded. */
static TessBaseAPI *api_get(void)
{
    pthread_once(&key_once, make_key);
    TessBaseAPI *api = pthread_getspecific(api_key);
    if (api)
        return api;
    api = tess.TessBaseAPICreate();
    tess.TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (tess.TessBaseAPIInit3(api, NULL, OCR_LANG) != 0) {
        tess.TessBaseAPIDelete(api);
        return NULL;
    }
    tess.TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    pthread_setspecific(api_key, api);
    return api;
}

typedef struct oline {
    size_t off, len;        /* squeezed text in the line buffer */
    double x0, y0, x1, y1;  /* box in pixels */
} oline;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

/* Rebuilds paragraphs from tesseract's text lines with the rules pdf.c uses
 * for a text layer: a line is joined to the one before it unless it is
 * indented, the one before stops short of the right margin, the gap above
 * it is wider than the line spacing, or a sentence end is followed by a
 * list item. Tesseract's own paragraphs split prose at random line ends
 * (最根本的保 / 证，必须坚持), so they are not used. The first and last lines
 * are dropped when they are page numbers. */
static void add_paragraphs(fz_buf *out, const fz_buf *text, const oline *L, size_t n)
{
    if (n == 0)
        return;
    double *v = fz_xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = L[i].y1 - L[i].y0;
    double em = quantile(v, n, 0.5);
    size_t ng = 0;
    for (size_t i = 1; i < n; i++)
        if (L[i].y0 > L[i - 1].y1 - 0.2 * em)
            v[ng++] = L[i].y0 - L[i - 1].y1;
    double gap = ng ? quantile(v, ng, 0.5) : 0.5 * em;
    for (size_t i = 0; i < n; i++)
        v[i] = L[i].x0;
    double left = quantile(v, n, 0.1);
    for (size_t i = 0; i < n; i++)
        v[i] = L[i].x1;
    double right = quantile(v, n, 0.9);
    free(v);
    /* with few lines the right margin is just the longest line: a line must
     * reach closer to it to count as full */
    double slack = n >= 8 ? 1.5 * em : 0.75 * em;

    fz_buf para;
    fz_buf_init(&para);
    const oline *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const oline *l = &L[i];
        const char *s = text->data + l->off;
        if ((i == 0 || i == n - 1) && fz_formats_is_page_number(s, l->len))
            continue;
        int brk = 1;
        if (prev) {
            const char *ps = text->data + prev->off;
            brk = (fz_formats_ends_sentence(ps, prev->len) &&
                   fz_formats_starts_item(s, l->len)) ||
                  l->y0 - prev->y1 > gap + 0.5 * em || l->y1 < prev->y0 ||
                  l->x0 > left + 1.0 * em || prev->x1 < right - slack;
        }
        if (brk && para.len) {
            fz_buf_add(out, para.data, para.len);
            fz_buf_addc(out, '\n');
            fz_buf_reset(&para);
        }
        fz_formats_join(&para, s, l->len);
        prev = l;
    }
    if (para.len) {
        fz_buf_add(out, para.data, para.len);
        fz_buf_addc(out, '\n');
    }
    fz_buf_release(&para);
}

/* Recognizes the image set on api and appends its text to out. */
static int read_lines(TessBaseAPI *api, fz_buf *out)
{
    if (tess.TessBaseAPIRecognize(api, NULL) != 0)
        return FZ_EINPUT;
    TessResultIterator *ri = tess.TessBaseAPIGetIterator(api);
    if (!ri)
        return 0; /* nothing on the page */
    TessPageIterator *pi = tess.TessResultIteratorGetPageIterator(ri);
    fz_buf text;
    fz_buf_init(&text);
    oline *lines = NULL;
    size_t n = 0, cap = 0;
    do {
        char *t = tess.TessResultIteratorGetUTF8Text(ri, RIL_TEXTLINE);
        int l, tp, r, b;
        if (t && tess.TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &l, &tp, &r, &b)) {
            size_t off = text.len;
            fz_buf_adds(&text, t);
            for (size_t i = off; i < text.len; i++)
                if (text.data[i] == '\n')
                    text.data[i] = ' ';
            size_t len = fz_formats_squeeze(text.data + off, text.len - off);
            text.len = off + len;
            if (len > 0) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    lines = fz_xreallocarray(lines, cap, sizeof *lines);
                }
                lines[n++] = (oline){off, len, l, tp, r, b};
            }
        }
        tess.TessDeleteText(t);
    } while (tess.TessResultIteratorNext(ri, RIL_TEXTLINE));
    tess.TessResultIteratorDelete(ri);
    add_paragraphs(out, &text, lines, n);
    free(lines);
    fz_buf_release(&text);
    return 0;
}

int fz_ocr_page(const unsigned char *gray, int w, int h, int stride, int dpi,
                fz_buf *out, double *conf, const char *name, fz_diag *diag)
{
    *conf = 0;
    pthread_once(&tess_once, tess_load);
    if (!tess_handle) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': scanned pages need the OCR library " FZ_TESSERACT_SONAME
                    " (install " FZ_TESSERACT_PACKAGE "): %s", name, tess_why);
        return FZ_EDEP;
    }
    TessBaseAPI *api = api_get();
    if (!api) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': scanned pages need Chinese OCR data "
                    "(install tesseract-ocr-chi-sim)", name);
        return FZ_EDEP;
    }
    tess.TessBaseAPISetImage(api, gray, w, h, 1, stride);
    tess.TessBaseAPISetSourceResolution(api, dpi);
    if (read_lines(api, out) < 0) {
        tess.TessBaseAPIClear(api);
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': OCR failed on a scanned page",
                    name);
        return FZ_EINPUT;
    }
    int c = tess.TessBaseAPIMeanTextConf(api);
    *conf = c < 0 ? 0 : c > 100 ? 100 : c;
    tess.TessBaseAPIClear(api);
    return 0;
}
