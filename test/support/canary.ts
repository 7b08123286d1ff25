// What the canary e2e tests share: a prodx child process whose JSON lines are read as they
// arrive (`canary deploy --watch --json`, `canary status --watch --json`), a background recorder
// of the builtin router's weights, the canary run as state.json holds it, and the config the
// tests run canaries with.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanaryInterval, CanaryRun } from '../../src/core/state/schema.js';
import { BIN } from './cli.js';
import { waitUntil } from './load.js';

export type { CanaryInterval, CanaryRun };
export type Weights = Record<string, number>;
export type JsonLine = Record<string, unknown>;

export const STEPS = [5, 10, 25, 50, 100] as const;

/**
 * The analysis the tests use, sized to the traffic: at 400 rps the first step (5%) sends the canary
 * about 20 requests a second, so `minRequests` 10 is met by every 1s interval with room for a
 * slow load generator (an interval short of it holds and keeps collecting, it never passes).
 */
export const canaryConfig = (over: { interval?: string; pause?: string; analysis?: Record<string, unknown> } = {}) => ({
  canary: {
    interval: over.interval ?? '1s',
    ...(over.pause ? { pause: over.pause } : {}),
    analysis: { maxErrorRate: 0.02, maxP95Ms: 500, minRequests: 10, failureLimit: 1, ...over.analysis },
  },
});

export interface ProdxChild {
  child: ChildProcess;
  /** stdout lines parsed as JSON, in order (a line that is not JSON is kept as {raw}) */
  lines: JsonLine[];
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** resolves with the first line (seen or still to come) for which `match` holds */
  waitForLine(match: (l: JsonLine) => boolean, what: string, timeoutMs?: number): Promise<JsonLine>;
  /** the last line: what `--json` prints when the command ends */
  result(): JsonLine | undefined;
}

/** Starts the built binary as CI would (CI=true, no colour) and reads its stdout line by line. */
export function spawnProdx(args: string[]): ProdxChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  const lines: JsonLine[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        lines.push(JSON.parse(p) as JsonLine);
      } catch {
        lines.push({ raw: p });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    result: () => lines.at(-1),
    async waitForLine(match, what, timeoutMs = 30_000) {
      let found: JsonLine | undefined;
      await waitUntil(
        () => {
          found = lines.find(match);
          if (!found && done) throw new Error(`prodx exited before ${what}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`);
          return found !== undefined;
        },
        what,
        timeoutMs,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; stderr: ${err.slice(-2000)}`);
      });
      return found!;
    },
  };
}

/** The production canary run in state.json right now (null before any canary). */
export function readCanary(stateDir: string): CanaryRun | null {
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as {
    environments: Record<string, { canary?: CanaryRun; live?: { colour: string; version: string } | null }>;
  };
  return state.environments['production']?.canary ?? null;
}

/** The live colour and version state.json names. */
export function readLive(stateDir: string): { colour: string; version: string } {
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as {
    environments: Record<string, { live: { colour: string; version: string } }>;
  };
  return state.environments['production']!.live;
}

export async function routerWeights(adminUrl: string): Promise<Weights> {
  return (await fetch(`${adminUrl}/weights`)).json() as Promise<Weights>;
}

/** The router weights of `percent` to the canary colour. */
export const weightsAt = (percent: number, canary: string, stable: string): Weights => ({ [canary]: percent, [stable]: 100 - percent });

export interface WeightsSample {
  at: number;
  weights: Weights;
}

export interface WeightsRecorder {
  /** every read, in order */
  samples: WeightsSample[];
  /** the canary's percent each time it changed, starting with the first read */
  canaryPercents(canary: string): number[];
  /** the first time (Date.now) at which `match` held, at or after `since` */
  firstAt(match: (w: Weights) => boolean, since: number): number | undefined;
  stop(): Promise<void>;
}

/** Reads the router's weights every `everyMs` until stopped, one read at a time. */
export function recordWeights(adminUrl: string, everyMs = 20): WeightsRecorder {
  const samples: WeightsSample[] = [];
  let stopped = false;
  const read = async () => {
    try {
      const weights = await routerWeights(adminUrl);
      samples.push({ at: Date.now(), weights });
    } catch {
      /* a read that failed says nothing about the weights */
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await read();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    canaryPercents(canary) {
      const out: number[] = [];
      for (const s of samples) if (out.at(-1) !== s.weights[canary]) out.push(s.weights[canary]!);
      return out;
    },
    firstAt: (match, since) => samples.find((s) => s.at >= since && match(s.weights))?.at,
    // a last read once the loop has ended: a change in its final sleep (the promotion's 100%,
    // on a loaded machine) is never missed
    async stop() {
      stopped = true;
      await loop;
      await read();
    },
  };
}

/** The weights of each advance in a run's analysis, in order. */
export const advancedAt = (run: CanaryRun): number[] => run.analysis.filter((i) => i.action === 'advance').map((i) => i.weight);

/** An interval's measured canary error rate, or null when it has no measurement. */
export function errorRateOf(i: CanaryInterval): number | null {
  return 'missing' in i.canary || i.canary.requests === 0 ? null : i.canary.errors / i.canary.requests;
}
