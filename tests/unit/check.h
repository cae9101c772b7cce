/* check.h: the tiny test harness every unit test uses.
 * One CHECK per behaviour; the program ends with check_done(), which prints
 * "N passed, N failed" and returns the exit status for main(). */
#ifndef FZ_CHECK_H
#define FZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

void check_at(int ok, const char *file, int line, const char *what);
int  check_done(void);
/* Reads a whole file (NULL if it cannot); caller frees. *n gets its size. */
char *check_slurp(const char *path, size_t *n);
/* $FZ_SHARED (../shared) joined with rel; caller frees. */
char *check_shared(const char *rel);
/* $FZ_SOURCE (the project root) joined with rel; caller frees. */
char *check_source(const char *rel);

/* xorshift64: advances *state (never 0) and returns it; reproducible
 * random input for tests. */
uint64_t check_xorshift(uint64_t *state);

#define CHECK(cond) check_at(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_MSG(cond, msg) check_at(!!(cond), __FILE__, __LINE__, (msg))

#endif
