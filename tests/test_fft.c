/*
 * The FFT wrapper against a slow DFT in double precision, and the scaling
 * convention written in src/fft.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "callgen.h"
#include "check.h"
#include "fft.h"

#define PI 3.14159265358979323846

static void check_size(int n, uint64_t *rng)
{
    char name[64];
    snprintf(name, sizeof name, "random input, n = %d", n);
    check_case(name);
    cs_fft *f = NULL;
    if (!CHECK_INT(cs_fft_new(&f, n), 0) || !CHECK(f != NULL))
        return;
    CHECK_INT(cs_fft_size(f), n);
    float *in = cs_fft_input(f);
    double *x = malloc((size_t)n * sizeof *x);
    float *spec = malloc((size_t)(n + 2) * sizeof *spec);
    float *power = malloc((size_t)(n / 2 + 1) * sizeof *power);
    for (int i = 0; i < n; i++) {
        x[i] = cg_rand_range(rng, -1.0, 1.0);
        in[i] = (float)x[i];
    }
    cs_fft_forward(f, spec);
    cs_fft_power(f, power);
    double worst = 0.0, worst_pow = 0.0;
    for (int k = 0; k <= n / 2; k++) {
        double re = 0.0, im = 0.0;
        for (int i = 0; i < n; i++) {
            double ph = -2.0 * PI * (double)k * (double)i / (double)n;
            re += (double)(float)x[i] * cos(ph);
            im += (double)(float)x[i] * sin(ph);
        }
        double e = fmax(fabs(spec[2 * k] - re), fabs(spec[2 * k + 1] - im));
        if (e > worst)
            worst = e;
        double p = re * re + im * im;
        double ep = fabs(power[k] - p) / (p + (double)n);
        if (ep > worst_pow)
            worst_pow = ep;
    }
    /* single precision: errors grow like sqrt(n) log n times epsilon */
    CHECK_LESS(worst, 1e-5 * n);
    CHECK_LESS(worst_pow, 1e-4);

    check_case("a sine at a bin centre has |X[k]| = A n / 2");
    int bin = n / 8;
    double amp = 0.5;
    for (int i = 0; i < n; i++)
        in[i] = (float)(amp * sin(2.0 * PI * bin * i / n));
    cs_fft_forward(f, spec);
    cs_fft_power(f, power);
    double mag = hypot(spec[2 * bin], spec[2 * bin + 1]);
    CHECK_NEAR(mag, amp * n / 2.0, 1e-4 * n);
    CHECK_NEAR(power[bin], (amp * n / 2.0) * (amp * n / 2.0), 1e-3 * (amp * n / 2.0) * (amp * n / 2.0));
    CHECK_LESS(power[bin + 2], 1e-6 * power[bin]);

    free(x);
    free(spec);
    free(power);
    cs_fft_free(f);
}

int main(void)
{
    check_begin("test_fft");
    uint64_t seed = check_seed(1);
    uint64_t rng = cg_seed_mix(seed, 11);
    static const int sizes[] = {16, 64, 256, 320, 512, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_size(sizes[i], &rng);

    check_case("bad sizes are refused");
    cs_fft *f = NULL;
    CHECK(cs_fft_new(&f, 0) < 0);
    CHECK(cs_fft_new(&f, 15) < 0);
    CHECK(cs_fft_new(&f, -4) < 0);
    return check_end();
}
