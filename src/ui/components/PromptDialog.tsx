import { Box, Text } from 'ink';
import type { Modal } from '../../store/types.js';

type Prompt = Extract<Modal, { kind: 'prompt' }>;

/** One line of text to type (the version to deploy…), drawn like the confirm dialog. */
export function PromptDialog({ modal, width }: { modal: Prompt; width: number }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={Math.min(width, 72)}>
      <Text bold color="cyan" wrap="truncate">
        {modal.title}
      </Text>
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
      <Text> </Text>
      <Text wrap="truncate">
        <Text bold color="green">
          enter
        </Text>{' '}
        submit{'   '}
        <Text bold color="red">
          esc
        </Text>{' '}
        cancel
      </Text>
    </Box>
  );
}
