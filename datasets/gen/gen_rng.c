/* gen_rng.c: the generator's own PRNG (splitmix64), never rand().
 * Every document, region and indicator draws from a stream seeded by hashing
 * the run seed with what it is about, so the same region and year always get
 * the same figures whatever else the run contains. */
#include "gen.h"

uint64_t gen_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t gen_hash_str(uint64_t h, const char *s)
{
    uint64_t f = 0xcbf29ce484222325ULL ^ h;
    for (; *s; s++) {
        f ^= (unsigned char)*s;
        f *= 0x100000001b3ULL;
    }
    return gen_mix(f);
}

void gen_rng_seed(gen_rng *r, uint64_t a, uint64_t b, uint64_t c)
{
    r->s = gen_mix(gen_mix(gen_mix(a + 0x9e3779b97f4a7c15ULL) ^ b) ^ c);
}

uint64_t gen_next(gen_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return gen_mix(r->s);
}

uint32_t gen_below(gen_rng *r, uint32_t n)
{
    /* multiply-shift: the bias for the small n used here is below 2^-32 */
    return (uint32_t)(((gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

double gen_unit(gen_rng *r)
{
    return (double)(gen_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

int gen_chance(gen_rng *r, double p)
{
    return gen_unit(r) < p;
}

int gen_range(gen_rng *r, int lo, int hi)
{
    return lo + (int)gen_below(r, (uint32_t)(hi - lo + 1));
}
