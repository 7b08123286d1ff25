// Which group an error event belongs to, after Sentry's grouping: events whose grouping
// components are equal share a group, and the group is the first 128 bits of the sha-256 of them.
// - A fingerprint (the first matching `errors.fingerprintRules` rule, else the client's) decides
//   alone; `{{ default }}` in it stands for the default components.
// - Else the exception chain: each exception gives its type and its stack's in-app frames (all
//   frames when none is in-app); one without a usable stack gives its type and normalized value.
//   A frame gives its function (without receiver or `async`/`new`), its module (the URL's path
//   without content hashes, versions and extension; or the file's basename) and its short
//   context line: never a line or column number, so a rebuild or an edit above does not split
//   a group. Recursion counts once. A synthetic exception (captureMessage) has no stack to speak of.
// - Else the normalized message; an event with nothing at all is the message "<empty>".
// `in_app` as the SDK sent it is ignored (browser SDKs mark every frame in-app): `isInApp` decides.
import { createHash } from 'node:crypto';
import {
  CATEGORIES,
  MAX_FRAMES,
  MAX_MESSAGE,
  type Category,
  type ErrorEvent,
  type ExceptionValue,
  type Frame,
  type GroupedEvent,
  type GroupingOptions,
  type Matcher,
} from './event.js';
import { normalizeMessage } from './normalize.js';

type GroupedBy = GroupedEvent['groupedBy'];
interface Grouping {
  groupedBy: GroupedBy;
  components: string[];
}

export const MAX_TITLE_VALUE = 200;
export const MAX_CONTEXT_LINE = 120;
export const EMPTY_MESSAGE = '<empty>';

/** the first 128 bits of the sha-256 of the components, remembered for the groups seen lately */
const hashes = new Map<string, string>();
function hashOf(text: string): string {
  let h = hashes.get(text);
  if (h === undefined) {
    if (hashes.size >= MEMO_SIZE) hashes.clear();
    h = createHash('sha256').update(text).digest('hex').slice(0, 32);
    hashes.set(text, h);
  }
  return h;
}

export function groupEvent(e: ErrorEvent, o: GroupingOptions): GroupedEvent {
  const grouping = fingerprintGrouping(e, o) ?? defaultGrouping(e, o);
  const group = hashOf(grouping.components.join('\n'));
  return { ...e, group, title: titleOf(e), culprit: culpritOf(e, o), category: categoryOf(e, o), groupedBy: grouping.groupedBy };
}

// ---- globs and matchers

/** a Sentry glob (`*` any run, `?` one character) against the whole value, case-insensitively */
export function globMatch(glob: string, value: string): boolean {
  const p = glob.toLowerCase();
  const s = value.toLowerCase();
  // the classic two-pointer wildcard match: O(length of p × length of s) at worst, no regex
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === s[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star !== -1) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (p[i] === '*') i++;
  return i === p.length;
}

/**
 * Whether an event matches (every key given must): `type` any exception's type, `message` the
 * message or any exception's value, `function` any frame's function as the runtime named it or
 * as grouping trims it (`Object.fetchForecast` or `fetchForecast`), `module` any frame's module
 * as given or as grouping derives it, `filename` any frame's filename, `level`, and every tag.
 */
export function matches(m: Matcher, e: ErrorEvent): boolean {
  const frames = e.exceptions.flatMap((x) => x.frames);
  const any = (glob: string | undefined, values: readonly (string | undefined)[]): boolean =>
    glob === undefined || values.some((v) => v !== undefined && globMatch(glob, v));
  const types = e.exceptions.map((x) => x.type);
  const messages = [e.message, ...e.exceptions.map((x) => x.value)];
  const functions = frames.flatMap((f) => (f.function === undefined ? [] : [f.function, functionName(f.function)]));
  const modules = frames.flatMap((f) => [f.module, moduleOf(f)]);
  const filenames = frames.map((f) => f.filename);
  const tagsMatch = Object.entries(m.tags ?? {}).every(([key, glob]) => {
    const value = Object.hasOwn(e.tags, key) ? e.tags[key] : undefined;
    return value !== undefined && globMatch(glob, value);
  });
  return (
    tagsMatch &&
    any(m.type, types) &&
    any(m.message, messages) &&
    any(m.function, functions) &&
    any(m.module, modules) &&
    any(m.filename, filenames) &&
    any(m.level, [e.level])
  );
}

// ---- in-app

const CDN_HOSTS = ['unpkg.com', 'cdnjs.cloudflare.com', 'cdn.jsdelivr.net', 'ajax.googleapis.com', 'code.jquery.com'];
const PSEUDO_FILES = new Set(['<anonymous>', 'native', '[native code]']);

