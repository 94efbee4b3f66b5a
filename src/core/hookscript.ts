// The text of the hook wrappers git-session installs (pure: the installer in
// repo/hooks.ts decides where they go). Every wrapper first runs the hook of the same
// name from the hooks directory that was in effect before git-session (husky's `.husky/_`,
// lefthook's or pre-commit's `.git/hooks`, a global `core.hooksPath`), with its real path
// as $0 (husky's runner looks up `basename "$0"`) and stdin and arguments passed through,
// so nothing the user had stops running; then, for the hooks git-session acts on, our part,
// which fails open: when git-session cannot run, one warning line and the user's verdict.

/** Marker line that identifies a wrapper we wrote (and only ours). */
export const WRAPPER_MARK = '# git-session hook wrapper';

/** The hook names git knows (githooks(5), git 2.39), minus fsmonitor-watchman (a config path, not a hooks-dir hook). */
export const GIT_HOOKS = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg',
  'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update',
  'proc-receive', 'post-receive', 'post-update', 'reference-transaction', 'push-to-checkout', 'pre-auto-gc',
  'post-rewrite', 'sendemail-validate', 'p4-changelist', 'p4-prepare-changelist', 'p4-post-changelist',
  'p4-pre-submit', 'post-index-change',
] as const;

/**
 * Hooks git runs on hot paths (every ref update, every index write): a wrapper there costs
 * a shell on each, so one is installed only when the previous hooks dir has that hook.
 */
export const HOT_HOOKS: ReadonlySet<string> = new Set(['reference-transaction', 'post-index-change']);

/**
 * Hooks git-session itself acts on (after the user's own): pre-push publishes sessions;
 * post-rewrite (amend, rebase) and post-commit (cherry-pick) follow a linked commit to
 * its rewritten copy. The post-* wrappers start node only when the rewritten commit is
 * one a session holds, or the commit is a cherry-pick: a plain commit costs a shell and
 * one git process.
 */
export const OUR_HOOK_NAMES = ['pre-push', 'post-rewrite', 'post-commit'] as const;

/** OUR_HOOK_NAMES as a set (bin/git-session keeps the same names off the agents' lean entry). */
export const OUR_HOOKS: ReadonlySet<string> = new Set(OUR_HOOK_NAMES);

/** Exit code of `git session hook pre-push` that refuses the push (its only way to block one). */
export const REFUSE_EXIT = 3;

/** Quotes `s` for sh with single quotes: nothing inside (`$(...)`, backquotes, `$x`) is expanded. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Where the hook that was in effect before us is found: a recorded local value, or inherited (global/system/default). */
export type PreviousHooks = { local: string } | { inherited: true };

/** What a wrapper needs to know. */
export interface WrapperOptions {
  name: string;
  previous: PreviousHooks;
  /** Absolute path of bin/git-session at install time (re-found on PATH when it moved). */
  bin: string;
  /** The node that ran `init` (re-found on PATH when it moved). */
  node: string;
  /** `<common git dir>/hooks` at install time (git's default; re-found when the repository moved). */
  defaultDir: string;
  /** Our own hooks dir: never chained (a global core.hooksPath set to it would loop). */
  self: string;
  /** The local file listing every commit a session is linked to (the post-* hooks read it first). */
  links: string;
  /** Whether git-session acts on this hook here (default: it is one of OUR_HOOKS); false: the wrapper only chains. */
  acts?: boolean;
}

/** Whether the wrapper for `o.name` runs git-session's part. */
function acts(o: WrapperOptions): boolean {
  return o.acts ?? OUR_HOOKS.has(o.name);
}

/** Environment variable through which the pre-push wrapper hands the remote's choice to node (one config read, not two). */
export const POLICY_ENV = 'GIT_SESSION_REMOTE_POLICY';

/**
 * Lines setting $p to the previous hooks dir (and, for our hooks, $pol to the remote's
 * publishing choice) with at most ONE git process: a wrapper runs on every commit or push.
 * Inherited: re-resolved at run time, so a global core.hooksPath changed later is
 * followed; the local value is ours, so it is skipped.
 */
