// Text that goes into state, history and one-line messages is bounded: a release hook that
// prints a 10 MB line must not become a 10 MB reason stored in state.json and printed by
// every `prodx status`.

/** the longest reason stored or printed on one line */
export const REASON_MAX = 300;

/** One line (whitespace runs become one space), at most `max` characters, cut with `…`. */
export function oneLine(text: string, max = REASON_MAX): string {
  // look at a bounded prefix only: collapsing whitespace in 10 MB would cost for nothing
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const flat = head.replace(/\s+/g, ' ').trim();
  return flat.length > max || head.length < text.length ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** "1 deploy", "3 deploys": a count with its noun. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
