/* test_threads.c: fz_threads_run() (src/core/threads.h). */
#include <stdatomic.h>
#include <stddef.h>

#include "check.h"
#include "threads.h"

typedef struct task {
    int           id;   /* set before the run */
    int           ran;  /* calls with this argument */
    atomic_int   *total;
} task;

static void *count(void *arg)
{
    task *t = arg;
    t->ran++;
    atomic_fetch_add(t->total, 1);
    return NULL;
}

typedef struct shared_work {
    atomic_int next, done[100];
} shared_work;

/* shares 100 items out by a counter, as the pipeline does */
static void *take(void *arg)
{
    shared_work *w = arg;
    for (int i; (i = atomic_fetch_add(&w->next, 1)) < 100;)
        atomic_fetch_add(&w->done[i], 1);
    return NULL;
}

int main(void)
{
    /* one call per argument, each argument exactly once */
    for (int n = 1; n <= 5; n++) {
        atomic_int total = 0;
        task ts[5] = { { 0 } };
        for (int i = 0; i < 5; i++)
            ts[i] = (task){ .id = i, .total = &total };
        int ran = fz_threads_run(count, ts, sizeof *ts, n);
        CHECK(ran == n && atomic_load(&total) == n);
        for (int i = 0; i < 5; i++)
            CHECK(ts[i].ran == (i < n ? 1 : 0));
    }
    CHECK(fz_threads_run(count, NULL, 0, 0) == 0);

    /* stride 0: every thread gets the same argument; each item done once */
    shared_work w;
    atomic_init(&w.next, 0);
    for (int i = 0; i < 100; i++)
        atomic_init(&w.done[i], 0);
    CHECK(fz_threads_run(take, &w, 0, 4) == 4);
    int once = 1;
    for (int i = 0; i < 100; i++)
        once &= atomic_load(&w.done[i]) == 1;
    CHECK(once);
    return check_done();
}
