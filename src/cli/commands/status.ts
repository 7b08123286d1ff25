import { getStatus, type StatusReport } from '../../operations/status.js';
import type { OperationContext } from '../../operations/context.js';
import { ago, paint, printJson, type OutputOptions } from '../output.js';

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
  if (r.previous) {
    const p = r.previous;
    const left = p.until - now;
    lines.push(
      `previous ${p.colour} ${p.version}: ${left > 0 ? `kept for an instant rollback (scale-down delay ends in ${ago(-left).replace(' ago', '')})` : 'the scale-down delay is over; a rollback checks it is still healthy first'}`,
    );
  }
  if (r.active) {
    const a = r.active;
    lines.push(
      `deploy   ${a.version} → ${a.toColour} (${a.strategy}, by ${a.by}, ${ago(now - a.startedAt)}): ${paint(o, a.running ? 'yellow' : 'red', a.advice)}`,
    );
  }
  if (r.canary && !r.canary.ended) {
    const c = r.canary;
    const where = c.step !== null ? `step ${c.step + 1}/${c.steps.length}, ` : '';
    lines.push(
      `canary   ${c.version} on ${c.canaryColour} (${where}${c.percent}% of traffic, ${c.phase}, ${c.intervals} intervals analysed)${c.running ? '' : `: ${paint(o, 'red', c.advice ?? '')}`}`,
    );
  }
  if (r.lastDeploy) {
    const d = r.lastDeploy;
    lines.push(
      `last     ${d.version} by ${d.by}, ${d.strategy}, ${d.result}${d.reason ? `: ${d.reason}` : ''} (${ago(now - (d.endedAt ?? d.startedAt))})`,
    );
  }
  const lock = r.lock;
  lines.push(
    lock
      ? `lock     ${lock.stale ? 'stale (its owner is gone; the next operation takes it over)' : 'held'}: ${lock.operation} by pid ${lock.pid} on ${lock.host} (${ago(now - lock.acquiredAt)})`
      : 'lock     free',
  );
  return lines.join('\n');
}

export function runStatus(ctx: OperationContext, o: OutputOptions): number {
  const report = getStatus(ctx);
  if (o.json) printJson(report);
  else process.stdout.write(`${renderStatus(report, o, Date.now())}\n`);
  return 0;
}
