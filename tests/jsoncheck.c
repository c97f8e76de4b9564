/*
 * jsoncheck: validate a JSON file strictly and query it, for shell tests.
 *
 *   jsoncheck FILE                        exit 0 if FILE is valid JSON
 *   jsoncheck FILE get PATH               print the value at PATH
 *   jsoncheck FILE count PATH [FILTER]    print how many items of the array
 *                                         at PATH match FILTER
 *   jsoncheck FILE near PATH VALUE TOL    exit 0 if the number at PATH is
 *                                         within TOL of VALUE
 *   jsoncheck FILE paths                  print the path of every object key
 *                                         in the document, one a line, keys
 *                                         joined by '.', every array item as
 *                                         "[]" (so items of one array share
 *                                         their paths): segments[].start_s
 *   jsoncheck FILE ranges                 print how many objects anywhere in
 *                                         FILE hold numbers start_s and end_s;
 *                                         exit 1 (naming each) if one ends
 *                                         before it starts
 *
 * PATH is '/'-separated: object keys (which may contain dots), array
 * indices, or ?FILTER for the first array item matching FILTER, where FILTER
 * is key=value[&key=value...]. Example: events/?type=interruption/start_s
 * Exit status: 0 yes, 1 no or invalid, 2 usage error or PATH not found.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int item_matches(const js_value *item, const char *filter)
{
    if (!filter || !*filter)
        return 1;
    if (item->type != JS_OBJ)
        return 0;
    char *copy = strdup(filter);
    if (!copy)
        exit(2);
    int ok = 1;
    char *save = NULL;
    for (char *cond = strtok_r(copy, "&", &save); cond && ok; cond = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(cond, '=');
        if (!eq) {
            fprintf(stderr, "jsoncheck: bad filter \"%s\"\n", filter);
            exit(2);
        }
        *eq = '\0';
        const js_value *m = js_member(item, cond);
        const char *want = eq + 1;
        if (!m)
            ok = 0;
        else if (m->type == JS_STR)
            ok = strcmp(m->str, want) == 0;
        else if (m->type == JS_NUM)
            ok = fabs(m->num - strtod(want, NULL)) < 1e-9;
        else if (m->type == JS_BOOL)
            ok = strcmp(want, m->boolean ? "true" : "false") == 0;
        else if (m->type == JS_NULL)
            ok = strcmp(want, "null") == 0;
        else
            ok = 0;
    }
    free(copy);
    return ok;
}

static const js_value *resolve(const js_value *v, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        exit(2);
    char *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part && v; part = strtok_r(NULL, "/", &save)) {
        if (v->type == JS_OBJ) {
            v = js_member(v, part);
        } else if (v->type == JS_ARR) {
            const js_value *found = NULL;
            if (part[0] == '?') {
                for (size_t i = 0; i < v->n && !found; i++)
                    if (item_matches(v->items[i], part + 1))
                        found = v->items[i];
            } else {
                char *end;
                long idx = strtol(part, &end, 10);
                if (*end == '\0' && idx >= 0 && (size_t)idx < v->n)
                    found = v->items[idx];
            }
            v = found;
        } else {
            v = NULL;
        }
    }
    free(copy);
    return v;
}

/* The paths of every key under v, prefix being v's own path. */
static void print_paths(const js_value *v, char *prefix, size_t len, size_t cap)
{
    if (v->type == JS_ARR) {
        if (len + 2 >= cap)
            return;
        strcpy(prefix + len, "[]");
        for (size_t i = 0; i < v->n; i++)
            print_paths(v->items[i], prefix, len + 2, cap);
        prefix[len] = '\0';
        return;
    }
    if (v->type != JS_OBJ)
        return;
    for (size_t i = 0; i < v->n; i++) {
        int n = snprintf(prefix + len, cap - len, "%s%s", len ? "." : "", v->keys[i]);
        if (n < 0 || (size_t)n >= cap - len)
            continue;
        printf("%s\n", prefix);
        print_paths(v->items[i], prefix, len + (size_t)n, cap);
    }
    prefix[len] = '\0';
}

