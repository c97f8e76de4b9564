/*
 * callscope: streaming analysis of two-party conversations.
 *
 * The library takes PCM in and gives conversation events out, and whole
 * results: the figures, flags and score of a call. It never opens files,
 * never prints and never exits; the caller owns all I/O. What every event,
 * measure and flag means, and the profile key of every threshold, is in
 * docs/metrics.md; what the report holds, in docs/report.md.
 *
 * This header includes the whole API, one header per part:
 *
 *   callscope/common.h    version, errors, speakers
 *   callscope/profile.h   the profile: every threshold
 *   callscope/analyzer.h  the streaming analyzer: samples in, events,
 *                         voice frames, conversation flags and figures out
 *   callscope/flags.h     flags, their names and the call score
 *   callscope/tone.h      baselines, arousal and the voice flags
 *   callscope/live.h      meters and cues while a call happens
 *   callscope/coaching.h  the messages and tips of flags, the words of cues
 *   callscope/call.h      a whole call in one object, and its JSON report
 *
 * A complete program (examples/score_call.c) that gives a recording's call
 * score and flags, the same as `callscope analyze` gives for it:
 *
 *     #include <callscope/callscope.h>
 *     #include <stdio.h>
 *     #include <stdlib.h>
 *
 *     int main(int argc, char **argv)
 *     {
 *         if (argc != 3) {
 *             fprintf(stderr, "usage: score_call RATE CHANNELS < call.f32\n");
 *             return 2;
 *         }
 *         cs_call_config cfg;
 *         cs_call_config_default(&cfg, atoi(argv[1]), atoi(argv[2]));
 *         cs_call *call;
 *         int err = cs_call_open(&call, &cfg);
 *         float block[4096];
 *         size_t frame = cfg.input.channels > 0 ? (size_t)cfg.input.channels : 1, n;
 *         while (err == CS_OK && (n = fread(block, frame * sizeof *block, 4096 / frame, stdin)) > 0)
 *             err = cs_call_push(call, block, n);
 *         if (err == CS_OK)
 *             err = cs_call_finish(call);
 *         cs_call_results res;
 *         if (err == CS_OK)
 *             err = cs_call_get_results(call, &res);
 *         if (err == CS_OK) {
 *             printf("score %.1f\n", res.score);
 *             cs_coaching coaching;
 *             cs_coaching_default(&coaching);
 *             cs_flag fl;
 *             char message[1024];
 *             cs_call_flags_begin(call);
 *             while (cs_call_flags_next(call, &fl) > 0) {
 *                 cs_flag_message(&coaching, &fl, res.rate_hz, message, sizeof message);
 *                 printf("%7.1f s  %s: %s\n", (double)fl.start / res.rate_hz, cs_flag_kind_name(fl.kind), message);
 *             }
 *         }
 *         cs_call_close(call);
 *         if (err != CS_OK)
 *             fprintf(stderr, "score_call: %s\n", cs_strerror(err));
 *         return err == CS_OK ? 0 : 1;
 *     }
 */
#ifndef CALLSCOPE_H
#define CALLSCOPE_H

#include "callscope/common.h"
#include "callscope/profile.h"
#include "callscope/flags.h"
#include "callscope/analyzer.h"
#include "callscope/tone.h"
#include "callscope/live.h"
#include "callscope/coaching.h"
#include "callscope/call.h"

#endif
