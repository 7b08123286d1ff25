import { Box, Text } from 'ink';

/** The honest placeholder of a screen whose capability this version does not have yet. */
export function NotAvailable({ message, detail }: { message: string; detail?: string }) {
  return (
    <Box flexDirection="column">
      <Text bold color="yellow" wrap="truncate">
        {message}
      </Text>
      {detail ? (
        <Text dimColor wrap="wrap">
          {detail}
        </Text>
      ) : null}
    </Box>
  );
}
