/*
 * Tone files of the command line: a tone model (--tone-model FILE, format in
 * callscope.h) and a stored speaker baseline (--baseline FILE, written by
 * `callscope baseline build`, read by cs_baseline_parse). Baseline files are
 * "key = value" text:
 *
 *     # callscope baseline
 *     schema = callscope.baseline/1
 *     agent = alex
 *     calls = 12
 *     speech_s = 1834.2
 *     pitch_hz = 182.4          (or "none" when it could not be measured)
 *     pitch_range_st = 4.1
 *     level_db = -27.9
 *     high_band_db = -14.2
 *     pace_syl_per_s = 4.6
 */
#ifndef CS_CLI_TONE_IO_H
#define CS_CLI_TONE_IO_H

#include <stdint.h>
#include <stdio.h>

#include "callscope/callscope.h"

#define BASELINE_ID_MAX 64

/* Each loader exits 2 on any problem, and returns a digest of the text it
 * read (cli_hash_bytes), so a batch can tell settings apart without reading
 * the file again. */

/* Apply the model file at path on top of model. */
uint64_t tone_io_load_model(cs_tone_model *model, const char *path);

/* Read a baseline file (format: cs_baseline_parse). */
uint64_t tone_io_load_baseline(cs_baseline *b, const char *path);

/* Apply a coaching text file (messages and tips) on top of c. */
uint64_t tone_io_load_coaching(cs_coaching *c, const char *path);

/* Write a baseline; 0 or -1 when the stream failed. */
int tone_io_write_baseline(FILE *fp, const cs_baseline *b, const char *id, int calls);

/* Write a model with a provenance header (lines starting "# "); 0 or -1. */
int tone_io_write_model(FILE *fp, const cs_tone_model *model, const char *provenance);

#endif
