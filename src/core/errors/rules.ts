// Globs and matchers for errors.fingerprintRules and errors.categoryRules (Matcher in event.ts).
import type { ErrorEvent, Matcher } from './event.js';
import { functionName, moduleOf } from './frames.js';

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
