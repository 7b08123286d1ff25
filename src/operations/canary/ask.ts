// Asking the live process that runs an environment's canary to do something: a request in the
// mailbox, then its answer. Only the runner writes the state, so nothing is lost between two
// writers; a runner that does not answer in time leaves nothing changed.
import { randomUUID } from 'node:crypto';
import type { CanaryAck, CanaryRequest, CanaryRequestType } from '../../core/canary/control.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { LockInfo } from '../../core/state/lock.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';

/** how long an operator waits for the runner's answer */
export const ACK_TIMEOUT_MS = 15_000;
const ACK_POLL_MS = 50;

export async function askRunner(
  ctx: OperationContext,
  rt: Runtime,
  runner: LockInfo,
  type: CanaryRequestType,
  reason?: string,
  /** a rollback waits for the stable colour's health gate too */
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<CanaryAck> {
  const request: CanaryRequest = { id: randomUUID(), type, by: rt.actor, at: rt.clock.now(), ...(reason ? { reason } : {}) };
  await rt.mailbox.post(ctx.envName, request);
  const deadline = rt.clock.now() + timeoutMs;
  for (;;) {
    const ack = await rt.mailbox.takeAck(ctx.envName, request.id);
    if (ack) return ack;
    if (rt.clock.now() > deadline || rt.signal?.aborted) {
      await rt.mailbox.withdraw(ctx.envName, request.id);
      throw new ProdxError(
        'runner-silent',
        `the prodx running this canary (pid ${runner.pid} on ${runner.host}) did not answer within ${Math.round(timeoutMs / 1000)}s; nothing was changed. Try again, or stop that process and run this again.`,
        ExitCode.failed,
      );
    }
    await rt.clock.sleep(ACK_POLL_MS, rt.signal);
  }
}
