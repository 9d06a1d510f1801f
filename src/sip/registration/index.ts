// Per-line SIP registration (RFC 3261 §10.2; KX-UT670 4.6.2, 5.8.2): the sans-IO Registration,
// its driver on a TransactionLayer + Clock, REGISTER building and the config from line settings.
export * from './types.js';
export { Registration } from './registration.js';
export { RegistrationDriver, type RegistrationDriverOptions, type RegistrationDriverEvents } from './driver.js';
export { buildRegister, grantedExpires, registerTemplate, type RegisterPurpose, type RegisterTemplate, type RegisterInit } from './register-request.js';
export { registrationConfigFromLine, type RegistrationLineSettings, type LocalContact } from './from-settings.js';
export { MAX_REDIRECTS, followRedirect, isFollowedRedirect, type RedirectChain } from './redirect.js';
export { MAX_RETRY_AFTER_S, MIN_RETRY_AFTER_S, retryAfterSeconds } from './retry-after.js';
