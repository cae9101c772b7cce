/* cmd_extract.c: 'fzstat extract' — figures, regions and years as tables. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "extract.h"
#include "obs.h"
#include "obsstream.h"
#include "pipeline.h"
#include "tables.h"
#include "xalloc.h"

static const char usage[] =
    "usage: fzstat extract [options] PATH...\n"
    "\n"
    "Finds every indicator figure in the report files under PATH (files,\n"
    "directories searched recursively in sorted order, or - for stdin) and\n"
    "writes one row per figure: indicator, value, unit, qualifier, whether it\n"
    "is the report's primary figure, region, year, and the sentence it came from.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      observations table (default: standard output)\n"
    "      --docs FILE        also write the per-document table (region, year, ...)\n"
    "      --format FMT       csv (default) or jsonl\n"
    "      --all-quantities   also write every number+measure word with its noun\n"
    "      --excel            start CSV files with a BOM so Excel reads UTF-8\n"
    "      --encoding ENC     utf-8 (default) or gb18030 for old Excel/WPS\n"
    "  -j, --jobs N           worker threads (default: number of cores)\n"
    "      --lexicon FILE     indicator lexicon (default: the bundled one)\n"
    "      --gazetteer FILE   region gazetteer (default: the bundled one)\n"
    "  -q, --quiet            print only errors and skipped files\n"
    "  -h, --help             show this help\n"
    "\n"
    "example:\n"
    "  fzstat extract reports/ -o observations.csv --docs docs.csv\n"
    "\n"
    "exit status: 0 success, 1 some inputs skipped, 2 usage error, 3 fatal error\n";

/* Writes via a temporary file, then copies it to stdout (the table writers
 * write files atomically; standard output is not a file we can rename). */
static int to_stdout(const fz_obs *obs, int jsonl, const fz_csv_opts *co, fz_diag *diag)
{
    char dir[] = "/tmp/fzstat.XXXXXX";
    if (!mkdtemp(dir)) {
        fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "cannot create a temporary directory");
        return -1;
    }
    char *path = fz_xasprintf("%s/obs", dir);
    int rc = jsonl ? fz_obs_write_jsonl(obs, path, co, diag)
                   : fz_obs_write_csv(obs, path, co, diag);
    if (rc == 0) {
        FILE *f = fopen(path, "rb");
        char buf[1 << 16];
        size_t n;
        while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
            if (fwrite(buf, 1, n, stdout) != n)
                rc = -1;
        if (f)
            fclose(f);
        if (fflush(stdout) != 0)
            rc = -1;
        if (rc != 0)
            fz_diag_add(diag, FZ_DIAG_FATAL, NULL, 0, "cannot write to standard output");
    }
    unlink(path);
    rmdir(dir);
    free(path);
    return rc;
}

static void stream_rows(void *ctx, const fz_obs *part, size_t doc_index)
{
    fz_obs_stream_rows(ctx, part, doc_index);
}

int cmd_extract(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "docs", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "all-quantities", no_argument, NULL, 'a' },
        { "excel", no_argument, NULL, 'x' },
        { "encoding", required_argument, NULL, 'e' },
        { "jobs", required_argument, NULL, 'j' },
        { "lexicon", required_argument, NULL, 'L' },
        { "gazetteer", required_argument, NULL, 'G' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *output = NULL, *docs = NULL;
    int jsonl = 0, quiet = 0;
    fz_csv_opts co = { 0, NULL, 0 };
    fz_pipeline_opts po = { fz_cli_default_jobs(), 0, NULL, NULL };
    unsigned long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': docs = optarg; break;
        case 'f':
            if (strcmp(optarg, "csv") == 0)
                jsonl = 0;
            else if (strcmp(optarg, "jsonl") == 0)
                jsonl = 1;
            else
                return fz_cli_usage_error(usage, "unknown format '%s'", optarg);
            break;
        case 'a':
            po.extract_flags |= FZ_EXTRACT_ALL_QUANTITIES;
            co.all_quantities = 1;
            break;
        case 'x': co.excel_bom = 1; break;
        case 'e':
            if (strcasecmp(optarg, "utf-8") != 0 && strcasecmp(optarg, "gb18030") != 0)
                return fz_cli_usage_error(usage, "unknown encoding '%s'", optarg);
            co.encoding = optarg;
            break;
        case 'j':
            if (fz_cli_parse_uint(optarg, &v) < 0 || v == 0 || v > 64)
                return fz_cli_usage_error(usage, "bad number of jobs '%s'", optarg);
            po.jobs = (int)v;
            break;
        case 'L': po.lexicon = optarg; break;
        case 'G': po.gazetteer = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); return FZ_EXIT_OK;
        default: fputs(usage, stderr); return FZ_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return fz_cli_usage_error(usage, "no input given");

    fz_diag diag, wdiag;
    fz_diag_init(&diag);
    fz_diag_init(&wdiag);
    fz_obs *obs = fz_obs_new();
    fz_pipeline_stats st;
    int status = FZ_EXIT_OK;
    /* An output file is written while the files are read, row by row in
     * input order (the same bytes), so the rows need not be kept; its
     * diagnostics (wdiag) follow the run's. If it cannot be created, it is
     * written after the run as for standard output, which reports why. */
    fz_obs_stream *os = NULL;
    if (output && strcmp(output, "-") != 0) {
        os = fz_obs_stream_open(output, jsonl, &co, &wdiag);
        if (!os) {
            fz_diag_release(&wdiag);
            fz_diag_init(&wdiag);
        }
    }
    int rc = os ? fz_pipeline_run_rows(argv + optind, (size_t)(argc - optind), &po, stream_rows,
                                       os, obs, &diag, &st)
                : fz_pipeline_run(argv + optind, (size_t)(argc - optind), &po, obs, &diag, &st);
    if (rc < 0) {
        fz_obs_stream_abort(os);
        status = FZ_EXIT_FATAL;
        goto out;
    }
    size_t skipped = fz_diag_count(&diag, FZ_DIAG_SKIP);
    fz_cli_print_diag(&diag, quiet);
    int werr = 0;
    if (os) {
        werr |= fz_obs_stream_commit(os);
        fz_diag_move(&diag, &wdiag);
    } else if (output && strcmp(output, "-") != 0) {
        werr |= jsonl ? fz_obs_write_jsonl(obs, output, &co, &diag)
                      : fz_obs_write_csv(obs, output, &co, &diag);
    } else {
        werr |= to_stdout(obs, jsonl, &co, &diag);
    }
    if (docs)
        werr |= fz_obs_write_docs_csv(obs, docs, &co, &diag);
    if (!quiet)
        fprintf(stderr, "fzstat: %zu files, %zu read, %zu skipped, %zu figures (%.2f s)\n",
                st.files, st.read, skipped, st.figures, st.seconds);
    status = werr ? FZ_EXIT_FATAL : fz_cli_status(skipped, 0);
out:
    fz_cli_print_diag(&diag, quiet);
    fz_obs_free(obs);
    fz_diag_release(&diag);
    fz_diag_release(&wdiag);
    return status;
}
