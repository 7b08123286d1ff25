// A deploy that this dashboard did not start is unfinished: another prodx is running it, or an
// interrupted one left it behind. Says which phase it is in and what to do about it.
import { Box, Text } from 'ink';
import type { ActiveDeployment } from '../../../core/state/schema.js';
import type { LockInfo } from '../../../core/state/lock.js';
import { Elapsed } from '../Elapsed.js';

export function ActiveNotice({ active, lock }: { active: ActiveDeployment; lock: LockInfo | null }) {
  const back = active.fromColour ?? 'the previous weights';
  return (
    <Box flexDirection="column">
      <Text color="yellow" wrap="truncate">
        ⚠ unfinished deploy of <Text bold>{active.version}</Text> onto {active.toColour} · phase <Text bold>{active.phase}</Text> for{' '}
        <Elapsed since={active.phaseStartedAt} /> · by {active.by}
      </Text>
      {lock ? (
        <Text wrap="truncate">
          held by pid {lock.pid}@{lock.host}: wait; if that process is gone, <Text bold>prodx deploy --resume</Text> or <Text bold>r</Text>{' '}
          (back to {back})
        </Text>
      ) : (
        <Text wrap="truncate">
          prodx was interrupted: <Text bold>prodx deploy --resume</Text> finishes it, <Text bold>r</Text> rolls back to {back}
        </Text>
      )}
    </Box>
  );
}
