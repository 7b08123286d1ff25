// The words a user reads for prodx's internal names: phases, requests and results. Screens,
// the CLI and --json text all say `rolled back` and `promote to 100%`, never `rolled-back` or
// `promote-full`.
const WORDS: Record<string, string> = {
  'rolling-back': 'rolling back',
  'rolled-back': 'rolled back',
  'promote-full': 'promote to 100%',
  'undo-canary': 'undo canary',
  'undo-deploy': 'undo deploy',
  'previous-colour': 'previous colour',
  'canary-runner': 'canary',
  'canary-control': 'canary control',
  'blue-green': 'blue-green',
};

/** `rolled-back` → `rolled back`; a word prodx has no special text for stays as it is. */
export const say = (name: string): string => WORDS[name] ?? name.replace(/-/g, ' ');

/** The outcome of a history entry in words, with a failed rollback named as such. */
export function resultWords(kind: string | undefined, result: string): string {
  if (kind === 'rollback') return result === 'succeeded' ? 'rolled back' : result === 'failed' ? 'rollback failed' : say(result);
  return say(result);
}
