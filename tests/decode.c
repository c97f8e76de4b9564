/*
 * decode: read a sound file through libsndfile in blocks, as the command-line
 * tool does, and do nothing else; the bench's baseline for "just decoding".
 */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: decode FILE\n");
        return 2;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(argv[1], SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "decode: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    float *buf = malloc((size_t)BLOCK * (size_t)info.channels * sizeof *buf);
    if (!buf)
        return 1;
    double sum = 0.0;
    long long frames = 0;
    sf_count_t n;
    while ((n = sf_readf_float(sf, buf, BLOCK)) > 0) {
        for (sf_count_t i = 0; i < n * info.channels; i++)
            sum += buf[i] * buf[i];
        frames += n;
    }
    sf_close(sf);
    free(buf);
    printf("%lld frames, energy %.6g\n", frames, sum);
    return 0;
}
