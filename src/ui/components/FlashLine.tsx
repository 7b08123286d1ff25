import { Box, Text } from 'ink';
import type { Flash } from '../../store/types.js';
import { flashColour } from '../theme.js';

const PREFIX: Record<Flash['kind'], string> = { error: '✗ ', success: '✓ ', info: '› ' };

/** The most rows a flash may take from the screen body. */
const MAX_FLASH_LINES = 3;

/** Lines `text` takes when word-wrapped greedily at `width` (as Ink's wrap does). */
export function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let col = 0;
  for (const word of text.split(' ')) {
    if (col > 0 && col + 1 + word.length <= width) col += 1 + word.length;
    else {
      if (col > 0) lines++;
      col = word.length;
    }
    // a word longer than the line is broken where the line ends
    for (; col > width; col -= width) lines++;
  }
  return lines;
}

/**
 * Rows the flash needs: one, up to three when the message is longer than the terminal is wide
 * (an error says what to do at its end, so it is worth more lines rather than being cut).
 */
export function flashHeight(flash: Flash | null, columns: number): number {
  if (!flash) return 1;
  return Math.min(MAX_FLASH_LINES, wrappedLines(PREFIX[flash.kind] + flash.text, Math.max(1, columns)));
}

/** The last message, in its kind's colour; an empty line keeps the layout still when none. */
export function FlashLine({ flash, columns }: { flash: Flash | null; columns: number }) {
  if (!flash) return <Text> </Text>;
  return (
    <Box height={flashHeight(flash, columns)} width={columns} overflow="hidden">
      <Text color={flashColour[flash.kind]} wrap="wrap">
        {PREFIX[flash.kind]}
        {flash.text}
      </Text>
    </Box>
  );
}
