/* docx.c: Word .docx (a zip of XML) to raw text, with libzip and libxml2.
 *
 * The main part is found through _rels/.rels (officeDocument), falling back
 * to word/document.xml. Each paragraph (w:p) becomes a line; a manual line
 * break (w:br) starts a new line; text boxes become lines of their own after
 * the paragraph that anchors them. A table row (w:tr) becomes one line with
 * its cells joined by " | ", so the number in a cell stays with its row
 * label (行政处罚案件 | 8); a vertically merged cell repeats the text of the
 * cell it continues. Deleted text (tracked changes), field codes and the
 * VML fallback copy of a text box are skipped. Headers, footers, footnotes
 * and comments live in other parts and are not read.
 *
 * XML is parsed without network, without loading DTDs and without
 * substituting entities; the part is limited to FZ_FORMATS_MAX_XML bytes
 * uncompressed (a zip bomb stops there). libzip and libxml2 are opened
 * (dlopen) and libxml2 initialised on the first .docx; if either cannot be
 * loaded, every .docx is refused with a diagnostic naming it. */
#include "formats.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "dlib.h"
#include "err.h"
#include "xalloc.h"

#define MAX_RELS   ((size_t)1 << 20) /* _rels/.rels */
#define MAX_COLS   512               /* grid columns tracked for merged cells */

/* libzip and libxml2 are opened on the first .docx, not at startup (see
 * dlib.h). The pointers have the types of the functions in zip.h and
 * libxml/parser.h, so every call is checked against the real declarations.
 * FZ_*_SONAME and FZ_*_PACKAGE come from the build. */
#define ZIP_FUNCS(X)                                                                \
    X(zip_error_init) X(zip_error_fini) X(zip_error_code_zip) X(zip_get_error)      \
    X(zip_source_buffer_create) X(zip_source_free) X(zip_open_from_source)          \
    X(zip_name_locate) X(zip_stat_init) X(zip_stat_index) X(zip_fopen_index)        \
    X(zip_fread) X(zip_fclose) X(zip_discard)
#define XML_FUNCS(X) X(xmlInitParser) X(xmlReadMemory) X(xmlDocGetRootElement) X(xmlFreeDoc)

static struct {
#define X(f) __typeof__(f) *f;
    ZIP_FUNCS(X)
    XML_FUNCS(X)
#undef X
} dx;

static pthread_once_t dx_once = PTHREAD_ONCE_INIT;
static int dx_ok;                 /* 1 once both libraries are loaded */
static const char *dx_lib, *dx_package; /* else the one that is not */
static char dx_why[256];

static void dx_load(void)
{
    static const fz_dlib_sym zsyms[] = {
#define X(f) {#f, (void **)&dx.f},
        ZIP_FUNCS(X)
    };
    static const fz_dlib_sym xsyms[] = {
        XML_FUNCS(X)
#undef X
    };
    if (!fz_dlib_open(FZ_LIBZIP_SONAME, zsyms, sizeof zsyms / sizeof *zsyms, dx_why,
                      sizeof dx_why)) {
        dx_lib = FZ_LIBZIP_SONAME;
        dx_package = FZ_LIBZIP_PACKAGE;
        return;
    }
    if (!fz_dlib_open(FZ_LIBXML_SONAME, xsyms, sizeof xsyms / sizeof *xsyms, dx_why,
                      sizeof dx_why)) {
        dx_lib = FZ_LIBXML_SONAME;
        dx_package = FZ_LIBXML_PACKAGE;
        return;
    }
    dx.xmlInitParser();
    dx_ok = 1;
}

/* Local name of an element, or NULL for other nodes. */
static const char *ename(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE ? (const char *)n->name : NULL;
}

static int is_el(const xmlNode *n, const char *local)
{
    const char *e = ename(n);
    return e && strcmp(e, local) == 0;
}

/* The w:val (or other w: attribute) of an element, borrowed from the tree. */
static const char *attr(const xmlNode *n, const char *local)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, local) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

static const xmlNode *child(const xmlNode *n, const char *local)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, local))
            return c;
    return NULL;
}

