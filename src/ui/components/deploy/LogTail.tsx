// The newest lines of the running deploy's log (release hook output, probes, checks), as many
// as the layout gives room for.
import { Box, Text } from 'ink';

function lineColour(line: string): string | undefined {
  if (/^warning:/.test(line) || /^check inconclusive/.test(line)) return 'yellow';
  if (/^check fail/.test(line) || /^(failed|rolling-back|rolled-back):/.test(line)) return 'red';
  if (/^check pass/.test(line)) return 'green';
  return undefined;
}

export function LogTail({ log, lines, width }: { log: readonly string[]; lines: number; width: number }) {
  const tail = lines > 0 ? log.slice(-lines) : [];
  return (
    <Box flexDirection="column" width={width} flexShrink={0} overflow="hidden">
      <Text bold wrap="truncate">
        Log{' '}
        <Text dimColor>
          {tail.length < log.length ? `(last ${tail.length} of ${log.length} lines)` : `(${log.length} line${log.length === 1 ? '' : 's'})`}
        </Text>
      </Text>
      {tail.map((line, i) => (
        <Text key={log.length - tail.length + i} color={lineColour(line)} dimColor={line.startsWith('| ')} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
