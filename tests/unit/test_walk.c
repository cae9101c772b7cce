/* test_walk.c: input discovery on a scratch tree with hidden files, nested
 * directories whose names sort awkwardly, symlink loops and dangling links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "err.h"
#include "walk.h"
#include "xalloc.h"

static char root[64];

static void touch(const char *rel)
{
    char *p = fz_xasprintf("%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("受理行政复议案件11宗\n", f);
        fclose(f);
    }
    free(p);
}

static void mkd(const char *rel)
{
    char *p = fz_xasprintf("%s/%s", root, rel);
    mkdir(p, 0755);
    free(p);
}

static void lnk(const char *target, const char *rel)
{
    char *p = fz_xasprintf("%s/%s", root, rel);
    if (symlink(target, p) != 0)
        perror("symlink");
    free(p);
}

/* index of path root/rel in l, or -1 */
static long find(const fz_pathlist *l, const char *rel)
{
    char *p = fz_xasprintf("%s/%s", root, rel);
    long at = -1;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->paths[i], p) == 0)
            at = (long)i;
    free(p);
    return at;
}

static int diag_has(const fz_diag *d, const char *what)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, what) && d->items[i].level == FZ_DIAG_SKIP)
            return 1;
    return 0;
}

static void rm_tree(const char *dir)
{
    char *cmd = fz_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/fz_walk_XXXXXX");
    CHECK(mkdtemp(root) != NULL);
    mkd("a");
    mkd("a/b");
    mkd(".git");
    mkd("empty");
    touch("b.txt");
    touch("a/b.txt");
    touch("a/b/c.txt");
    touch("a/z.html");
    touch("a/.hidden.txt");
    touch(".git/config");
    touch("A.txt");
    lnk(".", "a/b/loop");             /* back to its own directory */
    lnk("../..", "a/b/top");          /* back to the root, an ancestor on every path */
    mkd("t");
    touch("t/x.txt");
    lnk("nowhere.txt", "dangling.txt");
    lnk("self", "self");              /* ELOOP */
    lnk("a/b", "link_b");             /* not a loop: listed under both paths */

    fz_pathlist l;
    fz_pathlist_init(&l);
    fz_diag diag;
    fz_diag_init(&diag);
    char *hidden = fz_xasprintf("%s/a/.hidden.txt", root);
    char *missing = fz_xasprintf("%s/missing.txt", root);
    char *inputs[] = { root, "-", hidden, missing };
    int rc = fz_walk(inputs, 4, &l, &diag);

    CHECK_MSG(rc == FZ_EIO || rc == FZ_ENOTFOUND, "problems give an error code");
    CHECK(find(&l, "A.txt") == 0);
    CHECK(find(&l, "a/b.txt") == 1);
    CHECK_MSG(find(&l, "a/b/c.txt") == 2, "full-path strcmp order: a/b.txt before a/b/c.txt");
    CHECK(find(&l, "a/z.html") == 3 && find(&l, "b.txt") == 4);
    CHECK(find(&l, "link_b/c.txt") == 5 && find(&l, "t/x.txt") == 6);
    CHECK_MSG(find(&l, "a/.hidden.txt") < 0 || find(&l, "a/.hidden.txt") == 8,
              "hidden files skipped inside directories");
    CHECK(find(&l, ".git/config") < 0);
    CHECK(l.n == 9 && strcmp(l.paths[7], "-") == 0 && strcmp(l.paths[8], hidden) == 0);
    CHECK_MSG(diag_has(&diag, "symbolic link loop"), "link loops reported");
    CHECK_MSG(diag_has(&diag, "dangling symbolic link"), "dangling links reported");
    CHECK(diag_has(&diag, "missing.txt': No such file or directory"));
    size_t loops = 0;
    for (size_t i = 0; i < diag.n; i++)
        loops += strstr(diag.items[i].msg, "symbolic link loop") != NULL;
    /* a/b/loop, a/b/top, self, and link_b/loop, link_b/top (link_b is a/b) */
    CHECK(loops == 5);
    CHECK(diag.n == 7 && fz_diag_count(&diag, FZ_DIAG_SKIP) == 7);

    /* an empty directory and a single file */
    fz_pathlist l2;
    fz_pathlist_init(&l2);
    fz_diag_clear(&diag);
    char *empty = fz_xasprintf("%s/empty", root);
    char *one = fz_xasprintf("%s/b.txt", root);
    char *in2[] = { one, empty, one };
    CHECK(fz_walk(in2, 3, &l2, &diag) == 0 && diag.n == 0);
    CHECK(l2.n == 2 && strcmp(l2.paths[0], one) == 0 && strcmp(l2.paths[1], one) == 0);
    /* a trailing slash is not doubled */
    char *slash = fz_xasprintf("%s/t/", root);
    char *in3[] = { slash };
    fz_pathlist_release(&l2);
    fz_diag_clear(&diag);
    fz_walk(in3, 1, &l2, &diag);
    char *want = fz_xasprintf("%s/t/x.txt", root);
    CHECK(l2.n == 1 && strcmp(l2.paths[0], want) == 0);

    free(want);
    free(slash);
    free(empty);
    free(one);
    free(hidden);
    free(missing);
    fz_pathlist_release(&l);
    fz_pathlist_release(&l2);
    fz_diag_release(&diag);
    rm_tree(root);
    return check_done();
}
