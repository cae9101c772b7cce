/* threads.c: see threads.h. */
#include "threads.h"

#include <pthread.h>
#include <stdlib.h>

#include "xalloc.h"

int fz_threads_run(void *(*fn)(void *), void *args, size_t stride, int n)
{
    if (n < 1)
        return 0;
    pthread_t *th = n > 1 ? fz_xcalloc((size_t)n - 1, sizeof *th) : NULL;
    int started = 0;
    for (int i = 1; i < n; i++) {
        if (pthread_create(&th[started], NULL, fn, (char *)args + (size_t)i * stride) != 0)
            break;
        started++;
    }
    fn(args);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return started + 1;
}
