// `npm run conformance -- [dir]`: every evaluation scenario of the official flagd test bed
// (default ../shared/flagd-testbed, read where it lies) through prodx's evaluator, its CLI and
// its OFREP endpoint, per feature file: cases, and how many each channel answers as the test
// bed says. Every disagreement is printed; exit 1 when there is one.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { casesOf, type Case, type Json } from './cases.js';
import { cliChannel, closeSdks, evaluatorChannel, ofrepServerChannel, ofrepWebChannel, serve, workspace, type Answer } from './channels.js';

const CHANNELS = ['evaluator', 'cli', 'ofrep-provider', 'ofrep-web-provider'] as const;
type Channel = (typeof CHANNELS)[number];

/** A later file's keys over an earlier one's, objects merged key by key: the test bed launchpad's allFlags.json. */
function deepMerge(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(src)) {
    const d = dst[k];
    const both = [d, v].every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
    dst[k] = both ? deepMerge(d as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return dst;
}

function flagSetText(dir: string, set: string): string {
  if (set === 'evaluator') return readFileSync(join(dir, 'evaluator', 'flags', 'testkit-flags.json'), 'utf8');
  if (set !== 'allFlags') return readFileSync(join(dir, 'flags', set), 'utf8');
  const files = readdirSync(join(dir, 'flags'))
    .filter((f) => f.endsWith('.json') && !f.startsWith('selector-'))
    .sort();
  const merged = files.reduce(
    (acc, f) => deepMerge(acc, JSON.parse(readFileSync(join(dir, 'flags', f), 'utf8'))),
    {} as Record<string, unknown>,
  );
  return JSON.stringify(merged, null, 2);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
const canon = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canon)
    : typeof v === 'object' && v !== null
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
        )
      : v;

/** What differs between the test bed's expectation and an answer, or null when nothing does. */
function disagreement(c: Case, a: Answer): string | null {
  const e = c.expect;
  const out: string[] = [];
  if ('value' in e && !same(e.value, a.value)) out.push(`value ${JSON.stringify(a.value)}, expected ${JSON.stringify(e.value)}`);
  if (e.reason !== undefined && e.reason !== a.reason) out.push(`reason ${a.reason}, expected ${e.reason}`);
  if (e.errorCode !== undefined && (e.errorCode || undefined) !== a.errorCode)
    out.push(`error code ${a.errorCode ?? 'none'}, expected ${e.errorCode || 'none'}`);
  if (e.metadata)
    for (const [k, v] of Object.entries(e.metadata))
      if (!same(a.metadata[k], v)) out.push(`metadata ${k} ${JSON.stringify(a.metadata[k])}, expected ${JSON.stringify(v)}`);
  if (e.metadataEmpty && Object.keys(a.metadata).length > 0) out.push(`metadata ${JSON.stringify(a.metadata)}, expected none`);
  return out.length ? out.join('; ') : null;
}

/**
 * @openfeature/ofrep-provider 0.1.3, the newest on npm, predates OFREP's ADR-0006: a 200 without
 * a value (a disabled flag, a flag that defers to the code default) is a type mismatch to it. The
 * web provider implements the ADR; those cases are judged there.
 */
const codeDefaultSuccess = (a: Answer | undefined) =>
  a !== undefined && a.reason !== 'ERROR' && a.errorCode === undefined && a.variant === undefined;

