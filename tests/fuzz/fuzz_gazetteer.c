/* fuzz_gazetteer.c: libFuzzer target for the gazetteer loader
 * (fz_gazetteer_load reads a path, so the input goes through a memory file)
 * and its name index: every row's path, a code lookup and a name match. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_memfile(data, size);
    if (!path)
        return 0;
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load(path, &d);
    if (!g) {
        if (fz_diag_count(&d, FZ_DIAG_FATAL) == 0)
            abort();
    } else {
        size_t n = fz_gazetteer_count(g);
        for (size_t i = 0; i < n && i < 2000; i++) {
            const fz_region *reg = fz_gazetteer_at(g, i);
            char buf[64];
            fz_gazetteer_path(g, (int32_t)i, buf, sizeof buf);
            if (fz_gazetteer_find_code(g, reg->code) < 0)
                abort();
            if (reg->parent >= 0 && !fz_gazetteer_contains(g, reg->parent, (int32_t)i))
                abort();
            const fz_posting *p;
            fz_gazetteer_lookup(g, reg->name, &p);
        }
        const fz_posting *p;
        size_t np;
        fz_gazetteer_match(g, (const char *)data, size, &p, &np);
        /* a scan stops where matching at each character would */
        static const uint32_t marks[] = { 0x300A, 0x300B };
        const char *s = (const char *)data;
        size_t at, sn, want = 0;
        const fz_posting *sp;
        size_t len = fz_gazetteer_scan(g, s, size, marks, 2, &at, &sp, &sn);
        while (want < size) {
            if (size - want >= 3 && (memcmp(s + want, "《", 3) == 0 || memcmp(s + want, "》", 3) == 0))
                break;
            if (fz_gazetteer_match(g, s + want, size - want, &p, &np) > 0)
                break;
            unsigned char b = (unsigned char)s[want];
            size_t l = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            want += l < size - want ? l : size - want;
        }
        if (at != want || (want < size && len > 0 &&
                           (len != fz_gazetteer_match(g, s + at, size - at, &p, &np) || p != sp ||
                            np != sn)))
            abort();
        fz_gazetteer_free(g);
    }
    fz_diag_release(&d);
    return 0;
}
