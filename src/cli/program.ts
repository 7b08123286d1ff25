// What every command module needs from the command line: the global options turned into
// output settings and a lazily built operation context, and a way to set the exit code.
import type { Command } from 'commander';
import { ProdxError } from '../core/errors.js';
import { parseDuration } from '../core/config/duration.js';
import { createContext } from '../app/context.js';
import type { OperationContext } from '../operations/context.js';
import type { OutputOptions } from './output.js';

export interface GlobalOptions {
  json?: boolean;
  config?: string;
  env?: string;
  color?: boolean;
}

export const outputOf = (g: GlobalOptions): OutputOptions => ({
  json: !!g.json,
  color: g.color !== false && !process.env['NO_COLOR'] && !g.json && !!process.stdout.isTTY,
});

export interface CommandScope {
  g: GlobalOptions;
  o: OutputOptions;
  /** loads the config and chooses the environment; throws ProdxError on bad input */
  ctx(): Promise<OperationContext>;
}

export function scopeOf(cmd: Command): CommandScope {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  // `--env ''` (an unset variable) is passed on, and refused there: never a silent production
  return {
    g,
    o: outputOf(g),
    ctx: () => createContext({ ...(g.config !== undefined ? { config: g.config } : {}), ...(g.env !== undefined ? { env: g.env } : {}) }),
  };
}

/** A module that adds its commands (e.g. `prodx flags …`) to the program. */
export type RegisterCommands = (program: Command, setExit: (code: number) => void) => void;

/** A person at a terminal gets the dashboard; pipes and CI get the status summary. */
export function isInteractive(): boolean {
  return !!process.stdout.isTTY && !!process.stdin.isTTY && !process.env['CI'];
}

/** commander argParser for durations such as "10s" */
export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new ProdxError('usage', `"${value}" is not a duration: use a number with a unit, e.g. 10s, 500ms or 2m.`);
  return ms;
}
