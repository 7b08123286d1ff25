// Blue-green deploys are not built yet; the screen says so and shows what prodx already knows
// from .prodx/: what is live, what each colour runs, the history, and who holds the lock.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { HistoryEntry } from '../../core/state/schema.js';
import { NotAvailable } from '../components/NotAvailable.js';
import { formatDuration, formatTime } from '../format.js';
import { deployColour } from '../theme.js';
import type { ScreenDefinition, ScreenProps } from './types.js';

const resultColour: Record<HistoryEntry['result'], string> = {
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  'rolled-back': 'yellow',
  aborted: 'yellow',
};

function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const move = entry.fromColour || entry.toColour ? ` ${entry.fromColour ?? '?'}→${entry.toColour ?? '?'}` : '';
  const took = entry.endedAt !== undefined ? ` in ${formatDuration(entry.endedAt - entry.startedAt)}` : '';
  return (
    <Text wrap="truncate">
      {formatTime(entry.startedAt)} <Text bold>{entry.version}</Text> {entry.strategy}
      {move} <Text color={resultColour[entry.result]}>{entry.result}</Text>
      {took} <Text dimColor>by {entry.by}</Text>
      {entry.reason ? <Text dimColor> — {entry.reason}</Text> : null}
    </Text>
  );
}

function Deploy({ ctx, height }: ScreenProps) {
  const { deployment, lock, stateError } = useStore(
    ctx.store,
    useShallow((s) => ({ deployment: s.deployment, lock: s.lock, stateError: s.stateError })),
  );
  const colours = Object.entries(deployment?.colours ?? {});
  // what fits under the fixed lines above the history
  const room = Math.max(0, height - 7 - colours.length);
  const history = [...(deployment?.history ?? [])].sort((a, b) => b.startedAt - a.startedAt);
  const shown = history.slice(0, room);
  return (
    <Box flexDirection="column">
      <NotAvailable message="Blue-green deploys are not available yet in this version of prodx." />
      {stateError ? (
        <Text color="red" wrap="truncate">
          The state file could not be read: {stateError}
        </Text>
      ) : null}
      <Text wrap="truncate">
        {deployment?.live ? (
          <Text>
            live:{' '}
            <Text bold color={deployColour(deployment.live.colour)}>
              {deployment.live.colour}
            </Text>{' '}
            runs <Text bold>{deployment.live.version}</Text> since {formatTime(deployment.live.since)}
          </Text>
        ) : (
          <Text dimColor>live: unknown (no deploy recorded)</Text>
        )}
      </Text>
      {colours.map(([colour, c]) => (
        <Text key={colour} wrap="truncate">
          {'  '}
          <Text color={deployColour(colour)}>{colour}</Text>: {c.version ?? 'nothing installed by prodx'}
          {c.updatedAt !== undefined ? <Text dimColor> (updated {formatTime(c.updatedAt)})</Text> : null}
        </Text>
      ))}
      <Text wrap="truncate">
        {lock ? (
          <Text color="yellow">
            locked: {lock.operation} on {lock.environment} by pid {lock.pid}@{lock.host} since {formatTime(lock.acquiredAt)}
          </Text>
        ) : (
          <Text dimColor>lock: free</Text>
        )}
      </Text>
      <Text bold>History</Text>
      {history.length === 0 ? <Text dimColor>no deploys recorded yet</Text> : null}
      {shown.map((entry) => (
        <HistoryRow key={entry.id} entry={entry} />
      ))}
      {history.length > shown.length ? <Text dimColor>… {history.length - shown.length} older</Text> : null}
    </Box>
  );
}

export const deployScreen: ScreenDefinition = { id: 'deploy', title: 'Deploy', keys: [], Component: Deploy };
