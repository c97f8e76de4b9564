/*
 * callscope/common.h: what every part of the library shares: the version,
 * the export macro, error codes, the sample rates accepted and the speakers.
 * Included by every other callscope header.
 */
#ifndef CALLSCOPE_COMMON_H
#define CALLSCOPE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CS_VERSION "0.1.0"

/* Marks the library's public functions: the only symbols libcallscope
 * exports (the rest is built with hidden visibility, so an embedding program
 * may define a function of any other name). */
#if defined(__GNUC__) || defined(__clang__)
#define CS_API __attribute__((visibility("default")))
#else
#define CS_API
#endif

/* ---- errors ------------------------------------------------------------ */

/* Every function that can fail returns CS_OK (0) or a negative CS_E* code. */
enum {
    CS_OK = 0,
    CS_EINVAL = -1,       /* a NULL pointer or an argument out of range */
    CS_ENOMEM = -2,       /* allocation failed (only the open functions allocate, and cs_call's
                             memory store) */
    CS_ESTATE = -3,       /* call not allowed now (e.g. push after finish) */
    CS_ERATE = -4,        /* sample rate outside CS_MIN_RATE_HZ..CS_MAX_RATE_HZ */
    CS_ECHANNELS = -5,    /* channel count or channel map not usable */
    CS_EPROFILE = -6,     /* unknown profile key or a value out of range */
    CS_ENONFINITE = -7,   /* a NaN or infinite sample was pushed */
    CS_EFFT = -8,         /* the FFT library could not plan a transform */
    CS_ESTORE = -9,       /* the call's store could not keep or give back a record */
    CS_EWRITE = -10,      /* the caller's write function failed */
    CS_ECALLBACK = -11,   /* a callback of the caller's asked to stop */
    CS_ECLIPPED = -12     /* a speaker's channel is mostly clipped (input.max_clipped_fraction) */
};

/* A static English description of an error code; never NULL. */
CS_API const char *cs_strerror(int err);

/* Library version string, equal to CS_VERSION of the build. */
CS_API const char *cs_version(void);

#define CS_MIN_RATE_HZ 8000
#define CS_MAX_RATE_HZ 48000

/* ---- speakers ---------------------------------------------------------- */

/* Speakers are roles, not channels: the channel map says which is which. */
enum { CS_AGENT = 0, CS_CUSTOMER = 1, CS_MAX_SPEAKERS = 2 };

/* "agent", "customer", or "none" for a negative index. */
CS_API const char *cs_speaker_name(int speaker);
/* The speaker of a name ("agent", "customer"), or CS_EINVAL. */
CS_API int cs_speaker_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif
