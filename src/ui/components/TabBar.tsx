import { Box, Text } from 'ink';
import type { ScreenId } from '../../store/types.js';
import type { ScreenDefinition } from '../screens/types.js';

/** `1 Dashboard [2 Deploy] 3 Canary …`: the current screen in brackets, so it shows without colour too. */
export function TabBar({ screens, current }: { screens: readonly ScreenDefinition[]; current: ScreenId }) {
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate">
        {screens.map((s, i) =>
          s.id === current ? (
            <Text key={s.id} inverse bold>
              [{i + 1} {s.title}]
            </Text>
          ) : (
            <Text key={s.id}>{` ${i + 1} ${s.title} `}</Text>
          ),
        )}
      </Text>
    </Box>
  );
}
