/* main.c: the fzstat command and its git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "report", cmd_report, "run the whole job: extract, stats, tables and the PDF report" },
    { "extract", cmd_extract, "find indicator figures, regions and years in report files" },
    { "stats", cmd_stats, "normalize observations by region and year, write tables" },
    { "plot", cmd_plot, "draw one chart from a table" },
    { "indicators", cmd_indicators, "list the indicator lexicon, suggest new keywords" },
    { "regions", cmd_regions, "look up regions in the gazetteer, resolve a document" },
};

static void help(FILE *out)
{
    fprintf(out,
            "usage: fzstat <command> [options] [PATH...]\n"
            "       fzstat help [<command>]\n"
            "       fzstat --version\n"
            "\n"
            "Turns Chinese local-government rule-of-law reports (法治政府建设年度报告)\n"
            "into comparable statistics by region and year.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Run 'fzstat <command> --help' for a command's options.\n"
            "example:\n"
            "  fzstat report reports/ -o output/\n"
            "exit status: 0 success, 1 some inputs skipped, 2 usage error, 3 fatal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return FZ_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("fzstat %s\n", fz_version());
        return FZ_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    char *args[] = { argv[2], "--help", NULL };
                    return commands[i].run(2, args);
                }
            fprintf(stderr, "fzstat: unknown command '%s'\n", argv[2]);
            return FZ_EXIT_USAGE;
        }
        help(stdout);
        return FZ_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "fzstat: unknown command '%s'\n", cmd);
    help(stderr);
    return FZ_EXIT_USAGE;
}
