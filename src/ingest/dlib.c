/* dlib.c: see dlib.h. */
#include "dlib.h"

#include <dlfcn.h>
#include <stdio.h>

void *fz_dlib_open(const char *soname, const fz_dlib_sym *syms, size_t n, char *why,
                   size_t whylen)
{
    for (size_t i = 0; i < n; i++)
        *syms[i].addr = NULL;
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, whylen, "%s", e ? e : soname);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        dlerror();
        void *p = dlsym(h, syms[i].name);
        if (!p) {
            snprintf(why, whylen, "%s has no symbol %s", soname, syms[i].name);
            for (size_t j = 0; j < i; j++)
                *syms[j].addr = NULL;
            dlclose(h);
            return NULL;
        }
        *syms[i].addr = p;
    }
    return h;
}
