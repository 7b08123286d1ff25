// Top line: which app and environment, what the router does now (the router poller's weights,
// the state only when the router cannot be read), production's health as the live colour's, and
// the other colours' state beside it: an idle colour that is down is not an outage.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { liveColourOf } from '../../core/deploy/router.js';
import type { HealthStatus } from '../../core/health/types.js';
import type { AppStore } from '../../store/createAppStore.js';
import type { AppState } from '../../store/types.js';
import { formatAgo } from '../format.js';
import { useNow } from '../hooks/useNow.js';
import { deployColour, statusColour } from '../theme.js';

export interface HeaderColour {
  colour: string;
  version: string | null;
  status: HealthStatus;
  /** share of traffic; null when the router's weights are unknown */
  weight: number | null;
  role: 'live' | 'canary' | 'idle';
}

export interface HeaderView {
  live: HeaderColour | null;
  others: HeaderColour[];
  /** where the live colour comes from */
  source: 'router' | 'state' | 'none';
}

/** Pure: what the header says. */
export function headerView(s: Pick<AppState, 'weights' | 'deployment' | 'targetOrder' | 'targets'>): HeaderView {
  const routerLive = liveColourOf(s.weights);
  const live = routerLive ?? s.deployment?.live?.colour ?? null;
  const source = routerLive ? 'router' : live ? 'state' : 'none';
  const of = (colour: string): HeaderColour => {
    const weight = s.weights ? (s.weights[colour] ?? 0) : null;
    const t = s.targets[colour];
    return {
      colour,
      version: t?.health.version ?? s.deployment?.colours[colour]?.version ?? null,
      status: t?.health.status ?? 'unknown',
      weight,
      role: colour === live ? 'live' : weight !== null && weight > 0 ? 'canary' : 'idle',
    };
  };
  return { live: live ? of(live) : null, others: s.targetOrder.filter((c) => c !== live).map(of), source };
}

function Badge({ status }: { status: HealthStatus }) {
  return (
    <Text color={statusColour[status]} bold={status === 'down'}>
      ● {status}
    </Text>
  );
}

function Colour({ c }: { c: HeaderColour }) {
  return (
    <Text>
      {c.role === 'live' ? null : <Text dimColor>{c.role} </Text>}
      <Text bold color={deployColour(c.colour)}>
        {c.colour}
      </Text>
      {c.role !== 'idle' && c.version ? ` ${c.version}` : ''}
      {c.role === 'canary' || (c.role === 'live' && c.weight !== null && c.weight < 100) ? ` ${c.weight}%` : ''}
      {/* the live colour's health is production's: it stays at the right, whatever the width */}
      {c.role === 'live' ? null : (
        <Text>
          {' '}
          <Badge status={c.status} />
        </Text>
      )}
    </Text>
  );
}

export function Header({ store }: { store: AppStore }) {
  const { app, environment, lastRefreshAt, view } = useStore(
    store,
    useShallow((s) => ({ app: s.app, environment: s.environment, lastRefreshAt: s.lastRefreshAt, view: JSON.stringify(headerView(s)) })),
  );
  const h = JSON.parse(view) as HeaderView;
  const now = useNow(1000);
  return (
    <Box height={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate">
          <Text bold>prodx</Text>{' '}
          <Text bold color="cyan">
            {app}
          </Text>{' '}
          · <Text bold>{environment}</Text> ·{' '}
          {h.live ? (
            <Text>
              live <Colour c={h.live} />
              {h.others.map((o) => (
                <Text key={o.colour}>
                  {' · '}
                  <Colour c={o} />
                </Text>
              ))}
            </Text>
          ) : (
            <Text dimColor>live: unknown (no deploy recorded, router not read)</Text>
          )}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text>
          <Badge status={h.live?.status ?? 'unknown'} />
          <Text dimColor> · {lastRefreshAt === undefined ? 'not refreshed yet' : `refreshed ${formatAgo(now - lastRefreshAt)}`}</Text>
        </Text>
      </Box>
    </Box>
  );
}
