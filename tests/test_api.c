/*
 * API misuse and the small contract functions: every bad argument is refused
 * with its code, failed opens leave the handle NULL (and leak nothing under
 * the sanitizers), and the stream state machine refuses calls out of order.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "callscope/callscope.h"
#include "check.h"

static int open_with(int rate, int channels, int agent_ch, int customer_ch)
{
    cs_profile prof;
    cs_profile_default(&prof);
    cs_config cfg;
    cs_config_default(&cfg, rate, channels >= 1 ? channels : 2);
    cfg.sample_rate_hz = rate;
    cfg.channels = channels;
    cfg.speaker_channel[CS_AGENT] = agent_ch;
    cfg.speaker_channel[CS_CUSTOMER] = customer_ch;
    cs_analyzer *a = (cs_analyzer *)&prof; /* not NULL, so a failed open must clear it */
    int err = cs_open(&a, &cfg, &prof);
    if (err < 0) {
        if (!CHECK(a == NULL))
            printf("    failed open (rate %d, channels %d) left the handle set\n", rate, channels);
    } else {
        CHECK(a != NULL);
        cs_close(a);
    }
    return err;
}

static void test_open(void)
{
    cs_profile prof;
    cs_profile_default(&prof);
    cs_config cfg;
    cs_config_default(&cfg, 16000, 2);
    cs_analyzer *a;

    check_case("cs_config_default");
    CHECK_INT(cfg.sample_rate_hz, 16000);
    CHECK_INT(cfg.channels, 2);
    CHECK_INT(cfg.speaker_channel[CS_AGENT], 0);
    CHECK_INT(cfg.speaker_channel[CS_CUSTOMER], 1);
    cs_config mono;
    cs_config_default(&mono, 8000, 1);
    CHECK_INT(mono.speaker_channel[CS_AGENT], 0);
    CHECK_INT(mono.speaker_channel[CS_CUSTOMER], -1);

    check_case("cs_open with NULL arguments");
    a = (cs_analyzer *)&cfg;
    CHECK_INT(cs_open(&a, NULL, &prof), CS_EINVAL);
    CHECK(a == NULL);
    a = (cs_analyzer *)&cfg;
    CHECK_INT(cs_open(&a, &cfg, NULL), CS_EINVAL);
    CHECK(a == NULL);
    CHECK_INT(cs_open(NULL, &cfg, &prof), CS_EINVAL);

    check_case("cs_open with bad rates");
    CHECK_INT(open_with(0, 2, 0, 1), CS_ERATE);
    CHECK_INT(open_with(-16000, 2, 0, 1), CS_ERATE);
    CHECK_INT(open_with(1000, 2, 0, 1), CS_ERATE);
    CHECK_INT(open_with(7999, 2, 0, 1), CS_ERATE);
    CHECK_INT(open_with(48001, 2, 0, 1), CS_ERATE);
    CHECK_INT(open_with(96000, 2, 0, 1), CS_ERATE);

    check_case("cs_open with good rates");
    CHECK_INT(open_with(8000, 2, 0, 1), CS_OK);
    CHECK_INT(open_with(11025, 2, 0, 1), CS_OK);
    CHECK_INT(open_with(16000, 2, 0, 1), CS_OK);
    CHECK_INT(open_with(22050, 2, 0, 1), CS_OK);
    CHECK_INT(open_with(44100, 2, 0, 1), CS_OK);
    CHECK_INT(open_with(48000, 2, 0, 1), CS_OK);

    check_case("cs_open with bad channel counts and maps");
    CHECK_INT(open_with(16000, 0, 0, 1), CS_ECHANNELS);
    CHECK_INT(open_with(16000, -1, 0, 1), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 65, 0, 1), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 2, 2, 1), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 2, 0, 2), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 2, -2, 1), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 2, 0, 64), CS_ECHANNELS);
    CHECK_INT(open_with(16000, 1, 0, 1), CS_ECHANNELS);

    check_case("cs_open with good channel maps");
    CHECK_INT(open_with(16000, 1, 0, -1), CS_OK);
    CHECK_INT(open_with(16000, 2, 1, 0), CS_OK);
    CHECK_INT(open_with(16000, 6, 4, 5), CS_OK);
    CHECK_INT(open_with(16000, 64, 0, 63), CS_OK);

    check_case("cs_open with a profile value out of range");
    cs_profile bad = prof;
    bad.value[0] = -1e9;
    a = (cs_analyzer *)&cfg;
    int err = cs_open(&a, &cfg, &bad);
    CHECK_INT(err, CS_EPROFILE);
    if (err == CS_OK)
        cs_close(a);
    else
        CHECK(a == NULL);
    bad = prof;
    bad.value[1] = NAN;
    a = (cs_analyzer *)&cfg;
    err = cs_open(&a, &cfg, &bad);
    CHECK_INT(err, CS_EPROFILE);
    if (err == CS_OK)
        cs_close(a);
    else
        CHECK(a == NULL);

    check_case("cs_close(NULL)");
    cs_close(NULL);
    CHECK(1);
}

