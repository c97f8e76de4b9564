/*
 * callscope scan DIR|FILE... --out OUT: analyse many recordings into
 *
 *   OUT/reports/KEY.json    each call's report (KEY: scan_list.h)
 *   OUT/reports/KEY.html    with --html
 *   OUT/reports/KEY.scan    the call's record (scan_record.h), written last
 *   OUT/summary.csv         one row per recording, errors included
 *   OUT/queue.csv           the analysed calls, worst first
 *   OUT/index.html          the dashboard (scan_dashboard.h), from the summary
 *
 * Each recording is analysed in a child process of its own (-j at once), so
 * a crash costs one row, not the scan, and every worker starts clean. Every
 * file is written atomically; the summary and the queue are made from the
 * records at the end. A scan stopped at any moment therefore leaves complete
 * reports and records only, and run again it analyses what has no record
 * (or a stale one) and ends with the same outputs as a scan never stopped.
 *
 * One scan at a time writes into OUT (a lock file, OUT/.scan.lock, held with
 * flock: the kernel drops it when its scan dies, however it dies). Shards
 * of one split share OUT: each holds the common lock shared and its own
 * share's lock exclusive, so only the same share twice, or a whole scan
 * beside any share, is refused.
 */
#include "cli/cli.h"

#include "cli/analysis_setup.h"
#include "cli/atomic_file.h"
#include "cli/call_run.h"
#include "cli/call_meta.h"
#include "cli/csv_writer.h"
#include "cli/report_html.h"
#include "cli/report_json.h"
#include "cli/scan_baselines.h"
#include "cli/scan_dashboard.h"
#include "cli/scan_list.h"
#include "cli/scan_manifest.h"
#include "cli/scan_queue.h"
#include "cli/scan_record.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

static const char usage_text[] =
    "usage: callscope scan DIR|FILE... --out OUT [options]\n"
    "\n"
    "Analyse every recording in the folders (recursively, audio files by\n"
    "extension) and files given, in parallel, into OUT:\n"
    "  reports/...json   one report per call (and .html with --html), in folders\n"
    "                    that mirror the recordings'\n"
    "  summary.csv       one row per recording; status=error rows say why\n"
    "  queue.csv         the calls worth a listen, worst first, with their flags\n"
    "  index.html        the dashboard: every call, sortable and filterable, and\n"
    "                    each agent's scorecard\n"
    "Recordings whose report is up to date (same file, same settings) are not\n"
    "analysed again, so a scan stopped at any point finishes when run again.\n"
    "\n"
    "options:\n"
    "  --out OUT                  the output folder (created if missing)\n"
    "  -j, --jobs N               recordings analysed at once (default: the\n"
    "                             number of processors)\n"
    "  --files-from FILE          also take the paths listed in FILE, one per\n"
    "                             line ('-': stdin)\n"
    "  -0, --null                 the list is NUL-separated (find -print0)\n"
    "  --ext LIST                 extensions to take from folders, comma-\n"
    "                             separated (default: wav,wave,flac,ogg,oga,opus,\n"
    "                             mp3,aif,aiff,aifc,au,snd,caf,w64,rf64)\n"
    "  --html                     also write each call's HTML report (asked for\n"
    "                             after a scan, drawn from the kept reports)\n"
    "  --embed-audio              put each recording inside its HTML report\n"
    "                             (with --html)\n"
    "  --manifest FILE.csv        the calls' metadata: a CSV file with a path column\n"
    "                             (relative to the file's folder) and agent, date,\n"
    "                             queue and any other columns; with no folder or\n"
    "                             file given, its rows are the recordings\n"
    "  --name-pattern PATTERN     metadata from file names, e.g.\n"
    "                             '{agent}_{date}_{id}.wav' ('*': anything)\n"
    "  --baselines DIR            analyse each agent's calls against\n"
    "                             DIR/AGENT.baseline when it exists\n"
    "  --force                    analyse every recording again\n"
    "  --timeout-per-call S       stop a recording's analysis after S seconds and\n"
    "                             give it an error row (default 1800; 0: no limit)\n"
    "  --wait                     when another scan is writing into OUT, wait for it\n"
    "                             to finish instead of refusing at once\n"
    "  --shard K/N                only the K-th of N shares of the recordings (a\n"
    "                             split every host computes alike); writes\n"
    "                             summary-K-of-N.csv and queue-K-of-N.csv for\n"
    "                             'callscope merge'\n"
    "  -q, --quiet                no progress and no closing summary\n"
    "  -h, --help                 this text\n"
    "and the analysis options of 'callscope analyze': --agent-channel,\n"
    "--channel-map, --profile, --set, --baseline, --tone-model, --coaching,\n"
    "--spool-limit, --input-wait.\n"
    "\n"
    "A file that is not a regular file (a named pipe, a device, a socket) gets an\n"
    "error row saying so and is not read. A report whose file name would be too\n"
    "long for the file system is named by the start of the name and a hash; the\n"
    "row keeps the full path.\n"
    "\n"
    "Exit status: 0 every recording analysed; 4 some could not be (their rows\n"
    "say why: unusable, not a regular file, over --timeout-per-call); 1 the\n"
    "scan itself failed (cannot write, a worker crashed, another scan is\n"
    "writing into OUT and --wait was not given); 2 usage error.\n";

#define SCAN_MAX_EXTENSIONS 32
#define SCAN_MAX_JOBS 256
/* Plain progress lines (stderr not a terminal): at every tenth of the work
 * and at least this often. */
#define PLAIN_PROGRESS_EVERY_S 30.0
/* Long enough for an 8-hour call decoded and analysed on a slow, busy
 * machine; short enough that a stuck worker is noticed within a batch. */
#define SCAN_TIMEOUT_DEFAULT_S 1800.0
/* A worker past its time gets SIGTERM, and SIGKILL this much later. */
#define SCAN_KILL_GRACE_S 5.0

