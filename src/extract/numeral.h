/* numeral.h: numbers and quantities as Chinese government reports write them.
 *
 * Owns no memory: every function reads a borrowed UTF-8 buffer (normalized
 * NFKC text, see reader.h) and fills a caller-owned struct. Thread-safe.
 *
 * A numeral is Arabic (8, 1,338, 87.5), Chinese (十二, 一百零五, 两千三百,
 * 二〇二二) or mixed (1.2万, 3千, 5万). A quantity is a numeral with what
 * makes it a figure: a measure word from the built-in list (件 宗 起 例 名 人
 * 位 次 场 场次 期 份 册 个 块 人次 件次 ... ; 件(次) is read as 件次) or a
 * percent sign (99%, 百分之九十五点五), and the qualifier words around it
 * (约 近 超过 逾 不足 不到 ... 余 多 以上 以下 左右 上下) or a range (10-20件,
 * 十至二十件). The extractor adds the keyword; this module decides only what
 * the words around a number make of it.
 *
 * fz_quantity_at() refuses, by the characters next to the number, what is not
 * a figure: no measure word (2022年, 3月19日, 24小时, 一是, 12345热线,
 * 〔2022〕1117号, 七五普法, 六进), ordinals (第二届, 第十二条), vague counts
 * (数十, 几百), formulas and dates (1+N, 12·4), idioms that contain 一 (统一,
 * 一起, 一次性, 一村一法律顾问), and frequencies or per-unit figures (每月一次,
 * 每季度开展一次: a 每 earlier in the same clause). Years in law names and
 * quoted slogans are the extractor's job (it sees 《》 and “”).
 *
 * Limits: a numeral has at most FZ_NUMERAL_MAX_DIGITS digits or Chinese
 * numeral characters; longer runs are not numbers (serials, phone numbers). */
#ifndef FZ_NUMERAL_H
#define FZ_NUMERAL_H

#include <stddef.h>

#include "obs.h"

#define FZ_NUMERAL_MAX_DIGITS 15
#define FZ_QUANTITY_UNIT_MAX  16 /* bytes of a measure word, with its NUL */

/* Parses one numeral starting exactly at s (n bytes available). Returns the
 * bytes consumed (0: no numeral here) and stores the value. *chinese gets 1
 * when any Chinese numeral character was used (may be NULL). A trailing 万/亿
 * multiplies (1.2万 = 12000). Does not look at the context. */
size_t fz_numeral_parse(const char *s, size_t n, double *value, int *chinese);

typedef struct fz_quantity {
    double  value;        /* the figure (low end of a range); percent for rates */
    double  value_high;   /* high end; valid if qual == FZ_QUAL_RANGE */
    fz_qual qual;
    int     percent;      /* 1: a percentage (unit is "%") */
    int     lone_one;     /* 1: the numeral is a single 一 (一名, 一次) */
    char    unit[FZ_QUANTITY_UNIT_MAX]; /* measure word, normalized: 件次, 人次, % */
    size_t  start, end;   /* bytes of the whole quantity incl. qualifiers */
    size_t  num_start;    /* first byte of the numeral (or of 百分之) */
    size_t  num_end;      /* one past the numeral(s) (before 余/多 and the unit) */
} fz_quantity;

/* Reads the quantity whose numeral starts exactly at pos in text[0..len).
 * Looks back (to the start of the clause) for prefix qualifiers, 第 and 每.
 * 1 and fills q if it is a figure; 0 otherwise. */
int fz_quantity_at(const char *text, size_t len, size_t pos, fz_quantity *q);

/* Finds the next quantity at or after *pos. 1 and fills q (and sets *pos past
 * it); 0 when there is none (then *pos == len). */
int fz_quantity_next(const char *text, size_t len, size_t *pos, fz_quantity *q);

/* One step of fz_quantity_next's scan at p, a position it stops at (an ASCII
 * digit, a Chinese numeral, anything else but ASCII and well-formed 3-byte
 * characters): 1 and q filled if a quantity starts there. *next gets where
 * the scan goes on (past the quantity, the numeral run or the character).
 * For scanners that already know where the numerals are. */
int fz_quantity_step(const char *text, size_t len, size_t p, fz_quantity *q, size_t *next);

/* 1 if a numeral can start at text[pos] (ASCII digit, Chinese numeral, 百分之)
 * and the previous character does not continue a number; *skip gets the
 * bytes to advance when it cannot (at least 1). Fast path for scanners. */
int fz_numeral_start(const char *text, size_t len, size_t pos, size_t *skip);

/* 1 if unit is a measure word this module reads (after normalization, e.g.
 * 件次) or "%". */
int fz_measure_known(const char *unit);

/* UTF-8 helpers shared by the extractor (invalid bytes read as one byte).
 * Inline: they run for nearly every character the extractor looks at. */
inline unsigned fz_utf8_get(const char *s, size_t n, size_t *len) /* code point at s */
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) {
        *len = 0;
        return 0;
    }
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if ((u[0] & 0xF0) == 0xE0 && n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *len = 3;
        return ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    if ((u[0] & 0xE0) == 0xC0 && n >= 2 && (u[1] & 0xC0) == 0x80) {
        *len = 2;
        return ((unsigned)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if ((u[0] & 0xF8) == 0xF0 && n >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
        (u[3] & 0xC0) == 0x80) {
        *len = 4;
        return ((unsigned)(u[0] & 0x07) << 18) | ((unsigned)(u[1] & 0x3F) << 12) |
               ((unsigned)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
    *len = 1;
    return 0xFFFD;
}

inline size_t fz_utf8_prev(const char *text, size_t pos) /* start of the char before pos */
{
    if (pos == 0)
        return 0;
    size_t p = pos - 1;
    int k = 0;
    while (p > 0 && k < 3 && ((unsigned char)text[p] & 0xC0) == 0x80) {
        p--;
        k++;
    }
    return p;
}

#endif
