/*
 * The short human-readable summary `analyze` prints on stdout: the call's
 * length and format, then one aligned column per speaker. Anything not
 * available (no speech, a speaker missing from a mono recording) shows "-".
 */
#ifndef CS_CLI_SUMMARY_TEXT_H
#define CS_CLI_SUMMARY_TEXT_H

#include <stdio.h>

#include "callscope/callscope.h"
#include "cli/report_json.h"

/* 0, or -1 when the stream reported a write error. */
int summary_text_print(FILE *out, const report_source *src, call_run *run, int flag_count);

#endif
