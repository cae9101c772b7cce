/* datadir.c: data file lookup (see datadir.h for the order). */
#include "datadir.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static char *try(const char *dir, const char *name)
{
    char *p = fz_xasprintf("%s/%s", dir, name);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *fz_data_path(const char *name)
{
    const char *env = getenv("FZSTAT_DATA");
    if (env && *env)
        return try(env, name);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *dir = fz_xasprintf("%s/../share/fzstat", exe);
            char *p = try(dir, name);
            free(dir);
            if (p)
                return p;
        }
    }
    char *p = try(FZ_INSTALL_DATA_DIR, name);
    if (p)
        return p;
    return try(FZ_SOURCE_DATA_DIR, name);
}

const char *fz_version(void)
{
    return FZ_VERSION;
}
