// The shell around the screens: header, demo banner, tab bar, body (or the open dialog), flash
// line, `:` line, filter line and key hints. It owns no data: everything comes from the store
// in ctx, every key goes through the one router (keys.ts) into the verb table.
import { useCallback, useMemo } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { CommandLine } from './components/CommandLine.js';
import { ConfirmDialog, DetailDialog, PromptDialog, QuitDialog } from './components/Dialogs.js';
import { FlashLine } from './components/FlashLine.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { TabBar } from './components/TabBar.js';
import type { UiContext } from './context.js';
import type { HelpRow } from './help.js';
import { shellLayout } from './shellLayout.js';
import type { Modal } from '../store/types.js';
import type { ScreenDefinition } from './screens/types.js';
import { useFlashExpiry } from './hooks/useFlashExpiry.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useNow } from './hooks/useNow.js';
import { nextChunk, routeKey, runKeyAction } from './keys.js';
import { useQuit } from './hooks/useQuit.js';
import { listOfScreen, screenDefinition, screenDefinitions } from './screens/index.js';
import { FLASH_MS } from './theme.js';
import { verbState } from './verbs/invoke.js';
import { verbTable } from './verbs/table.js';

export function App({ ctx }: { ctx: UiContext }) {
  const { columns, rows } = useTerminalSize();
  // every render reads the whole state: the footer and help depend on what each verb allows now
  const s = useStore(
    ctx.store,
    useShallow((st) => ({ ...st })),
  );
  const definition = screenDefinition(s.screen);
  const table = useMemo(() => verbTable(ctx, listOfScreen, (id) => screenDefinition(id).title), [ctx]);

  const quit = useQuit(ctx);

  const onInput = useCallback(
    (input: string, key: Key) => {
      for (let rest = input; ;) {
        const v = verbState(ctx);
        const def = screenDefinition(v.s.screen);
        const list = listOfScreen(v.s.screen, v);
        const chunk = nextChunk(v.s, !!list && !!v.s.lists[list]?.filtering, rest, key);
        const { scrollLimit } = shellLayout(v, table, columns, rows);
        const decision = routeKey(v, chunk, key, { table, screenKeys: def.keys, list, scrollLimit });
        if (decision) runKeyAction(decision, ctx, table, quit);
        rest = rest.slice(chunk.length);
        if (rest === '') return;
      }
    },
    [ctx, table, quit, columns, rows],
  );
  useInput(onInput);
  useFlashExpiry(ctx.store, FLASH_MS);

  const now = useNow(1000);
  const v = { s: ctx.store.getState(), now };
  const { footer, candidates, demoLines, showFilter, height, bodyHeight, help } = shellLayout(v, table, columns, rows);
  const listState = showFilter ? s.lists[listOfScreen(s.screen, v)!] : undefined;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header store={ctx.store} />
      {s.demo ? (
        <Box height={demoLines} overflow="hidden">
          <Text dimColor wrap="wrap">
            {s.demo.note}
          </Text>
        </Box>
      ) : null}
      <TabBar screens={screenDefinitions} current={s.screen} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        <Body ctx={ctx} modal={s.modal} help={help} columns={columns} height={bodyHeight} Screen={definition.Component} />
      </Box>
      <FlashLine flash={s.flash} columns={columns} />
      {s.command !== null ? <CommandLine text={s.command.text} candidates={candidates} /> : null}
      {showFilter ? (
        <Text wrap="truncate-start">
          <Text bold>/</Text>
          {listState!.filter}
          {listState!.filtering ? <Text inverse> </Text> : <Text dimColor> (esc clears)</Text>}
        </Text>
      ) : null}
      <Footer lines={footer} />
    </Box>
  );
}

/** The body: the open dialog, or the current screen. */
function Body({
  ctx,
  modal,
  help,
  columns,
  height,
  Screen,
}: {
  ctx: UiContext;
  modal: Modal | null;
  help: HelpRow[];
  columns: number;
  height: number;
  Screen: ScreenDefinition['Component'];
}) {
  switch (modal?.kind) {
    case 'help':
      return <HelpOverlay rows={help} scroll={modal.scroll} width={columns} height={height} />;
    case 'confirm':
      return <ConfirmDialog modal={modal} width={columns} />;
    case 'prompt':
      return <PromptDialog modal={modal} width={columns} />;
    case 'detail':
      return <DetailDialog modal={modal} width={columns} height={height} />;
    case 'quit':
      return <QuitDialog modal={modal} width={columns} />;
    default:
      return <Screen ctx={ctx} width={columns} height={height} />;
  }
}
