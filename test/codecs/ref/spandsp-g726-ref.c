/*
 * Reference oracle for test/codecs/g726.test.ts: libspandsp's G.726 with 16-bit linear PCM
 * (G726_ENCODING_LINEAR) driven over stdin/stdout.
 *
 *   spandsp-g726-ref g726-encode RATE PACKING  stdin int16 LE PCM at 8 kHz -> stdout G.726 octets
 *   spandsp-g726-ref g726-decode RATE PACKING  stdin G.726 octets -> stdout int16 LE PCM at 8 kHz
 *     RATE     16000 | 24000 | 32000 | 40000
 *     PACKING  right (RFC 3551 G726-xx) | left (AAL2-G726-xx)
 *
 * Built by test/codecs/g726.test.ts: gcc -O2 spandsp-g726-ref.c -lspandsp
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

static int g726_enc(g726_state_t *s)
{
    int16_t pcm[160];
    uint8_t out[160];
    size_t n;
    while ((n = fread(pcm, 2, 160, stdin)) > 0) {
        int bytes = g726_encode(s, out, pcm, (int) n);
        fwrite(out, 1, (size_t) bytes, stdout);
    }
    return 0;
}

static int g726_dec(g726_state_t *s)
{
    uint8_t in[60];
    int16_t out[240];
    size_t n;
    while ((n = fread(in, 1, sizeof in, stdin)) > 0) {
        int samples = g726_decode(s, out, in, (int) n);
        fwrite(out, 2, (size_t) samples, stdout);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4) {
        int rate = atoi(argv[2]);
        int packing = strcmp(argv[3], "left") == 0 ? G726_PACKING_LEFT : G726_PACKING_RIGHT;
        g726_state_t *s = g726_init(NULL, rate, G726_ENCODING_LINEAR, packing);
        if (s == NULL) {
            fprintf(stderr, "spandsp-g726-ref: bad rate %s\n", argv[2]);
            return 2;
        }
        int rc = 2;
        if (strcmp(argv[1], "g726-encode") == 0) rc = g726_enc(s);
        else if (strcmp(argv[1], "g726-decode") == 0) rc = g726_dec(s);
        g726_free(s);
        if (rc != 2) return rc;
    }
    fprintf(stderr, "usage: spandsp-g726-ref g726-encode|g726-decode RATE right|left\n");
    return 2;
}