typedef struct scan_options {
    const char **operands;
    int operand_count;
    const char *out_dir;
    int jobs;
    const char *files_from;
    int nul_separated;
    char *ext_buf;
    const char *extensions[SCAN_MAX_EXTENSIONS + 1];
    int html;
    int embed_audio;
    int force;
    int shard_k, shard_n;  /* 0/0: no sharding */
    int quiet;
    double timeout_s;      /* per recording; 0: none */
    int wait_for_lock;
    const char *manifest;  /* --manifest FILE.csv */
    const char *name_pattern;
    const char *baselines_dir;
} scan_options;

/* What a worker needs besides its recording. */
typedef struct scan_context {
    const scan_options *opt;
    analysis_setup *setup;
    uint64_t fingerprint;  /* of the settings every call shares */
    scan_baselines baselines;
} scan_context;

#define usage_error(...) cli_usage_error("scan", __VA_ARGS__)

static void parse_extensions(scan_options *o, const char *list)
{
    free(o->ext_buf);
    if (!(o->ext_buf = strdup(list)))
        die(CLI_EXIT_FAILURE, "out of memory");
    int n = 0;
    for (char *item = o->ext_buf, *next; item; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        if (*item == '.')
            item++;
        for (char *c = item; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        if (!*item || strchr(item, '/') || n == SCAN_MAX_EXTENSIONS)
            usage_error("--ext wants up to %d extensions like wav,flac; got '%s'", SCAN_MAX_EXTENSIONS, list);
        o->extensions[n++] = item;
    }
    o->extensions[n] = NULL;
}

static void parse_shard(scan_options *o, const char *text)
{
    char k_text[16], n_text[16];
    const char *slash = strchr(text, '/');
    size_t k_len = slash ? (size_t)(slash - text) : 0;
    if (!slash || k_len >= sizeof k_text || strlen(slash + 1) >= sizeof n_text)
        usage_error("--shard wants K/N, like 2/8; got '%s'", text);
    memcpy(k_text, text, k_len);
    k_text[k_len] = '\0';
    strcpy(n_text, slash + 1);
    if (cli_parse_int(n_text, 1, 1000000, &o->shard_n) != 0 || cli_parse_int(k_text, 1, o->shard_n, &o->shard_k) != 0)
        usage_error("--shard wants K/N with 1 <= K <= N; got '%s'", text);
}

static void parse_options(scan_options *o, analysis_setup *setup, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    analysis_setup_init(setup, "scan", argc);
    if (!(o->operands = calloc((size_t)argc, sizeof *o->operands)))
        die(CLI_EXIT_FAILURE, "out of memory");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (cpus < SCAN_MAX_JOBS ? (int)cpus : SCAN_MAX_JOBS) : 1;
    for (int k = 0; scan_default_extensions[k]; k++)
        o->extensions[k] = scan_default_extensions[k];
    o->timeout_s = SCAN_TIMEOUT_DEFAULT_S;
    int only_operands = 0;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v;
        if (only_operands || arg[0] != '-') {
            o->operands[o->operand_count++] = arg;
            i++;
        } else if (strcmp(arg, "--") == 0) {
            only_operands = 1;
            i++;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            cli_help_exit(usage_text);
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
            i++;
        } else if (strcmp(arg, "-0") == 0 || strcmp(arg, "--null") == 0) {
            o->nul_separated = 1;
            i++;
        } else if (strcmp(arg, "--html") == 0) {
            o->html = 1;
            i++;
        } else if (strcmp(arg, "--embed-audio") == 0) {
            o->embed_audio = 1;
            i++;
        } else if (strcmp(arg, "--force") == 0) {
            o->force = 1;
            i++;
        } else if (strcmp(arg, "--wait") == 0) {
            o->wait_for_lock = 1;
            i++;
        } else if (cli_option_value(argc, argv, &i, "--timeout-per-call", &v)) {
            if (cli_parse_double(v, 0.0, 1e9, &o->timeout_s) != 0)
                usage_error("--timeout-per-call wants seconds (0: no limit), got '%s'", v);
        } else if (cli_option_value(argc, argv, &i, "--out", &v)) {
            if (!*v)
                usage_error("--out needs a folder");
            o->out_dir = v;
        } else if (cli_option_value(argc, argv, &i, "-j", &v) || cli_option_value(argc, argv, &i, "--jobs", &v)) {
            if (cli_parse_int(v, 1, SCAN_MAX_JOBS, &o->jobs) != 0)
                usage_error("-j wants a number of workers from 1 to %d, got '%s'", SCAN_MAX_JOBS, v);
        } else if (cli_option_value(argc, argv, &i, "--files-from", &v)) {
            o->files_from = v;
        } else if (cli_option_value(argc, argv, &i, "--ext", &v)) {
            parse_extensions(o, v);
        } else if (cli_option_value(argc, argv, &i, "--shard", &v)) {
            parse_shard(o, v);
        } else if (cli_option_value(argc, argv, &i, "--manifest", &v)) {
            o->manifest = v;
        } else if (cli_option_value(argc, argv, &i, "--name-pattern", &v)) {
            const char *why = call_meta_pattern_check(v);
            if (why)
                usage_error("--name-pattern '%s': %s", v, why);
            o->name_pattern = v;
        } else if (cli_option_value(argc, argv, &i, "--baselines", &v)) {
            struct stat st;
            if (stat(v, &st) != 0 || !S_ISDIR(st.st_mode))
                usage_error("--baselines wants a folder of AGENT.baseline files; '%s' is not one", v);
            o->baselines_dir = v;
        } else if (analysis_setup_take(setup, argc, argv, &i)) {
            continue;
        } else if (strncmp(arg, "-j", 2) == 0 && arg[2]) {
            if (cli_parse_int(arg + 2, 1, SCAN_MAX_JOBS, &o->jobs) != 0)
                usage_error("-j wants a number of workers from 1 to %d, got '%s'", SCAN_MAX_JOBS, arg + 2);
            i++;
        } else {
            usage_error("unknown option '%s'", arg);
        }
    }
    if (!o->out_dir)
        usage_error("--out OUT is needed: where the reports and the summary go");
    if (o->operand_count == 0 && !o->files_from && !o->manifest)
        usage_error("no recordings given: name folders or files, --files-from or --manifest");
    if (o->embed_audio && !o->html)
        usage_error("--embed-audio goes with --html");
}

