/* reader.c: one report file to an fz_document (see reader.h).
 *
 * Steps: read the file into the reader's buffer (open/fstat/read, no
 * per-file allocation once the buffer has grown); recognise the format by
 * its first bytes (PDF, ZIP/DOCX, OLE2 .doc/.wps, RTF, known binaries);
 * decode the encoding (decode.c); strip HTML (html.c) when the decoded text
 * is a web page; then normalize and build the line map (text/text.c).
 * PDF and DOCX come from fz_pdf_read / fz_docx_read (formats.h) as raw
 * UTF-8 and go through the same text pipeline. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "decode.h"
#include "err.h"
#include "formats.h"
#include "html.h"
#include "text.h"
#include "xalloc.h"

struct fz_reader {
    fz_buf      file;    /* the input bytes */
    fz_buf      name;    /* doc->path */
    fz_buf      dec;     /* decoded UTF-8 when the input could not be used as is */
    fz_decoder *decoder;
    fz_html     html;
    fz_rawdoc   raw;
    fz_text    *text;
    uint32_t   *pofs;    /* page offsets after repairing a PDF text layer */
    size_t      cappofs;
    /* The directory of the last file read, open: a file in the same one is
     * opened by its name alone (openat), which spares the kernel the lookup
     * of every directory on the way to it (a corpus is one directory or a
     * few). dirfd is -1 when none is open. */
    fz_buf      dir;
    int         dirfd;
};

fz_reader *fz_reader_new(void)
{
    fz_reader *r = fz_xcalloc(1, sizeof *r);
    fz_buf_init(&r->file);
    fz_buf_init(&r->name);
    fz_buf_init(&r->dec);
    r->decoder = fz_decoder_new();
    fz_html_init(&r->html);
    fz_rawdoc_init(&r->raw);
    r->text = fz_text_new();
    fz_buf_init(&r->dir);
    r->dirfd = -1;
    return r;
}

void fz_reader_free(fz_reader *r)
{
    if (!r)
        return;
    fz_buf_release(&r->file);
    fz_buf_release(&r->name);
    fz_buf_release(&r->dec);
    fz_decoder_free(r->decoder);
    fz_html_release(&r->html);
    fz_rawdoc_release(&r->raw);
    fz_text_free(r->text);
    free(r->pofs);
    fz_buf_release(&r->dir);
    if (r->dirfd >= 0)
        close(r->dirfd);
    free(r);
}

size_t fz_reader_transliterated(const fz_reader *r)
{
    return fz_text_transliterated(r->text);
}

