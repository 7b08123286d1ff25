// The layers of prodx (docs/ARCHITECTURE.md), checked by `npm run lint`:
//   core        the rules, pure: imports nothing else of prodx and nothing that does I/O
//   adapters    talk to the world; may use core
//   operations  the verbs; use core and the ports it declares (the runtime brings the adapters)
//   store       the zustand store and its scheduler; core only
//   app         wires operations, adapters and the store for the CLI and the dashboard
//   ui          Ink; reaches operations only through the app-operations factory it is handed
//   cli, demo   the programs
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle means two modules each need the other: split out what they share.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core holds the rules: it imports nothing else of prodx.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment: 'core does no I/O: no files, network, processes or terminal.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|http|https|net|child_process|os|dgram|tls|readline|tty)$' },
    },
    {
      name: 'operations-use-ports',
      severity: 'error',
      comment: 'operations import no store, ui, cli, app or demo; the release operations reach the world only through their ports.',
      from: { path: '^src/operations/' },
      to: { path: '^src/(store|ui|cli|app|demo)/' },
    },
    {
      name: 'release-operations-use-ports',
      severity: 'error',
      comment: 'deploy, canary, rollback and status get adapters through the Runtime (src/operations/runtime.ts), never directly.',
      from: { path: '^src/operations/(deploy|canary|rollback|rollbackPlan|status|shared|runtime|events|unfinished|context|health)' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'adapters-below-operations',
      severity: 'error',
      comment: 'adapters implement ports; they know nothing of operations, the store, the UI or the CLI.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(operations|store|ui|cli|app|demo)/' },
    },
    {
      name: 'store-is-state-only',
      severity: 'error',
      comment: 'the store holds state and schedules pollers; the pollers that read the world live in app/.',
      from: { path: '^src/store/' },
      to: { path: '^src/(adapters|operations|ui|cli|app|demo)/' },
    },
    {
      name: 'ui-through-the-factory',
      severity: 'error',
      comment: 'ui imports no adapters, operations, app, cli or demo: it calls the app-operations factory it is given (UiContext.app).',
      from: { path: '^src/ui/' },
      to: { path: '^src/(adapters|operations|app|cli|demo)/' },
    },
    {
      name: 'app-not-ui',
      severity: 'error',
      comment: 'app wires the layers below; the CLI hands what it builds to the ui.',
      from: { path: '^src/app/' },
      to: { path: '^src/(ui|cli|demo)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
    exclude: { path: '^(dist|node_modules|test|bench|scripts|fixtures)/' },
  },
};
