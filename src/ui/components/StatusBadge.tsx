import { Text } from 'ink';
import type { HealthStatus } from '../../core/health/types.js';
import { statusColour } from '../theme.js';

/** `● healthy` in the status's colour. */
export function StatusBadge({ status }: { status: HealthStatus }) {
  return (
    <Text color={statusColour[status]} bold={status === 'down'} wrap="truncate">
      ● {status}
    </Text>
  );
}
