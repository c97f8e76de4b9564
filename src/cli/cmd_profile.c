/*
 * callscope profile: print every threshold with the value in force and what
 * it means. The output is itself a profile file, so it is also the way to
 * start a custom one: `callscope profile > mine.profile`.
 */
#include "cli/cli.h"

#include "cli/profile_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: callscope profile [--list] [--profile FILE] [--set KEY=VALUE]...\n"
    "\n"
    "Print every profile key with the value in force (the built-in defaults, then\n"
    "FILE, then each --set) and a line of help. The output is a valid profile file.\n";

int cmd_profile(int argc, char **argv)
{
    profile_args pa;
    profile_args_init(&pa, argc);
    for (int i = 1; i < argc;) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            profile_args_free(&pa);
            cli_help_exit(usage_text);
        } else if (strcmp(argv[i], "--list") == 0) {
            i++;
        } else if (!profile_args_take(&pa, argc, argv, &i)) {
            die(CLI_EXIT_USAGE, "profile: unknown argument '%s' (see: callscope profile --help)", argv[i]);
        }
    }
    cs_profile prof;
    profile_args_apply(&pa, &prof);

    int width = 0;
    for (int i = 0; i < cs_profile_count(); i++) {
        int len = (int)strlen(cs_profile_key(i));
        width = len > width ? len : width;
    }
    printf("# callscope profile: every key, the value in force, and its meaning\n");
    printf("%-*s = %s\n", width, "name", prof.name);
    for (int i = 0; i < cs_profile_count(); i++) {
        const char *key = cs_profile_key(i);
        double v = profile_io_value(&prof, key);
        char value[32];
        snprintf(value, sizeof value, "%.15g", v);
        const char *help = cs_profile_help(i);
        printf("%-*s = %-8s # %s\n", width, key, value, help ? help : "");
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        die(CLI_EXIT_FAILURE, "cannot write to stdout");
    return CLI_EXIT_OK;
}
