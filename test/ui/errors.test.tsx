// The Errors screen with ink-testing-library: a report built from real rollups (events grouped
// by the grouping the collector uses, hours rolled up, the report of the last 24 hours) in the
// store as the errors poller puts it; status changes mocked at the app-operations boundary.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { buildErrorsReport, type ErrorsReport } from '../../src/core/errors/report.js';
import { shortId } from '../../src/core/errors/view.js';
import { namedWindow } from '../../src/core/rum/window.js';
import { id, KINDS, NOW, report, type Kind } from './errorsFixtures.js';
import { calledOnce, KEYS, makeCtx, plain, renderApp, waitForFrame, widestLine, type FakeContext } from './helpers.js';

afterEach(() => cleanup());

function errorsCtx(r: ErrorsReport = report()): FakeContext {
  const ctx = makeCtx();
  ctx.store.getState().actions.updateErrors({ report: r, loadedAt: Date.now(), notInApp: [] });
  return ctx;
}

/** a row of the table: cursor column, short id, events */
const TABLE_ROW = /^[›↓ ] ([0-9a-f]{8}) +\d/;

/** the rendered rows of the list, top to bottom, as the groups' ids */
const order = (frame: string, r: ErrorsReport) =>
  frame
    .split('\n')
    .map((l) => TABLE_ROW.exec(l)?.[1])
    .filter((x): x is string => x !== undefined)
    .map((short) => r.groups.find((g) => shortId(g.id) === short)!.id);

const rowOf = (frame: string, kind: Kind) => frame.split('\n').find((l) => TABLE_ROW.exec(l)?.[1] === shortId(id(kind))) ?? '';

