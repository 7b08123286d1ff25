import { Box, Text } from 'ink';
import type { ScreenId } from '../../store/types.js';
import type { ScreenDefinition } from '../screens/types.js';

/** `1 Dashboard  2 Deploy …` with the current screen inverse. */
export function TabBar({ screens, current }: { screens: readonly ScreenDefinition[]; current: ScreenId }) {
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate">
        {screens.map((s, i) => (
          <Text key={s.id} inverse={s.id === current} bold={s.id === current}>
            {` ${i + 1} ${s.title} `}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
