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
 * they are removed; lines of a paragraph (tesseract separates paragraphs
 * with a blank line) are joined; a page-number line at the top or bottom of
 * the page is dropped. */
#include "formats.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tesseract/capi.h>

#include "err.h"

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

/* Appends tesseract's text: paragraphs (blank-line separated) become lines,
 * their lines joined; page-number lines first or last on the page dropped. */
static void add_text(fz_buf *out, char *t)
{
    size_t n = strlen(t);
    /* Find the first and last non-empty lines, to test for page numbers. */
    size_t first_s = 0, first_e = 0, last_s = 0, last_e = 0;
    int seen = 0;
    for (size_t i = 0; i < n;) {
        char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n;
        size_t len = fz_formats_squeeze(t + i, e - i); /* writes a NUL at t[i + len] */
        memset(t + i + len, ' ', e - i - len); /* pad to keep the line offsets */
        if (e < n)
            t[e] = '\n';
        if (len > 0) {
            if (!seen)
                first_s = i, first_e = i + len;
            last_s = i, last_e = i + len;
            seen = 1;
        }
        i = e + 1;
    }
    if (!seen)
        return;
    fz_buf para;
    fz_buf_init(&para);
    for (size_t i = 0; i < n;) {
        char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n;
        size_t len = e - i; /* the squeezed line, without its padding */
        while (len > 0 && t[i + len - 1] == ' ')
            len--;
        int furniture = (i == first_s && i + len == first_e) || (i == last_s && i + len == last_e);
        if (len == 0) {
            if (para.len) {
                fz_buf_add(out, para.data, para.len);
                fz_buf_addc(out, '\n');
                fz_buf_reset(&para);
            }
        } else if (!(furniture && fz_formats_is_page_number(t + i, len)))
            fz_formats_join(&para, t + i, len);
        i = e + 1;
    }
    if (para.len) {
        fz_buf_add(out, para.data, para.len);
        fz_buf_addc(out, '\n');
    }
    fz_buf_release(&para);
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
    char *t = TessBaseAPIGetUTF8Text(api);
    if (!t) {
        TessBaseAPIClear(api);
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': OCR failed on a scanned page",
                    name);
        return FZ_EINPUT;
    }
    int c = TessBaseAPIMeanTextConf(api);
    *conf = c < 0 ? 0 : c > 100 ? 100 : c;
    add_text(out, t);
    TessDeleteText(t);
    TessBaseAPIClear(api);
    return 0;
}
