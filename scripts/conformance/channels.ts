// The three ways a team meets prodx's flag evaluation, each run over the same cases:
//   evaluator  src/core/flags (validateFlagsText + FlagEvaluator), in process;
//   cli        `prodx flags evaluate --batch … --json`, one process per flag set;
//   ofrep      `prodx flags serve`, asked by the real OpenFeature SDKs: the server SDK with
//              @openfeature/ofrep-provider (single-flag endpoint) and the web SDK with
//              @openfeature/ofrep-web-provider (bulk endpoint, ETag and all).
// Each answers in the SDK's terms: value, reason, error code, metadata.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { OpenFeature as ServerFeature, type Client as ServerClient } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature as WebFeature } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { FlagEvaluator } from '../../src/core/flags/evaluator.js';
import { validateFlagsText } from '../../src/core/flags/validate.js';
import type { Case, Json } from './cases.js';

export interface Answer {
  value: Json;
  /** the evaluator's answer only: which variant, if any */
  variant?: string;
  reason?: string;
  errorCode?: string;
  metadata: Record<string, Json>;
}

const TYPE: Record<Case['type'], 'boolean' | 'string' | 'number' | 'object'> = {
  Boolean: 'boolean',
  String: 'string',
  Integer: 'number',
  Float: 'number',
  Object: 'object',
};

export function evaluatorChannel(text: string, cases: Case[]): Answer[] {
  const v = validateFlagsText(text, { compile: true });
  if (!v.ok) throw new Error(`prodx refuses the flag set: ${v.problems[0]!.path}: ${v.problems[0]!.message}`);
  const ev = new FlagEvaluator(v.doc, v.storage);
  return cases.map((c) => {
    const r = ev.evaluate(c.flag, c.context as never, c.default as never, TYPE[c.type]);
    return {
      value: r.value as Json,
      reason: r.reason,
      ...(r.variant !== undefined ? { variant: r.variant } : {}),
      ...(r.errorCode ? { errorCode: r.errorCode } : {}),
      metadata: (r.metadata ?? {}) as Record<string, Json>,
    };
  });
}

/** A folder with a config and the flag set as its flags file: what `prodx flags …` runs in. */
export function workspace(text: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prodx-conformance-'));
  writeFileSync(join(dir, 'flags.json'), text);
  const config = join(dir, 'prodx.config.json');
  writeFileSync(
    config,
    JSON.stringify({ app: 'conformance', environments: { production: { targets: { blue: { url: 'http://127.0.0.1:9' } } } } }),
  );
  return { dir, config };
}

export function cliChannel(bin: string, config: string, dir: string, cases: Case[]): Answer[] {
  const batch = join(dir, 'cases.ndjson');
  writeFileSync(
    batch,
    cases.map((c) => JSON.stringify({ flag: c.flag, context: c.context, default: c.default, type: TYPE[c.type] })).join('\n'),
  );
  const run = spawnSync(process.execPath, [bin, 'flags', 'evaluate', '--batch', batch, '--json', '--config', config], { encoding: 'utf8' });
  let out: { results?: { value: Json; reason: string; errorCode: string | null; metadata: Record<string, Json> }[] };
  try {
    out = JSON.parse(run.stdout);
  } catch {
    throw new Error(`prodx flags evaluate --batch printed no JSON (exit ${run.status}): ${run.stderr.trim()}`);
  }
  const failed = out.results!.some((r) => r.reason === 'ERROR');
  if (run.status !== (failed ? 1 : 0)) throw new Error(`prodx flags evaluate --batch exited ${run.status}, expected ${failed ? 1 : 0}`);
  return out.results!.map((r) => ({
    value: r.value,
    reason: r.reason,
    ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    metadata: r.metadata,
  }));
}

/** `prodx flags serve --port 0` in the workspace; its URL once it answers, and how to stop it. */
export async function serve(bin: string, config: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'flags', 'serve', '--port', '0', '--json', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`prodx flags serve exited ${code}: ${stderr.trim()}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

type Details = { value: unknown; reason?: string; errorCode?: string; flagMetadata?: Record<string, unknown> };
const answer = (d: Details): Answer => ({
  value: d.value as Json,
  ...(d.reason ? { reason: d.reason } : {}),
  ...(d.errorCode ? { errorCode: d.errorCode } : {}),
  metadata: (d.flagMetadata ?? {}) as Record<string, Json>,
});

function serverDetails(client: ServerClient, c: Case): Promise<Details> {
  const ctx = c.context as never;
  if (c.type === 'Boolean') return client.getBooleanDetails(c.flag, c.default as boolean, ctx);
  if (c.type === 'String') return client.getStringDetails(c.flag, c.default as string, ctx);
  if (c.type === 'Object') return client.getObjectDetails(c.flag, c.default as never, ctx);
  return client.getNumberDetails(c.flag, c.default as number, ctx);
}

/** The server SDK through @openfeature/ofrep-provider: one POST /ofrep/v1/evaluate/flags/{key} per case. */
export async function ofrepServerChannel(url: string, domain: string, cases: Case[]): Promise<Answer[]> {
  await ServerFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: url }));
  const client = ServerFeature.getClient(domain);
  const out: Answer[] = [];
  for (const c of cases) out.push(answer(await serverDetails(client, c)));
  return out;
}

/** The web SDK through @openfeature/ofrep-web-provider: the bulk endpoint, re-fetched when the context changes. */
export async function ofrepWebChannel(url: string, domain: string, cases: Case[]): Promise<Answer[]> {
  // no polling and no local cache: every context change asks the endpoint, with the last ETag
  await WebFeature.setProviderAndWait(domain, new OFREPWebProvider({ baseUrl: url, pollInterval: 0, cacheMode: 'disabled' }));
  const client = WebFeature.getClient(domain);
  const out: Answer[] = [];
  for (const c of cases) {
    await WebFeature.setContext(domain, c.context as never);
    const d =
      c.type === 'Boolean'
        ? client.getBooleanDetails(c.flag, c.default as boolean)
        : c.type === 'String'
          ? client.getStringDetails(c.flag, c.default as string)
          : c.type === 'Object'
            ? client.getObjectDetails(c.flag, c.default as never)
            : client.getNumberDetails(c.flag, c.default as number);
    out.push(answer(d));
  }
  return out;
}

export async function closeSdks(): Promise<void> {
  await ServerFeature.close();
  await WebFeature.close();
}
