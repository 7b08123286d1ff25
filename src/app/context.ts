// Builds the operation context: finds and validates the config, chooses the environment and
// where its state lives.
import { findConfigPath, loadConfig } from '../adapters/config/load.js';
import { stateDirFor } from '../adapters/state/stateFile.js';
import { chooseEnvironment } from '../core/config/environment.js';
import type { OperationContext } from '../operations/context.js';

export interface ContextOptions {
  config?: string;
  env?: string;
  cwd?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export function createContext(opts: ContextOptions = {}): OperationContext {
  const processEnv = opts.processEnv ?? process.env;
  const { path, config } = loadConfig(findConfigPath(opts.config, processEnv, opts.cwd ?? process.cwd()));
  const envName = chooseEnvironment(config, opts.env, processEnv);
  return { configPath: path, config, envName, env: config.environments[envName]!, stateDir: stateDirFor(path, config.stateDir) };
}
