/* cmd_stats.c: 'fzstat stats': read an observations CSV, build the panel and
 * its statistics (stats/), write one file per table (src/tables). Parsing
 * options and printing are here; everything else is in the modules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "datadir.h"
#include "err.h"
#include "obs.h"
#include "outfile.h"
#include "stats.h"
#include "tables.h"
#include "xalloc.h"

static const char usage[] =
    "usage: fzstat stats OBSERVATIONS.csv -o DIR [options]\n"
    "\n"
    "Builds the region-year panel from an observations CSV (written by\n"
    "'fzstat extract') and writes its tables into DIR: long, wide, summary,\n"
    "trends, correlations, composite, rollups, conflicts, coverage.\n"
    "Columns are documented in docs/tables.md.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       directory for the tables (created if missing)\n"
    "  --base-year Y          index base year (default: each region's first year)\n"
    "  --population FILE      CSV with region_code, year, population: adds per10k\n"
    "  --weights FILE         CSV with indicator, weight, direction for the composite\n"
    "                         index (default: weights.csv in the data directory)\n"
    "  --excel                start CSV files with a UTF-8 byte order mark\n"
    "  --encoding ENC         utf-8 (default) or gb18030\n"
    "  --format FMT           csv (default: one file per table) or xlsx (one\n"
    "                         workbook DIR/tables.xlsx, a sheet per table)\n"
    "  -q, --quiet            print only skipped rows and errors\n"
    "  -h, --help             show this help\n"
    "\n"
    "example:\n"
    "  fzstat stats output/observations.csv -o output/tables --base-year 2020\n"
    "\n"
    "exit status: 0 success, 1 some rows skipped, 2 usage error, 3 fatal error\n";

static int need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fz_cli_usage_error(usage, "option '%s' needs a value", opt);
        return -1;
    }
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    const char *input = NULL, *outdir = NULL, *popfile = NULL, *wfile = NULL;
    const char *format = "csv";
    fz_csv_opts co = { 0 };
    unsigned long base = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return FZ_EXIT_OK;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            outdir = argv[++i];
        } else if (strcmp(a, "--base-year") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            if (fz_cli_parse_uint(argv[++i], &base) < 0 || base < 1000 || base > 9999)
                return fz_cli_usage_error(usage, "--base-year needs a year, not '%s'", argv[i]);
        } else if (strcmp(a, "--population") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            popfile = argv[++i];
        } else if (strcmp(a, "--weights") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            wfile = argv[++i];
        } else if (strcmp(a, "--excel") == 0) {
            co.excel_bom = 1;
        } else if (strcmp(a, "--encoding") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            co.encoding = argv[++i];
            if (strcasecmp(co.encoding, "utf-8") != 0 && strcasecmp(co.encoding, "gb18030") != 0)
                return fz_cli_usage_error(usage, "unknown encoding '%s'", co.encoding);
        } else if (strcmp(a, "--format") == 0) {
            if (need_arg(i, argc, a) < 0)
                return FZ_EXIT_USAGE;
            format = argv[++i];
            if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
                return fz_cli_usage_error(usage, "unknown format '%s'", format);
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return fz_cli_usage_error(usage, "unknown option '%s'", a);
        } else if (!input) {
            input = a;
        } else {
            return fz_cli_usage_error(usage, "one observations file only, got '%s'", a);
        }
    }
    if (!input)
        return fz_cli_usage_error(usage, "no observations file");
    if (!outdir)
        return fz_cli_usage_error(usage, "no output directory (-o DIR)");

    fz_diag d;
    fz_diag_init(&d);
    fz_obs *obs = fz_obs_new();
    fz_table *pop = NULL, *weights = NULL, *lex = NULL;
    fz_stats *s = NULL;
    int rc = FZ_EXIT_FATAL;
    char *wdefault = NULL, *lexpath = fz_data_path("lexicon.csv");
    if (fz_obs_read_csv(input, obs, &d) < 0)
        goto done;
    if (popfile && !(pop = fz_csv_read_table(popfile, &d)))
        goto done;
    if (!wfile)
        wfile = wdefault = fz_data_path("weights.csv");
    if (wfile && !(weights = fz_csv_read_table(wfile, &d)))
        goto done;
    if (lexpath) {
        fz_diag ld; /* the taxonomy only refines rate/count; its problems are not ours */
        fz_diag_init(&ld);
        lex = fz_csv_read_table(lexpath, &ld);
        fz_diag_release(&ld);
    }
    fz_stats_opts so = { .base_year = (int)base, .population = pop, .weights = weights,
                         .indicators = lex, .source = input, .jobs = fz_cli_default_jobs() };
    s = fz_stats_run(obs, &so, &d);
    if (!s)
        goto done;
    size_t n;
    const fz_table *const *tabs = fz_stats_tables(s, &n);
    int wrc;
    if (strcmp(format, "xlsx") == 0) {
        wrc = fz_mkdirs(outdir, &d);
        if (wrc == 0) {
            char *path = fz_xasprintf("%s/tables.xlsx", outdir);
            wrc = fz_xlsx_write(tabs, n, path, &d);
            free(path);
        }
    } else {
        wrc = fz_tables_write_all(tabs, n, outdir, &co, &d);
    }
    if (wrc < 0)
        goto done;
    rc = fz_cli_status(fz_diag_count(&d, FZ_DIAG_SKIP), fz_diag_count(&d, FZ_DIAG_FATAL));
done:
    if (rc == FZ_EXIT_FATAL && fz_diag_count(&d, FZ_DIAG_FATAL) == 0)
        fz_diag_add(&d, FZ_DIAG_FATAL, input, 0, "cannot compute statistics for '%s'", input);
    fz_cli_print_diag(&d, quiet);
    fz_stats_free(s);
    fz_table_free(pop);
    fz_table_free(weights);
    fz_table_free(lex);
    fz_obs_free(obs);
    free(wdefault);
    free(lexpath);
    fz_diag_release(&d);
    return rc;
}
