// The terminal's size, re-read on every 'resize' of stdout so layouts follow the window.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** Falls back to 80x24 when stdout is not a terminal (pipes, tests) and reports no size. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => readSize(stdout));
  useEffect(() => {
    const onResize = () => setSize(readSize(stdout));
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  const columns = stdout.columns > 0 ? stdout.columns : 80;
  const rows = stdout.rows > 0 ? stdout.rows : 24;
  return { columns, rows };
}
