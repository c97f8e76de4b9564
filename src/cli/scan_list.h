/*
 * The recordings a batch scan covers: folders walked recursively for audio
 * files by extension, single files, and lists of paths (--files-from), then
 * sorted by path with duplicates dropped, so every run and every shard sees
 * the same order.
 *
 * Each recording gets a key, where its outputs go below the output folder:
 * its path with "/" and "./" at the front dropped and ".." parts renamed
 * "__", so reports mirror the recordings' folders and never escape the
 * output folder; a part too long to name a report (over 200 bytes) or not
 * UTF-8 is cut to its first 180 bytes (each ill-formed sequence as '_'),
 * "~" and a hash of the whole part. Its shard is decided by the part of the path below the
 * folder operand it was found in (the whole path for a file operand), so
 * hosts that mount the recordings at different places agree on the split.
 */
#ifndef CS_CLI_SCAN_LIST_H
#define CS_CLI_SCAN_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct scan_item {
    char *path;          /* as found: the operand, then the path below it */
    char *key;           /* outputs' place below OUT/reports */
    size_t shard_from;   /* path + shard_from is what decides the shard */
    int64_t size;        /* bytes; -1 when stat failed (the analysis says why) */
    int64_t mtime_ns;
    dev_t dev;           /* which file it is, when size >= 0 */
    ino_t ino;
    char *meta;          /* its metadata (call_meta.h), or NULL; set by the caller */
} scan_item;

typedef struct scan_list {
    scan_item *items;
    size_t count, cap;
    /* What the walk could not read (folders it could not open): each is
     * reported as it happens and counted here. */
    int walk_errors;
    /* Folders not to walk into (the output folder); set before adding. */
    dev_t skip_dev;
    ino_t skip_ino;
    int have_skip;
    /* Lower-case extensions without the dot; NULL-terminated. */
    const char *const *extensions;
} scan_list;

/* The extensions taken by default: those libsndfile decodes. */
extern const char *const scan_default_extensions[];

/* Add a folder (recursively) or a file, as the operand `path` names it.
 * 0, or -1 out of memory (the walk's other problems are walk_errors). */
int scan_list_add(scan_list *l, const char *path);

/* Add a file as a file operand whose shard is decided by path +
 * shard_from (a path from a list resolved against the list's folder). */
int scan_list_add_file(scan_list *l, const char *path, size_t shard_from);

/* Add every path listed in fp, one per line (or NUL-separated with
 * nul_separated), as file operands. `what` names the list in messages.
 * 0, or -1 (out of memory, read error: reported). */
int scan_list_add_from(scan_list *l, FILE *fp, int nul_separated, const char *what);

/* Sort by path and drop repeated paths; then two items share a key only if
 * their paths differ in a way the key hides ("a/../b"): -1 after naming
 * both, else 0. */
int scan_list_finish(scan_list *l);

/* Keep only shard k of n (1 <= k <= n). */
void scan_list_keep_shard(scan_list *l, int k, int n);

void scan_list_free(scan_list *l);

#endif
