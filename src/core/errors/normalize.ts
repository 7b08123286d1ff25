// Sentry's message parameterization: the variable parts of an error message (ids, addresses,
// times, numbers) become placeholders, so "Order 4711 failed after 350ms" and "Order 9 failed
// after 2 seconds" are one message, "Order <int> failed after <duration>". Only the first two
// non-empty lines count (a stack or a dump below them is no part of what went wrong).
//
// The replacements run in order, the more specific first: a URL before the email inside it, an
// IP before the floats it is made of, a date before its integers, a duration before its number.
// A placeholder holds no digit a later pattern could take (`<sha1>` and `<md5>` have theirs
// after a letter, which the number patterns refuse).
//
// Cost: the input is cut to MAX_MESSAGE characters before any regex, and every pattern starts at
// a boundary its first token needs (a lookbehind) with bounded or unambiguous repetition, so each
// one is linear in the length: a 1 MB message costs what 8 KB do.
import { MAX_MESSAGE } from './event.js';

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const HEX4 = '[0-9a-f]{1,4}';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const TIME = '\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?';
const ZONE = '(?:Z|[+-]\\d{2}:?\\d{2})';

/** [pattern, placeholder], applied in this order */
const RULES: readonly (readonly [RegExp, string])[] = [
  // scheme://anything up to a blank or a quote, not ending on punctuation
  [/(?<![\w+.-])[a-z][a-z\d+.-]{0,30}:\/\/[^\s"'<>`]*[^\s"'<>`.,;:!?)\]}]/gi, '<url>'],
  [/(?<![\w.+%-])[\w.+%-]{1,64}@[a-z\d](?:[a-z\d-]{0,62}\.)+[a-z]{2,63}(?![\w-])/gi, '<email>'],
  // IPv6 (with a digit somewhere: `a::b` is C++): eight groups, or fewer around one `::`,
  // optionally ending in an IPv4; then IPv4
  [
    new RegExp(
      `(?<![\\w:.])(?=[\\da-f:]*\\d)(?:(?:${HEX4}:){7}${HEX4}|(?:${HEX4}:){1,7}:(?:${HEX4}(?::${HEX4}){0,5}|${IPV4})?|::(?:${HEX4}(?::${HEX4}){0,6}|(?:ffff:)?${IPV4}))(?![\\w:]|\\.\\d)`,
      'gi',
    ),
    '<ip>',
  ],
  [new RegExp(`(?<![\\w.])${IPV4}(?!\\w|\\.\\d)`, 'g'), '<ip>'],
  [/(?<![\w-])[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?![\w-])/gi, '<uuid>'],
  [/(?<!\w)[\da-f]{40}(?!\w)/gi, '<sha1>'],
  [/(?<!\w)[\da-f]{32}(?!\w)/gi, '<md5>'],
  // JavaScript's Date#toString: Tue Dec 01 2026 10:00:00 GMT+0000 (Coordinated Universal Time)
  [new RegExp(`(?<!\\w)${DAY} ${MONTH} \\d{2} \\d{4} ${TIME} GMT[+-]\\d{4}(?: \\([^()\\n]{1,60}\\))?`, 'g'), '<date>'],
  // RFC 2822 / HTTP dates: Tue, 01 Dec 2026 10:00:00 GMT
  [new RegExp(`(?<!\\w)(?:${DAY}, ?)?\\d{1,2} ${MONTH} \\d{4}(?: ${TIME}(?: (?:[+-]\\d{4}|GMT|UTC|[A-Z]{3}))?)?(?!\\w)`, 'g'), '<date>'],
  // ISO 8601: 2026-12-01, 2026-12-01T10:00:00.123Z, 2026-12-01 10:00:00+01:00
  [new RegExp(`(?<![\\w-])\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?${ZONE}?)?(?![\\w-])`, 'g'), '<date>'],
  [new RegExp(`(?<![\\w:.])${TIME}(?: ?[AP]M)?${ZONE}?(?![\\w:])`, 'g'), '<date>'],
  [
    /(?<![\w.])\d+(?:\.\d+)?(?:\s?(?:ns|nanoseconds?|µs|us|microseconds?|ms|msecs?|milliseconds?|s|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)|m|h)(?!\w)/g,
    '<duration>',
  ],
  [/(?<!\w)0x[\da-f]+(?!\w)/gi, '<hex>'],
  [/(?<![\w.])\d+\.\d+(?:e[+-]?\d+)?(?!\w|\.\d)/gi, '<float>'],
  [/(?<![\w.])\d+(?!\w|\.\d)/g, '<int>'],
];

/** the first two non-empty lines of a message, trimmed, with its variable parts as placeholders */
export function normalizeMessage(message: string): string {
  let text = firstLines(String(message).slice(0, MAX_MESSAGE), 2);
  for (const [pattern, placeholder] of RULES) text = text.replace(pattern, placeholder);
  return text;
}

/** the first `n` non-empty lines, trimmed, joined with "\n" */
function firstLines(text: string, n: number): string {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line !== '') lines.push(line);
    if (lines.length === n) break;
  }
  return lines.join('\n');
}
