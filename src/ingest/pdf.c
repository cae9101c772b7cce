/* pdf.c: PDF text through poppler-glib (being written). */
#include "formats.h"

#include "err.h"

int fz_pdf_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag)
{
    (void)data;
    (void)n;
    fz_rawdoc_reset(out);
    fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': PDF reading not built yet", name);
    return FZ_EUNSUPPORTED;
}
