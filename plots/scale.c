/* scale.c: scales, nice ticks, colour maps and the mark list (see plots.h).
 * Pure arithmetic: no cairo here, so all of it is unit-tested directly. */
#include "plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "table.h"
#include "xalloc.h"

/* Okabe & Ito (2008), "Color Universal Design": distinguishable under the
 * common colour-vision deficiencies. Black is last so it is rarely used for
 * data next to black axis text. */
static const fz_rgb okabe_ito[8] = {
    { 0.000, 0.447, 0.698 }, /* blue */
    { 0.902, 0.624, 0.000 }, /* orange */
    { 0.000, 0.620, 0.451 }, /* bluish green */
    { 0.800, 0.475, 0.655 }, /* reddish purple */
    { 0.337, 0.706, 0.914 }, /* sky blue */
    { 0.835, 0.369, 0.000 }, /* vermillion */
    { 0.941, 0.894, 0.259 }, /* yellow */
    { 0.000, 0.000, 0.000 }, /* black */
};

fz_rgb fz_plot_palette(size_t i)
{
    return okabe_ito[i % 8];
}

static double clamp01(double t)
{
    if (!(t >= 0))
        return 0;
    return t > 1 ? 1 : t;
}

static fz_rgb lerp_stops(const fz_rgb *stops, size_t n, double t)
{
    t = clamp01(t) * (double)(n - 1);
    size_t i = (size_t)t;
    if (i >= n - 1)
        return stops[n - 1];
    double f = t - (double)i;
    fz_rgb a = stops[i], b = stops[i + 1];
    return (fz_rgb){ a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f };
}

/* viridis sampled at 9 even stops (matplotlib's _viridis_data). Linear
 * interpolation between these stays within 1/255 of the full table. */
fz_rgb fz_plot_viridis(double t)
{
    static const fz_rgb v[9] = {
        { 0.267, 0.005, 0.329 }, { 0.279, 0.175, 0.483 }, { 0.230, 0.322, 0.546 },
        { 0.173, 0.449, 0.558 }, { 0.128, 0.567, 0.551 }, { 0.157, 0.684, 0.502 },
        { 0.369, 0.789, 0.383 }, { 0.678, 0.864, 0.190 }, { 0.993, 0.906, 0.144 },
    };
    return lerp_stops(v, 9, t);
}

/* ColorBrewer RdBu (reversed so negative is blue), 9 classes. */
fz_rgb fz_plot_diverging(double t)
{
    static const fz_rgb d[9] = {
        { 0.129, 0.400, 0.675 }, { 0.263, 0.576, 0.765 }, { 0.573, 0.773, 0.871 },
        { 0.820, 0.898, 0.941 }, { 0.969, 0.969, 0.969 }, { 0.992, 0.859, 0.780 },
        { 0.957, 0.647, 0.510 }, { 0.839, 0.376, 0.302 }, { 0.698, 0.094, 0.169 },
    };
    if (!(t == t))
        t = 0;
    return lerp_stops(d, 9, (t + 1) / 2);
}

/* ---- scales ------------------------------------------------------------ */

void fz_scale_linear(fz_scale *s, double d0, double d1, double r0, double r1)
{
    memset(s, 0, sizeof *s);
    s->kind = FZ_SCALE_LINEAR;
    if (!(d1 != d0)) { /* a single value: give it a span so it maps somewhere */
        double pad = d0 == 0 ? 1 : fabs(d0) * 0.5;
        d0 -= pad;
        d1 += pad;
    }
    s->d0 = d0;
    s->d1 = d1;
    s->r0 = r0;
    s->r1 = r1;
}

void fz_scale_log(fz_scale *s, double d0, double d1, double r0, double r1)
{
    memset(s, 0, sizeof *s);
    s->kind = FZ_SCALE_LOG;
    if (!(d0 > 0))
        d0 = 1;
    if (!(d1 > d0))
        d1 = d0 * 10;
    s->d0 = d0;
    s->d1 = d1;
    s->r0 = r0;
    s->r1 = r1;
}

void fz_scale_band(fz_scale *s, size_t nbands, double padding, double r0, double r1)
{
    memset(s, 0, sizeof *s);
    s->kind = FZ_SCALE_BAND;
    s->nbands = nbands ? nbands : 1;
    s->padding = padding < 0 ? 0 : padding > 0.9 ? 0.9 : padding;
    s->r0 = r0;
    s->r1 = r1;
}

double fz_scale_map(const fz_scale *s, double v)
{
    double t;
    if (s->kind == FZ_SCALE_LOG) {
        if (!(v > 0))
            return s->r0;
        t = (log10(v) - log10(s->d0)) / (log10(s->d1) - log10(s->d0));
    } else {
        t = (v - s->d0) / (s->d1 - s->d0);
    }
    return s->r0 + t * (s->r1 - s->r0);
}

static double band_step(const fz_scale *s)
{
    /* n bands and n-1 inner gaps plus half a gap at each end */
    return (s->r1 - s->r0) / ((double)s->nbands + s->padding);
}

double fz_scale_band_start(const fz_scale *s, size_t i)
{
    double step = band_step(s);
    return s->r0 + step * (s->padding + (double)i);
}

double fz_scale_bandwidth(const fz_scale *s)
{
    return band_step(s) * (1 - s->padding);
}

