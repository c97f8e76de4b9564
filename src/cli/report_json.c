/* What a report says of its run, and the JSON report to a file; see report_json.h. */
#include "cli/report_json.h"

#include "cli/analysis_setup.h"
#include "cli/call_meta.h"
#include "cli/json_writer.h"

#include <errno.h>
#include <math.h>

void report_source_from_run(report_source *rs, const call_run *run, const char *path,
                            const analysis_setup *setup, const char **warnings)
{
    int count = run->src ? source_file_warning_count(run->src) : 0;
    for (int i = 0; i < count; i++)
        warnings[i] = source_file_warning(run->src, i);
    rs->path = path;
    rs->duration_s = (double)run->frames / run->info.sample_rate_hz;
    rs->sample_rate_hz = run->info.sample_rate_hz;
    rs->channels = run->info.channels;
    rs->format = run->info.format;
    rs->speaker_channel[CS_AGENT] = run->map[CS_AGENT];
    rs->speaker_channel[CS_CUSTOMER] = run->map[CS_CUSTOMER];
    rs->two_party = run->res.two_party;
    rs->diarized = run->diarized;
    rs->upmixed = run->upmixed;
    rs->voices = run->sum.any_speech ? run->sum.voices : 0;
    rs->separation_confidence = run->sum.separation_confidence;
    rs->separation_doubtful = run->sum.separation_doubtful;
    rs->warnings = warnings;
    rs->warning_count = count;
    rs->baseline_path = setup->baseline_path;
    rs->tone_model = setup->model.name;
    rs->coaching = &setup->coaching;
    rs->call = run->call;
    rs->metadata = NULL;
}

int report_flag_count(const call_run *run) { return (int)run->res.flag_count; }

const char *report_doubt_note(const report_source *src) { return cs_call_doubt_note(src->call); }

const char *report_source_note(const report_source *src) { return cs_call_source_note(src->call); }

typedef struct file_sink {
    FILE *fp;
    int err;        /* the first failed write's errno */
} file_sink;

static int write_sink(void *user, const void *bytes, size_t size)
{
    file_sink *sink = user;
    int err = jw_write_file(sink->fp, bytes, size);
    if (err && !sink->err)
        sink->err = err;
    return err;
}

int report_json_write(FILE *fp, call_run *run, const report_source *src, const cs_profile *prof)
{
    (void)prof; /* the run's own, which the call holds */
    cs_report_source rs = {src->path, src->format, src->warnings, src->warning_count, src->baseline_path,
                           run->cpu_s, run->wall_s, src->coaching, NULL, 0};
    char **pairs = NULL;
    if (src->metadata) {
        rs.metadata_count = call_meta_pairs(src->metadata, &pairs);
        if (rs.metadata_count < 0)
            return ENOMEM;
        rs.metadata = (const char *const *)pairs;
    }
    file_sink sink = {fp, 0};
    int err = cs_call_write_report(run->call, &rs, write_sink, &sink);
    call_meta_pairs_free(pairs, rs.metadata_count);
    if (err == CS_EWRITE)
        return sink.err;
    if (err == CS_ESTORE)
        return call_run_spool_errno(run);
    if (err < 0)
        return EINVAL; /* the report could not be written at all: a bug here */
    errno = 0;
    if (fflush(fp) != 0 || ferror(fp))
        return errno ? errno : EIO;
    return 0;
}
