// Time as a port: operations read the clock and wait through it, so tests drive them with a
// fake clock and a real run cancels every wait with one signal.
export interface Clock {
  now(): number;
  /** resolves after `ms`, or at once when `signal` aborts (never rejects) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
