/* cli.c: shared command-line plumbing. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void fz_cli_print_diag(fz_diag *d, int quiet)
{
    for (size_t i = 0; i < d->n; i++) {
        const fz_diag_item *it = &d->items[i];
        if (quiet && (it->level == FZ_DIAG_NOTE || it->level == FZ_DIAG_WARN))
            continue;
        const char *tag = it->level == FZ_DIAG_WARN ? "warning: " : "";
        /* every line names its file: prefix 'file' when the message does not */
        const char *f = it->file && *it->file ? it->file : NULL;
        size_t fl = f ? strlen(f) : 0;
        for (const char *q = it->msg; f && (q = strchr(q, '\'')) != NULL; q++)
            if (strncmp(q + 1, f, fl) == 0 && q[1 + fl] == '\'')
                f = NULL;
        fprintf(stderr, "fzstat: %s%s%s%s%s", tag, f ? "'" : "", f ? f : "", f ? "': " : "",
                it->msg);
        if (it->line > 0)
            fprintf(stderr, " (line %ld)\n", it->line);
        else
            fputc('\n', stderr);
    }
    fz_diag_clear(d);
}

int fz_cli_status(size_t skipped, size_t fatal)
{
    if (fatal)
        return FZ_EXIT_FATAL;
    return skipped ? FZ_EXIT_SKIPPED : FZ_EXIT_OK;
}

int fz_cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fzstat: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fputs(usage, stderr);
    return FZ_EXIT_USAGE;
}

int fz_cli_parse_uint(const char *s, unsigned long *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

double fz_cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int fz_cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
