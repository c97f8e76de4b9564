/* The JSON writer on a stdio stream; see json_writer.h. */
#include "cli/json_writer.h"

#include <errno.h>

int jw_write_file(void *file, const void *bytes, size_t size)
{
    errno = 0;
    if (fwrite(bytes, 1, size, file) == size)
        return 0;
    return errno ? errno : EIO;
}

void jw_init(json_writer *w, FILE *out) { jw_init_write(w, jw_write_file, out); }
