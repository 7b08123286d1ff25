import { Text } from 'ink';

/** `:` + what was typed + a block cursor. */
export function CommandLine({ text }: { text: string }) {
  return (
    <Text wrap="truncate-start">
      <Text bold>:</Text>
      {text}
      <Text inverse> </Text>
    </Text>
  );
}
