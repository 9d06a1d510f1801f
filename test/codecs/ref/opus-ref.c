/*
 * Reference side of test/codecs/opus.test.ts: Debian's libopus (a second build of Opus, native,
 * another version than the wasm one) encoding and decoding 20 ms packets.
 *
 *   opus-ref encode RATE BITRATE   stdin int16 PCM at RATE (VOIP, mono, complexity 5, no FEC/DTX)
 *                                  stdout per packet: u16le length, then the packet
 *   opus-ref decode RATE           stdin the same records (length 0xffff = lost: PLC)
 *                                  stdout int16 PCM at RATE, 20 ms per record
 *
 * Build: gcc -O2 test/codecs/ref/opus-ref.c -lopus (test/codecs/opus.test.ts does it into build/ref/)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <opus/opus.h>

static int fail(const char *what, int code)
{
    fprintf(stderr, "opus-ref: %s: %s\n", what, opus_strerror(code));
    return 1;
}

static int encode(int rate, int bitrate)
{
    int error;
    OpusEncoder *enc = opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, &error);
    if (error != OPUS_OK) return fail("encoder", error);
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate));
    opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(5));
    opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(0));
    opus_encoder_ctl(enc, OPUS_SET_DTX(0));
    const int frame = rate / 50;
    int16_t pcm[960];
    unsigned char packet[4000];
    while (fread(pcm, sizeof(int16_t), (size_t) frame, stdin) == (size_t) frame) {
        int n = opus_encode(enc, pcm, frame, packet, sizeof packet);
        if (n < 0) return fail("encode", n);
        uint8_t len[2] = { (uint8_t) (n & 0xff), (uint8_t) (n >> 8) };
        fwrite(len, 1, 2, stdout);
        fwrite(packet, 1, (size_t) n, stdout);
    }
    opus_encoder_destroy(enc);
    return 0;
}

static int decode(int rate)
{
    int error;
    OpusDecoder *dec = opus_decoder_create(rate, 1, &error);
    if (error != OPUS_OK) return fail("decoder", error);
    const int frame = rate / 50;
    int16_t pcm[5760];
    unsigned char packet[65536];
    uint8_t len[2];
    while (fread(len, 1, 2, stdin) == 2) {
        int n = len[0] | len[1] << 8;
        int got;
        if (n == 0xffff) {
            got = opus_decode(dec, NULL, 0, pcm, frame, 0);
        } else {
            if (fread(packet, 1, (size_t) n, stdin) != (size_t) n) return fail("short input", OPUS_BAD_ARG);
            got = opus_decode(dec, packet, n, pcm, 5760, 0);
        }
        if (got < 0) {
            memset(pcm, 0, sizeof pcm);
            got = frame;
        }
        fwrite(pcm, sizeof(int16_t), (size_t) got, stdout);
    }
    opus_decoder_destroy(dec);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "encode") == 0) return encode(atoi(argv[2]), atoi(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "decode") == 0) return decode(atoi(argv[2]));
    fprintf(stderr, "usage: opus-ref encode RATE BITRATE | decode RATE\n");
    return 2;
}
