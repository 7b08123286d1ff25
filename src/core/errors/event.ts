// Error events as prodx stores them (DESIGN.md "Error events"): one shape whatever sent them — a
// Sentry SDK's envelope (`event` items, or the older store endpoint), a browser's CSP report, or
// prodx's own JSON at POST /v1/errors. The collector turns each into an `ErrorEvent` (src/core/
// errors/sentry.ts, own.ts, csp.ts), the grouping (grouping.ts) gives it its group, and the
// store keeps the line and the rollups per group and hour.

export const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];

export const CATEGORIES = ['javascript', 'network', 'security', 'business'] as const;
export type Category = (typeof CATEGORIES)[number];

/** one stack frame, innermost last (Sentry's order) */
export interface Frame {
  /** the function as the runtime names it (`Object.fetchForecast`, `async render`), if any */
  function?: string;
  /** the file path or URL */
  filename?: string;
  /** the module (Sentry's `module`: a dotted or slashed path without extension), if the SDK gave one */
  module?: string;
  lineno?: number;
  colno?: number;
  /** the line of source the frame points at, when the SDK read it */
  context_line?: string;
  /** what the SDK said; prodx's own rules decide (grouping.ts `isInApp`) */
  in_app?: boolean;
}

export interface ExceptionValue {
  type?: string;
  value?: string;
  /** innermost frame last */
  frames: Frame[];
  /** Sentry's mechanism.synthetic: the stack was made by the SDK (captureMessage), not thrown */
  synthetic?: boolean;
}

export interface ErrorEvent {
  /** 32 hex characters (Sentry's event_id), made by the collector when absent */
  id: string;
  /** epoch ms */
  ts: number;
  /** where it came from: sentry (envelope or store), csp, prodx (POST /v1/errors) */
  source: 'sentry' | 'csp' | 'prodx';
  /** the Sentry project from the URL; "default" for /v1/errors and /v1/csp */
  project: string;
  platform: string;
  level: Level;
  /** the message (Sentry's message or logentry.formatted / logentry.message) */
  message?: string;
  /** the exception chain, outermost first (Sentry lists the outermost last: reversed on the way in) */
  exceptions: ExceptionValue[];
  /** a client fingerprint: `{{ default }}` stands for the default grouping */
  fingerprint?: string[];
  release: string;
  environment: string;
  /** the user's id, email, username or ip, whichever came first, or "" */
  user: string;
  /** the session id, or "" */
  session: string;
  url?: string;
  tags: Record<string, string>;
}

/** what the grouping adds; stored with the event */
export interface GroupedEvent extends ErrorEvent {
  /** 32 hex characters: the first 128 bits of the sha-256 of the grouping components */
  group: string;
  /** a title for the group: "TypeError: x is undefined", or the normalised message */
  title: string;
  /** the function and file of the first in-app frame (innermost), Sentry's "culprit" */
  culprit: string;
  category: Category;
  /** what decided the group: fingerprint, stacktrace, exception, message */
  groupedBy: 'fingerprint' | 'stacktrace' | 'exception' | 'message';
}

/** caps that keep one event small: longer strings are cut */
export const MAX_MESSAGE = 8_192;
export const MAX_FRAMES = 50;
export const MAX_LINE = 1_024;
export const MAX_TAG = 200;

/**
 * What a rule matches (every key given must match). Values are globs as in Sentry's fingerprint
 * rules: `*` any run of characters, `?` one character, matched case-insensitively against the
 * whole value. `function`, `module` and `filename` match when any frame of the event matches.
 */
export interface Matcher {
  type?: string;
  message?: string;
  function?: string;
  module?: string;
  filename?: string;
  level?: string;
  tags?: Record<string, string>;
}

/** `errors.fingerprintRules`: events that match get this fingerprint (`{{ default }}` allowed) */
export interface FingerprintRule {
  match: Matcher;
  fingerprint: string[];
}

/** `errors.categoryRules`: events that match get this category (before the built-in rules) */
export interface CategoryRule {
  match: Matcher;
  category: Category;
}

export interface GroupingOptions {
  fingerprintRules: readonly FingerprintRule[];
  categoryRules: readonly CategoryRule[];
  /** extra globs of frame filenames or modules that are not the app's code (`errors.notInApp`) */
  notInApp: readonly string[];
}
