// Dial plan of the KX-UT670 (6.6): parser, matcher and the clock-driven digit collector.
export * from './types.js';
export { parseDialPlan, MAX_DIAL_PLAN_ALTERNATIVES, MAX_DIAL_PLAN_CHARS, MAX_DIAL_PLAN_DIGITS } from './parse.js';
export { matchAlternative, matchDialPlan, compareSpecificity, type AlternativeMatch, type PlanMatch } from './match.js';
export { DigitCollector, type CollectorAction, type CollectorTimerName, type DialEnd, type DigitCollectorOptions } from './collector.js';
export { collectorOptionsFor, type LineDialSettings } from './settings.js';
