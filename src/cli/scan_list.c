/* The recordings of a batch scan; see scan_list.h. */
#include "cli/scan_list.h"

#include "cli/cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const scan_default_extensions[] = {
    "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc",
    "au", "snd", "caf", "w64", "rf64", NULL,
};

/* Paths are kept as found; a walk never goes deeper than this. */
#define SCAN_MAX_DEPTH 64

static int has_audio_extension(const scan_list *l, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    char ext[16];
    size_t n = strlen(dot + 1);
    if (n == 0 || n >= sizeof ext)
        return 0;
    for (size_t i = 0; i <= n; i++)
        ext[i] = (char)tolower((unsigned char)dot[1 + i]);
    for (const char *const *e = l->extensions; *e; e++)
        if (strcmp(ext, *e) == 0)
            return 1;
    return 0;
}

/* A part of a key longer than this is shortened: the longest report name,
 * KEY.json.tmp.XXXXXX and the like, must stay within the file system's 255
 * bytes. */
#define SCAN_KEY_PART_MAX 200
/* What is kept of a long part before its hash; cut at a character's start. */
#define SCAN_KEY_PART_KEEP 180
/* "~" and 16 hex digits. */
#define SCAN_KEY_HASH_LEN 17

static int well_formed(const char *part, size_t n)
{
    size_t bad;
    for (size_t i = 0, len; i < n; i += len)
        if (!(len = cli_utf8_sequence((const unsigned char *)part + i, n - i, &bad)))
            return 0;
    return 1;
}

/* A part as it names reports: as it is, or, when too long or not UTF-8 (a
 * report's name is shown in the summary, cli.h), its start with '_' for
 * each ill-formed sequence, "~" and a hash of the whole part, so different
 * names still get different reports. Returns the bytes written. */
static size_t key_part(char *out, const char *part, size_t n)
{
    if (n <= SCAN_KEY_PART_MAX && well_formed(part, n)) {
        memcpy(out, part, n);
        return n;
    }
    size_t len = 0, bad;
    for (size_t i = 0, step; i < n; i += step) {
        step = cli_utf8_sequence((const unsigned char *)part + i, n - i, &bad);
        size_t put = step ? step : 1;
        if (len + put > SCAN_KEY_PART_KEEP)
            break;
        if (step)
            memcpy(out + len, part + i, step);
        else
            out[len] = '_';
        len += put;
        step = step ? step : bad;
    }
    uint64_t h = cli_hash_bytes(CLI_HASH_START, part, n);
    return len + (size_t)snprintf(out + len, SCAN_KEY_HASH_LEN + 1, "~%016llx", (unsigned long long)h);
}

/* The key: the path made relative and kept inside the output folder. */
static char *make_key(const char *path)
{
    size_t n = strlen(path), parts = 1;
    for (const char *p = path; *p; p++)
        parts += *p == '/';
    /* "__" for "..", or a hash added: at most this much longer per part. */
    char *key = malloc(n + parts * (SCAN_KEY_HASH_LEN + 2) + 2);
    if (!key)
        return NULL;
    size_t len = 0;
    for (const char *p = path; *p;) {
        const char *end = strchr(p, '/');
        size_t part = end ? (size_t)(end - p) : strlen(p);
        if (part == 0 || (part == 1 && p[0] == '.')) {
            /* "//" and "/./" add nothing */
        } else {
            if (len)
                key[len++] = '/';
            if (part == 2 && p[0] == '.' && p[1] == '.') {
                memcpy(key + len, "__", 2);
                len += 2;
            } else {
                len += key_part(key + len, p, part);
            }
        }
        p += part + (end != NULL);
    }
    if (len == 0)
        key[len++] = '_';
    key[len] = '\0';
    return key;
}

static int add_item(scan_list *l, const char *path, size_t shard_from, const struct stat *st)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        scan_item *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    scan_item *it = &l->items[l->count];
    memset(it, 0, sizeof *it);
    it->path = strdup(path);
    it->key = make_key(path);
    if (!it->path || !it->key) {
        free(it->path);
        free(it->key);
        return -1;
    }
    it->shard_from = shard_from;
    it->size = st ? (int64_t)st->st_size : -1;
    it->mtime_ns = st ? (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec : 0;
    if (st) {
        it->dev = st->st_dev;
        it->ino = st->st_ino;
    }
    l->count++;
    return 0;
}

/* Walk one folder; names starting with '.' are skipped (hidden files,
 * snapshots), and symbolic links to folders are not followed (no loops). */
