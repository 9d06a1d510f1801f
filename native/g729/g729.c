/*
 * g729.node: a small N-API addon over Debian's libbcg729 (1.1.1, G.729 Annex A with Annex B
 * VAD/DTX/CNG), loaded optionally by src/codecs/g729.ts. libbcg729 is GPL-3.0, which is why the
 * addon is optional: without it the codec registry simply lacks G729.
 *
 * Exports (handles are type-tagged externals; a wrong handle throws a TypeError):
 *   encoderCreate(vad: boolean): handle
 *   encoderReset(enc): void                       fresh state, same VAD setting
 *   encode(enc, pcm: Int16Array, out: Uint8Array, frameLengths?: Uint8Array): number
 *       encodes pcm.length / 80 frames; writes each frame's bytes (10 voice, 2 SID, 0 nothing
 *       to send) back to back into out, and each frame's length into frameLengths[i]; returns
 *       the total bytes written. pcm.length must be a multiple of 80, out must hold 10 per frame.
 *   decoderCreate(): handle
 *   decoderReset(dec): void
 *   decode(dec, payload: Uint8Array, out: Int16Array): number
 *       RFC 3551 4.5.6: zero or more 10-byte frames, then zero or one 2-byte SID frame.
 *       Returns samples written (80 per frame), or -1 when the payload length is not 10n or
 *       10n + 2 (nothing is decoded then).
 *   bcg729Version: number                         BCG729_VERSION_NUMBER, 0x010101 for 1.1.1
 *   conceal(dec, out: Int16Array): number
 *       one erased or untransmitted frame (bcg729 frameErasureFlag): PLC after speech, comfort
 *       noise after a SID (G.729 B.27). Returns 80.
 *
 * Build: cd native/g729 && node-gyp rebuild   (see binding.gyp)
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>

#define FRAME_SAMPLES 80
#define FRAME_BYTES 10
#define SID_BYTES 2

typedef struct {
    bcg729EncoderChannelContextStruct *ctx;
    uint8_t vad;
} encoder_t;

typedef struct {
    bcg729DecoderChannelContextStruct *ctx;
} decoder_t;

static const napi_type_tag ENCODER_TAG = {0x6a3c1e0f2b9d4e71ULL, 0x9f1a7c3d5e2b8a64ULL};
static const napi_type_tag DECODER_TAG = {0x1d7e5b3a9c2f4e86ULL, 0x4b8a2c6e1f3d5a97ULL};

#define CHECK(call)                                                     \
    do {                                                                \
        if ((call) != napi_ok) {                                        \
            napi_throw_error(env, NULL, "g729: N-API call failed: " #call); \
            return NULL;                                                \
        }                                                               \
    } while (0)

static void encoder_finalize(napi_env env, void *data, void *hint)
{
    (void) env;
    (void) hint;
    encoder_t *e = data;
    if (e->ctx) closeBcg729EncoderChannel(e->ctx);
    free(e);
}

static void decoder_finalize(napi_env env, void *data, void *hint)
{
    (void) env;
    (void) hint;
    decoder_t *d = data;
    if (d->ctx) closeBcg729DecoderChannel(d->ctx);
    free(d);
}

/* The native pointer behind a handle, or NULL (with a TypeError pending) if it is not one. */
static void *unwrap_handle(napi_env env, napi_value value, const napi_type_tag *tag, const char *what)
{
    bool ok = false;
    void *data = NULL;
    napi_valuetype type;
    if (napi_typeof(env, value, &type) != napi_ok || type != napi_external ||
        napi_check_object_type_tag(env, value, tag, &ok) != napi_ok || !ok ||
        napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
        napi_throw_type_error(env, NULL, what);
        return NULL;
    }
    return data;
}

/* Data pointer and element count of a typed array of the expected element type. */
static int typed_array(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length,
                       const char *what)
{
    bool is = false;
    napi_typedarray_type type;
    if (napi_is_typedarray(env, value, &is) != napi_ok || !is ||
        napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) != napi_ok || type != want) {
        napi_throw_type_error(env, NULL, what);
        return 0;
    }
    return 1;
}

static napi_value make_handle(napi_env env, void *data, napi_finalize fin, const napi_type_tag *tag)
{
    napi_value handle;
    if (napi_create_external(env, data, fin, NULL, &handle) != napi_ok) {
        fin(env, data, NULL);
        napi_throw_error(env, NULL, "g729: cannot create handle");
        return NULL;
    }
    CHECK(napi_type_tag_object(env, handle, tag));
    return handle;
}

