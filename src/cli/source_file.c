/* Recorded calls through libsndfile; see source_file.h. */
#include "cli/source_file.h"

#include "callscope/callscope.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct source_file {
    SNDFILE *sf;
    FILE *spill;          /* temporary copy of an unseekable input, or NULL */
    int fd;               /* descriptor we opened and must close, or -1 */
    int sample_rate_hz;
    int channels;
    int64_t frames_header; /* what the header promises, for the truncation check */
    int frames_estimated;  /* the format only estimates its length (MP3) */
    int ogg_unended;       /* an Ogg stream whose last page is not its end */
    int64_t frames_read;
    int at_end;
    int stopped_early;     /* a decode error ended the stream */
    int warning_count;
    char warnings[SOURCE_MAX_WARNINGS][SOURCE_WARNING_MAX];
};

void source_file_add_warning(source_file *src, const char *text)
{
    if (src->warning_count < SOURCE_MAX_WARNINGS)
        snprintf(src->warnings[src->warning_count++], SOURCE_WARNING_MAX, "%s", text);
}

/* ---- naming the format ---------------------------------------------------- */

static const char *major_name(int major)
{
    switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX: return "wav";
    case SF_FORMAT_RF64: return "rf64";
    case SF_FORMAT_W64: return "w64";
    case SF_FORMAT_AIFF: return "aiff";
    case SF_FORMAT_AU: return "au";
    case SF_FORMAT_FLAC: return "flac";
    case SF_FORMAT_OGG: return "ogg";
    case SF_FORMAT_CAF: return "caf";
    case SF_FORMAT_NIST: return "nist";
    case SF_FORMAT_RAW: return "raw";
    default: return NULL;
    }
}

static const char *subtype_name(int sub)
{
    switch (sub) {
    case SF_FORMAT_PCM_S8: return "pcm8";
    case SF_FORMAT_PCM_U8: return "pcmu8";
    case SF_FORMAT_PCM_16: return "pcm16";
    case SF_FORMAT_PCM_24: return "pcm24";
    case SF_FORMAT_PCM_32: return "pcm32";
    case SF_FORMAT_FLOAT: return "float";
    case SF_FORMAT_DOUBLE: return "double";
    case SF_FORMAT_ULAW: return "ulaw";
    case SF_FORMAT_ALAW: return "alaw";
    case SF_FORMAT_IMA_ADPCM: return "ima_adpcm";
    case SF_FORMAT_MS_ADPCM: return "ms_adpcm";
    case SF_FORMAT_GSM610: return "gsm";
    case SF_FORMAT_G721_32: return "g721";
    case SF_FORMAT_G723_24:
    case SF_FORMAT_G723_40: return "g723";
    case SF_FORMAT_VORBIS: return "vorbis";
    case SF_FORMAT_OPUS: return "opus";
    case SF_FORMAT_ALAC_16:
    case SF_FORMAT_ALAC_20:
    case SF_FORMAT_ALAC_24:
    case SF_FORMAT_ALAC_32: return "alac";
    default: return NULL;
    }
}

