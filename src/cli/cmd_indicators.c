/* cmd_indicators.c: 'fzstat indicators': list the indicator lexicon, or rank
 * the noun phrases of unmapped quantities in an observations CSV (written by
 * 'fzstat extract --all-quantities') so analysts can extend the lexicon.
 * Parses options, calls src/extract and src/tables, prints; no logic here.
 * The observations CSV is read with fz_obs_read_csv (src/tables). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "datadir.h"
#include "lexicon.h"
#include "obs.h"
#include "suggest.h"
#include "tables.h"

static const char usage[] =
    "usage: fzstat indicators [--lexicon FILE]\n"
    "       fzstat indicators [--lexicon FILE] --suggest OBS.csv [--top N]\n"
    "\n"
    "Lists the indicator lexicon: id, kind, canonical unit, accepted units,\n"
    "Chinese name and keywords, one indicator per line (tab-separated).\n"
    "With --suggest, reads an observations CSV that holds unmapped quantities\n"
    "(fzstat extract --all-quantities) and ranks the nouns they count, most\n"
    "frequent first: count, documents, nouns' units, an indicator whose keyword\n"
    "the noun contains, and an example phrase.\n"
    "\n"
    "options:\n"
    "  --lexicon FILE    lexicon to use (default: lexicon.csv in the data directory)\n"
    "  --suggest FILE    rank unmapped noun phrases of this observations CSV\n"
    "  --top N           show at most N suggestions (default 30, 0 = all)\n"
    "  --help            show this help\n"
    "\n"
    "examples:\n"
    "  fzstat indicators\n"
    "  fzstat indicators --suggest output/observations.csv --top 20\n"
    "exit status: 0 success, 2 usage error, 3 lexicon or CSV cannot be read\n";

static void list(const fz_lexicon *lex)
{
    printf("id\tkind\tunit\tunits\tname_zh\tkeywords\n");
    for (size_t i = 0; i < fz_lexicon_count(lex); i++)
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", fz_lexicon_id(lex, i),
               fz_lexicon_kind_name(fz_lexicon_kind(lex, i)), fz_lexicon_unit(lex, i),
               fz_lexicon_units(lex, i), fz_lexicon_name_zh(lex, i), fz_lexicon_keywords(lex, i));
}

static int suggest(const fz_lexicon *lex, const char *path, unsigned long top)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_obs *obs = fz_obs_new();
    int rc = fz_obs_read_csv(path, obs, &d);
    fz_cli_print_diag(&d, 0);
    if (rc < 0) {
        fz_obs_free(obs);
        fz_diag_release(&d);
        return FZ_EXIT_FATAL;
    }
    size_t n;
    fz_suggestion *s = fz_suggest_nouns(obs, lex, &n);
    if (n == 0)
        fprintf(stderr, "fzstat: no unmapped quantities in '%s' (extract with "
                        "--all-quantities)\n", path);
    printf("count\tdocs\tnoun\tunits\tknown\texample\n");
    for (size_t i = 0; i < n && (top == 0 || i < top); i++)
        printf("%zu\t%zu\t%s\t%s\t%s\t%s\n", s[i].count, s[i].docs, s[i].noun, s[i].units,
               s[i].known, s[i].example);
    fz_suggest_free(s);
    fz_obs_free(obs);
    size_t skipped = fz_diag_count(&d, FZ_DIAG_SKIP);
    fz_diag_release(&d);
    return skipped ? FZ_EXIT_SKIPPED : FZ_EXIT_OK;
}

int cmd_indicators(int argc, char **argv)
{
    const char *lexpath = NULL, *obspath = NULL;
    unsigned long top = 30;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return FZ_EXIT_OK;
        } else if (strcmp(a, "--lexicon") == 0 || strcmp(a, "--suggest") == 0 ||
                   strcmp(a, "--top") == 0) {
            if (i + 1 >= argc)
                return fz_cli_usage_error(usage, "option '%s' needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--lexicon") == 0)
                lexpath = v;
            else if (strcmp(a, "--suggest") == 0)
                obspath = v;
            else if (fz_cli_parse_uint(v, &top) < 0)
                return fz_cli_usage_error(usage, "--top needs a number, not '%s'", v);
        } else {
            return fz_cli_usage_error(usage, "unexpected argument '%s'", a);
        }
    }
    char *found = NULL;
    if (!lexpath) {
        found = fz_data_path("lexicon.csv");
        if (!found) {
            fprintf(stderr, "fzstat: cannot find lexicon.csv in the data directory "
                            "(set FZSTAT_DATA or use --lexicon)\n");
            return FZ_EXIT_FATAL;
        }
        lexpath = found;
    }
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = fz_lexicon_load(lexpath, &d);
    fz_cli_print_diag(&d, 0);
    fz_diag_release(&d);
    free(found);
    if (!lex)
        return FZ_EXIT_FATAL;
    int rc = FZ_EXIT_OK;
    if (obspath)
        rc = suggest(lex, obspath, top);
    else
        list(lex);
    fz_lexicon_free(lex);
    return rc;
}
