/* fuzz_util.h: helpers shared by the fuzz targets in tests/fuzz (owned by
 * the hardening work, not part of any library).
 *
 * fuzz_memfile() puts the fuzz input into one reused anonymous memory file
 * (memfd) and returns a path ("/proc/self/fd/N") for the readers that only
 * take a path (CSV, gazetteer); nothing touches the disk. fuzz_data_path()
 * names a file of the source tree's datasets/ (the real lexicon and
 * gazetteer), overridable with FZ_FUZZ_DATA. Both are for single-threaded
 * fuzz drivers only. */
#ifndef FZ_FUZZ_UTIL_H
#define FZ_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Path of a memory file holding exactly data[0..size); NULL if the kernel
 * refuses (then the target skips the input). Valid until the next call. */
const char *fuzz_memfile(const uint8_t *data, size_t size);

/* "<datasets dir>/name" in a static buffer. */
const char *fuzz_data_path(const char *name);

#endif