/* ---- paths -------------------------------------------------------------- */

typedef enum { OUT_JSON, OUT_HTML, OUT_RECORD, ITEM_OUTPUTS } item_output;
static const char *const output_suffix[ITEM_OUTPUTS] = {".json", ".html", ".scan"};

/* OUT/reports/KEY.json and its siblings; relative (for the summary) without out_dir. */
/* The stored baseline a call is analysed against: its agent's from
 * --baselines, else --baseline's, else none (learnt from the call). */
static const agent_baseline *agent_baseline_of(const scan_context *ctx, const scan_item *it)
{
    char *agent = call_meta_get(it->meta, "agent");
    const agent_baseline *b = scan_baselines_find(&ctx->baselines, agent);
    free(agent);
    return b;
}

/* What a record says of the recording it was made from, of the settings
 * used and of the call's metadata (which choose its baseline and go into
 * its report), so a rerun can tell whether it still holds. */
static void stamp_row(scan_row *row, const scan_context *ctx, const scan_item *it)
{
    uint64_t h = ctx->fingerprint;
    if (it->meta)
        h = cli_hash_bytes(h, it->meta, strlen(it->meta) + 1);
    const agent_baseline *b = agent_baseline_of(ctx, it);
    if (b)
        h = cli_hash_bytes(h, &b->digest, sizeof b->digest);
    scan_row_setf(row, SC_SOURCE_SIZE, "%" PRId64, it->size);
    scan_row_setf(row, SC_SOURCE_MTIME, "%" PRId64, it->mtime_ns);
    scan_row_setf(row, SC_SETTINGS, "%016" PRIx64, h);
    scan_row_set_meta(row, it->meta);
}

static int same_column(const scan_row *a, const scan_row *b, scan_column col)
{
    return strcmp(scan_row_get(a, col), scan_row_get(b, col)) == 0;
}

static char *item_path(const char *out_dir, const scan_item *it, item_output which)
{
    if (!out_dir)
        return cli_strdupf("reports/%s%s", it->key, output_suffix[which]);
    return cli_strdupf("%s/reports/%s%s", out_dir, it->key, output_suffix[which]);
}

/* Create the folders above path; 0 or an errno value. */
static int make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return ENOMEM;
    int err = 0;
    for (char *s = strchr(p + 1, '/'); s && !err; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            err = errno;
        *s = '/';
    }
    free(p);
    return err;
}

/* ---- one recording, in a worker ---------------------------------------- */

static int write_report(call_run *run, const report_source *rs, const scan_context *ctx, const char *path)
{
    atomic_file af;
    int err = atomic_open(&af, path);
    if (err)
        return err;
    err = report_json_write(af.fp, run, rs, &ctx->setup->profile);
    if (err) {
        atomic_abort(&af);
        return err;
    }
    return atomic_commit(&af);
}

