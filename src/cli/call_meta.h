/*
 * A call's metadata: named text fields such as the agent who took the call,
 * its date and the queue it came in on, and any others a manifest carries.
 * They are kept as one string, "name=value&name=value" with '%', '&', '='
 * and control characters percent-encoded, so a scan holds a few bytes per
 * call and a record keeps them in one column. The fields keep the order they
 * were added in; agent, date and queue are the names the tool knows.
 *
 * A field name is letters, digits, '_', '-' and '.'; call_meta_name makes
 * one of any text.
 */
#ifndef CS_CLI_CALL_META_H
#define CS_CLI_CALL_META_H

#include <stddef.h>

#define CALL_META_NAME_MAX 64

/* Add name=value to *meta (a string from these functions, or NULL) unless
 * the name is there already or the value is empty. 0, or -1 out of memory. */
int call_meta_add(char **meta, const char *name, const char *value);

/* The value of a field, decoded (the caller frees it), or NULL. */
char *call_meta_get(const char *meta, const char *name);

/* Step through the fields: start with *cursor = meta; 1 with name (room
 * for CALL_META_NAME_MAX) and a decoded value the caller frees, 0 at the
 * end. */
int call_meta_next(const char **cursor, char *name, char **value);

/* text as a field name: characters other than letters, digits, '_', '-'
 * and '.' made '_', lower-case, cut to CALL_META_NAME_MAX - 1; "" for
 * empty text. */
void call_meta_name(char *out, const char *text);

/* A date written as 8 digits (20261103) as ISO 8601 (2026-11-03), so dates
 * sort as text; any other text is kept as it is. The caller frees it. */
char *call_meta_date(const char *text);

/* The fields as name/value pairs, name first (cs_report_source.metadata):
 * *pairs gets 2 * count decoded strings. The count, or -1 out of memory
 * (*pairs NULL). call_meta_pairs_free releases them. */
int call_meta_pairs(const char *meta, char ***pairs);
void call_meta_pairs_free(char **pairs, int count);

/*
 * --name-pattern: metadata in file names. A pattern is text with
 * placeholders {name} (one or more characters, never '/') and '*' (any
 * characters, not kept), e.g. "{agent}_{date}_{id}.wav". It is matched
 * against the file's name, or against as many trailing parts of the path as
 * it has ("{queue}/{agent}-*.wav"); a pattern without a '.' is matched
 * against the name without its extension. When several matches are
 * possible, each placeholder takes as little as it can, from the left.
 */

/* NULL when pattern is usable, else why not. */
const char *call_meta_pattern_check(const char *pattern);

/* Match path against pattern: 1 and the placeholders' values added to *meta
 * (call_meta_add), 0 no match, -1 out of memory. */
int call_meta_from_name(const char *pattern, const char *path, char **meta);

/* The placeholder names of a pattern, one after another, NUL-separated,
 * ending with an empty one (the caller frees it). */
char *call_meta_pattern_names(const char *pattern);

#endif
