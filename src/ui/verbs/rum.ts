// The RUM screen's verbs: cycle the report's window, its segment and the trend's metric. They
// change what the screen asks for, then read the report again at once.
import { nextDimension, nextMetric, nextWindow } from '../../core/rum/view.js';
import type { Verb } from './types.js';

const change = (
  name: string,
  summary: string,
  step: (s: ReturnType<Parameters<Verb['run']>[0]['store']['getState']>['rum']) => object,
): Verb => ({
  name,
  group: 'RUM',
  summary,
  run: async (ctx) => {
    const { rum, actions } = ctx.store.getState();
    actions.updateRum(step(rum));
    await ctx.app.refreshRum();
  },
});

export const rumWindowVerb = change('rum-window', 'the report window: 1h, 24h, 7d, 28d (CrUX)', (r) => ({ window: nextWindow(r.window) }));
export const rumSegmentVerb = change('rum-segment', 'segment by device, connection, page, version, country', (r) => ({
  by: nextDimension(r.by),
}));
export const rumMetricVerb = change('rum-metric', "the trend chart's metric: LCP, INP, CLS, FCP, TTFB", (r) => ({
  metric: nextMetric(r.metric),
}));
