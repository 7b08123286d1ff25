import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Sparkline } from '../../src/ui/components/Sparkline.js';

describe('Sparkline', () => {
  it('says when every probe failed, instead of waiting forever', () => {
    expect(render(<Sparkline series={[null, null, null]} width={40} height={4} />).lastFrame()).toBe(
      'no latency to chart: 3 of 3 probes failed',
    );
  });
  it('waits for the first probes', () => {
    expect(render(<Sparkline series={[]} width={40} height={4} />).lastFrame()).toBe('waiting for probes…');
  });
  it('plots successful probes, skipping failed ones', () => {
    const frame = render(<Sparkline series={[10, null, 20, 30]} width={40} height={4} />).lastFrame()!;
    expect(frame.split('\n').length).toBe(5);
    expect(frame.split('\n')[0]).toMatch(/^ +30 ┤/); // the top label is the highest successful probe
    expect(frame.split('\n').at(-1)).toMatch(/^ +10 ┼/);
  });
});
