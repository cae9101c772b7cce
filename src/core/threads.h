/* threads.h: run one function on several threads at once and wait for all.
 * The calling thread takes part, so n = 1 starts no thread. */
#ifndef FZ_THREADS_H
#define FZ_THREADS_H

#include <stddef.h>

/* Calls fn(args + i * stride) for i = 0 .. n-1: i = 0 on this thread, the
 * others on new threads, and returns once every call has returned. stride 0
 * gives every call the same argument. If a thread cannot be started, the
 * calls from there on are left out (fn must share out the work itself, e.g.
 * by an atomic counter, so fewer threads do all of it). Returns how many
 * calls ran (at least 1 when n >= 1). */
int fz_threads_run(void *(*fn)(void *), void *args, size_t stride, int n);

#endif