static void test_stream_states(void)
{
    cs_profile prof;
    cs_profile_default(&prof);
    cs_config cfg;
    cs_config_default(&cfg, 16000, 2);
    cs_analyzer *a = NULL;
    float block[2 * 320];
    memset(block, 0, sizeof block);
    cs_event ev;
    cs_summary sum;

    check_case("a fresh analyzer");
    if (!CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK))
        return;
    /* A 16 kHz recording is analysed at the profile's 8 kHz. */
    CHECK_INT(cs_analysis_rate(&prof, 16000), 8000);
    CHECK_INT(cs_analysis_rate(&prof, 11025), 8000);
    CHECK_INT(cs_analysis_rate(&prof, 8000), 8000);
    CHECK_INT(cs_analysis_rate(NULL, 8000), CS_EINVAL);
    CHECK_NEAR(cs_seconds(a, 8000), 1.0, 1e-12);
    CHECK_NEAR(cs_seconds(a, 4000), 0.5, 1e-12);
    int hop = cs_hop_samples(a);
    CHECK(hop >= 80 && hop <= 320); /* about 10 ms */
    CHECK_INT(cs_pull(a, &ev), 0);
    CHECK_INT(cs_summary_get(a, &sum), CS_OK);
    CHECK_INT(sum.frames, 0);
    CHECK_INT(sum.any_speech, 0);

    check_case("push and pull");
    CHECK_INT(cs_push(a, block, 320), 320);
    CHECK_INT(cs_push(a, block, 0), 0);
    CHECK_INT(cs_push(a, NULL, 10), CS_EINVAL);
    CHECK_INT(cs_push(NULL, block, 10), CS_EINVAL);
    CHECK_INT(cs_pull(a, NULL), CS_EINVAL);
    CHECK_INT(cs_pull(NULL, &ev), CS_EINVAL);
    CHECK_INT(cs_summary_get(NULL, &sum), CS_EINVAL);
    CHECK_INT(cs_summary_get(a, NULL), CS_EINVAL);
    CHECK_INT(cs_summary_get(a, &sum), CS_OK);
    CHECK_INT(sum.frames, 320);

    check_case("non-finite samples");
    float bad[2 * 4] = {0, 0, 0, 0, NAN, 0, 0, 0};
    CHECK_INT(cs_push(a, bad, 4), CS_ENONFINITE);
    float bad_inf[2 * 4] = {0, 0, 0, -INFINITY, 0, 0, 0, 0};
    CHECK_INT(cs_push(a, bad_inf, 4), CS_ENONFINITE);

    check_case("finish, then misuse");
    CHECK_INT(cs_finish(a), CS_OK);
    while (cs_pull(a, &ev) > 0)
        ;
    CHECK_INT(cs_push(a, block, 320), CS_ESTATE);
    CHECK_INT(cs_finish(a), CS_ESTATE);
    CHECK_INT(cs_finish(NULL), CS_EINVAL);
    CHECK_INT(cs_pull(a, &ev), 0);
    CHECK_INT(cs_summary_get(a, &sum), CS_OK);
    CHECK_INT(sum.any_speech, 0);
    CHECK_INT(sum.speaker[CS_AGENT].segments, 0);
    CHECK(sum.speaker[CS_AGENT].present);
    CHECK(sum.speaker[CS_CUSTOMER].present);
    cs_close(a);

    check_case("NaN in the first frame of a fresh stream");
    a = NULL;
    if (CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK)) {
        float first[2] = {NAN, 0.0f};
        CHECK_INT(cs_push(a, first, 1), CS_ENONFINITE);
        cs_close(a);
    }

    check_case("finish with nothing pushed");
    a = NULL;
    if (CHECK_INT(cs_open(&a, &cfg, &prof), CS_OK)) {
        CHECK_INT(cs_finish(a), CS_OK);
        CHECK_INT(cs_pull(a, &ev), 0);
        CHECK_INT(cs_summary_get(a, &sum), CS_OK);
        CHECK_INT(sum.frames, 0);
        CHECK_INT(sum.longest_monologue_speaker, -1);
        CHECK(isnan(sum.speaker[CS_AGENT].talk_share));
        CHECK(isnan(sum.speaker[CS_AGENT].response_latency_median_s));
        cs_close(a);
    }

    check_case("a mono analyzer has no customer");
    cs_config mono;
    cs_config_default(&mono, 8000, 1);
    a = NULL;
    if (CHECK_INT(cs_open(&a, &mono, &prof), CS_OK)) {
        CHECK_INT(cs_push(a, block, 320), 320);
        CHECK_INT(cs_finish(a), CS_OK);
        CHECK_INT(cs_summary_get(a, &sum), CS_OK);
        CHECK(sum.speaker[CS_AGENT].present);
        CHECK(!sum.speaker[CS_CUSTOMER].present);
        cs_close(a);
    }
}