size_t fz_document_line_at(const fz_document *doc, size_t off)
{
    if (!doc->nlines)
        return 0;
    size_t lo = 0, hi = doc->nlines; /* answer in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->line_off[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t nwarn(const fz_diag *diag)
{
    return diag ? fz_diag_count(diag, FZ_DIAG_WARN) : 0;
}

static int skip(fz_diag *diag, const char *name, int code, const char *why)
{
    fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': %s", name, why);
    return code;
}

static int too_large_for(fz_diag *diag, const char *name, unsigned long long bytes,
                         size_t limit, const char *what)
{
    fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                "cannot read '%s': file too large (%llu MB; the limit is %zu MB%s)", name,
                (bytes + (1 << 20) - 1) >> 20, limit >> 20, what);
    return FZ_ELIMIT;
}

static int too_large(fz_diag *diag, const char *name, unsigned long long bytes)
{
    return too_large_for(diag, name, bytes, FZ_READER_MAX_BYTES, "");
}

static int too_large_text(fz_diag *diag, const char *name, unsigned long long bytes)
{
    return too_large_for(diag, name, bytes, FZ_READER_MAX_TEXT_BYTES, " for text and HTML");
}

/* A file of this size that is neither PDF nor ZIP would be text: refuse it
 * before reading it (its first bytes decide). */
static int big_text(int fd, unsigned long long size)
{
    if (size <= FZ_READER_MAX_TEXT_BYTES)
        return 0;
    unsigned char head[4];
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
        return 1;
    return memcmp(head, "%PDF", 4) != 0 && memcmp(head, "PK\3\4", 4) != 0;
}

/* Reads the whole of fd into r->file (up to the limit). */
static int slurp(fz_reader *r, int fd, const char *path, fz_diag *diag)
{
    struct stat sb;
    if (fstat(fd, &sb) < 0)
        return skip(diag, path, FZ_EIO, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return skip(diag, path, FZ_EINPUT, "is a directory");
    if (S_ISREG(sb.st_mode)) {
        if ((unsigned long long)sb.st_size > FZ_READER_MAX_BYTES)
            return too_large(diag, path, (unsigned long long)sb.st_size);
        if (big_text(fd, (unsigned long long)sb.st_size))
            return too_large_text(diag, path, (unsigned long long)sb.st_size);
        fz_buf_reserve(&r->file, (size_t)sb.st_size + 1);
    }
    fz_buf_reset(&r->file);
    for (;;) {
        if (r->file.cap - r->file.len < 2)
            fz_buf_reserve(&r->file, r->file.cap); /* grow for pipes and growing files */
        size_t want = r->file.cap - r->file.len - 1;
        ssize_t k = read(fd, r->file.data + r->file.len, want);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return skip(diag, path, FZ_EIO, strerror(errno));
        }
        if (k == 0)
            break;
        r->file.len += (size_t)k;
        if (r->file.len > FZ_READER_MAX_BYTES)
            return too_large(diag, path, r->file.len);
        /* a regular file gives less than asked only at its end: no read()
         * to be told so (a file that grows meanwhile is read as of then) */
        if (S_ISREG(sb.st_mode) && (size_t)k < want)
            break;
    }
    r->file.data[r->file.len] = '\0';
    return 0;
}

/* Opens path for reading, by its name in the directory of the last file
 * when that is the same directory (see struct fz_reader). */
static int open_file(fz_reader *r, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || slash[1] == '\0')
        return open(path, O_RDONLY | O_CLOEXEC);
    size_t n = (size_t)(slash - path);
    if (r->dirfd < 0 || r->dir.len != n || memcmp(r->dir.data, path, n) != 0) {
        if (r->dirfd >= 0)
            close(r->dirfd);
        fz_buf_reset(&r->dir);
        fz_buf_add(&r->dir, path, n);
#if defined(O_PATH)
        r->dirfd = open(r->dir.data, O_PATH | O_DIRECTORY | O_CLOEXEC); /* no need to read it */
#else
        r->dirfd = open(r->dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#endif
        if (r->dirfd < 0)
            return open(path, O_RDONLY | O_CLOEXEC);
    }
    int fd = openat(r->dirfd, slash + 1, O_RDONLY | O_CLOEXEC);
    /* the directory kept open may have been replaced since: the full path
     * decides (and sets errno) */
    return fd >= 0 ? fd : open(path, O_RDONLY | O_CLOEXEC);
}

int fz_reader_read(fz_reader *r, const char *path, fz_document *doc, fz_diag *diag)
{
    memset(doc, 0, sizeof *doc);
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? 0 : open_file(r, path);
    if (fd < 0)
        return skip(diag, path, FZ_EIO, strerror(errno));
    int rc = slurp(r, fd, path, diag);
    if (!is_stdin)
        close(fd);
    if (rc < 0)
        return rc;
    return fz_reader_read_mem(r, path, r->file.data, r->file.len, doc, diag);
}

/* ---- format recognition --------------------------------------------- */

typedef enum { FMT_TEXT, FMT_PDF, FMT_ZIP } fz_fmt;

static int has_prefix(const unsigned char *s, size_t n, const char *p, size_t k)
{
    return n >= k && memcmp(s, p, k) == 0;
}

/* The format by content, or a negative FZ_E* with a skip diagnostic. */
static int sniff(const char *name, const unsigned char *s, size_t n, fz_fmt *fmt, fz_diag *diag)
{
    *fmt = FMT_TEXT;
    /* some generators put junk (even a BOM) before "%PDF-"; readers accept
     * the header anywhere in the first KiB */
    size_t m = n < 1024 ? n : 1024;
    size_t lim = m >= 5 ? m - 4 : 0; /* the header starts before lim */
    for (size_t i = 0; i < lim;) {
        const unsigned char *q = memchr(s + i, '%', lim - i);
        if (!q)
            break;
        if (memcmp(q, "%PDF-", 5) == 0) {
            *fmt = FMT_PDF;
            return 0;
        }
        i = (size_t)(q - s) + 1;
    }
    if (has_prefix(s, n, "PK\3\4", 4) || has_prefix(s, n, "PK\5\6", 4)) {
        *fmt = FMT_ZIP;
        return 0;
    }
    if (has_prefix(s, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return skip(diag, name, FZ_EUNSUPPORTED,
                    "old Word/WPS binary format; convert it with: "
                    "libreoffice --headless --convert-to docx");
    if (has_prefix(s, n, "{\\rtf", 5))
        return skip(diag, name, FZ_EUNSUPPORTED,
                    "RTF document; convert it with: libreoffice --headless --convert-to docx");
    return 0;
}

/* ---- the text pipeline ---------------------------------------------- */

static void warn_counts(fz_diag *diag, const char *name, size_t invalid, size_t nuls,
                        fz_document *doc)
{
    if (invalid) {
        fz_diag_add(diag, FZ_DIAG_WARN, name, 0, "'%s': %zu invalid byte sequence%s replaced",
                    name, invalid, invalid == 1 ? "" : "s");
        doc->warnings++;
    }
    if (nuls) {
        fz_diag_add(diag, FZ_DIAG_WARN, name, 0, "'%s': %zu NUL byte%s removed", name, nuls,
                    nuls == 1 ? "" : "s");
        doc->warnings++;
    }
    doc->invalid = invalid > INT32_MAX ? INT32_MAX : (int)invalid;
}

static int finish(fz_reader *r, const fz_text_input *in, fz_document *doc, fz_diag *diag)
{
    fz_text_result res;
    int rc = fz_text_process(r->text, in, &res);
    if (rc == FZ_ELIMIT)
        return skip(diag, doc->path, rc, "text too large after normalization");
    if (rc < 0)
        return skip(diag, doc->path, rc, "ICU normalization data is missing (install libicu72)");
    doc->traditional = res.traditional;
    doc->utf8 = 1;
    doc->text = res.text;
    doc->len = res.len;
    doc->nlines = res.nlines;
    doc->line_off = res.line_off;
    doc->line_src = res.line_src;
    doc->line_page = res.line_page;
    return 0;
}

static int read_rawdoc(fz_reader *r, fz_fmt fmt, const void *data, size_t n, fz_document *doc,
                       fz_diag *diag)
{
    fz_rawdoc_reset(&r->raw);
    int rc = fmt == FMT_PDF ? fz_pdf_read(&r->raw, doc->path, data, n, diag)
                            : fz_docx_read(&r->raw, doc->path, data, n, diag);
    if (rc < 0)
        return rc;
    doc->format = fmt == FMT_PDF ? "pdf" : "docx";
    doc->encoding = "UTF-8";
    doc->source = r->raw.source ? r->raw.source : "text";
    doc->ocr_confidence = r->raw.ocr_confidence;

    const char *s = r->raw.text.data;
    size_t len = r->raw.text.len, bad = 0, nul = 0;
    const uint32_t *pages = r->raw.page_off;
    if (!fz_utf8_valid((const unsigned char *)s, len) &&
        !fz_utf8_scan((const unsigned char *)s, len, &bad, &nul, NULL)) {
        /* repair page by page so every page start moves with its text */
        fz_buf_reset(&r->dec);
        if (r->raw.npages > r->cappofs) {
            r->cappofs = r->raw.npages;
            r->pofs = fz_xreallocarray(r->pofs, r->cappofs, sizeof *r->pofs);
        }
        bad = 0;
        size_t from = 0;
        for (size_t p = 0; p <= r->raw.npages; p++) {
            size_t to = p < r->raw.npages ? r->raw.page_off[p] : len;
            if (to > len)
                to = len;
            if (to < from)
                to = from;
            bad += fz_utf8_repair((const unsigned char *)s + from, to - from, &r->dec);
            if (p < r->raw.npages)
                r->pofs[p] = (uint32_t)r->dec.len;
            from = to;
        }
        s = r->dec.data;
        len = r->dec.len;
        pages = r->pofs;
    }
    warn_counts(diag, doc->path, bad, nul, doc);
    fz_text_input in = { .s = s, .len = len };
    if (r->raw.npages > 0) {
        in.page_off = pages;
        in.npages = r->raw.npages;
    }
    return finish(r, &in, doc, diag);
}

int fz_reader_read_mem(fz_reader *r, const char *name, const void *data, size_t n,
                       fz_document *doc, fz_diag *diag)
{
    memset(doc, 0, sizeof *doc);
    fz_buf_reset(&r->name);
    fz_buf_adds(&r->name, name);
    doc->path = r->name.data;
    doc->source = "text";
    doc->bytes = n;
    doc->text = "";
    name = doc->path;
    size_t warn0 = nwarn(diag);

    if (n == 0)
        return skip(diag, name, FZ_EINPUT, "empty file");
    if (n > FZ_READER_MAX_BYTES)
        return too_large(diag, name, n);
    fz_fmt fmt;
    int rc = sniff(name, data, n, &fmt, diag);
    if (rc < 0)
        return rc;
    if (fmt == FMT_TEXT && n > FZ_READER_MAX_TEXT_BYTES)
        return too_large_text(diag, name, n);
    if (fmt != FMT_TEXT) {
        rc = read_rawdoc(r, fmt, data, n, doc, diag);
        doc->warnings = (int)(nwarn(diag) - warn0);
        return rc;
    }

    char cs[32];
    const char *hint = fz_html_sniff(data, n) ? fz_html_charset(data, n, cs, sizeof cs) : NULL;
    fz_decoded dec;
    fz_decode(r->decoder, data, n, hint, &r->dec, &dec);
    if (dec.binary) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': binary file (%s)", name,
                    dec.binary);
        return FZ_EINPUT;
    }
    if (dec.invalid > 64 && dec.invalid * 4 > dec.len / 3) {
        /* more than about a quarter of the characters undecodable: not a report */
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': binary file (no known text encoding)", name);
        return FZ_EINPUT;
    }
    if (dec.len == 0) /* a BOM and nothing else */
        return skip(diag, name, FZ_EINPUT, "empty file");
    doc->encoding = dec.encoding;
    warn_counts(diag, name, dec.invalid, dec.nuls, doc);

    fz_text_input in = { .s = dec.text, .len = dec.len };
    if (fz_html_sniff(dec.text, dec.len)) {
        doc->format = "html";
        fz_html_strip(&r->html, dec.text, dec.len);
        in.s = r->html.text.data;
        in.len = r->html.text.len;
        in.src = r->html.src;
        in.nsrc = r->html.nsrc;
    } else
        doc->format = "text";
    rc = finish(r, &in, doc, diag);
    doc->warnings = (int)(nwarn(diag) - warn0);
    return rc;
}