static void print_value(const js_value *v)
{
    switch (v->type) {
    case JS_NULL: printf("null\n"); break;
    case JS_BOOL: printf("%s\n", v->boolean ? "true" : "false"); break;
    case JS_NUM: printf("%.10g\n", v->num); break;
    case JS_STR: printf("%s\n", v->str); break;
    case JS_ARR: printf("array of %zu\n", v->n); break;
    case JS_OBJ: printf("object of %zu\n", v->n); break;
    }
}

/* Every object under v with numbers start_s and end_s: counted in *seen,
 * and named on stderr when it ends before it starts; the number of those. */
static size_t backward_ranges(const js_value *v, const char *where, size_t *seen)
{
    size_t bad = 0;
    if (v->type == JS_OBJ) {
        const js_value *start = js_member(v, "start_s"), *end = js_member(v, "end_s");
        if (start && end && start->type == JS_NUM && end->type == JS_NUM) {
            ++*seen;
            if (start->num > end->num) {
                fprintf(stderr, "jsoncheck: %s ends before it starts: %.3f-%.3f\n", where, start->num, end->num);
                bad++;
            }
        }
    }
    if (v->type == JS_OBJ || v->type == JS_ARR)
        for (size_t i = 0; i < v->n; i++) {
            char inner[256];
            if (v->type == JS_OBJ)
                snprintf(inner, sizeof inner, "%s/%s", where, v->keys[i]);
            else
                snprintf(inner, sizeof inner, "%s/%zu", where, i);
            bad += backward_ranges(v->items[i], inner, seen);
        }
    return bad;
}

static int usage(void)
{
    fprintf(stderr, "usage: jsoncheck FILE [get PATH | count PATH [FILTER] | near PATH VALUE TOL | paths | ranges]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *path = argv[1];
    size_t len = 0;
    char *text = js_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "jsoncheck: cannot read %s\n", path);
        return 1;
    }
    char err[160];
    js_value *root = js_parse(text, len, err, sizeof err);
    free(text);
    if (!root) {
        fprintf(stderr, "jsoncheck: %s: invalid JSON: %s\n", path, err);
        return 1;
    }
    int rc = 0;
    if (argc == 2) {
        rc = 0;
    } else if (strcmp(argv[2], "get") == 0 && argc == 4) {
        const js_value *v = resolve(root, argv[3]);
        if (v)
            print_value(v);
        else {
            fprintf(stderr, "jsoncheck: %s: no %s\n", path, argv[3]);
            rc = 2;
        }
    } else if (strcmp(argv[2], "paths") == 0 && argc == 3) {
        char prefix[1024] = "";
        print_paths(root, prefix, 0, sizeof prefix);
    } else if (strcmp(argv[2], "count") == 0 && (argc == 4 || argc == 5)) {
        const js_value *v = resolve(root, argv[3]);
        if (!v || v->type != JS_ARR) {
            fprintf(stderr, "jsoncheck: %s: %s is not an array\n", path, argv[3]);
            rc = 2;
        } else {
            size_t n = 0;
            for (size_t i = 0; i < v->n; i++)
                n += item_matches(v->items[i], argc == 5 ? argv[4] : NULL);
            printf("%zu\n", n);
        }
    } else if (strcmp(argv[2], "near") == 0 && argc == 6) {
        const js_value *v = resolve(root, argv[3]);
        double want = strtod(argv[4], NULL), tol = strtod(argv[5], NULL);
        if (!v || v->type != JS_NUM) {
            fprintf(stderr, "jsoncheck: %s: %s is not a number\n", path, argv[3]);
            rc = 2;
        } else if (fabs(v->num - want) > tol) {
            fprintf(stderr, "jsoncheck: %s: %s is %.4f, want %.4f +- %.4f\n", path, argv[3], v->num, want, tol);
            rc = 1;
        }
    } else if (strcmp(argv[2], "ranges") == 0 && argc == 3) {
        size_t seen = 0;
        rc = backward_ranges(root, "", &seen) ? 1 : 0;
        printf("%zu\n", seen);
    } else {
        rc = usage();
    }
    js_free(root);
    return rc;
}
