// The shell's footer and flash line: what they keep when the terminal is narrow.
import { describe, expect, it } from 'vitest';
import { flashHeight, wrappedLines } from '../../src/ui/components/FlashLine.js';
import { fitHints } from '../../src/ui/components/Footer.js';

const hint = (keys: string, label: string) => ({ keys, label, disabled: false });
const globals = [hint('?', 'help'), hint('q', 'quit'), hint(':', 'command'), hint('1-6', 'screens')];

describe('fitHints', () => {
  const text = (line: readonly { keys: string; label: string }[]) => line.map((h) => `${h.keys} ${h.label}`).join('  ');
  it('keeps every screen key, help and quit, on a second line when one is too narrow; other globals only where they fit', () => {
    const screen = [
      hint('c', 'new canary'),
      hint('p', 'next step'),
      hint('P', 'promote to 100%'),
      hint('space', 'pause'),
      hint('a', 'abort'),
      hint('r', 'roll back'),
    ];
    const at60 = fitHints('screen', screen, globals, 60);
    expect(at60).toHaveLength(2);
    for (const line of at60) expect(text(line).length).toBeLessThanOrEqual(60);
    expect(at60.flat().map((h) => h.label)).toEqual(expect.arrayContaining([...screen.map((h) => h.label), 'help', 'quit']));
    const at120 = fitHints('screen', screen, globals, 120);
    expect(at120).toHaveLength(1);
    expect(at120[0]!.map((h) => h.label)).toEqual([...screen.map((h) => h.label), 'help', 'quit', 'command', 'screens']);
  });
  it("shows a dialog's own keys instead", () => {
    expect(fitHints('confirm', [hint('r', 'roll back')], globals, 80)[0]!.map((h) => h.label)).toEqual([
      'choose',
      'press',
      'yes',
      'cancel',
    ]);
  });
});

describe('flash height', () => {
  it('counts word-wrapped lines, breaking words longer than a line', () => {
    expect(wrappedLines('short', 80)).toBe(1);
    expect(wrappedLines('aaaa bbbb cccc', 9)).toBe(2);
    expect(wrappedLines('aaaa bbbb cccc', 4)).toBe(3);
    expect(wrappedLines('x'.repeat(25), 10)).toBe(3);
  });
  it('gives a long error up to three lines', () => {
    const flash = (text: string) => ({ kind: 'error' as const, text, at: 0 });
    expect(flashHeight(null, 80)).toBe(1);
    expect(flashHeight(flash('deployed'), 80)).toBe(1);
    expect(flashHeight(flash('word '.repeat(30)), 80)).toBe(2);
    expect(flashHeight(flash('word '.repeat(300)), 80)).toBe(3);
  });
});
