/*
 * Reference oracle for test/codecs/dtmf.test.ts: libspandsp's DTMF generator and receiver
 * (dtmf_tx / dtmf_rx, ITU-T Q.23/Q.24) over stdin/stdout at 8 kHz.
 *
 *   spandsp-dtmf-ref tx DIGITS ON_MS OFF_MS LEVEL_DBM0 TWIST_DB  -> stdout int16 LE PCM
 *   spandsp-dtmf-ref rx                                          stdin int16 LE PCM -> stdout digits
 *
 * Built by test/codecs/ref-harness.ts (buildC): gcc -O2 spandsp-dtmf-ref.c -lspandsp
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

static int tx(const char *digits, int on_ms, int off_ms, int level, int twist)
{
    dtmf_tx_state_t *s = dtmf_tx_init(NULL);
    int16_t amp[160];
    int n;
    if (s == NULL) return 1;
    dtmf_tx_set_level(s, level, twist);
    dtmf_tx_set_timing(s, on_ms, off_ms);
    if (dtmf_tx_put(s, digits, -1) != 0) return 4;
    while ((n = dtmf_tx(s, amp, 160)) > 0) fwrite(amp, 2, (size_t) n, stdout);
    dtmf_tx_free(s);
    return 0;
}

static void got_digits(void *user_data, const char *digits, int len)
{
    (void) user_data;
    fwrite(digits, 1, (size_t) len, stdout);
}

static int rx(void)
{
    dtmf_rx_state_t *s = dtmf_rx_init(NULL, got_digits, NULL);
    int16_t amp[160];
    int16_t silence[160] = {0};
    size_t n;
    if (s == NULL) return 1;
    while ((n = fread(amp, 2, 160, stdin)) > 0) dtmf_rx(s, amp, (int) n);
    for (int i = 0; i < 10; i++) dtmf_rx(s, silence, 160);
    dtmf_rx_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], "tx") == 0) return tx(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
    if (argc == 2 && strcmp(argv[1], "rx") == 0) return rx();
    fprintf(stderr, "usage: spandsp-dtmf-ref tx DIGITS ON_MS OFF_MS LEVEL TWIST | rx\n");
    return 2;
}
