/* A batch scan's manifest; see scan_manifest.h. */
#include "cli/scan_manifest.h"

#include "cli/call_meta.h"
#include "cli/cli.h"
#include "cli/csv_reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Rows whose file is missing are named one by one up to this many. */
#define MANIFEST_SHOWN_MISSING 10

/* What a column of the manifest becomes. */
enum { COLUMN_IGNORED = -1, COLUMN_PATH = -2 };

static int by_file(const void *a, const void *b)
{
    const manifest_entry *x = *(const manifest_entry *const *)a, *y = *(const manifest_entry *const *)b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->row - y->row; /* the first row of a file first */
}

/* The header's names as field names; where the path is. */
static int read_header(scan_manifest *m, const csv_row *header, char (*names)[CALL_META_NAME_MAX])
{
    int path_at = -1;
    size_t extra_len = 0;
    m->extra_names = malloc(1);
    if (!m->extra_names)
        die(CLI_EXIT_FAILURE, "out of memory");
    for (int i = 0; i < header->count; i++) {
        const char *text = csv_field(header, i);
        if (i == 0 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3; /* a byte-order mark, as spreadsheets save */
        call_meta_name(names[i], text);
        if (!names[i][0])
            continue;
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                die(CLI_EXIT_USAGE, "%s: two columns named '%s'", m->file, names[i]);
        if (strcmp(names[i], "path") == 0) {
            path_at = i;
        } else if (strcmp(names[i], "agent") != 0 && strcmp(names[i], "date") != 0 &&
                   strcmp(names[i], "queue") != 0) {
            size_t n = strlen(names[i]) + 1;
            char *grown = realloc(m->extra_names, extra_len + n + 1);
            if (!grown)
                die(CLI_EXIT_FAILURE, "out of memory");
            m->extra_names = grown;
            memcpy(m->extra_names + extra_len, names[i], n);
            extra_len += n;
        }
    }
    m->extra_names[extra_len] = '\0';
    if (path_at < 0)
        die(CLI_EXIT_USAGE, "%s: not a manifest: no 'path' column in its header", m->file);
    return path_at;
}

/* The row's fields, agent, date and queue first, then the others in the
 * manifest's order. */
static char *row_meta(const csv_row *row, char (*names)[CALL_META_NAME_MAX], int columns, int path_at)
{
    static const char *const known[] = {"agent", "date", "queue"};
    char *meta = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < columns; i++) {
            int is_known = 0;
            for (size_t k = 0; k < sizeof known / sizeof *known; k++)
                is_known |= strcmp(names[i], known[k]) == 0;
            if (i == path_at || !names[i][0] || is_known != (pass == 0))
                continue;
            char *value = strcmp(names[i], "date") == 0 ? call_meta_date(csv_field(row, i))
                                                       : cli_strdupf("%s", csv_field(row, i));
            int rc = call_meta_add(&meta, names[i], value);
            free(value);
            if (rc != 0)
                die(CLI_EXIT_FAILURE, "out of memory");
        }
    return meta;
}

static void add_entry(scan_manifest *m, size_t *cap, const char *dir, const char *path, char *meta, int row)
{
    if (m->count == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        manifest_entry *grown = realloc(m->entries, *cap * sizeof *grown);
        if (!grown)
            die(CLI_EXIT_FAILURE, "out of memory");
        m->entries = grown;
    }
    manifest_entry *e = &m->entries[m->count++];
    memset(e, 0, sizeof *e);
    e->path = path[0] == '/' || !dir ? cli_strdupf("%s", path) : cli_strdupf("%s/%s", dir, path);
    e->shard_from = path[0] == '/' || !dir ? 0 : strlen(dir) + 1;
    e->meta = meta;
    e->row = row;
    struct stat st;
    if (stat(e->path, &st) == 0) {
        e->found = 1;
        e->dev = st.st_dev;
        e->ino = st.st_ino;
    } else {
        if (m->missing < MANIFEST_SHOWN_MISSING)
            warn("%s, row %d: %s: %s", m->file, row, e->path, strerror(errno));
        m->missing++;
    }
}

