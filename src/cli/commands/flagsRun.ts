// The actions of `prodx flags list|evaluate|enable|disable|set-rollout|report`, loaded only
// when one of them runs: the operation, then JSON or text, then the exit code.
import { ExitCode, ProdxError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';
import { checkDefaultType, contextJsonArg, defaultArg, parseBatch, parseContextPairs, typeArg } from '../../core/flags/contextArgs.js';
import type { EvaluationResult, FlagsProblem } from '../../core/flags/types.js';
import {
  changeFlag,
  evaluateFlags,
  flagsReport,
  flagsSource,
  listFlags,
  type EvaluationRequest,
  type FlagChange,
} from '../../operations/flags.js';
import type { OperationContext } from '../../operations/context.js';
import { err, printJson, type OutputOptions } from '../output.js';
import { renderChange, renderEvaluation, renderList, renderReport, renderWarnings } from './flagsText.js';

const out = (o: OutputOptions, json: unknown, text: () => string) => {
  if (o.json) printJson(json);
  else process.stdout.write(`${text()}\n`);
};

/** `40`, `40%` or `12.5`; anything else is a usage error (exit 2). */
export function percentArg(raw: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (!m) throw new ProdxError('rollout-out-of-range', `"${raw}" is not a percentage: pass a number from 0 to 100, e.g. 40.`);
  return Number(m[1]);
}

/**
 * Flags that do not validate, one line each on stderr (text; the JSON carries them in
 * `warnings`). With `only`, the other flags' warnings are one line that counts them.
 */
export function warn(o: OutputOptions, file: string, warnings: FlagsProblem[], only?: readonly string[], prefix = ''): void {
  if (o.json) return;
  for (const line of renderWarnings(file, warnings, o, only)) err(`${prefix}${line}\n`);
}

export function runList(ctx: OperationContext, o: OutputOptions): number {
  const list = listFlags(flagsSource(ctx));
  warn(o, list.file, list.warnings);
  out(o, { ok: true, ...list }, () => renderList(list, o));
  return ExitCode.ok;
}

export interface EvaluateOptions {
  context?: string[];
  contextJson?: string;
  default?: string;
  type?: string;
  batch?: string;
}

/** The one evaluation the arguments describe, or a usage error saying what is missing. */
function singleCase(flag: string | undefined, targetingKey: string | undefined, opts: EvaluateOptions): EvaluationRequest {
  if (flag === undefined)
    throw new ProdxError('usage', 'which flag? `prodx flags evaluate <flag> [targetingKey]`, or --batch <file> for many.');
  const fromJson = contextJsonArg(opts.contextJson);
  const jsonKey = fromJson['targetingKey'];
  if (targetingKey !== undefined && jsonKey !== undefined && jsonKey !== targetingKey)
    throw new ProdxError('usage', `two targeting keys: "${targetingKey}" and --context-json's ${JSON.stringify(jsonKey)}: give one.`);
  const context = { ...fromJson, ...parseContextPairs(opts.context ?? []), ...(targetingKey !== undefined ? { targetingKey } : {}) };
  const type = typeArg(opts.type);
  const value = defaultArg(opts.default);
  checkDefaultType(type, value);
  return { flag, context, ...(value !== undefined ? { default: value } : {}), ...(type ? { type } : {}) };
}

function batchCases(flag: string | undefined, opts: EvaluateOptions): EvaluationRequest[] {
  if (flag !== undefined || opts.context || opts.contextJson || opts.default !== undefined || opts.type)
    throw new ProdxError(
      'usage',
      '--batch takes every evaluation from its file: leave out the flag, the targeting key and the other options.',
    );
  const name = opts.batch === '-' ? 'standard input' : opts.batch!;
  let text: string;
  try {
    text = readFileSync(opts.batch === '-' ? 0 : opts.batch!, 'utf8');
  } catch (e) {
    throw new ProdxError('usage', `cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? 'error'}): check the path of --batch.`);
  }
  return parseBatch(text, name);
}

const asJson = (q: EvaluationRequest, r: EvaluationResult) => ({
  ok: r.reason !== 'ERROR',
  flag: q.flag,
  targetingKey: (q.context['targetingKey'] as string | undefined) ?? null,
  context: q.context,
  value: r.value,
  variant: r.variant ?? null,
  reason: r.reason,
  errorCode: r.errorCode ?? null,
  errorMessage: r.errorMessage ?? null,
  metadata: r.metadata ?? {},
});

export function runEvaluate(
  ctx: OperationContext,
  o: OutputOptions,
  flag: string | undefined,
  targetingKey: string | undefined,
  opts: EvaluateOptions,
): number {
  const requests = opts.batch !== undefined ? batchCases(flag, opts) : [singleCase(flag, targetingKey, opts)];
  const src = flagsSource(ctx);
  const { results, warnings } = evaluateFlags(src, requests);
  warn(
    o,
    src.file,
    warnings,
    requests.map((q) => q.flag),
  );
  const failed = results.some((r) => r.reason === 'ERROR');
  const rows = results.map((r, i) => asJson(requests[i]!, r));
  const json = opts.batch !== undefined ? { ok: !failed, results: rows, warnings } : { ...rows[0]!, warnings };
  out(o, json, () => results.map((r, i) => renderEvaluation(r, requests[i]!.context, o)).join('\n'));
  return failed ? ExitCode.failed : ExitCode.ok;
}

export async function runChange(
  ctx: OperationContext,
  o: OutputOptions,
  flag: string,
  change: FlagChange,
  opts: { yes?: boolean; ifMatch?: string },
): Promise<number> {
  const r = await changeFlag(flagsSource(ctx), flag, change, { confirmed: !!opts.yes, ...(opts.ifMatch ? { ifMatch: opts.ifMatch } : {}) });
  out(o, { ok: true, ...r }, () => renderChange(r, o));
  return ExitCode.ok;
}

export function runReport(ctx: OperationContext, o: OutputOptions): number {
  const report = flagsReport(flagsSource(ctx));
  out(o, { ok: true, ...report }, () => renderReport(report, o));
  return ExitCode.ok;
}
