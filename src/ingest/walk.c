/* walk.c: input discovery (see walk.h).
 *
 * Loops are caught by remembering the (device, inode) of every directory
 * on the way down: a link back to an ancestor would otherwise recurse
 * forever. Two links to the same directory from different places are not
 * a loop; its files are listed under both paths.
 *
 * An entry the directory itself says is a regular file (d_type DT_REG; a
 * symbolic link says DT_LNK) is listed without a stat(): a stat of each of
 * 10,000 files (a path lookup each) was most of the walk's time. Entries of
 * any other or unknown type are looked at with stat() as before. */
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
    size_t k = strlen(dir), m = strlen(name), sep = !(k && dir[k - 1] == '/');
    char *p = fz_xmalloc(k + sep + m + 1);
    memcpy(p, dir, k);
    p[k] = '/';
    memcpy(p + k + sep, name, m + 1);
    return p;
}

/* 1 if v[0..n) is in fz_strs_cmp order already (a flat directory is). */
static int in_order(char *const *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1], v[i]) > 0)
            return 0;
    return 1;
}

static void walk_dir(walker *w, const char *path, const struct stat *sb);

/* A directory entry: its path and d_type. */
typedef struct entry {
    char         *path;
    unsigned char type;
} entry;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

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
    entry *ents = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .DS_Store, .git */
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            ents = fz_xreallocarray(ents, cap, sizeof *ents);
        }
        ents[n].path = join(path, e->d_name);
        ents[n].type = e->d_type;
        n++;
        errno = 0;
    }
    if (errno)
        problem(w, FZ_EIO, path, strerror(errno));
    closedir(d);
    if (n > 1)
        qsort(ents, n, sizeof *ents, entry_cmp);
    w->stack[w->depth].dev = sb->st_dev;
    w->stack[w->depth].ino = sb->st_ino;
    w->depth++;
    for (size_t i = 0; i < n; i++) {
        if (ents[i].type == DT_REG) {
            add_owned(w->out, ents[i].path); /* what visit() would list */
            continue;
        }
        visit(w, ents[i].path, 0);
        free(ents[i].path);
    }
    w->depth--;
    free(ents);
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
        if (out->n - first > 1 && !in_order(out->paths + first, out->n - first))
            qsort(out->paths + first, out->n - first, sizeof *out->paths, fz_strs_cmp);
    }
    return w.rc;
}
