/* strs.h: arrays of C strings: sorting and keeping each text once. */
#ifndef FZ_STRS_H
#define FZ_STRS_H

#include <stddef.h>

/* qsort() comparator for an array of const char *, by strcmp(). */
int fz_strs_cmp(const void *a, const void *b);

/* Sorts v[0..n) by strcmp() and keeps the first of each run of equal texts
 * at the front; returns how many distinct texts there are. */
size_t fz_strs_sort_unique(const char **v, size_t n);

#endif
