// A colour's share of traffic as a bar, and the line that says why the router or the state
// could not be read: shared by the Deploy and Canary screens.
import { Text } from 'ink';

export function WeightBar({ weight, width }: { weight: number; width: number }) {
  if (width < 4) return null;
  const filled = Math.round((Math.max(0, Math.min(100, weight)) / 100) * width);
  return (
    <Text>
      <Text color="cyan">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
    </Text>
  );
}

export function SourceErrors({ routerError, stateError }: { routerError?: string | undefined; stateError?: string | undefined }) {
  return (
    <>
      {routerError ? (
        <Text dimColor wrap="truncate">
          router: {routerError}
        </Text>
      ) : null}
      {stateError ? (
        <Text color="red" wrap="truncate">
          state: {stateError}
        </Text>
      ) : null}
    </>
  );
}
