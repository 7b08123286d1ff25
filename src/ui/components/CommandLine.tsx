// `:` + what was typed + a block cursor, and under it the candidates Tab would choose between.
import { Box, Text } from 'ink';

export function CommandLine({ text, candidates }: { text: string; candidates: readonly string[] }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-start">
        <Text bold>:</Text>
        {text}
        <Text inverse> </Text>
      </Text>
      {candidates.length > 0 ? (
        <Text dimColor wrap="truncate">
          {candidates.join('  ')}
        </Text>
      ) : null}
    </Box>
  );
}
