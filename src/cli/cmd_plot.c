/* cmd_plot.c: 'fzstat plot': one chart from one table written by 'fzstat
 * stats' or 'fzstat report' (long.csv, composite.csv, wide.csv, ...).
 * Option parsing and printing are here; the chart is built in src/report
 * (fz_report_plot) and drawn by plots/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "err.h"
#include "plots.h"
#include "report.h"
#include "tables.h"
#include "xalloc.h"

static const char usage[] =
    "usage: fzstat plot TABLE.csv --chart KIND -o FILE.{pdf,png,svg} [options]\n"
    "\n"
    "Draws one chart from a table written by 'fzstat stats' (long.csv for\n"
    "indicator values, composite.csv for the composite index, wide.csv for a\n"
    "scatter of two indicators). Missing figures are drawn as missing, never\n"
    "as 0; approximate figures (余, 约, 以上) are drawn hollow or marked ≈.\n"
    "\n"
    "options:\n"
    "  -c, --chart KIND       bar (one year, sorted), grouped (regions x years),\n"
    "                         lines (over years), heatmap (regions x years),\n"
    "                         dist (values per year), scatter (two indicators),\n"
    "                         slope (ranks in two years)\n"
    "  -o, --output FILE      .pdf, .svg or .png\n"
    "  -i, --indicator ID     indicator id (needed when the table has several)\n"
    "  -y, --year Y           bar: the year; slope: the later year (default: latest)\n"
    "      --from Y           slope: the earlier year (default: the year before)\n"
    "      --value COL        column to draw (default: value, composite, or rank\n"
    "                         for slope; e.g. zscore, per10k, index)\n"
    "      --level L          only regions of this level (province, prefecture,\n"
    "                         county, township, department)\n"
    "      --x ID, --y ID     scatter: the indicators on the axes (wide.csv)\n"
    "      --correlations F   scatter: correlations.csv, for r and the OLS line\n"
    "      --title T          chart title (default: indicator, unit and years)\n"
    "      --top N            at most N bars or rows, the rest summarised\n"
    "      --size WxH         chart size in points (default 640x420)\n"
    "  -h, --help             show this help\n"
    "\n"
    "example:\n"
    "  fzstat plot output/long.csv --chart bar --indicator penalty_cases --year 2022 -o penalty.png\n"
    "\n"
    "exit status: 0 success, 1 some table rows skipped, 2 usage error, 3 fatal error\n";

int cmd_plot(int argc, char **argv)
{
    enum { O_FROM = 256, O_VALUE, O_LEVEL, O_X, O_Y, O_CORR, O_TITLE, O_TOP, O_SIZE };
    static const struct option longopts[] = {
        { "chart", required_argument, NULL, 'c' },
        { "output", required_argument, NULL, 'o' },
        { "indicator", required_argument, NULL, 'i' },
        { "year", required_argument, NULL, 'y' },
        { "from", required_argument, NULL, O_FROM },
        { "value", required_argument, NULL, O_VALUE },
        { "level", required_argument, NULL, O_LEVEL },
        { "x", required_argument, NULL, O_X },
        { "y", required_argument, NULL, O_Y },
        { "correlations", required_argument, NULL, O_CORR },
        { "title", required_argument, NULL, O_TITLE },
        { "top", required_argument, NULL, O_TOP },
        { "size", required_argument, NULL, O_SIZE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    fz_chart_req q = { .kind = -1 };
    const char *out = NULL, *corrfile = NULL;
    double w = 640, h = 420;
    unsigned long v;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":c:o:i:y:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': {
            fz_chart_kind k;
            if (fz_chart_kind_parse(optarg, &k) < 0)
                return fz_cli_usage_error(usage, "unknown chart kind '%s'", optarg);
            q.kind = (int)k;
            break;
        }
        case 'o': out = optarg; break;
        case 'i': q.indicator = optarg; break;
        case 'y':
        case O_FROM:
            if (fz_cli_parse_uint(optarg, &v) < 0 || v < 1000 || v > 9999)
                return fz_cli_usage_error(usage, "'%s' is not a year", optarg);
            if (c == 'y')
                q.year = (int)v;
            else
                q.from = (int)v;
            break;
        case O_VALUE: q.value = optarg; break;
        case O_LEVEL: q.level = optarg; break;
        case O_X: q.x = optarg; break;
        case O_Y: q.y = optarg; break;
        case O_CORR: corrfile = optarg; break;
        case O_TITLE: q.title = optarg; break;
        case O_TOP:
            if (fz_cli_parse_uint(optarg, &v) < 0 || v < 1 || v > 200)
                return fz_cli_usage_error(usage, "--top needs a number from 1 to 200");
            q.top_n = v;
            break;
        case O_SIZE: {
            char *x;
            double ww = strtod(optarg, &x), hh = (*x == 'x') ? strtod(x + 1, &x) : 0;
            if (*x || ww < 160 || hh < 120 || ww > 5000 || hh > 5000)
                return fz_cli_usage_error(usage, "--size needs WxH in points, e.g. 640x420");
            w = ww;
            h = hh;
            break;
        }
        case 'h': fputs(usage, stdout); return FZ_EXIT_OK;
        case ':':
            return fz_cli_usage_error(usage, "option '%s' needs a value", argv[optind - 1]);
        default:
            return fz_cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fz_cli_usage_error(usage, "no table given");
    if (optind + 1 < argc)
        return fz_cli_usage_error(usage, "one table only, got '%s'", argv[optind + 1]);
    if (q.kind < 0)
        return fz_cli_usage_error(usage, "no chart kind (--chart KIND)");
    if (!out)
        return fz_cli_usage_error(usage, "no output file (-o FILE)");
    if (q.kind == FZ_CHART_SCATTER && (!q.x || !q.y))
        return fz_cli_usage_error(usage, "a scatter needs --x and --y");
    const char *input = argv[optind];

    fz_diag d;
    fz_diag_init(&d);
    int rc = FZ_EXIT_FATAL;
    fz_table *t = fz_csv_read_table(input, &d), *corr = NULL, *lex = NULL;
    char *lexpath = fz_data_path("lexicon.csv"), *source = NULL;
    if (!t)
        goto done;
    if (corrfile && !(corr = fz_csv_read_table(corrfile, &d)))
        goto done;
    if (lexpath) {
        fz_diag ld; /* names only; a broken lexicon is reported by other commands */
        fz_diag_init(&ld);
        lex = fz_csv_read_table(lexpath, &ld);
        fz_diag_release(&ld);
    }
    source = fz_xasprintf("%s · fzstat %s", input, fz_version());
    q.correlations = corr;
    q.indicators = lex;
    q.source = source;
    q.epoch = fz_report_epoch();
    if (fz_report_plot(t, &q, out, w, h, &d) == 0)
        rc = fz_cli_status(fz_diag_count(&d, FZ_DIAG_SKIP), fz_diag_count(&d, FZ_DIAG_FATAL));
done:
    fz_cli_print_diag(&d, 0);
    fz_table_free(t);
    fz_table_free(corr);
    fz_table_free(lex);
    free(lexpath);
    free(source);
    fz_diag_release(&d);
    return rc;
}
