/* Diagnostics and option helpers shared by every subcommand. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vmessage(const char *fmt, va_list ap)
{
    /* One line per diagnostic: build it whole so that concurrent writers
     * (a batch running several of us) do not interleave halves of lines. */
    char line[1024];
    int n = snprintf(line, sizeof line, "%s: ", CLI_NAME);
    if (n < 0)
        n = 0;
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    cli_sanitize(line);
    fflush(stdout);
    fprintf(stderr, "%s\n", line);
}

void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    exit(status);
}

void cli_usage_error(const char *command, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die(CLI_EXIT_USAGE, "%s (see: callscope %s --help)", msg, command);
}

void cli_help_exit(const char *text)
{
    fputs(text, stdout);
    exit(fflush(stdout) == 0 && !ferror(stdout) ? CLI_EXIT_OK : CLI_EXIT_FAILURE);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        *i += 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        die(CLI_EXIT_USAGE, "option %s needs a value", name);
    *value = argv[*i + 1];
    *i += 2;
    return 1;
}

char *cli_read_text_file(const char *path, const char *what, long max_bytes)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die(CLI_EXIT_USAGE, "%s: cannot open %s: %s", path, what, strerror(errno));
    char *text = malloc((size_t)max_bytes + 1);
    if (!text)
        die(CLI_EXIT_FAILURE, "%s: out of memory", path);
    size_t n = fread(text, 1, (size_t)max_bytes + 1, fp);
    int read_errno = errno;
    int failed = ferror(fp);
    fclose(fp);
    if (failed)
        die(CLI_EXIT_USAGE, "%s: cannot read %s: %s", path, what, strerror(read_errno));
    if (n > (size_t)max_bytes)
        die(CLI_EXIT_USAGE, "%s: %s file is larger than %ld KiB", path, what, max_bytes / 1024);
    if (memchr(text, '\0', n))
        die(CLI_EXIT_USAGE, "%s: not a %s (binary data)", path, what);
    text[n] = '\0';
    return text;
}

int cli_parse_int(const char *text, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/*
 * Length of the well-formed UTF-8 sequence at s (1-4), or 0 when it is
 * ill-formed; then *bad_len is the length of its maximal subpart, the bytes
 * that one U+FFFD replaces (the Unicode Standard's recommended practice,
 * section 3.9). The ranges below exclude overlong forms, the UTF-16
 * surrogates U+D800-U+DFFF and anything above U+10FFFF.
 */
char *cli_utf8_clean(const char *text)
{
    size_t n = strlen(text), out = 0;
    /* A replacement is 3 bytes for at least 1 replaced. */
    char *clean = malloc(3 * n + 1);
    if (!clean)
        die(CLI_EXIT_FAILURE, "out of memory");
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        size_t bad = 0, len = cli_utf8_sequence(s + i, n - i, &bad);
        if (len == 0) {
            memcpy(clean + out, CLI_REPLACEMENT_CHARACTER, 3);
            out += 3;
            i += bad;
        } else {
            memcpy(clean + out, s + i, len);
            out += len;
            i += len;
        }
    }
    clean[out] = '\0';
    return clean;
}

int cli_parse_double(const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

void cli_format_clock(char *buf, size_t cap, double s)
{
    if (!isfinite(s) || s < 0) {
        snprintf(buf, cap, "-");
        return;
    }
    long tenths = lround(s * 10.0);
    long h = tenths / 36000, m = tenths / 600 % 60;
    double sec = (double)(tenths % 600) / 10.0;
    if (h > 0)
        snprintf(buf, cap, "%ld:%02ld:%04.1f", h, m, sec);
    else
        snprintf(buf, cap, "%ld:%04.1f", m, sec);
}

void cli_output_open(atomic_file *af, const char *path)
{
    int err = atomic_open(af, path);
    if (err == ENOTSUP)
        die(CLI_EXIT_FAILURE, "%s: cannot write: not a regular file, character device or FIFO", path);
    if (err)
        die(CLI_EXIT_FAILURE, "%s: cannot write: %s", path, strerror(err));
}

void cli_output_close(atomic_file *af, int write_err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", af->path ? af->path : "-");
    if (write_err) {
        atomic_abort(af);
        die(CLI_EXIT_FAILURE, "%s: cannot write: %s", path, strerror(write_err));
    }
    int err = atomic_commit(af);
    if (err)
        die(CLI_EXIT_FAILURE, "%s: cannot write: %s", path, strerror(err));
}

uint64_t cli_hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

char *cli_strdupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!p)
        die(CLI_EXIT_FAILURE, "out of memory");
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void cli_sanitize(char *text)
{
    for (char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

double cli_clock_s(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0)
        return NAN;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