/* The HTML report, drawn from the JSON report beside it; 0 or an errno value. */
static int write_page(const scan_context *ctx, const scan_item *it, const char *json_path, const char *html_path)
{
    int fd = open(json_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    atomic_file af;
    int err = atomic_open(&af, html_path);
    if (!err) {
        html_audio audio = {it->path, html_path, ctx->opt->embed_audio};
        err = report_html_write(af.fp, fd, &audio);
        if (err)
            atomic_abort(&af);
        else
            err = atomic_commit(&af);
    }
    close(fd);
    return err;
}

/* What a file that is not a regular file is, or NULL for a regular one. */
static const char *not_regular(mode_t mode)
{
    if (S_ISREG(mode))
        return NULL;
    return S_ISFIFO(mode)  ? "a named pipe"
           : S_ISCHR(mode) ? "a character device"
           : S_ISBLK(mode) ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
           : S_ISDIR(mode) ? "a folder"
                           : "not a file";
}

/* Analyse one recording and leave its reports and record. The exit status:
 * CLI_EXIT_OK, CLI_EXIT_INPUT (an error record says why) or
 * CLI_EXIT_FAILURE (a record says why if one could be written). */
static int run_item(const scan_context *ctx, const scan_item *it)
{
    const scan_options *o = ctx->opt;
    analysis_setup *setup = ctx->setup;
    char *path[ITEM_OUTPUTS];
    for (int k = 0; k < ITEM_OUTPUTS; k++)
        path[k] = item_path(o->out_dir, it, (item_output)k);
    scan_row row = {{0}};
    call_run run;
    struct stat st;
    const char *kind = stat(it->path, &st) == 0 ? not_regular(st.st_mode) : NULL;
    const agent_baseline *own_baseline = agent_baseline_of(ctx, it);
    int status;
    if (kind) {
        /* Reading it could wait for ever (a pipe) or never end (a device). */
        memset(&run, 0, sizeof run);
        snprintf(run.error, sizeof run.error, "not a regular file (%s); not read", kind);
        status = CLI_EXIT_INPUT;
    } else {
        status = call_run_analyze(&run, it->path, &setup->profile, &setup->channels, &setup->model,
                                  own_baseline ? &own_baseline->baseline : analysis_setup_baseline(setup));
    }
    int err = make_parents(path[OUT_RECORD]);
    if (status != CLI_EXIT_OK) {
        scan_row_error(&row, it->path, run.error, status != CLI_EXIT_INPUT);
    } else if (!err) {
        const char *warnings[SOURCE_MAX_WARNINGS];
        report_source rs;
        report_source_from_run(&rs, &run, it->path, setup, warnings);
        rs.metadata = it->meta;
        if (own_baseline)
            rs.baseline_path = own_baseline->path;
        err = write_report(&run, &rs, ctx, path[OUT_JSON]);
        if (!err && o->html)
            err = write_page(ctx, it, path[OUT_JSON], path[OUT_HTML]);
        else if (!err)
            unlink(path[OUT_HTML]); /* one from an earlier scan shows the earlier analysis */
        if (!err && scan_row_from_run(&row, &run, &rs, &setup->profile, &setup->coaching) != 0)
            err = call_run_spool_errno(&run);
        if (!err) {
            char *report = item_path(NULL, it, OUT_JSON), *html = o->html ? item_path(NULL, it, OUT_HTML) : NULL;
            if (scan_row_set(&row, SC_REPORT, report) != 0 || scan_row_set(&row, SC_HTML, html) != 0)
                err = ENOMEM;
            free(report);
            free(html);
        }
        if (err) {
            char reason[512];
            snprintf(reason, sizeof reason, "cannot write the report: %s", strerror(err));
            scan_row_error(&row, it->path, reason, 1);
            status = CLI_EXIT_FAILURE;
        }
    }
    call_run_release(&run);
    /* A failed recording keeps no report from an earlier scan. */
    if (status != CLI_EXIT_OK) {
        unlink(path[OUT_JSON]);
        unlink(path[OUT_HTML]);
    }
    if (!err) {
        stamp_row(&row, ctx, it);
        err = scan_record_write(path[OUT_RECORD], &row);
    }
    if (err) {
        warn("%s: cannot write its record: %s", path[OUT_RECORD], strerror(err));
        status = CLI_EXIT_FAILURE;
    }
    scan_row_free(&row);
    for (int k = 0; k < ITEM_OUTPUTS; k++)
        free(path[k]);
    return status;
}

/* A record that still describes the recording, made with these settings,
 * whose reports are all there. */
static int up_to_date(const scan_context *ctx, const scan_item *it)
{
    char *record = item_path(ctx->opt->out_dir, it, OUT_RECORD);
    scan_row row = {{0}};
    int fresh = 0;
    if (it->size >= 0 && scan_record_read(record, &row) == 0) {
        scan_row now = {{0}};
        stamp_row(&now, ctx, it);
        char *shown = cli_utf8_clean(it->path); /* as the record, a CSV file, holds it */
        fresh = strcmp(scan_row_get(&row, SC_PATH), shown) == 0 && strcmp(scan_row_get(&row, SC_RETRY), "0") == 0 &&
                same_column(&row, &now, SC_SOURCE_SIZE) && same_column(&row, &now, SC_SOURCE_MTIME) &&
                same_column(&row, &now, SC_SETTINGS);
        scan_row_free(&now);
        free(shown);
        if (fresh && strcmp(scan_row_get(&row, SC_STATUS), "ok") == 0) {
            char *report = item_path(ctx->opt->out_dir, it, OUT_JSON);
            fresh = access(report, F_OK) == 0;
            free(report);
        }
    }
    scan_row_free(&row);
    free(record);
    return fresh;
}

/* For a call whose analysis is up to date, the HTML report --html asks for:
 * kept if it is there as asked for (embedded or not), else drawn from the
 * JSON report and entered in the record. 1 drawn, 0 kept, -1 when it
 * cannot be drawn (the call is then analysed again). */
static int page_from_report(const scan_context *ctx, const scan_item *it)
{
    char *path[ITEM_OUTPUTS];
    for (int k = 0; k < ITEM_OUTPUTS; k++)
        path[k] = item_path(ctx->opt->out_dir, it, (item_output)k);
    scan_row row = {{0}};
    int outcome = -1;
    if (scan_record_read(path[OUT_RECORD], &row) == 0) {
        if (strcmp(scan_row_get(&row, SC_STATUS), "ok") != 0) {
            outcome = 0; /* an error row has no reports */
        } else if (*scan_row_get(&row, SC_HTML) &&
                   report_html_embeds_audio(path[OUT_HTML]) == ctx->opt->embed_audio) {
            outcome = 0;
        } else if (write_page(ctx, it, path[OUT_JSON], path[OUT_HTML]) == 0) {
            char *html = item_path(NULL, it, OUT_HTML);
            if (scan_row_set(&row, SC_HTML, html) == 0 && scan_record_write(path[OUT_RECORD], &row) == 0)
                outcome = 1;
            free(html);
        }
    }
    scan_row_free(&row);
    for (int k = 0; k < ITEM_OUTPUTS; k++)
        free(path[k]);
    return outcome;
}

/* ---- progress ---------------------------------------------------------- */

typedef struct progress {
    int tty, quiet;
    size_t files_total, files_todo, todo_done; /* the rest were up to date */
    int errors;
    double bytes_todo, bytes_done;
    double audio_s;
    double start_s, last_line_s;
    int last_tenth;
} progress;

static void progress_show(progress *p, int final)
{
    if (p->quiet)
        return;
    double now = cli_clock_s(CLOCK_MONOTONIC), elapsed = now - p->start_s;
    int tenth = p->files_todo ? (int)(10 * p->todo_done / p->files_todo) : 10;
    if (!p->tty && tenth == p->last_tenth && (final || now - p->last_line_s < PLAIN_PROGRESS_EVERY_S))
        return;
    p->last_tenth = tenth;
    p->last_line_s = now;
    char eta[32] = "-", rate[32] = "-";
    if (p->bytes_done > 0 && elapsed > 0) {
        cli_format_clock(eta, sizeof eta, (p->bytes_todo - p->bytes_done) * elapsed / p->bytes_done);
        char *dot = strrchr(eta, '.');
        if (dot)
            *dot = '\0';
        snprintf(rate, sizeof rate, "%.0fx", p->audio_s / elapsed);
    }
    char line[256];
    size_t files_done = p->files_total - p->files_todo + p->todo_done;
    snprintf(line, sizeof line, "%zu/%zu files, %.2f h audio, %s real time, %d error%s, ETA %s", files_done,
             p->files_total, p->audio_s / 3600.0, rate, p->errors, p->errors == 1 ? "" : "s", final ? "0:00" : eta);
    if (p->tty) {
        enum { BAR = 24 };
        int filled = p->files_total ? (int)(BAR * files_done / p->files_total) : BAR;
        char bar[BAR + 1];
        for (int i = 0; i < BAR; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[BAR] = '\0';
        fprintf(stderr, "\r\033[K[%s] %s%s", bar, line, final ? "\n" : "");
    } else {
        fprintf(stderr, "callscope: scan: %s\n", line);
    }
    fflush(stderr);
}

/* A message while the bar is on screen: clear the line first. */
static void progress_message(const progress *p, const char *fmt, ...) CLI_PRINTF(2, 3);
static void progress_message(const progress *p, const char *fmt, ...)
{
    if (p->tty && !p->quiet)
        fputs("\r\033[K", stderr);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn("%s", msg);
}

/* ---- workers ----------------------------------------------------------- */

typedef struct worker {
    pid_t pid;        /* 0: free */
    const scan_item *item;
    double deadline_s; /* monotonic; INFINITY without --timeout-per-call */
    int timed_out;    /* stopped for taking too long */
} worker;

static pid_t start_worker(const scan_context *ctx, const scan_item *it)
{
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); /* the scan blocks SIGCHLD to wait for it */
#if defined(__linux__)
    /* A scan killed outright takes its workers with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(CLI_EXIT_FAILURE);
    int status = run_item(ctx, it);
    fflush(stderr);
    _exit(status);
}

/* After a worker ends: its record, or one written here if it left none.
 * Returns 1 for a recording that could not be analysed, 2 for our own
 * failure, 0 for success. */
static int collect_worker(const scan_context *ctx, const worker *w, int wait_status, progress *p)
{
    const scan_item *it = w->item;
    char *record = item_path(ctx->opt->out_dir, it, OUT_RECORD);
    scan_row row = {{0}};
    int exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    int have = (exit_code == CLI_EXIT_OK || exit_code == CLI_EXIT_INPUT || exit_code == CLI_EXIT_FAILURE) &&
               scan_record_read(record, &row) == 0;
    if (!have) {
        char reason[160];
        /* The recording, not the machine, is the likelier cause: not retried
         * by the next scan unless --force. */
        int retry = !w->timed_out;
        if (w->timed_out)
            snprintf(reason, sizeof reason, "the analysis took longer than %g s (--timeout-per-call) and was stopped",
                     ctx->opt->timeout_s);
        else if (WIFSIGNALED(wait_status))
            snprintf(reason, sizeof reason, "the analysis crashed (signal %d); please report it with this recording",
                     WTERMSIG(wait_status));
        else
            snprintf(reason, sizeof reason, "the analysis failed (exit status %d)", exit_code);
        scan_row_error(&row, it->path, reason, retry);
        stamp_row(&row, ctx, it);
        /* A worker stopped early may not have made its folders yet. */
        int err = make_parents(record);
        if (!err)
            err = scan_record_write(record, &row);
        if (err)
            progress_message(p, "%s: cannot write its record: %s", record, strerror(err));
    }
    int outcome = 0;
    if (strcmp(scan_row_get(&row, SC_STATUS), "ok") == 0) {
        p->audio_s += atof(scan_row_get(&row, SC_DURATION));
    } else {
        outcome = strcmp(scan_row_get(&row, SC_RETRY), "1") == 0 ? 2 : 1;
        p->errors++;
        progress_message(p, "%s: %s", it->path, scan_row_get(&row, SC_ERROR));
    }
    scan_row_free(&row);
    free(record);
    return outcome;
}

/* The next worker to end, as waitpid gives it; a worker past its deadline
 * is killed on the way (and ends soon after). SIGCHLD is blocked, so its
 * arrival wakes the wait at once while the deadlines bound it. */
static pid_t wait_for_worker(worker *w, int jobs, int *wait_status)
{
    for (;;) {
        pid_t pid = waitpid(-1, wait_status, WNOHANG);
        if (pid > 0)
            return pid;
        if (pid < 0 && errno != EINTR)
            die(CLI_EXIT_FAILURE, "waiting for the workers: %s", strerror(errno));
        double now = cli_clock_s(CLOCK_MONOTONIC), next = INFINITY;
        for (int k = 0; k < jobs; k++) {
            if (!w[k].pid)
                continue;
            if (w[k].deadline_s <= now) {
                /* Asked first, so it removes its temporaries; told if it
                 * does not listen. */
                kill(w[k].pid, w[k].timed_out ? SIGKILL : SIGTERM);
                w[k].deadline_s = w[k].timed_out ? INFINITY : now + SCAN_KILL_GRACE_S;
                w[k].timed_out = 1;
            }
            if (w[k].deadline_s < next)
                next = w[k].deadline_s;
        }
        /* A SIGCHLD that came since waitpid is still pending (blocked), and
         * waitpid runs first on every call, so no end is missed; the wait is
         * bounded all the same, as a hang should never rest on one signal. */
        double wait_s = next - now < 1.0 ? next - now : 1.0;
        if (wait_s < 0)
            wait_s = 0;
        struct timespec ts = {(time_t)wait_s, (long)((wait_s - floor(wait_s)) * 1e9)};
        sigset_t child;
        sigemptyset(&child);
        sigaddset(&child, SIGCHLD);
        sigtimedwait(&child, NULL, &ts);
    }
}

static int larger_first(const void *a, const void *b)
{
    const scan_item *x = *(const scan_item *const *)a, *y = *(const scan_item *const *)b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return (x > y) - (x < y); /* then in path order */
}

/* Run the workers over the recordings to do; the worst outcome. The largest
 * files go first, so no long call is left running alone at the end. */
static int run_workers(const scan_context *ctx, const scan_item **todo, size_t count, progress *p)
{
    int jobs = ctx->opt->jobs, running = 0, worst = 0;
    worker *w = calloc((size_t)jobs, sizeof *w);
    if (!w)
        die(CLI_EXIT_FAILURE, "out of memory");
    /* Blocked, a worker's SIGCHLD stays pending for wait_for_worker. */
    sigset_t child, before;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child, &before);
    qsort(todo, count, sizeof *todo, larger_first);
    size_t next = 0;
    for (;;) {
        while (running < jobs && next < count) {
            int slot = 0;
            while (w[slot].pid)
                slot++;
            const scan_item *it = todo[next];
            char *record = item_path(ctx->opt->out_dir, it, OUT_RECORD);
            unlink(record); /* until the worker writes a new one, the old one is not true */
            free(record);
            pid_t pid = start_worker(ctx, it);
            if (pid < 0) {
                if (running == 0)
                    die(CLI_EXIT_FAILURE, "cannot start a worker: %s", strerror(errno));
                break; /* try again when one ends */
            }
            w[slot].pid = pid;
            w[slot].item = it;
            w[slot].timed_out = 0;
            w[slot].deadline_s =
                ctx->opt->timeout_s > 0 ? cli_clock_s(CLOCK_MONOTONIC) + ctx->opt->timeout_s : INFINITY;
            next++;
            running++;
        }
        if (running == 0)
            break;
        int wait_status;
        pid_t pid = wait_for_worker(w, jobs, &wait_status);
        int slot = 0;
        while (slot < jobs && w[slot].pid != pid)
            slot++;
        if (slot == jobs)
            continue;
        const scan_item *it = w[slot].item;
        int outcome = collect_worker(ctx, &w[slot], wait_status, p);
        worst = outcome > worst ? outcome : worst;
        w[slot].pid = 0;
        running--;
        p->todo_done++;
        p->bytes_done += it->size > 0 ? (double)it->size : 0;
        progress_show(p, 0);
    }
    sigprocmask(SIG_SETMASK, &before, NULL);
    free(w);
    return worst;
}

/* ---- the scan's own files ---------------------------------------------- */

/* "NAME.tmp.XXXXXX" as atomic_open makes them: the length of NAME, or 0. */
static size_t temporary_of(const char *name)
{
    static const char mark[] = ".tmp.";
    size_t n = strlen(name), tail = sizeof mark - 1 + 6; /* mkstemp's six letters */
    return n > tail && memcmp(name + n - tail, mark, sizeof mark - 1) == 0 ? n - tail : 0;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Remove what a scan killed outright left half-written: temporaries of
 * this scan's recordings (only those, so other shards sharing OUT keep
 * theirs) below dir. */
static void sweep_temporaries(const char *dir, const char *rel, char **keys, size_t nkeys, int depth)
{
    DIR *d = depth < 64 ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *path = cli_strdupf("%s/%s", dir, ent->d_name);
        char *rel_path = *rel ? cli_strdupf("%s/%s", rel, ent->d_name) : cli_strdupf("%s", ent->d_name);
        struct stat st;
        size_t base = temporary_of(rel_path);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            sweep_temporaries(path, rel_path, keys, nkeys, depth + 1);
        } else if (base > 0) {
            rel_path[base] = '\0';
            for (int k = 0; k < ITEM_OUTPUTS; k++) {
                size_t n = strlen(rel_path), s = strlen(output_suffix[k]);
                if (n > s && strcmp(rel_path + n - s, output_suffix[k]) == 0) {
                    rel_path[n - s] = '\0';
                    const char *key = rel_path;
                    if (bsearch(&key, keys, nkeys, sizeof *keys, by_key))
                        unlink(path);
                    break;
                }
            }
        }
        free(rel_path);
        free(path);
    }
    closedir(d);
}

