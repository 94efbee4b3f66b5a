// The layer rules of src/ (README "Layout"), checked by `npm test` (`npm run lint:layers`)
// before any test runs. Arrows point down only:
//   core  <-  git, cache  <-  repo (with repo/bridges)  <-  cli, tui
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, directly or round a loop, cannot be understood (or tested) one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code (or a file that belongs in test/).',
      from: { orphan: true, pathNot: ['\\.d\\.ts$'] },
      to: {},
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core (domain types and pure logic) imports nothing of ours outside core.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'storage-imports-only-core',
      severity: 'error',
      comment: 'src/git (object store, refs, plumbing, the session format) and src/cache (the local LevelDB) build on core alone.',
      from: { path: '^src/(git|cache)/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/$1/'] },
    },
    {
      name: 'repo-is-below-the-surfaces',
      severity: 'error',
      comment: 'src/repo (the use-cases, bridges included) may import core, git and cache, never a surface.',
      from: { path: '^src/repo/' },
      to: { path: '^src/(cli|tui)/' },
    },
    {
      name: 'surfaces-go-through-repo',
      severity: 'error',
      comment: 'src/cli and src/tui reach storage only through src/repo: never src/git or src/cache.',
      from: { path: '^src/(cli|tui)/' },
      to: { path: '^src/(git|cache)/' },
    },
    {
      name: 'only-the-tui-draws',
      severity: 'error',
      comment: 'ink and react load only in src/tui (every other command stays fast to start).',
      from: { path: '^src/', pathNot: '^src/tui/' },
      to: { path: '(^|/)node_modules/(ink|react)/' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'What src/ imports ships to users: it must be a dependency, not a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unlisted-packages',
      severity: 'error',
      comment: 'A package src/ imports must be listed in package.json.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
