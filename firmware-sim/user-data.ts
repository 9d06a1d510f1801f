// What the user stored on the unit, as opposed to settings and factory data. A factory reset
// (KX-UT670 9.1 "every setting back to factory default") returns a unit as it left the factory:
// these go too. Kept: the unit's identity (MAC, CFG_FILE_KEY) and its TLS certificate, which a
// real unit carries from the factory.
import { RING_DIR } from '../src/phone/handset/ring-files.js';

export const CALL_LOG_FILE = 'call-log.json';
export const FEATURES_FILE = 'call-features.json';
export const PHONEBOOK_FILE = 'phonebook.json';

/** Files and directories (relative to the data directory) a factory reset deletes. */
export const USER_DATA: readonly string[] = [CALL_LOG_FILE, FEATURES_FILE, PHONEBOOK_FILE, RING_DIR];
