// What a command-line snapshot shows of one run: exit code, stdout and stderr, with what
// changes from run to run replaced by stable labels, numbered in the order first seen:
// session ids (<id1>, and <id1:12> for the short form), object ids (<oid1>, <oid1:12>),
// ISO times (<time>), local ports and temporary paths (<repo> and other named folders, else <tmp1>...).
// One Scrub per test, so the same session keeps its label from one command to the next.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, type Run } from './repo.js';

/** A run as its inline snapshot shows it. */
export interface Shown {
  code: number;
  stdout: string;
  stderr: string;
}

const TMP = realpathSync(tmpdir());
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// mkdtemp's folders: a prefix, then six random characters.
const TEMP_DIR = new RegExp(`${escape(TMP)}/[A-Za-z0-9_.-]*?[A-Za-z0-9]{6}(?=/|\\b|$)`, 'g');
// ISO times, and the `YYYY-MM-DD HH:MM[:SS]` that `log` prints (test clocks depend on how many commands ran before).
const TIME = /\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?/g;
// The port a test's git daemon (or server) listens on.
const LOCAL_PORT = /\b127\.0\.0\.1:\d+/g;
const TOKEN = /\b[0-9a-z]{12,64}\b/g;
const ULID = /^[0-9a-hjkmnp-tv-z]{26}$/;
// A short session id (12 of a ULID's characters; 2020s times start with 01) that is not hex.
const SHORT_ID = /^01[0-9a-hjkmnp-tv-z]{10}$/;
const HEX = /^[0-9a-f]+$/;

export class Scrub {
  private readonly ids = new Map<string, number>(); // first 12 characters -> label number
  private readonly oids = new Map<string, number>();
  private readonly dirs = new Map<string, string>();
  private readonly rules: [RegExp, string][] = [];
  private temps = 0;
  private readonly kept = new Set<string>();
  private readonly known = new Set<string>(); // sessions of the repository, by their first 12 characters
  private readonly repo: string | undefined;

  /** `named`: folders shown by name (`{ repo: dir }` shows `dir` as `<repo>`); `repo`'s sessions are known up front. */
  constructor(named: Record<string, string> = {}) {
    this.dirs.set(ROOT, '<checkout>'); // fixtures and the built binary, wherever the project is checked out
    for (const [name, dir] of Object.entries(named)) this.dirs.set(dir, `<${name}>`);
    this.repo = named.repo;
  }

  /** Leaves these tokens as they are (an id a test made up, to show it is the one printed). */
  keep(...tokens: string[]): this {
    for (const t of tokens) this.kept.add(t);
    return this;
  }

  /** Also replaces `re` by `label` (durations, sizes, anything else a run varies). */
  rule(re: RegExp, label: string): this {
    this.rules.push([re, label]);
    return this;
  }

  /** The run as its snapshot shows it. */
  run(r: Pick<Run, 'code' | 'stdout' | 'stderr'>): Shown {
    this.learn();
    return { code: r.code, stdout: this.text(r.stdout), stderr: this.text(r.stderr) };
  }

  /** `s` with every id, oid, time and temporary path replaced by its label. */
  text(s: string): string {
    let out = s;
    // Longest folders first: a worktree inside the repository keeps its own name.
    for (const [dir, label] of [...this.dirs].sort((a, b) => b[0].length - a[0].length)) out = out.split(dir).join(label);
    out = out.replace(TEMP_DIR, (d) => {
      if (!this.dirs.has(d)) this.dirs.set(d, `<tmp${++this.temps}>`);
      return this.dirs.get(d)!;
    });
    out = out.replace(TIME, '<time>');
    out = out.replace(LOCAL_PORT, '127.0.0.1:<port>');
    out = out.replace(TOKEN, (t) => this.token(t));
    for (const [re, label] of this.rules) out = out.replace(re, label);
    return out;
  }

  private label(map: Map<string, number>, key: string): number {
    if (!map.has(key)) map.set(key, map.size + 1);
    return map.get(key)!;
  }

  private token(t: string): string {
    if (this.kept.has(t)) return t;
    const key = t.slice(0, 12);
    if (ULID.test(t)) return `<id${this.label(this.ids, key)}>`;
    if (t.length === 12 && (this.ids.has(key) || this.known.has(key) || (SHORT_ID.test(t) && !HEX.test(t)))) return `<id${this.label(this.ids, key)}:12>`;
    if (HEX.test(t) && (t.length === 40 || t.length === 64)) return `<oid${this.label(this.oids, key)}>`;
    if (HEX.test(t) && t.length === 12) return `<oid${this.label(this.oids, key)}:12>`;
    return t;
  }

  /** The repository's sessions, so a short id is known even before its full form is printed. */
  private learn(): void {
    if (!this.repo) return;
    const refs = execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/sessions/'], { cwd: this.repo, encoding: 'utf8' });
    for (const m of refs.matchAll(/^refs\/sessions\/([0-9a-z]{26})\//gm)) this.known.add(m[1].slice(0, 12));
  }
}