static void format_name(int format, char *buf, size_t cap)
{
    int major = format & SF_FORMAT_TYPEMASK, sub = format & SF_FORMAT_SUBMASK;
    if (major == SF_FORMAT_MPEG) {
        snprintf(buf, cap, "%s", sub == SF_FORMAT_MPEG_LAYER_I ? "mp1"
                                 : sub == SF_FORMAT_MPEG_LAYER_II ? "mp2" : "mp3");
        return;
    }
    const char *m = major_name(major);
    char ext[16] = "audio";
    if (!m) {
        /* Formats we have no short name for: libsndfile's file extension. */
        SF_FORMAT_INFO fi;
        memset(&fi, 0, sizeof fi);
        fi.format = major;
        if (sf_command(NULL, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.extension)
            snprintf(ext, sizeof ext, "%s", fi.extension);
        m = ext;
    }
    const char *s = subtype_name(sub);
    snprintf(buf, cap, "%s/%s", m, s ? s : "other");
}

/* ---- truncation ------------------------------------------------------------- */

/*
 * libsndfile quietly shortens a WAV, AIFF or AU whose data chunk runs past
 * the end of the file, and records it in its log only ("data : 96000
 * (should be 19956)"). Recover the declared length from that line, scaled
 * from bytes to frames by the ratio to what is present.
 */
static int64_t declared_frames_from_log(SNDFILE *sf, int64_t frames)
{
    char *log = malloc(16384);
    int64_t declared_frames = frames;
    if (!log)
        return frames;
    sf_command(sf, SFC_GET_LOG_INFO, log, 16384);
    log[16383] = '\0';
    for (char *line = log; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *colon = strchr(line, ':');
        char *should = strstr(line, "(should be ");
        if (colon && should) {
            char label[32];
            const char *s = line;
            while (isspace((unsigned char)*s))
                s++;
            size_t n = (size_t)(colon - s);
            while (n > 0 && isspace((unsigned char)s[n - 1]))
                n--;
            if (n < sizeof label) {
                memcpy(label, s, n);
                label[n] = '\0';
                long long said = strtoll(colon + 1, NULL, 10);
                long long present = strtoll(should + 11, NULL, 10);
                /* Streaming writers put 0xFFFFFFFF or similar for "unknown
                 * length"; that is not a truncation. */
                int chunk = !strcmp(label, "data") || !strcmp(label, "SSND") ||
                            !strcmp(label, "Data Size");
                if (chunk && present > 0 && said > present && said < 0x7FFF0000LL)
                    declared_frames = (int64_t)((double)frames * (double)said / (double)present);
            }
        }
        line = next;
    }
    free(log);
    return declared_frames;
}

/*
 * An Ogg file states no length up front: libsndfile takes it from the last
 * page present, so a file cut anywhere reads as a shorter, whole one. But a
 * complete stream's last page carries the end-of-stream flag (RFC 3533):
 * find the last page header in the file's tail and look at it.
 */
static int ogg_lacks_end(int fd)
{
    enum { TAIL = 65536, HEADER = 27 };
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < HEADER)
        return 0;
    off_t from = st.st_size > TAIL ? st.st_size - TAIL : 0;
    unsigned char *tail = malloc(TAIL);
    ssize_t n = tail ? pread(fd, tail, TAIL, from) : -1;
    int unended = 0;
    for (ssize_t i = n - HEADER; i >= 0; i--)
        if (memcmp(tail + i, "OggS", 4) == 0 && tail[i + 4] == 0) {
            unended = !(tail[i + 5] & 0x04);
            break;
        }
    free(tail);
    return unended;
}

static void check_truncation(source_file *src)
{
    if (src->ogg_unended) {
        char text[SOURCE_WARNING_MAX];
        snprintf(text, sizeof text, "truncated: the Ogg stream stops without its end, after %.3f s",
                 (double)src->frames_read / src->sample_rate_hz);
        source_file_add_warning(src, text);
        return;
    }
    int64_t missing = src->frames_header - src->frames_read;
    if (src->frames_header <= 0 || src->frames_header == (int64_t)SF_COUNT_MAX || missing <= 0)
        return;
    /* An MP3 without an exact length header only estimates its frame count. */
    if (src->frames_estimated && missing < src->frames_header / 100 + 4608)
        return;
    char text[SOURCE_WARNING_MAX];
    snprintf(text, sizeof text, "truncated: header says %.3f s, read %.3f s",
             (double)src->frames_header / src->sample_rate_hz,
             (double)src->frames_read / src->sample_rate_hz);
    source_file_add_warning(src, text);
}

/* ---- opening ------------------------------------------------------------------ */

static source_limits limits = {(int64_t)SOURCE_SPOOL_LIMIT_MB << 20, SOURCE_INPUT_WAIT_S};

void source_file_set_limits(const source_limits *l) { limits = *l; }

/* Copy everything from fd into an unlinked temporary file (closing it
 * removes it, so a refused input leaves nothing behind). */
