// Blue-green deploys through the real binary, in front of a REAL nginx and a REAL HAProxy (one
// describe block each, from the table in test/support/canaryRouters.ts: each on free loopback
// ports with its own prefix/config/pid) and two real sample targets, under a steady keep-alive
// load (~200 rps) through the router's public port. The router config in prodx.config.json points
// at that nginx (upstream file, test/reload argv) or HAProxy (admin socket). The tests of a block
// are one sequence: deploy, roll back, a broken and a bad deploy, then the counts of all of it.
//
// The load has a client that never retries and, where the router's policy differs (nginx), one
// that retries a reset reused connection once, TOTAL_RPS between them. Counts per step are
// printed; a step without a reload (every HAProxy step) must lose nothing, and the router's own
// client may lose no more per reload than a bare `nginx -s reload` measured in the same run.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { ROUTER_KINDS, appRequests, servedVersions, type RouterUnderTest } from '../support/canaryRouters.js';
import { prodx, tempDir } from '../support/cli.js';
import { writeDeployConfig } from '../support/deployEnv.js';
import { startLoad, waitUntil, type LoadClient, type PhaseSummary, type RetryPolicy } from '../support/load.js';

const TOTAL_RPS = 200;
const AFTER_STEP_REQUESTS = 150;
const STEP_TIMEOUT_MS = 90_000;
/** a window long enough for two failed checks even on a loaded machine */
const BAD_POST_PROMOTION = { window: '20s', interval: '250ms', maxErrorRate: 0.02, minRequests: 5, failureLimit: 1 };
const HEALTH_GATE = /^green did not pass its health gate running 1\.2\.0-broken within 3s: HTTP 503 \(\d+ consecutive failures\)$/;
const ERROR_RATE = /^error rate \d+\.\d% > 2\.0% for 2 checks \(failureLimit 1\)$/;
/** the steps and how often each switches the weights: the bad deploy switches and switches back */
const SWITCHES = { deploy: 1, rollback: 1, broken: 0, bad: 2 } as const;
type Step = keyof typeof SWITCHES;
const STEPS = Object.keys(SWITCHES) as Step[];
const POLICY_LABEL: Record<RetryPolicy, string> = { never: 'no retry', 'reused-reset-once': 'retry-once' };

interface Client {
  policy: RetryPolicy;
  load: LoadClient;
}

/** Every answered request of the phase came from this version, and it had some. */
function expectAllFrom(client: LoadClient, version: string, phase: string) {
  const s = client.summary(phase);
  expect(s.requests).toBeGreaterThan(0);
  expect(s.versions).toEqual({ [version]: s.requests - s.failures });
}

interface StepCount {
  during: PhaseSummary;
  after: PhaseSummary;
  /** failures the router caused: every failure but the app's own HTTP 500s */
  failures: number;
  app500: number;
}

/** Counts a step's failures, given how many of the client's requests the app itself answered with 500. */
function count(client: LoadClient, name: string, app500 = 0): StepCount {
  const during = client.summary(name);
  const after = client.summary(`${name}:after`);
  return { during, after, failures: during.failures - app500 + after.failures, app500 };
}

/**
 * During the `bad` deploy 1.3.0-bad answers 20% of its "/" requests with HTTP 500: the app's
 * errors, the point of that step, counted exactly by green's own metrics (`total`, over all
 * clients). A client whose only error kind is HTTP 500 had exactly its failures of them; the
 * other client had the rest. If both also saw other errors, none is excluded (an upper bound).
 */
function splitApp500s(total: number, clients: LoadClient[]): number[] {
  if (clients.length === 1) return [total];
  const during = clients.map((c) => c.summary('bad'));
  const known = during.findIndex((s) => s.errors.every((e) => e === 'HTTP 500'));
  if (known === -1) return during.map(() => 0);
  const rest = total - during[known]!.failures;
  return during.map((s, i) => (i === known ? s.failures : rest / (clients.length - 1)));
}

