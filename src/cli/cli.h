/* cli.h: what every subcommand shares: exit statuses, printing diagnostics,
 * option helpers. Only src/cli prints to the terminal or exits. */
#ifndef FZ_CLI_H
#define FZ_CLI_H

#include <stddef.h>

#include "diag.h"

enum {
    FZ_EXIT_OK = 0,      /* success */
    FZ_EXIT_SKIPPED = 1, /* finished, but some inputs were skipped */
    FZ_EXIT_USAGE = 2,   /* bad command line */
    FZ_EXIT_FATAL = 3    /* could not produce the output */
};

/* Prints every diagnostic to stderr, one line each ("fzstat: ..."), and
 * clears d. quiet suppresses NOTE and WARN lines. */
void fz_cli_print_diag(fz_diag *d, int quiet);

/* Exit status for a finished run from the diagnostics it produced. */
int fz_cli_status(size_t skipped, size_t fatal);

/* Prints "fzstat: <msg>" and the usage to stderr; returns FZ_EXIT_USAGE. */
int fz_cli_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses a non-negative integer option value; 0 or -1. */
int fz_cli_parse_uint(const char *s, unsigned long *out);

/* Number of worker threads to use by default (online cores, at least 1). */
int fz_cli_default_jobs(void);

/* Monotonic clock in seconds, for --timings. */
double fz_cli_now(void);

int cmd_extract(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_indicators(int argc, char **argv);
int cmd_regions(int argc, char **argv);

#endif
