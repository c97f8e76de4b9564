/*
 * callscope/coaching.h: the words of the flags and the cues: a message and
 * a tip for each flag kind, the text of each live cue (models/coaching.txt
 * is built in).
 */
#ifndef CALLSCOPE_COACHING_H
#define CALLSCOPE_COACHING_H

#include "callscope/common.h"
#include "callscope/flags.h"
#include "callscope/live.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Coaching text: a message template and a tip for every kind, read from
 * "key = value" lines (models/coaching.txt is built in):
 *
 *     rushed_response.message = You started speaking {gap_s} s after ...
 *     rushed_response.tip = Pause a beat before you answer ...
 *
 * A template names {duration_s}, {start} (m:ss), {count} and the kind's
 * detail names; {name:0} prints a number with no decimals (default one).
 */
#define CS_COACHING_TEXT_MAX 512
typedef struct cs_coaching {
    char message[CS_FLAG_KIND_END][CS_COACHING_TEXT_MAX];
    char tip[CS_FLAG_KIND_END][CS_COACHING_TEXT_MAX];
    char cue[CS_CUE_KIND_END][CS_COACHING_TEXT_MAX]; /* live cue texts ("cue.slow_down = ...") */
} cs_coaching;

/* The built-in coaching text. */
CS_API void cs_coaching_default(cs_coaching *c);
/* Apply coaching text on top of c; CS_EPROFILE and the 1-based line for an
 * unknown key, an unknown placeholder or an over-long text. */
CS_API int cs_coaching_parse(cs_coaching *c, const char *text, int *line_out);
/* The flag's message with its numbers filled in; always NUL-terminated.
 * Returns the length it needed (like snprintf). */
CS_API int cs_flag_message(const cs_coaching *c, const cs_flag *fl, int rate_hz, char *buf, size_t size);
CS_API const char *cs_flag_tip(const cs_coaching *c, cs_flag_kind kind);
/* The words of a live cue ("Slow down a little"); "" out of range. */
CS_API const char *cs_cue_text(const cs_coaching *c, cs_cue_kind kind);

#ifdef __cplusplus
}
#endif

#endif
