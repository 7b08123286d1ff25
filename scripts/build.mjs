// Bundles the CLI with esbuild so start-up parses one file instead of resolving hundreds of
// modules. The interactive UI is a separate chunk (code splitting) that only `prodx` in a TTY
// and `prodx demo` load, so `--json` commands never parse Ink or React.
// Then writes schema/prodx.config.schema.json from the same zod schema the CLI validates with.
//
// Files are replaced atomically (temp + rename, chunks before the entry that imports them) so a
// prodx that is running, or a second build, never sees a half-written dist/.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // prefer ESM builds: jsonc-parser's CommonJS entry is UMD with requires esbuild cannot follow
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require() and may read __filename; give the ESM bundle
  // both. (write-file-atomic, which names its temporary files with __filename, is not bundled:
  // src/adapters/fs/atomic.ts requires it at the first write.)
  banner: {
    js: "import { createRequire as __prodxRequire } from 'node:module'; import { fileURLToPath as __prodxFile } from 'node:url'; const require = __prodxRequire(import.meta.url); const __filename = __prodxFile(import.meta.url);",
  },
  write: false,
};

function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

// flagd-core imports three functions from 'semver', whose index loads all of its ~50 modules
// (ranges, comparators, the lot) at start-up: about 4 ms of every `prodx flags evaluate`. This
// gives it a module with just those three, from semver's own function files.
const semverFunctions = {
  name: 'semver-functions',
  setup(b) {
    b.onResolve({ filter: /^semver$/ }, (args) =>
      args.importer.includes('@openfeature/flagd-core')
        ? { path: 'semver', namespace: 'semver-functions', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'semver-functions' }, (args) => ({
      resolveDir: args.pluginData,
      contents: ['compare', 'parse', 'coerce'].map((f) => `export { default as ${f} } from 'semver/functions/${f}.js';`).join('\n'),
    }));
  },
};

// The config cache (src/adapters/config/cache.ts) keys its entries by the schema that read them:
// the hash of every source file of the config schema and of zod's version.
const schemaHash = createHash('sha256');
for (const name of readdirSync(join(root, 'src/core/config')).sort())
  schemaHash.update(name).update(readFileSync(join(root, 'src/core/config', name)));
schemaHash.update(JSON.parse(readFileSync(join(root, 'node_modules/zod/package.json'), 'utf8')).version);

const cli = await build({
  ...common,
  plugins: [semverFunctions],
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  minify: true,
  sourcemap: 'linked',
  // ink's optional devtools hook is only loaded when DEV=true; never bundle it.
  // sketches-js requires protobufjs only inside toProto/fromProto, which prodx does not call (it
  // stores a sketch's bins as JSON: src/core/rum/sketch.ts)
  external: ['react-devtools-core', 'protobufjs/minimal'],
  // React and Ink pick their production builds from this; prodx reads NODE_ENV through
  // process.env['NODE_ENV'] on a parameter, which this define does not touch.
  define: { 'process.env.NODE_ENV': '"production"', __PRODX_CONFIG_SCHEMA_ID__: JSON.stringify(schemaHash.digest('hex')) },
});
const isEntry = (f) => basename(f.path) === 'cli.js';
for (const f of [...cli.outputFiles.filter((f) => !isEntry(f)), ...cli.outputFiles.filter(isEntry)]) writeAtomically(f.path, f.contents);

// Remove chunks of earlier builds, but only old ones: a prodx started before this build may
// still import its lazy chunks.
const current = new Set(cli.outputFiles.map((f) => basename(f.path)));
for (const name of readdirSync(dist)) {
  const file = join(dist, name);
  if (!current.has(name) && statSync(file).isFile() && Date.now() - statSync(file).mtimeMs > 3_600_000) unlinkSync(file);
}

const tool = await build({ ...common, entryPoints: { schema: 'src/core/config/jsonSchema.ts' }, outdir: 'dist/tools' });
for (const f of tool.outputFiles) writeAtomically(f.path, f.contents);
const { configJsonSchema } = await import(new URL(`file://${join(dist, 'tools', 'schema.js')}?t=${Date.now()}`).href);
writeAtomically(join(root, 'schema', 'prodx.config.schema.json'), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
