/* mkcsdet.c: writes the common-character lists of ICU's GB18030 and Big5
 * charset recognizers, which decode.c uses to compute the same confidences
 * as ucsdet_detectAll() without running ICU's other recognizers (run at
 * build time by CMake; the output header is never checked in).
 *
 * ICU does not publish the lists, so each one is read off the detector:
 * a text of one double-byte code repeated 40 times gets confidence 100
 * from a recognizer if the code is in its list and 10 if it is not
 * (confidence = log(common + 1) * 90 / log(double-byte / 4) + 10). Every
 * valid double-byte code is probed. Anything else (another confidence, no
 * match) stops the build.
 *
 * It also writes the GB18030 two-byte map decode.c converts with: for each
 * lead byte 0x81-0xFE and trail byte 0x40-0xFE, the code point ICU's
 * GB18030 converter gives the pair alone, or 0 where ICU gives anything but
 * one BMP character without an error (trail 0x7F and 0xFF, surrogates), so
 * that the decoder hands those bytes to ICU.
 *
 * Usage: mkcsdet OUTPUT.h */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

static void die(const char *what)
{
    fprintf(stderr, "mkcsdet: %s\n", what);
    exit(1);
}

/* ICU's confidence for name on text, or -1 if it reports no match */
static int confidence(UCharsetDetector *d, const char *text, int32_t n, const char *name)
{
    UErrorCode st = U_ZERO_ERROR;
    ucsdet_setText(d, text, n, &st);
    int32_t nm = 0;
    const UCharsetMatch **m = ucsdet_detectAll(d, &nm, &st);
    if (U_FAILURE(st))
        die("ucsdet_detectAll failed");
    for (int32_t i = 0; i < nm; i++) {
        const char *got = ucsdet_getName(m[i], &st);
        if (U_SUCCESS(st) && got && strcmp(got, name) == 0)
            return ucsdet_getConfidence(m[i], &st);
    }
    return -1;
}

#define REPEAT 40

static size_t probe(UCharsetDetector *d, const char *name, unsigned lead_lo, unsigned lead_hi,
                    int (*valid_trail)(unsigned), uint16_t *out)
{
    size_t n = 0;
    char text[2 * REPEAT];
    for (unsigned a = lead_lo; a <= lead_hi; a++)
        for (unsigned b = 0x40; b <= 0xFE; b++) {
            if (!valid_trail(b))
                continue;
            for (int i = 0; i < REPEAT; i++) {
                text[2 * i] = (char)a;
                text[2 * i + 1] = (char)b;
            }
            int c = confidence(d, text, 2 * REPEAT, name);
            if (c == 100)
                out[n++] = (uint16_t)(a << 8 | b);
            else if (c != 10) {
                fprintf(stderr, "mkcsdet: %s %02X%02X: confidence %d\n", name, a, b, c);
                exit(1);
            }
        }
    return n;
}

/* trail bytes ICU's recognizers accept as a double-byte character (GB18030:
 * 0x40-0x7E, and 80-0xFE, decimal 80 as in ICU; Big5: 0x40-0xFE but 0x7F) */
static int gb_trail(unsigned b)
{
    return (b >= 0x40 && b <= 0x7E) || (b >= 80 && b <= 0xFE);
}

static int big5_trail(unsigned b)
{
    return b >= 0x40 && b != 0x7F && b != 0xFF;
}

/* The GB18030 two-byte map, GB2_LEADS x GB2_TRAILS entries. */
#define GB2_LEADS  (0xFE - 0x81 + 1)
#define GB2_TRAILS (0xFE - 0x40 + 1)

static void gb_two_byte(uint16_t *map)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open("GB18030", &st);
    if (U_FAILURE(st))
        die("no GB18030 converter");
    ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    if (U_FAILURE(st))
        die("cannot set the GB18030 callback");
    size_t mapped = 0;
    for (unsigned a = 0x81; a <= 0xFE; a++)
        for (unsigned b = 0x40; b <= 0xFE; b++) {
            char in[2] = { (char)a, (char)b };
            UChar u[4];
            ucnv_reset(c);
            st = U_ZERO_ERROR;
            int32_t k = ucnv_toUChars(c, u, 4, in, 2, &st);
            uint16_t cp = 0;
            if (U_SUCCESS(st) && k == 1 && !U16_IS_SURROGATE(u[0]) && u[0] >= 0x80)
                cp = u[0];
            map[(a - 0x81) * GB2_TRAILS + (b - 0x40)] = cp;
            mapped += cp != 0;
        }
    ucnv_close(c);
    if (mapped < 20000)
        die("the GB18030 two-byte map came out nearly empty");
}

static void put(FILE *f, const char *name, const uint16_t *v, size_t n)
{
    fprintf(f, "static const uint16_t %s[%zu] = {\n", name, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "0x%04x,%s", v[i], i % 10 == 9 ? "\n" : " ");
    fprintf(f, "};\n");
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: mkcsdet OUTPUT.h");
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *d = ucsdet_open(&st);
    if (U_FAILURE(st))
        die("no charset detector");
    static uint16_t gb[65536], big5[65536];
    size_t ngb = probe(d, "GB18030", 0x81, 0xFE, gb_trail, gb);
    size_t nbig5 = probe(d, "Big5", 0x80, 0xFE, big5_trail, big5);
    ucsdet_close(d);
    if (ngb == 0 || nbig5 == 0)
        die("a common-character list came out empty");
    static uint16_t gb2[GB2_LEADS * GB2_TRAILS];
    gb_two_byte(gb2);

    size_t pl = strlen(argv[1]);
    char *tmp = malloc(pl + 5);
    if (!tmp)
        die("out of memory");
    memcpy(tmp, argv[1], pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    if (!f)
        die("cannot write the output");
    fprintf(f, "/* Generated by src/ingest/gen/mkcsdet.c from ICU %s; do not edit. */\n",
            U_ICU_VERSION);
    put(f, "gen_common_gb18030", gb, ngb);
    put(f, "gen_common_big5", big5, nbig5);
    fprintf(f, "#define GEN_GB2_TRAILS %d\n", GB2_TRAILS);
    put(f, "gen_gb2_map", gb2, GB2_LEADS * GB2_TRAILS);
    if (fclose(f) != 0 || rename(tmp, argv[1]) != 0)
        die("cannot write the output");
    free(tmp);
    return 0;
}
