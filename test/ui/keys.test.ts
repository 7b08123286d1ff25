// The key router, pure: a state and a key press in, a decision out.
import { describe, expect, it } from 'vitest';
import { matchesKey, pickKey, routeKey, type KeyDecision } from '../../src/ui/keys.js';
import { listOfScreen } from '../../src/ui/screens/index.js';
import { screenDefinition } from '../../src/ui/screens/index.js';
import { verbTable } from '../../src/ui/verbs/table.js';
import type { KeyAction } from '../../src/ui/verbs/types.js';
import type { AppState } from '../../src/store/types.js';
import { makeStore } from './helpers.js';

const table = verbTable({ commands: [] }, listOfScreen, (id) => screenDefinition(id).title);

function route(patch: Partial<AppState>, input: string, key: Parameters<typeof routeKey>[2] = {}): KeyDecision | null {
  const store = makeStore();
  store.setState(patch);
  const s = store.getState();
  const v = { s, now: Date.now() };
  return routeKey(v, input, key, { table, screenKeys: screenDefinition(s.screen).keys, list: listOfScreen(s.screen, v) });
}
const invoked = (d: KeyDecision | null) =>
  d?.type === 'invoke' ? `${d.key.verb}${d.key.args?.length ? ` ${d.key.args.join(' ')}` : ''}` : d?.type;

describe('routeKey: the verb table decides what a key does', () => {
  it('screens with 1-6 and tab, help with ?, the `:` line, quit with q and ctrl+c', () => {
    expect(invoked(route({}, '3'))).toBe('screen canary');
    expect(invoked(route({}, '6'))).toBe('screen flags');
    expect(route({}, '7')).toBeNull();
    expect(invoked(route({}, '', { tab: true }))).toBe('next-screen');
    expect(invoked(route({}, '', { tab: true, shift: true }))).toBe('previous-screen');
    expect(invoked(route({}, '?'))).toBe('help');
    expect(route({}, ':')?.type).toBe('state');
    expect(route({}, 'q')).toEqual({ type: 'quit', force: false });
    expect(route({}, 'c', { ctrl: true })).toEqual({ type: 'quit', force: false });
  });

  it('a second ctrl+c (the quit question is open) quits at once', () => {
    expect(
      route({ modal: { kind: 'quit', label: 'deploy 1.5.0', operation: 'deploy', focus: 'stay', stopping: null } }, 'c', { ctrl: true }),
    ).toEqual({
      type: 'quit',
      force: true,
    });
  });

  it('each screen has its own keys, and r rolls back from the release screens', () => {
    expect(invoked(route({ screen: 'canary' }, 'c'))).toBe('canary');
    expect(invoked(route({ screen: 'canary' }, 'P'))).toBe('promote full');
    expect(invoked(route({ screen: 'canary' }, 'p'))).toBe('promote');
    expect(invoked(route({ screen: 'deploy' }, 'd'))).toBe('deploy');
    expect(invoked(route({ screen: 'dashboard' }, 'r'))).toBe('rollback');
    expect(invoked(route({ screen: 'flags' }, 't'))).toBe('toggle');
    expect(route({ screen: 'rum' }, 't')).toBeNull();
  });

  it('lists move with j/k and arrows, page, filter with / and open with enter', () => {
    expect(invoked(route({ screen: 'deploy' }, 'j'))).toBe('down');
    expect(invoked(route({ screen: 'deploy' }, '', { downArrow: true }))).toBe('down');
    expect(invoked(route({ screen: 'deploy' }, 'k'))).toBe('up');
    expect(invoked(route({ screen: 'deploy' }, '', { pageDown: true }))).toBe('page-down');
    expect(invoked(route({ screen: 'deploy' }, '/'))).toBe('filter');
    expect(invoked(route({ screen: 'deploy' }, '', { return: true }))).toBe('open');
    // a screen without a list has no list keys
    expect(route({ screen: 'rum' }, 'j')).toBeNull();
  });

  it('while a list filters, keys type into the filter; esc clears it', () => {
    const lists = { history: { cursor: 0, filter: 'bad', filtering: true } };
    const d = route({ screen: 'deploy', lists }, 'j');
    expect(d?.type).toBe('state');
    const store = makeStore();
    store.setState({ screen: 'deploy', lists });
    (d as Extract<KeyDecision, { type: 'state' }>).change(store.getState());
    expect(store.getState().lists['history']).toMatchObject({ filter: 'badj', filtering: true });
  });

  it('a confirm: enter presses the focused button (Cancel first), y confirms, n and esc cancel', () => {
    const modal = {
      kind: 'confirm' as const,
      title: 't',
      lines: [],
      confirmLabel: 'roll back',
      focus: 'cancel' as const,
      verb: 'rollback',
      args: [],
    };
    expect(route({ modal }, '', { return: true })?.type).toBe('state'); // closes: Cancel is focused
    expect(route({ modal: { ...modal, focus: 'confirm' } }, '', { return: true })).toEqual({ type: 'confirm' });
    expect(route({ modal }, 'y')).toEqual({ type: 'confirm' });
    expect(route({ modal }, 'n')?.type).toBe('state');
    expect(route({ modal }, '', { escape: true })?.type).toBe('state');
    expect(route({ modal }, 'r')).toBeNull();
  });

  it('a prompt takes text (and a pasted line with its enter) and submits it', () => {
    const modal = { kind: 'prompt' as const, verb: 'deploy', title: 't', hint: 'h', text: '1.', error: 'bad' };
    expect(route({ modal }, '5\r')).toEqual({ type: 'submit-prompt', text: '1.5' });
    expect(route({ modal }, '', { return: true })).toEqual({ type: 'submit-prompt', text: '1.' });
  });

  it('`:verb args` typed or pasted in one burst runs as a line', () => {
    expect(route({}, ':deploy 1.5.0\r')).toEqual({ type: 'run-line', text: 'deploy 1.5.0' });
  });
});

describe('matchesKey and pickKey', () => {
  it('tells r from ctrl+r and R, and space from other keys', () => {
    expect(matchesKey('r', 'r', {})).toBe(true);
    expect(matchesKey('r', 'r', { ctrl: true })).toBe(false);
    expect(matchesKey('ctrl+r', 'r', { ctrl: true })).toBe(true);
    expect(matchesKey('R', 'r', {})).toBe(false);
    expect(matchesKey('space', ' ', {})).toBe(true);
  });

  it('picks among entries that share a key by their `when`', () => {
    const keys: KeyAction[] = [
      { key: 'space', label: 'resume', verb: 'resume', when: () => false },
      { key: 'space', label: 'pause', verb: 'pause' },
    ];
    const v = { s: makeStore().getState(), now: 0 };
    expect(pickKey(keys, ' ', {}, v)?.verb).toBe('pause');
    expect(pickKey([{ ...keys[0]!, when: () => true }, keys[1]!], ' ', {}, v)?.verb).toBe('resume');
  });
});
