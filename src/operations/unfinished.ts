// A new deploy or canary refuses to start over an unfinished one, saying how to end it.
import { isUnfinished } from '../core/canary/view.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { EnvironmentState } from '../core/state/schema.js';
import { say } from '../core/words.js';
import type { OperationContext } from './context.js';

export function refuseIfUnfinished(ctx: OperationContext, envState: EnvironmentState): void {
  const a = envState.active;
  if (a) {
    throw new ProdxError(
      'deploy-interrupted',
      `a deploy of ${a.version} to ${a.toColour} stopped in phase ${say(a.phase)}: finish it with \`prodx deploy --resume\` or undo it with \`prodx rollback\` first.`,
      ExitCode.failed,
    );
  }
  const c = envState.canary;
  if (isUnfinished(c)) {
    throw new ProdxError(
      'canary-running',
      `a canary of ${c.version} is ${say(c.state.phase)} in ${ctx.envName}: let it finish (\`prodx canary status --watch\`; \`prodx canary deploy --resume\` if no prodx runs it), or end it with \`prodx canary abort\` first.`,
      ExitCode.failed,
    );
  }
}
