/*
 * measure: run a program as a child and take what it cost (wait4): CPU
 * seconds, elapsed seconds and peak resident memory. Used by the bench and
 * by the peakrss tool.
 */
#ifndef MEASURE_H
#define MEASURE_H

typedef struct measured {
    double cpu_s, wall_s;
    long maxrss_kib;
} measured;

/* Run argv[0] (a path) with argv, its stdout to /dev/null; 0 when it exited
 * with status 0, -1 otherwise (said on stderr). *out is filled either way
 * once the child has run. */
int measure_run(char *const argv[], measured *out);

#endif