static napi_value encoder_create(napi_env env, napi_callback_info info)
{
    size_t argc = 1;
    napi_value argv[1];
    bool vad = false;
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 1 || napi_get_value_bool(env, argv[0], &vad) != napi_ok) {
        napi_throw_type_error(env, NULL, "g729: encoderCreate(vad: boolean)");
        return NULL;
    }
    encoder_t *e = calloc(1, sizeof *e);
    if (e == NULL) {
        napi_throw_error(env, NULL, "g729: out of memory");
        return NULL;
    }
    e->vad = vad ? 1 : 0;
    e->ctx = initBcg729EncoderChannel(e->vad);
    if (e->ctx == NULL) {
        free(e);
        napi_throw_error(env, NULL, "g729: initBcg729EncoderChannel failed");
        return NULL;
    }
    return make_handle(env, e, encoder_finalize, &ENCODER_TAG);
}

static napi_value encoder_reset(napi_env env, napi_callback_info info)
{
    size_t argc = 1;
    napi_value argv[1];
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    encoder_t *e = unwrap_handle(env, argc > 0 ? argv[0] : NULL, &ENCODER_TAG, "g729: not an encoder handle");
    if (e == NULL) return NULL;
    bcg729EncoderChannelContextStruct *fresh = initBcg729EncoderChannel(e->vad);
    if (fresh == NULL) {
        napi_throw_error(env, NULL, "g729: initBcg729EncoderChannel failed");
        return NULL;
    }
    closeBcg729EncoderChannel(e->ctx);
    e->ctx = fresh;
    return NULL;
}

static napi_value encode(napi_env env, napi_callback_info info)
{
    size_t argc = 4;
    napi_value argv[4];
    int16_t *pcm;
    uint8_t *out;
    uint8_t *lens = NULL;
    size_t pcm_len, out_len, lens_len = 0;
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 3) {
        napi_throw_type_error(env, NULL, "g729: encode(enc, pcm, out, frameLengths?)");
        return NULL;
    }
    encoder_t *e = unwrap_handle(env, argv[0], &ENCODER_TAG, "g729: not an encoder handle");
    if (e == NULL) return NULL;
    if (!typed_array(env, argv[1], napi_int16_array, (void **) &pcm, &pcm_len, "g729: pcm must be an Int16Array") ||
        !typed_array(env, argv[2], napi_uint8_array, (void **) &out, &out_len, "g729: out must be a Uint8Array"))
        return NULL;
    if (argc > 3) {
        napi_valuetype t;
        CHECK(napi_typeof(env, argv[3], &t));
        if (t != napi_undefined &&
            !typed_array(env, argv[3], napi_uint8_array, (void **) &lens, &lens_len,
                         "g729: frameLengths must be a Uint8Array"))
            return NULL;
    }
    if (pcm_len % FRAME_SAMPLES != 0) {
        napi_throw_range_error(env, NULL, "g729: pcm length is not a multiple of 80");
        return NULL;
    }
    size_t frames = pcm_len / FRAME_SAMPLES;
    if (out_len < frames * FRAME_BYTES || (lens != NULL && lens_len < frames)) {
        napi_throw_range_error(env, NULL, "g729: output buffer too small");
        return NULL;
    }
    size_t written = 0;
    for (size_t f = 0; f < frames; f++) {
        uint8_t n = 0;
        bcg729Encoder(e->ctx, pcm + f * FRAME_SAMPLES, out + written, &n);
        if (lens != NULL) lens[f] = n;
        written += n;
    }
    napi_value result;
    CHECK(napi_create_uint32(env, (uint32_t) written, &result));
    return result;
}

static napi_value decoder_create(napi_env env, napi_callback_info info)
{
    (void) info;
    decoder_t *d = calloc(1, sizeof *d);
    if (d == NULL) {
        napi_throw_error(env, NULL, "g729: out of memory");
        return NULL;
    }
    d->ctx = initBcg729DecoderChannel();
    if (d->ctx == NULL) {
        free(d);
        napi_throw_error(env, NULL, "g729: initBcg729DecoderChannel failed");
        return NULL;
    }
    return make_handle(env, d, decoder_finalize, &DECODER_TAG);
}

