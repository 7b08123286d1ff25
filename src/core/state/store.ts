// The state store port: where each environment's state lives (`.prodx/state.json` today, a
// PostgreSQL row later). Operations read and change state only through it; every change is one
// atomic read-modify-write of one environment, so each transition is one write.
import type { EnvironmentState } from './schema.js';

export interface StateStore {
  /** where the state is kept, for messages (`/srv/app/.prodx/state.json`) */
  readonly where: string;
  /** the environment's state; an empty one when nothing is recorded yet */
  read(environment: string): Promise<EnvironmentState>;
  /**
   * Replaces the environment's state with `change(current)`, atomically, and returns it.
   * Throws a ProdxError when the stored state is unreadable (it is never silently replaced).
   */
  update(environment: string, change: (current: EnvironmentState) => EnvironmentState): Promise<EnvironmentState>;
}
