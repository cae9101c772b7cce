/* gen_num.c: writing numbers the ways real reports write them.
 * Values travel in hundredths (int64) so that 87.5% and 1.2万 need no
 * floating point and print the same everywhere. */
#include "gen.h"

#include <assert.h>
#include <string.h>

static const char *const DIGIT_ZH[10] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
static const char *const DIGIT_FW[10] = {"０", "１", "２", "３", "４",
                                         "５", "６", "７", "８", "９"};

static void put_int(fz_buf *b, int64_t v)
{
    char tmp[24];
    int n = 0;
    if (v == 0)
        tmp[n++] = '0';
    while (v > 0 && n < 23) {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    }
    while (n > 0)
        fz_buf_addc(b, tmp[--n]);
}

/* 87.5, 99.25, 413: hundredths without trailing zeros */
static void put_dec(fz_buf *b, int64_t vc)
{
    put_int(b, vc / 100);
    int64_t f = vc % 100;
    if (f) {
        fz_buf_addc(b, '.');
        fz_buf_addc(b, (char)('0' + f / 10));
        if (f % 10)
            fz_buf_addc(b, (char)('0' + f % 10));
    }
}

void gen_num_csv(fz_buf *b, int64_t vc)
{
    put_dec(b, vc);
}

/* one group of four digits, 0 < v < 10000; lead: first group of the number
 * (十二 rather than 一十二) */
static void zh_group(fz_buf *b, int v, int lead)
{
    static const char *const POS[4] = {"千", "百", "十", ""};
    int div = 1000, zero = 0, started = 0;
    for (int i = 0; i < 4; i++, div /= 10) {
        int d = (v / div) % 10;
        if (d == 0) {
            if (started)
                zero = 1;
            continue;
        }
        if (zero || (!started && !lead && i > 0))
            fz_buf_adds(b, "零");
        zero = 0;
        if (!(i == 2 && d == 1 && !started && lead))
            fz_buf_adds(b, DIGIT_ZH[d]);
        fz_buf_adds(b, POS[i]);
        started = 1;
    }
}

void gen_num_chinese(fz_buf *b, int64_t v)
{
    assert(v >= 0 && v < 100000000);
    if (v == 0) {
        fz_buf_adds(b, "零");
        return;
    }
    int hi = (int)(v / 10000), lo = (int)(v % 10000);
    if (hi) {
        zh_group(b, hi, 1);
        fz_buf_adds(b, "万");
    }
    if (lo)
        zh_group(b, lo, hi == 0);
}

void gen_num_chinese_dec(fz_buf *b, int64_t vc)
{
    gen_num_chinese(b, vc / 100);
    int64_t f = vc % 100;
    if (f) {
        fz_buf_adds(b, "点");
        fz_buf_adds(b, DIGIT_ZH[f / 10]);
        if (f % 10)
            fz_buf_adds(b, DIGIT_ZH[f % 10]);
    }
}

int gen_num_style_ok(int64_t vc, gen_numstyle style)
{
    int whole = vc % 100 == 0;
    int64_t v = vc / 100;
    switch (style) {
    case GEN_NUM_ARABIC:
    case GEN_NUM_FULLWIDTH:
        return 1;
    case GEN_NUM_THOUSANDS:
        return whole && v >= 1000;
    case GEN_NUM_WAN:
        return whole && v >= 10000 && v % 1000 == 0;
    case GEN_NUM_CHINESE:
        /* 十二, 一千, 三千五百: words for small or round numbers only */
        if (!whole || v >= 100000000)
            return 0;
        if (v <= 20)
            return 1;
        for (int64_t t = v; t >= 100; t /= 10)
            if (t % 10)
                return 0;
        return 1;
    }
    return 0;
}

void gen_num_put(fz_buf *b, int64_t vc, gen_numstyle style)
{
    assert(vc >= 0 && gen_num_style_ok(vc, style));
    switch (style) {
    case GEN_NUM_ARABIC:
        put_dec(b, vc);
        return;
    case GEN_NUM_FULLWIDTH: {
        fz_buf t;
        fz_buf_init(&t);
        put_dec(&t, vc);
        for (const char *p = t.data; *p; p++)
            fz_buf_adds(b, *p == '.' ? "．" : DIGIT_FW[*p - '0']);
        fz_buf_release(&t);
        return;
    }
    case GEN_NUM_THOUSANDS: {
        char tmp[32];
        fz_buf t;
        fz_buf_init(&t);
        put_int(&t, vc / 100);
        size_t n = t.len, k = 0;
        for (size_t i = 0; i < n && k + 2 < sizeof tmp; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                tmp[k++] = ',';
            tmp[k++] = t.data[i];
        }
        tmp[k] = '\0';
        fz_buf_adds(b, tmp);
        fz_buf_release(&t);
        return;
    }
    case GEN_NUM_WAN: {
        int64_t v = vc / 100;
        put_int(b, v / 10000);
        if (v % 10000) {
            fz_buf_addc(b, '.');
            fz_buf_addc(b, (char)('0' + (v % 10000) / 1000));
        }
        fz_buf_adds(b, "万");
        return;
    }
    case GEN_NUM_CHINESE:
        gen_num_chinese(b, vc / 100);
        return;
    }
}

const char *gen_qual_name(int q)
{
    static const char *const N[] = {"exact", "at_least", "approx", "at_most", "range"};
    return q >= 0 && q <= GEN_Q_RANGE ? N[q] : "exact";
}
