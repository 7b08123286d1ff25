// Runs one operation the way every command does: the real runtime, its events printed as they
// come, Ctrl-C and SIGTERM stopping it at a safe point (src/cli/signals.ts). Imported only by
// commands that operate, so `prodx status` loads none of it.
import { systemRuntime } from '../app/system.js';
import type { OperationContext } from '../operations/context.js';
import type { Runtime } from '../operations/runtime.js';
import { eventPrinter } from './events.js';
import type { OutputOptions } from './output.js';
import { signalExit, stoppable } from './signals.js';

export async function runOperation<T>(
  ctx: OperationContext,
  o: OutputOptions,
  watch: boolean,
  body: (rt: Runtime) => Promise<T>,
): Promise<{ value: T; exitOnSignal: number | null }> {
  const emit = eventPrinter(o, watch);
  const r = await stoppable((signal) => body(systemRuntime(ctx, { emit, signal })));
  return { value: r.value, exitOnSignal: r.signal ? signalExit(r.signal) : null };
}
