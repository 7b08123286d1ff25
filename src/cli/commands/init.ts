// `prodx init`: a starter prodx.config.json with every field explained in place (the config
// accepts comments, like tsconfig.json). It refuses to replace an existing file.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../../adapters/config/parse.js';
import { ProdxError } from '../../core/errors.js';
import { printJson, type OutputOptions } from '../output.js';

export function starterConfig(app: string): string {
  return `{
  // Editors complete and check this file against the published schema.
  "$schema": "./node_modules/prodx/schema/prodx.config.schema.json",
  "app": ${JSON.stringify(app)},
  // Where prodx keeps state.json (live colour, versions, history) and its lock, beside this file.
  "stateDir": ".prodx",
  "environments": {
    "production": {
      // Protected environments ask for confirmation before changes.
      "protected": true,
      // The deployment targets: each one a base URL that serves the health path.
      "targets": {
        "blue": { "url": "http://127.0.0.1:8081" },
        "green": { "url": "http://127.0.0.1:8082" }
      },
      // A target is down after unhealthyThreshold failed probes in a row, and healthy
      // again after healthyThreshold successes. Durations take ms, s, m or h.
      "health": {
        "path": "/healthz",
        "versionPath": "/version",
        "interval": "2s",
        "timeout": "1s",
        "healthyThreshold": 2,
        "unhealthyThreshold": 2
      }
    }
  },
  // Alert thresholds: a probe slower than responseTime (ms) shows its target degraded.
  "alerts": { "errorRate": 0.02, "responseTime": 2000, "availability": 99.9 }
}
`;
}

export function runInit(o: OutputOptions, opts: { path: string; app: string; force: boolean }): number {
  const path = resolve(opts.path);
  if (existsSync(path) && !opts.force) {
    throw new ProdxError('config-exists', `${path} already exists: edit it, or pass --force to replace it with a starter.`);
  }
  const text = starterConfig(opts.app);
  parseConfig(text, path); // the starter must always be a valid config
  writeFileSync(path, text, { flag: opts.force ? 'w' : 'wx' });
  if (o.json) printJson({ ok: true, path });
  else process.stdout.write(`wrote ${path}\nnext: point the targets at your app, then run \`prodx health\`.\n`);
  return 0;
}