/** whether a frame is the app's own code (prodx's rules, whatever the SDK's `in_app` said) */
export function isInApp(frame: Frame, notInApp: readonly string[]): boolean {
  for (const where of [frame.filename, frame.module]) {
    if (where === undefined || where === '') continue;
    if (isLibraryPath(where) || notInApp.some((glob) => globMatch(glob, where))) return false;
  }
  return true;
}

function isLibraryPath(where: string): boolean {
  const w = where.toLowerCase().replaceAll('\\', '/');
  if (w.includes('node_modules') || w.startsWith('node:') || w.startsWith('internal/') || w.includes('/vendor/')) return true;
  if (PSEUDO_FILES.has(w) || w.includes('[native code]')) return true;
  const host = /^(?:[a-z][a-z\d+.-]*:)?\/\/(?:[^@/?#]*@)?([^/:?#]*)/.exec(w)?.[1];
  return host !== undefined && CDN_HOSTS.some((cdn) => host === cdn || host.endsWith(`.${cdn}`));
}

// ---- frames

const NO_FUNCTION = new Set(['', '?', '<anonymous>', 'anonymous', '<unknown>', 'eval', 'global code', 'anonymous function']);

/** the function's own name: `Object.fetchForecast` → `fetchForecast`; undefined when it has none */
export function functionName(raw: string): string | undefined {
  let name = raw
    .trim()
    .replace(/ \[as [^\]]*\]$/, '') // V8's `Foo.bar [as baz]`
    .replace(/^(?:(?:async|new|get|set|static)\s+)+/, '')
    .replace(/[/<]+$/, ''); // Firefox's `outer/<`, `outer/inner<`
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.slice(name.lastIndexOf('.') + 1);
  return NO_FUNCTION.has(name.toLowerCase()) ? undefined : name;
}

function isNative(f: Frame): boolean {
  const file = f.filename?.toLowerCase();
  return file === 'native' || file === '[native code]';
}

function isEval(f: Frame): boolean {
  return f.function?.trim() === 'eval' || /^eval\b|> eval\b|^<anonymous>$/.test(f.filename ?? '');
}

/** the frame's module as the SDK gave it, else derived from its filename; undefined for none */
function moduleOf(f: Frame): string | undefined {
  if (f.module) return f.module;
  const file = f.filename;
  if (!file || PSEUDO_FILES.has(file.toLowerCase()) || /^eval\b/.test(file)) return undefined;
  if (/^https?:\/\//i.test(file)) return urlModule(file) || undefined;
  return basename(file).toLowerCase() || undefined;
}

const HASH = /[.-](?:[\da-f]{7,}|(?=\w{0,7}\d)[a-z\d_]{8})(?=[.-]|$)/gi;
const VERSION_SEGMENT = /^v?\d+(?:\.\d+)*(?:[-+][\w.]+)?$/i;
const HASH_SEGMENT = /^(?:[\da-f]{7,8}|[\da-f]{32}|[\da-f]{40})$/i;

/** `https://cdn.example/npm/lib@1.2.3/dist/app.3f2a1b9c.min.js?v=2` → `npm/lib/dist/app` */
function urlModule(url: string): string {
  const path = url.replace(/^https?:\/\/[^/?#]*/i, '').replace(/[?#][\s\S]*$/, '');
  const segments = path
    .split('/')
    .map((s) => s.replace(/@v?\d[\w.+-]*$/, ''))
    .filter((s) => s !== '' && !VERSION_SEGMENT.test(s) && !HASH_SEGMENT.test(s));
  const last = segments.pop();
  if (last === undefined) return '';
  const name = last.replace(HASH, '').replace(/(?:\.min)?\.[a-z\d]{1,5}$/i, '');
  return [...segments, name].join('/');
}

function basename(file: string): string {
  const path = file.replace(/[?#][\s\S]*$/, '');
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** what one frame contributes, or undefined when it contributes nothing */
function frameComponent(f: Frame): string | undefined {
  if (isNative(f)) return undefined;
  const fn = isEval(f) || f.function === undefined ? undefined : functionName(f.function);
  const module = moduleOf(f);
  const line = f.context_line?.trim();
  const context = line && line.length <= MAX_CONTEXT_LINE ? line : undefined;
  if (!fn && !module && !context) return undefined;
  return JSON.stringify([fn ?? '', module ?? '', context ?? '']);
}

/** the in-app frames' components (all frames' when none is in-app), recursion counted once */
// What a frame contributes, remembered: an app's frames repeat in every event of a group, and
// the rules (library paths, module names from URLs, function names) are the costliest part of
// grouping (bench/errors-group.mjs). Bounded: past 20,000 frames the memo starts again.
interface FrameInfo {
  inApp: boolean;
  component: string | undefined;
  culprit: string;
}
const frameMemo = new WeakMap<readonly string[], Map<string, FrameInfo>>();
const MEMO_SIZE = 20_000;

function infoOf(f: Frame, notInApp: readonly string[]): FrameInfo {
  let memo = frameMemo.get(notInApp);
  if (!memo) frameMemo.set(notInApp, (memo = new Map()));
  const key = `${f.filename ?? ''}\u0000${f.module ?? ''}\u0000${f.function ?? ''}\u0000${f.context_line ?? ''}`;
  let info = memo.get(key);
  if (!info) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    const fn = f.function === undefined ? undefined : functionName(f.function);
    const where = f.module || (f.filename ? basename(f.filename) : '');
    info = { inApp: isInApp(f, notInApp), component: frameComponent(f), culprit: fn && where ? `${fn} (${where})` : fn || where };
    memo.set(key, info);
  }
  return info;
}

function stackComponents(frames: readonly Frame[], notInApp: readonly string[]): string[] {
  const kept = (frames.length > MAX_FRAMES ? frames.slice(-MAX_FRAMES) : frames).map((f) => infoOf(f, notInApp));
  const anyInApp = kept.some((i) => i.inApp);
  const out: string[] = [];
  for (const i of kept) {
    if (anyInApp && !i.inApp) continue;
    if (i.component !== undefined && i.component !== out.at(-1)) out.push(i.component);
  }
  return out;
}

// ---- the default grouping and the fingerprint

function exceptionGrouping(x: ExceptionValue, o: GroupingOptions): Grouping | undefined {
  const type = x.type?.trim() ?? '';
  const frames = stackComponents(x.frames, o.notInApp);
  if (frames.length > 0) return { groupedBy: 'stacktrace', components: [type, ...frames] };
  const value = normalizeMessage(x.value ?? '');
  return type || value ? { groupedBy: 'exception', components: [type, value] } : undefined;
}

function defaultGrouping(e: ErrorEvent, o: GroupingOptions): Grouping {
  const chain = e.exceptions.filter((x) => !x.synthetic).flatMap((x) => exceptionGrouping(x, o) ?? []);
  if (chain.length > 0) {
    const groupedBy = chain.some((g) => g.groupedBy === 'stacktrace') ? 'stacktrace' : 'exception';
    return { groupedBy, components: chain.flatMap((g) => g.components) };
  }
  return { groupedBy: 'message', components: [normalizeMessage(messageOf(e)) || EMPTY_MESSAGE] };
}

/** the event's message, else a synthetic exception's value (captureMessage with a stack) */
function messageOf(e: ErrorEvent): string {
  const candidates = [e.message, ...e.exceptions.filter((x) => x.synthetic).map((x) => x.value)];
  return candidates.find((m) => m !== undefined && m.trim() !== '') ?? '';
}

const DEFAULT_PART = /^\s*\{\{\s*default\s*\}\}\s*$/i;

function fingerprintGrouping(e: ErrorEvent, o: GroupingOptions): Grouping | undefined {
  const rule = o.fingerprintRules.find((r) => matches(r.match, e));
  const fingerprint = rule ? rule.fingerprint : e.fingerprint;
  // no fingerprint, or only `{{ default }}`: the default grouping as it is
  if (!fingerprint || fingerprint.every((part) => DEFAULT_PART.test(part))) return undefined;
  let defaults: string[] | undefined;
  const components = fingerprint.flatMap((part) =>
    DEFAULT_PART.test(part) ? (defaults ??= defaultGrouping(e, o).components) : [String(part)],
  );
  return { groupedBy: 'fingerprint', components };
}

// ---- title, culprit, category

function titleOf(e: ErrorEvent): string {
  const x = e.exceptions.find((x) => !x.synthetic && (x.type?.trim() || x.value?.trim()));
  if (x) {
    const type = x.type?.trim() ?? '';
    const v = (x.value ?? '').trim();
    const nl = v.search(/\r?\n/);
    const value = (nl < 0 ? v : v.slice(0, nl)).slice(0, MAX_TITLE_VALUE);
    return type && value ? `${type}: ${value}` : type || value;
  }
  return normalizeMessage(messageOf(e)).split('\n', 1)[0] || EMPTY_MESSAGE;
}

/** `function (module)` of the innermost in-app frame of the outermost exception that has one */
function culpritOf(e: ErrorEvent, o: GroupingOptions): string {
  for (const x of e.exceptions) {
    if (x.synthetic) continue; // captureMessage's stack says where it was sent, not what failed
    for (let i = x.frames.length - 1; i >= 0; i--) {
      const info = infoOf(x.frames[i]!, o.notInApp);
      if (info.inApp && info.culprit) return info.culprit;
    }
  }
  return '';
}

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

function categoryOf(e: ErrorEvent, o: GroupingOptions): Category {
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
