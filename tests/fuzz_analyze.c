/*
 * fuzz_analyze: a libFuzzer target for the whole path a recording takes,
 * bytes -> decode (libsndfile) -> analysis -> every report and export. The
 * settings vary with the input's last byte (see vary_settings): track frame
 * length, a mono file's one-speaker and agent-second choices, the agent's
 * channel and channel maps, as the command line sets them. Inputs of odd
 * length also go through the live path (live frames, meters, cues and the
 * event stream, as `analyze --events`).
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

static void write_everything(call_run *run, const cs_profile *prof)
{
    const char *warnings[SOURCE_MAX_WARNINGS];
    report_source rs;
    report_source_from_run(&rs, run, input_path, &setup, warnings);
    html_audio audio = {input_path, "/dev/null", 0};
    /* The page is drawn from the JSON report, as the tool draws it. */
    FILE *json = tmpfile();
    if (json && report_json_write(json, run, &rs, prof) == 0)
        report_html_write(sink, fileno(json), &audio);
    if (json)
        fclose(json);
    export_rttm(sink, run, input_path);
    export_labels(sink, run, &setup.coaching);
    export_flags_csv(sink, run, &setup.coaching);
    scan_row row = {{0}};
    scan_row_from_run(&row, run, &rs, prof, &setup.coaching);
    scan_row_free(&row);
}

/* The settings a user may change that steer the analysis down other paths,
 * picked by the input's last byte (the byte is also audio or header, so
 * mutation explores both): bits 0-2 the tracks.hop_s, bit 3 --one-speaker,
 * bit 4 --agent second, bits 5-7 the channels (default, --agent-channel 1,
 * or a --channel-map). Choices the command line would refuse for a file
 * (a map past its channels) are refused by the run the same way. */
static void vary_settings(uint8_t last, cs_profile *prof, channel_choice *ch)
{
    static const char *const hops[] = {NULL, "0.01", "0.05", "0.02", "0.1", "0.25", "1", "0.03"};
    static const int maps[][CS_MAX_SPEAKERS] = {{1, 0}, {0, 2}, {2, 1}, {0, -1}, {1, -1}};
    *prof = setup.profile;
    *ch = setup.channels;
    if (hops[last & 7] && cs_profile_set(prof, "tracks.hop_s", hops[last & 7]) != CS_OK)
        abort(); /* a value the profile accepts: our mistake, not the input's */
    ch->one_speaker = (last >> 3) & 1;
    ch->agent_second = (last >> 4) & 1;
    int channels = last >> 5;
    if (channels == 1)
        ch->agent_channel = 1;
    else if (channels >= 2 && channels - 2 < (int)(sizeof maps / sizeof maps[0])) {
        ch->have_map = 1;
        memcpy(ch->map_channel, maps[channels - 2], sizeof ch->map_channel);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_profile prof;
    channel_choice channels;
    vary_settings(size ? data[size - 1] : 0, &prof, &channels);
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
    int status = call_run_analyze_watched(&run, input_path, view ? &obs : NULL, &prof, &channels, &setup.model, NULL);
    if (view) {
        char why[256];
        live_view_finish(view, status == 0, why, sizeof why);
        live_view_free(view);
    }
    if (status == 0)
        write_everything(&run, &prof);
    call_run_release(&run);
    return 0;
}