static void add_text(fz_buf *b, const xmlNode *t)
{
    for (const xmlNode *c = t->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            fz_buf_adds(b, (const char *)c->content);
}

static void walk_blocks(const xmlNode *n, fz_buf *out);

/* The text of a paragraph's runs into b; text boxes go to `after`. */
static void para_text(const xmlNode *n, fz_buf *b, fz_buf *after)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        const char *e = ename(c);
        if (!e)
            continue;
        if (strcmp(e, "t") == 0)
            add_text(b, c);
        else if (strcmp(e, "tab") == 0 || strcmp(e, "ptab") == 0)
            fz_buf_addc(b, ' ');
        else if (strcmp(e, "br") == 0 || strcmp(e, "cr") == 0) {
            const char *type = attr(c, "type");
            if (!type || strcmp(type, "textWrapping") == 0)
                fz_buf_addc(b, '\n');
        } else if (strcmp(e, "noBreakHyphen") == 0)
            fz_buf_addc(b, '-');
        else if (strcmp(e, "txbxContent") == 0)
            walk_blocks(c, after);
        else if (strcmp(e, "del") == 0 || strcmp(e, "delText") == 0 ||
                 strcmp(e, "instrText") == 0 || strcmp(e, "Fallback") == 0 ||
                 strcmp(e, "pPr") == 0 || strcmp(e, "rPr") == 0 ||
                 strcmp(e, "footnoteReference") == 0 || strcmp(e, "endnoteReference") == 0 ||
                 strcmp(e, "commentReference") == 0 || strcmp(e, "moveFrom") == 0)
            continue;
        else
            para_text(c, b, after); /* r, ins, hyperlink, smartTag, fldSimple, sdt, ... */
    }
}

/* Appends each line of s (split at '\n'), squeezed, to out; empty lines
 * are dropped. */
static void emit_lines(fz_buf *out, char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t len = fz_formats_squeeze(s + i, end - i);
        if (len > 0) {
            fz_buf_add(out, s + i, len);
            fz_buf_addc(out, '\n');
        }
        i = end + 1;
    }
}

static void do_para(const xmlNode *p, fz_buf *out)
{
    fz_buf b, after;
    fz_buf_init(&b);
    fz_buf_init(&after);
    para_text(p, &b, &after);
    emit_lines(out, b.data, b.len);
    fz_buf_add(out, after.data, after.len);
    fz_buf_release(&b);
    fz_buf_release(&after);
}

/* The text of one table cell: its paragraphs joined as wrapped lines,
 * nested tables flattened into it. */
static void cell_text(const xmlNode *n, fz_buf *cell)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        const char *e = ename(c);
        if (!e || strcmp(e, "tcPr") == 0)
            continue;
        if (strcmp(e, "p") == 0) {
            fz_buf b, after;
            fz_buf_init(&b);
            fz_buf_init(&after);
            para_text(c, &b, &after);
            fz_buf_add(&b, after.data, after.len);
            for (size_t i = 0; i < b.len; i++)
                if (b.data[i] == '\n')
                    b.data[i] = ' ';
            b.len = fz_formats_squeeze(b.data, b.len);
            fz_formats_join(cell, b.data, b.len);
            fz_buf_release(&b);
            fz_buf_release(&after);
        } else
            cell_text(c, cell); /* tbl, tr, tc, sdt, sdtContent, customXml */
    }
}

typedef struct row_state {
    char *prev[MAX_COLS]; /* text of the cell above, per grid column */
} row_state;

static void collect_cells(const xmlNode *n, const xmlNode **cells, size_t *nc, size_t cap)
{
    for (const xmlNode *c = n->children; c && *nc < cap; c = c->next) {
        if (is_el(c, "tc"))
            cells[(*nc)++] = c;
        else if (is_el(c, "sdt") || is_el(c, "sdtContent") || is_el(c, "customXml"))
            collect_cells(c, cells, nc, cap);
    }
}

