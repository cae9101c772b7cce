/* cmd_indicators.c: 'fzstat indicators' (being built; the module behind it lands with its issue). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_indicators(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: fzstat indicators ...\n");
        return FZ_EXIT_OK;
    }
    fprintf(stderr, "fzstat: 'indicators' is not available in this build\n");
    return FZ_EXIT_FATAL;
}
