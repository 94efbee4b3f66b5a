// No declared dependency stays unused: each runtime dependency is bundled into the CLI
// or imported by it at run time (esbuild's metafile of `npm run build` says which), or
// imported by the build script; each devDependency is used by the tests, benchmarks,
// scripts or type checking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js)$/.test(e.name))
    .map((e) => readFileSync(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), 'utf8'));
}
const imports = (text: string) => [...text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
const pkgOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

describe('declared dependencies', () => {
  it('every runtime dependency is part of the built CLI or its build', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8'));
    const used = new Set<string>();
    for (const [path, input] of Object.entries<any>(meta.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
      if (m) used.add(m[1]);
      for (const imp of input.imports ?? []) if (imp.external) used.add(pkgOf(imp.path));
    }
    for (const text of files('bin')) for (const spec of imports(text)) used.add(pkgOf(spec));
    // Loaded with createRequire at run time (out of esbuild's sight): createRequire(...)('pkg').
    for (const text of files('src')) for (const m of text.matchAll(/createRequire\([^)]*\)\(\s*['"]([^'"]+)['"]/g)) used.add(pkgOf(m[1]));
    const unused = Object.keys(pkg.dependencies).filter((d) => !used.has(d));
    expect(unused).toEqual([]);
  });

  it('every devDependency is used by tests, benchmarks, scripts or the type checker (type-only imports in src/)', () => {
    // Type-only imports in src/ need their package for the type checker alone.
    const typeImports = files('src').flatMap((t) => t.split('\n').filter((l) => /^import type /.test(l)));
    const text = [...files('test'), ...files('bench'), ...typeImports, JSON.stringify(pkg.scripts), readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')].join('\n');
    const bins = (d: string): string[] => {
      const b = JSON.parse(readFileSync(join(ROOT, 'node_modules', d, 'package.json'), 'utf8')).bin;
      return typeof b === 'string' ? [d] : Object.keys(b ?? {});
    };
    const used = (d: string) =>
      d.startsWith('@types/')
        ? [d.slice(7), `@${d.slice(7).replace('__', '/')}`].some((t) => t === 'node' || t in pkg.dependencies || t in pkg.devDependencies)
        : imports(text).some((s) => pkgOf(s) === d) || bins(d).some((b) => new RegExp(`(^|[\\s"&])${b}\\b`).test(JSON.stringify(pkg.scripts))) ||
          // Run from its installed path (the hook tests run husky's and lefthook's own installers).
          text.includes(`node_modules/${d}'`) || text.includes(`node_modules/${d}/`);
    expect(Object.keys(pkg.devDependencies).filter((d) => !used(d))).toEqual([]);
  });
});
