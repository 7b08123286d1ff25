// The flagd test bed's gherkin scenarios as evaluation cases: which flag set, which flag with
// which type and code default, which context, and what the answer must be. @cucumber/gherkin
// parses the feature files and expands the scenario outlines (the pickles); this file only reads
// the handful of step sentences the evaluation suites use. A sentence it does not know makes the
// case "not expressible", listed with the sentence, never silently dropped.
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument, type Pickle } from '@cucumber/messages';

export type SdkType = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Expectation {
  value?: Json;
  reason?: string;
  /** '' means "no error code" */
  errorCode?: string;
  /** entries the metadata must contain; `{}` with metadataEmpty for "is empty" */
  metadata?: Record<string, Json>;
  metadataEmpty?: boolean;
}

export interface Case {
  feature: string;
  scenario: string;
  line: number;
  tags: string[];
  /** 'evaluator' (the evaluator suite's file), 'allFlags' (the provider suite's merged files) or a file of flags/ */
  flagSet: string;
  flag: string;
  type: SdkType;
  default: Json;
  context: Record<string, Json>;
  expect: Expectation;
  /** why the case is not run, when it is not */
  skip?: string;
}

/** The scenarios prodx deliberately does not follow, by tag, with the reason. */
export const DELIBERATE_SKIPS: Record<string, string> = {
  '@fractional-v1': 'fractional v1 (float bucketing) is the legacy algorithm; flagd-core 4, which prodx evaluates with, implements v2',
  '@fractional-v3': 'fractional v3 is newer than flagd-core 4 (v2); prodx follows the flagd-core release it ships with',
  '@deprecated': 'deprecated by the test bed itself (no-default flags as FLAG_NOT_FOUND); @no-default-variant replaces it',
};

const unquote = (s: string) => s.replace(/\\"/g, '"');

/** A table cell or quoted step value, typed as the step says. */
export function typed(type: string, raw: string): Json {
  switch (type) {
    case 'Boolean':
      return raw === 'true';
    case 'Integer':
    case 'Float':
      return Number(raw);
    case 'Object':
      return JSON.parse(unquote(raw)) as Json;
    default:
      return raw;
  }
}

function lines(doc: GherkinDocument): Map<string, number> {
  const out = new Map<string, number>();
  for (const child of doc.feature?.children ?? []) {
    const scenarios = [child.scenario, ...(child.rule?.children ?? []).map((c) => c.scenario)];
    for (const s of scenarios) {
      if (!s) continue;
      out.set(s.id, s.location.line);
      for (const ex of s.examples) for (const row of ex.tableBody) out.set(row.id, row.location.line);
    }
  }
  return out;
}

const STEP = {
  evaluator: /^an evaluator$/,
  provider: /^a (stable|metadata) flagd provider$/,
  option: /^an option "([^"]*)" of type "([^"]*)" with value "([^"]*)"$/,
  flag: /^a (\w+)-flag with key "([^"]*)" and a (?:default|fallback) value "((?:[^"\\]|\\.)*)"$/,
  key: /^a context containing a key "([^"]*)", with type "([^"]*)" and with value "((?:[^"\\]|\\.)*)"$/,
  targetingKey: /^a context containing a targeting key with value "([^"]*)"$/,
  nested: /^a context containing a nested property with outer key "([^"]*)" and inner key "([^"]*)", with value "([^"]*)"$/,
  evaluated: /^the flag was evaluated with details$/,
  value: /^the resolved details value should be "((?:[^"\\]|\\.)*)"$/,
  reason: /^the reason should be "([^"]*)"$/,
  errorCode: /^the error-code should be "([^"]*)"$/,
  metadata: /^the resolved metadata should contain$/,
  metadataEmpty: /^the resolved metadata is empty$/,
};

/** A selector option's value as a flag set: `flags/allFlags.json` is the merged set, `rawflags/x.json` one file. */
const selectorSet = (value: string) => (value.endsWith('allFlags.json') ? 'allFlags' : value.replace(/^.*\//, ''));

function toCase(p: Pickle, feature: string, line: number): Case {
  const c: Case = {
    feature,
    scenario: p.name,
    line,
    tags: p.tags.map((t) => t.name),
    flagSet: '',
    flag: '',
    type: 'String',
    default: null,
    context: {},
    expect: {},
  };
  let selector: string | undefined;
  for (const step of p.steps) {
    const t = step.text;
    let m: RegExpExecArray | null;
    if (STEP.evaluator.test(t)) c.flagSet = 'evaluator';
    else if (STEP.provider.test(t)) c.flagSet = selector ? selectorSet(selector) : 'allFlags';
    else if ((m = STEP.option.exec(t))) {
      if (m[1] === 'selector') selector = m[3]!;
      // other options (cache) tune a provider's connection, not what a flag evaluates to
    } else if ((m = STEP.flag.exec(t))) {
      c.type = m[1] as SdkType;
      c.flag = m[2]!;
      c.default = typed(c.type, m[3]!);
    } else if ((m = STEP.key.exec(t))) c.context[m[1]!] = typed(m[2]!, m[3]!);
    else if ((m = STEP.targetingKey.exec(t))) c.context['targetingKey'] = m[1]!;
    else if ((m = STEP.nested.exec(t))) {
      const outer = (c.context[m[1]!] ??= {}) as Record<string, Json>;
      outer[m[2]!] = m[3]!;
    } else if (STEP.evaluated.test(t)) continue;
    else if ((m = STEP.value.exec(t))) c.expect.value = typed(c.type, m[1]!);
    else if ((m = STEP.reason.exec(t))) c.expect.reason = m[1]!;
    else if ((m = STEP.errorCode.exec(t))) c.expect.errorCode = m[1]!;
    else if (STEP.metadata.test(t)) {
      const rows = step.argument?.dataTable?.rows.map((r) => r.cells.map((x) => x.value)) ?? [];
      c.expect.metadata = Object.fromEntries(rows.slice(1).map(([k, type, v]) => [k!, typed(type!, v!)]));
    } else if (STEP.metadataEmpty.test(t)) c.expect.metadataEmpty = true;
    else c.skip = `a step prodx's runner does not know: "${t}"`;
  }
  // a provider step may come before the selector option in a Background; the option wins
  if (selector && c.flagSet === 'allFlags') c.flagSet = selectorSet(selector);
  const deliberate = c.tags.find((tag) => DELIBERATE_SKIPS[tag]);
  if (deliberate) c.skip = `${deliberate}: ${DELIBERATE_SKIPS[deliberate]}`;
  if (!c.skip && (!c.flag || !c.flagSet)) c.skip = 'no flag or no evaluator/provider step';
  return c;
}

/** Every case of one feature file's text. */
export function casesOf(text: string, feature: string): Case[] {
  const newId = IdGenerator.incrementing();
  const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(text);
  const at = lines(doc);
  return compile(doc, feature, newId).map((p) => toCase(p, feature, Math.max(...p.astNodeIds.map((id) => at.get(id) ?? 0))));
}
