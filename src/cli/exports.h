/*
 * Exports of an analysed call for other tools (docs/report.md):
 *   RTTM        speaker segments, the diarization standard:
 *               SPEAKER <file> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>
 *   labels      an Audacity label track: "start<TAB>end<TAB>text" per flag and
 *               event, by start time, so a coach can step through them
 *   flags CSV   one row per flag (RFC 4180), header first
 * Each returns 0 or an errno value.
 */
#ifndef CS_CLI_EXPORTS_H
#define CS_CLI_EXPORTS_H

#include <stdio.h>

#include "cli/call_run.h"

/* path: the recording, whose name (export_file_id) fills the file column. */
int export_rttm(FILE *fp, call_run *run, const char *path);
int export_labels(FILE *fp, call_run *run, const cs_coaching *coaching);
int export_flags_csv(FILE *fp, call_run *run, const cs_coaching *coaching);

/* The recording's name without directory and extension, for RTTM. */
void export_file_id(const char *path, char *buf, size_t size);

#endif
