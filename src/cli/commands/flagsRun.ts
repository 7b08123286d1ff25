// The actions of `prodx flags list|evaluate|enable|disable|set-rollout|report`, loaded only
// when one of them runs: the operation, then JSON or text, then the exit code.
import { ExitCode, ProdxError } from '../../core/errors.js';
import { parseContextPairs } from '../../core/flags/contextArgs.js';
import { changeFlag, evaluateFlag, flagsReport, flagsSource, listFlags, type FlagChange } from '../../operations/flags.js';
import type { OperationContext } from '../../operations/context.js';
import { printJson, type OutputOptions } from '../output.js';
import { renderChange, renderEvaluation, renderList, renderReport } from './flagsText.js';

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

export function runList(ctx: OperationContext, o: OutputOptions): number {
  const list = listFlags(flagsSource(ctx));
  out(o, { ok: true, ...list }, () => renderList(list, o));
  return ExitCode.ok;
}

export function runEvaluate(ctx: OperationContext, o: OutputOptions, flag: string, targetingKey: string, pairs: string[]): number {
  const context = { ...parseContextPairs(pairs), targetingKey };
  const r = evaluateFlag(flagsSource(ctx), flag, context);
  const failed = r.reason === 'ERROR';
  out(
    o,
    {
      ok: !failed,
      flag,
      targetingKey,
      context,
      value: r.value,
      variant: r.variant ?? null,
      reason: r.reason,
      errorCode: r.errorCode ?? null,
      errorMessage: r.errorMessage ?? null,
      metadata: r.metadata ?? {},
    },
    () => renderEvaluation(r, targetingKey, o),
  );
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
