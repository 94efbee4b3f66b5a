// git-session(1), generated from the command definitions at build time (bin/build-bundle.mjs
// writes dist/man/git-session.1; package.json's "man" installs it). `git session --help`
// and `git help session` open it through man, as for any git command.
import { declare, exitLines, type Declared } from './args.js';
import { COMMANDS } from './commands.js';
import { commandList, INTRO, registerCommands, VERSION } from './registry.js';

registerCommands(COMMANDS);

/** Escapes text for roff: backslashes, dashes, and a leading dot or quote. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

function optionItem(flag: string, s: { describe?: string; choices?: unknown; default?: unknown; array?: boolean; type?: string }): string[] {
  const extra = [
    Array.isArray(s.choices) ? `one of: ${s.choices.join(', ')}` : '',
    s.default !== undefined ? `default: ${String(s.default)}` : '',
    s.array ? 'repeatable' : '',
  ].filter(Boolean);
  return ['.TP', `.B ${esc(flag)}`, esc(`${s.describe ?? ''}${extra.length ? ` (${extra.join('; ')})` : ''}`)];
}

function commandSection(d: Declared, exits: string[]): string[] {
  const out = ['.SS "' + esc(`git session ${d.usage}`) + '"', esc(String(d.describe)), '.RS'];
  for (const p of d.positionals) if (p.spec.describe || p.spec.choices) out.push(...optionItem(`<${p.name}>`, p.spec));
  for (const [k, s] of d.options) {
    if (s.hidden) continue;
    const value = s.type === 'boolean' ? '' : ` <${s.choices ? k : s.type === 'number' ? 'n' : 'value'}>`;
    out.push(...optionItem(`--${k}${typeof s.alias === 'string' ? `, -${s.alias}` : ''}${value}`, s));
  }
  out.push('.PP', esc(`Exit status: ${exits.join('; ')}.`), '.RE');
  return out;
}

/** The whole man page in roff. */
export function manPage(): string {
  const shown = commandList().filter((c) => c.spec.describe !== false);
  return [
    `.TH GIT\\-SESSION 1 "" "git-session ${VERSION}" "Git Manual"`,
    '.SH NAME',
    'git\\-session \\- ' + esc(INTRO.replace(/\.$/, '')),
    '.SH SYNOPSIS',
    '.B git session',
    '.I command',
    '[\\fIoptions\\fR]',
    '.br',
    '.B git session help',
    '[\\fIcommand\\fR]',
    '.SH DESCRIPTION',
    esc('A session holds the goal, the conversation that drove the work (prompts, agent and human messages), the decisions taken with the alternatives rejected and why, the checks that ran, and the code changes. Sessions live in the repository\'s own object store under refs/sessions/, so plain Git keeps working, a repository can adopt sessions one at a time, and git session eject walks back to plain Git without losing a commit.'),
    '.PP',
    esc('A session is chosen by --session <id> (any unique prefix of its id), else $GIT_SESSION, else the current session of the worktree. Every command that prints data takes --json: exactly one JSON document on stdout. Commands work from any subdirectory.'),
    '.SH COMMANDS',
    ...shown.flatMap((c) => commandSection(declare(c.spec), exitLines(c.spec))),
    '.SH OPTIONS',
    '.TP', '.B \\-\\-help, \\-h', 'Help on the command (git session --help, run by git, opens this page).',
    '.TP', '.B \\-\\-version, \\-V', 'Print the version.',
    '.SH EXIT STATUS',
    esc('0 success; 1 a conflict, a failed check or a refusal (see each command); 2 bad input or usage, with one line on stderr and nothing written; 3 git itself failed (a remote could not be reached, a push was refused); 1 also for damaged stored data (a broken session object, or a local index that git session index rebuild rebuilds); 70 an internal error (set GIT_SESSION_DEBUG=1 for the stack). Output cut short by a closed pipe (| head) ends quietly with 141, as git does.'),
    '.SH ENVIRONMENT',
    '.TP', '.B GIT_SESSION', esc('The session commands act on when --session is not given (an id or unique prefix). A value that names no session is an error for every command.'),
    '.TP', '.B NO_COLOR', 'No colour in output.',
    '.TP', '.B GIT_SESSION_NO_HOOK', esc('Set: the pre-push hook does nothing.'),
    '.TP', '.B GIT_SESSION_DEBUG', esc('Set: internal errors print their stack.'),
    '.SH FILES',
    '.TP', '.B refs/sessions/<id>/meta, refs/sessions/<id>/work'.replace(/-/g, '\\-'), esc('A session: its events (commit chain) and its work commits.'),
    '.TP', '.B .git/session/', esc('Local state (index, current-session pointer, worktrees); a cache that can be deleted at any time.'),
    '.SH SEE ALSO',
    '.BR git (1),',
    '.BR git\\-worktree (1),',
    '.BR git\\-notes (1)',
    '',
  ].join('\n');
}
