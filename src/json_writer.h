/*
 * A small streaming JSON emitter: the JSON report (report_json.c) and the
 * tool's live event stream. It hands its text, a piece at a time, to the
 * caller's write function, so it needs no memory for the document.
 *
 * The writer tracks nesting and inserts commas and indentation itself; the
 * caller only says what comes next. Strings are escaped completely: '"', '\',
 * every control character below 0x20, and bytes that are not valid UTF-8
 * (overlong forms, surrogates, code points above U+10FFFF, stray or missing
 * continuation bytes) become U+FFFD, so any path or label yields valid JSON.
 * Numbers that are not finite are written as null: JSON has no NaN.
 *
 * Errors (misuse such as a value without a key inside an object, nesting too
 * deep, or a failed write) are sticky: later calls do nothing and
 * jw_finish() reports the first one.
 */
#ifndef CS_JSON_WRITER_H
#define CS_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

/* Layout of a container: one member per line, or all on the current line
 * (used for small records such as one segment). Containers inside an
 * inline one are inline too. */
typedef enum { JW_BLOCK = 0, JW_INLINE = 1 } jw_layout;

/* Takes size bytes of the document; 0, or non-zero (an errno value, say)
 * when they could not be written. */
typedef int (*jw_write_fn)(void *user, const void *bytes, size_t size);

typedef struct json_writer {
    jw_write_fn write;
    void *user;
    int depth;
    int error;                        /* 0, or the first JW_E* */
    int write_errno;                  /* what write returned at the first failure */
    unsigned char is_object[JW_MAX_DEPTH];
    unsigned char inline_from;        /* depth of the outermost inline container, 0 if none */
    unsigned char count_nonzero[JW_MAX_DEPTH]; /* a member was written at this level */
    unsigned char expect_value;       /* a key was written and waits for its value */
    unsigned char done;               /* a complete top-level value was written */
} json_writer;

enum {
    JW_OK = 0,
    JW_EWRITE = -1, /* the write function failed (disk full, closed pipe...) */
    JW_EUSAGE = -2  /* calls out of order, or nesting deeper than JW_MAX_DEPTH */
};

void jw_init_write(json_writer *w, jw_write_fn write, void *user);

void jw_begin_object(json_writer *w, jw_layout layout);
void jw_end_object(json_writer *w);
void jw_begin_array(json_writer *w, jw_layout layout);
void jw_end_array(json_writer *w);

/* Member name inside an object; the next call writes its value. */
void jw_key(json_writer *w, const char *key);

void jw_string(json_writer *w, const char *s);      /* NULL writes null */
void jw_string_n(json_writer *w, const char *s, size_t len);
void jw_null(json_writer *w);
void jw_bool(json_writer *w, int value);
void jw_int(json_writer *w, int64_t value);

/* A finite double with a fixed number of decimals (0-17); null otherwise.
 * Times use 3 (millisecond precision). */
void jw_fixed(json_writer *w, double value, int decimals);

/* A finite double in the shortest %g form that reads back the same; null
 * otherwise. For values with no natural precision (profile thresholds). */
void jw_real(json_writer *w, double value);

/* Shorthands for "key": value. */
void jw_key_string(json_writer *w, const char *key, const char *s);
void jw_key_int(json_writer *w, const char *key, int64_t value);
void jw_key_fixed(json_writer *w, const char *key, double value, int decimals);
void jw_key_null(json_writer *w, const char *key);

/* End the document with a newline. JW_OK when the whole document was
 * written and is complete; otherwise the first error. */
int jw_finish(json_writer *w);

/* The length of the well-formed UTF-8 sequence at s (1-4), or 0 with
 * *bad_len the bytes one U+FFFD replacement stands for (what the writer
 * puts in their place, and every output of the tool with it). */
size_t jw_utf8_sequence(const unsigned char *s, size_t n, size_t *bad_len);

#endif
