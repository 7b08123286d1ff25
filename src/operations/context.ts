// What every operation starts from: the validated config, the chosen environment and where its
// state lives. Built once per CLI invocation (or per TUI session) and passed in.
import { findConfigPath, loadConfig } from '../adapters/config/load.js';
import { stateDirFor } from '../adapters/state/stateFile.js';
import type { Config, EnvironmentConfig } from '../core/config/schema.js';
import { ProdxError } from '../core/errors.js';
import type { ProbeTarget } from '../adapters/http/probe.js';

export interface OperationContext {
  configPath: string;
  config: Config;
  envName: string;
  env: EnvironmentConfig;
  stateDir: string;
}

export interface ContextOptions {
  config?: string;
  env?: string;
  cwd?: string;
  processEnv?: NodeJS.ProcessEnv;
}

/**
 * --env, else PRODX_ENV, else NODE_ENV when the config defines an environment of that name
 * (the original scripts were driven by NODE_ENV), else `production`, else the first one.
 */
export function chooseEnvironment(config: Config, explicit: string | undefined, processEnv: NodeJS.ProcessEnv): string {
  const names = Object.keys(config.environments);
  const asked = explicit ?? processEnv['PRODX_ENV'];
  if (asked !== undefined) {
    if (names.includes(asked)) return asked;
    throw new ProdxError(
      'unknown-environment',
      `unknown environment "${asked}": the config defines ${names.map((n) => `"${n}"`).join(', ')}. Pass one of those with --env.`,
    );
  }
  const nodeEnv = processEnv['NODE_ENV'];
  if (nodeEnv && names.includes(nodeEnv)) return nodeEnv;
  return names.includes('production') ? 'production' : names[0]!;
}

export function createContext(opts: ContextOptions = {}): OperationContext {
  const processEnv = opts.processEnv ?? process.env;
  const { path, config } = loadConfig(findConfigPath(opts.config, processEnv, opts.cwd ?? process.cwd()));
  const envName = chooseEnvironment(config, opts.env, processEnv);
  return { configPath: path, config, envName, env: config.environments[envName]!, stateDir: stateDirFor(path, config.stateDir) };
}

/** The targets of the chosen environment with their effective health and version paths. */
export function probeTargets(ctx: OperationContext): (ProbeTarget & { name: string })[] {
  return Object.entries(ctx.env.targets).map(([name, t]) => ({
    name,
    url: t.url,
    healthPath: t.healthPath ?? ctx.env.health.path,
    versionPath: t.versionPath !== undefined ? t.versionPath : ctx.env.health.versionPath,
  }));
}

/** MONITORING_ENABLED=false (from the original scripts) turns background polling off. */
export function monitoringEnabled(processEnv: NodeJS.ProcessEnv = process.env): boolean {
  const v = processEnv['MONITORING_ENABLED'];
  return v === undefined || !/^(false|0|no|off)$/i.test(v.trim());
}
