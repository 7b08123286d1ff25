/** One HTTP probe of a target's health endpoint, as measured. Time is passed in, never read. */
export interface ProbeResult {
  /** epoch ms when the probe started */
  at: number;
  ok: boolean;
  /** HTTP status code, when the target answered HTTP at all */
  statusCode?: number;
  latencyMs: number;
  /** version reported by the body of the health endpoint or by the version endpoint */
  version?: string;
  /** why the probe failed, in words (`timed out after 1000ms`, `HTTP 503`, `connection refused`) */
  error?: string;
}

export type HealthStatus = 'unknown' | 'healthy' | 'degraded' | 'down';

export interface HealthThresholds {
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** a successful probe slower than this marks the target degraded */
  slowMs: number;
}

/** What prodx knows about one target's health, derived from its probes. */
export interface TargetHealth {
  status: HealthStatus;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** true from going `down` until `healthyThreshold` consecutive successes bring it back */
  recovering: boolean;
  /** the latest probe, if any */
  last?: ProbeResult;
  /** the last version the target reported */
  version?: string;
  /** why the status is what it is, in words */
  reason: string;
  /** epoch ms of the last change of status */
  since?: number;
}

/** Where and how to probe one target. */
export interface ProbeTarget {
  url: string;
  healthPath: string;
  versionPath: string | null;
}

export interface ProbeRequest {
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** The probe port: one GET of the health path (and the version path), never throwing. */
export type Prober = (target: ProbeTarget, opts: ProbeRequest) => Promise<ProbeResult>;
