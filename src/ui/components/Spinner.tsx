// A one-character spinner for work in progress. Hand-written (a dozen lines) rather than
// ink-spinner, which would add two dependencies for one animation; only this component
// re-renders on each tick.
import { useEffect, useState } from 'react';
import { Text } from 'ink';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ color = 'cyan', intervalMs = 100 }: { color?: string; intervalMs?: number }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((n) => (n + 1) % FRAMES.length), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return <Text color={color}>{FRAMES[frame]}</Text>;
}
