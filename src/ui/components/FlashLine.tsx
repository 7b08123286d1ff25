import { Text } from 'ink';
import type { Flash } from '../../store/types.js';
import { flashColour } from '../theme.js';

/** The last message, in its kind's colour; an empty line keeps the layout still when none. */
export function FlashLine({ flash }: { flash: Flash | null }) {
  if (!flash) return <Text> </Text>;
  return (
    <Text color={flashColour[flash.kind]} wrap="truncate">
      {flash.kind === 'error' ? '✗ ' : flash.kind === 'success' ? '✓ ' : '› '}
      {flash.text}
    </Text>
  );
}
