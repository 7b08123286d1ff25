// Changes to the flags file as text edits: only the bytes of the changed values move, so key
// order, formatting and every other flag stay exactly as the team wrote them (a reviewable
// one-line diff). jsonc-parser locates the values; its `modify` is not used because it reformats
// the surrounding lines. Every result is validated again before anyone may write it.
import { applyEdits, findNodeAtLocation, parseTree, type Edit, type Node } from 'jsonc-parser';
import { ExitCode, ProdxError } from '../errors.js';
import { closest } from '../config/issues.js';
import { planRollout } from './rollout.js';
import type { AuditEntry, FlagDefinition, FlagsDocument } from './types.js';
import { validateFlagsText, type ValidFlags } from './validate.js';

export interface FlagEdit {
  flag: string;
  action: AuditEntry['action'];
  /** false when the file already said so: nothing to write, nothing to audit */
  changed: boolean;
  text: string;
  before: FlagDefinition;
  after: FlagDefinition;
  summary: string;
  /** the validated result, when changed */
  next?: ValidFlags;
}

/** The flag, or a one-line error that names the closest key. */
export function requireFlag(doc: FlagsDocument, key: string, file: string): FlagDefinition {
  // own keys only: `constructor` or `toString` are not flags just because every object has them
  const flag = Object.hasOwn(doc.flags, key) ? doc.flags[key] : undefined;
  if (flag) return flag;
  const guess = closest(key, Object.keys(doc.flags));
  throw new ProdxError(
    'flag-unknown',
    `no flag "${key}" in ${file}${guess ? ` (did you mean "${guess}"?)` : ''}: run \`prodx flags list\` to see the flags.`,
    ExitCode.badInput,
    { flag: key, file },
  );
}

function nodeAt(root: Node, path: (string | number)[], what: string): Node {
  const node = findNodeAtLocation(root, path);
  if (!node) throw new Error(`${what} not found at ${path.join('.')}`);
  return node;
}

/** Applies the edits and validates the result; refuses (throws) when the file would be invalid. */
export function commitText(key: string, action: FlagEdit['action'], text: string, edits: Edit[], file: string, summary: string): FlagEdit {
  const next = applyEdits(text, edits);
  // the full check, flagd's schema included, before anything may be written
  const checked = validateFlagsText(next, { compile: false });
  // problems in other flags were there before and are theirs; this flag must be sound
  const mine = checked.ok ? checked.warnings.filter((w) => w.flag === key) : checked.problems;
  if (!checked.ok || mine.length > 0) {
    const p = mine[0]!;
    throw new ProdxError(
      'flags-change-refused',
      `refused: after this change "${key}" would not pass flagd's checks (${p.path}: ${p.message}); ${file} is unchanged.`,
      ExitCode.badInput,
      { file, problems: mine },
    );
  }
  const before = JSON.parse(text).flags[key] as FlagDefinition;
  return { flag: key, action, changed: next !== text, text: next, before, after: checked.doc.flags[key]!, summary, next: checked };
}

/** `prodx flags enable|disable`: rewrites the flag's "state" value and nothing else. */
export function setFlagState(text: string, doc: FlagsDocument, key: string, enabled: boolean, file: string): FlagEdit {
  const flag = requireFlag(doc, key, file);
  const state = enabled ? 'ENABLED' : 'DISABLED';
  const action = enabled ? 'enable' : 'disable';
  if (flag.state === state)
    return { flag: key, action, changed: false, text, before: flag, after: flag, summary: `already ${enabled ? 'enabled' : 'disabled'}` };
  const root = parseTree(text)!;
  const node = nodeAt(root, ['flags', key, 'state'], 'state');
  return commitText(
    key,
    action,
    text,
    [{ offset: node.offset, length: node.length, content: JSON.stringify(state) }],
    file,
    enabled ? 'enabled' : 'disabled',
  );
}

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;

/** `prodx flags set-rollout`: rewrites the weights of the flag's fractional rule and nothing else. */
export function setFlagRollout(text: string, doc: FlagsDocument, key: string, percent: number, file: string, variant?: string): FlagEdit {
  const flag = requireFlag(doc, key, file);
  const plan = planRollout(key, flag, percent, variant, doc.$evaluators);
  const root = parseTree(text)!;
  const base: (string | number)[] = ['flags', key, 'targeting', ...plan.rule.path];
  const edits: Edit[] = [];
  plan.rule.buckets.forEach((b, i) => {
    const weight = plan.weights[i]!;
    if (b.hasWeight) {
      if (b.weight === weight) return;
      const node = nodeAt(root, [...base, b.index, 1], 'weight');
      edits.push({ offset: node.offset, length: node.length, content: String(weight) });
    } else {
      // ["off"] weighs 1 in flagd; write the weight right after the variant name
      const name = nodeAt(root, [...base, b.index, 0], 'variant');
      edits.push({ offset: name.offset + name.length, length: 0, content: `, ${weight}` });
    }
  });
  const summary = `rollout ${pct(plan.fromPercent)} → ${pct(percent)} ${plan.variant}`;
  if (edits.length === 0)
    return {
      flag: key,
      action: 'set-rollout',
      changed: false,
      text,
      before: flag,
      after: flag,
      summary: `already ${pct(percent)} ${plan.variant}`,
    };
  return commitText(key, 'set-rollout', text, edits, file, summary);
}
