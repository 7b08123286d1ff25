// The shell's footer and flash line: what they keep when the terminal is narrow.
import { describe, expect, it } from 'vitest';
import { flashHeight, wrappedLines } from '../../src/ui/components/FlashLine.js';
import { footerHints } from '../../src/ui/components/Footer.js';

describe('footerHints', () => {
  it('drops the least useful global hints rather than help or quit when the line is too long', () => {
    const screen = [
      { keys: 'ctrl+r/R', label: 'refresh now' },
      { keys: 'r', label: 'roll back' },
    ];
    const labels = footerHints('screen', screen, 80).map((h) => h.label);
    expect(labels).toContain('quit');
    expect(labels).toContain('help');
    expect(labels).not.toContain('command');
    expect(footerHints('screen', screen, 120).map((h) => h.label)).toContain('command');
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
