/*
 * jsoncmp: compare a report with a golden file structurally.
 *
 *   jsoncmp [--abs A] [--rel R] EXPECTED GOT
 *
 * Objects must have the same keys (in any order), arrays the same length,
 * strings, booleans and nulls the same values; numbers may differ by
 * A + R * |expected| (defaults 0.05 and 0.02). Keys named "meta" or "tool"
 * (anywhere) and "path" directly under the top-level "source" are ignored:
 * they differ from machine to machine. Prints every difference with its
 * path (up to 40) and exits 0 when there are none, 1 when there are, 2 on
 * errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static double tol_abs = 0.05, tol_rel = 0.02;
static int ndiff;

static void diff(const char *path, const char *fmt, const char *a, const char *b)
{
    if (++ndiff <= 40) {
        printf("  %s: ", path[0] ? path : "(top)");
        printf(fmt, a, b);
        printf("\n");
    }
}

static int ignored(const char *parent_path, const char *key)
{
    if (strcmp(key, "meta") == 0 || strcmp(key, "tool") == 0)
        return 1;
    return strcmp(parent_path, "source") == 0 && strcmp(key, "path") == 0;
}

static void describe(const js_value *v, char *buf, size_t n)
{
    switch (v->type) {
    case JS_NUM: snprintf(buf, n, "%.6g", v->num); break;
    case JS_STR: snprintf(buf, n, "\"%.60s\"", v->str); break;
    case JS_BOOL: snprintf(buf, n, "%s", v->boolean ? "true" : "false"); break;
    case JS_NULL: snprintf(buf, n, "null"); break;
    case JS_ARR: snprintf(buf, n, "array of %zu", v->n); break;
    case JS_OBJ: snprintf(buf, n, "object of %zu", v->n); break;
    }
}

static void compare(const js_value *a, const js_value *b, const char *path)
{
    char da[96], db[96];
    describe(a, da, sizeof da);
    describe(b, db, sizeof db);
    if (a->type != b->type) {
        diff(path, "expected %s, got %s", da, db);
        return;
    }
    char sub[512];
    switch (a->type) {
    case JS_NULL:
        break;
    case JS_BOOL:
        if (a->boolean != b->boolean)
            diff(path, "expected %s, got %s", da, db);
        break;
    case JS_NUM:
        if (fabs(a->num - b->num) > tol_abs + tol_rel * fabs(a->num))
            diff(path, "expected %s, got %s", da, db);
        break;
    case JS_STR:
        if (strcmp(a->str, b->str) != 0)
            diff(path, "expected %s, got %s", da, db);
        break;
    case JS_ARR:
        if (a->n != b->n) {
            diff(path, "expected %s, got %s", da, db);
            break;
        }
        for (size_t i = 0; i < a->n; i++) {
            snprintf(sub, sizeof sub, "%s/%zu", path, i);
            compare(a->items[i], b->items[i], sub);
        }
        break;
    case JS_OBJ:
        for (size_t i = 0; i < a->n; i++) {
            if (ignored(path, a->keys[i]))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "/" : "", a->keys[i]);
            const js_value *m = js_member(b, a->keys[i]);
            if (!m)
                diff(sub, "%s%s", "missing", "");
            else
                compare(a->items[i], m, sub);
        }
        for (size_t i = 0; i < b->n; i++) {
            if (ignored(path, b->keys[i]) || js_member(a, b->keys[i]))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "/" : "", b->keys[i]);
            diff(sub, "%s%s", "not expected", "");
        }
        break;
    }
}

static js_value *load(const char *path)
{
    size_t len;
    char *text = js_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "jsoncmp: cannot read %s\n", path);
        exit(2);
    }
    char err[160];
    js_value *v = js_parse(text, len, err, sizeof err);
    free(text);
    if (!v) {
        fprintf(stderr, "jsoncmp: %s: invalid JSON: %s\n", path, err);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (strcmp(argv[i], "--abs") == 0)
            tol_abs = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--rel") == 0)
            tol_rel = strtod(argv[i + 1], NULL);
        else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: jsoncmp [--abs A] [--rel R] EXPECTED GOT\n");
        return 2;
    }
    js_value *a = load(argv[i]), *b = load(argv[i + 1]);
    compare(a, b, "");
    if (ndiff > 40)
        printf("  ... and %d more differences\n", ndiff - 40);
    if (ndiff)
        printf("jsoncmp: %s and %s differ in %d places (numbers within %g + %g * |expected|)\n", argv[i],
               argv[i + 1], ndiff, tol_abs, tol_rel);
    js_free(a);
    js_free(b);
    return ndiff ? 1 : 0;
}
