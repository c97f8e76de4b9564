/*
 * A small strict JSON reader (RFC 8259) for the tests: parses a document into
 * a tree, rejecting anything a strict parser would (trailing commas, bad
 * escapes, raw control characters, invalid UTF-8, leading zeros, NaN).
 */
#ifndef TEST_JSON_H
#define TEST_JSON_H

#include <stddef.h>

typedef enum js_type { JS_NULL, JS_BOOL, JS_NUM, JS_STR, JS_ARR, JS_OBJ } js_type;

typedef struct js_value js_value;
struct js_value {
    js_type type;
    int boolean;
    double num;
    char *str;          /* JS_STR: decoded UTF-8, NUL-terminated */
    size_t n;           /* JS_ARR / JS_OBJ: number of items */
    js_value **items;
    char **keys;        /* JS_OBJ: key of each item */
};

/* Parse text[0..len). NULL on error, with "line L, column C: what" in err. */
js_value *js_parse(const char *text, size_t len, char *err, size_t errlen);
void js_free(js_value *v);

/* Member of an object by key (the first one), or NULL. */
const js_value *js_member(const js_value *obj, const char *key);

/* Whole file, NUL-terminated; NULL on error (errno set). */
char *js_read_file(const char *path, size_t *len);

const char *js_type_name(js_type t);

#endif
