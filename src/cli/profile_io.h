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

/* Value of a key known to exist (the key table is compiled in). */
double profile_io_value(const cs_profile *prof, const char *key);

#endif
