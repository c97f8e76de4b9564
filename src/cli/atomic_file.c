/* Write-to-temporary-then-rename output files; see atomic_file.h. */
#include "cli/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Temporaries not yet committed, for removal at exit or on a fatal signal.
 * The signal handler may only read these pointers and call unlink(), which
 * is async-signal-safe; a slot is cleared before its string is freed.
 */
#define ATOMIC_MAX_PENDING 16
static char *volatile pending[ATOMIC_MAX_PENDING];
static int cleanup_installed;

static void remove_pending(void)
{
    for (int i = 0; i < ATOMIC_MAX_PENDING; i++) {
        char *p = pending[i];
        if (p)
            unlink(p);
    }
}

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void on_fatal_signal(int sig)
{
    remove_pending();
    /* Die of the same signal so the parent sees the real cause. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_cleanup(void)
{
    if (cleanup_installed)
        return;
    cleanup_installed = 1;
    atexit(remove_pending);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        struct sigaction old;
        /* A signal the caller chose to ignore stays ignored. */
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_fatal_signal;
            sigemptyset(&sa.sa_mask);
            sigaction(fatal_signals[i], &sa, NULL);
        }
    }
}

static int register_pending(char *tmp_path)
{
    for (int i = 0; i < ATOMIC_MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = tmp_path;
            return i;
        }
    return -1; /* still works, only without cleanup on a signal */
}

static void release(atomic_file *af)
{
    if (af->slot >= 0)
        pending[af->slot] = NULL;
    af->slot = -1;
    free(af->tmp_path);
    free(af->path);
    af->tmp_path = NULL;
    af->path = NULL;
    af->fp = NULL;
    af->direct = 0;
}

/* Permissions the final file should have: those of the file it replaces,
 * or what a plain fopen() would give under the current umask. */
static mode_t final_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

static int open_direct(atomic_file *af, const char *path)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return errno;
    af->path = strdup(path);
    if (!af->path || !(af->fp = fdopen(fd, "w"))) {
        int err = af->path ? errno : ENOMEM;
        close(fd);
        release(af);
        return err;
    }
    af->direct = 1;
    return 0;
}

int atomic_open(atomic_file *af, const char *path)
{
    memset(af, 0, sizeof *af);
    af->slot = -1;
    if (strcmp(path, "-") == 0) {
        af->fp = stdout;
        return 0;
    }
    struct stat st;
    if (path[0] == '\0')
        return ENOENT;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return EISDIR;
        /* A device or a pipe is written as it is: renaming a file over it
         * would destroy it (and /dev/null is everybody's). Anything else
         * (a block device, a socket) is left alone. */
        if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
            return ENOTSUP;
        return open_direct(af, path);
    }

    static const char suffix[] = ".tmp.XXXXXX";
    size_t n = strlen(path);
    af->path = malloc(n + 1);
    af->tmp_path = malloc(n + sizeof suffix);
    if (!af->path || !af->tmp_path) {
        release(af);
        return ENOMEM;
    }
    memcpy(af->path, path, n + 1);
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, suffix, sizeof suffix);

    install_cleanup();
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        int err = errno;
        release(af);
        return err;
    }
    af->slot = register_pending(af->tmp_path);
    if (fchmod(fd, final_mode(path)) != 0 || !(af->fp = fdopen(fd, "w"))) {
        int err = errno;
        close(fd);
        unlink(af->tmp_path);
        release(af);
        return err;
    }
    return 0;
}

/* Make the rename itself durable; failure here loses nothing already written. */
static void sync_directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else {
        size_t n = (size_t)(slash - path);
        dir = malloc(n + 1);
        if (dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
        }
    }
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int atomic_commit(atomic_file *af)
{
    if (!af->fp)
        return EINVAL;
    int err = 0;
    errno = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        err = errno ? errno : EIO;
    if (af->direct) { /* a device or a pipe: nothing to rename */
        if (fclose(af->fp) != 0 && !err)
            err = errno ? errno : EIO;
        release(af);
        return err;
    }
    if (!af->tmp_path) { /* stdout: nothing to rename */
        af->fp = NULL;
        return err;
    }
    if (!err && fsync(fileno(af->fp)) != 0)
        err = errno;
    if (fclose(af->fp) != 0 && !err)
        err = errno ? errno : EIO;
    af->fp = NULL;
    if (!err && rename(af->tmp_path, af->path) != 0)
        err = errno;
    if (err)
        unlink(af->tmp_path);
    else
        sync_directory_of(af->path);
    release(af);
    return err;
}

void atomic_abort(atomic_file *af)
{
    if (af->direct) {
        if (af->fp)
            fclose(af->fp);
        release(af);
        return;
    }
    if (!af->tmp_path) {
        af->fp = NULL;
        return;
    }
    if (af->fp)
        fclose(af->fp);
    unlink(af->tmp_path);
    release(af);
}
