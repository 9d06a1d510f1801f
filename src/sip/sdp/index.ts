// SDP (RFC 4566) and the offer/answer model (RFC 3264) for the phone's audio stream: parse and
// serialize session descriptions, read their attributes, build offers and answers from a line's
// media policy, check answers, and keep one call's offer/answer state (SdpSession).
export * from './attributes.js';
export * from './codec-preferences.js';
export * from './comfort-noise.js';
export * from './offer-answer.js';
export * from './options.js';
export * from './parse.js';
export * from './payload-types.js';
export * from './sdp.js';
export * from './serialize.js';
export * from './session.js';
