// One colour of a blue-green pair, as Argo Rollouts shows a ReplicaSet: its role (live or
// idle), what it runs, how healthy it is and how much traffic the router gives it.
import { Box, Text } from 'ink';
import type { TargetHealth } from '../../../core/health/types.js';
import { deployColour } from '../../theme.js';
import { StatusBadge } from '../StatusBadge.js';
import { WeightBar } from '../WeightBar.js';

export interface ColourView {
  name: string;
  live: boolean;
  /** what prodx last installed on it (state file) */
  installedVersion: string | null;
  /** what the target itself reports (health probe) */
  probedVersion: string | null;
  health: TargetHealth | null;
  /** percent of traffic; null when the router's weights are unknown */
  weight: number | null;
  /** the version a deploy is putting onto this colour right now */
  receiving: string | null;
}

function Role({ colour }: { colour: ColourView }) {
  return (
    <Text>
      <Text bold color={deployColour(colour.name)}>
        {colour.name}
      </Text>{' '}
      {colour.live ? (
        <Text bold color="green">
          LIVE
        </Text>
      ) : (
        <Text dimColor>idle</Text>
      )}
    </Text>
  );
}

function Receiving({ colour }: { colour: ColourView }) {
  return colour.receiving ? <Text color="cyan"> ◀ receiving {colour.receiving}</Text> : null;
}

function Version({ colour }: { colour: ColourView }) {
  const { installedVersion: installed, probedVersion: probed } = colour;
  if (!installed && !probed) return <Text dimColor>no version known</Text>;
  return (
    <Text>
      <Text bold>{installed ?? probed}</Text>
      {/* a colour that is being deployed to serves the new version before the state says so */}
      {installed && probed && probed !== installed && probed !== colour.receiving ? <Text color="yellow"> (serving {probed})</Text> : null}
      {!installed ? <Text dimColor> (probed)</Text> : null}
    </Text>
  );
}

const weightText = (weight: number | null) => (weight === null ? 'weight ?' : `weight ${weight}%`);

export function ColourBox({ colour, width, compact }: { colour: ColourView; width: number; compact: boolean }) {
  const inner = Math.max(1, width - 4);
  const status = colour.health?.status ?? 'unknown';
  return (
    <Box
      flexDirection="column"
      width={width}
      flexShrink={0}
      borderStyle="round"
      borderColor={colour.live ? 'green' : 'gray'}
      paddingX={1}
      overflow="hidden"
    >
      {compact ? (
        <>
          <Text wrap="truncate">
            <Role colour={colour} /> <Version colour={colour} />
            <Receiving colour={colour} />
          </Text>
          <Text wrap="truncate">
            <StatusBadge status={status} /> · {weightText(colour.weight)}
          </Text>
        </>
      ) : (
        <>
          <Text wrap="truncate">
            <Role colour={colour} />
            <Receiving colour={colour} />
          </Text>
          <Text wrap="truncate">
            <Text dimColor>version </Text>
            <Version colour={colour} />
          </Text>
          <Text wrap="truncate">
            <StatusBadge status={status} /> <Text dimColor>{colour.health?.reason ?? ''}</Text>
          </Text>
          <Text wrap="truncate">
            {weightText(colour.weight).padEnd(12)}
            {colour.weight !== null ? <WeightBar weight={colour.weight} width={Math.min(50, inner - 12)} /> : null}
          </Text>
        </>
      )}
    </Box>
  );
}
