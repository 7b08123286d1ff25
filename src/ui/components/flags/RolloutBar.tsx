// A flag's rollout as a bar: the share of users its rollout variant gets (or, for a split with
// no such variant, the first variant's share), then the percentage. "—" without a fractional rule.
import { Text } from 'ink';
import type { FlagSummary } from '../../../core/flags/types.js';

/** `█████░░░░░` for 50% in 10 cells; rounds so any share above zero shows at least one cell. */
export function barCells(percent: number, cells: number): string {
  const filled = percent <= 0 ? 0 : percent >= 100 ? cells : Math.min(cells - 1, Math.max(1, Math.round((percent / 100) * cells)));
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

export function rolloutShare(flag: FlagSummary): { percent: number; variant: string } | null {
  const r = flag.rollout;
  if (!r) return null;
  const variant = r.rolloutVariant ?? Object.keys(r.percent)[0];
  return variant === undefined ? null : { percent: r.percent[variant] ?? 0, variant };
}

const label = (p: number) => `${Math.round(p * 10) / 10}%`;

export function RolloutBar({ flag, cells, showVariant = false }: { flag: FlagSummary; cells: number; showVariant?: boolean }) {
  const share = rolloutShare(flag);
  if (!share) return <Text dimColor>—</Text>;
  const disabled = flag.state === 'DISABLED';
  return (
    <Text wrap="truncate">
      <Text color={disabled ? 'gray' : 'green'}>{barCells(share.percent, cells)}</Text> {label(share.percent).padStart(5)}
      {showVariant ? <Text dimColor> {share.variant}</Text> : null}
    </Text>
  );
}
