// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/: one file to load for
// the commands everyone runs, instead of ~60 ES modules each resolved and compiled on
// every start-up. Heavy or native pieces stay separate and load only when used: the
// TUI (ink, react) and isomorphic-git (packed objects) are lazy; level is native.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start clean so stale chunks never pile up.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['level', 'classic-level', 'ink', 'react', 'react/*', 'isomorphic-git', '@secretlint/*'],
  banner: { js: "import { createRequire as __gsRequire } from 'node:module'; const require = __gsRequire(import.meta.url);" },
  logLevel: 'warning',
});
