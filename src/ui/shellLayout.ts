// What the shell draws around the screen, and how tall the body is, for a state and terminal
// size. Pure, so the key router reads the same layout the render drew (a scroll stops at the
// last line of what was shown) without the render handing anything back.
import type { AppState } from '../store/types.js';
import { complete } from './commandLine.js';
import { detailScrollLimit } from './components/Dialogs.js';
import { detailScrollLimit as errorScrollLimit } from './components/errors/view.js';
import { flashHeight, wrappedLines } from './components/FlashLine.js';
import { fitHints, type FooterMode } from './components/Footer.js';
import { helpLines, helpScrollLimit } from './components/HelpOverlay.js';
import { footerHints, helpRows, type HelpRow } from './help.js';
import { listOfScreen, screenDefinition, screenDefinitions } from './screens/index.js';
import type { VerbTable } from './verbs/table.js';
import type { VerbState } from './verbs/types.js';

export interface ShellLayout {
  footer: ReturnType<typeof fitHints>;
  candidates: string[];
  demoLines: number;
  showFilter: boolean;
  /** the whole app: one row short of the terminal so Ink redraws in place instead of clearing */
  height: number;
  bodyHeight: number;
  help: HelpRow[];
  /** how far the open help or detail (a dialog, or the Errors screen's open group) can scroll */
  scrollLimit: number;
}

export function shellLayout(v: VerbState, table: VerbTable, columns: number, rows: number): ShellLayout {
  const s: AppState = v.s;
  const definition = screenDefinition(s.screen);
  const list = listOfScreen(s.screen, v);
  const listState = list ? s.lists[list] : undefined;
  const showFilter = !!listState && (listState.filtering || listState.filter !== '');
  const mode: FooterMode = s.modal ? s.modal.kind : s.command !== null ? 'command' : listState?.filtering ? 'filter' : 'screen';
  const { screen: screenHints, global } = footerHints(definition.keys, table, v, screenDefinitions.length);
  const footer = fitHints(mode, screenHints, global, columns);
  const candidates = s.command !== null ? complete(s.command.text, table, v).candidates : [];
  const demoLines = s.demo ? Math.min(3, wrappedLines(s.demo.note, columns)) : 0;
  const chrome =
    2 +
    footer.length +
    demoLines +
    flashHeight(s.flash, columns) +
    (s.command !== null ? 1 + (candidates.length > 0 ? 1 : 0) : 0) +
    (showFilter ? 1 : 0);
  const height = Math.max(chrome + 3, rows - 1);
  const bodyHeight = height - chrome;
  const help =
    s.modal?.kind === 'help'
      ? helpRows({
          screenTitle: definition.title,
          screenKeys: definition.keys,
          hasList: list !== null,
          table,
          v,
          screens: screenDefinitions,
          demo: s.demo,
        })
      : [];
  const scrollLimit =
    s.modal?.kind === 'help'
      ? helpScrollLimit(helpLines(help, columns).lines.length, bodyHeight)
      : s.modal?.kind === 'detail'
        ? detailScrollLimit(s.modal.lines, columns, bodyHeight)
        : !s.modal && s.screen === 'errors'
          ? errorScrollLimit(s, v.now, columns, bodyHeight)
          : 0;
  return { footer, candidates, demoLines, showFilter, height, bodyHeight, help, scrollLimit };
}
