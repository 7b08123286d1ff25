// The Deploy screen's pure parts: which plan step is current, and
// how the rows are shared at 80x24 and 200x50.
import { describe, expect, it } from 'vitest';
import { deployLayout } from '../../src/ui/components/deploy/layout.js';
import { currentStep, stepName, stepStates } from '../../src/ui/components/deploy/steps.js';
import { verifying } from './deployFixtures.js';

describe('deploy steps', () => {
  const plan = verifying(0).plan;
  it('marks the step of the phase', () => {
    expect(currentStep(plan, 'releasing')).toBe(0);
    expect(currentStep(plan, 'monitoring')).toBe(3);
    expect(currentStep(plan, 'complete')).toBe(plan.length);
    expect(currentStep(plan, 'rolling-back')).toBe(-1);
    expect(stepStates(plan, 'switching')).toEqual(['done', 'done', 'current', 'pending', 'pending']);
  });
  it('names steps by their verb', () => {
    expect(plan.map(stepName)).toEqual(['release', 'verify', 'switch', 'watch', 'keep']);
    expect(stepName('no release hook: expect green to be running 1.2.0 already')).toBe('no release hook');
  });
});

describe('deployLayout', () => {
  const progress = { kind: 'progress', plan: 5, log: 20, outcome: false } as const;
  it('keeps 80x24 compact: two boxes side by side, plan on one line, log and history share the rest', () => {
    const l = deployLayout({ width: 80, height: 18, colours: 2, notes: 0, middle: progress, history: 10 });
    expect(l).toMatchObject({ boxesPerRow: 2, boxWidth: 39, compactBoxes: true, gap: 0, planAsList: false, split: false });
    // 4 box rows + header + plan + log title + history title + column header
    expect(4 + 1 + 1 + 1 + l.logLines + 2 + l.historyRows).toBe(18);
    expect(l.logLines).toBeGreaterThan(0);
    expect(l.historyRows).toBeGreaterThan(0);
  });
  it('spreads out at 200x50: full boxes, plan as a list, log beside it', () => {
    const l = deployLayout({ width: 200, height: 44, colours: 2, notes: 1, middle: progress, history: 40 });
    expect(l).toMatchObject({ compactBoxes: false, gap: 1, planAsList: true, split: true });
    expect(l.logLines).toBeGreaterThan(5);
    expect(l.historyRows).toBeGreaterThan(5);
  });
  it('gives the history everything below the note when nothing runs, with full boxes when they fit', () => {
    const idle = { width: 80, colours: 2, notes: 0, middle: { kind: 'idle' }, history: 50 } as const;
    expect(deployLayout({ ...idle, height: 18 })).toMatchObject({ compactBoxes: false, historyRows: 18 - 6 - 1 - 2 });
    expect(deployLayout({ ...idle, height: 10 })).toMatchObject({ compactBoxes: true, historyRows: 10 - 4 - 1 - 2 });
  });
});