double fz_nice_step(double span, size_t want)
{
    if (want < 1)
        want = 1;
    if (!(span > 0) || !isfinite(span))
        return 1;
    double raw = span / (double)want;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nf * mag;
}

void fz_scale_nice(fz_scale *s, size_t want)
{
    if (s->kind == FZ_SCALE_BAND)
        return;
    if (s->kind == FZ_SCALE_LOG) {
        s->d0 = pow(10, floor(log10(s->d0) + 1e-9));
        s->d1 = pow(10, ceil(log10(s->d1) - 1e-9));
        if (s->d1 <= s->d0)
            s->d1 = s->d0 * 10;
        return;
    }
    double lo = s->d0 < s->d1 ? s->d0 : s->d1;
    double hi = s->d0 < s->d1 ? s->d1 : s->d0;
    double step = fz_nice_step(hi - lo, want);
    /* round outward, with a tolerance so 100 stays 100 and not 125 */
    double nlo = floor(lo / step + 1e-9) * step;
    double nhi = ceil(hi / step - 1e-9) * step;
    if (nhi <= nlo)
        nhi = nlo + step;
    if (s->d0 <= s->d1) {
        s->d0 = nlo;
        s->d1 = nhi;
    } else {
        s->d0 = nhi;
        s->d1 = nlo;
    }
}

size_t fz_scale_ticks(const fz_scale *s, size_t want, double *out, size_t max)
{
    size_t n = 0;
    if (s->kind == FZ_SCALE_BAND || max == 0)
        return 0;
    double lo = s->d0 < s->d1 ? s->d0 : s->d1;
    double hi = s->d0 < s->d1 ? s->d1 : s->d0;
    if (s->kind == FZ_SCALE_LOG) {
        int e0 = (int)floor(log10(lo) + 1e-9), e1 = (int)ceil(log10(hi) - 1e-9);
        /* 1-2-5 ticks when the span is short, powers of ten otherwise */
        static const double m125[3] = { 1, 2, 5 };
        int dense = e1 - e0 <= 2;
        for (int e = e0; e <= e1 && n < max; e++)
            for (int k = 0; k < (dense ? 3 : 1) && n < max; k++) {
                double v = m125[k] * pow(10, e);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    out[n++] = v;
            }
        return n;
    }
    double step = fz_nice_step(hi - lo, want);
    double first = ceil(lo / step - 1e-9);
    for (double k = first; n < max; k++) {
        double v = k * step;
        if (v > hi + step * 1e-9)
            break;
        if (fabs(v) < step * 1e-9)
            v = 0; /* no "-0" */
        out[n++] = v;
    }
    return n;
}

char *fz_plot_tick_label(double v, double step, char *buf, size_t n)
{
    int dec = 0;
    if (step > 0 && isfinite(step)) {
        /* just enough decimals for the step: 0.25 -> 2, 0.5 -> 1, 5 -> 0 */
        double st = step;
        while (dec < 6 && fabs(st - round(st)) > 1e-9 * fmax(1, st)) {
            st *= 10;
            dec++;
        }
    }
    char tmp[64];
    if (isfinite(v))
        fz_format_num(v, dec, tmp, sizeof tmp); /* %.*f, and no "-0.0" */
    else
        snprintf(tmp, sizeof tmp, "%.*f", dec, v);
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
        memmove(tmp, tmp + 1, strlen(tmp)); /* no "-0.0" */
    /* group thousands in the integer part */
    const char *p = tmp;
    char out[96];
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    size_t rest = strlen(p + intlen);
    memcpy(out + o, p + intlen, rest + 1);
    o += rest;
    if (n > 0) {
        size_t c = o < n - 1 ? o : n - 1;
        memcpy(buf, out, c);
        buf[c] = '\0';
    }
    return buf;
}

/* ---- layouts ----------------------------------------------------------- */

void fz_plot_layout_init(fz_plot_layout *l)
{
    memset(l, 0, sizeof *l);
    fz_arena_init(&l->arena);
}

void fz_plot_layout_release(fz_plot_layout *l)
{
    free(l->marks);
    fz_arena_release(&l->arena);
    memset(l, 0, sizeof *l);
}

void fz_plot_layout_reset(fz_plot_layout *l)
{
    l->n = 0;
    l->w = l->h = 0;
    fz_arena_reset(&l->arena);
}

size_t fz_plot_layout_count(const fz_plot_layout *l, int kind, int role)
{
    size_t c = 0;
    for (size_t i = 0; i < l->n; i++)
        if ((kind < 0 || (int)l->marks[i].kind == kind) &&
            (role < 0 || (int)l->marks[i].role == role))
            c++;
    return c;
}

static const char *const kind_names[] = { "bar",     "grouped", "lines", "heatmap",
                                          "dist",    "scatter", "slope" };

const char *fz_chart_kind_name(fz_chart_kind k)
{
    return (size_t)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "";
}

int fz_chart_kind_parse(const char *s, fz_chart_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (s && strcmp(s, kind_names[i]) == 0) {
            *out = (fz_chart_kind)i;
            return 0;
        }
    return FZ_EINPUT;
}

double fz_plot_text_estimate(const char *s, double size)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p < 0x80)
            w += (*p >= '0' && *p <= '9') ? 0.56 : 0.55;
        else if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE0 ? 1.0 : 0.6; /* a 3-byte sequence is CJK or punctuation */
    }
    return w * size;
}
