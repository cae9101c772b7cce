/* mkgazidx.c: writes the binary index of a gazetteer CSV (build time).
 *
 *     fz_mkgazidx datasets/gazetteer.csv build/gen/gazetteer.idx
 *
 * The CSV is parsed and indexed as fzstat does without an index; the file
 * written is what fz_gazetteer_load() maps instead when it meets the same
 * CSV bytes. */
#include <stdio.h>

#include "gazetteer.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fz_mkgazidx GAZETTEER.csv INDEX\n");
        return 2;
    }
    fz_diag d;
    fz_diag_init(&d);
    fz_gazetteer *g = fz_gazetteer_load_index(argv[1], NULL, &d);
    int rc = g && fz_gazetteer_write_index(g, argv[2], &d) == 0 ? 0 : 1;
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "fz_mkgazidx: %s\n", d.items[i].msg);
    fz_gazetteer_free(g);
    fz_diag_release(&d);
    return rc;
}
