// The configuration check behind `vphone config check FILE` and the device's provisioning: every
// parsed parameter is validated against the model's catalogue; a bad value is rejected for that
// parameter only, with its line number, and the rest of the file applies (issue "Device runtime",
// "Bad input"; KX-UT670 5.2.2 value formats, 5.2.3 characters). The caller applies `accepted` to
// one layer of its LayeredStore (KX-UT670 2.5 priorities).
//
// Severity: an error means the unit will not apply something the file says (or, for cross
// checks, that the values contradict a rule of the manual); a warning is a deviation from 5.2.1
// the unit tolerates. A cross-check error does not remove values from `accepted`: the manual does
// not say which of two contradicting values a unit drops, so both apply and the check reports it.
import type { Catalogue } from '../settings/catalogue.js';
import type { ConfigDiagnostic, ConfigEntry, ParsedConfig, Severity } from './formats/panasonic-text.js';

export interface CheckOptions {
  /**
   * Effective values below the file's layer, for cross checks (default: the catalogue's factory
   * defaults). Return undefined for "not set below": the default is used.
   */
  readonly base?: (name: string) => string | undefined;
  /** Run the catalogue's cross-parameter checks over the accepted values (default true). */
  readonly crossChecks?: boolean;
  /** Severity of a parameter the model does not know (default 'error'; the unit ignores it). */
  readonly unknownSeverity?: Severity;
}

export interface CheckResult {
  /** Parameters the unit would apply, in file order; empty when the file is rejected. */
  readonly accepted: ConfigEntry[];
  /** Parser and validation diagnostics, sorted by line (stable within a line). */
  readonly diagnostics: ConfigDiagnostic[];
  /** A real unit would reject the whole file (5.2.1); see ParsedConfig.rejected. */
  readonly rejected: boolean;
}

/** Validates a parsed file against a catalogue. Never throws on file content. */
export function checkConfig(parsed: ParsedConfig, catalogue: Catalogue, options: CheckOptions = {}): CheckResult {
  const diagnostics: ConfigDiagnostic[] = [...parsed.diagnostics];
  const valid: ConfigEntry[] = [];
  const unknownSeverity = options.unknownSeverity ?? 'error';
  let names: string[] | undefined;

  for (const entry of parsed.entries) {
    const r = catalogue.validate(entry.name, entry.value);
    if (r.ok) {
      valid.push(r.value === entry.value ? entry : { ...entry, value: r.value });
      continue;
    }
    let message = stripNamePrefix(r.error.message, entry.name);
    let severity: Severity = 'error';
    if (r.error.code === 'SETTING_UNKNOWN') {
      severity = unknownSeverity;
      names ??= catalogue.names();
      const hint = suggest(entry.name, names);
      message = `unknown parameter for ${catalogue.model}${hint ? ` (did you mean ${hint}?)` : ''}`;
    }
    diagnostics.push({ line: entry.line, name: entry.name, code: r.error.code, message, severity });
  }

  if (options.crossChecks ?? true) diagnostics.push(...crossCheck(valid, catalogue, options.base));

  diagnostics.sort((a, b) => a.line - b.line);
  return { accepted: parsed.rejected ? [] : valid, diagnostics, rejected: parsed.rejected };
}

function stripNamePrefix(message: string, name: string): string {
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

function crossCheck(valid: readonly ConfigEntry[], catalogue: Catalogue, base?: (name: string) => string | undefined): ConfigDiagnostic[] {
  const fromFile = new Map(valid.map((e) => [e.name, e]));
  const get = (name: string): string => fromFile.get(name)?.value ?? base?.(name) ?? catalogue.defaultOf(name) ?? '';
  const out: ConfigDiagnostic[] = [];
  for (const c of catalogue.crossChecks) {
    // Only problems the file takes part in: a conflict already present below it is not its fault.
    // A check may name concrete parameters (MIN_DELAY_1) or templates (MIN_DELAY_n).
    const involved = valid.filter((e) => c.names.includes(e.name) || c.names.includes(catalogue.lookup(e.name)?.def.name ?? ''));
    if (involved.length === 0) continue;
    let message: string | undefined;
    try {
      message = c.check(get);
    } catch (e) {
      // A cross check is catalogue code, not file content; still, a config check reports, never crashes.
      message = `cross check failed to run: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!message) continue;
    // Reported at the file's first line that takes part, under that line's parameter; the message
    // of the check names every parameter concerned.
    const first = involved.reduce((a, b) => (b.line < a.line ? b : a));
    out.push({ line: first.line, name: first.name, code: 'SETTING_CROSS_CHECK', message: `${message} (${c.section})`, severity: 'error' });
  }
  return out;
}

/** Closest known name within edit distance 2 (case-insensitive match first), for typos. */
function suggest(name: string, names: readonly string[]): string | undefined {
  const upper = name.toUpperCase();
  if (upper !== name && names.includes(upper)) return upper;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    if (Math.abs(candidate.length - upper.length) >= bestDistance) continue;
    const d = editDistance(upper, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return Math.min(prev[b.length]!, limit);
}

/**
 * One line per problem, `FILE:LINE: [warning: ][NAME: ]message`, e.g.
 * `site.cfg:12: SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535`. Errors carry no prefix.
 */
export function formatDiagnostic(d: ConfigDiagnostic, fileName: string): string {
  return `${fileName}:${d.line}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.name ? `${d.name}: ` : ''}${d.message}`;
}

/** Closing line of a check: counts, and whether the unit would reject the file. */
export function summarizeCheck(result: CheckResult, fileName: string): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = result.rejected
    ? 'the unit would reject the whole file'
    : `${plural(result.accepted.length, 'parameter')} would apply`;
  return `${fileName}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; ${verdict}`;
}

/** True when the check found an error (exit code 1 for `vphone config check`). */
export function hasErrors(result: CheckResult): boolean {
  return result.rejected || result.diagnostics.some((d) => d.severity === 'error');
}
