/* Exits 0 when built with AddressSanitizer and LeakSanitizer works here
 * (it cannot under ptrace and in some containers); tests/run.sh asks it
 * before turning leak detection on. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char *p = malloc(16);
    if (!p)
        return 1;
    snprintf(p, 16, "probe");
    free(p);
    return 0;
}