async function runSet(dir: string, bin: string, set: string, cases: Case[], answers: Map<Case, Partial<Record<Channel, Answer | string>>>) {
  const text = flagSetText(dir, set);
  const put = (ch: Channel, list: Answer[]) => list.forEach((a, i) => (answers.get(cases[i]!)![ch] = a));
  put('evaluator', evaluatorChannel(text, cases));
  const ws = workspace(text);
  try {
    put('cli', cliChannel(bin, ws.config, ws.dir, cases));
    const server = await serve(bin, ws.config);
    try {
      const evaluated = cases.map((c) => answers.get(c)!.evaluator as Answer);
      const single = cases.filter((_, i) => !codeDefaultSuccess(evaluated[i]));
      const viaServer = await ofrepServerChannel(server.url, `server-${set}`, single);
      single.forEach((c, i) => (answers.get(c)!['ofrep-provider'] = viaServer[i]!));
      for (const c of cases)
        answers.get(c)!['ofrep-provider'] ??=
          'not expressible: ofrep-provider 0.1.3 predates OFREP ADR-0006 (judged through the web provider)';
      put('ofrep-web-provider', await ofrepWebChannel(server.url, `web-${set}`, cases));
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

async function main() {
  const dir = resolve(process.argv[2] ?? '../shared/flagd-testbed');
  const bin = resolve(process.argv[3] ?? 'bin/prodx.js');
  if (!existsSync(join(dir, 'gherkin')) || !existsSync(join(dir, 'evaluator', 'gherkin')))
    throw new Error(
      `${dir} is not the flagd test bed (no gherkin/ and evaluator/gherkin/): pass its folder, e.g. npm run conformance -- ../flagd-testbed`,
    );
  const features = [
    ...readdirSync(join(dir, 'gherkin')).map((f) => join('gherkin', f)),
    ...readdirSync(join(dir, 'evaluator', 'gherkin')).map((f) => join('evaluator', 'gherkin', f)),
  ].filter((f) => f.endsWith('.feature'));
  const all = features.flatMap((f) => casesOf(readFileSync(join(dir, f), 'utf8'), f));
  const run = all.filter((c) => !c.skip);
  const answers = new Map(run.map((c) => [c, {} as Partial<Record<Channel, Answer | string>>]));
  for (const set of [...new Set(run.map((c) => c.flagSet))])
    await runSet(
      dir,
      bin,
      set,
      run.filter((c) => c.flagSet === set),
      answers,
    );
  await closeSdks();
  return report(dir, features, all, answers);
}

function report(dir: string, features: string[], all: Case[], answers: Map<Case, Partial<Record<Channel, Answer | string>>>): number {
  console.log(`flagd test bed at ${dir}: ${all.length} cases in ${features.length} feature files\n`);
  console.log(`${'FEATURE'.padEnd(46)}${'CASES'.padStart(6)}${'SKIP'.padStart(6)}  ${CHANNELS.map((c) => c.padStart(19)).join('')}`);
  const wrong: string[] = [];
  const notExpressible = new Map<string, number>();
  for (const f of features) {
    const mine = all.filter((c) => c.feature === f);
    const ran = mine.filter((c) => !c.skip);
    const cells = CHANNELS.map((ch) => {
      let asked = 0;
      let equal = 0;
      for (const c of ran) {
        const a = answers.get(c)![ch];
        if (typeof a === 'string') {
          notExpressible.set(`${ch}: ${a}`, (notExpressible.get(`${ch}: ${a}`) ?? 0) + 1);
          continue;
        }
        asked += 1;
        const why = a ? disagreement(c, a) : 'no answer';
        if (why) wrong.push(`${ch} ${f}:${c.line} ${c.scenario} [${c.flag} ${JSON.stringify(c.context)}]: ${why}`);
        else equal += 1;
      }
      return `${equal}/${asked} equal`.padStart(19);
    });
    console.log(`${f.padEnd(46)}${String(mine.length).padStart(6)}${String(mine.length - ran.length).padStart(6)}  ${cells.join('')}`);
  }
  const skips = new Map<string, number>();
  for (const c of all) if (c.skip) skips.set(c.skip, (skips.get(c.skip) ?? 0) + 1);
  console.log('\nnot run, deliberately:');
  for (const [why, n] of skips) console.log(`  ${n} × ${why}`);
  for (const [why, n] of notExpressible) console.log(`  ${n} × ${why}`);
  console.log(wrong.length ? `\n${wrong.length} disagreement(s):` : '\nno disagreements');
  for (const w of wrong) console.log(`  ${w}`);
  return wrong.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`conformance: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);

export type { Json };
