import { Box, Text } from 'ink';
import type { Modal } from '../../store/types.js';

type Confirm = Extract<Modal, { kind: 'confirm' }>;

/** A dangerous action waits here for an explicit `y`. */
export function ConfirmDialog({ modal, width }: { modal: Confirm; width: number }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={Math.min(width, 72)}>
      <Text bold color="yellow" wrap="truncate">
        {modal.title}
      </Text>
      <Text wrap="wrap">{modal.body}</Text>
      <Text> </Text>
      <Text wrap="truncate">
        <Text bold color="green">
          y
        </Text>
        /
        <Text bold color="green">
          enter
        </Text>{' '}
        {modal.confirmLabel}
        {'   '}
        <Text bold color="red">
          n
        </Text>
        /
        <Text bold color="red">
          esc
        </Text>{' '}
        cancel
      </Text>
    </Box>
  );
}
