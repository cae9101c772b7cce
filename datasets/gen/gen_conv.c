/* gen_conv.c: the ICU side of fzgen: simplified to traditional characters
 * (transliterator "Simplified-Traditional") and legacy encodings (GB18030,
 * Big5). A character Big5 cannot hold is an error, never a silent '?', so the
 * ground truth always matches the file. */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "xalloc.h"

struct gen_conv {
    UTransliterator *trad;
    UConverter      *gb;
    UConverter      *big5;
    UChar           *u;     /* UTF-16 scratch */
    int32_t          ucap;
};

gen_conv *gen_conv_new(char *err, size_t errlen)
{
    gen_conv *c = fz_xcalloc(1, sizeof *c);
    UErrorCode st = U_ZERO_ERROR;
    static const UChar id[] = u"Simplified-Traditional";
    c->trad = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st))
        goto fail;
    c->gb = ucnv_open("GB18030", &st);
    if (U_FAILURE(st))
        goto fail;
    c->big5 = ucnv_open("Big5", &st);
    if (U_FAILURE(st))
        goto fail;
    ucnv_setFromUCallBack(c->big5, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    ucnv_setFromUCallBack(c->gb, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    if (U_FAILURE(st))
        goto fail;
    return c;
fail:
    snprintf(err, errlen, "cannot open ICU transliterator or converter: %s", u_errorName(st));
    gen_conv_free(c);
    return NULL;
}

void gen_conv_free(gen_conv *c)
{
    if (!c)
        return;
    if (c->trad)
        utrans_close(c->trad);
    if (c->gb)
        ucnv_close(c->gb);
    if (c->big5)
        ucnv_close(c->big5);
    free(c->u);
    free(c);
}

/* text -> c->u; returns UTF-16 length or -1 */
static int32_t to_u16(gen_conv *c, const char *s, size_t len, int32_t room)
{
    if (len > 0x10000000)
        return -1;
    int32_t need = (int32_t)len * 2 + room + 1; /* traditional text is rarely longer */
    if (need > c->ucap) {
        c->ucap = need;
        c->u = fz_xreallocarray(c->u, (size_t)need, sizeof *c->u);
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(c->u, c->ucap, &n, s, (int32_t)len, &st);
    return U_FAILURE(st) ? -1 : n;
}

int gen_conv_trad(gen_conv *c, fz_buf *b)
{
    int32_t n = to_u16(c, b->data, b->len, 1024);
    if (n < 0)
        return -1;
    int32_t limit = n;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(c->trad, c->u, &n, c->ucap, 0, &limit, &st);
    if (U_FAILURE(st))
        return -1;
    int32_t need = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &need, c->u, n, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return -1;
    fz_buf_reset(b);
    fz_buf_reserve(b, (size_t)need + 1);
    st = U_ZERO_ERROR;
    u_strToUTF8(b->data, need + 1, &need, c->u, n, &st);
    if (U_FAILURE(st))
        return -1;
    b->len = (size_t)need;
    b->data[b->len] = '\0';
    return 0;
}

int gen_conv_encode(gen_conv *c, const char *text, size_t len, int enc, fz_buf *out)
{
    UConverter *cv = enc == GEN_ENC_BIG5 ? c->big5 : c->gb;
    int32_t n = to_u16(c, text, len, 0);
    if (n < 0)
        return -1;
    ucnv_resetFromUnicode(cv);
    int32_t cap = n * 4 + 16;
    fz_buf_reset(out);
    fz_buf_reserve(out, (size_t)cap + 1);
    UErrorCode st = U_ZERO_ERROR;
    int32_t m = ucnv_fromUChars(cv, out->data, cap, c->u, n, &st);
    if (U_FAILURE(st))
        return -1;
    out->len = (size_t)m;
    out->data[out->len] = '\0';
    return 0;
}
