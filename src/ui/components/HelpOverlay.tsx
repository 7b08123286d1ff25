// Every key and every `:` command in one place: global keys, each screen's registered keys,
// built-in commands and the operations the CLI provides.
import { Box, Text } from 'ink';
import type { CommandHelp } from '../commands.js';
import { GLOBAL_KEYS } from '../keys.js';
import { keyHints } from '../keyHints.js';
import type { ScreenDefinition } from '../screens/types.js';

export interface HelpOverlayProps {
  screens: readonly ScreenDefinition[];
  commands: readonly CommandHelp[];
  width: number;
}

function Row({ keys, label, keyWidth }: { keys: string; label: string; keyWidth: number }) {
  return (
    <Text wrap="truncate">
      <Text bold color="cyan">
        {keys.padEnd(keyWidth)}
      </Text>{' '}
      {label}
    </Text>
  );
}

export function HelpOverlay({ screens, commands, width }: HelpOverlayProps) {
  const side = width >= 70;
  const columnWidth = side ? Math.floor((width - 2) / 2) : width;
  const screensWithKeys = screens.filter((s) => s.keys.length > 0);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        Help <Text dimColor>— esc, ? or q to close</Text>
      </Text>
      <Box flexDirection={side ? 'row' : 'column'} columnGap={2}>
        <Box flexDirection="column" width={columnWidth}>
          <Text bold underline>
            Keys
          </Text>
          {GLOBAL_KEYS.map((k) => (
            <Row key={k.keys} keys={k.keys} label={k.label} keyWidth={10} />
          ))}
          {screensWithKeys.map((s) => (
            <Box key={s.id} flexDirection="column">
              <Text bold wrap="truncate">
                {s.title}
              </Text>
              {keyHints(s.keys).map((h) => (
                <Row key={h.keys} keys={h.keys} label={h.label} keyWidth={10} />
              ))}
            </Box>
          ))}
        </Box>
        <Box flexDirection="column" width={columnWidth}>
          <Text bold underline>
            Commands
          </Text>
          {commands.map((c) => (
            <Row key={c.name} keys={`:${c.name}`} label={c.description} keyWidth={11} />
          ))}
        </Box>
      </Box>
    </Box>
  );
}