static int walk(scan_list *l, const char *dir, size_t shard_from, int depth)
{
    if (depth > SCAN_MAX_DEPTH) {
        warn("%s: folders nested deeper than %d; not scanned", dir, SCAN_MAX_DEPTH);
        l->walk_errors++;
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        warn("%s: cannot read the folder: %s", dir, strerror(errno));
        l->walk_errors++;
        return 0;
    }
    int rc = 0;
    struct dirent *ent;
    while (rc == 0 && (errno = 0, ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        size_t n = strlen(dir);
        char *path = cli_strdupf("%s%s%s", dir, n > 0 && dir[n - 1] != '/' ? "/" : "", ent->d_name);
        struct stat lst, st;
        if (lstat(path, &lst) != 0) {
            warn("%s: %s", path, strerror(errno));
            l->walk_errors++;
        } else if (S_ISDIR(lst.st_mode)) {
            if (!(l->have_skip && lst.st_dev == l->skip_dev && lst.st_ino == l->skip_ino))
                rc = walk(l, path, shard_from, depth + 1);
        } else if (has_audio_extension(l, ent->d_name)) {
            /* A link to a file is taken; a dangling one is an error row, and
             * so is a pipe, device or socket named like audio. */
            int ok = stat(path, &st) == 0;
            if (!ok || !S_ISDIR(st.st_mode))
                rc = add_item(l, path, shard_from, ok ? &st : NULL);
        }
        free(path);
    }
    if (rc == 0 && errno != 0) {
        warn("%s: cannot read the folder: %s", dir, strerror(errno));
        l->walk_errors++;
    }
    closedir(d);
    return rc;
}

int scan_list_add(scan_list *l, const char *path)
{
    struct stat st;
    int known = stat(path, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        return walk(l, path, n + (n > 0 && path[n - 1] != '/'), 0);
    }
    /* A file operand is taken whatever its name; if it cannot be read, its
     * row says why. */
    return add_item(l, path, 0, known ? &st : NULL);
}

int scan_list_add_file(scan_list *l, const char *path, size_t shard_from)
{
    struct stat st;
    return add_item(l, path, shard_from, stat(path, &st) == 0 && S_ISREG(st.st_mode) ? &st : NULL);
}

int scan_list_add_from(scan_list *l, FILE *fp, int nul_separated, const char *what)
{
    int sep = nul_separated ? '\0' : '\n';
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getdelim(&line, &cap, sep, fp)) >= 0) {
        if (n > 0 && line[n - 1] == sep)
            line[--n] = '\0';
        if (!nul_separated && n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n == 0)
            continue;
        struct stat st;
        rc = add_item(l, line, 0, stat(line, &st) == 0 && S_ISREG(st.st_mode) ? &st : NULL);
    }
    if (rc == 0 && ferror(fp)) {
        warn("%s: cannot read the list of recordings: %s", what, strerror(errno));
        rc = -1;
    }
    free(line);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const scan_item *)a)->path, ((const scan_item *)b)->path);
}

static int by_key(const void *a, const void *b)
{
    const scan_item *const *x = a, *const *y = b;
    return strcmp((*x)->key, (*y)->key);
}

static void free_item(scan_item *it)
{
    free(it->path);
    free(it->key);
    free(it->meta);
}

int scan_list_finish(scan_list *l)
{
    if (l->count == 0)
        return 0;
    qsort(l->items, l->count, sizeof *l->items, by_path);
    size_t kept = 1;
    for (size_t i = 1; i < l->count; i++) {
        if (strcmp(l->items[i].path, l->items[kept - 1].path) == 0)
            free_item(&l->items[i]);
        else
            l->items[kept++] = l->items[i];
    }
    l->count = kept;
    scan_item **by = malloc(l->count * sizeof *by);
    if (!by)
        die(CLI_EXIT_FAILURE, "scan: out of memory");
    for (size_t i = 0; i < l->count; i++)
        by[i] = &l->items[i];
    qsort(by, l->count, sizeof *by, by_key);
    int rc = 0;
    for (size_t i = 1; i < l->count; i++)
        if (strcmp(by[i]->key, by[i - 1]->key) == 0) {
            warn("'%s' and '%s' would share their reports; give one of them another way", by[i - 1]->path,
                 by[i]->path);
            rc = -1;
        }
    free(by);
    return rc;
}

/* Stable across runs, hosts and versions. */
static unsigned shard_of(const scan_item *it, int n)
{
    const char *part = it->path + it->shard_from;
    return (unsigned)(cli_hash_bytes(CLI_HASH_START, part, strlen(part)) % (uint64_t)n);
}

void scan_list_keep_shard(scan_list *l, int k, int n)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (shard_of(&l->items[i], n) == (unsigned)(k - 1))
            l->items[kept++] = l->items[i];
        else
            free_item(&l->items[i]);
    }
    l->count = kept;
}

void scan_list_free(scan_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free_item(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}
