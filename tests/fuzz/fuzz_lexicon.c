/* fuzz_lexicon.c: libFuzzer target for the lexicon CSV parser and automaton
 * builder (fz_lexicon_parse). A lexicon that loads is then exercised:
 * every accessor, and one automaton scan over the input itself. A refused
 * lexicon must say why. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "lexicon.h"

static void count_hit(void *ctx, const fz_kw_hit *h)
{
    size_t *n = ctx;
    if (h->start > h->end)
        abort();
    (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_diag d;
    fz_diag_init(&d);
    fz_lexicon *lex = fz_lexicon_parse("fuzz.csv", (const char *)data, size, &d);
    if (!lex) {
        if (d.n == 0)
            abort();
    } else {
        size_t n = fz_lexicon_count(lex);
        for (size_t i = 0; i < n; i++) {
            const char *id = fz_lexicon_id(lex, i);
            if (!id || fz_lexicon_find(lex, id) != (long)i)
                abort();
            fz_lexicon_name_zh(lex, i);
            fz_lexicon_kind_name(fz_lexicon_kind(lex, i));
            const char *unit = fz_lexicon_unit(lex, i);
            fz_lexicon_units(lex, i);
            fz_lexicon_keywords(lex, i);
            fz_lexicon_priority(lex, i);
            fz_lexicon_accepts(lex, i, unit ? unit : "");
            fz_lexicon_accepts(lex, i, "%");
        }
        size_t hits = 0;
        size_t got = fz_lexicon_scan(lex, (const char *)data, size, count_hit, &hits);
        if (got != hits)
            abort();
        fz_lexicon_knows(lex, (const char *)data, size < 64 ? size : 64);
        fz_lexicon_free(lex);
    }
    fz_diag_release(&d);
    return 0;
}