static napi_value decoder_reset(napi_env env, napi_callback_info info)
{
    size_t argc = 1;
    napi_value argv[1];
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    decoder_t *d = unwrap_handle(env, argc > 0 ? argv[0] : NULL, &DECODER_TAG, "g729: not a decoder handle");
    if (d == NULL) return NULL;
    bcg729DecoderChannelContextStruct *fresh = initBcg729DecoderChannel();
    if (fresh == NULL) {
        napi_throw_error(env, NULL, "g729: initBcg729DecoderChannel failed");
        return NULL;
    }
    closeBcg729DecoderChannel(d->ctx);
    d->ctx = fresh;
    return NULL;
}

static napi_value decode(napi_env env, napi_callback_info info)
{
    size_t argc = 3;
    napi_value argv[3];
    uint8_t *payload;
    int16_t *out;
    size_t payload_len, out_len;
    napi_value result;
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 3) {
        napi_throw_type_error(env, NULL, "g729: decode(dec, payload, out)");
        return NULL;
    }
    decoder_t *d = unwrap_handle(env, argv[0], &DECODER_TAG, "g729: not a decoder handle");
    if (d == NULL) return NULL;
    if (!typed_array(env, argv[1], napi_uint8_array, (void **) &payload, &payload_len,
                     "g729: payload must be a Uint8Array") ||
        !typed_array(env, argv[2], napi_int16_array, (void **) &out, &out_len, "g729: out must be an Int16Array"))
        return NULL;
    size_t voice = payload_len / FRAME_BYTES;
    size_t rest = payload_len % FRAME_BYTES;
    if (rest != 0 && rest != SID_BYTES) {
        CHECK(napi_create_int32(env, -1, &result));
        return result;
    }
    size_t frames = voice + (rest ? 1 : 0);
    if (out_len < frames * FRAME_SAMPLES) {
        napi_throw_range_error(env, NULL, "g729: output buffer too small");
        return NULL;
    }
    for (size_t f = 0; f < voice; f++)
        bcg729Decoder(d->ctx, payload + f * FRAME_BYTES, FRAME_BYTES, 0, 0, 0, out + f * FRAME_SAMPLES);
    if (rest)
        bcg729Decoder(d->ctx, payload + voice * FRAME_BYTES, SID_BYTES, 0, 1, 0, out + voice * FRAME_SAMPLES);
    CHECK(napi_create_int32(env, (int32_t) (frames * FRAME_SAMPLES), &result));
    return result;
}

static napi_value conceal(napi_env env, napi_callback_info info)
{
    size_t argc = 2;
    napi_value argv[2];
    int16_t *out;
    size_t out_len;
    napi_value result;
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 2) {
        napi_throw_type_error(env, NULL, "g729: conceal(dec, out)");
        return NULL;
    }
    decoder_t *d = unwrap_handle(env, argv[0], &DECODER_TAG, "g729: not a decoder handle");
    if (d == NULL) return NULL;
    if (!typed_array(env, argv[1], napi_int16_array, (void **) &out, &out_len, "g729: out must be an Int16Array"))
        return NULL;
    if (out_len < FRAME_SAMPLES) {
        napi_throw_range_error(env, NULL, "g729: output buffer too small");
        return NULL;
    }
    bcg729Decoder(d->ctx, NULL, 0, 1, 0, 0, out);
    CHECK(napi_create_int32(env, FRAME_SAMPLES, &result));
    return result;
}

NAPI_MODULE_INIT()
{
    static const struct {
        const char *name;
        napi_callback cb;
    } fns[] = {
        {"encoderCreate", encoder_create}, {"encoderReset", encoder_reset}, {"encode", encode},
        {"decoderCreate", decoder_create}, {"decoderReset", decoder_reset}, {"decode", decode},
        {"conceal", conceal},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value fn;
        CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].cb, NULL, &fn));
        CHECK(napi_set_named_property(env, exports, fns[i].name, fn));
    }
#ifndef BCG729_VERSION_NUMBER
#define BCG729_VERSION_NUMBER 0
#endif
    napi_value version;
    CHECK(napi_create_uint32(env, BCG729_VERSION_NUMBER, &version));
    CHECK(napi_set_named_property(env, exports, "bcg729Version", version));
    return exports;
}