static void do_row(const xmlNode *tr, fz_buf *out, row_state *st)
{
    const xmlNode *cells[MAX_COLS];
    size_t nc = 0;
    collect_cells(tr, cells, &nc, MAX_COLS);
    fz_buf line, cell;
    fz_buf_init(&line);
    fz_buf_init(&cell);
    size_t col = 0;
    int any = 0;
    for (size_t i = 0; i < nc; i++) {
        fz_buf_reset(&cell);
        const xmlNode *pr = child(cells[i], "tcPr");
        const xmlNode *vm = pr ? child(pr, "vMerge") : NULL;
        const xmlNode *gs = pr ? child(pr, "gridSpan") : NULL;
        const char *val = vm ? attr(vm, "val") : NULL;
        long span = 1;
        if (gs && attr(gs, "val")) {
            span = strtol(attr(gs, "val"), NULL, 10);
            if (span < 1 || span > MAX_COLS)
                span = 1;
        }
        if (vm && (!val || strcmp(val, "continue") == 0) && col < MAX_COLS && st->prev[col])
            fz_buf_adds(&cell, st->prev[col]);
        else
            cell_text(cells[i], &cell);
        if (col < MAX_COLS) {
            free(st->prev[col]);
            st->prev[col] = fz_xstrdup(cell.data);
        }
        col += (size_t)span;
        if (i > 0)
            fz_buf_adds(&line, " | ");
        fz_buf_add(&line, cell.data, cell.len);
        any |= cell.len > 0;
    }
    if (any) {
        for (size_t i = 0; i < line.len; i++)
            if (line.data[i] == '\n')
                line.data[i] = ' ';
        fz_buf_add(out, line.data, line.len);
        fz_buf_addc(out, '\n');
    }
    fz_buf_release(&line);
    fz_buf_release(&cell);
}

static void walk_rows(const xmlNode *n, fz_buf *out, row_state *st)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, "tr"))
            do_row(c, out, st);
        else if (is_el(c, "sdt") || is_el(c, "sdtContent") || is_el(c, "customXml"))
            walk_rows(c, out, st);
    }
}

static void do_table(const xmlNode *tbl, fz_buf *out)
{
    row_state *st = fz_xcalloc(1, sizeof *st);
    walk_rows(tbl, out, st);
    for (size_t i = 0; i < MAX_COLS; i++)
        free(st->prev[i]);
    free(st);
}

static void walk_blocks(const xmlNode *n, fz_buf *out)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        const char *e = ename(c);
        if (!e)
            continue;
        if (strcmp(e, "p") == 0)
            do_para(c, out);
        else if (strcmp(e, "tbl") == 0)
            do_table(c, out);
        else if (strcmp(e, "sectPr") == 0 || strcmp(e, "del") == 0 ||
                 strcmp(e, "Fallback") == 0 || strcmp(e, "moveFrom") == 0)
            continue;
        else
            walk_blocks(c, out); /* body, sdt, sdtContent, customXml, ins, AlternateContent */
    }
}

/* Reads zip entry `part` into a malloc'd, NUL-terminated buffer; 0 or FZ_E*
 * with *why set to the problem. */
