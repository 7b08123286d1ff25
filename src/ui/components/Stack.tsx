// A column whose sections keep their height: when the screen is too short, the body clips what
// does not fit at the bottom (the shell's overflow: hidden) instead of squeezing a section so
// that its text is drawn over the next one.
import { Children, type ReactNode } from 'react';
import { Box } from 'ink';

export function Stack({ width, gap = 0, children }: { width: number; gap?: number; children: ReactNode }) {
  return (
    <Box flexDirection="column" width={width} rowGap={gap}>
      {Children.toArray(children).map((child, i) => (
        <Box key={i} flexDirection="column" flexShrink={0} width={width}>
          {child}
        </Box>
      ))}
    </Box>
  );
}