static void sweep_out_dir(const char *out_dir, const char *const *names, const scan_list *l)
{
    DIR *d = opendir(out_dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            size_t base = temporary_of(ent->d_name);
            for (int k = 0; base && names[k]; k++)
                if (strlen(names[k]) == base && strncmp(ent->d_name, names[k], base) == 0) {
                    char *path = cli_strdupf("%s/%s", out_dir, ent->d_name);
                    unlink(path);
                    free(path);
                }
        }
        closedir(d);
    }
    char **keys = malloc((l->count ? l->count : 1) * sizeof *keys);
    if (!keys)
        die(CLI_EXIT_FAILURE, "out of memory");
    for (size_t i = 0; i < l->count; i++)
        keys[i] = l->items[i].key;
    qsort(keys, l->count, sizeof *keys, by_key);
    char *reports = cli_strdupf("%s/reports", out_dir);
    sweep_temporaries(reports, "", keys, l->count, 0);
    free(reports);
    free(keys);
}

/* summary.csv from the records, in path order, with a column for each
 * metadata field in extra_names (scan_record.h). */
static void write_summary(const scan_context *ctx, const scan_list *l, const char *summary_path,
                          const char *extra_names)
{
    atomic_file af;
    cli_output_open(&af, summary_path);
    csv_writer w;
    csv_init(&w, af.fp);
    scan_summary_header(&w, extra_names);
    for (size_t i = 0; i < l->count; i++) {
        const scan_item *it = &l->items[i];
        char *record = item_path(ctx->opt->out_dir, it, OUT_RECORD);
        scan_row row = {{0}};
        int err = scan_record_read(record, &row);
        if (err) {
            char *reason = cli_strdupf("its record %s cannot be read: %s", record, strerror(err));
            scan_row_free(&row);
            scan_row_error(&row, it->path, reason, 1);
            scan_row_set_meta(&row, it->meta);
            free(reason);
        }
        scan_summary_row(&w, &row, extra_names);
        scan_row_free(&row);
        free(record);
    }
    cli_output_close(&af, 0);
}

