/*
 * The "key = value" text the library reads (profiles, tone models,
 * baselines): one setting a line, '#' starts a comment, blank lines are
 * skipped, blanks around keys and values are ignored.
 */
#ifndef CS_KV_TEXT_H
#define CS_KV_TEXT_H

/* One setting; CS_OK or a negative CS_E* code to stop. */
typedef int (*kv_setting_fn)(void *ctx, const char *key, const char *value);

/* Call fn for each setting of text in order. A line without '=' or longer
 * than the parser takes is CS_EPROFILE. On failure *line_out (if not NULL)
 * is the 1-based line and the code is returned; on success *line_out is 0. */
int kv_text_parse(const char *text, kv_setting_fn fn, void *ctx, int *line_out);

/* A whole finite number with nothing after it but blanks; 0 or -1. */
int kv_number(const char *text, double *out);

#endif