static int spill_to_tmpfile(int fd, FILE **out, int64_t *bytes, char *why, size_t why_cap)
{
    FILE *tmp = tmpfile();
    if (!tmp) {
        snprintf(why, why_cap, "cannot create a temporary file to buffer the input: %s",
                 strerror(errno));
        return SOURCE_ESYSTEM;
    }
    char *buf = malloc(1 << 16);
    if (!buf) {
        fclose(tmp);
        snprintf(why, why_cap, "out of memory");
        return SOURCE_ESYSTEM;
    }
    int64_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, 1 << 16);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(why, why_cap, "read error: %s", strerror(errno));
            free(buf);
            fclose(tmp);
            return SOURCE_EINPUT;
        }
        if (n == 0)
            break;
        if (total + n > limits.spool_max_bytes) {
            snprintf(why, why_cap, "input longer than the spool limit of %lld MB (--spool-limit)",
                     (long long)(limits.spool_max_bytes >> 20));
            free(buf);
            fclose(tmp);
            return SOURCE_EINPUT;
        }
        if (fwrite(buf, 1, (size_t)n, tmp) != (size_t)n) {
            snprintf(why, why_cap, "cannot buffer the input in a temporary file: %s",
                     strerror(errno));
            free(buf);
            fclose(tmp);
            return SOURCE_ESYSTEM;
        }
        total += n;
    }
    free(buf);
    if (fflush(tmp) != 0 || lseek(fileno(tmp), 0, SEEK_SET) != 0) {
        snprintf(why, why_cap, "cannot buffer the input in a temporary file: %s", strerror(errno));
        fclose(tmp);
        return SOURCE_ESYSTEM;
    }
    *out = tmp;
    *bytes = total;
    return SOURCE_OK;
}

/* Whether the first bytes of the file look like text rather than audio. */
static int looks_like_text(int fd)
{
    unsigned char head[512];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = head[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            return 0;
        if (c == 0x7f)
            return 0;
    }
    return 1;
}

static void explain_open_failure(int fd, int64_t bytes, char *why, size_t why_cap)
{
    int err = sf_error(NULL);
    /* "Error in WAV/W64/RF64 file. Malformed 'fmt ' chunk." -> the last sentence. */
    char lib[128];
    snprintf(lib, sizeof lib, "%s", sf_strerror(NULL));
    size_t n = strlen(lib);
    if (n > 0 && lib[n - 1] == '.')
        lib[--n] = '\0';
    const char *last = strstr(lib, ". ");
    for (const char *p = last; p; p = strstr(p + 2, ". "))
        last = p;
    if (last)
        memmove(lib, last + 2, strlen(last + 2) + 1);
    if (looks_like_text(fd))
        snprintf(why, why_cap, "not an audio file (it contains text)");
    else if (err == SF_ERR_UNRECOGNISED_FORMAT)
        snprintf(why, why_cap, "not a recognised audio format");
    else if (err == SF_ERR_UNSUPPORTED_ENCODING)
        snprintf(why, why_cap, "unsupported audio encoding (%s)", lib);
    else if (err == SF_ERR_SYSTEM)
        snprintf(why, why_cap, "cannot read: %s", lib);
    else if (bytes < 64)
        snprintf(why, why_cap, "truncated header (%lld bytes: %s)", (long long)bytes, lib);
    else
        snprintf(why, why_cap, "corrupt or truncated header (%s)", lib);
}

/* A named pipe opened without waiting: wait at most fifo_wait_s for its
 * writer's first bytes (or its close), then read it as any pipe. */
