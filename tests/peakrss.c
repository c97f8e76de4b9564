/*
 * peakrss: run a program and print the most memory it ever held.
 *
 *   peakrss PROGRAM [ARGS...]
 *
 * Prints the peak resident set in KiB, then the CPU seconds, on stdout (the
 * program's own stdout is discarded). Exits 0 when the program did.
 */
#include "measure.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peakrss PROGRAM [ARGS...]\n");
        return 2;
    }
    measured m = {0};
    int rc = measure_run(argv + 1, &m);
    printf("%ld %.3f\n", m.maxrss_kib, m.cpu_s);
    return rc == 0 ? 0 : 1;
}