export function previousLines(o: WrapperOptions): string[] {
  const ours = acts(o) && o.name === 'pre-push';
  if ('local' in o.previous) {
    return [`p=${shQuote(o.previous.local)}`, ...(ours ? ['pol=$(git config --get "remote.$1.sessions" 2>/dev/null)'] : [])];
  }
  const keys = ours ? '^core\\.hookspath$|^remote\\..*\\.sessions$' : '^core\\.hookspath$';
  return [
    `c=$(git config --type=path --show-scope --get-regexp '${keys}' 2>/dev/null)`,
    `p=$(printf '%s\\n' "$c" | awk -F '\\t' '($1=="global"||$1=="system") && substr($2,1,15)=="core.hookspath " {v=substr($2,16)} END{print v}')`,
    ...(ours ? [`pol=$(printf '%s\\n' "$c" | awk -F '\\t' -v k="remote.$1.sessions " 'substr($2,1,length(k))==k {v=substr($2,length(k)+1)} END{print v}')`] : []),
    `if [ -z "$p" ] || [ "$p" = ${shQuote(o.self)} ]; then p=${shQuote(o.defaultDir)}; [ -d "$p" ] || p="$(git rev-parse --git-common-dir)/hooks"; fi`,
  ];
}

/** Finds node and git-session (where init ran them from, else on PATH); when either is missing, warns `what` and exits with the user's verdict `$v`. */
function findNode(o: WrapperOptions, what: string): string[] {
  return [
    `n=${shQuote(o.node)}; [ -x "$n" ] || n=$(command -v node 2>/dev/null)`,
    `b=${shQuote(o.bin)}; [ -f "$b" ] || b=$(command -v git-session 2>/dev/null)`,
    'if [ -z "$n" ] || [ -z "$b" ]; then',
    `  echo "git-session: warning: git-session cannot run here (node or git-session not found); ${what}" >&2`,
    '  exit $v',
    'fi',
  ];
}

// Our part of post-rewrite and post-commit: git ignores their exit status, so the user's
// is passed on; ours only prints (one line when it recorded something, or a warning).
function rewriteTail(o: WrapperOptions): string[] {
  const rewrite = o.name === 'post-rewrite';
  const what = 'the rewritten commit is not linked to its session (git session reconcile links it later)';
  return [
    ...(rewrite ? ["# stdin (old new lines) is read once and given to both the user's hook and ours.", 'i=$(cat; echo .); i=${i%.}'] : []),
    `v=0; if [ -x "$p/$h" ]; then ${rewrite ? 'printf \'%s\' "$i" | ' : ''}"$p/$h" "$@"; v=$?; fi`,
    '[ -n "$GIT_SESSION_NO_HOOK" ] && exit $v',
    `l=${shQuote(o.links)}`,
    '[ -s "$l" ] || exit $v',
    ...(rewrite
      ? ['# Only the rewrite of a commit a session holds starts node.', 'printf \'%s\\n\' "$i" | awk \'NR==FNR { k[$1]; next } ($1 in k) { f=1; exit } END { exit !f }\' - "$l" || exit $v']
      : [
          '# Only a cherry-pick starts node: the message of HEAD\'s last reflog entry (after its tab) says so, git\'s own',
          '# or a commit concluding one. Read beside the index git names for this commit (one tail, no git process);',
          '# else through git, with the -x line.',
          's=; case "$GIT_INDEX_FILE" in */index) r="${GIT_INDEX_FILE%index}logs/HEAD"; [ -f "$r" ] && s=$(tail -n 1 "$r") ;; esac',
          `[ -n "$s" ] || s="\t$(git log -1 -g --no-show-signature --format=%gs 2>/dev/null; git log -1 --no-show-signature --format=%B 2>/dev/null)"`,
          `case "$s" in *'\tcherry-pick'*|*'\tcommit (cherry-pick)'*|*'(cherry picked from commit '*) ;; *) exit $v ;; esac`,
        ]),
    ...findNode(o, what),
    `o=$(${rewrite ? 'printf \'%s\' "$i" | ' : ''}"$n" "$b" hook "$h" "$@" 2>&1); r=$?`,
    'if [ "$r" -ne 0 ]; then',
    `  printf 'git-session: warning: git-session failed (exit %s: %s); ${what}\\n' "$r" "$(printf '%s\\n' "$o" | head -n 1 | cut -c 1-160)" >&2`,
    'elif [ -n "$o" ]; then',
    "  printf '%s\\n' \"$o\" >&2",
    'fi',
    'exit $v',
    '',
  ];
}

