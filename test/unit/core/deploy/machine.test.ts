import { describe, expect, it } from 'vitest';
import { deployStep } from '../../../../src/core/deploy/machine.js';

const at = (phase: Parameters<typeof deployStep>[0]['phase'], strategy: 'blue-green' | 'standard' = 'blue-green') => ({ phase, strategy });

describe('the blue-green machine', () => {
  it('walks releasing → verifying → switching → monitoring → complete', () => {
    expect(deployStep(at('releasing'), { type: 'released' })).toEqual({ kind: 'phase', phase: 'verifying' });
    expect(deployStep(at('verifying'), { type: 'verified' })).toEqual({ kind: 'phase', phase: 'switching' });
    expect(deployStep(at('switching'), { type: 'switched' })).toEqual({ kind: 'phase', phase: 'monitoring' });
    expect(deployStep(at('monitoring'), { type: 'watched' })).toEqual({ kind: 'end', result: 'succeeded' });
  });
  it('a standard deploy ends once verified: there is no switch', () => {
    expect(deployStep(at('verifying', 'standard'), { type: 'verified' })).toEqual({ kind: 'end', result: 'succeeded' });
  });
  it('a failure before traffic moved ends it; after, it rolls back, then ends rolled back', () => {
    expect(deployStep(at('verifying'), { type: 'failed', reason: 'gate', trafficMoved: false })).toEqual({
      kind: 'end',
      result: 'failed',
      reason: 'gate',
    });
    expect(deployStep(at('monitoring'), { type: 'failed', reason: 'error rate', trafficMoved: true })).toEqual({
      kind: 'phase',
      phase: 'rolling-back',
      reason: 'error rate',
    });
    expect(deployStep({ ...at('rolling-back'), reason: 'error rate' }, { type: 'restored' })).toEqual({
      kind: 'end',
      result: 'rolled-back',
      reason: 'error rate',
    });
  });
  it('an event out of order is refused, never applied', () => {
    expect(deployStep(at('releasing'), { type: 'switched' }).kind).toBe('invalid');
    expect(deployStep(at('rolling-back'), { type: 'failed', reason: 'x', trafficMoved: true }).kind).toBe('invalid');
  });
});
