#include "histogram.h"
#include "callscope/callscope.h"

#include <math.h>
#include <stdlib.h>

int histogram_init(histogram *h, double lo, double hi, int nbins)
{
    h->bins = calloc((size_t)nbins, sizeof *h->bins);
    h->nbins = h->bins ? nbins : 0;
    h->lo = lo;
    h->hi = hi;
    h->total = 0;
    return h->bins ? CS_OK : CS_ENOMEM;
}

void histogram_free(histogram *h)
{
    free(h->bins);
    h->bins = NULL;
    h->nbins = 0;
}

void histogram_reset(histogram *h)
{
    for (int i = 0; i < h->nbins; i++)
        h->bins[i] = 0;
    h->total = 0;
}

void histogram_add(histogram *h, double v)
{
    double pos = (v - h->lo) / (h->hi - h->lo) * h->nbins;
    int i = pos < 0 ? 0 : pos >= h->nbins ? h->nbins - 1 : (int)pos;
    h->bins[i]++;
    h->total++;
}

double histogram_quantile(const histogram *h, double q)
{
    if (h->total == 0)
        return NAN;
    double target = q * (double)h->total;
    double width = (h->hi - h->lo) / h->nbins;
    uint64_t below = 0;
    for (int i = 0; i < h->nbins; i++) {
        if (h->bins[i] && (double)(below + h->bins[i]) >= target) {
            double frac = (target - (double)below) / h->bins[i];
            return h->lo + (i + frac) * width;
        }
        below += h->bins[i];
    }
    return h->hi;
}