static void make_out_dir(const char *out_dir)
{
    char *reports = cli_strdupf("%s/reports/", out_dir);
    int err = make_parents(reports);
    free(reports);
    if (err)
        die(CLI_EXIT_FAILURE, "%s: cannot create the output folder: %s", out_dir, strerror(err));
}

/* Hold OUT's lock (see the top of this file) for the rest of the process;
 * exits 1 when another scan holds it and wait is not set. */
static void lock_out_dir(const scan_options *o)
{
    char *common = cli_strdupf("%s/.scan.lock", o->out_dir);
    char *share = o->shard_n > 0 ? cli_strdupf("%s/.scan-%d-of-%d.lock", o->out_dir, o->shard_k, o->shard_n) : NULL;
    const char *paths[2] = {common, share};
    for (int k = 0; k < 2 && paths[k]; k++) {
        int fd = open(paths[k], O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            die(CLI_EXIT_FAILURE, "%s: cannot open the scan's lock: %s", paths[k], strerror(errno));
        int how = k == 0 && share ? LOCK_SH : LOCK_EX;
        if (flock(fd, how | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK)
                die(CLI_EXIT_FAILURE, "%s: cannot lock: %s", paths[k], strerror(errno));
            if (!o->wait_for_lock)
                die(CLI_EXIT_FAILURE, "%s: another scan is writing into this folder%s; wait for it, or give --wait",
                    o->out_dir, share && k == 1 ? " (the same shard)" : "");
            if (!o->quiet)
                warn("%s: another scan is writing into this folder; waiting for it to finish", o->out_dir);
            while (flock(fd, how) != 0)
                if (errno != EINTR)
                    die(CLI_EXIT_FAILURE, "%s: cannot lock: %s", paths[k], strerror(errno));
        }
        /* Kept open (never closed): the lock lasts as long as this scan. */
    }
    free(common);
    free(share);
}

/* ---- metadata ----------------------------------------------------------- */

/* Append the names in `more` (NUL-separated, ending with an empty one) to
 * *names that are not there yet. */
static void add_names(char **names, const char *more)
{
    size_t len = 0;
    while ((*names)[len])
        len += strlen(*names + len) + 1;
    for (const char *n = more; *n; n += strlen(n) + 1) {
        int known = strcmp(n, "agent") == 0 || strcmp(n, "date") == 0 || strcmp(n, "queue") == 0;
        for (const char *m = *names; *m && !known; m += strlen(m) + 1)
            known = strcmp(m, n) == 0;
        if (known)
            continue;
        size_t add = strlen(n) + 1;
        char *grown = realloc(*names, len + add + 1);
        if (!grown)
            die(CLI_EXIT_FAILURE, "out of memory");
        memcpy(grown + len, n, add);
        len += add;
        grown[len] = '\0';
        *names = grown;
    }
}

/* Give each recording its metadata: its manifest row's fields, then what
 * its name holds. Says how many recordings had none and how many manifest
 * rows named no recording of the scan. */
static void attach_metadata(scan_list *l, scan_manifest *m, const scan_options *o)
{
    size_t unlisted = 0, unmatched = 0;
    for (size_t i = 0; i < l->count; i++) {
        scan_item *it = &l->items[i];
        if (o->manifest) {
            struct stat st;
            int known = it->size >= 0 && stat(it->path, &st) == 0 && st.st_dev == it->dev && st.st_ino == it->ino;
            manifest_entry *e = scan_manifest_find(m, it->path, known ? &st : NULL);
            if (e) {
                e->used = 1;
                if (e->meta && !(it->meta = strdup(e->meta)))
                    die(CLI_EXIT_FAILURE, "out of memory");
            } else {
                unlisted++;
            }
        }
        if (o->name_pattern) {
            int rc = call_meta_from_name(o->name_pattern, it->path, &it->meta);
            if (rc < 0)
                die(CLI_EXIT_FAILURE, "out of memory");
            if (rc == 0 && !o->quiet && unmatched++ < 3)
                warn("--name-pattern: %s does not match '%s'", it->path, o->name_pattern);
        }
    }
    if (o->quiet)
        return;
    if (unmatched > 3)
        warn("--name-pattern: %zu recordings in all do not match it", unmatched);
    if (unlisted > 0)
        warn("%s: %zu recording%s of the scan %s no row in it", o->manifest, unlisted, unlisted == 1 ? "" : "s",
             unlisted == 1 ? "has" : "have");
    size_t outside = 0;
    for (size_t i = 0; i < m->count; i++)
        outside += m->entries[i].found && !m->entries[i].used;
    if (outside > 0 && o->shard_n == 0)
        warn("%s: %zu row%s name%s recordings outside this scan", o->manifest, outside, outside == 1 ? "" : "s",
             outside == 1 ? "s" : "");
}

static double children_cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return NAN;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int cmd_scan(int argc, char **argv)
{
    static scan_options o;
    static analysis_setup setup;
    parse_options(&o, &setup, argc, argv);
    analysis_setup_load(&setup);
    scan_context ctx = {&o, &setup, 0, {0}};
    uint64_t fingerprint = analysis_setup_fingerprint(&setup);
    fingerprint = cli_hash_bytes(fingerprint, SCAN_ROW_FORMAT, sizeof SCAN_ROW_FORMAT);
    ctx.fingerprint = fingerprint;
    scan_manifest manifest = {0};
    if (o.manifest)
        scan_manifest_read(&manifest, o.manifest);

    make_out_dir(o.out_dir);
    lock_out_dir(&o);
    scan_list list = {0};
    list.extensions = o.extensions;
    struct stat out_st;
    if (stat(o.out_dir, &out_st) == 0) {
        list.skip_dev = out_st.st_dev;
        list.skip_ino = out_st.st_ino;
        list.have_skip = 1;
    }
    for (int i = 0; i < o.operand_count; i++)
        if (scan_list_add(&list, o.operands[i]) != 0)
            die(CLI_EXIT_FAILURE, "out of memory");
    if (o.files_from) {
        int from_stdin = strcmp(o.files_from, "-") == 0;
        FILE *fp = from_stdin ? stdin : fopen(o.files_from, "rb");
        if (!fp)
            die(CLI_EXIT_USAGE, "%s: cannot open the list of recordings: %s", o.files_from, strerror(errno));
        int rc = scan_list_add_from(&list, fp, o.nul_separated, from_stdin ? "stdin" : o.files_from);
        if (!from_stdin)
            fclose(fp);
        if (rc != 0)
            return CLI_EXIT_FAILURE;
    }
    /* With no recordings named, the manifest's rows are the recordings. */
    int manifest_lists = o.manifest && o.operand_count == 0 && !o.files_from;
    for (size_t i = 0; manifest_lists && i < manifest.count; i++) {
        const manifest_entry *e = &manifest.entries[i];
        if ((e->found || !e->used) && scan_list_add_file(&list, e->path, e->shard_from) != 0)
            die(CLI_EXIT_FAILURE, "out of memory");
    }
    if (scan_list_finish(&list) != 0)
        die(CLI_EXIT_USAGE, "scan: two recordings map to the same report; see above");
    if (o.shard_n > 0)
        scan_list_keep_shard(&list, o.shard_k, o.shard_n);
    attach_metadata(&list, &manifest, &o);
    if (o.baselines_dir)
        scan_baselines_load(&ctx.baselines, o.baselines_dir, &list, o.quiet);
    /* The summary's metadata columns: the manifest's, then the pattern's. */
    char *extra_names = calloc(1, 1);
    if (!extra_names)
        die(CLI_EXIT_FAILURE, "out of memory");
    if (o.manifest)
        add_names(&extra_names, manifest.extra_names);
    if (o.name_pattern) {
        char *names = call_meta_pattern_names(o.name_pattern);
        add_names(&extra_names, names);
        free(names);
    }

    char *summary_name, *queue_name, *index_name;
    if (o.shard_n > 0) {
        summary_name = cli_strdupf("summary-%d-of-%d.csv", o.shard_k, o.shard_n);
        queue_name = cli_strdupf("queue-%d-of-%d.csv", o.shard_k, o.shard_n);
        index_name = cli_strdupf("index-%d-of-%d.html", o.shard_k, o.shard_n);
    } else {
        summary_name = cli_strdupf("summary.csv");
        queue_name = cli_strdupf("queue.csv");
        index_name = cli_strdupf("index.html");
    }
    const char *own_files[] = {summary_name, queue_name, index_name, NULL};
    sweep_out_dir(o.out_dir, own_files, &list);

    const scan_item **todo = malloc((list.count ? list.count : 1) * sizeof *todo);
    if (!todo)
        die(CLI_EXIT_FAILURE, "out of memory");
    progress p = {0};
    p.tty = isatty(STDERR_FILENO);
    p.quiet = o.quiet;
    p.files_total = list.count;
    p.start_s = p.last_line_s = cli_clock_s(CLOCK_MONOTONIC);
    size_t pages_drawn = 0;
    for (size_t i = 0; i < list.count; i++) {
        const scan_item *it = &list.items[i];
        int page = 0;
        if (!o.force && up_to_date(&ctx, it) && (!o.html || (page = page_from_report(&ctx, it)) >= 0)) {
            pages_drawn += page == 1;
        } else {
            todo[p.files_todo++] = it;
            p.bytes_todo += it->size > 0 ? (double)it->size : 0;
        }
    }
    if (!o.quiet)
        warn("scan: %zu recording%s, %zu to analyse with %d worker%s", list.count, list.count == 1 ? "" : "s",
             p.files_todo, o.jobs, o.jobs == 1 ? "" : "s");
    int worst = run_workers(&ctx, todo, p.files_todo, &p);
    if (p.files_todo > 0)
        progress_show(&p, 1);
    double wall_s = cli_clock_s(CLOCK_MONOTONIC) - p.start_s, cpu_s = children_cpu_s();

    char *summary_path = cli_strdupf("%s/%s", o.out_dir, summary_name);
    char *queue_path = cli_strdupf("%s/%s", o.out_dir, queue_name);
    char *index_path = cli_strdupf("%s/%s", o.out_dir, index_name);
    write_summary(&ctx, &list, summary_path, extra_names);
    scan_totals totals;
    char why[512];
    if (scan_queue_write(summary_path, queue_path, &totals, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "%s", why);
    if (scan_dashboard_write(summary_path, index_path, o.out_dir, why, sizeof why) != 0)
        die(CLI_EXIT_FAILURE, "%s", why);
    if (!o.quiet) {
        printf("scanned into %s: %s, %s, %s\n", o.out_dir, summary_name, queue_name, index_name);
        scan_totals_print(stdout, &totals);
        if (p.files_todo > 0)
            printf("worked through %zu recording%s (%.2f h of audio) in %.1f s with %d worker%s: %.0fx real time, "
                   "%.0f s of audio per CPU-second\n",
                   p.files_todo, p.files_todo == 1 ? "" : "s", p.audio_s / 3600.0, wall_s, o.jobs,
                   o.jobs == 1 ? "" : "s", wall_s > 0 ? p.audio_s / wall_s : 0, cpu_s > 0 ? p.audio_s / cpu_s : 0);
        size_t fresh = p.files_total - p.files_todo;
        if (fresh > 0)
            printf("%zu recording%s up to date, not analysed again (--force redoes them)\n", fresh,
                   fresh == 1 ? "" : "s");
        if (pages_drawn > 0)
            printf("%zu HTML report%s drawn from the kept JSON reports\n", pages_drawn, pages_drawn == 1 ? "" : "s");
        if (fflush(stdout) != 0 || ferror(stdout))
            die(CLI_EXIT_FAILURE, "cannot write to stdout");
    }
    /* A manifest row naming a file that does not exist counts as a
     * recording that could not be used (in a manifest-listed scan it has
     * its error row too). */
    int status = worst == 2 ? CLI_EXIT_FAILURE
                 : totals.errors > 0 || list.walk_errors > 0 || manifest.missing > 0 ? CLI_EXIT_INPUT
                                                                                      : CLI_EXIT_OK;
    scan_totals_free(&totals);
    scan_baselines_free(&ctx.baselines);
    scan_manifest_free(&manifest);
    free(extra_names);
    free(summary_path);
    free(queue_path);
    free(index_path);
    free(summary_name);
    free(queue_name);
    free(index_name);
    free(todo);
    scan_list_free(&list);
    free(o.operands);
    free(o.ext_buf);
    return status;
}
