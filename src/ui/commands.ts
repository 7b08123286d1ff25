// The `:` command line: built-in verbs (screens, help, quit) plus the operations the CLI hands
// in through `ctx.commands`. Built-ins win over a same-named operation.
import { SCREENS, type ScreenId } from '../store/types.js';
import type { UiContext } from './context.js';
import { safeRun } from './safeRun.js';
import { screenDefinition } from './screens/index.js';

export interface CommandHelp {
  name: string;
  description: string;
}

const isScreenId = (name: string): name is ScreenId => (SCREENS as readonly string[]).includes(name);

export function builtinCommands(): CommandHelp[] {
  return [
    ...SCREENS.map((id) => ({ name: id, description: `show the ${screenDefinition(id).title} screen` })),
    { name: 'help', description: 'list every key and command' },
    { name: 'quit', description: 'leave prodx' },
  ];
}

/** Every command the help overlay lists, built-ins first. */
export function listCommands(ctx: UiContext): CommandHelp[] {
  const builtins = builtinCommands();
  const taken = new Set(builtins.map((c) => c.name));
  return [...builtins, ...ctx.commands.filter((c) => !taken.has(c.name)).map(({ name, description }) => ({ name, description }))];
}

/** Runs one command line (without the leading `:`). */
export function runCommandLine(text: string, ctx: UiContext, quit: () => void): void {
  const [name, ...args] = text.trim().split(/\s+/).filter(Boolean);
  const { actions } = ctx.store.getState();
  if (name === undefined) return;
  if (isScreenId(name)) return actions.setScreen(name);
  if (name === 'help') return actions.openModal({ kind: 'help' });
  if (name === 'quit') return quit();
  const command = ctx.commands.find((c) => c.name === name);
  if (!command) {
    actions.flash('error', `unknown command "${name}": type :help for the list`);
    return;
  }
  safeRun(ctx, `:${name}`, () => command.run(args));
}
