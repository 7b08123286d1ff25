// The dialogs, as the store describes them (modals are data): a confirm whose Cancel button is
// focused first, a prompt that keeps its text and says what is wrong, a detail that shows a row
// in full, and the question quitting asks while an operation runs. One frame for all of them.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Modal } from '../../store/types.js';
import { wrapWords } from '../format.js';

type Of<K extends Modal['kind']> = Extract<Modal, { kind: K }>;

/** A dialog is at most 76 columns; inside, the border and padding take 4. */
const frameWidth = (width: number) => Math.min(width, 76);
const innerWidth = (width: number) => Math.max(1, frameWidth(width) - 4);

/** Text wrapped at word boundaries here, so that no line of a dialog starts with the space it broke at. */
function Wrapped({ text, width, dim, colour }: { text: string; width: number; dim?: boolean; colour?: string }) {
  return (
    <>
      {wrapWords(text, innerWidth(width)).map((l, i) => (
        <Text key={i} wrap="truncate" dimColor={dim} color={colour}>
          {l}
        </Text>
      ))}
    </>
  );
}

function Frame({ title, colour, width, children }: { title: string; colour: string; width: number; children: ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={colour} paddingX={1} width={frameWidth(width)} flexShrink={0}>
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
        <Wrapped key={i} text={l} width={width} />
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
      <Wrapped text={modal.hint} width={width} dim />
      <Text> </Text>
      {/* long text keeps its end (where the cursor is) in view */}
      <Text wrap="truncate-start">
        <Text bold color="cyan">
          ›{' '}
        </Text>
        {modal.text}
        <Text inverse> </Text>
      </Text>
      <Wrapped text={modal.error ? `✗ ${modal.error}` : ' '} width={width} colour="red" />
      <Text dimColor wrap="truncate">
        enter submit · esc cancel
      </Text>
    </Frame>
  );
}

/** A detail's lines wrapped to the dialog, a row each, so scrolling moves by rows and nothing is squeezed. Pure. */
const detailRows = (lines: readonly string[], width: number) => lines.flatMap((l) => wrapWords(l, innerWidth(width)));
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

/** What leaving and cancelling mean for the operation that runs. */
const QUIT_CHOICE: Record<Of<'quit'>['operation'], string> = {
  deploy: 'Leave it resumable (`prodx deploy --resume` goes on, `prodx rollback` undoes it), or cancel it: it is rolled back first.',
  canary:
    'Leave it resumable (`prodx canary deploy --resume` goes on, `prodx rollback` undoes it), or cancel it: it is aborted first and the stable colour gets all the traffic.',
  rollback: 'Leave it where it stands (`prodx rollback` finishes it), or cancel it: it stops at its next safe point first.',
};

const CHOICES = [
  { id: 'stay', label: 'Keep it running' },
  { id: 'leave', label: 'Quit, leave it resumable' },
  { id: 'cancel', label: 'Cancel it, then quit' },
] as const;

export function QuitDialog({ modal, width }: { modal: Of<'quit'>; width: number }) {
  return (
    <Frame title={`${modal.label} is still running`} colour="yellow" width={width}>
      {modal.stopping ? (
        <Wrapped text={modal.stopping} width={width} />
      ) : (
        <>
          <Wrapped text={QUIT_CHOICE[modal.operation]} width={width} />
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
