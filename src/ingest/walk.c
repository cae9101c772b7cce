/* walk.c: input discovery (see walk.h).
 *
 * Loops are caught by remembering the (device, inode) of every directory
 * on the way down: a link back to an ancestor would otherwise recurse
 * forever. Two links to the same directory from different places are not
 * a loop; its files are listed under both paths. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "strs.h"
#include "xalloc.h"

void fz_pathlist_init(fz_pathlist *l)
{
    memset(l, 0, sizeof *l);
}

void fz_pathlist_release(fz_pathlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    fz_pathlist_init(l);
}

static void add_owned(fz_pathlist *l, char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->paths = fz_xreallocarray(l->paths, l->cap, sizeof *l->paths);
    }
    l->paths[l->n++] = p;
}

void fz_pathlist_add(fz_pathlist *l, const char *path)
{
    add_owned(l, fz_xstrdup(path));
}

typedef struct ancestor {
    dev_t dev;
    ino_t ino;
} ancestor;

typedef struct walker {
    fz_pathlist *out;
    fz_diag *diag;
    int rc;                              /* first error */
    ancestor stack[FZ_WALK_MAX_DEPTH + 1];
    size_t depth;
} walker;

static void problem(walker *w, int code, const char *path, const char *why)
{
    fz_diag_add(w->diag, FZ_DIAG_SKIP, path, 0, "cannot read '%s': %s", path, why);
    if (!w->rc)
        w->rc = code;
}

static char *join(const char *dir, const char *name)
{
    size_t k = strlen(dir);
    return k && dir[k - 1] == '/' ? fz_xasprintf("%s%s", dir, name)
                                  : fz_xasprintf("%s/%s", dir, name);
}

static void walk_dir(walker *w, const char *path, const struct stat *sb);

/* Handles one path found inside a directory (or given by the user). */
static void visit(walker *w, const char *path, int top)
{
    struct stat sb;
    if (stat(path, &sb) < 0) {
        int err = errno;
        struct stat lb;
        if (err == ELOOP)
            problem(w, FZ_EIO, path, "symbolic link loop");
        else if (err == ENOENT && lstat(path, &lb) == 0 && S_ISLNK(lb.st_mode))
            problem(w, FZ_ENOTFOUND, path, "dangling symbolic link");
        else
            problem(w, err == ENOENT ? FZ_ENOTFOUND : FZ_EIO, path, strerror(err));
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        walk_dir(w, path, &sb);
        return;
    }
    if (S_ISREG(sb.st_mode) || top) {
        /* a named pipe or device given explicitly is read as the user asked */
        fz_pathlist_add(w->out, path);
        return;
    }
    problem(w, FZ_EINPUT, path, "not a regular file");
}

static void walk_dir(walker *w, const char *path, const struct stat *sb)
{
    for (size_t i = 0; i < w->depth; i++) {
        if (w->stack[i].dev == sb->st_dev && w->stack[i].ino == sb->st_ino) {
            problem(w, FZ_EIO, path, "symbolic link loop");
            return;
        }
    }
    if (w->depth >= FZ_WALK_MAX_DEPTH) {
        problem(w, FZ_ELIMIT, path, "directories nested too deeply");
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        problem(w, FZ_EIO, path, strerror(errno));
        return;
    }
    fz_pathlist names;
    fz_pathlist_init(&names);
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .DS_Store, .git */
        add_owned(&names, join(path, e->d_name));
        errno = 0;
    }
    if (errno)
        problem(w, FZ_EIO, path, strerror(errno));
    closedir(d);
    if (names.n > 1)
        qsort(names.paths, names.n, sizeof *names.paths, fz_strs_cmp);
    w->stack[w->depth].dev = sb->st_dev;
    w->stack[w->depth].ino = sb->st_ino;
    w->depth++;
    for (size_t i = 0; i < names.n; i++)
        visit(w, names.paths[i], 0);
    w->depth--;
    fz_pathlist_release(&names);
}

int fz_walk(char *const *inputs, size_t n, fz_pathlist *out, fz_diag *diag)
{
    walker w = { .out = out, .diag = diag };
    for (size_t i = 0; i < n; i++) {
        if (strcmp(inputs[i], "-") == 0) {
            fz_pathlist_add(out, "-");
            continue;
        }
        size_t first = out->n;
        visit(&w, inputs[i], 1);
        /* everything under one input in full-path strcmp order
         * ("a/b.txt" before "a/b/c.txt"), whatever the nesting */
        if (out->n - first > 1)
            qsort(out->paths + first, out->n - first, sizeof *out->paths, fz_strs_cmp);
    }
    return w.rc;
}
