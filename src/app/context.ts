// Builds the operation context: finds and validates the config, chooses the environment and
// where its state lives (`stateDir`, relative to the config's folder).
import { findConfigPath, loadConfig } from '../adapters/config/load.js';
import { dirname, resolve } from 'node:path';
import { chooseEnvironment } from '../core/config/environment.js';
import type { OperationContext } from '../operations/context.js';

export interface ContextOptions {
  config?: string;
  env?: string;
  cwd?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export async function createContext(opts: ContextOptions = {}): Promise<OperationContext> {
  const processEnv = opts.processEnv ?? process.env;
  const { path, config } = await loadConfig(findConfigPath(opts.config, processEnv, opts.cwd ?? process.cwd()));
  const envName = chooseEnvironment(config, opts.env, processEnv);
  return { configPath: path, config, envName, env: config.environments[envName]!, stateDir: resolve(dirname(path), config.stateDir) };
}