describe('Errors screen', () => {
  it('lists the groups from the rollups with their counts, users, last seen, trend and markers, under the newest release', async () => {
    const r = report();
    expect(r.regressed).toEqual([id(KINDS.tile)]);
    expect(r.newInLatest).toEqual([id(KINDS.range)]);
    const { press } = await renderApp(errorsCtx(r), { columns: 120, rows: 30 });
    const frame = await press('5', (f) => f.includes('EVENTS'));
    expect(frame).toMatch(/Errors last 24 hours · 84 events · 5 groups · by events/);
    expect(frame).toContain(`Newest release 4.3.0 · 1 new (${shortId(id(KINDS.range))}) · 1 regressed (${shortId(id(KINDS.tile))})`);
    // the called-out groups, named with their titles
    expect(frame).toMatch(new RegExp(`regressed +${shortId(id(KINDS.tile))} TypeError: tile is undefined`));
    expect(frame).toMatch(new RegExp(`new +${shortId(id(KINDS.range))} RangeError: Invalid time value`));
    // rows: id, events, users, last seen, category, trend, title with its markers
    expect(rowOf(frame, KINDS.tile)).toMatch(/› \w{8} +40 +30 +\d+m ago +javascript +\S.* regressed TypeError: tile is undefined/);
    expect(rowOf(frame, KINDS.refused)).toMatch(/ 25 +5 +\d+s ago +network .*Error: connect ECONNREFUSED/);
    expect(rowOf(frame, KINDS.range)).toMatch(/ 10 +10 .* new RangeError: Invalid time value/);
    expect(rowOf(frame, KINDS.payment)).toMatch(/ ignored PaymentDeclined/);
    expect(rowOf(frame, KINDS.alerts)).toMatch(/ resolved TypeError: Cannot read/);
    expect(rowOf(frame, KINDS.refused)).not.toMatch(/regressed|new |resolved|ignored/);
    // by events, largest first
    expect(order(frame, r)).toEqual([KINDS.tile, KINDS.refused, KINDS.range, KINDS.payment, KINDS.alerts].map(id));
  });

  it('o cycles the order: last seen, users, first seen, and keeps the selected group selected', async () => {
    const r = report();
    const ctx = errorsCtx(r);
    const { press } = await renderApp(ctx, { columns: 120, rows: 30 });
    await press('5', (f) => f.includes('by events'));
    let frame = await press('o', (f) => f.includes('by last seen'));
    expect(order(frame, r)).toEqual([KINDS.refused, KINDS.range, KINDS.tile, KINDS.payment, KINDS.alerts].map(id));
    // tile was selected, and still is, in its new place
    expect(rowOf(frame, KINDS.tile)).toMatch(/^› /);
    frame = await press('o', (f) => f.includes('by users'));
    expect(order(frame, r)).toEqual([KINDS.tile, KINDS.range, KINDS.payment, KINDS.refused, KINDS.alerts].map(id));
    frame = await press('o', (f) => f.includes('by first seen'));
    expect(order(frame, r)[0]).toBe(id(KINDS.range));
    expect(ctx.store.getState().errors.sort).toBe('firstSeen');
    await press('o', (f) => f.includes('by events'));
  });

  it('/ filters the list by title and culprit; esc clears the filter', async () => {
    const r = report();
    const { press, stdin } = await renderApp(errorsCtx(r), { columns: 100, rows: 30 });
    await press('5', (f) => f.includes('5 groups'));
    await press('/', (f) => f.includes('enter keep filter'));
    // submitPayment is the culprit of the payment group only; its title does not say it
    await press('submitpay', (f) => f.includes('/submitpay'));
    let frame = await press(KEYS.enter, (f) => f.includes('1 of 5 groups'));
    expect(order(frame, r)).toEqual([id(KINDS.payment)]);
    await press('/', (f) => f.includes('enter keep filter'));
    for (let i = 0; i < 'submitpay'.length; i++) stdin.write(KEYS.backspace);
    await press('typeerror', (f) => f.includes('/typeerror'));
    // both TypeErrors (tile and alerts), nothing else
    frame = await press(KEYS.enter, (f) => f.includes('2 of 5 groups'));
    expect(order(frame, r).sort()).toEqual([id(KINDS.tile), id(KINDS.alerts)].sort());
    frame = await press(KEYS.escape, (f) => f.includes('· 5 groups'));
    expect(order(frame, r)).toHaveLength(5);
  });

  it('enter opens the group: the stack innermost first with the app’s frames marked and their source line; esc returns', async () => {
    const ctx = errorsCtx();
    const { press } = await renderApp(ctx, { columns: 100, rows: 40 });
    await press('5', (f) => f.includes('EVENTS'));
    const frame = await press(KEYS.enter, (f) => f.includes('Stack innermost first'));
    const lines = frame.split('\n');
    expect(frame).toContain('TypeError: tile is undefined');
    expect(frame).toMatch(new RegExp(`${shortId(id(KINDS.tile))} · regressed · javascript · error · in renderTile`));
    expect(frame).toMatch(/40 events \(last 24 hours\) · 30 users · 30 sessions · first seen 2d ago · last seen 10m ago/);
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    // innermost first: the library frame the error was thrown in, then renderTile, then main
    expect(at(/GridLayer\.createTile/)).toBeGreaterThan(0);
    expect(at(/GridLayer\.createTile/)).toBeLessThan(at(/renderTile +https/));
    expect(at(/renderTile +https/)).toBeLessThan(at(/main +https/));
    // the app's frames are marked ›, with the line of source; the library's are not
    expect(lines[at(/renderTile +https/)]).toMatch(/^ +› renderTile +https:\/\/weather\.example\/src\/map\/tiles\.js:88:7/);
    expect(lines[at(/renderTile +https/) + 1]).toMatch(/^ +const url = tile\.url;$/);
    expect(lines[at(/main +https/)]).toMatch(/^ +› main/);
    expect(lines[at(/GridLayer\.createTile/)]).not.toContain('›');
    // five library frames in a row fold into one row after the first
    expect(frame).toContain('⋯ 4 more frames not in the app');
    expect(frame).not.toContain('Map.fire');
    // the latest event, tags, releases, environments and the trend chart
    expect(frame).toMatch(/user +u\d+/);
    expect(frame).toContain('https://weather.example/?city=Oslo');
    expect(frame).toMatch(/Tags +browser=Firefox 133 +os=Linux/);
    expect(frame).toMatch(/Releases +4\.3\.0, +4\.2\.0/);
    expect(frame).toContain('first seen in 4.2.0');
    expect(frame).toMatch(/Environments +production 40/);
    expect(frame).toMatch(/Trend events per hour/);
    expect(frame).toMatch(/┤/); // asciichart's axis
    expect(ctx.store.getState().errors.detail).toBe(id(KINDS.tile));
    const back = await press(KEYS.escape, (f) => f.includes('EVENTS'));
    expect(back).not.toContain('Stack innermost first');
    expect(ctx.store.getState().errors.detail).toBeNull();
  });

  it('an open group scrolls with j/k and stops at its last row', async () => {
    const { press } = await renderApp(errorsCtx(), { columns: 60, rows: 20 });
    await press('5', (f) => f.includes('EVENTS'));
    let frame = await press(KEYS.enter, (f) => f.includes('j/k scroll'));
    const total = Number(/ 1-\d+ of (\d+) · ↓/.exec(frame)![1]);
    for (let i = 0; i < 60 && !new RegExp(` \\d+-${total} of ${total}`).test(frame); i++) {
      const before = frame;
      frame = await press('j', (f) => f !== before);
    }
    const end = / (\d+)-(\d+) of \d+/.exec(frame)!;
    expect(end[2]).toBe(String(total));
    expect(frame).toMatch(/┤/);
    // j past the end does nothing, so one k moves at once
    for (let i = 0; i < 5; i++) await press('j', () => true);
    frame = await press('k', (f) => f.includes(` ${Number(end[1]) - 1}-${total - 1} of ${total}`));
    expect(frame).toContain('↓ 1 more');
  });

  it('x asks first, naming the group and the change; Cancel is the default, and only the confirm resolves it', async () => {
    const ctx = errorsCtx();
    const { press } = await renderApp(ctx, { columns: 100, rows: 30 });
    await press('5', (f) => f.includes('EVENTS'));
    await press('j', (f) => /^› .*ECONNREFUSED/m.test(f));
    const refused = shortId(id(KINDS.refused));
    let dialog = await press('x', (f) => f.includes(`Resolve error group ${refused}?`));
    expect(dialog).toContain('Error: connect ECONNREFUSED 10.0.3.8:8080');
    expect(dialog).toContain('25 events from 5 users in the last 24 hours');
    expect(dialog).toContain('status  unresolved → resolved in 4.3.0');
    expect(dialog).toContain('seen again in a release newer than 4.3.0, it comes back as a regression');
    expect(dialog).toContain('[ Cancel ]');
    await press(KEYS.enter, (f) => f.includes('EVENTS') && !f.includes('Resolve error group'));
    expect(ctx.app.setErrorStatus).not.toHaveBeenCalled();
    dialog = await press('x', (f) => f.includes(`Resolve error group ${refused}?`));
    await press('y', (f) => f.includes(`resolved ${refused}`));
    expect(await calledOnce(ctx.app.setErrorStatus, 'the resolve')).toEqual([id(KINDS.refused), 'resolved']);
  });

  it('i ignores the open group after a confirm; a key that cannot apply says why', async () => {
    const ctx = errorsCtx();
    const { press, lastFrame } = await renderApp(ctx, { columns: 100, rows: 30 });
    await press('5', (f) => f.includes('EVENTS'));
    await press(KEYS.enter, (f) => f.includes('Stack innermost first'));
    const tile = shortId(id(KINDS.tile));
    // a regressed group is open again: nothing to reopen
    await press('u', (f) => f.includes(`errors-reopen: ${tile} is open: nothing to reopen`));
    const dialog = await press('i', (f) => f.includes(`Ignore error group ${tile}?`));
    expect(dialog).toContain('status  unresolved → ignored');
    expect(dialog).toContain('the release gate (`prodx errors report`) stops failing on it');
    await press('n', (f) => f.includes('Stack innermost first'));
    expect(ctx.app.setErrorStatus).not.toHaveBeenCalled();
    await press('i', (f) => f.includes(`Ignore error group ${tile}?`));
    await press('y', () => ctx.app.setErrorStatus.mock.calls.length === 1);
    expect(ctx.app.setErrorStatus.mock.calls[0]).toEqual([id(KINDS.tile), 'ignored']);
    expect(plain(lastFrame())).toContain('Stack innermost first');
  });

  it.each([
    [60, 20],
    [80, 24],
    [200, 50],
  ] as const)('fits %ix%i: the list and an open group, no line wider than the terminal', async (columns, rows) => {
    const { press } = await renderApp(errorsCtx(), { columns, rows });
    const list = await press('5', (f) => f.includes('EVENTS'));
    expect(widestLine(list), list).toBeLessThanOrEqual(columns);
    expect(list.split('\n').length).toBeLessThan(rows);
    expect(list).toContain('Newest release 4.3.0');
    expect(order(list, report())).toHaveLength(5);
    // the trend and the category give way on a narrow terminal; the title keeps room
    if (columns >= 120) expect(list).toMatch(/CATEGORY +TREND +TITLE/);
    else if (columns >= 70) expect(list).toMatch(/ CAT +TREND +TITLE/);
    else expect(list).toMatch(/ SEEN +TITLE/);
    expect(list).toMatch(/TypeError: tile is/);
    const detail = await press(KEYS.enter, (f) => f.includes('Stack innermost first'));
    expect(widestLine(detail), detail).toBeLessThanOrEqual(columns);
    expect(detail.split('\n').length).toBeLessThan(rows);
    expect(detail).toMatch(/› renderTile/);
    if (rows >= 50) expect(detail).toMatch(/┤/);
  });

  it('says it is reading before the first report, and how to get errors when there are none', async () => {
    const ctx = makeCtx();
    const { press, lastFrame } = await renderApp(ctx, { columns: 60, rows: 20 });
    await press('5', (f) => f.includes('Reading error events'));
    ctx.store.getState().actions.updateErrors({ report: buildErrorsReport([], {}, namedWindow('24h', NOW)), loadedAt: Date.now() });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('No errors in the last 24 hours'));
    expect(frame.replace(/\s+/g, ' ')).toContain('`prodx errors simulate`');
    await press('x', (f) => f.includes('errors-resolve: no error group in the last 24 hours'));
    expect(ctx.app.setErrorStatus).not.toHaveBeenCalled();
  });
});
