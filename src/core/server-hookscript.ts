// The receive hooks of a bare repository that lands sessions itself (`git session server
// init`): pure text, the installer in repo/hooks.ts (or repo/server/setup.ts for a forge's
// hook directories) decides where they go. Two shapes of the same part:
// - a wrapper (core.hooksPath mode, a plain bare repository): first the hook of that name
//   that was in effect before (the repository's own hooks/), stdin passed through, then ours;
// - a forge script (`pre-receive.d/git-session`, `post-receive.d/git-session` of Gitea,
//   Forgejo or GitLab, which run every script of the directory themselves).
// Plain pushes of unprotected branches start no node: the shell decides from the ref names.
// pre-receive fails CLOSED for protected branches only: when git-session cannot run, a
// direct push to one is refused (else protection would silently stop); everything else
// goes on. post-receive never changes anything for the pusher.
import { previousLines, shQuote, WRAPPER_MARK, type WrapperOptions } from './hookscript.js';

/** The receive hooks git-session acts on in a server repository. */
export const SERVER_HOOKS: ReadonlySet<string> = new Set(['pre-receive', 'post-receive']);

/** Marker line of a forge hook script we wrote (and only ours). */
export const FORGE_MARK = '# git-session server hook';

/** What the part that runs git-session needs. */
export interface ServerPartOptions {
  name: string;
  /** bin/git-session at install time (re-found on PATH when it moved). */
  bin: string;
  /** The node that ran `server init` (re-found on PATH when it moved). */
  node: string;
}

function findNodeLines(o: ServerPartOptions): string[] {
  return [
    `n=${shQuote(o.node)}; [ -x "$n" ] || n=$(command -v node 2>/dev/null)`,
    `b=${shQuote(o.bin)}; [ -f "$b" ] || b=$(command -v git-session 2>/dev/null)`,
  ];
}

/** Our part, reading the hook's input from $i. */
function ourPart(o: ServerPartOptions): string[] {
  if (o.name === 'post-receive') {
    return [
      '# Only a landing request wakes the worker (and waits for its verdict, printed as remote: lines).',
      'case "$i" in *refs/session-land/request/*) ;; *) exit 0 ;; esac',
      ...findNodeLines(o),
      'if [ -z "$n" ] || [ -z "$b" ]; then',
      '  echo "git-session: warning: git-session cannot run on this server (node or git-session not found): the landing request waits in the queue" >&2',
      '  exit 0',
      'fi',
      `printf '%s' "$i" | "$n" "$b" server-hook post-receive`,
      'exit 0',
    ];
  }
  return [
    'set -f',
    '# Protected branches (session.protect, default the branch HEAD names): matched here, in sh.',
    'prot=$(git config --get-all session.protect 2>/dev/null) || prot=$(git symbolic-ref -q HEAD 2>/dev/null)',
    'pr=; need=',
    'case "$i" in *refs/sessions/*|*refs/session-land/*) need=1 ;; esac',
    'while read -r o nw r; do',
    '  [ -n "$r" ] || continue',
    '  for q in $prot; do',
    '    case "$q" in refs/*) ;; *) q="refs/heads/$q" ;; esac',
    '    case "$r" in $q) pr=1; need=1 ;; esac',
    '  done',
    'done <<EOF',
    '$i',
    'EOF',
    '[ -n "$need" ] || exit 0',
    ...findNodeLines(o),
    'if [ -z "$n" ] || [ -z "$b" ]; then',
    '  if [ -n "$pr" ]; then',
    '    echo "git-session: refusing a push to a protected branch: git-session cannot run on this server (node or git-session not found)" >&2',
    '    exit 1',
    '  fi',
    '  echo "git-session: warning: git-session cannot run on this server (node or git-session not found): pushed sessions are not checked" >&2',
    '  exit 0',
    'fi',
    `printf '%s' "$i" | "$n" "$b" server-hook pre-receive`,
    'exit $?',
  ];
}

/** The wrapper for a receive hook (core.hooksPath mode): the previous hook of that name, then ours. */
export function serverWrapperScript(o: WrapperOptions): string {
  return [
    '#!/bin/sh',
    `${WRAPPER_MARK} (\`git session server init\` wrote it; \`git session server eject\` removes it and restores core.hooksPath).`,
    `# Runs the ${o.name} hook that was in effect before git-session, stdin passed through, then git-session's.`,
    `h=${shQuote(o.name)}`,
    ...previousLines({ ...o, acts: false }),
    'i=$(cat; echo .); i=${i%.}',
    'if [ -x "$p/$h" ]; then printf \'%s\' "$i" | "$p/$h" "$@" || exit $?; fi',
    ...ourPart(o),
    '',
  ].join('\n');
}

/** A forge's hook-directory script (`<hooks>/<name>.d/git-session`): the forge runs the others. */
export function forgeHookScript(o: ServerPartOptions): string {
  return [
    '#!/bin/sh',
    `${FORGE_MARK} (\`git session server init --forge-hooks\` wrote it; \`git session server eject\` removes it).`,
    'i=$(cat; echo .); i=${i%.}',
    ...ourPart(o),
    '',
  ].join('\n');
}
