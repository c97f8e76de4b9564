/*
 * Shared pieces of the command-line tool: exit codes, diagnostics, option
 * matching and the subcommand entry points.
 *
 * Diagnostics go to stderr as one line each, "callscope: " + message; data
 * goes to stdout. die() exits, so it is only for places that own nothing that
 * needs cleaning up beyond what exit() does (atomic_file registers its
 * temporary files for removal at exit).
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "callscope/callscope.h"
#include "cli/atomic_file.h"
#include "cli/json_writer.h"

/* Exit statuses, documented in main.c and the README. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1, /* runtime failure: cannot write, out of memory, internal */
    CLI_EXIT_USAGE = 2,   /* bad option, bad --set, unreadable profile */
    CLI_EXIT_FLAGS = 3,   /* --fail-on-flags and the report has flags */
    CLI_EXIT_INPUT = 4    /* the recording cannot be used */
};

#define CLI_NAME "callscope"

#if defined(__GNUC__)
#define CLI_PRINTF(fmt_arg, first_arg) __attribute__((format(printf, fmt_arg, first_arg)))
#else
#define CLI_PRINTF(fmt_arg, first_arg)
#endif

/* "callscope: <message>" on stderr, then exit(status). */
_Noreturn void die(int status, const char *fmt, ...) CLI_PRINTF(2, 3);

/* A usage error: "callscope: <message> (see: callscope COMMAND --help)" on
 * stderr, then exit 2. */
_Noreturn void cli_usage_error(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/* A command's --help: the text on stdout, then exit 0 (1 if it cannot be
 * written). */
_Noreturn void cli_help_exit(const char *text);

/* "callscope: <message>" on stderr. */
void warn(const char *fmt, ...) CLI_PRINTF(1, 2);

/*
 * Option matching for hand-written parsers. If argv[*i] is the option `name`
 * ("--json") either as "--json VALUE" or "--json=VALUE", store the value,
 * advance *i past what was used and return 1; return 0 when argv[*i] is a
 * different option. A missing value is a usage error (exits 2).
 */
int cli_option_value(int argc, char **argv, int *i, const char *name, const char **value);

/* The whole of a small text file (settings, models, baselines) as a string
 * the caller frees. Exits 2 naming the file when it cannot be opened or read,
 * is larger than max_bytes or holds binary data; `what` names the kind of
 * file in those messages ("profile"). */
char *cli_read_text_file(const char *path, const char *what, long max_bytes);

/* Parse a whole decimal int in [lo, hi]; 0 on success, -1 otherwise. */
/* Open an output file (atomic_file.h), or exit 1 naming it. Until it is
 * committed, a temporary is removed when the process exits, so a later die()
 * needs no clean-up. */
void cli_output_open(atomic_file *af, const char *path);
/* Commit an output whose writing ended with write_err (0, or an errno
 * value); on any failure exit 1 naming the file. */
void cli_output_close(atomic_file *af, int write_err);

/* Seconds as a clock, "m:ss.s" or "h:mm:ss.s"; "-" for a negative or
 * non-finite time. */
void cli_format_clock(char *buf, size_t cap, double s);

int cli_parse_int(const char *text, int lo, int hi, int *out);
/*
 * Names of files are bytes; what we write for people to read (reports,
 * exports, the scan's CSV files) is UTF-8. Every ill-formed sequence in a
 * name is shown there as one U+FFFD, the way the JSON report always did;
 * messages on stderr name a file by its bytes, as the shell does.
 */
#define CLI_REPLACEMENT_CHARACTER "\xEF\xBF\xBD"
/* The length of the well-formed UTF-8 sequence at s (1-4), or 0 with
 * *bad_len the bytes one replacement stands for: the JSON writer's rule. */
static inline size_t cli_utf8_sequence(const unsigned char *s, size_t n, size_t *bad_len)
{
    return jw_utf8_sequence(s, n, bad_len);
}
/* text with its ill-formed sequences replaced; the caller frees it. */
char *cli_utf8_clean(const char *text);

/* A finite number in lo..hi; 0, or -1 when text is not one. */
int cli_parse_double(const char *text, double lo, double hi, double *out);

/* printf into newly allocated memory the caller frees; exits 1 when out of
 * memory. */
char *cli_strdupf(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Replace control bytes (newlines, terminal escapes a file name can carry)
 * with '?', so the text stays on one line and inert on a terminal. */
void cli_sanitize(char *text);

/* The clock's reading in seconds (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID);
 * NAN when it cannot be read. */
double cli_clock_s(clockid_t clock);

/* FNV-1a, 64 bits: a stable digest for telling inputs apart (settings,
 * shard assignment), not a defence against anyone. Start from
 * CLI_HASH_START and feed the bytes in. */
#define CLI_HASH_START 14695981039346656037ULL
uint64_t cli_hash_bytes(uint64_t h, const void *data, size_t n);

/* Subcommands: each takes the arguments after its own name (argv[0] is the
 * subcommand name) and returns an exit status. */
int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_train_tone(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_devices(int argc, char **argv);

#endif
