/* strs.c: see strs.h. */
#include "strs.h"

#include <stdlib.h>
#include <string.h>

int fz_strs_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t fz_strs_sort_unique(const char **v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, fz_strs_cmp);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[m - 1], v[i]) != 0)
            v[m++] = v[i];
    return m;
}
