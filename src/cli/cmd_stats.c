/* cmd_stats.c: 'fzstat stats' (being built; the module behind it lands with its issue). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_stats(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: fzstat stats ...\n");
        return FZ_EXIT_OK;
    }
    fprintf(stderr, "fzstat: 'stats' is not available in this build\n");
    return FZ_EXIT_FATAL;
}
