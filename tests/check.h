/*
 * check.h: the test harness. Each test program includes it once.
 *
 *     int main(void) {
 *         check_begin("test_vad");
 *         check_case("one utterance, clean");
 *         CHECK_INT(n, 1);
 *         CHECK_NEAR(start_s, 1.00, 0.05);
 *         return check_end();
 *     }
 *
 * A failed check prints file:line, the case, the expression, and the values
 * got and wanted, then the program carries on so one run shows every
 * failure. check_end() prints "NAME: N passed, N failed" (the line tests/run.sh
 * adds up) and returns the exit status: 0 only if nothing failed.
 *
 * Seeds: check_seed() returns CS_TEST_SEED from the environment if set, else
 * a fixed default, and prints it, so a failure under any seed can be rerun.
 */
#ifndef CHECK_H
#define CHECK_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed_count;
static int check_failed_count;
static const char *check_prog_name = "test";
static char check_case_name[160];

static inline void check_begin(const char *name)
{
    check_prog_name = name;
    check_passed_count = check_failed_count = 0;
    check_case_name[0] = '\0';
    setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Name the case that the following checks belong to (printed on failure). */
static inline void check_case(const char *name)
{
    snprintf(check_case_name, sizeof check_case_name, "%s", name);
}

static inline int check_failures(void)
{
    return check_failed_count;
}

static inline void check_fail_head_(const char *file, int line)
{
    check_failed_count++;
    printf("%s:%d: FAIL", file, line);
    if (check_case_name[0])
        printf(" [%s]", check_case_name);
    printf(": ");
}

static inline int check_true_(int ok, const char *expr, const char *file, int line)
{
    if (ok) {
        check_passed_count++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s is false\n", expr);
    return 0;
}

static inline int check_int_(long long got, long long want, const char *egot, const char *ewant,
                             const char *file, int line)
{
    if (got == want) {
        check_passed_count++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s == %s: got %lld, want %lld\n", egot, ewant, got, want);
    return 0;
}

static inline int check_near_(double got, double want, double tol, const char *egot, const char *ewant,
                              const char *file, int line)
{
    if (fabs(got - want) <= tol * (1.0 + 1e-9)) { /* a value exactly at the limit passes */
        check_passed_count++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s ~ %s: got %.4f, want %.4f +- %.4f\n", egot, ewant, got, want, tol);
    return 0;
}

static inline int check_less_(double got, double limit, const char *egot, const char *elimit,
                              const char *file, int line)
{
    if (got < limit) {
        check_passed_count++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s < %s: got %.4f, limit %.4f\n", egot, elimit, got, limit);
    return 0;
}

static inline int check_str_(const char *got, const char *want, const char *egot, const char *file, int line)
{
    if (got && want && strcmp(got, want) == 0) {
        check_passed_count++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s: got \"%s\", want \"%s\"\n", egot, got ? got : "(null)", want ? want : "(null)");
    return 0;
}

#define CHECK(cond) check_true_(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(got, want) check_int_((long long)(got), (long long)(want), #got, #want, __FILE__, __LINE__)
#define CHECK_NEAR(got, want, tol) \
    check_near_((double)(got), (double)(want), (double)(tol), #got, #want, __FILE__, __LINE__)
#define CHECK_LESS(got, limit) check_less_((double)(got), (double)(limit), #got, #limit, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str_((got), (want), #got, __FILE__, __LINE__)

/* The run's seed: $CS_TEST_SEED or the default; printed once. */
static inline uint64_t check_seed(uint64_t fallback)
{
    const char *env = getenv("CS_TEST_SEED");
    uint64_t seed = fallback;
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 0);
        if (*end == '\0' && v != 0)
            seed = (uint64_t)v;
        else
            printf("%s: ignoring CS_TEST_SEED=%s (want a non-zero integer)\n", check_prog_name, env);
    }
    printf("%s: seed %" PRIu64 " (set CS_TEST_SEED to change)\n", check_prog_name, seed);
    return seed;
}

static inline int check_end(void)
{
    printf("%s: %d passed, %d failed\n", check_prog_name, check_passed_count, check_failed_count);
    return check_failed_count ? 1 : 0;
}

#endif
