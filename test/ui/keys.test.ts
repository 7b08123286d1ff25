import { describe, expect, it, vi } from 'vitest';
import type { Modal } from '../../src/store/types.js';
import { matchesKey, routeKey, type RouterState } from '../../src/ui/keys.js';
import { keyHints } from '../../src/ui/keyHints.js';
import type { ScreenKey } from '../../src/ui/screens/types.js';

const base: RouterState = { screen: 'dashboard', modal: null, command: null };
const help: Modal = { kind: 'help' };
const confirm: Modal = { kind: 'confirm', title: 'Roll back?', body: 'b', confirmLabel: 'roll back', onConfirm: vi.fn() };
const refresh: ScreenKey = { key: 'ctrl+r', label: 'refresh now', run: vi.fn() };
const refreshShift: ScreenKey = { key: 'R', label: 'refresh now', run: vi.fn() };
const screenKeys = [refresh, refreshShift];

describe('routeKey: globals', () => {
  it('jumps to screens with 1-6 and ignores digits past the last screen', () => {
    expect(routeKey(base, '1', {}, [])).toEqual({ type: 'setScreen', screen: 'dashboard' });
    expect(routeKey(base, '3', {}, [])).toEqual({ type: 'setScreen', screen: 'canary' });
    expect(routeKey(base, '6', {}, [])).toEqual({ type: 'setScreen', screen: 'flags' });
    expect(routeKey(base, '7', {}, [])).toBeNull();
    expect(routeKey(base, '0', {}, [])).toBeNull();
  });

  it('moves with tab and shift+tab', () => {
    expect(routeKey(base, '', { tab: true }, [])).toEqual({ type: 'nextScreen', step: 1 });
    expect(routeKey(base, '', { tab: true, shift: true }, [])).toEqual({ type: 'nextScreen', step: -1 });
  });

  it('opens help, the command line, and quits with q or ctrl+c', () => {
    expect(routeKey(base, '?', {}, [])).toEqual({ type: 'openHelp' });
    expect(routeKey(base, ':', {}, [])).toEqual({ type: 'setCommand', text: '' });
    expect(routeKey(base, 'q', {}, [])).toEqual({ type: 'quit' });
    expect(routeKey(base, 'c', { ctrl: true }, [])).toEqual({ type: 'quit' });
  });

  it('goes back to the dashboard on esc, and does nothing on esc at the dashboard', () => {
    expect(routeKey({ ...base, screen: 'rum' }, '', { escape: true, meta: true }, [])).toEqual({ type: 'setScreen', screen: 'dashboard' });
    expect(routeKey(base, '', { escape: true, meta: true }, [])).toBeNull();
  });

  it('ignores unbound keys and modified digits', () => {
    expect(routeKey(base, 'x', {}, [])).toBeNull();
    expect(routeKey(base, '2', { meta: true }, [])).toBeNull();
  });
});

describe('routeKey: screen keys', () => {
  it('runs a registered key before the globals', () => {
    expect(routeKey(base, 'r', { ctrl: true }, screenKeys)).toEqual({ type: 'screenKey', key: refresh });
    expect(routeKey(base, 'R', { shift: true }, screenKeys)).toEqual({ type: 'screenKey', key: refreshShift });
    const shadow: ScreenKey = { key: 'q', label: 'queue', run: vi.fn() };
    expect(routeKey(base, 'q', {}, [shadow])).toEqual({ type: 'screenKey', key: shadow });
  });

  it('tells r from ctrl+r and R', () => {
    expect(routeKey(base, 'r', {}, screenKeys)).toBeNull();
  });

  it('still quits on ctrl+c even if a screen binds it', () => {
    const ctrlC: ScreenKey = { key: 'ctrl+c', label: 'copy', run: vi.fn() };
    expect(routeKey(base, 'c', { ctrl: true }, [ctrlC])).toEqual({ type: 'quit' });
  });
});

describe('routeKey: modal first', () => {
  it('closes help on esc, ? and q and swallows other keys', () => {
    const s = { ...base, modal: help };
    expect(routeKey(s, '', { escape: true }, screenKeys)).toEqual({ type: 'closeModal' });
    expect(routeKey(s, '?', {}, screenKeys)).toEqual({ type: 'closeModal' });
    expect(routeKey(s, 'q', {}, screenKeys)).toEqual({ type: 'closeModal' });
    expect(routeKey(s, '2', {}, screenKeys)).toBeNull();
    expect(routeKey(s, 'R', {}, screenKeys)).toBeNull();
  });

  it('confirms on y or enter and cancels on n or esc', () => {
    const s = { ...base, modal: confirm };
    expect(routeKey(s, 'y', {}, [])).toEqual({ type: 'confirm' });
    expect(routeKey(s, '', { return: true }, [])).toEqual({ type: 'confirm' });
    expect(routeKey(s, 'n', {}, [])).toEqual({ type: 'closeModal' });
    expect(routeKey(s, '', { escape: true }, [])).toEqual({ type: 'closeModal' });
    expect(routeKey(s, 'q', {}, [])).toBeNull();
  });

  it('quits on ctrl+c even with a modal open', () => {
    expect(routeKey({ ...base, modal: confirm }, 'c', { ctrl: true }, [])).toEqual({ type: 'quit' });
  });
});

