/* cmd_report.c: 'fzstat report': the whole job in one command. Extracts the
 * figures (pipeline), computes the statistics (stats/), writes the CSV
 * tables (src/tables) and the PDF report (src/report) into one directory.
 * Option parsing and printing are here; the work is in the modules.
 *
 * With more than one job the CSV files are written on a second thread: the
 * observations while the statistics are computed, the statistics tables
 * (the roll-ups built there first) while the PDF is drawn. Both sides only read the observations and the
 * statistics. Diagnostics keep the serial order (CSV files, then the PDF). */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "err.h"
#include "obs.h"
#include "outfile.h"
#include "pipeline.h"
#include "report.h"
#include "stats.h"
#include "tables.h"
#include "xalloc.h"

/* cairo 1.16 leaks one array (768 bytes) for every PDF that shows text
 * (reproduced without fzstat: a PDF surface, cairo_show_text, finish,
 * destroy, cairo_debug_reset_static_data), and fontconfig keeps its parsed
 * configuration until exit (only FcFini frees it, unsafe while cairo holds
 * fonts). LeakSanitizer reads this hook in sanitizer builds; elsewhere it is
 * an unused function. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

static const char usage[] =
    "usage: fzstat report [options] [PATH...]\n"
    "\n"
    "Runs the whole job: finds the indicator figures in the report files under\n"
    "PATH, builds the region-year statistics, writes every table as CSV and a\n"
    "PDF report (DIR/report.pdf) with charts, rankings, coverage, a data-quality\n"
    "appendix and the method. Without PATH it runs on the bundled synthetic\n"
    "sample (datasets/sample/) and writes to output/.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       output directory (default: output), created if missing\n"
    "  -j, --jobs N           worker threads for extraction (default: number of cores)\n"
    "      --title T          title on the cover and in the PDF metadata\n"
    "      --population FILE  CSV with region_code, year, population: adds per10k\n"
    "      --weights FILE     CSV with indicator, weight, direction for the composite\n"
    "                         index (default: weights.csv in the data directory)\n"
    "      --base-year Y      index base year (default: each region's first year)\n"
    "      --top N            bars per ranking chart (default 25)\n"
    "  -q, --quiet            print only errors and skipped files\n"
    "      --timings          print the time each stage took (to stderr)\n"
    "  -h, --help             show this help\n"
    "\n"
    "The PDF is reproducible: its dates come from SOURCE_DATE_EPOCH (default\n"
    "2024-01-01), so the same inputs give the same bytes.\n"
    "\n"
    "example:\n"
    "  fzstat report reports/ -o output/ --title '2023年区县法治政府建设报告统计'\n"
    "\n"
    "exit status: 0 success, 1 some inputs skipped, 2 usage error, 3 fatal error\n";

/* "reports/" or "reports/ 等 3 个路径" for the source lines */
static char *corpus_label(char *const *in, size_t n)
{
    if (n == 1)
        return fz_xstrdup(in[0]);
    return fz_xasprintf("%s 等 %zu 个路径", in[0], n);
}

/* Hands the free memory of glibc's heaps back to the system. The statistics
 * are built on several threads, each in its own heap, and their scratch
 * arrays leave free pages inside those heaps that glibc keeps otherwise
 * (measured on 100,000 reports: 26 MB less resident after the statistics). */
