/*
 * C side of bench/codecs.ts: the reference codecs (libspandsp G.711, G.722 and G.726, libbcg729
 * G.729A, Debian's native libopus) timed on the same input the TypeScript side gets, in the same
 * 20 ms packets.
 *
 *   codecs-bench OP INPUT REPS RUNS [RATE [PACKING]]
 *     OP     pcma-encdec | pcmu-encdec   (int16 PCM 8 kHz: encode then decode each packet)
 *            g722-enc (int16 PCM 16 kHz) | g722-dec (G.722 octets)
 *            g729-enc (int16 PCM 8 kHz, VAD off) | g729-dec (10-byte frames)
 *            opus-enc (int16 PCM 16 kHz: VOIP, 20 kbit/s, complexity 5, mono)
 *            opus-dec (Opus packets at 16 kHz, each as a u16le length then the packet)
 *            g726-enc (int16 PCM 8 kHz) | g726-dec (G.726 octets), with RATE and PACKING
 *     INPUT  raw file, processed REPS times per run with fresh codec state per run
 *     RATE   G.726 only: 16000 | 24000 | 32000 (default) | 40000
 *     PACKING G.726 only: right (RFC 3551 G726-xx, default) | left (AAL2-G726-xx)
 *   prints per run: "run <i> <wall ns> <thread cpu ns>", then "checksum <fnv1a of last rep's output>"
 *
 * Build: gcc -O2 bench/codecs-ref.c -lspandsp -lbcg729 -lopus (bench/codecs.ts does it into build/ref/)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
#include <opus/opus.h>

static uint32_t fnv;
static int g726_rate = 32000;
static int g726_packing = G726_PACKING_RIGHT;

static void hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        fnv ^= b[i];
        fnv *= 16777619u;
    }
}

static int64_t ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t) ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(*len ? *len : 1);
    if (buf == NULL || fread(buf, 1, *len, f) != *len) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    return buf;
}

/* One run: REPS passes over the input; hashes the output of the last pass. */
static void run_once(const char *op, const uint8_t *in, size_t len, int reps)
{
    if (strcmp(op, "pcma-encdec") == 0 || strcmp(op, "pcmu-encdec") == 0) {
        g711_state_t *s = g711_init(NULL, op[3] == 'a' ? G711_ALAW : G711_ULAW);
        const int16_t *pcm = (const int16_t *) in;
        size_t samples = len / 2;
        uint8_t bytes[160];
        int16_t out[160];
        for (int r = 0; r < reps; r++) {
            int last = r == reps - 1;
            for (size_t i = 0; i + 160 <= samples; i += 160) {
                int n = g711_encode(s, bytes, pcm + i, 160);
                int m = g711_decode(s, out, bytes, n);
                if (last) {
                    hash(bytes, (size_t) n);
                    hash(out, (size_t) m * 2);
                }
            }
        }
        g711_free(s);
    } else if (strcmp(op, "g722-enc") == 0) {
        g722_encode_state_t *s = g722_encode_init(NULL, 64000, 0);
        const int16_t *pcm = (const int16_t *) in;
        size_t samples = len / 2;
        uint8_t bytes[160];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 320 <= samples; i += 320) {
                int n = g722_encode(s, bytes, pcm + i, 320);
                if (r == reps - 1) hash(bytes, (size_t) n);
            }
        }
        g722_encode_free(s);
    } else if (strcmp(op, "g722-dec") == 0) {
        g722_decode_state_t *s = g722_decode_init(NULL, 64000, 0);
        int16_t out[320];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 160 <= len; i += 160) {
                int n = g722_decode(s, out, in + i, 160);
                if (r == reps - 1) hash(out, (size_t) n * 2);
            }
        }
        g722_decode_free(s);
    } else if (strcmp(op, "g729-enc") == 0) {
        bcg729EncoderChannelContextStruct *s = initBcg729EncoderChannel(0);
        const int16_t *pcm = (const int16_t *) in;
        size_t samples = len / 2;
        uint8_t bytes[10];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 80 <= samples; i += 80) {
                uint8_t n = 0;
                bcg729Encoder(s, pcm + i, bytes, &n);
                if (r == reps - 1) hash(bytes, n);
            }
        }
        closeBcg729EncoderChannel(s);
    } else if (strcmp(op, "g729-dec") == 0) {
        bcg729DecoderChannelContextStruct *s = initBcg729DecoderChannel();
        int16_t out[80];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 10 <= len; i += 10) {
                bcg729Decoder(s, in + i, 10, 0, 0, 0, out);
                if (r == reps - 1) hash(out, sizeof out);
            }
        }
        closeBcg729DecoderChannel(s);
    } else if (strcmp(op, "opus-enc") == 0) {
        int error;
        OpusEncoder *s = opus_encoder_create(16000, 1, OPUS_APPLICATION_VOIP, &error);
        opus_encoder_ctl(s, OPUS_SET_BITRATE(20000));
        opus_encoder_ctl(s, OPUS_SET_COMPLEXITY(5));
        const int16_t *pcm = (const int16_t *) in;
        size_t samples = len / 2;
        uint8_t bytes[1500];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 320 <= samples; i += 320) {
                int n = opus_encode(s, pcm + i, 320, bytes, sizeof bytes);
                if (r == reps - 1 && n > 0) hash(bytes, (size_t) n);
            }
        }
        opus_encoder_destroy(s);
    } else if (strcmp(op, "opus-dec") == 0) {
        int error;
        OpusDecoder *s = opus_decoder_create(16000, 1, &error);
        int16_t out[5760];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 2 <= len;) {
                size_t n = (size_t) in[i] | (size_t) in[i + 1] << 8;
                int m = opus_decode(s, in + i + 2, (opus_int32) n, out, 5760, 0);
                if (r == reps - 1 && m > 0) hash(out, (size_t) m * 2);
                i += 2 + n;
            }
        }
        opus_decoder_destroy(s);
    } else if (strcmp(op, "g726-enc") == 0) {
        g726_state_t *s = g726_init(NULL, g726_rate, G726_ENCODING_LINEAR, g726_packing);
        const int16_t *pcm = (const int16_t *) in;
        size_t samples = len / 2;
        uint8_t bytes[100];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + 160 <= samples; i += 160) {
                int n = g726_encode(s, bytes, pcm + i, 160);
                if (r == reps - 1) hash(bytes, (size_t) n);
            }
        }
        g726_free(s);
    } else if (strcmp(op, "g726-dec") == 0) {
        g726_state_t *s = g726_init(NULL, g726_rate, G726_ENCODING_LINEAR, g726_packing);
        size_t packet = (size_t) g726_rate / 400; /* 20 ms */
        int16_t out[160];
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i + packet <= len; i += packet) {
                int n = g726_decode(s, out, in + i, (int) packet);
                if (r == reps - 1) hash(out, (size_t) n * 2);
            }
        }
        g726_free(s);
    } else {
        fprintf(stderr, "codecs-bench: unknown op %s\n", op);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: codecs-bench OP INPUT REPS RUNS [RATE [PACKING]]\n");
        return 2;
    }
    if (argc > 5) g726_rate = atoi(argv[5]);
    if (argc > 6) g726_packing = strcmp(argv[6], "left") == 0 ? G726_PACKING_LEFT : G726_PACKING_RIGHT;
    if (g726_rate != 16000 && g726_rate != 24000 && g726_rate != 32000 && g726_rate != 40000) {
        fprintf(stderr, "codecs-bench: bad G.726 rate %s\n", argv[5]);
        return 2;
    }
    size_t len = 0;
    uint8_t *in = read_file(argv[2], &len);
    int reps = atoi(argv[3]);
    int runs = atoi(argv[4]);
    if (in == NULL || reps < 1 || runs < 1) {
        fprintf(stderr, "codecs-bench: bad input %s\n", argv[2]);
        return 2;
    }
    run_once(argv[1], in, len, 1); /* warm-up */
    for (int i = 0; i < runs; i++) {
        fnv = 2166136261u;
        int64_t w0 = ns(CLOCK_MONOTONIC), c0 = ns(CLOCK_THREAD_CPUTIME_ID);
        run_once(argv[1], in, len, reps);
        int64_t w1 = ns(CLOCK_MONOTONIC), c1 = ns(CLOCK_THREAD_CPUTIME_ID);
        printf("run %d %" PRId64 " %" PRId64 "\n", i, w1 - w0, c1 - c0);
    }
    printf("checksum %08x\n", fnv);
    free(in);
    return 0;
}
