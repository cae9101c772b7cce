/* cmd_extract.c: 'fzstat extract' (being built; the module behind it lands with its issue). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_extract(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: fzstat extract ...\n");
        return FZ_EXIT_OK;
    }
    fprintf(stderr, "fzstat: 'extract' is not available in this build\n");
    return FZ_EXIT_FATAL;
}