static void trim_heaps(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* One batch of CSV files, written inline or on a thread. */
typedef struct csv_job {
    const fz_obs          *obs;     /* set: observations.csv and documents.csv */
    fz_stats              *st;      /* set: all its tables */
    const char            *outdir;
    double                 seconds; /* time spent writing */
    fz_diag                diag;
    int                    rc;
    pthread_t              th;
    int                    threaded;
} csv_job;

static void *write_csvs(void *arg)
{
    csv_job *j = arg;
    double t0 = fz_cli_now();
    j->rc = 0;
    if (j->obs) {
        char *path = fz_xasprintf("%s/observations.csv", j->outdir);
        j->rc = fz_obs_write_csv(j->obs, path, NULL, &j->diag);
        free(path);
        if (j->rc == 0) {
            path = fz_xasprintf("%s/documents.csv", j->outdir);
            j->rc = fz_obs_write_docs_csv(j->obs, path, NULL, &j->diag);
            free(path);
        }
    }
    if (j->rc == 0 && j->st) {
        /* The PDF does not read the roll-ups, the largest table after long:
         * built here (off the way from the statistics to the PDF) and
         * written first, they are freed while the PDF is being drawn. */
        fz_stats_finish(j->st);
        trim_heaps(); /* the scratch of building them */
        const fz_table *ru = fz_stats_table(j->st, "rollups");
        int rrc = 0;
        if (ru) {
            char *path = fz_xasprintf("%s/%s.csv", j->outdir, fz_table_name(ru));
            rrc = fz_csv_write_table(ru, path, NULL, &j->diag);
            free(path);
            fz_stats_release_table(j->st, "rollups");
            trim_heaps();
        }
        size_t n;
        const fz_table *const *tabs = fz_stats_tables(j->st, &n);
        j->rc = fz_tables_write_all(tabs, n, j->outdir, NULL, &j->diag);
        if (rrc < 0)
            j->rc = rrc;
    }
    j->seconds = fz_cli_now() - t0;
    return NULL;
}

/* Starts the job on a thread when allowed, else runs it now. */
static void csv_start(csv_job *j, int thread)
{
    fz_diag_init(&j->diag);
    j->threaded = thread && pthread_create(&j->th, NULL, write_csvs, j) == 0;
    if (!j->threaded)
        write_csvs(j);
}

/* Waits for the job; its diagnostics go to d. Returns its status. */
static int csv_finish(csv_job *j, fz_diag *d)
{
    if (j->threaded)
        pthread_join(j->th, NULL);
    j->threaded = 0;
    fz_diag_move(d, &j->diag);
    fz_diag_release(&j->diag);
    return j->rc;
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "jobs", required_argument, NULL, 'j' },
        { "title", required_argument, NULL, 't' },
        { "population", required_argument, NULL, 'p' },
        { "weights", required_argument, NULL, 'w' },
        { "base-year", required_argument, NULL, 'b' },
        { "top", required_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { "timings", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *outdir = "output", *title = NULL, *popfile = NULL, *wfile = NULL;
    unsigned long base = 0, top = 0, v;
    int quiet = 0, timings = 0;
    fz_pipeline_opts po = { fz_cli_default_jobs(), 0, NULL, NULL };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'j':
            if (fz_cli_parse_uint(optarg, &v) < 0 || v < 1 || v > 1024)
                return fz_cli_usage_error(usage, "bad number of jobs '%s'", optarg);
            po.jobs = (int)v;
            break;
        case 't': title = optarg; break;
        case 'p': popfile = optarg; break;
        case 'w': wfile = optarg; break;
        case 'b':
            if (fz_cli_parse_uint(optarg, &base) < 0 || base < 1000 || base > 9999)
                return fz_cli_usage_error(usage, "--base-year needs a year, not '%s'", optarg);
            break;
        case 'n':
            if (fz_cli_parse_uint(optarg, &top) < 0 || top < 1 || top > 200)
                return fz_cli_usage_error(usage, "--top needs a number from 1 to 200, not '%s'",
                                          optarg);
            break;
        case 'q': quiet = 1; break;
        case 'T': timings = 1; break;
        case 'h': fputs(usage, stdout); return FZ_EXIT_OK;
        case ':':
            return fz_cli_usage_error(usage, "option '%s' needs a value", argv[optind - 1]);
        default:
            return fz_cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
        }
    }

    fz_diag d, rd; /* d: this command's problems; rd: the run's, for the appendix */
    fz_diag_init(&d);
    fz_diag_init(&rd);
    fz_obs *obs = fz_obs_new();
    fz_table *pop = NULL, *weights = NULL, *lex = NULL;
    fz_stats *st = NULL;
    char *sample = NULL, *wdefault = NULL, *lexpath = NULL, *corpus = NULL, *path = NULL;
    int rc = FZ_EXIT_FATAL;
    char *const *inputs = argv + optind;
    size_t ninputs = (size_t)(argc - optind);
    char *one[1];
    if (ninputs == 0) {
        sample = fz_pipeline_sample_dir();
        if (!sample) {
            fz_diag_add(&d, FZ_DIAG_FATAL, NULL, 0,
                        "no PATH given and no sample corpus found (datasets/sample)");
            goto done;
        }
        one[0] = sample;
        inputs = one;
        ninputs = 1;
        corpus = fz_xstrdup("datasets/sample/");
    } else {
        corpus = corpus_label(inputs, ninputs);
    }

    double t_start = fz_cli_now();
#ifdef __GLIBC__
    /* Blocks of 4 MiB and more are mapped for themselves and given back when
     * freed. glibc's default threshold grows to the size of the largest
     * block freed so far, after which the statistics' scratch arrays and the
     * released roll-ups leave holes in the heaps that the PDF's short-lived
     * allocations touch again: 100,000 reports peaked at 438 MB, 398 MB so. */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
    if (po.jobs > 1)
        fz_report_prepare(); /* fonts load on a thread of their own meanwhile */
    fz_pipeline_stats ps;
    if (fz_pipeline_run(inputs, ninputs, &po, obs, &rd, &ps) < 0)
        goto done;
    if (popfile && !(pop = fz_csv_read_table(popfile, &rd)))
        goto done;
    if (!wfile)
        wfile = wdefault = fz_data_path("weights.csv");
    if (wfile && !(weights = fz_csv_read_table(wfile, &rd)))
        goto done;
    lexpath = fz_data_path("lexicon.csv");
    if (lexpath) {
        fz_diag ld; /* the taxonomy only names indicators; its problems are not ours */
        fz_diag_init(&ld);
        lex = fz_csv_read_table(lexpath, &ld);
        fz_diag_release(&ld);
    }
    if (fz_mkdirs(outdir, &d) < 0)
        goto done;
    int threads = po.jobs > 1;
    csv_job oj = { .obs = obs, .outdir = outdir };
    csv_start(&oj, threads);
    fz_stats_opts so = { .base_year = (int)base, .population = pop, .weights = weights,
                         .indicators = lex, .source = corpus, .jobs = po.jobs,
                         .rollups_later = 1 };
    fz_diag sd; /* the statistics' diagnostics, after the CSV writer's */
    fz_diag_init(&sd);
    double t_stats = fz_cli_now();
    st = fz_stats_run(obs, &so, &sd);
    t_stats = fz_cli_now() - t_stats;
    trim_heaps();
    int orc = csv_finish(&oj, &d);
    fz_diag_move(&rd, &sd);
    fz_diag_release(&sd);
    if (!st || orc < 0)
        goto done;

    csv_job tj = { .st = st, .outdir = outdir };
    csv_start(&tj, threads);
    int trc = 0;
    fz_diag pd; /* the PDF's diagnostics, after the tables' */
    fz_diag_init(&pd);
    if (!threads) {
        trc = csv_finish(&tj, &d);
        if (trc < 0) {
            fz_diag_release(&pd);
            goto done;
        }
    }
    path = fz_xasprintf("%s/report.pdf", outdir);
    fz_report_opts ro = { .title = title, .corpus = corpus, .sample = sample != NULL,
                          .indicators = lex, .run_diag = &rd, .epoch = fz_report_epoch(),
                          .top_n = top, .jobs = po.jobs };
    double t_pdf = fz_cli_now();
    int prc = fz_report_write(obs, st, path, &ro, &pd);
    t_pdf = fz_cli_now() - t_pdf;
    if (threads)
        trc = csv_finish(&tj, &d);
    fz_diag_move(&d, &pd);
    fz_diag_release(&pd);
    if (trc < 0 || prc < 0)
        goto done;
    if (!quiet)
        fprintf(stderr, "fzstat: wrote '%s': %zu files, %zu figures\n", path, ps.read,
                ps.figures);
    if (timings)
        fprintf(stderr,
                "fzstat: timings: extraction %.3f s (%.1f MB), statistics %.3f s, "
                "observations CSV %.3f s, tables CSV %.3f s%s, PDF %.3f s, total %.3f s\n",
                ps.seconds, (double)ps.bytes / 1048576.0, t_stats, oj.seconds, tj.seconds,
                threads ? " (CSV on a second thread)" : "", t_pdf, fz_cli_now() - t_start);
    rc = fz_cli_status(fz_diag_count(&rd, FZ_DIAG_SKIP) + fz_diag_count(&d, FZ_DIAG_SKIP),
                       fz_diag_count(&rd, FZ_DIAG_FATAL) + fz_diag_count(&d, FZ_DIAG_FATAL));
done:
    fz_report_prepare_cancel(); /* an error before the PDF: stop waiting for the fonts */
    /* a failure no message explains yet (counted before printing clears rd) */
    if (rc == FZ_EXIT_FATAL && fz_diag_count(&d, FZ_DIAG_FATAL) == 0 &&
        fz_diag_count(&rd, FZ_DIAG_FATAL) == 0)
        fz_diag_add(&d, FZ_DIAG_FATAL, NULL, 0, "cannot write the report into '%s'", outdir);
    fz_cli_print_diag(&rd, quiet);
    fz_cli_print_diag(&d, quiet);
    fz_stats_free(st);
    fz_table_free(pop);
    fz_table_free(weights);
    fz_table_free(lex);
    fz_obs_free(obs);
    free(sample);
    free(wdefault);
    free(lexpath);
    free(corpus);
    free(path);
    fz_diag_release(&rd);
    fz_diag_release(&d);
    return rc;
}
