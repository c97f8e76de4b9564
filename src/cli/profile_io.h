/*
 * Building a profile from the command line: built-in defaults, then a
 * profile file (--profile FILE), then each --set key=value in order. The
 * library parses and range-checks; this module does the file I/O and turns
 * failures into usage errors (exit 2) naming the file and line or the key.
 */
#ifndef CS_CLI_PROFILE_IO_H
#define CS_CLI_PROFILE_IO_H

#include "callscope/callscope.h"

/* Profile files larger than this are refused: a real one is a few KiB. */
#define PROFILE_FILE_MAX_BYTES (1024L * 1024L)

/* Apply the file at path on top of prof; exits 2 on any problem. */
void profile_io_load_file(cs_profile *prof, const char *path);

/* Apply one "key=value" on top of prof; exits 2 on any problem. */
void profile_io_apply_set(cs_profile *prof, const char *assignment);

/* --profile FILE and --set KEY=VALUE as every command takes them: collected
 * while the options are parsed, applied once they are all known (the
 * defaults, then the file, then each --set in the order given, wherever the
 * options stood). */
typedef struct profile_args {
    const char *path;   /* --profile, or NULL */
    const char **sets;  /* --set values in order */
    int count;
} profile_args;

/* Room for every --set of argv; exits 1 when out of memory. */
void profile_args_init(profile_args *pa, int argc);

/* If argv[*i] is --profile or --set (either form), take it, advance *i past
 * it and return 1; otherwise 0. */
int profile_args_take(profile_args *pa, int argc, char **argv, int *i);

/* Drop the list without building (e.g. when --help ends the command). */
void profile_args_free(profile_args *pa);

/* Build the profile and free the list; exits 2 on any problem. */
void profile_args_apply(profile_args *pa, cs_profile *prof);

/* Value of a key known to exist (the key table is compiled in). */
double profile_io_value(const cs_profile *prof, const char *key);

#endif
