// What grouping reads of a frame (Sentry's rules): the function name without its object path,
// `async`/`new` and eval or native noise; the module (for a URL: the path with content hashes and
// version segments stripped, so a redeploy does not make new groups), else the file's basename.
import type { Frame } from './event.js';

/** a source line longer than this is left out of grouping (minified code) */
export const MAX_CONTEXT_LINE = 120;

/** file names that are no file */
export const PSEUDO_FILES = new Set(['<anonymous>', 'native', '[native code]']);

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
export function moduleOf(f: Frame): string | undefined {
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

export function basename(file: string): string {
  const path = file.replace(/[?#][\s\S]*$/, '');
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** what one frame contributes, or undefined when it contributes nothing */
export function frameComponent(f: Frame): string | undefined {
  if (isNative(f)) return undefined;
  const fn = isEval(f) || f.function === undefined ? undefined : functionName(f.function);
  const module = moduleOf(f);
  const line = f.context_line?.trim();
  const context = line && line.length <= MAX_CONTEXT_LINE ? line : undefined;
  if (!fn && !module && !context) return undefined;
  return JSON.stringify([fn ?? '', module ?? '', context ?? '']);
}

/** the in-app frames' components (all frames' when none is in-app), recursion counted once */
