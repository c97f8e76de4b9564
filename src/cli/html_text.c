/* Text and links in the tool's HTML pages; see html_text.h. */
#include "cli/html_text.h"

#include "cli/cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void html_escape(FILE *fp, const char *text)
{
    for (const char *s = text; *s; s++) {
        if ((unsigned char)*s >= 0x80) {
            /* Valid UTF-8 as the other outputs (cli.h). */
            size_t bad = 0, len = cli_utf8_sequence((const unsigned char *)s, strlen(s), &bad);
            if (len == 0)
                fputs(CLI_REPLACEMENT_CHARACTER, fp);
            else
                fwrite(s, 1, len, fp);
            s += (len ? len : bad) - 1;
            continue;
        }
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default:
            /* Control characters have no business in a page. */
            fputc((unsigned char)*s < 0x20 && *s != '\t' ? '?' : *s, fp);
        }
    }
}

void html_url_path(FILE *fp, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (strchr(s, ':') && !strchr(s, '/'))
        fputs("./", fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            fputc(*p, fp);
        else
            fprintf(fp, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

void html_nonce(char out[HTML_NONCE_LEN])
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, raw, sizeof raw) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof raw) {
        unsigned long seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        for (size_t i = 0; i < sizeof raw; i++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            raw[i] = (unsigned char)(seed >> 56);
        }
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}
