// The pure parts of landing through a server: request and verdict documents (data from
// the other side, read through the schema), protected-branch matching, who pushed, and
// the receive hook scripts (valid sh that exits early for plain pushes).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtected, landRefId, mayPushDirectly, parseRequest, parseVerdict, pusherOf, requestRef, verdictLine, verdictRef, verdictsIn, type Verdict } from '../../src/core/land-request.js';
import { forgeHookScript, serverWrapperScript } from '../../src/core/server-hookscript.js';

const ID = '01m8m83tekazhg7pecerwph574';
const OID = 'a'.repeat(40);

describe('landing requests and verdicts', () => {
  it('names the request and verdict refs of a session, and only those', () => {
    expect(landRefId(requestRef(ID))).toEqual({ id: ID, kind: 'request' });
    expect(landRefId(verdictRef(ID))).toEqual({ id: ID, kind: 'verdict' });
    for (const bad of ['refs/session-land/request/x', `refs/session-land/other/${ID}`, `refs/session-land/request/${ID}/more`, 'refs/heads/main']) expect(landRefId(bad)).toBeUndefined();
  });

  it('reads a request through the schema, refusing anything else with one line', () => {
    const req = { version: 1, session: ID, target: 'main', strategy: 'squash', meta: OID, work: OID, by: 'Ada <a@x>', at: '2026-01-01T00:00:00.000Z' };
    expect(parseRequest(JSON.stringify(req))).toEqual(req);
    expect(parseRequest(JSON.stringify({ ...req, wait: false })).wait).toBe(false);
    for (const [field, value] of [['target', '../x'], ['target', 'a..b'], ['meta', 'HEAD'], ['session', 'x'], ['strategy', 'octopus'], ['version', 2]] as const) {
      expect(() => parseRequest(JSON.stringify({ ...req, [field]: value })), field).toThrow(/landing request is malformed/);
    }
    expect(() => parseRequest('{')).toThrow('not JSON');
  });

  it('finds verdicts in a push output, ignoring lines that only look like one', () => {
    const v: Verdict = { version: 1, session: ID, request: OID, outcome: 'landed', target: 'main', at: '2026-01-01T00:00:00.000Z', commit: OID };
    const out = ['remote: git-session: landed', `remote: ${verdictLine(v)}        `, 'remote: git-session-verdict {"version":1}', 'remote: git-session-verdict not json', 'To git://x'].join('\n');
    expect(verdictsIn(out)).toEqual([v]);
    expect(parseVerdict(JSON.stringify(v))).toEqual(v);
    fc.assert(fc.property(fc.string(), (junk) => Array.isArray(verdictsIn(junk))));
  });
});

describe('protected branches and who pushed', () => {
  it('matches names, full refs and * patterns, only under refs/heads/', () => {
    expect(isProtected('refs/heads/main', ['main'])).toBe(true);
    expect(isProtected('refs/heads/main', ['refs/heads/main'])).toBe(true);
    expect(isProtected('refs/heads/mainline', ['main'])).toBe(false);
    expect(isProtected('refs/heads/release/1.0', ['release/*'])).toBe(true);
    expect(isProtected('refs/heads/release', ['release/*'])).toBe(false);
    expect(isProtected('refs/tags/main', ['main'])).toBe(false);
    expect(isProtected('refs/heads/a.b', ['a?b'])).toBe(true);
    expect(isProtected('refs/heads/axb', ['a.b'])).toBe(false);
  });

  it('identifies the pusher by the forge, then the web server, then the account; anonymous over git daemon', () => {
    expect(pusherOf({ GL_USERNAME: 'gl', GITEA_PUSHER_NAME: 'gt', USER: 'git' })).toBe('gl');
    expect(pusherOf({ GITEA_PUSHER_NAME: 'gt', USER: 'git' })).toBe('gt');
    expect(pusherOf({ REMOTE_USER: 'web', USER: 'www' })).toBe('web');
    expect(pusherOf({ USER: 'alice' })).toBe('alice');
    expect(pusherOf({ REMOTE_ADDR: '127.0.0.1', USER: 'daemon' })).toBeUndefined();
    expect(mayPushDirectly(undefined, ['*'])).toBe(true);
    expect(mayPushDirectly(undefined, ['alice'])).toBe(false);
    expect(mayPushDirectly('alice', ['bob', 'alice'])).toBe(true);
  });
});

describe('receive hook scripts', () => {
  const o = { name: 'pre-receive', previous: { inherited: true } as const, bin: '/nowhere/git-session', node: '/nowhere/node', defaultDir: '/nowhere/hooks', self: '/nowhere/ours', links: '/nowhere/links' };

  it('are valid sh', () => {
    for (const name of ['pre-receive', 'post-receive']) {
      for (const text of [serverWrapperScript({ ...o, name }), forgeHookScript({ name, bin: o.bin, node: o.node })]) {
        expect(spawnSync('sh', ['-n'], { input: text }).status, text).toBe(0);
      }
    }
  });

  it('pre-receive: a plain push of an unprotected branch exits 0 without node; a protected one is refused (fails closed) when git-session cannot run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-hook-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
    const script = join(dir, 'hook.sh');
    writeFileSync(script, forgeHookScript({ name: 'pre-receive', bin: o.bin, node: o.node }));
    const push = (ref: string) => spawnSync('sh', [script], { cwd: dir, input: `${'0'.repeat(40)} ${OID} ${ref}\n`, env: { PATH: '/usr/bin:/bin', GIT_DIR: dir }, encoding: 'utf8' });
    expect(push('refs/heads/topic').status).toBe(0);
    const main = push('refs/heads/main');
    expect(main.status).toBe(1);
    expect(main.stderr).toContain('refusing a push to a protected branch');
    const post = spawnSync('sh', ['-c', forgeHookScript({ name: 'post-receive', bin: o.bin, node: o.node })], { cwd: dir, input: `${'0'.repeat(40)} ${OID} refs/heads/topic\n`, encoding: 'utf8' });
    expect(post.status).toBe(0);
    expect(post.stderr).toBe('');
  });
});
