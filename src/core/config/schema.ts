// The prodx.config.json contract (DESIGN.md "The config, by example"). zod/mini rather than
// full zod: the same validation at a fraction of the start-up cost, which `--json` commands pay.
import * as z from 'zod/mini';
import { isDuration, parseDuration } from './duration.js';
import { hostPortOf, LOOPBACK_HOST } from './hostPort.js';
import { errorsSchema } from './errorsSchema.js';

// a config is parsed once per command: zod's compiled fast path would cost more to build than it saves
z.config({ jitless: true });

/** the longest wait Node's timers can hold (about 24.8 days); a longer one would fire at once */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const durationProblem = (s: string, zero: boolean): string | null => {
  if (!isDuration(s)) return 'expected a duration such as "500ms", "30s", "5m" or "1h"';
  const ms = parseDuration(s)!;
  if (ms > MAX_DURATION_MS) return `"${s}" is too long: at most 24 days ("576h")`;
  if (ms === 0 && !zero) return `"${s}" must be longer than zero, e.g. "500ms" or "30s"`;
  return null;
};

/** A duration string in ms. Zero only where it means "none" (a pause, the scale-down delay). */
const duration = (fallback: string, o: { zero?: boolean } = {}) =>
  z.prefault(
    z.pipe(
      z.string().check(
        z.superRefine((s: string, ctx) => {
          const problem = durationProblem(s, o.zero === true);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
        }),
      ),
      z.transform((s: string) => parseDuration(s) as number),
    ),
    fallback,
  );

/** `host:port`; `loopback` when what listens there must not be reachable from elsewhere */
const hostPort = (o: { loopback?: boolean } = {}) =>
  z.string().check(
    z.superRefine((s: string, ctx) => {
      const hp = hostPortOf(s);
      if (!hp)
        ctx.addIssue({ code: 'custom', message: `"${s}" is not host:port: use e.g. "127.0.0.1:8089" (port 0 picks a free one)`, input: s });
      else if (o.loopback && !LOOPBACK_HOST.test(hp.host))
        ctx.addIssue({
          code: 'custom',
          message: `"${s}" must be a loopback address (127.0.0.1, ::1 or localhost): the admin endpoint has no authentication`,
          input: s,
        });
    }),
  );
const argv = z
  .array(z.string().check(z.minLength(1)))
  .check(z.minLength(1, 'expected a command as a non-empty array of strings, e.g. ["nginx", "-t"]'));
const httpUrl = z.string().check(
  z.refine((s: string) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), {
    message: 'expected an http:// or https:// URL such as "http://127.0.0.1:8081"',
  }),
);
const path = z.string().check(z.startsWith('/', 'expected a URL path starting with "/"'));
const percent = z.number().check(z.minimum(0), z.maximum(100));
const ratio = z.number().check(z.minimum(0), z.maximum(1));
const positiveInt = z.int().check(z.minimum(1));

export const targetSchema = z.strictObject({
  url: httpUrl,
  /** overrides the environment's health.path for this target */
  healthPath: z.optional(path),
  versionPath: z.optional(z.nullable(path)),
});

export const healthSchema = z.prefault(
  z.strictObject({
    path: z.prefault(path, '/healthz'),
    versionPath: z.prefault(z.nullable(path), '/version'),
    interval: duration('2s'),
    timeout: duration('1s'),
    healthyThreshold: z.prefault(positiveInt, 2),
    unhealthyThreshold: z.prefault(positiveInt, 2),
  }),
  {} as never,
);

const routerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('nginx'),
    upstreamFile: z.string().check(z.minLength(1)),
    upstream: z.string().check(z.minLength(1)),
    test: z.prefault(argv, ['nginx', '-t']),
    reload: z.prefault(argv, ['nginx', '-s', 'reload']),
  }),
  z.strictObject({
    type: z.literal('haproxy'),
    socket: z.string().check(z.minLength(1)),
    backend: z.string().check(z.minLength(1)),
    servers: z.record(z.string(), z.string()),
  }),
  z.strictObject({ type: z.literal('builtin'), listen: hostPort(), admin: hostPort({ loopback: true }) }),
  z.strictObject({ type: z.literal('command'), command: argv }),
]);

const metricsSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('scrape'),
    path: z.prefault(path, '/metrics'),
    /** the latency histogram's name, for the canary's p95/p99 */
    histogram: z.prefault(z.string().check(z.minLength(1)), 'http_request_duration_seconds'),
  }),
  z.strictObject({ type: z.literal('prometheus'), url: httpUrl, queries: z.prefault(z.record(z.string(), z.string()), {}) }),
  z.strictObject({ type: z.literal('builtin') }),
]);

const isPause = (s: string) => s === 'indefinite' || (isDuration(s) && parseDuration(s)! <= MAX_DURATION_MS);
const toPause = (s: string): number | 'indefinite' => (s === 'indefinite' ? s : (parseDuration(s) as number));
/** one pause for every step, or a list with one per step */
const pauseSchema = z.pipe(
  z.union([z.string(), z.array(z.string())]).check(
    z.refine((v: string | string[]) => (Array.isArray(v) ? v : [v]).every(isPause), {
      message:
        'expected a duration such as "30s" or "5m" (at most 24 days), or "indefinite" to wait until promoted (or a list of them, one per step)',
    }),
  ),
  z.transform((v: string | string[]) => (Array.isArray(v) ? v.map(toPause) : toPause(v))),
);

/** Steps rise strictly and end at 100 (the promotion); each a whole or fractional percentage. */
const stepsSchema = z.array(z.number().check(z.gt(0, 'a step is a percentage above 0'), z.maximum(100))).check(
  z.minLength(1, 'give at least one step, e.g. [5, 10, 25, 50, 100]'),
  z.superRefine((steps: number[], ctx) => {
    steps.forEach((s, i) => {
      if (i > 0 && s <= steps[i - 1]!)
        ctx.addIssue({
          code: 'custom',
          message: `step ${i + 1} (${s}) is not greater than step ${i} (${steps[i - 1]}): steps rise, e.g. [5, 10, 25, 50, 100]`,
          input: steps,
          path: [i],
        });
    });
    if (steps.length > 0 && steps.at(-1) !== 100)
      ctx.addIssue({
        code: 'custom',
        message: `the last step is ${steps.at(-1)}, not 100: the canary ends with all traffic, e.g. [5, 10, 25, 50, 100]`,
        input: steps,
      });
  }),
);

const canaryObject = z.strictObject({
  steps: z.prefault(stepsSchema, [5, 10, 25, 50, 100]),
  interval: duration('30s'),
  /**
   * the pause after a passed step: a duration, or "indefinite" (until promoted); or a list with
   * one per step before 100, e.g. ["0s", "5m", "indefinite", "0s"]
   */
  pause: z.prefault(pauseSchema, '0s'),
  analysis: z.prefault(
    z.strictObject({
      maxErrorRate: z.prefault(ratio, 0.02),
      maxP95Ms: z.prefault(z.number().check(z.positive()), 2000),
      minRequests: z.prefault(z.int().check(z.minimum(0)), 50),
      failureLimit: z.prefault(z.int().check(z.minimum(0)), 1),
      /** null: p99 is shown but not judged */
      maxP99Ms: z.prefault(z.nullable(z.number().check(z.positive())), null),
      /** fail a canary whose error rate is significantly and materially above the stable colour's */
      compareToStable: z.prefault(z.boolean(), true),
    }),
    {} as never,
  ),
});

/** A per-step pause list names one pause per step before 100. */
const canarySchema = canaryObject.check(
  z.superRefine((c: z.output<typeof canaryObject>, ctx) => {
    if (!Array.isArray(c.pause)) return;
    const want = c.steps.length - 1;
    if (c.pause.length !== want)
      ctx.addIssue({
        code: 'custom',
        message: `the list has ${c.pause.length} pause(s) but there are ${want} steps before 100; give one per step (e.g. ${JSON.stringify(c.steps.slice(0, -1).map(() => '0s'))}), or one value for all`,
        input: c.pause,
        path: ['pause'],
      });
  }),
);