static int read_part(zip_t *z, const char *part, size_t limit, char **data, size_t *len,
                     const char **why)
{
    zip_int64_t idx = dx.zip_name_locate(z, part, 0);
    if (idx < 0) {
        *why = "not a Word document";
        return FZ_ENOTFOUND;
    }
    zip_stat_t st;
    dx.zip_stat_init(&st);
    if (dx.zip_stat_index(z, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > limit) {
        *why = "document part too large";
        return FZ_ELIMIT;
    }
    zip_file_t *f = dx.zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) {
        int ze = dx.zip_error_code_zip(dx.zip_get_error(z));
        *why = ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD ? "encrypted DOCX"
             : ze == ZIP_ER_COMPNOTSUPP || ze == ZIP_ER_ENCRNOTSUPP
                 ? "DOCX uses an unsupported zip compression"
                 : "corrupt DOCX (damaged zip archive)";
        return FZ_EINPUT;
    }
    size_t cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 65536, n = 0;
    char *buf = fz_xmalloc(cap + 1);
    int rc = 0;
    for (;;) {
        if (n == cap) {
            if (cap > limit) {
                *why = "document part too large";
                rc = FZ_ELIMIT;
                break;
            }
            cap *= 2;
            buf = fz_xrealloc(buf, cap + 1);
        }
        zip_int64_t r = dx.zip_fread(f, buf + n, cap - n);
        if (r < 0) {
            *why = "corrupt DOCX (damaged zip archive)";
            rc = FZ_EINPUT;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    dx.zip_fclose(f);
    if (rc == 0 && n > limit) {
        *why = "document part too large";
        rc = FZ_ELIMIT;
    }
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* The main document part named in _rels/.rels, or NULL. Caller frees. */
static char *main_part(zip_t *z)
{
    char *rels;
    size_t n;
    const char *why;
    if (read_part(z, "_rels/.rels", MAX_RELS, &rels, &n, &why) < 0)
        return NULL;
    char *found = NULL;
    xmlDoc *doc = dx.xmlReadMemory(rels, (int)n, "rels.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    const xmlNode *root = doc ? dx.xmlDocGetRootElement(doc) : NULL;
    for (const xmlNode *c = root ? root->children : NULL; c && !found; c = c->next) {
        const char *type = is_el(c, "Relationship") ? attr(c, "Type") : NULL;
        const char *target = attr(c, "Target");
        size_t tl = type ? strlen(type) : 0;
        if (type && target && tl >= 15 && strcmp(type + tl - 15, "/officeDocument") == 0)
            found = fz_xstrdup(target[0] == '/' ? target + 1 : target);
    }
    dx.xmlFreeDoc(doc);
    free(rels);
    return found;
}

int fz_docx_read(fz_rawdoc *out, const char *name, const void *data, size_t n, fz_diag *diag)
{
    fz_rawdoc_reset(out);
    pthread_once(&dx_once, dx_load);
    if (!dx_ok) {
        fz_diag_add(diag, FZ_DIAG_SKIP, name, 0,
                    "cannot read '%s': Word files need the library %s (install %s): %s", name,
                    dx_lib, dx_package, dx_why);
        return FZ_EDEP;
    }
    const char *why = NULL;
    int rc = 0;
    char *xml = NULL, *part = NULL;
    xmlDoc *doc = NULL;
    zip_t *z = NULL;
    size_t len = 0;

    zip_error_t zerr;
    dx.zip_error_init(&zerr);
    zip_source_t *src = dx.zip_source_buffer_create(data, n, 0, &zerr);
    if (src)
        z = dx.zip_open_from_source(src, ZIP_RDONLY, &zerr);
    dx.zip_error_fini(&zerr);
    if (!z) {
        dx.zip_source_free(src);
        why = "corrupt DOCX (damaged zip archive)";
        rc = FZ_EINPUT;
        goto fail;
    }
    part = main_part(z);
    if (!part || (rc = read_part(z, part, FZ_FORMATS_MAX_XML, &xml, &len, &why)) == FZ_ENOTFOUND)
        rc = read_part(z, "word/document.xml", FZ_FORMATS_MAX_XML, &xml, &len, &why);
    if (rc < 0) {
        if (rc == FZ_ENOTFOUND)
            rc = FZ_EINPUT;
        goto fail;
    }
    if (len > INT_MAX) {
        why = "document part too large";
        rc = FZ_ELIMIT;
        goto fail;
    }
    doc = dx.xmlReadMemory(xml, (int)len, "document.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    const xmlNode *root = doc ? dx.xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        why = "corrupt DOCX (document.xml is not well-formed XML)";
        rc = FZ_EINPUT;
        goto fail;
    }
    if (!is_el(root, "document") || !root->ns || !root->ns->href ||
        !strstr((const char *)root->ns->href, "wordprocessingml")) {
        why = "not a Word document";
        rc = FZ_EINPUT;
        goto fail;
    }
    const xmlNode *body = child(root, "body");
    if (body)
        walk_blocks(body, &out->text);
    if (out->text.len > FZ_FORMATS_MAX_TEXT) {
        why = "text larger than 128 MB";
        rc = FZ_ELIMIT;
        goto fail;
    }
    dx.xmlFreeDoc(doc);
    free(xml);
    free(part);
    dx.zip_discard(z);
    return 0;
fail:
    fz_diag_add(diag, FZ_DIAG_SKIP, name, 0, "cannot read '%s': %s", name, why);
    dx.xmlFreeDoc(doc);
    free(xml);
    free(part);
    if (z)
        dx.zip_discard(z);
    fz_rawdoc_reset(out);
    return rc;
}
