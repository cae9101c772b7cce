/* fuzz_util.c: memory files and dataset paths for the fuzz targets (see
 * fuzz_util.h). */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FZ_FUZZ_DATA_DIR
#define FZ_FUZZ_DATA_DIR "datasets"
#endif

const char *fuzz_memfile(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fzfuzz", MFD_CLOEXEC);
        if (fd < 0)
            return NULL;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0)
        return NULL;
    size_t off = 0;
    while (off < size) {
        ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
        if (w <= 0)
            return NULL;
        off += (size_t)w;
    }
    return path;
}

const char *fuzz_data_path(const char *name)
{
    static char path[4096];
    const char *dir = getenv("FZ_FUZZ_DATA");
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : FZ_FUZZ_DATA_DIR, name);
    return path;
}
