/*
 * score_call: the call score and the flags of one recorded call, as
 * `callscope analyze` gives them.
 *
 *     score_call RATE CHANNELS < call.f32
 *
 * The samples come raw on stdin: interleaved 32-bit floats in the machine's
 * byte order (sox call.wav -t f32 call.f32 makes them from a recording).
 * Built by `make examples`; the program is also the example of
 * include/callscope/callscope.h.
 */
#include <callscope/callscope.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: score_call RATE CHANNELS < call.f32\n");
        return 2;
    }
    cs_call_config cfg;
    cs_call_config_default(&cfg, atoi(argv[1]), atoi(argv[2]));
    cs_call *call;
    int err = cs_call_open(&call, &cfg);
    float block[4096];
    size_t frame = cfg.input.channels > 0 ? (size_t)cfg.input.channels : 1, n;
    while (err == CS_OK && (n = fread(block, frame * sizeof *block, 4096 / frame, stdin)) > 0)
        err = cs_call_push(call, block, n);
    if (err == CS_OK)
        err = cs_call_finish(call);
    cs_call_results res;
    if (err == CS_OK)
        err = cs_call_get_results(call, &res);
    if (err == CS_OK) {
        printf("score %.1f\n", res.score);
        cs_coaching coaching;
        cs_coaching_default(&coaching);
        cs_flag fl;
        char message[1024];
        cs_call_flags_begin(call);
        while (cs_call_flags_next(call, &fl) > 0) {
            cs_flag_message(&coaching, &fl, res.rate_hz, message, sizeof message);
            printf("%7.1f s  %s: %s\n", (double)fl.start / res.rate_hz, cs_flag_kind_name(fl.kind), message);
        }
    }
    cs_call_close(call);
    if (err != CS_OK)
        fprintf(stderr, "score_call: %s\n", cs_strerror(err));
    return err == CS_OK ? 0 : 1;
}
