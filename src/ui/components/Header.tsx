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
import { useTerminalSize } from '../hooks/useTerminalSize.js';
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

/** How much the header says: the most it can in the width, dropping first what matters least. */
export interface HeaderDetail {
  prodx: boolean;
  app: boolean;
  /** `refreshed 3s ago` rather than `3s ago` */
  refreshedWord: boolean;
  /** the live colour's version beside a canary */
  liveVersion: boolean;
  /** the health of the other colours even when healthy (narrow: only a problem is named) */
  othersHealthy: boolean;
  /** how long ago the last refresh was (dropped last, so that an idle colour's problem fits) */
  age: boolean;
}

/** Whether a colour beside the live one shows its health badge at this detail. */
const showsBadge = (c: HeaderColour, d: HeaderDetail) => c.role !== 'live' && (d.othersHealthy || c.status !== 'healthy');

const colourText = (c: HeaderColour, d: HeaderDetail) =>
  `${c.role === 'live' ? '' : `${c.role} `}${c.colour}${c.role !== 'idle' && c.version && (c.role !== 'live' || d.liveVersion) ? ` ${c.version}` : ''}${
    c.role === 'canary' || (c.role === 'live' && c.weight !== null && c.weight < 100) ? ` ${c.weight}%` : ''
  }${showsBadge(c, d) ? ` ● ${c.status}` : ''}`;

/** The detail that fits `width`, and the plain text each part takes. Pure. */
export function headerDetail(
  h: HeaderView,
  app: string,
  environment: string,
  width: number,
  refreshed: (d: HeaderDetail) => string = (d) => `${d.refreshedWord ? 'refreshed ' : ''}59s ago`,
): HeaderDetail {
  const tries: HeaderDetail[] = [
    { prodx: true, app: true, refreshedWord: true, liveVersion: true, othersHealthy: true, age: true },
    { prodx: false, app: true, refreshedWord: true, liveVersion: true, othersHealthy: true, age: true },
    { prodx: false, app: true, refreshedWord: false, liveVersion: true, othersHealthy: true, age: true },
    { prodx: false, app: false, refreshedWord: false, liveVersion: true, othersHealthy: true, age: true },
    { prodx: false, app: false, refreshedWord: false, liveVersion: false, othersHealthy: true, age: true },
    { prodx: false, app: false, refreshedWord: false, liveVersion: false, othersHealthy: false, age: true },
    { prodx: false, app: false, refreshedWord: false, liveVersion: false, othersHealthy: false, age: false },
  ];
  const length = (d: HeaderDetail) => {
    const live = h.live
      ? `live ${[h.live, ...h.others].map((c) => colourText(c, d)).join(' · ')}`
      : 'live: unknown (no deploy recorded, router not read)';
    const left = `${d.prodx ? 'prodx ' : ''}${d.app ? `${app} · ` : ''}${environment} · ${live}`;
    const right = ` ● ${h.live?.status ?? 'unknown'}${d.age ? ` · ${refreshed(d)}` : ''}`;
    return left.length + right.length + 1;
  };
  return tries.find((d) => length(d) <= width) ?? tries.at(-1)!;
}

function Colour({ c, d }: { c: HeaderColour; d: HeaderDetail }) {
  return (
    <Text>
      {c.role === 'live' ? null : <Text dimColor>{c.role} </Text>}
      <Text bold color={deployColour(c.colour)}>
        {c.colour}
      </Text>
      {c.role !== 'idle' && c.version && (c.role !== 'live' || d.liveVersion) ? ` ${c.version}` : ''}
      {c.role === 'canary' || (c.role === 'live' && c.weight !== null && c.weight < 100) ? ` ${c.weight}%` : ''}
      {/* the live colour's health is production's: it stays at the right, whatever the width */}
      {!showsBadge(c, d) ? null : (
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
  const { columns } = useTerminalSize();
  const refreshed = (d: HeaderDetail) =>
    lastRefreshAt === undefined ? 'not refreshed yet' : `${d.refreshedWord ? 'refreshed ' : ''}${formatAgo(now - lastRefreshAt)}`;
  const d = headerDetail(h, app, environment, columns, refreshed);
  return (
    <Box height={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate">
          {d.prodx ? <Text bold>prodx </Text> : null}
          {d.app ? (
            <Text>
              <Text bold color="cyan">
                {app}
              </Text>{' '}
              ·{' '}
            </Text>
          ) : null}
          <Text bold>{environment}</Text> ·{' '}
          {h.live ? (
            <Text>
              live <Colour c={h.live} d={d} />
              {h.others.map((o) => (
                <Text key={o.colour}>
                  {' · '}
                  <Colour c={o} d={d} />
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
          {d.age ? <Text dimColor> · {refreshed(d)}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}
