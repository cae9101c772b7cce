/* test_strs.c: fz_strs_cmp() and fz_strs_sort_unique() (src/core/strs.h). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strs.h"

int main(void)
{
    const char *v[] = { "b", "a", "c", "a", "", "b", "中", "a", "" };
    size_t n = fz_strs_sort_unique(v, sizeof v / sizeof *v);
    CHECK(n == 5);
    const char *want[] = { "", "a", "b", "c", "中" };
    for (size_t i = 0; i < 5 && i < n; i++)
        CHECK(strcmp(v[i], want[i]) == 0);
    CHECK(fz_strs_sort_unique(v, 0) == 0);
    const char *one[] = { "x" };
    CHECK(fz_strs_sort_unique(one, 1) == 1 && strcmp(one[0], "x") == 0);
    const char *same[] = { "x", "x", "x" };
    CHECK(fz_strs_sort_unique(same, 3) == 1);
    const char *a = "a", *b = "b";
    CHECK(fz_strs_cmp(&a, &b) < 0 && fz_strs_cmp(&b, &a) > 0 && fz_strs_cmp(&a, &a) == 0);
    return check_done();
}
