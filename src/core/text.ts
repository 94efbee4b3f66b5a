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
