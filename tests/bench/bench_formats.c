/* bench_formats.c: pages per second of the PDF (text layer and OCR) and
 * DOCX readers on the files given, plus a checksum of the text they return.
 * Not part of ctest: timings belong here, never in a test. Built by hand
 * against a build tree's libraries, e.g.
 *
 *   B=build; cc -O2 -D_GNU_SOURCE -Isrc/core -Isrc/ingest tests/bench/bench_formats.c \
 *     $B/libfzingest.a $B/libfzcore.a $(pkg-config --cflags --libs poppler-glib \
 *     libzip libxml-2.0 tesseract lept icu-uc icu-i18n) -lm -lpthread -o bench_formats
 *   ./bench_formats [-n ROUNDS] [-p] $B/tests/fixtures/formats/*.pdf ...
 *
 * -p prints each file's text (pages marked) instead of timing it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "formats.h"
#include "xalloc.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = fz_xmalloc(len > 0 ? (size_t)len : 1);
    *n = len > 0 ? fread(buf, 1, (size_t)len, f) : 0;
    fclose(f);
    return buf;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long fnv(const char *s, size_t n)
{
    unsigned long h = 1469598103934665603UL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
    return h;
}

int main(int argc, char **argv)
{
    int rounds = 5, print = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "-p") == 0)
            print = 1;
    }
    fz_rawdoc d;
    fz_diag diag;
    fz_rawdoc_init(&d);
    fz_diag_init(&diag);
    for (; i < argc; i++) {
        size_t n;
        char *data = slurp(argv[i], &n);
        if (!data) {
            fprintf(stderr, "bench_formats: cannot read '%s'\n", argv[i]);
            continue;
        }
        int docx = n > 2 && data[0] == 'P' && data[1] == 'K';
        double t0 = now();
        int rc = 0, r;
        for (r = 0; r < (print ? 1 : rounds) && rc == 0; r++)
            rc = docx ? fz_docx_read(&d, argv[i], data, n, &diag)
                      : fz_pdf_read(&d, argv[i], data, n, &diag);
        double dt = now() - t0;
        for (size_t k = 0; k < diag.n; k++)
            fprintf(stderr, "bench_formats: %s\n", diag.items[k].msg);
        fz_diag_clear(&diag);
        if (print) {
            size_t p = 0;
            for (size_t k = 0; k < d.text.len; k++) {
                while (p < d.npages && d.page_off[p] == k)
                    printf("=== page %zu ===\n", ++p);
                putchar(d.text.data[k]);
            }
        } else if (rc == 0) {
            size_t pages = d.npages ? d.npages : 1;
            printf("%-40s %-4s %3zu pages %8.1f pages/s  %6.1f ms/file  sum %016lx\n",
                   strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i], d.source,
                   pages, (double)pages * r / dt, dt * 1000 / r, fnv(d.text.data, d.text.len));
        }
        free(data);
    }
    fz_ocr_thread_release();
    fz_rawdoc_release(&d);
    fz_diag_release(&diag);
    return 0;
}
