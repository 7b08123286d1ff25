// The `errors` part of the config: retention, the Sentry keys the collector takes, and the
// grouping and category rules (src/core/errors/grouping.ts applies them).
import * as z from 'zod/mini';

const positiveInt = z.int().check(z.minimum(1));

/** what an errors rule matches: globs (`*`, `?`), case-insensitive; at least one key */
const errorMatcher = z
  .strictObject({
    type: z.optional(z.string()),
    message: z.optional(z.string()),
    function: z.optional(z.string()),
    module: z.optional(z.string()),
    filename: z.optional(z.string()),
    level: z.optional(z.string()),
    tags: z.optional(z.record(z.string(), z.string())),
  })
  .check(z.refine((m) => Object.keys(m).length > 0, 'match at least one of type, message, function, module, filename, level, tags'));

export const errorsSchema = z.prefault(
  z.strictObject({
    retentionDays: z.prefault(positiveInt, 30),
    /** the DSN keys the collector takes (`http://<key>@host:port/<project>`); empty takes any key */
    sentryKeys: z.prefault(z.array(z.string().check(z.minLength(1))), []),
    /** matchers → fingerprint, first match wins (Sentry's fingerprint rules); `{{ default }}` allowed */
    fingerprintRules: z.prefault(
      z.array(z.strictObject({ match: errorMatcher, fingerprint: z.array(z.string()).check(z.minLength(1)) })),
      [],
    ),
    /** matchers → category, before the built-in rules (business errors, say) */
    categoryRules: z.prefault(
      z.array(z.strictObject({ match: errorMatcher, category: z.enum(['javascript', 'network', 'security', 'business']) })),
      [],
    ),
    /** more globs of frame files or modules that are not the app's (node_modules, node:, CDNs and /vendor/ never are) */
    notInApp: z.prefault(z.array(z.string().check(z.minLength(1))), []),
    /** requests per second per DSN key (per client on /v1/errors and /v1/csp), bursts up to `burst`: one server sends for all its users */
    ratePerKey: z.prefault(z.number().check(z.positive()), 100),
    burst: z.prefault(positiveInt, 500),
    /** one event, after decompression (Sentry's limit: 1 MiB) */
    maxEventBytes: z.prefault(z.int().check(z.minimum(65_536, 'at least 65536')), 1_048_576),
    /** one envelope, before and after decompression (Sentry's limit: 200 MiB) */
    maxEnvelopeBytes: z.prefault(z.int().check(z.minimum(65_536, 'at least 65536')), 200 * 1_048_576),
  }),
  {} as never,
);
