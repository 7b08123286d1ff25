// The category of an error event: a rule of errors.categoryRules, else a `category` tag, else
// security (CSP reports, 401/403, auth and CSRF failures), network (failed fetches, refused and
// reset connections, timeouts, CORS, 5xx statuses said as statuses), else javascript.
import { CATEGORIES, MAX_MESSAGE, type Category, type ErrorEvent, type GroupingOptions } from './event.js';
import { matches } from './rules.js';

const SECURITY = /unauthori[sz]ed|forbidden|\bx?csrf\b|\bxsrf\b|content[ -]security[ -]policy/i;
const NETWORK =
  /failed to fetch|networkerror|\bnetwork (?:error|request failed)\b|\bload failed\b|\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND)\b|\btimed out\b|(?<!['"`.])\btime-?out(?:error|exception)?\b(?!['"`])|aborterror|\bcors\b/i;
const REASONS_5XX =
  'internal server error|not implemented|bad gateway|service unavailable|gateway time-?out|http version not supported|' +
  'variant also negotiates|insufficient storage|loop detected|not extended|network authentication required';

/** an HTTP status among `statuses` (an alternation) said as one: `status 502`, `HTTP/1.1 500`, `503 Service Unavailable`, `500` */
function statusPatterns(statuses: string, reasons: string): RegExp[] {
  return [
    new RegExp(`\\b(?:status(?:\\s*code)?|http(?:/\\d(?:\\.\\d)?)?|response\\s*code|error)\\W{0,3}(?:${statuses})\\b`, 'i'),
    new RegExp(`\\b(?:${statuses})\\s+(?:${reasons})\\b`, 'i'),
    new RegExp(`^\\s*(?:${statuses})\\s*$`),
  ];
}
const STATUS_SECURITY = statusPatterns('401|403', 'unauthorized|forbidden');
const STATUS_5XX = statusPatterns('5\\d\\d', REASONS_5XX);

export function categoryOf(e: ErrorEvent, o: GroupingOptions): Category {
  const rule = o.categoryRules.find((r) => matches(r.match, e));
  if (rule) return rule.category;
  const tag = Object.hasOwn(e.tags, 'category') ? e.tags.category : undefined;
  if (tag !== undefined && (CATEGORIES as readonly string[]).includes(tag)) return tag as Category;
  // each text on its own: "Error" and "500 rows" joined would read as "Error 500"
  const texts = [e.message, ...e.exceptions.flatMap((x) => [x.type, x.value])]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .map((s) => s.slice(0, MAX_MESSAGE));
  const says = (patterns: readonly RegExp[]): boolean => texts.some((t) => patterns.some((p) => p.test(t)));
  if (e.source === 'csp' || says([SECURITY, ...STATUS_SECURITY])) return 'security';
  if (says([NETWORK, ...STATUS_5XX])) return 'network';
  return 'javascript';
}
