/*
 * --manifest FILE.csv: the calls of a batch scan with their metadata. A CSV
 * file (csv_reader.h) whose header names a `path` column and any others:
 * `agent`, `date` and `queue` are the fields the tool knows, every other
 * column is carried through as it is (call_meta.h). A relative path is
 * relative to the manifest's folder. Files are matched to recordings by what
 * they are (device and inode), so a manifest and a folder may name the same
 * file in different ways.
 */
#ifndef CS_CLI_SCAN_MANIFEST_H
#define CS_CLI_SCAN_MANIFEST_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct manifest_entry {
    char *path;          /* resolved against the manifest's folder */
    size_t shard_from;   /* path + shard_from is the path as the manifest wrote it */
    char *meta;          /* call_meta.h; may be NULL */
    int row;             /* the row's number in the file (the header is 1) */
    int found;           /* the file exists: dev and ino hold */
    dev_t dev;
    ino_t ino;
    int used;            /* matched to a recording of the scan */
} manifest_entry;

typedef struct scan_manifest {
    const char *file;
    manifest_entry *entries;   /* in the manifest's order */
    size_t count;
    manifest_entry **by_file;  /* the found ones, by (dev, ino) */
    size_t found_count;
    size_t missing;            /* rows whose file does not exist */
    char *extra_names;         /* the carried columns' names, NUL-separated, ending with an empty one */
} scan_manifest;

/* Read the manifest; rows whose file does not exist are named on stderr
 * and counted in m->missing. Exits 2 naming the file when it cannot be
 * read or is not a manifest (no path column, malformed CSV). */
void scan_manifest_read(scan_manifest *m, const char *file);

/* The entry for a recording: by file when it exists (st not NULL), else by
 * path; NULL when the manifest has none. */
manifest_entry *scan_manifest_find(scan_manifest *m, const char *path, const struct stat *st);

void scan_manifest_free(scan_manifest *m);

#endif
