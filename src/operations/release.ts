// The release operations as one lazily imported module: the CLI's deploy, rollback and canary
// commands and the dashboard's app operations all load this, so the bundle has one chunk for
// them instead of one per operation and per shared piece (each lazy entry multiplies the small
// chunks every command then loads at start-up; measured in bench/startup.mjs).
export { canaryControl } from './canary/control.js';
export { canaryDeploy } from './canary/deploy.js';
export { watchCanary } from './canary/watch.js';
export { deploy } from './deploy/index.js';
export { rollback } from './rollback.js';
