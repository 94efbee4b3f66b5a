// `npm run build` (and `prepare`, so `npm install -g .` works from a fresh clone without
// devDependencies): esbuild bundles the TypeScript sources straight into dist/bundle/ —
// one file to load for the commands everyone runs instead of ~60 ES modules resolved on
// every start-up; heavy pieces stay in lazy chunks loaded only when used (yargs for help
// and errors, the TUI's ink and react, isomorphic-git for packed objects; level is
// native). Then git-session(1) is generated from the command definitions into dist/man/.
// Type checking is tsc's job in `npm test`, not the build's.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
// Chunk names carry content hashes: start clean so stale chunks never pile up.
rmSync(out, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // jsonc-parser's `main` is a UMD build whose require('./impl/...') calls esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  external: ['level', 'classic-level', 'ink', 'react', 'react/*', 'isomorphic-git', '@secretlint/*'],
  banner: { js: "import { createRequire as __gsRequire } from 'node:module'; const require = __gsRequire(import.meta.url);" },
  logLevel: 'warning',
};

// The metafile names every package the CLI imports (test/unit/deps.test.ts reads it).
// hook-main.js: the lean entry agents run on every prompt and tool call (bin/git-session picks it).
const r = await build({ ...common, entryPoints: ['src/cli/main.ts', 'src/cli/lazy-main.ts', 'src/cli/hook-main.ts'], outdir: out, splitting: true, metafile: true });
writeFileSync(join(root, 'dist', 'meta.json'), JSON.stringify(r.metafile));

// The man page generator is built on its own so that it shares no chunk with main.js.
const gen = join(root, 'dist', 'man-gen.mjs');
await build({ ...common, entryPoints: ['src/cli/man.ts'], outfile: gen });
const { manPage } = await import(pathToFileURL(gen).href);
rmSync(gen);
mkdirSync(join(root, 'dist', 'man'), { recursive: true });
writeFileSync(join(root, 'dist', 'man', 'git-session.1'), manPage());
