/*
 * Reference oracle for test/codecs/g729.test.ts: libbcg729 called directly from C, frame by
 * frame, over stdin/stdout.
 *
 *   bcg729-ref encode VAD   stdin int16 LE PCM at 8 kHz (whole 80-sample frames) ->
 *                           per frame: one length byte (0, 2 or 10) then that many bytes
 *   bcg729-ref decode       stdin records: kind byte (0 speech + 10 bytes, 1 SID + 2 bytes,
 *                           2 erased/untransmitted, no bytes) -> 80 int16 LE samples per record
 *
 * Built by test/codecs/ref-harness.ts: gcc -O2 bcg729-ref.c -lbcg729
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>

static int encode(int vad)
{
    bcg729EncoderChannelContextStruct *enc = initBcg729EncoderChannel((uint8_t) vad);
    int16_t pcm[80];
    uint8_t out[10];
    if (enc == NULL) return 1;
    while (fread(pcm, 2, 80, stdin) == 80) {
        uint8_t n = 0;
        bcg729Encoder(enc, pcm, out, &n);
        fputc(n, stdout);
        fwrite(out, 1, n, stdout);
    }
    closeBcg729EncoderChannel(enc);
    return 0;
}

static int decode(void)
{
    bcg729DecoderChannelContextStruct *dec = initBcg729DecoderChannel();
    int kind;
    uint8_t in[10];
    int16_t out[80];
    if (dec == NULL) return 1;
    while ((kind = fgetc(stdin)) != EOF) {
        if (kind == 0) {
            if (fread(in, 1, 10, stdin) != 10) return 3;
            bcg729Decoder(dec, in, 10, 0, 0, 0, out);
        } else if (kind == 1) {
            if (fread(in, 1, 2, stdin) != 2) return 3;
            bcg729Decoder(dec, in, 2, 0, 1, 0, out);
        } else if (kind == 2) {
            bcg729Decoder(dec, NULL, 0, 1, 0, 0, out);
        } else {
            return 3;
        }
        fwrite(out, 2, 80, stdout);
    }
    closeBcg729DecoderChannel(dec);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "encode") == 0) return encode(atoi(argv[2]));
    if (argc == 2 && strcmp(argv[1], "decode") == 0) return decode();
    fprintf(stderr, "usage: bcg729-ref encode 0|1 | decode\n");
    return 2;
}
