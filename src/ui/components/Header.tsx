// Top line: which app and environment, what is live, how healthy, how fresh the data is.
// The left part truncates on narrow terminals; health and freshness always stay visible.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { overallStatus } from '../../core/health/status.js';
import type { AppStore } from '../../store/createAppStore.js';
import { formatAgo } from '../format.js';
import { deployColour } from '../theme.js';
import { useNow } from '../hooks/useNow.js';
import { StatusBadge } from './StatusBadge.js';

export function Header({ store }: { store: AppStore }) {
  const { app, environment, live, lastRefreshAt } = useStore(
    store,
    useShallow((s) => ({ app: s.app, environment: s.environment, live: s.deployment?.live ?? null, lastRefreshAt: s.lastRefreshAt })),
  );
  const statuses = useStore(
    store,
    useShallow((s) => s.targetOrder.map((name) => s.targets[name]?.health.status ?? 'unknown')),
  );
  const now = useNow(1000);
  return (
    <Box height={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate">
          <Text bold>prodx</Text>{' '}
          <Text bold color="cyan">
            {app}
          </Text>{' '}
          · <Text bold>{environment}</Text> ·{' '}
          {live ? (
            <Text>
              live:{' '}
              <Text bold color={deployColour(live.colour)}>
                {live.colour}
              </Text>{' '}
              {live.version}
            </Text>
          ) : (
            <Text dimColor>live: unknown (no deploy recorded)</Text>
          )}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <StatusBadge status={overallStatus(statuses)} />
        <Text dimColor> · {lastRefreshAt === undefined ? 'not refreshed yet' : `refreshed ${formatAgo(now - lastRefreshAt)}`}</Text>
      </Box>
    </Box>
  );
}
