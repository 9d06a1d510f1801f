// The shapes every configuration-file dialect (Panasonic text, Fanvil cfg) parses into, so one
// checker (config-check.ts) validates them all. Re-exported from the Panasonic parser, which
// defines them with the 5.2.1 rules in view.
export type { ConfigDiagnostic, ConfigEntry, ParsedConfig, Severity } from './formats/panasonic-text.js';
