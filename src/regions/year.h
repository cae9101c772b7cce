/* year.h: which year a report is about, and when it was published.
 *
 * The report year (2022年法治政府建设年度报告, 2019年度, 现就2022年…情况报告如下,
 * a paragraph opening 2022年,我镇…) is kept apart from the publication date
 * (发布时间 2023-01-19, 发布日期: 2016-03-31, a date line 2025.03.19 or a
 * signature date 2023年1月19日) and from other years (《实施纲要(2021—2025年)》,
 * 2020年工作设想, 2024年年底前). Years outside 1990..2100 are ignored.
 * Pure functions over UTF-8 text; no state, safe from any thread. */
#ifndef FZ_YEAR_H
#define FZ_YEAR_H

#include <stddef.h>

#define FZ_YEAR_MIN 1990
#define FZ_YEAR_MAX 2100

/* Parses a whole date at s (n bytes): 2023-01-19, 2023/1/19, 2025.03.19,
 * 2023年1月19日 (digits or 二〇二三年一月十九日). Returns the bytes used
 * (0 if there is no valid date at s) and sets *y, *m, *d. */
size_t fz_year_parse_date(const char *s, size_t n, int *y, int *m, int *d);

/* The year a title line says the report is about (2022年…报告, 2019年度…),
 * or 0. Years inside 《》 and ranges (2021—2025年) do not count. */
int fz_year_from_title(const char *title, size_t n);

/* The report year stated in the body of text (len bytes), or 0 when no
 * phrase states it clearly. Years after max_year (the publication year,
 * or 0 for no limit) are plans, not the report year. */
int fz_year_from_body(const char *text, size_t len, int max_year);

/* The publication date: a labelled date (发布时间, 发布日期, 成文日期, …),
 * else a line holding only a date near the end (the signature), else one
 * near the top. Writes YYYY-MM-DD into out and returns 1, or returns 0. */
int fz_year_published(const char *text, size_t len, char out[11]);

#endif