void scan_manifest_read(scan_manifest *m, const char *file)
{
    memset(m, 0, sizeof *m);
    m->file = file;
    FILE *fp = fopen(file, "rb");
    if (!fp)
        die(CLI_EXIT_USAGE, "%s: cannot open the manifest: %s", file, strerror(errno));
    csv_row header = {0}, row = {0};
    if (csv_read_row(fp, &header) != 1)
        die(CLI_EXIT_USAGE, "%s: not a manifest: %s", file, errno == EINVAL ? "malformed CSV" : "no header row");
    char(*names)[CALL_META_NAME_MAX] = calloc((size_t)header.count, sizeof *names);
    if (!names)
        die(CLI_EXIT_FAILURE, "out of memory");
    int path_at = read_header(m, &header, names);
    /* Paths are relative to the manifest's folder. */
    const char *slash = strrchr(file, '/');
    char *dir = slash ? cli_strdupf("%.*s", (int)(slash - file), file) : NULL;
    if (dir && !*dir) {
        free(dir);
        dir = cli_strdupf("/");
    }
    size_t cap = 0;
    int rc, number = 1;
    while ((rc = csv_read_row(fp, &row)) > 0) {
        number++;
        const char *path = csv_field(&row, path_at);
        if (!*path) {
            int blank = 1;
            for (int i = 0; i < row.count && blank; i++)
                blank = !*csv_field(&row, i);
            if (!blank)
                warn("%s, row %d: no path; row left out", file, number);
            continue;
        }
        add_entry(m, &cap, dir && strcmp(dir, "/") == 0 ? "" : dir, path, row_meta(&row, names, header.count, path_at),
                  number);
    }
    if (rc < 0)
        die(CLI_EXIT_USAGE, "%s, row %d: %s", file, number + 1, errno == EINVAL ? "malformed CSV" : strerror(errno));
    if (m->missing > MANIFEST_SHOWN_MISSING)
        warn("%s: %zu rows in all name files that do not exist", file, m->missing);
    fclose(fp);
    free(dir);
    free(names);
    csv_row_free(&header);
    csv_row_free(&row);
    m->by_file = malloc((m->count ? m->count : 1) * sizeof *m->by_file);
    if (!m->by_file)
        die(CLI_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < m->count; i++)
        if (m->entries[i].found)
            m->by_file[m->found_count++] = &m->entries[i];
    qsort(m->by_file, m->found_count, sizeof *m->by_file, by_file);
    /* Two rows for one file: the first counts. */
    size_t kept = 0;
    for (size_t i = 0; i < m->found_count; i++) {
        manifest_entry *e = m->by_file[i];
        if (kept > 0 && m->by_file[kept - 1]->dev == e->dev && m->by_file[kept - 1]->ino == e->ino) {
            warn("%s, row %d: the same recording as row %d; row left out", file, e->row, m->by_file[kept - 1]->row);
            e->found = 0;
            e->used = 1; /* neither missing nor outside the scan */
            continue;
        }
        m->by_file[kept++] = e;
    }
    m->found_count = kept;
}

manifest_entry *scan_manifest_find(scan_manifest *m, const char *path, const struct stat *st)
{
    if (st) {
        manifest_entry key = {0}, *kp = &key;
        key.dev = st->st_dev;
        key.ino = st->st_ino;
        /* Any row of the file: by_file holds one per file. */
        size_t lo = 0, hi = m->found_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const manifest_entry *e = m->by_file[mid];
            int c = e->dev != kp->dev ? (e->dev < kp->dev ? -1 : 1) : e->ino != kp->ino ? (e->ino < kp->ino ? -1 : 1) : 0;
            if (c == 0)
                return m->by_file[mid];
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < m->count; i++)
        if (!m->entries[i].found && !m->entries[i].used && strcmp(m->entries[i].path, path) == 0)
            return &m->entries[i];
    return NULL;
}

void scan_manifest_free(scan_manifest *m)
{
    for (size_t i = 0; i < m->count; i++) {
        free(m->entries[i].path);
        free(m->entries[i].meta);
    }
    free(m->entries);
    free(m->by_file);
    free(m->extra_names);
    memset(m, 0, sizeof *m);
}
