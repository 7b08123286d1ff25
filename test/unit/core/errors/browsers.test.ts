// One bug, three browsers: the stacks Chrome, Firefox and Safari write for the same throw parse
// to frames that group together (function and module, never line or column), and a stack in a
// format no parser knows still groups, by its type and value.
import { describe, expect, it } from 'vitest';
import type { ErrorEvent } from '../../../../src/core/errors/event.js';
import { groupEvent } from '../../../../src/core/errors/grouping.js';
import { parseStack } from '../../../../src/core/errors/stack.js';

const OPTIONS = { fingerprintRules: [], categoryRules: [], notInApp: [] };
const ASSET = 'https://weather.example/assets/radar.3f2a1b9c.js';
const NEXT_DEPLOY = 'https://weather.example/assets/radar.77aa00ff.js';
const event = (value: string, stack: string): ErrorEvent => ({
  id: '0'.repeat(32),
  ts: 0,
  source: 'prodx',
  project: 'default',
  platform: 'javascript',
  level: 'error',
  exceptions: [{ type: 'TypeError', value, frames: parseStack(stack) }],
  release: '1.0.0',
  environment: 'production',
  user: '',
  session: '',
  tags: {},
});

const chrome = (asset: string, line = 1) =>
  `TypeError: Cannot read properties of undefined (reading 'x')\n    at renderTiles (${asset}:${line}:18234)\n    at Array.forEach (<anonymous>)\n    at drawRadar (${asset}:1:17002)\n    at https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js:5:4120`;
const firefox = `renderTiles@${ASSET}:1:18240\ndrawRadar@${ASSET}:1:17010\no@https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js:5:4133`;
const safari = `renderTiles@${ASSET}:1:18240\nforEach@[native code]\ndrawRadar@${ASSET}:1:17010`;

describe('browser stacks', () => {
  it('Chrome, Firefox and Safari stacks of one throw are one group, across a redeploy that renamed the asset', () => {
    const g = groupEvent(event("Cannot read properties of undefined (reading 'x')", chrome(ASSET)), OPTIONS);
    expect(g.groupedBy).toBe('stacktrace');
    expect(groupEvent(event('tile is undefined', firefox), OPTIONS).group).toBe(g.group);
    expect(groupEvent(event("undefined is not an object (evaluating 'tile.x')", safari), OPTIONS).group).toBe(g.group);
    expect(groupEvent(event('x', chrome(NEXT_DEPLOY, 7)), OPTIONS).group).toBe(g.group);
    expect(g.culprit).toContain('renderTiles');
  });

  it('another function, or a Node stack, is another group', () => {
    const radar = groupEvent(event('x', chrome(ASSET)), OPTIONS).group;
    const other = `TypeError: x\n    at drawLegend (${ASSET}:1:900)\n    at drawRadar (${ASSET}:1:17002)`;
    expect(groupEvent(event('x', other), OPTIONS).group).not.toBe(radar);
    const node = 'TypeError: x\n    at renderTiles (/srv/weather/server/tiles.js:10:5)\n    at node:internal/process/task_queues:95:5';
    expect(groupEvent(event('x', node), OPTIONS).group).not.toBe(radar);
  });

  it('a stack in a format no parser knows groups by type and value, numbers normalised', () => {
    const a = groupEvent(event('quota 512 exceeded', '#0 0x7fff5fbff8a0 in main () at app.c:12\n???'), OPTIONS);
    const b = groupEvent(event('quota 1024 exceeded', '%%% garbage %%%'), OPTIONS);
    expect(a.groupedBy).toBe('exception');
    expect(b.group).toBe(a.group);
  });
});
