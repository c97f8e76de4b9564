/*
 * The review queue and the totals of a scan, both made from a summary.csv
 * (a scan's own or a merge of shards'): queue.csv lists the analysed calls
 * worst first (lowest score, then most flags; calls where nobody spoke come
 * last), each with its weightiest flags, their times and what the worst one
 * says. Only a small entry per call is held while sorting; the rows are read
 * back from the summary as they are written.
 */
#ifndef CS_CLI_SCAN_QUEUE_H
#define CS_CLI_SCAN_QUEUE_H

#include <stdio.h>

#define SCAN_SHOWN_WORST 10
#define SCAN_SHOWN_ERRORS 5
#define SCAN_SHOWN_ROLES 5

typedef struct scan_totals {
    long recordings;
    long errors;                 /* rows with status=error */
    double audio_s;              /* of the analysed calls */
    int worst_count;
    char *worst[SCAN_SHOWN_WORST];     /* "score  path  top flags", for the screen */
    int error_count_shown;
    char *error[SCAN_SHOWN_ERRORS];    /* "path: reason" */
    long role_warnings;          /* calls whose agent channel sounds like the customer (role_check.h) */
    int role_count_shown;
    char *role[SCAN_SHOWN_ROLES];      /* their paths */
} scan_totals;

/* Write queue_path (atomically) from summary_path and fill t. 0, or -1
 * with the reason in why. */
int scan_queue_write(const char *summary_path, const char *queue_path, scan_totals *t, char *why, size_t why_cap);

/* The closing screen: calls, audio, errors, the worst calls, the calls
 * whose roles look swapped. */
void scan_totals_print(FILE *out, const scan_totals *t);

void scan_totals_free(scan_totals *t);

#endif
