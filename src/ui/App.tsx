// The shell around the screens: header, tab bar, body (or the open modal), flash line,
// command line and key hints. It owns no data: everything comes from the store in ctx, and
// every key goes through the one router in keys.ts.
import { useCallback, useMemo, useRef } from 'react';
import { Box, Text, useApp } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { listCommands } from './commands.js';
import { CommandLine } from './components/CommandLine.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { FlashLine, flashHeight } from './components/FlashLine.js';
import { Footer, type FooterMode } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { PromptDialog } from './components/PromptDialog.js';
import { TabBar } from './components/TabBar.js';
import type { UiContext } from './context.js';
import { useFlashExpiry } from './hooks/useFlashExpiry.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { keyHints } from './keyHints.js';
import { useKeyRouter } from './keys.js';
import { screenDefinition, screenDefinitions } from './screens/index.js';
import { FLASH_MS } from './theme.js';

export function App({ ctx }: { ctx: UiContext }) {
  const { columns, rows } = useTerminalSize();
  const { screen, modal, command, flash, demo } = useStore(
    ctx.store,
    useShallow((s) => ({ screen: s.screen, modal: s.modal, command: s.command, flash: s.flash, demo: s.demo })),
  );
  const definition = screenDefinition(screen);
  const { exit } = useApp();

  const quitting = useRef(false);
  const quit = useCallback(() => {
    if (quitting.current) return;
    quitting.current = true;
    try {
      ctx.onQuit?.();
    } finally {
      exit();
    }
  }, [ctx, exit]);

  useKeyRouter(ctx, definition.keys, quit);
  useFlashExpiry(ctx.store, FLASH_MS);

  const hints = useMemo(() => keyHints(definition.keys), [definition]);
  const mode: FooterMode = modal ? modal.kind : command !== null ? 'command' : 'screen';
  // one line each: header, tab bar, footer; the flash (one or two); the demo note and command
  // line when shown. The app stays one row short of the terminal so Ink redraws in place
  // instead of clearing.
  const chrome = 3 + flashHeight(flash, columns) + (demo ? 1 : 0) + (command !== null ? 1 : 0);
  const height = Math.max(chrome + 3, rows - 1);
  const bodyHeight = height - chrome;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header store={ctx.store} />
      {demo ? (
        <Text dimColor wrap="truncate">
          demo sandbox — {demo.note}
        </Text>
      ) : null}
      <TabBar screens={screenDefinitions} current={screen} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {modal?.kind === 'help' ? (
          <HelpOverlay screens={screenDefinitions} commands={listCommands(ctx)} width={columns} />
        ) : modal?.kind === 'confirm' ? (
          <ConfirmDialog modal={modal} width={columns} />
        ) : modal?.kind === 'prompt' ? (
          <PromptDialog modal={modal} width={columns} />
        ) : (
          <definition.Component ctx={ctx} width={columns} height={bodyHeight} />
        )}
      </Box>
      <FlashLine flash={flash} columns={columns} />
      {command !== null ? <CommandLine text={command} /> : null}
      <Footer mode={mode} screenHints={hints} width={columns} />
    </Box>
  );
}
