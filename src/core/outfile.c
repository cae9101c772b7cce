/* outfile.c: temp file + fsync + rename. Writes go through a cookie stream so
 * tests can make a write fail midway (fz_outfile_fail_after) on the same code
 * path real output takes. */
#include "outfile.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

/* The budget is shared by every thread that writes outputs (the report
 * writes its CSV files while the PDF is drawn): the first write that
 * crosses it fails, and so does every later one. */
static atomic_llong fail_budget = -2; /* -2: not read from the environment yet */

void fz_outfile_fail_after(long long bytes)
{
    atomic_store(&fail_budget, bytes);
}

static long long budget(void)
{
    long long b = atomic_load(&fail_budget);
    if (b == -2) {
        const char *e = getenv("FZSTAT_TEST_FAIL_AFTER");
        long long v = (e && *e) ? atoll(e) : -1;
        /* the first thread to get here sets it; the others read its value */
        if (!atomic_compare_exchange_strong(&fail_budget, &b, v < -1 ? -1 : v))
            return b;
        b = v < -1 ? -1 : v;
    }
    return b;
}

/* Takes n bytes from the budget; 0 if they fit, -1 if the disk is "full". */
static int spend(size_t n)
{
    long long b = budget();
    while (b >= 0) {
        if ((long long)n > b) {
            atomic_store(&fail_budget, 0); /* nothing fits after a failed write */
            return -1;
        }
        if (atomic_compare_exchange_weak(&fail_budget, &b, b - (long long)n))
            return 0;
    }
    return 0;
}

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    int fd = *(int *)c;
    if (spend(n) < 0) {
        errno = ENOSPC;
        return -1;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int cookie_close(void *c)
{
    (void)c; /* the descriptor is closed by commit/abort after fsync */
    return 0;
}

int fz_outfile_open(fz_outfile *of, const char *path, fz_diag *diag)
{
    memset(of, 0, sizeof *of);
    of->fd = -1;
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    of->path = fz_xstrdup(path);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* /dev/null, /dev/stdout, a FIFO: write in place; renaming a temp
         * file over a device would replace the device node itself */
        of->fd = open(path, O_WRONLY | O_CLOEXEC);
    } else {
        of->tmp = fz_xasprintf("%.*s.%s.XXXXXX", (int)dirlen, path, slash ? slash + 1 : path);
        of->fd = mkstemp(of->tmp);
        if (of->fd >= 0)
            fchmod(of->fd, 0644);
    }
    if (of->fd < 0) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot write '%s': %s", path, strerror(errno));
        free(of->tmp);
        free(of->path);
        of->tmp = of->path = NULL;
        return FZ_EIO;
    }
    cookie_io_functions_t io = { NULL, cookie_write, NULL, cookie_close };
    of->fp = fopencookie(&of->fd, "w", io);
    if (!of->fp) {
        fz_diag_add(diag, FZ_DIAG_FATAL, path, 0, "cannot write '%s': %s", path, strerror(errno));
        fz_outfile_abort(of);
        return FZ_EIO;
    }
    setvbuf(of->fp, NULL, _IOFBF, 1 << 16);
    return 0;
}

static void cleanup(fz_outfile *of)
{
    if (of->fd >= 0)
        close(of->fd);
    free(of->tmp);
    free(of->path);
    memset(of, 0, sizeof *of);
    of->fd = -1;
}

int fz_outfile_commit(fz_outfile *of, fz_diag *diag)
{
    int err = 0;
    if (fflush(of->fp) != 0 || ferror(of->fp))
        err = errno ? errno : EIO;
    if (fclose(of->fp) != 0 && !err)
        err = errno ? errno : EIO;
    of->fp = NULL;
    if (!err && fsync(of->fd) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    if (!err && of->tmp && rename(of->tmp, of->path) != 0)
        err = errno;
    if (err) {
        fz_diag_add(diag, FZ_DIAG_FATAL, of->path, 0, "cannot write '%s': %s", of->path,
                    strerror(err));
        if (of->tmp)
            unlink(of->tmp);
        cleanup(of);
        return FZ_EIO;
    }
    cleanup(of);
    return 0;
}

void fz_outfile_abort(fz_outfile *of)
{
    if (of->fp)
        fclose(of->fp);
    of->fp = NULL;
    if (of->tmp)
        unlink(of->tmp);
    cleanup(of);
}

int fz_mkdirs(const char *dir, fz_diag *diag)
{
    char *p = fz_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            struct stat st;
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                fz_diag_add(diag, FZ_DIAG_FATAL, p, 0, "cannot create directory '%s': %s", p,
                            strerror(errno));
                rc = FZ_EIO;
                break;
            }
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fz_diag_add(diag, FZ_DIAG_FATAL, p, 0, "cannot create directory '%s': %s", p,
                            "a file of that name exists");
                rc = FZ_EIO;
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return rc;
}
