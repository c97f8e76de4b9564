/*
 * One recording's line in a batch scan, the columns of summary.csv as
 * docs/report.md documents them (the contract's, then ours after them), kept
 * as text.
 *
 * Each analysed recording leaves a record beside its report (REPORT.scan):
 * the CSV header and this one row, plus the size and modification time of
 * the recording and the digest of the settings it was analysed with. The
 * record is written last and atomically, so its presence means the reports
 * before it are complete, and a later scan can skip the recording while
 * none of that has changed.
 */
#ifndef CS_CLI_SCAN_RECORD_H
#define CS_CLI_SCAN_RECORD_H

#include <stdint.h>

#include "callscope/callscope.h"
#include "cli/call_run.h"
#include "cli/cli.h"
#include "cli/csv_writer.h"
#include "cli/report_json.h"

typedef enum scan_column {
    SC_PATH, SC_DURATION, SC_STATUS, SC_ERROR,
    SC_AGENT_TALK_SHARE, SC_AGENT_TALK, SC_CUSTOMER_TALK, SC_OVERLAP, SC_SILENCE,
    SC_INTERRUPTIONS_BY_AGENT, SC_INTERRUPTIONS_BY_CUSTOMER, SC_BACKCHANNELS_BY_AGENT,
    SC_AGENT_PACE, SC_AGENT_PITCH, SC_AGENT_LEVEL, SC_AGENT_CALM, SC_CUSTOMER_CALM,
    SC_FLAG_COUNT, SC_SCORE,
    /* Beyond the contract. */
    SC_TOP_FLAGS,    /* "kind m:ss.s; ..." the weightiest flags, in time order */
    SC_REASON,       /* the weightiest flag's message, or why the call has no score */
    SC_FORMAT,       /* container/encoding */
    SC_WARNINGS,     /* what the decoder noted (a short data chunk...), "; "-separated */
    SC_REPORT,       /* the JSON report, relative to the scan's output folder */
    SC_HTML,         /* the HTML report, or empty */
    SC_AGENT, SC_DATE, SC_QUEUE, /* the call's metadata (call_meta.h) */
    SC_SEPARATION,   /* source.separation: channels, diarized or single */
    SC_SEPARATION_CONFIDENCE,
    SC_ROLE_WARNING, /* role_check.h, or empty */
    SC_AGENT_RESPONSE_LATENCY, SC_AGENT_LONGEST_MONOLOGUE, SC_LONGEST_MONOLOGUE,
    SC_HOLD_COUNT, SC_HOLD_S, SC_DEAD_AIR_COUNT, SC_DEAD_AIR_S,
    SC_FLAGS_FIRST,  /* flags of each kind, in cs_flag_kind order */
    SC_FLAGS_END = SC_FLAGS_FIRST + CS_FLAG_KIND_END - 1,
    SCAN_SUMMARY_COLUMNS = SC_FLAGS_END,
    /* Only in the per-call record. */
    SC_SOURCE_SIZE = SCAN_SUMMARY_COLUMNS,
    SC_SOURCE_MTIME, /* nanoseconds since the epoch */
    SC_SETTINGS,     /* analysis_setup_fingerprint, hex */
    SC_RETRY,        /* 1: the failure was ours (memory, disk, a crash), try again next time */
    SC_METADATA,     /* every metadata field, as call_meta.h keeps them */
    SCAN_RECORD_COLUMNS
} scan_column;

/* What the columns hold; it changes when one changes its scale or meaning
 * (2: calm in 0-100 points; 3: metadata, hold, dead air, per-kind flags...),
 * so that a scan redoes the records written before rather than mix the two
 * in one summary. */
#define SCAN_ROW_FORMAT "3"

/* The summary's column of each metadata field beyond agent, date and queue. */
#define SCAN_META_PREFIX "meta_"

/* How many of the weightiest flags SC_TOP_FLAGS lists. */
#define SCAN_TOP_FLAGS 3

extern const char *const scan_column_name[SCAN_RECORD_COLUMNS];

typedef struct scan_row {
    char *field[SCAN_RECORD_COLUMNS]; /* NULL reads as empty */
} scan_row;

/* Set a column to a copy of text (NULL for empty); 0, or -1 out of memory. */
int scan_row_set(scan_row *r, scan_column col, const char *text);
int scan_row_setf(scan_row *r, scan_column col, const char *fmt, ...) CLI_PRINTF(3, 4);
const char *scan_row_get(const scan_row *r, scan_column col);
void scan_row_free(scan_row *r);

/* The columns of a successful run. 0, or -1 when memory or the run's
 * temporary files failed. */
int scan_row_from_run(scan_row *r, call_run *run, const report_source *rs, const cs_profile *prof,
                      const cs_coaching *coaching);

/* A recording that could not be analysed. */
int scan_row_error(scan_row *r, const char *path, const char *reason, int retry);

/* The call's metadata (call_meta.h; NULL for none) into its columns. */
int scan_row_set_meta(scan_row *r, const char *meta);

/* Write the record atomically: 0, or an errno value. */
int scan_record_write(const char *record_path, const scan_row *r);

/* Read a record back: 0, or an errno value (ENOENT none, EINVAL malformed). */
int scan_record_read(const char *record_path, scan_row *r);

struct csv_row;

/* Where each summary column stands in a summary's header (a summary may
 * carry more columns, in any order). 0, or -1 with *missing naming the
 * first column it lacks. */
int scan_summary_columns(const struct csv_row *header, int col[SCAN_SUMMARY_COLUMNS], const char **missing);

/* summary.csv: the header, then one row per recording; after the fixed
 * columns one SCAN_META_PREFIX column per name in extra_names (NUL-separated,
 * ending with an empty one; NULL for none). */
void scan_summary_header(csv_writer *w, const char *extra_names);
void scan_summary_row(csv_writer *w, const scan_row *r, const char *extra_names);

#endif
