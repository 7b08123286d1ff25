import { Text } from 'ink';
import { formatElapsed } from '../format.js';
import { useNow } from '../hooks/useNow.js';

/** Time since `since`, ticking every second while it is shown. */
export function Elapsed({ since }: { since: number }) {
  const now = useNow(1000);
  return <Text>{formatElapsed(now - since)}</Text>;
}