export const environmentSchema = z.strictObject({
  protected: z.prefault(z.boolean(), false),
  targets: z
    .record(z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'target names are lower-case words such as "blue" and "green"')), targetSchema)
    .check(
      z.refine((t: object) => Object.keys(t).length > 0, {
        message: 'an environment needs at least one target, e.g. {"blue": {"url": "http://127.0.0.1:8081"}}',
      }),
    ),
  health: healthSchema,
  router: z.optional(routerSchema),
  release: z.optional(z.strictObject({ command: argv, timeout: duration('5m') })),
  metrics: z.prefault(metricsSchema, { type: 'scrape' } as never),
  canary: z.prefault(canarySchema, {} as never),
  /** checks on the new colour before it gets traffic */
  prePromotion: z.prefault(
    z.strictObject({
      timeout: duration('60s'),
      /** a path requested once on the new colour; must answer 2xx */
      smokePath: z.prefault(z.nullable(path), null),
    }),
    {} as never,
  ),
  /** checks on the new colour after the switch; a failure switches traffic back */
  postPromotion: z.prefault(
    z.strictObject({
      window: duration('60s'),
      interval: duration('5s'),
      maxErrorRate: z.prefault(ratio, 0.02),
      /** fewer requests than this in a check makes its error rate inconclusive, never a failure */
      minRequests: z.prefault(z.int().check(z.minimum(0)), 20),
      /** failed checks tolerated before rolling back */
      failureLimit: z.prefault(z.int().check(z.minimum(0)), 1),
    }),
    {} as never,
  ),
  scaleDownDelay: duration('10m', { zero: true }),
});

export const configSchema = z.strictObject({
  $schema: z.optional(z.string()),
  app: z.string().check(z.minLength(1, 'give the app a name, e.g. "weather"')),
  stateDir: z.prefault(z.string().check(z.minLength(1)), '.prodx'),
  environments: z
    .record(
      z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'environment names are lower-case words such as "production"')),
      environmentSchema,
    )
    .check(z.refine((e: object) => Object.keys(e).length > 0, { message: 'define at least one environment, e.g. "production"' })),
  collector: z.prefault(
    z.strictObject({
      host: z.prefault(z.string(), '127.0.0.1'),
      port: z.prefault(z.int().check(z.minimum(0), z.maximum(65535)), 8790),
      token: z.prefault(z.nullable(z.string()), null),
      /** exact origins (scheme://host[:port]) whose pages may post beacons; a preflight gets the origin back, never "*" */
      allowedOrigins: z.prefault(
        z.array(z.string().check(z.regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], e.g. "https://weather.example"'))),
        [],
      ),
      /** a request body's limit: never below 64 KiB, the keepalive quota a page's beacons share */
      maxBodyBytes: z.prefault(z.int().check(z.minimum(65_536, 'at least 65536 (64 KiB, what sendBeacon may send)')), 1_048_576),
      /** requests per second from one client address, and the burst above that it may send */
      ratePerClient: z.prefault(z.number().check(z.gt(0, 'requests per second above 0')), 20),
      burst: z.prefault(positiveInt, 100),
    }),
    {} as never,
  ),
  rum: z.prefault(
    z.strictObject({
      retentionDays: z.prefault(positiveInt, 30),
      /** a web-vitals value is final once its page has been quiet this long (re-reports replace it until then) */
      finalizeAfter: duration('10m'),
      /** fewer samples than this and a rating says "not enough data" */
      minSamples: z.prefault(positiveInt, 20),
    }),
    {} as never,
  ),
  errors: errorsSchema,
  flags: z.prefault(
    z.strictObject({
      file: z.prefault(z.string(), 'flags.json'),
      /** the OFREP endpoint's loopback port (`prodx flags start`); 8016 as in flagd, 0 picks a free one */
      port: z.prefault(z.int().check(z.minimum(0), z.maximum(65535)), 8016),
    }),
    {} as never,
  ),
  alerts: z.prefault(
    z.strictObject({
      performance: z.prefault(percent, 90),
      security: z.prefault(percent, 95),
      errorRate: z.prefault(ratio, 0.02),
      responseTime: z.prefault(z.number().check(z.positive()), 2000),
      availability: z.prefault(percent, 99.9),
    }),
    {} as never,
  ),
});

/** The config as written in the file. */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after validation: every default filled in, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
export type EnvironmentConfig = Config['environments'][string];
export type TargetConfig = EnvironmentConfig['targets'][string];
