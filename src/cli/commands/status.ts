// `prodx status`: from the state alone (no network), so it is instant and works when targets are
// unreachable.
// The fast path (`prodx status --json` in CI): it imports only the state file, the lock files and
// the pure rules.
import { localLocks } from '../../adapters/state/lock.js';
import { localStateStore } from '../../adapters/state/stateFile.js';
import { getStatus, type StatusReport } from '../../operations/status.js';
import type { OperationContext } from '../../operations/context.js';
import { say, resultWords } from '../../core/words.js';
import { ago, inTime, out, paint, printJson, type OutputOptions } from '../output.js';

function previousLine(p: NonNullable<StatusReport['previous']>, o: OutputOptions, now: number): string {
  const left = p.until - now;
  const keep =
    left > 0
      ? `kept up for an instant rollback; the scale-down delay ends ${inTime(left)}`
      : `the scale-down delay ended ${ago(-left)}; a rollback checks it is still healthy first`;
  return `previous ${p.colour} ${p.version}: ${paint(o, 'gray', keep)}`;
}

export function renderStatus(r: StatusReport, o: OutputOptions, now: number): string {
  const lines = [`${paint(o, 'bold', r.app)} · ${r.environment}   ${paint(o, 'gray', r.configPath)}`];
  lines.push(
    r.live
      ? `live     ${paint(o, 'bold', r.live.colour)} ${r.live.version} (since ${ago(now - r.live.since)})`
      : `live     unknown: no deploy recorded in ${r.stateDir}`,
  );
  const width = Math.max(...r.targets.map((t) => t.name.length));
  r.targets.forEach((t, i) => {
    const role = r.live ? (t.name === r.live.colour ? 'live' : 'idle') : '';
    const version = r.colours[t.name]?.version;
    lines.push(
      `${i === 0 ? 'targets ' : '        '} ${t.name.padEnd(width)}  ${t.url}${version ? `  ${version}` : ''}${role ? `  (${role})` : ''}`,
    );
  });
  if (r.previous) lines.push(previousLine(r.previous, o, now));
  if (r.active) {
    const a = r.active;
    lines.push(
      `deploy   ${a.version} → ${a.toColour} (${a.strategy}, by ${a.by}, ${ago(now - a.startedAt)}): ${paint(o, a.running ? 'yellow' : 'red', a.advice)}`,
    );
  }
  if (r.canary && !r.canary.ended) {
    const c = r.canary;
    lines.push(
      `canary   ${c.version} on ${c.canaryColour} (${c.words}, ${c.percent}% of traffic, ${c.intervals.passed + c.intervals.failed + c.intervals.held} intervals analysed)${c.running ? '' : `: ${paint(o, 'red', c.advice ?? '')}`}`,
    );
  }
  if (r.lastDeploy) {
    const d = r.lastDeploy;
    lines.push(
      `last     ${d.kind === 'rollback' ? 'rollback to ' : ''}${d.version} by ${d.by}, ${say(d.strategy)}, ${resultWords(d.kind, d.result)}${d.reason ? `: ${d.reason}` : ''} (${ago(now - (d.endedAt ?? d.startedAt))})`,
    );
  }
  lines.push(
    `rollback ${r.rollback.kind === 'nothing' ? paint(o, 'gray', r.rollback.reason) : `${r.rollback.description.title}: ${r.rollback.from.colour} → ${r.rollback.to.colour} ${r.rollback.to.version ?? ''}`.trimEnd()}`,
  );
  const lock = r.lock;
  lines.push(
    lock
      ? `lock     ${lock.stale ? 'stale (its owner is gone; the next operation takes it over)' : 'held'}: ${lock.operation} by pid ${lock.pid} on ${lock.host} (${ago(now - lock.acquiredAt)})`
      : 'lock     free',
  );
  return lines.join('\n');
}

export async function runStatus(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const now = Date.now();
  const report = await getStatus(ctx, { store: localStateStore(ctx.stateDir), locks: localLocks(ctx.stateDir) }, now);
  if (o.json) printJson(report);
  else out(`${renderStatus(report, o, now)}\n`);
  return 0;
}
