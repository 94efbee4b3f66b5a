// Which files a snapshot leaves out when git does not track them: likely secret files
// (keys, certificates, credential stores, dotenv files). A tracked file is code the user
// chose to commit, so it is never left out (a snapshot warns when its content looks
// secret instead). The list is gitignore-like and extended per repository through the
// multi-valued `session.snapshotExclude` (a `!pattern` entry takes a file back in; the
// last matching entry wins).

/** The default list, in matching order (later entries win, so templates come after `.env.*`). */
export const DEFAULT_SNAPSHOT_EXCLUDE: readonly string[] = [
  '.env', '.env.*', '!.env.example', '!.env.sample', '!.env.template', '!.env.dist', '!.env.defaults',
  '*.pem', '*.key', '*.p12', '*.pfx', '*.keystore', '*.jks', '*.kdbx', '*.ppk',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '!*.pub',
  'credentials*.json', '.netrc', '.git-credentials', '.htpasswd',
  // Package-manager configs: left out only when they hold a token (see CONTENT_CHECKED).
  '.npmrc', '.pypirc',
];

/** Names that are left out only when their content holds a credential (plain settings are common). */
export const CONTENT_CHECKED: ReadonlySet<string> = new Set(['.npmrc', '.pypirc']);

/** A credential-looking line in a package-manager config (`_authToken=`, `_auth=`, `password =`). */
export const CONFIG_CREDENTIAL = /(?:_authToken|_auth|_password|password|token)\s*[=:]\s*\S/i;

interface Rule {
  negate: boolean;
  re: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Compiles a pattern list: a pattern without `/` matches a file's name in any directory, one with `/` the path from the top. */
export function compileExclude(patterns: readonly string[]): Rule[] {
  return patterns
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => {
      const negate = p.startsWith('!');
      const body = (negate ? p.slice(1) : p).replace(/^\//, '');
      const anywhere = !body.includes('/');
      return { negate, re: anywhere ? new RegExp(`(?:^|/)${globToRegExp(body).source.slice(1)}`) : globToRegExp(body) };
    });
}

/** True when `path` (relative, `/`-separated) is excluded by `rules` (the last matching rule wins). */
export function isExcluded(path: string, rules: Rule[]): boolean {
  let out = false;
  for (const r of rules) if (r.re.test(path)) out = !r.negate;
  return out;
}
