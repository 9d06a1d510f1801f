// The SIP message layer: parse, validate, inspect, build and serialise SIP messages (RFC 3261
// §7, §8, §18.3, §19, §20, §25). Transactions, dialogs and transports build on these types.
export * from './auth.js';
export * from './failure.js';
export * from './header-list.js';
export * from './header-names.js';
export * from './header-values.js';
export * from './headers.js';
export * from './ids.js';
export * from './limits.js';
export * from './message.js';
export * from './name-addr.js';
export * from './params.js';
export { parseMessage, findHeaderBlock, skipLeadingCrlf, type ParseOptions, type HeaderBlock } from './parse.js';
export * from './reason-phrases.js';
export * from './request.js';
export { createResponse, buildBadRequest, type ResponseOptions, type BadRequestOptions } from './response.js';
export * from './serialize.js';
export * from './stream-framer.js';
export * from './uri.js';
export * from './via.js';