/** The wrapper script for one hook name. */
export function wrapperScript(o: WrapperOptions): string {
  const head = [
    '#!/bin/sh',
    `${WRAPPER_MARK} (\`git session init\` wrote it; \`git session eject\` removes it and restores core.hooksPath).`,
    `# Runs the ${o.name} hook that was in effect before git-session, stdin and arguments passed through.`,
    `h=${shQuote(o.name)}`,
    ...previousLines(o),
  ];
  if (!acts(o)) {
    return [...head, 'if [ -x "$p/$h" ]; then exec "$p/$h" "$@"; fi', 'exit 0', ''].join('\n');
  }
  if (o.name !== 'pre-push') return [...head, ...rewriteTail(o)].join('\n');
  return [
    ...head,
    '# stdin is read once and given to both the user\'s hook and ours.',
    'i=$(cat; echo .); i=${i%.}',
    'if [ -x "$p/$h" ]; then printf \'%s\' "$i" | "$p/$h" "$@" || exit $?; fi',
    '# Nothing to do for a `never` remote (unless the push names session refs itself): no node start.',
    '[ -n "$GIT_SESSION_NO_HOOK" ] && exit 0',
    'if [ "$pol" = never ]; then case "$i" in *refs/sessions/*) ;; *) exit 0 ;; esac; fi',
    '# Our part fails open: it never changes the verdict of the push.',
    'v=0',
    ...findNode(o, 'sessions not pushed, the push goes on'),
    '# Node starts only for a push that names session refs or carries a commit with a Session-Id',
    '# trailer: one git log per pushed ref, the ranges node would read (a superset of its answer).',
    'case "$i" in *refs/sessions/*) ;; *)',
    '  printf \'%s\\n\' "$i" | while read -r lr ls rr rs; do',
    '    case "$ls" in \'\'|*[!0]*) ;; *) continue ;; esac',
    '    case "$lr" in \'\'|refs/sessions/*) continue ;; esac',
    '    case "$rs" in \'\'|*[!0]*) ;; *) rs= ;; esac',
    '    if [ -n "$rs" ]; then git log --format=\'%(trailers:key=Session-Id,valueonly)\' "$rs..$ls" -- 2>/dev/null',
    '    else git log --format=\'%(trailers:key=Session-Id,valueonly)\' "$ls" --not --remotes="$1" -- 2>/dev/null; fi',
    '  done | awk \'NF { f = 1; exit } END { exit !f }\' || exit 0 ;;',
    'esac',
    `o=$(printf '%s' "$i" | ${POLICY_ENV}="$pol" "$n" "$b" hook "$h" "$@" 2>&1); c=$?`,
    `# ${REFUSE_EXIT}: the push itself carries session refs that policy keeps home (private, or a never remote).`,
    `if [ "$c" -eq ${REFUSE_EXIT} ]; then printf '%s\\n' "$o" >&2; exit 1; fi`,
    'if [ "$c" -ne 0 ]; then',
    '  printf \'git-session: warning: git-session failed (exit %s: %s); sessions not pushed, the push goes on\\n\' "$c" "$(printf \'%s\\n\' "$o" | head -n 1 | cut -c 1-160)" >&2',
    'elif [ -n "$o" ]; then',
    '  printf \'%s\\n\' "$o" >&2',
    'fi',
    'exit 0',
    '',
  ].join('\n');
}