static void test_names(void)
{
    check_case("cs_strerror: every code has its own text");
    static const int codes[] = {CS_OK,     CS_EINVAL,  CS_ENOMEM,   CS_ESTATE, CS_ERATE,
                                CS_ECHANNELS, CS_EPROFILE, CS_ENONFINITE, CS_EFFT};
    const int ncodes = (int)(sizeof codes / sizeof codes[0]);
    const char *unknown = cs_strerror(-999);
    CHECK(unknown != NULL && unknown[0] != '\0');
    CHECK(cs_strerror(12345) != NULL);
    CHECK(cs_strerror(-9) != NULL);
    for (int i = 0; i < ncodes; i++) {
        const char *s = cs_strerror(codes[i]);
        if (!CHECK(s != NULL && s[0] != '\0'))
            continue;
        if (unknown && !CHECK(strcmp(s, unknown) != 0))
            printf("    code %d has the unknown-code text\n", codes[i]);
        for (int j = 0; j < i; j++) {
            const char *t = cs_strerror(codes[j]);
            if (t && !CHECK(strcmp(s, t) != 0))
                printf("    codes %d and %d share \"%s\"\n", codes[i], codes[j], s);
        }
    }

    check_case("cs_version");
    CHECK_STR(cs_version(), CS_VERSION);

    check_case("cs_speaker_name");
    CHECK_STR(cs_speaker_name(CS_AGENT), "agent");
    CHECK_STR(cs_speaker_name(CS_CUSTOMER), "customer");
    CHECK_STR(cs_speaker_name(-1), "none");
    CHECK(cs_speaker_name(7) != NULL);

    check_case("cs_event_type_name");
    CHECK_STR(cs_event_type_name(CS_EVENT_SEGMENT), "segment");
    CHECK_STR(cs_event_type_name(CS_EVENT_TURN), "turn");
    CHECK_STR(cs_event_type_name(CS_EVENT_INTERRUPTION), "interruption");
    CHECK_STR(cs_event_type_name(CS_EVENT_BACKCHANNEL), "backchannel");
    CHECK_STR(cs_event_type_name(CS_EVENT_OVERLAP), "overlap");
    CHECK_STR(cs_event_type_name(CS_EVENT_OVERTALK), "overtalk");
    CHECK_STR(cs_event_type_name(CS_EVENT_DEAD_AIR), "dead_air");
    CHECK_STR(cs_event_type_name(CS_EVENT_HOLD), "hold");
    for (int t = CS_EVENT_SEGMENT; t <= CS_EVENT_RESPONSE; t++) {
        const char *s = cs_event_type_name((cs_event_type)t);
        if (!CHECK(s != NULL))
            continue;
        for (int u = CS_EVENT_SEGMENT; u < t; u++) {
            const char *o = cs_event_type_name((cs_event_type)u);
            CHECK(o == NULL || strcmp(o, s) != 0);
        }
    }
}

int main(void)
{
    check_begin("test_api");
    test_open();
    test_stream_states();
    test_names();
    return check_end();
}
