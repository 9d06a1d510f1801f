// Catalogue types: one row per configuration parameter drives parsing, validation, web forms,
// export and docs (ARCHITECTURE.md "One canonical settings model, many dialects").
// Values are kept as the strings a configuration file carries (KX-UT670 5.2.2: Integer, Boolean
// "Y"/"N", String, Comma-separated Integer/String); typed views convert them.

/** KX-UT670 5.2.2 value formats. */
export type ValueFormat = 'Integer' | 'Boolean' | 'String' | 'Comma-separated Integer' | 'Comma-separated String';

/**
 * Where a parameter applies. The name template marks the index: a trailing `_n`/`n` for lines,
 * `x` for buttons, `CODEC_ENABLEx_n` (x = codec number, n = line) for codecs.
 */
export type Scope =
  | { readonly kind: 'global' }
  | { readonly kind: 'line'; readonly count: number }
  | { readonly kind: 'button'; readonly count: number }
  | {
      readonly kind: 'codec-line';
      readonly codecs: readonly number[];
      readonly lines: number;
      /** Codec number → canonical codec name (KX-UT670 5.7.1: 0 G722, 1 PCMA, 3 G729, 4 PCMU). */
      readonly codecNames: Readonly<Record<number, string>>;
    };

export interface IntRange {
  readonly min: number;
  readonly max: number;
}

/** Value rules; what the validator checks beyond the format itself. */
export type ValueRule =
  | { readonly kind: 'int'; readonly ranges: readonly IntRange[]; readonly step?: number; readonly unit?: string }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | {
      readonly kind: 'string';
      readonly minLength?: number;
      readonly maxLength?: number;
      /** Also a byte limit (UTF-8), for fields like FLEX_BUTTON_LABELx (10 chars or 30 bytes). */
      readonly maxBytes?: number;
      /** Unicode allowed (5.2.3: only where the range says so); otherwise printable ASCII only. */
      readonly unicode?: boolean;
      /** Characters the range excludes, e.g. `"&':<> ` for passwords. */
      readonly exclude?: string;
      /** Only these characters, e.g. digits `0123456789*#`. */
      readonly only?: string;
      readonly allowEmpty?: boolean;
      /** A whole-value pattern and what to say when it fails. */
      readonly pattern?: RegExp;
      readonly patternHint?: string;
    }
  | {
      readonly kind: 'int-list';
      readonly ranges: readonly IntRange[];
      readonly minCount: number;
      readonly maxCount: number;
      readonly unit?: string;
    }
  | { readonly kind: 'string-list'; readonly values?: readonly string[]; readonly minCount: number; readonly maxCount: number; readonly maxLength?: number };

/** Index of one expanded parameter: which line, button or codec it belongs to. */
export interface ParamIndex {
  readonly line?: number;
  readonly button?: number;
  readonly codec?: number;
}

export interface ParamDef {
  /** The manual's name template, e.g. `SIP_RGSTR_ADDR_n`, `FLEX_BUTTON_LABELx`, `CODEC_ENABLEx_n`. */
  readonly name: string;
  readonly scope: Scope;
  readonly format: ValueFormat;
  readonly rule: ValueRule;
  /** Factory default as the file would carry it; per-index defaults as a function. */
  readonly default: string | ((index: ParamIndex) => string);
  /** Manual section, e.g. `5.8.2`. */
  readonly section: string;
  /** Web UI field and its section, e.g. `Registrar Server Address [4.6.2.2]`. */
  readonly webField?: string;
  readonly description: string;
  /**
   * Canonical settings key the firmware reads (see canonical.ts): for a global row a path into
   * DeviceSettings, for a line row a path into LineSettings, and so on.
   */
  readonly canonical?: string;
  /**
   * Conversion from the stored string to the canonical value when the obvious one (by the
   * canonical default's type: number, boolean from Y/N or Enabled, number[] from a list) is wrong,
   * e.g. SIP_TRANSPORT_n "0" → 'udp'.
   */
  readonly toCanonical?: (value: string) => unknown;
  /** A secret: never logged, exported masked. */
  readonly secret?: boolean;
  /** KX-UT670 2.5 note: configuration files outrank the phone UI for flexible buttons. */
  readonly filesOutrankPhoneUi?: boolean;
  /** Read-only (status values): not settable from files or UI. */
  readonly readOnly?: boolean;
}

/** A cross-parameter rule, e.g. MIN_DELAY_n <= NOM_DELAY_n < MAX_DELAY_n (5.7.2). */
export interface CrossCheck {
  readonly names: readonly string[];
  readonly section: string;
  /** Returns an error message, or undefined when the values agree. Values are effective strings. */
  readonly check: (get: (name: string) => string) => string | undefined;
}

export interface CatalogueSpec {
  readonly model: string;
  readonly params: readonly ParamDef[];
  readonly crossChecks?: readonly CrossCheck[];
}
