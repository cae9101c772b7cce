/* fuzz_reader.c: libFuzzer target for the document reader: format sniffing,
 * encoding detection and decoding, HTML stripping, NFKC/traditional
 * conversion, furniture filter and line map (fz_reader_read_mem). Checks the
 * text invariants reader.h promises on every document it accepts. One reader
 * is reused across inputs, as a worker thread does. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "reader.h"

static void check_doc(const fz_document *doc)
{
    if (!doc->text || doc->text[doc->len] != '\0' || memchr(doc->text, '\0', doc->len))
        abort(); /* NUL-terminated, no NUL inside */
    if (doc->len && doc->text[doc->len - 1] != '\n')
        abort(); /* every line ends with '\n' */
    size_t nl = 0;
    for (size_t i = 0; i < doc->len; i++)
        nl += doc->text[i] == '\n';
    if (nl != doc->nlines)
        abort();
    for (size_t i = 0; i < doc->nlines; i++) {
        if (doc->line_off[i] >= doc->len || (i && doc->line_off[i] <= doc->line_off[i - 1]))
            abort();
        if (fz_document_line_at(doc, doc->line_off[i]) != i)
            abort();
    }
    fz_document_line_at(doc, doc->len + 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_reader *r;
    if (!r)
        r = fz_reader_new();
    fz_diag d;
    fz_diag_init(&d);
    fz_document doc;
    memset(&doc, 0, sizeof doc);
    if (fz_reader_read_mem(r, "fuzz.txt", data, size, &doc, &d) == 0)
        check_doc(&doc);
    else if (fz_diag_count(&d, FZ_DIAG_SKIP) + fz_diag_count(&d, FZ_DIAG_FATAL) == 0)
        abort(); /* a refusal always names the problem */
    fz_diag_release(&d);
    return 0;
}
