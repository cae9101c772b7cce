/* cmd_regions.c: 'fzstat regions': look up divisions in the gazetteer, or
 * resolve which region and year a report is about and say why.
 * Parses options, calls src/regions and src/ingest, prints; no logic here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "gazetteer.h"
#include "reader.h"
#include "resolve.h"
#include "xalloc.h"

static const char usage[] =
    "usage: fzstat regions [--gazetteer FILE] NAME...\n"
    "       fzstat regions [--gazetteer FILE] --context FILE...\n"
    "\n"
    "Looks up divisions by full or shortened name, chain of names or code, and\n"
    "prints code, path and level of every match (all of them when a name is\n"
    "shared). With --context, reads whole reports and resolves the region and\n"
    "year each one is about, with the evidence.\n"
    "\n"
    "options:\n"
    "  --context          the arguments are report files ('-' is stdin)\n"
    "  --gazetteer FILE   division list to use (default: gazetteer.csv in the data directory)\n"
    "  --help             show this help\n"
    "\n"
    "examples:\n"
    "  fzstat regions 荷城街道 韶关市曲江区 441882102\n"
    "  fzstat regions --context datasets/sample/0001_120114110_2016.txt\n"
    "exit status: 0 all found, 1 a name not found or a file skipped, 2 usage error,\n"
    "3 fatal error\n";

static void print_row(const fz_gazetteer *g, int32_t row)
{
    char path[512];
    const fz_region *r = fz_gazetteer_at(g, (size_t)row);
    fz_gazetteer_path(g, row, path, sizeof path);
    printf("%s\t%s\t%s\n", r->code, path, fz_level_name(r->level));
}

static int lookup(const fz_gazetteer *g, char **names, int n)
{
    int missing = 0;
    int32_t rows[FZ_RESOLVE_MAX_CANDIDATES * 4];
    const size_t max = sizeof rows / sizeof *rows;
    for (int i = 0; i < n; i++) {
        size_t k = fz_region_lookup(g, names[i], rows, max);
        if (k == 0) {
            fprintf(stderr, "fzstat: no division named '%s'\n", names[i]);
            missing++;
            continue;
        }
        for (size_t j = 0; j < k && j < max; j++)
            print_row(g, rows[j]);
        if (k > max)
            fprintf(stderr, "fzstat: '%s' names %zu divisions; %zu shown\n", names[i], k, max);
    }
    return missing ? FZ_EXIT_SKIPPED : FZ_EXIT_OK;
}

static void print_resolution(const fz_gazetteer *g, const char *file, const fz_resolution *r)
{
    printf("file: %s\n", file);
    printf("status: %s\n", fz_region_status_name(r->status));
    if (r->status == FZ_REGION_RESOLVED) {
        printf("code: %s\n", r->code);
        printf("name: %s\n", r->name);
        printf("path: %s\n", r->path);
        printf("level: %s\n", fz_level_name(r->level));
        if (r->department[0])
            printf("department: %s\n", r->department);
    }
    if (r->method[0])
        printf("method: %s (confidence %.2f)\n", r->method, r->confidence);
    if (r->status == FZ_REGION_AMBIGUOUS) {
        printf("candidates:\n");
        for (size_t i = 0; i < r->ncand && i < FZ_RESOLVE_MAX_CANDIDATES; i++) {
            fputs("  ", stdout);
            print_row(g, r->cand[i]);
        }
    }
    if (r->has_year)
        printf("year: %d (%s)\n", r->year, r->year_method);
    else
        printf("year: NA\n");
    printf("published: %s\n", r->published[0] ? r->published : "NA");
    if (r->title[0])
        printf("title: %s\n", r->title);
    printf("evidence:\n");
    for (const char *p = r->evidence.data; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("  %.*s\n", (int)n, p);
        p += n + (nl != NULL);
    }
}

static int context(const fz_gazetteer *g, char **files, int n)
{
    fz_reader *rd = fz_reader_new();
    fz_resolution res;
    fz_resolution_init(&res);
    fz_diag diag;
    fz_diag_init(&diag);
    size_t skipped = 0, shown = 0;
    for (int i = 0; i < n; i++) {
        fz_document doc;
        if (fz_reader_read(rd, files[i], &doc, &diag) < 0) {
            skipped++;
            fz_cli_print_diag(&diag, 0);
            continue;
        }
        fz_cli_print_diag(&diag, 0);
        fz_region_resolve(g, &doc, &res);
        if (shown++ > 0)
            putchar('\n');
        print_resolution(g, files[i], &res);
    }
    fz_diag_release(&diag);
    fz_resolution_release(&res);
    fz_reader_free(rd);
    return fz_cli_status(skipped, 0);
}

int cmd_regions(int argc, char **argv)
{
    const char *gazpath = NULL;
    int ctx = 0, i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return FZ_EXIT_OK;
        } else if (strcmp(a, "--context") == 0) {
            ctx = 1;
        } else if (strcmp(a, "--gazetteer") == 0) {
            if (i + 1 >= argc)
                return fz_cli_usage_error(usage, "option '--gazetteer' needs a file");
            gazpath = argv[++i];
        } else if (strncmp(a, "--gazetteer=", 12) == 0) {
            gazpath = a + 12;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fz_cli_usage_error(usage, "unknown option '%s'", a);
        } else {
            break;
        }
    }
    /* options may not follow the names: a name never starts with '-' */
    for (int k = i; k < argc; k++)
        if (argv[k][0] == '-' && argv[k][1] != '\0')
            return fz_cli_usage_error(usage, "options go before names: '%s'", argv[k]);
    if (i >= argc)
        return fz_cli_usage_error(usage, ctx ? "--context needs a file" : "no name to look up");

    char *path = gazpath ? fz_xstrdup(gazpath) : fz_data_path("gazetteer.csv");
    if (!path) {
        fprintf(stderr, "fzstat: cannot find 'gazetteer.csv' in the data directory (set FZSTAT_DATA)\n");
        return FZ_EXIT_FATAL;
    }
    fz_diag diag;
    fz_diag_init(&diag);
    fz_gazetteer *g = fz_gazetteer_load(path, &diag);
    free(path);
    if (!g) {
        fz_cli_print_diag(&diag, 0);
        fz_diag_release(&diag);
        return FZ_EXIT_FATAL;
    }
    fz_diag_release(&diag);
    int rc = ctx ? context(g, argv + i, argc - i) : lookup(g, argv + i, argc - i);
    fz_gazetteer_free(g);
    return rc;
}
