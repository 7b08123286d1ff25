// What every operation starts from: the validated config, the chosen environment and where its
// state lives. Built once per CLI invocation (or per dashboard) by src/app/context.ts.
import type { Config, EnvironmentConfig } from '../core/config/schema.js';
import type { ProbeTarget } from '../core/health/types.js';

export interface OperationContext {
  configPath: string;
  config: Config;
  envName: string;
  env: EnvironmentConfig;
  stateDir: string;
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

export function targetOf(ctx: OperationContext, colour: string): ProbeTarget & { name: string } {
  const t = probeTargets(ctx).find((x) => x.name === colour);
  if (!t) throw new Error(`no target named ${colour}`);
  return t;
}

/** prodx's own probe routes (health, version) of a target: not the app's traffic. */
export function probeRoutes(t: ProbeTarget): string[] {
  return [t.healthPath, ...(t.versionPath ? [t.versionPath] : [])];
}

/** MONITORING_ENABLED=false (from the original scripts) turns background polling off. */
export function monitoringEnabled(processEnv: NodeJS.ProcessEnv = process.env): boolean {
  const v = processEnv['MONITORING_ENABLED'];
  return v === undefined || !/^(false|0|no|off)$/i.test(v.trim());
}
