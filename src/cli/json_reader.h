/*
 * Reading a JSON document back from a file a token at a time, so a report
 * on a ten-hour call is read with the same few kilobytes as one on a minute.
 * Used for the tool's own JSON reports (the coach's page is drawn from
 * one), so it checks enough never to loop, overflow or guess, without being
 * a validator: commas and colons are read as separators.
 *
 * A reader reads through its own buffer from its own offset (pread), so
 * several readers can walk one open file side by side (the report's
 * tracks: one array per speaker and quantity, read frame by frame), and a
 * reader copied by assignment is an independent cursor at the same place.
 */
#ifndef CS_CLI_JSON_READER_H
#define CS_CLI_JSON_READER_H

#include <stddef.h>
#include <sys/types.h>

#define JR_BUFFER_BYTES 4096
/* Deeper nesting than this is refused (the report nests 4 deep). */
#define JR_MAX_DEPTH 64

typedef enum json_token {
    JT_ERROR = -1,       /* malformed, or the file could not be read (see jr_errno) */
    JT_END = 0,          /* the end of the file */
    JT_NULL,
    JT_TRUE,
    JT_FALSE,
    JT_NUMBER,
    JT_STRING,
    JT_BEGIN_OBJECT,
    JT_END_OBJECT,
    JT_BEGIN_ARRAY,
    JT_END_ARRAY
} json_token;

typedef struct json_reader {
    int fd;
    off_t base;            /* file offset of buf[0] */
    size_t len, at;        /* bytes in buf; the next one to read */
    int err;               /* sticky: EINVAL malformed, else the errno of a failed read */
    unsigned char buf[JR_BUFFER_BYTES];
} json_reader;

/* Read fd from offset `at`. */
void jr_init(json_reader *r, int fd, off_t at);

/* The file offset of the next token (after separators and white space). */
off_t jr_offset(json_reader *r);

/* The next token. A string's text is decoded into text (UTF-8, cut to fit
 * cap with its NUL; may be NULL to drop it), a number's value into *number
 * (may be NULL). */
json_token jr_next(json_reader *r, char *text, size_t cap, double *number);

/* Skip one whole value (an object or an array with what it holds). 0, or -1. */
int jr_skip(json_reader *r);

/* Inside an object: the next key into key (cut to cap). 1 read (the value
 * comes next), 0 the object ended, -1 malformed. */
int jr_key(json_reader *r, char *key, size_t cap);

/* A number, or NAN for null; -1 (and the value skipped) for anything else. */
int jr_number(json_reader *r, double *value);

/* 0 when nothing went wrong, else EINVAL (malformed) or an errno value. */
int jr_errno(const json_reader *r);

#endif
