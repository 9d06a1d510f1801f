/*
 * Reference oracle for test/codecs: libspandsp's G.711 and G.722 (64 kbit/s) driven over
 * stdin/stdout, so the TypeScript codecs can be compared with the C library byte for byte.
 *
 *   spandsp-ref g711-tables   -> 65536 A-law codes, 65536 u-law codes (input s = -32768..32767),
 *                                256 A-law and 256 u-law decoded int16 (little-endian)
 *   spandsp-ref g722-encode   stdin int16 LE PCM at 16 kHz -> stdout G.722 octets
 *   spandsp-ref g722-decode   stdin G.722 octets -> stdout int16 LE PCM at 16 kHz
 *
 * Built by test/codecs/ref-harness.ts: gcc -O2 spandsp-ref.c -lspandsp
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

static int g711_tables(void)
{
    static uint8_t a[65536], u[65536];
    static int16_t ad[256], ud[256];
    for (int i = 0; i < 65536; i++) {
        int s = i - 32768;
        a[i] = linear_to_alaw(s);
        u[i] = linear_to_ulaw(s);
    }
    for (int c = 0; c < 256; c++) {
        ad[c] = alaw_to_linear((uint8_t) c);
        ud[c] = ulaw_to_linear((uint8_t) c);
    }
    fwrite(a, 1, sizeof a, stdout);
    fwrite(u, 1, sizeof u, stdout);
    fwrite(ad, 2, 256, stdout);
    fwrite(ud, 2, 256, stdout);
    return 0;
}

static int g722_enc(void)
{
    g722_encode_state_t *s = g722_encode_init(NULL, 64000, 0);
    int16_t pcm[320];
    uint8_t out[160];
    size_t n;
    if (s == NULL) return 1;
    while ((n = fread(pcm, 2, 320, stdin)) > 0) {
        int bytes = g722_encode(s, out, pcm, (int) (n & ~(size_t) 1));
        fwrite(out, 1, (size_t) bytes, stdout);
    }
    g722_encode_free(s);
    return 0;
}

static int g722_dec(void)
{
    g722_decode_state_t *s = g722_decode_init(NULL, 64000, 0);
    uint8_t in[160];
    int16_t out[320];
    size_t n;
    if (s == NULL) return 1;
    while ((n = fread(in, 1, 160, stdin)) > 0) {
        int samples = g722_decode(s, out, in, (int) n);
        fwrite(out, 2, (size_t) samples, stdout);
    }
    g722_decode_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "g711-tables") == 0) return g711_tables();
    if (argc == 2 && strcmp(argv[1], "g722-encode") == 0) return g722_enc();
    if (argc == 2 && strcmp(argv[1], "g722-decode") == 0) return g722_dec();
    fprintf(stderr, "usage: spandsp-ref g711-tables|g722-encode|g722-decode\n");
    return 2;
}
