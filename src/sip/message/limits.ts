// Size limits for SIP messages (RFC 3261 §18.1.1, §18.3, §21.5.7). Anything over a limit is a
// Failure with code SIP_TOO_LARGE (status 513 Message Too Large); on a stream it is fatal for the
// connection, because the framer cannot resynchronise.

/** Largest UDP datagram we accept: the IPv4 UDP payload ceiling (RFC 768, 65,535 minus headers rounded up). */
export const MAX_DATAGRAM_BYTES = 65_535;

/** Largest header block (start line + header fields + the empty line) on any transport. */
export const MAX_HEADER_BLOCK_BYTES = 65_536;

/** Largest body accepted on a stream transport (TCP/TLS). SDP, dialog-info and MWI bodies are a few KiB. */
export const MAX_STREAM_BODY_BYTES = 1_048_576;

/** Largest whole message on a stream transport (header block + body). */
export const MAX_STREAM_MESSAGE_BYTES = MAX_HEADER_BLOCK_BYTES + MAX_STREAM_BODY_BYTES;

/** Most header fields (lines after unfolding) in one message. RFC 4475 longreq has 46. */
export const MAX_HEADER_COUNT = 256;

/** Longest single header field (name, colon and value after unfolding), in characters. */
export const MAX_HEADER_LINE_LENGTH = 8_192;

/** Longest start line (Request-Line or Status-Line), in characters. */
export const MAX_START_LINE_LENGTH = 8_192;

/** Largest Content-Length value we even consider (keeps the number exact and bounded). */
export const MAX_CONTENT_LENGTH = 16_777_216;
