// The verbs of the shell itself: screens, help, refresh, quit, and moving through the current
// screen's list (j/k, PgUp/PgDn, `/` to filter, Enter for the full row).
import { SCREENS, type ScreenId } from '../../store/types.js';
import type { UiContext } from '../context.js';
import { openGroup } from '../components/errors/view.js';
import { cursorOf, listRowsOf, type ListId } from './lists.js';
import type { Verb, VerbState } from './types.js';

/** rows PgUp/PgDn move */
export const PAGE_ROWS = 10;

/** The list the current screen shows, if it has one (set by the screen registry). */
export type ListOf = (screen: ScreenId, v: VerbState) => ListId | null;

function listVerbs(listOf: ListOf, titleOf: (id: ScreenId) => string): Verb[] {
  const move = (ctx: UiContext, v: VerbState, delta: number | 'top' | 'end') => {
    const id = listOf(v.s.screen, v);
    if (!id) return;
    // an open error group scrolls instead, and stops with its last row at the bottom
    if (id === 'errors' && openGroup(v.s)) {
      const limit = v.scrollLimit ?? Infinity;
      const at = Math.min(v.s.errors.scroll, limit);
      const next = delta === 'top' ? 0 : delta === 'end' ? limit : at + delta;
      return ctx.store.getState().actions.updateErrors({ scroll: Math.max(0, Math.min(limit, next)) });
    }
    const n = listRowsOf(id, v).length;
    const at = cursorOf(id, v);
    const next = delta === 'top' ? 0 : delta === 'end' ? n - 1 : at + delta;
    ctx.store.getState().actions.setList(id, { cursor: Math.max(0, Math.min(n - 1, next)) });
  };
  const noList = (v: VerbState) => (listOf(v.s.screen, v) ? null : `the ${titleOf(v.s.screen)} screen has no list`);
  const listVerb = (name: string, summary: string, delta: number | 'top' | 'end'): Verb => ({
    name,
    group: 'Lists',
    summary,
    disabledReason: noList,
    run: (ctx, _a, v) => move(ctx, v, delta),
  });
  return [
    listVerb('down', 'move down the list (scrolls an open error group)', 1),
    listVerb('up', 'move up the list (scrolls an open error group)', -1),
    listVerb('page-down', 'a page down the list', PAGE_ROWS),
    listVerb('page-up', 'a page up the list', -PAGE_ROWS),
    listVerb('top', 'the first row', 'top'),
    listVerb('end', 'the last row', 'end'),
    {
      name: 'filter',
      group: 'Lists',
      summary: 'filter the list: type words, enter keeps the filter, esc clears it',
      disabledReason: (v) => noList(v) ?? (v.s.screen === 'errors' && openGroup(v.s) ? 'a group is open: esc returns to the list' : null),
      run: (ctx, _a, v) => ctx.store.getState().actions.setList(listOf(v.s.screen, v)!, { filtering: true }),
    },
    {
      name: 'open',
      group: 'Lists',
      summary: 'the selected row in full (reason, values, who and when; an error group with its stack)',
      disabledReason: (v) => {
        const id = listOf(v.s.screen, v);
        if (!id) return `the ${titleOf(v.s.screen)} screen has no list`;
        return listRowsOf(id, v).length === 0 ? 'the list is empty' : null;
      },
      run: (ctx, _a, v) => {
        const id = listOf(v.s.screen, v)!;
        if (id === 'flags') return ctx.store.getState().actions.updateFlags({ detail: true });
        if (id === 'errors')
          return ctx.store.getState().actions.updateErrors({ detail: listRowsOf(id, v)[cursorOf(id, v)]!.key, scroll: 0 });
        const row = listRowsOf(id, v)[cursorOf(id, v)]!;
        const d = row.detail();
        ctx.store.getState().actions.openModal({ kind: 'detail', title: d.title, lines: d.lines, scroll: 0 });
      },
    },
  ];
}

function screenVerbs(listOf: ListOf, titleOf: (id: ScreenId) => string): Verb[] {
  const isScreen = (x: string | undefined): x is ScreenId => (SCREENS as readonly string[]).includes(x ?? '');
  const screen: Verb = {
    name: 'screen',
    group: 'Screens',
    summary: `show a screen: ${SCREENS.map((id, i) => `${i + 1} ${id}`).join(', ')}`,
    args: [{ name: 'name', required: true, complete: () => [...SCREENS] }],
    validate: ([id]) => (isScreen(id) ? null : `"${id}" is not a screen: one of ${SCREENS.join(', ')}`),
    run: (ctx, [id]) => ctx.store.getState().actions.setScreen(id as ScreenId),
  };
  // `:flags`, `:rum`…: a screen's name is a verb too, where no other verb has it (`:deploy` deploys)
  const byName: Verb[] = SCREENS.filter((id) => id !== 'deploy' && id !== 'canary').map((id) => ({
    name: id,
    group: 'Screens',
    summary: `show the ${titleOf(id)} screen`,
    run: (ctx) => ctx.store.getState().actions.setScreen(id),
  }));
  return [
    screen,
    ...byName,
    { name: 'next-screen', group: 'Screens', summary: 'the next screen', run: (ctx) => ctx.store.getState().actions.nextScreen(1) },
    {
      name: 'previous-screen',
      group: 'Screens',
      summary: 'the previous screen',
      run: (ctx) => ctx.store.getState().actions.nextScreen(-1),
    },
    {
      name: 'back',
      group: 'Screens',
      summary: 'close the detail, clear the filter, or go back to the Dashboard',
      run: (ctx, _a, v) => {
        const { actions } = ctx.store.getState();
        const id = listOf(v.s.screen, v);
        if (v.s.screen === 'flags' && v.s.flags.detail) return actions.updateFlags({ detail: false });
        if (v.s.screen === 'errors' && openGroup(v.s)) return actions.updateErrors({ detail: null, scroll: 0 });
        if (id && v.s.lists[id]?.filter) return actions.setList(id, { filter: '', cursor: 0 });
        actions.setScreen('dashboard');
      },
    },
    {
      name: 'help',
      group: 'App',
      summary: 'every key and command, for this screen first',
      run: (ctx) => ctx.store.getState().actions.openModal({ kind: 'help', scroll: 0 }),
    },
    {
      name: 'refresh',
      group: 'App',
      summary: 'probe every target and re-read the state now',
      run: async (ctx) => {
        ctx.store.getState().actions.flash('info', 'refreshing…');
        await ctx.app.refresh();
        ctx.store.getState().actions.flash('success', 'refreshed');
      },
    },
    // quitting is the shell's own (it may ask first): see keys.ts
    {
      name: 'quit',
      aliases: ['q', 'exit'],
      group: 'App',
      summary: 'leave prodx (asks first while an operation runs)',
      run: () => undefined,
    },
  ];
}

export function appVerbs(listOf: ListOf, titleOf: (id: ScreenId) => string): Verb[] {
  return [...screenVerbs(listOf, titleOf), ...listVerbs(listOf, titleOf)];
}
