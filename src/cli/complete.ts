// Shell completion from the command definitions: commands, options, choices, and session
// ids where a command takes one. The scripts below call `git-session completion --words
// -- <words>` on TAB. Candidates are computed here from the same declarations yargs reads
// rather than by yargs' own completion, which loses sub-command candidates when its
// output is captured (it prints them with console.log) — and TAB stays fast (no yargs).
import { declare, type Declared } from './args.js';
import { type CliEnv, openRepo } from './env.js';
import { commandList, findCommand } from './registry.js';

const visible = () => commandList().filter((c) => c.spec.describe !== false);
const nameOf = (command: string) => command.split(' ')[0];

function sessionIds(env: CliEnv, cur: string): string[] {
  try {
    return [...openRepo(env).store.listIds()].filter((id) => id.startsWith(cur.toLowerCase())).sort().reverse();
  } catch {
    return []; // not in a repository: nothing to offer
  }
}

function optionFor(d: Declared, word: string) {
  if (!word.startsWith('-') || word === '--' || word.includes('=')) return undefined;
  const key = word.replace(/^--?/, '');
  for (const [k, s] of d.options) if (k === key || s.alias === key) return { key: k, spec: s };
  return undefined;
}

/**
 * Candidates for the last of `words` (the words after `git session`, the last one being
 * completed, possibly ''), one per entry; with `describe`, "name:description" (zsh).
 */
export function candidates(words: string[], env: CliEnv, describe = false): string[] {
  const cur = words.at(-1) ?? '';
  const desc = (name: string, text?: string | false) => (describe && text ? `${name.replace(/:/g, '\\:')}:${text}` : name);
  if (words.length <= 1) {
    if (cur.startsWith('-')) return ['--help', '--version'].filter((o) => o.startsWith(cur));
    return visible().map((c) => nameOf(c.spec.command)).filter((n) => n.startsWith(cur)).map((n) => desc(n, findCommand(n)!.spec.describe));
  }
  const file = findCommand(words[0]);
  if (!file || words.slice(1, -1).includes('--')) return [];
  const d = declare(file.spec);
  const prev = optionFor(d, words.at(-2) ?? '');
  if (prev && prev.spec.type !== 'boolean') {
    if (prev.key === 'session') return sessionIds(env, cur);
    return ((prev.spec.choices as string[] | undefined) ?? []).filter((c) => c.startsWith(cur));
  }
  if (cur.startsWith('-')) {
    const used = new Set(words.slice(1, -1));
    const opts = [...d.options].filter(([k, s]) => !s.hidden && (s.array || !used.has(`--${k}`)));
    return [...opts.map(([k, s]) => desc(`--${k}`, s.describe)), desc('--help', 'show help')].filter((o) => o.startsWith(cur));
  }
  // Which positional is being completed: count the words that are not options or their values.
  let n = 0;
  for (let i = 1; i < words.length - 1; i++) {
    const o = optionFor(d, words[i]);
    if (o) {
      if (o.spec.type !== 'boolean') i++;
    } else if (!words[i].startsWith('-')) n++;
  }
  const p = d.positionals[Math.min(n, d.positionals.length - 1)];
  if (!p || (n >= d.positionals.length && !p.variadic)) return [];
  if (p.name === 'id') return sessionIds(env, cur);
  if (file.spec.command.startsWith('help ')) return visible().map((c) => nameOf(c.spec.command)).filter((c) => c.startsWith(cur));
  return ((p.spec.choices as string[] | undefined) ?? []).filter((c) => c.startsWith(cur));
}

const BASH = String.raw`# git-session completion for bash. Load it with:  eval "$(git session completion bash)"
# Completes both "git session <TAB>" (git's own completion calls _git_session) and
# "git-session <TAB>": commands, options, their choices and session ids.
_git_session_words() {
  local IFS=$'\n'
  COMPREPLY=()
  local out
  out=$(git-session completion --words -- "$@" 2>/dev/null) || return 0
  if declare -F __gitcomp_nl >/dev/null 2>&1 && [ -n "\${__git_cmd_idx+x}" ]; then
    __gitcomp_nl "$out"
  else
    COMPREPLY=($(compgen -W "$out" -- "\${@: -1}"))
  fi
}
_git_session() {
  local i=\${__git_cmd_idx:-1}
  while [ "$i" -lt "$cword" ] && [ "\${words[i]}" != session ]; do i=$((i + 1)); done
  _git_session_words "\${words[@]:i+1:cword-i-1}" "$cur"
}
_git_session_cmd() {
  _git_session_words "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "\${COMP_WORDS[COMP_CWORD]}"
}
complete -o bashdefault -o default -F _git_session_cmd git-session
`;

const ZSH = String.raw`#compdef git-session
# git-session completion for zsh. Load it (after compinit) with:  eval "$(git session completion zsh)"
# zsh's git completion calls _git-session for "git session <TAB>"; "git-session <TAB>" too.
_git-session() {
  local -a cands
  cands=("\${(@f)$(git-session completion --words --describe -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  cands=("\${(@)cands:#}")
  if (( \${#cands} )); then
    _describe -t git-session 'git session' cands
  else
    _files
  fi
}
compdef _git-session git-session
`;

/** The completion script for `shell`. */
export function script(shell: 'bash' | 'zsh'): string {
  return (shell === 'zsh' ? ZSH : BASH).replace(/\\\$\{/g, '${');
}
