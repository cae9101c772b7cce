/* decode.h: bytes of unknown encoding to valid UTF-8 (part of the reader).
 *
 * Order of decisions: a BOM (UTF-8, UTF-16LE/BE) wins; then valid (or nearly
 * valid) UTF-8 is taken as is; then UTF-16 without a BOM is recognised by
 * how plausible its code units are; then a declared charset (HTML meta) or
 * the confidences of ICU's charset detector (computed here, without ICU)
 * choose between GB18030 (also GBK/GB2312) and Big5.
 * Invalid or truncated sequences become U+FFFD and are counted; NUL bytes
 * (U+0000) are dropped and counted. Binary content is reported, not decoded.
 *
 * A decoder (one per reader) owns its ICU converters. The
 * decoded text borrows either the input (valid UTF-8, nothing to repair) or
 * the caller's fz_buf. */
#ifndef FZ_DECODE_H
#define FZ_DECODE_H

#include <stddef.h>

#include "buf.h"

typedef struct fz_decoder fz_decoder;

typedef struct fz_decoded {
    const char *text;     /* valid UTF-8 without NUL bytes; input or out->data */
    size_t      len;      /* bytes of text */
    const char *encoding; /* static: "UTF-8", "GB18030", "Big5", "UTF-16LE", "UTF-16BE" */
    size_t      invalid;  /* sequences replaced by U+FFFD */
    size_t      nuls;     /* NUL characters dropped */
    const char *binary;   /* non-NULL: not text; what it looks like ("binary data") */
} fz_decoded;

fz_decoder *fz_decoder_new(void);
void        fz_decoder_free(fz_decoder *d); /* NULL is fine */

/* Decodes n bytes. hint is a declared charset name (e.g. from an HTML meta
 * tag) or NULL; it is used only when the bytes are not UTF-8 or UTF-16.
 * out is reset and may be used for the result. Never fails: undecodable
 * bytes are replaced and counted, binary content is flagged in res->binary. */
void fz_decode(fz_decoder *d, const void *data, size_t n, const char *hint, fz_buf *out,
               fz_decoded *res);

/* Scans UTF-8: counts maximal invalid subparts, NUL bytes and valid
 * multibyte sequences. Returns 1 if the bytes are valid UTF-8 without NUL. */
int fz_utf8_scan(const unsigned char *s, size_t n, size_t *invalid, size_t *nuls,
                 size_t *multibyte);

/* fz_utf8_scan's answer without the counts: 1 if the bytes are valid UTF-8
 * without NUL. Stops at the first 32-byte block with an error where the
 * CPU has AVX2 (most text in another encoding fails in its first block). */
int fz_utf8_valid(const unsigned char *s, size_t n);

/* 1 if the bytes have fewer than twice as many valid multibyte sequences as
 * invalid ones by fz_utf8_scan's counts, told from bounds of both (lead
 * bytes, lead bytes followed by their continuations, bytes that belong to
 * no sequence) without following the sequences; then *invalid gets a lower
 * bound of the invalid count, at least 1, and *nuls the NUL bytes. 0 when
 * the bounds do not decide. */
int fz_utf8_ruled_out(const unsigned char *s, size_t n, size_t *invalid, size_t *nuls);

/* The confidences (0-100) ICU's ucsdet_detectAll() gives GB18030 and Big5
 * for the first 6 KiB of s, the bytes fz_decode's choice looks at (0 where
 * ICU reports no match). */
void fz_decode_cjk_confidence(const char *s, size_t n, int *gb18030, int *big5);

/* Appends s to out with each maximal invalid subpart replaced by U+FFFD and
 * NUL bytes dropped. Returns the number of replacements. */
size_t fz_utf8_repair(const unsigned char *s, size_t n, fz_buf *out);

#endif