static int wait_for_writer(int fd, char *why, size_t why_cap)
{
    struct pollfd p = {fd, POLLIN, 0};
    double wait_ms = limits.fifo_wait_s * 1000.0;
    int rc;
    do
        rc = poll(&p, 1, wait_ms < INT_MAX ? (int)wait_ms : INT_MAX);
    while (rc < 0 && errno == EINTR);
    if (rc <= 0) {
        snprintf(why, why_cap, "named pipe: nothing written to it within %g s (--input-wait)", limits.fifo_wait_s);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        snprintf(why, why_cap, "cannot read: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int fail_open(source_file *src, int code)
{
    source_file_close(src);
    return code;
}

int source_file_open(source_file **out, const char *path, source_info *info,
                     char *why, size_t why_cap)
{
    *out = NULL;
    memset(info, 0, sizeof *info);
    snprintf(why, why_cap, "unknown error");
    source_file *src = calloc(1, sizeof *src);
    if (!src) {
        snprintf(why, why_cap, "out of memory");
        return SOURCE_ESYSTEM;
    }

    src->fd = -1;
    int is_stdin = strcmp(path, "-") == 0;
    int fd = STDIN_FILENO;
    if (!is_stdin) {
        struct stat named;
        int fifo = stat(path, &named) == 0 && S_ISFIFO(named.st_mode);
        /* A named pipe's open would wait for a writer, for ever if none comes. */
        fd = src->fd = open(path, O_RDONLY | (fifo ? O_NONBLOCK : 0));
        if (fd < 0) {
            snprintf(why, why_cap, "cannot open: %s", strerror(errno));
            return fail_open(src, SOURCE_EINPUT);
        }
        if (fifo && wait_for_writer(fd, why, why_cap) != 0)
            return fail_open(src, SOURCE_EINPUT);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        return fail_open(src, SOURCE_EINPUT);
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(why, why_cap, "is a directory");
        return fail_open(src, SOURCE_EINPUT);
    }

    int64_t bytes = (int64_t)st.st_size;
    int sf_fd = fd;
    if (!S_ISREG(st.st_mode) || lseek(fd, 0, SEEK_CUR) != 0) {
        /* Pipes and terminals: libsndfile needs to seek for most formats. */
        int rc = spill_to_tmpfile(fd, &src->spill, &bytes, why, why_cap);
        if (rc < 0)
            return fail_open(src, rc);
        sf_fd = fileno(src->spill);
    }
    if (bytes == 0) {
        snprintf(why, why_cap, is_stdin ? "empty input" : "empty file");
        return fail_open(src, SOURCE_EINPUT);
    }

    SF_INFO sfi;
    memset(&sfi, 0, sizeof sfi);
    /* libsndfile closes the descriptor it is given even when asked not to
     * if the open fails, so it gets a duplicate of its own. */
    int lib_fd = dup(sf_fd);
    if (lib_fd < 0) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        return fail_open(src, SOURCE_ESYSTEM);
    }
    src->sf = sf_open_fd(lib_fd, SFM_READ, &sfi, SF_TRUE);
    if (!src->sf) {
        explain_open_failure(sf_fd, bytes, why, why_cap);
        return fail_open(src, SOURCE_EINPUT);
    }

    if (sfi.samplerate < CS_MIN_RATE_HZ || sfi.samplerate > CS_MAX_RATE_HZ) {
        snprintf(why, why_cap, "sample rate %d Hz is outside %d-%d Hz", sfi.samplerate,
                 CS_MIN_RATE_HZ, CS_MAX_RATE_HZ);
        return fail_open(src, SOURCE_EINPUT);
    }
    if (sfi.channels < 1 || sfi.channels > CS_MAX_INPUT_CHANNELS) {
        snprintf(why, why_cap, "%d channels: 1 to %d are supported", sfi.channels,
                 CS_MAX_INPUT_CHANNELS);
        return fail_open(src, SOURCE_EINPUT);
    }
    if (sfi.frames <= 0) {
        snprintf(why, why_cap, "no audio in the file (0 frames)");
        return fail_open(src, SOURCE_EINPUT);
    }

    /* Integer formats scaled to -1..1; float data passed through as stored,
     * so overload above full scale stays visible to the clipping check. */
    sf_command(src->sf, SFC_SET_NORM_FLOAT, NULL, SF_TRUE);
    sf_command(src->sf, SFC_SET_CLIPPING, NULL, SF_FALSE);

    src->sample_rate_hz = sfi.samplerate;
    src->channels = sfi.channels;
    src->frames_header = declared_frames_from_log(src->sf, (int64_t)sfi.frames);
    src->frames_estimated = (sfi.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
    src->ogg_unended = (sfi.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG && ogg_lacks_end(sf_fd);

    info->sample_rate_hz = sfi.samplerate;
    info->channels = sfi.channels;
    info->frames = (int64_t)sfi.frames;
    format_name(sfi.format, info->format, sizeof info->format);
    why[0] = '\0';
    *out = src;
    return SOURCE_OK;
}

/* ---- reading ------------------------------------------------------------------- */

/* libsndfile's message without its "Error : " prefix and final period. */
static void library_reason(SNDFILE *sf, char *buf, size_t cap)
{
    const char *msg = sf_strerror(sf);
    if (strncmp(msg, "Error : ", 8) == 0)
        msg += 8;
    snprintf(buf, cap, "%s", msg);
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '.')
        buf[n - 1] = '\0';
}

long source_file_read(source_file *src, float *frames, size_t nframes, char *why, size_t why_cap)
{
    if (src->at_end || nframes == 0)
        return 0;
    if (nframes > (size_t)1 << 24)
        nframes = (size_t)1 << 24;
    sf_count_t n = sf_readf_float(src->sf, frames, (sf_count_t)nframes);
    if (n < 0)
        n = 0;
    if (n < (sf_count_t)nframes && sf_error(src->sf) != SF_ERR_NO_ERROR) {
        char reason[96];
        library_reason(src->sf, reason, sizeof reason);
        if (src->frames_read + n == 0) {
            snprintf(why, why_cap, "cannot decode: %s", reason);
            return SOURCE_EINPUT;
        }
        /* A recording cut off mid-stream (a FLAC or MP3 whose end is
         * missing) is still worth analysing up to the damage. */
        char text[SOURCE_WARNING_MAX];
        snprintf(text, sizeof text, "damaged or truncated: decoding stopped at %.3f s of %.3f s (%s)",
                 (double)(src->frames_read + n) / src->sample_rate_hz,
                 (double)src->frames_header / src->sample_rate_hz, reason);
        source_file_add_warning(src, text);
        src->stopped_early = 1;
        src->at_end = 1;
    }
    if (n == 0) {
        if (!src->stopped_early)
            check_truncation(src);
        src->at_end = 1;
        return 0;
    }
    /* Only float files can hold these, but the check is cheap next to the
     * analysis and gives the exact time, which the library cannot. */
    size_t nsamples = (size_t)n * (size_t)src->channels;
    for (size_t i = 0; i < nsamples; i++) {
        if (!isfinite(frames[i])) {
            int64_t frame = src->frames_read + (int64_t)(i / (size_t)src->channels);
            snprintf(why, why_cap, "NaN or infinite sample at %.3f s (channel %d)",
                     (double)frame / src->sample_rate_hz, (int)(i % (size_t)src->channels));
            return SOURCE_EINPUT;
        }
    }
    src->frames_read += n;
    return (long)n;
}

int64_t source_file_frames_read(const source_file *src) { return src->frames_read; }

int source_file_warning_count(const source_file *src) { return src->warning_count; }

const char *source_file_warning(const source_file *src, int i)
{
    return i >= 0 && i < src->warning_count ? src->warnings[i] : NULL;
}

void source_file_close(source_file *src)
{
    if (!src)
        return;
    if (src->sf)
        sf_close(src->sf);
    if (src->spill)
        fclose(src->spill);
    if (src->fd >= 0)
        close(src->fd);
    free(src);
}

/* ---- a copy browsers play -------------------------------------------------------- */

int source_file_copy_wav16(const char *path, FILE *out, char *why, size_t why_cap)
{
    source_file *src;
    source_info info;
    int rc = source_file_open(&src, path, &info, why, why_cap);
    if (rc < 0)
        return rc;
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    oi.samplerate = info.sample_rate_hz;
    oi.channels = info.channels;
    oi.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    /* libsndfile closes what it is given when it fails: a duplicate. */
    int lib_fd = dup(fileno(out));
    SNDFILE *wav = lib_fd >= 0 ? sf_open_fd(lib_fd, SFM_WRITE, &oi, SF_TRUE) : NULL;
    float *block = malloc((size_t)SOURCE_BLOCK_FRAMES * (size_t)info.channels * sizeof *block);
    long n = SOURCE_ESYSTEM;
    if (!wav || !block) {
        snprintf(why, why_cap, "cannot make a WAV copy: %s", wav ? "out of memory" : sf_strerror(NULL));
    } else {
        /* Float files may exceed full scale: clipped, not wrapped round. */
        sf_command(wav, SFC_SET_CLIPPING, NULL, SF_TRUE);
        while ((n = source_file_read(src, block, SOURCE_BLOCK_FRAMES, why, why_cap)) > 0)
            if (sf_writef_float(wav, block, n) != n) {
                snprintf(why, why_cap, "cannot write the WAV copy: %s", sf_strerror(wav));
                n = SOURCE_ESYSTEM;
                break;
            }
    }
    if (wav && sf_close(wav) != 0 && n == 0) {
        snprintf(why, why_cap, "cannot write the WAV copy");
        n = SOURCE_ESYSTEM;
    }
    free(block);
    source_file_close(src);
    return n < 0 ? (int)n : SOURCE_OK;
}