describe('routeKey: command mode', () => {
  const s = { ...base, command: 'can' };

  it('appends printable text, including pasted text', () => {
    expect(routeKey(s, 'a', {}, screenKeys)).toEqual({ type: 'setCommand', text: 'cana' });
    expect(routeKey(s, 'ary x', {}, screenKeys)).toEqual({ type: 'setCommand', text: 'canary x' });
    expect(routeKey(s, 'q', {}, screenKeys)).toEqual({ type: 'setCommand', text: 'canq' });
    expect(routeKey(s, '1', {}, screenKeys)).toEqual({ type: 'setCommand', text: 'can1' });
  });

  it('deletes with backspace (and the delete code most terminals send for it)', () => {
    expect(routeKey(s, '', { backspace: true }, [])).toEqual({ type: 'setCommand', text: 'ca' });
    expect(routeKey(s, '', { delete: true }, [])).toEqual({ type: 'setCommand', text: 'ca' });
    expect(routeKey({ ...base, command: '' }, '', { backspace: true }, [])).toEqual({ type: 'setCommand', text: null });
  });

  it('runs on enter and cancels on esc', () => {
    expect(routeKey(s, '', { return: true }, [])).toEqual({ type: 'runCommand', text: 'can' });
    expect(routeKey(s, '', { escape: true, meta: true }, [])).toEqual({ type: 'setCommand', text: null });
  });

  it('ignores control keys and does not let screen keys through', () => {
    expect(routeKey(s, 'r', { ctrl: true }, screenKeys)).toBeNull();
    expect(routeKey(s, '', { tab: true }, screenKeys)).toBeNull();
    expect(routeKey(s, '', { upArrow: true }, screenKeys)).toBeNull();
  });
});

describe('matchesKey', () => {
  it('reads named keys and ctrl+ prefixes', () => {
    expect(matchesKey('enter', '', { return: true })).toBe(true);
    expect(matchesKey('up', '', { upArrow: true })).toBe(true);
    expect(matchesKey('space', ' ', {})).toBe(true);
    expect(matchesKey('ctrl+r', 'r', { ctrl: true })).toBe(true);
    expect(matchesKey('ctrl+r', 'r', {})).toBe(false);
    expect(matchesKey('r', 'r', { ctrl: true })).toBe(false);
    expect(matchesKey('tab', '', { tab: true, shift: true })).toBe(false);
  });
});

describe('keyHints', () => {
  it('folds keys with the same label into one hint', () => {
    expect(keyHints(screenKeys)).toEqual([{ keys: 'ctrl+r/R', label: 'refresh now' }]);
  });
});

describe('routeKey with input that arrives in one chunk (fast typing, paste, tmux send-keys)', () => {
  const base = { screen: 'dashboard' as const, modal: null };
  it('runs the command when the text and Enter come together', () => {
    expect(routeKey({ ...base, command: 'fau' }, 'lt green health=fail\r', {}, [])).toEqual({
      type: 'runCommand',
      text: 'fault green health=fail',
    });
  });
  it('opens the command line with the rest of a `:verb` burst', () => {
    expect(routeKey({ ...base, command: null }, ':canary', {}, [])).toEqual({ type: 'setCommand', text: 'canary' });
    expect(routeKey({ ...base, command: null }, ':canary\r', {}, [])).toEqual({ type: 'runCommand', text: 'canary' });
  });
});

describe('routeKey: prompt modal', () => {
  const prompt = (text: string): RouterState => ({
    ...base,
    modal: { kind: 'prompt', title: 'Deploy which version?', hint: 'h', text, onSubmit: vi.fn() },
  });

  it('appends printable characters and pasted chunks, even ones bound elsewhere', () => {
    expect(routeKey(prompt(''), '1', {}, screenKeys)).toEqual({ type: 'setPromptText', text: '1' });
    expect(routeKey(prompt('1.'), '2.0-rc1', {}, screenKeys)).toEqual({ type: 'setPromptText', text: '1.2.0-rc1' });
    expect(routeKey(prompt('v'), 'q', {}, screenKeys)).toEqual({ type: 'setPromptText', text: 'vq' });
    expect(routeKey(prompt('v'), 'R', { shift: true }, screenKeys)).toEqual({ type: 'setPromptText', text: 'vR' });
  });

  it('deletes with backspace (and delete), and stays open when empty', () => {
    expect(routeKey(prompt('1.2'), '', { backspace: true }, [])).toEqual({ type: 'setPromptText', text: '1.' });
    expect(routeKey(prompt('1.2'), '', { delete: true }, [])).toEqual({ type: 'setPromptText', text: '1.' });
    expect(routeKey(prompt(''), '', { backspace: true }, [])).toEqual({ type: 'setPromptText', text: '' });
  });

  it('submits on enter, also when text and enter arrive in one chunk', () => {
    expect(routeKey(prompt('1.2.0'), '\r', { return: true }, [])).toEqual({ type: 'submitPrompt', text: '1.2.0' });
    expect(routeKey(prompt('1.'), '2.0\r', {}, [])).toEqual({ type: 'submitPrompt', text: '1.2.0' });
  });

  it('cancels on esc, swallows control keys, and still quits on ctrl+c', () => {
    expect(routeKey(prompt('1.2'), '', { escape: true, meta: true }, [])).toEqual({ type: 'closeModal' });
    expect(routeKey(prompt('1.2'), 'r', { ctrl: true }, screenKeys)).toBeNull();
    expect(routeKey(prompt('1.2'), '', { tab: true }, screenKeys)).toBeNull();
    expect(routeKey(prompt('1.2'), '', { upArrow: true }, screenKeys)).toBeNull();
    expect(routeKey(prompt('1.2'), 'c', { ctrl: true }, [])).toEqual({ type: 'quit' });
  });
});
