/* ocr.c: text of a scanned page image with tesseract (C API, chi_sim).
 *
 * One TessBaseAPI per thread, created on the first page a thread reads and
 * kept for the next (loading chi_sim takes longer than reading a page);
 * a pthread key frees it when the thread exits, fz_ocr_thread_release()
 * earlier. If the language data is missing the page is refused with a
 * diagnostic naming the Debian package, and the next call tries again.
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

#include "err.h"
#include "xalloc.h"

#define OCR_LANG "chi_sim"

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t api_key;

static void api_free(void *p)
{
    if (!p)
        return;
    TessBaseAPIEnd(p);
    TessBaseAPIDelete(p);
}

/* Tesseract's LSTM runs its loops on OpenMP teams of four threads. fzstat
 * already reads one file per worker thread, so those teams only fight for
 * the same cores: on a busy two-core machine a page took 3.7 s instead of
 * 0.6 s. Tesseract's advice is OMP_THREAD_LIMIT=1, but libgomp reads the
 * environment when it is loaded, before main(). Allowing no active
 * parallel level has the same effect; the call is looked up at run time
 * because libgomp is only linked in through libtesseract (a build without
 * OpenMP has no such symbol, and needs nothing). */
static void one_thread_per_page(void)
{
    void (*set_levels)(int);
    *(void **)&set_levels = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
    if (set_levels)
        set_levels(0);
}

static void make_key(void)
{
    pthread_key_create(&api_key, api_free);
    one_thread_per_page();
}

void fz_ocr_thread_release(void)
{
    pthread_once(&key_once, make_key);
    api_free(pthread_getspecific(api_key));
    pthread_setspecific(api_key, NULL);
}

/* This thread's tesseract, or NULL if chi_sim cannot be loaded. */
static TessBaseAPI *api_get(void)
{
    pthread_once(&key_once, make_key);
    TessBaseAPI *api = pthread_getspecific(api_key);
    if (api)
        return api;
    api = TessBaseAPICreate();
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (TessBaseAPIInit3(api, NULL, OCR_LANG) != 0) {
        TessBaseAPIDelete(api);
        return NULL;
    }
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
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
    if (TessBaseAPIRecognize(api, NULL) != 0)
        return FZ_EINPUT;
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (!ri)
        return 0; /* nothing on the page */
    TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
    fz_buf text;
    fz_buf_init(&text);
    oline *lines = NULL;
    size_t n = 0, cap = 0;
    do {
        char *t = TessResultIteratorGetUTF8Text(ri, RIL_TEXTLINE);
        int l, tp, r, b;
        if (t && TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &l, &tp, &r, &b)) {
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
        TessDeleteText(t);
    } while (TessResultIteratorNext(ri, RIL_TEXTLINE));
    TessResultIteratorDelete(ri);
    add_paragraphs(out, &text, lines, n);
    free(lines);
    fz_buf_release(&text);
    return 0;
}

int fz_ocr_page(const unsigned char *gray, int w, int h, int stride, int dpi,
                fz_buf *out, double *conf, const char *name, fz_diag *diag)
{
    *conf = 0;
    TessBaseAPI *api = api_get();
    if (!api) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': scanned pages need Chinese OCR data "
                    "(install tesseract-ocr-chi-sim)", name);
        return FZ_EDEP;
    }
    TessBaseAPISetImage(api, gray, w, h, 1, stride);
    TessBaseAPISetSourceResolution(api, dpi);
    if (read_lines(api, out) < 0) {
        TessBaseAPIClear(api);
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': OCR failed on a scanned page",
                    name);
        return FZ_EINPUT;
    }
    int c = TessBaseAPIMeanTextConf(api);
    *conf = c < 0 ? 0 : c > 100 ? 100 : c;
    TessBaseAPIClear(api);
    return 0;
}
