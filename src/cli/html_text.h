/*
 * Text and links in the HTML pages the tool writes (the coach's report, the
 * scan's dashboard): whatever a file name or a manifest holds comes out as
 * inert text and as links that cannot leave their attribute.
 */
#ifndef CS_CLI_HTML_TEXT_H
#define CS_CLI_HTML_TEXT_H

#include <stdio.h>

/* text escaped for an element or a quoted attribute: & < > " ' as
 * entities, ill-formed UTF-8 as U+FFFD (cli.h), control characters but tab
 * as '?'. */
void html_escape(FILE *fp, const char *text);

/* A file path as a URL path: every byte but letters, digits and -._~/
 * percent-encoded, and "./" in front of a first part that could read as a
 * scheme ("a:b"). */
void html_url_path(FILE *fp, const char *path);

/* A fresh nonce for a page's Content-Security-Policy: 32 hex digits from
 * the system's random source (or, failing that, the clock and the process),
 * so nothing the page shows can guess it. */
#define HTML_NONCE_LEN 33
void html_nonce(char out[HTML_NONCE_LEN]);

#endif