describe.each(ROUTER_KINDS.map((k) => [k.name, k] as const))(
  'prodx deploy / rollback through a real %s under keep-alive load',
  (_, kind) => {
    const dir = tempDir(`prodx-e2e-${kind.name}-`);
    /** reloads a step costs this router */
    const reloads = (step: Step) => SWITCHES[step] * kind.reloadsPerSwitch;
    /** how a test's name counts a step's reloads (HAProxy's names leave them out: it never reloads) */
    const reloadsInName = (step: Step, before: string) => {
      const n = reloads(step);
      return n === 0 ? '' : `${before}${['', 'one reload', 'two reloads'][n] ?? `${n} reloads`}`;
    };
    /** a router that reloads is measured against a bare reload of its own */
    const hasBaseline = kind.reloadsPerSwitch > 0;
    const policies = [...new Set<RetryPolicy>(['never', kind.retry])];
    let blue: SampleTarget | undefined;
    let green: SampleTarget | undefined;
    let router: RouterUnderTest | undefined;
    let env: { configPath: string; configure(patch: Record<string, unknown>): void };
    const clients: Client[] = [];
    const all = () => clients.map((c) => c.load);
    let badApp500 = 0;
    const cli = (...args: string[]) => prodx([...args, '--json', '--config', env.configPath]);
    const status = async () => JSON.parse((await cli('status')).stdout);
    const files = () => router!.files.map((f) => readFileSync(f));
    /** how many reloads prodx asked for and the router logged; compare with `reloadsSince` after a step */
    const reloadCounts = () => ({ prodx: router!.reloads(), logged: router!.reloadsLogged() });
    const reloadsSince = (before: { prodx: number; logged: number }) => ({
      prodx: router!.reloads() - before.prodx,
      logged: router!.reloadsLogged() - before.logged,
    });

    /**
     * Runs one step under load: requests started while it runs belong to `name`; once it is done
     * and the router serves only the weights prodx last applied (nginx: the old workers exited),
     * requests belong to `name:after` until every client has settled AFTER_STEP_REQUESTS of them.
     */
    async function step<T>(name: string, run: () => Promise<T>): Promise<{ r: T; after: string }> {
      for (const c of all()) c.phase(name);
      const r = await run();
      await router!.settled();
      const after = `${name}:after`;
      for (const c of all()) c.phase(after);
      await waitUntil(() => all().every((c) => c.settled(after) >= AFTER_STEP_REQUESTS), `${AFTER_STEP_REQUESTS} requests after ${name}`);
      return { r, after };
    }

    beforeAll(async () => {
      [blue, green] = await Promise.all([
        startSampleTarget({ name: 'blue', version: '1.0.0' }),
        startSampleTarget({ name: 'green', version: '1.0.0' }),
      ]);
      router = await kind.start(dir, blue, green);
      env = await writeDeployConfig(dir, blue, green, router.config);
      const bounds = { url: router.url, rps: TOTAL_RPS / policies.length, maxRequests: 40_000, maxDurationMs: 240_000 };
      for (const policy of policies) clients.push({ policy, load: startLoad({ ...bounds, retry: policy }) });
      await waitUntil(() => all().every((c) => c.settled('start') >= 100), 'the load to be steady');
    }, 60_000);

    afterAll(async () => {
      await Promise.all(all().map((c) => c.stop()));
      await router?.stop();
      await Promise.all([blue?.stop(), green?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    if (hasBaseline)
      it(
        `measures a bare ${kind.name} reload under the same load as the baseline`,
        async () => {
          const before = reloadCounts();
          const { after } = await step('baseline', () => router!.bareReload!());
          for (const c of all()) expectAllFrom(c, '1.0.0', after);
          expect(reloadsSince(before)).toEqual({ prodx: 0, logged: 1 });
        },
        STEP_TIMEOUT_MS,
      );

    it(
      `deploy 1.1.0 exits 0${reloadsInName('deploy', ' after ')}; afterwards every response is 1.1.0`,
      async () => {
        const before = reloadCounts();
        const { r, after } = await step('deploy', () => cli('deploy', '1.1.0'));
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({
          ok: true,
          result: 'succeeded',
          deployment: { version: '1.1.0', toColour: 'green' },
          live: { colour: 'green', version: '1.1.0' },
        });
        expect(reloadsSince(before)).toEqual({ prodx: reloads('deploy'), logged: reloads('deploy') });
        expect(await router!.weights()).toEqual({ blue: 0, green: 100 });
        for (const c of all()) expectAllFrom(c, '1.1.0', after);
        expect(await servedVersions(router!.url)).toEqual(new Set(['1.1.0']));
        expect((await status()).live).toMatchObject({ colour: 'green', version: '1.1.0' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `rollback exits 0${reloadsInName('rollback', ' after ')}; afterwards every response is 1.0.0`,
      async () => {
        const before = reloadCounts();
        const { r, after } = await step('rollback', () => cli('rollback'));
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({
          ok: true,
          undid: 'previous-colour',
          from: { colour: 'green', version: '1.1.0' },
          to: { colour: 'blue', version: '1.0.0' },
        });
        expect(reloadsSince(before)).toEqual({ prodx: reloads('rollback'), logged: reloads('rollback') });
        expect(await router!.weights()).toEqual({ blue: 100, green: 0 });
        for (const c of all()) expectAllFrom(c, '1.0.0', after);
        expect(await servedVersions(router!.url)).toEqual(new Set(['1.0.0']));
        expect((await status()).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'deploy 1.2.0-broken stops at the health gate with exit 1: no reload, no traffic to green, blue stays live',
      async () => {
        const filesBefore = files();
        const before = reloadCounts();
        const greenBefore = await router!.sessionsTo?.('green');
        const { r, after } = await step('broken', () => cli('deploy', '1.2.0-broken'));
        expect(r.code, r.stderr).toBe(1);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ ok: false, result: 'failed', live: { colour: 'blue', version: '1.0.0' } });
        expect(out.reason).toMatch(HEALTH_GATE);
        // the router's files byte for byte, its reloads, its weights: all as they were
        expect(files()).toEqual(filesBefore);
        expect(reloadsSince(before)).toEqual({ prodx: 0, logged: 0 });
        expect(await router!.weights()).toEqual({ blue: 100, green: 0 });
        // where the router counts its sessions (HAProxy), it never sent green a request
        if (router!.sessionsTo) expect(await router!.sessionsTo('green')).toBe(greenBefore);
        // green runs 1.2.0-broken now: any request the router sent it would show that version
        for (const c of all()) for (const phase of ['broken', after]) expectAllFrom(c, '1.0.0', phase);
        expect((await status()).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `deploy 1.3.0-bad is switched back automatically after the switch, exit 1 naming the error rate${reloadsInName('bad', ', ')}`,
      async () => {
        env.configure({ postPromotion: BAD_POST_PROMOTION });
        try {
          const before = reloadCounts();
          const greenBefore = await router!.sessionsTo?.('green');
          const app500Before = await appRequests(green!, 500);
          const { r, after } = await step('bad', () => cli('deploy', '1.3.0-bad'));
          expect(r.code, r.stderr).toBe(1);
          const out = JSON.parse(r.stdout);
          expect(out).toMatchObject({ ok: false, result: 'rolled-back', live: { colour: 'blue', version: '1.0.0' } });
          expect(out.reason).toMatch(ERROR_RATE);
          // the switch and the switch back
          expect(reloadsSince(before)).toEqual({ prodx: reloads('bad'), logged: reloads('bad') });
          if (router!.sessionsTo) expect(await router!.sessionsTo('green')).toBeGreaterThan(greenBefore!);
          badApp500 = (await appRequests(green!, 500)) - app500Before;
          expect(await router!.weights()).toEqual({ blue: 100, green: 0 });
          for (const c of all()) expectAllFrom(c, '1.0.0', after);
          // it did get traffic, and answered some of it with errors
          for (const c of all()) expect(c.summary('bad').versions['1.3.0-bad'] ?? 0).toBeGreaterThan(0);
          expect(await servedVersions(router!.url)).toEqual(new Set(['1.0.0']));
          expect((await status()).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
        } finally {
          env.configure({ postPromotion: undefined });
        }
      },
      STEP_TIMEOUT_MS,
    );

    it(
      hasBaseline
        ? `loses no more requests than a bare reload (${POLICY_LABEL[kind.retry]} client) and prints the counts`
        : 'loses no request across all of it (client that never retries) and prints the counts',
      async () => {
        await Promise.all(all().map((c) => c.stop()));
        /** the client the router is judged by: its losses per reload may not exceed the baseline's */
        const judged = clients.findIndex((c) => c.policy === kind.retry);
        const baseline = hasBaseline ? clients.map((c) => count(c.load, 'baseline').failures) : clients.map(() => 0);
        const app500 = splitApp500s(badApp500, all());
        const rows = STEPS.map((s) => ({
          step: s,
          reloads: reloads(s),
          counts: clients.map((c, i) => count(c.load, s, s === 'bad' ? app500[i] : 0)),
        }));
        const printed = [
          ...(hasBaseline ? [{ step: 'baseline', reloads: 1, counts: clients.map((c) => count(c.load, 'baseline')) }] : []),
          ...rows,
        ];
        console.log(
          `${kind.name}: prodx deploy/rollback under ${TOTAL_RPS / clients.length} rps x ${clients.length} keep-alive client(s) (router failures / requests)`,
        );
        console.table(
          printed.map((r) => ({
            step: r.step,
            reloads: r.reloads,
            ...Object.fromEntries(
              clients.map((c, i) => {
                const n = r.counts[i]!;
                return [
                  POLICY_LABEL[c.policy],
                  `${n.failures}/${n.during.requests + n.after.requests} (retried ${n.during.retries + n.after.retries})`,
                ];
              }),
            ),
            [`app 500s (${clients.map((c) => POLICY_LABEL[c.policy]).join(' / ')})`]: r.counts.map((n) => n.app500).join(' / '),
            errors: [...new Set(r.counts.flatMap((n) => [...n.during.errors, ...n.after.errors]))].join('; '),
          })),
        );
        if (hasBaseline)
          console.log(`  baseline bare reload: ${clients.map((c, i) => `${POLICY_LABEL[c.policy]} ${baseline[i]}`).join(', ')}`);
        const upperBound = clients.length > 1 && app500.every((n) => n === 0);
        console.log(
          `  1.3.0-bad answered ${badApp500} requests with HTTP 500 itself (green's metrics)${upperBound ? ': every client also saw other errors, so the bad row counts them all (an upper bound)' : ''}`,
        );
        // the judged client: no more router failures than a bare reload per reload (none without one)
        for (const r of rows)
          expect(
            r.counts[judged]!.failures,
            `${r.step}: ${POLICY_LABEL[kind.retry]} failures vs ${r.reloads} x baseline`,
          ).toBeLessThanOrEqual(r.reloads * baseline[judged]!);
        // no reload, no loss, even without retries
        for (const r of rows.filter((r) => r.reloads === 0))
          expect(
            r.counts.map((n) => n.failures),
            `${r.step}: router failures per client`,
          ).toEqual(clients.map(() => 0));
        // nothing was lost before the first step
        expect(all().reduce((n, c) => n + c.summary('start').failures, 0)).toBe(0);
        // the bad version really served traffic and its own errors, all of them seen by the clients
        const bad = rows.find((r) => r.step === 'bad')!;
        expect(badApp500).toBeGreaterThan(0);
        for (const n of bad.counts) expect(n.app500).toBeLessThanOrEqual(n.during.failures);
        for (const n of bad.counts) expect(n.app500).toBeGreaterThanOrEqual(0);
        // and without a reload the app's 500s were the only errors
        if (bad.reloads === 0) for (const n of bad.counts) expect(n.during.errors).toEqual(['HTTP 500']);
      },
    );
  },
);
