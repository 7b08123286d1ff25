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
import { MAX_FRAMES, type ErrorEvent, type ExceptionValue, type Frame, type GroupedEvent, type GroupingOptions } from './event.js';
import { normalizeMessage } from './normalize.js';
import { categoryOf } from './category.js';
import { globMatch, matches } from './rules.js';
import { basename, frameComponent, functionName, PSEUDO_FILES } from './frames.js';

export { globMatch, matches } from './rules.js';
export { functionName, MAX_CONTEXT_LINE } from './frames.js';

type GroupedBy = GroupedEvent['groupedBy'];
interface Grouping {
  groupedBy: GroupedBy;
  components: string[];
}

export const MAX_TITLE_VALUE = 200;
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

// ---- in-app

const CDN_HOSTS = ['unpkg.com', 'cdnjs.cloudflare.com', 'cdn.jsdelivr.net', 'ajax.googleapis.com', 'code.jquery.com'];

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
