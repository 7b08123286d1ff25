import { ProdxError } from '../core/errors.js';

export interface FaultChange {
  errorRatio?: number;
  latencyMs?: number;
  failHealth?: boolean;
}

export const FAULT_USAGE = 'fault <target> error=0.2 | latency=300 | health=fail|ok | clear';

/** Parses the demo's `:fault` arguments, e.g. `green error=0.2 latency=300`. */
export function parseFaultArgs(args: string[], targets: readonly string[]): { target: string; change: FaultChange } {
  const [target, ...settings] = args;
  if (!target || !targets.includes(target)) throw new ProdxError('usage', `name a target (${targets.join(', ')}): ${FAULT_USAGE}`);
  if (settings.length === 0) throw new ProdxError('usage', `say which fault: ${FAULT_USAGE}`);
  const change: FaultChange = {};
  for (const s of settings) {
    if (s === 'clear') Object.assign(change, { errorRatio: 0, latencyMs: 0, failHealth: false });
    else {
      const [key, value = ''] = s.split('=', 2) as [string, string?];
      const n = Number(value);
      if (key === 'error' && value !== '' && n >= 0 && n <= 1) change.errorRatio = n;
      else if (key === 'latency' && value !== '' && Number.isInteger(n) && n >= 0) change.latencyMs = n;
      else if (key === 'health' && (value === 'fail' || value === 'ok')) change.failHealth = value === 'fail';
      else throw new ProdxError('usage', `"${s}" is not a fault: ${FAULT_USAGE} (error is a ratio from 0 to 1, latency whole ms)`);
    }
  }
  return { target, change };
}
