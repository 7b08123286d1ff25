// The dialogs, as the store describes them (modals are data): a confirm whose Cancel button is
// focused first, a prompt that keeps its text and says what is wrong, a detail that shows a row
// in full, and the question quitting asks while an operation runs. One frame for all of them.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Modal } from '../../store/types.js';
import { wrapWords } from '../format.js';

type Of<K extends Modal['kind']> = Extract<Modal, { kind: K }>;

function Frame({ title, colour, width, children }: { title: string; colour: string; width: number; children: ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={colour} paddingX={1} width={Math.min(width, 76)} flexShrink={0}>
      <Text bold color={colour} wrap="truncate">
        {title}
      </Text>
      {children}
    </Box>
  );
}

/** `[ Cancel ]` when focused, `  Cancel  ` otherwise: the focus is visible without colour too. */
function Button({ label, focused, colour }: { label: string; focused: boolean; colour: string }) {
  return (
    <Text bold={focused} color={focused ? colour : undefined} inverse={focused}>
      {focused ? `[ ${label} ]` : `  ${label}  `}
    </Text>
  );
}

export function ConfirmDialog({ modal, width }: { modal: Of<'confirm'>; width: number }) {
  return (
    <Frame title={modal.title} colour="yellow" width={width}>
      {modal.lines.map((l, i) => (
        <Text key={i} wrap="wrap">
          {l}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="truncate">
        <Button label="Cancel" focused={modal.focus === 'cancel'} colour="green" />{' '}
        <Button label={modal.confirmLabel} focused={modal.focus === 'confirm'} colour="red" />
        <Text dimColor> ←/→ choose · y {modal.confirmLabel} · esc cancel</Text>
      </Text>
    </Frame>
  );
}

export function PromptDialog({ modal, width }: { modal: Of<'prompt'>; width: number }) {
  return (
    <Frame title={modal.title} colour="cyan" width={width}>
      <Text dimColor wrap="wrap">
        {modal.hint}
      </Text>
      <Text> </Text>
      {/* long text keeps its end (where the cursor is) in view */}
      <Text wrap="truncate-start">
        <Text bold color="cyan">
          ›{' '}
        </Text>
        {modal.text}
        <Text inverse> </Text>
      </Text>
      <Text color="red" wrap="wrap">
        {modal.error ? `✗ ${modal.error}` : ' '}
      </Text>
      <Text dimColor wrap="truncate">
        enter submit · esc cancel
      </Text>
    </Frame>
  );
}

/** A detail's lines wrapped to the dialog, a row each, so scrolling moves by rows and nothing is squeezed. Pure. */
const detailRows = (lines: readonly string[], width: number) => lines.flatMap((l) => wrapWords(l, Math.max(1, Math.min(width, 76) - 4)));
const detailRoom = (height: number) => Math.max(1, height - 4);

/** How far a detail can scroll: its last row at the bottom. Pure. */
export const detailScrollLimit = (lines: readonly string[], width: number, height: number): number =>
  Math.max(0, detailRows(lines, width).length - detailRoom(height));

export function DetailDialog({ modal, width, height }: { modal: Of<'detail'>; width: number; height: number }) {
  const rows = detailRows(modal.lines, width);
  const room = detailRoom(height);
  const top = Math.max(0, Math.min(modal.scroll, rows.length - room));
  return (
    <Frame title={modal.title} colour="cyan" width={width}>
      {rows.slice(top, top + room).map((l, i) => (
        <Text key={top + i} wrap="truncate">
          {l}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {top + room < rows.length ? `j/k scroll (${rows.length - top - room} more) · ` : ''}esc closes
      </Text>
    </Frame>
  );
}

const CHOICES = [
  { id: 'stay', label: 'Keep it running' },
  { id: 'leave', label: 'Quit, leave it resumable' },
  { id: 'cancel', label: 'Cancel it, then quit' },
] as const;

export function QuitDialog({ modal, width }: { modal: Of<'quit'>; width: number }) {
  return (
    <Frame title={`${modal.label} is still running`} colour="yellow" width={width}>
      {modal.stopping ? (
        <Text wrap="wrap">{modal.stopping}</Text>
      ) : (
        <>
          <Text wrap="wrap">
            Leave it resumable (`prodx deploy --resume`, `prodx canary deploy --resume`, or `prodx rollback`), or cancel it: a deploy is
            rolled back, a canary aborted.
          </Text>
          <Text> </Text>
          {CHOICES.map((c) => (
            <Text key={c.id} wrap="truncate">
              <Button label={c.label} focused={modal.focus === c.id} colour={c.id === 'cancel' ? 'red' : 'green'} />
            </Text>
          ))}
          <Text dimColor wrap="truncate">
            ↑/↓ choose · enter · esc keeps it running · ctrl+c quits at once
          </Text>
        </>
      )}
    </Frame>
  );
}
