// Small text helpers every surface shares, so an object id or a count reads the same in
// the CLI, commit messages, the PR description and the terminal browser.

/** Short form of a git object id printed to people (12 hex digits, as `git log --abbrev=12`). */
export function shortOid(oid: string): string {
  return oid.slice(0, 12);
}

/** "1 file", "2 files": `n` and the word, in the plural unless n is 1. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/**
 * A command's argv as one could paste it into a shell: words outside the safe set
 * single-quoted, as Python's shlex.quote and git's sq_quote do
 * (`python3 -c 'import sys; sys.exit(3)'`). A single word is shown as is: `check`
 * runs a lone argument through `sh -c`, so it already is a shell command line.
 */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 1) return argv[0];
  return argv.map(shellWord).join(' ');
}

/** One word as a shell reads it back: as is when safe, else single-quoted. */
export function shellWord(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
