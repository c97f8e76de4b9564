/*
 * fuzz_analyze: a libFuzzer target for the whole path a recording takes,
 * bytes -> decode (libsndfile) -> analysis -> every report and export, with
 * the built-in settings; inputs of odd length also go through the live path
 * (live frames, meters, cues and the event stream, as `analyze --events`).
 * Built and run by `make fuzz` (clang, with AddressSanitizer and UBSan); the
 * seed corpus comes from scripts/fuzz-corpus.sh. A finding is a crash, a
 * sanitizer report, a leak or a timeout; an input the tool refuses is not one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/analysis_setup.h"
#include "cli/call_run.h"
#include "cli/exports.h"
#include "cli/live_view.h"
#include "cli/report_html.h"
#include "cli/report_json.h"
#include "cli/scan_record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static analysis_setup setup;
static char input_path[64];
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    analysis_setup_init(&setup, "fuzz", 1);
    analysis_setup_load(&setup);
    /* The decoder reads files, so each input becomes one, reused. */
    snprintf(input_path, sizeof input_path, "/tmp/callscope-fuzz.XXXXXX");
    int fd = mkstemp(input_path);
    if (fd < 0 || !(sink = fopen("/dev/null", "w"))) {
        perror("fuzz_analyze");
        exit(1);
    }
    close(fd);
    return 0;
}

static void write_everything(call_run *run)
{
    const char *warnings[SOURCE_MAX_WARNINGS];
    report_source rs;
    report_source_from_run(&rs, run, input_path, &setup, warnings);
    html_audio audio = {input_path, "/dev/null", 0};
    report_json_write(sink, run, &rs, &setup.profile);
    report_html_write(sink, run, &rs, &audio);
    export_rttm(sink, run, input_path);
    export_labels(sink, run, &setup.coaching);
    export_flags_csv(sink, run, &setup.coaching);
    scan_row row = {{0}};
    scan_row_from_run(&row, run, &rs, &setup.profile, &setup.coaching);
    scan_row_free(&row);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = fopen(input_path, "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort(); /* the machine, not the input */
    live_view *view = NULL;
    call_observer obs;
    if (size % 2) {
        live_view_options vo = {sink, LIVE_DISPLAY_NONE, 0, 0};
        if (!(view = live_view_new(&vo, &setup)))
            abort();
        live_view_observer(view, &obs);
    }
    call_run run;
    int status = call_run_analyze_watched(&run, input_path, view ? &obs : NULL, &setup.profile, &setup.channels,
                                          &setup.model, NULL);
    if (view) {
        char why[256];
        live_view_finish(view, status == 0, why, sizeof why);
        live_view_free(view);
    }
    if (status == 0)
        write_everything(&run);
    call_run_release(&run);
    return 0;
}
