// Prompt requests beside the archive and reconcile: gc archives a request only once it is
// closed (rejected, or run and landed), never one waiting or accepted, nor a run still
// open; an archived request reads the same (who asked, who ran it, why); a rejected one
// stays unrunnable from the archive and comes back to its refs when accepted again; a
// commit naming a request not yet run links nothing to it.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';

const bob = { GIT_AUTHOR_NAME: 'Bob Maintainer', GIT_AUTHOR_EMAIL: 'bob@example.com' };
const sessionRefs = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname)', 'refs/sessions/').split('\n').filter(Boolean);

async function ok(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await cli(dir, args, { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

async function request(dir: string, prompt: string): Promise<string> {
  return (await ok(dir, ['request', prompt])).trim();
}

describe('prompt requests and the archive', () => {
  it('gc keeps waiting, accepted and running requests; archives rejected and landed ones, which read the same', async () => {
    const dir = makeRepo();
    const pending = await request(dir, 'Pending: add a changelog');
    const accepted = await request(dir, 'Accepted: add a licence');
    await ok(dir, ['review', accepted, '--accept'], bob);
    const rejected = await request(dir, 'Rejected: rewrite it all');
    await ok(dir, ['review', rejected, '--reject', 'out of scope'], bob);
    const running = await request(dir, 'Running: add a greeting');
    await ok(dir, ['review', running, '--accept'], bob);
    await ok(dir, ['run', running, '--worktree', `../${basename(dir)}-run`], bob);
    const landed = await request(dir, 'Landed: add a farewell');
    await ok(dir, ['review', landed, '--accept'], bob);
    const wt = join(dir, `../${basename(dir)}-land`);
    await ok(dir, ['run', landed, '--worktree', wt], bob);
    writeFile(wt, 'farewell.txt', 'goodbye\n');
    await ok(wt, ['land'], bob);
    const before = { show: JSON.parse(await ok(dir, ['show', landed, '--json'])), why: JSON.parse(await ok(dir, ['why', 'farewell.txt:1', '--json'])) };
    expect(before.why.request).toMatchObject({ author: 'Ada Tester <ada@example.com>', ranBy: 'Bob Maintainer <bob@example.com>' });

    git(dir, 'config', 'session.archiveAfter', '0');
    const gc = JSON.parse(await ok(dir, ['gc', '--json']));
    expect(gc.archived.map((a: { id: string }) => a.id).sort()).toEqual([rejected, landed].sort());
    expect(gc.kept).toEqual({ requested: 2, open: 1 });
    const refs = sessionRefs(dir);
    for (const id of [pending, accepted, running]) expect(refs.some((r) => r.includes(id)), id).toBe(true);
    for (const id of [rejected, landed]) expect(refs.some((r) => r.includes(id)), id).toBe(false);

    // Archived, the landed request reads as before: its run, who asked and who ran it.
    const after = JSON.parse(await ok(dir, ['show', landed, '--json']));
    expect(after.archived).toBeTruthy();
    expect(after.request).toEqual(before.show.request);
    expect(after.session.request).toEqual(before.show.session.request);
    expect(JSON.parse(await ok(dir, ['why', 'farewell.txt:1', '--json'])).request).toEqual(before.why.request);
    expect(await ok(dir, ['show', landed])).toContain('Bob Maintainer <bob@example.com>');
    expect(await ok(dir, ['list', '--state', 'landed'])).toMatch(/Landed: add a farewell \(from a prompt request by Ada Tester\)/);
    expect(await ok(dir, ['list', '--state', 'abandoned'])).toContain('Rejected: rewrite it all (request by Ada Tester: rejected)');
    const queue = await ok(dir, ['list', '--state', 'requested']);
    expect(queue).toContain('Pending: add a changelog');
    expect(queue).toContain('Accepted: add a licence (request by Ada Tester: accepted)');

    // A rejected request stays unrunnable from the archive, and the refusal writes nothing.
    const snap = refsSnapshot(dir);
    const refused = await cli(dir, ['run', rejected, '--yes', '--exec', 'true'], { env: bob });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was rejected by Bob Maintainer <bob@example.com>: out of scope');
    expect(refsSnapshot(dir)).toBe(snap);

    // Accepted again, it comes back to its refs as a request waiting to run; gc keeps it.
    await ok(dir, ['review', rejected, '--accept'], bob);
    expect(JSON.parse(await ok(dir, ['show', rejected, '--json'])).session).toMatchObject({ state: 'requested', request: { status: 'accepted' } });
    expect(sessionRefs(dir).some((r) => r.includes(rejected))).toBe(true);
    expect(JSON.parse(await ok(dir, ['gc', '--json'])).archived).toEqual([]);
  });

  it('reconcile links nothing to a request not yet run, waiting or rejected and archived, whatever a commit claims', async () => {
    const dir = makeRepo();
    const id = await request(dir, 'Add a greeting');
    const rejected = await request(dir, 'Add a farewell');
    await ok(dir, ['review', rejected, '--reject', 'not now'], bob);
    git(dir, 'config', 'session.archiveAfter', '0');
    expect(JSON.parse(await ok(dir, ['gc', '--json'])).archived.map((a: { id: string }) => a.id)).toEqual([rejected]);
    await ok(dir, ['start', 'Something else']); // an open session: reconcile walks back to its base
    const before = [JSON.parse(await ok(dir, ['show', id, '--json'])), JSON.parse(await ok(dir, ['show', rejected, '--json']))];
    writeFile(dir, 'greeting.txt', 'hello\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `Add a greeting and a farewell\n\nSession-Id: ${id}\nSession-Id: ${rejected}`);
    const r = JSON.parse(await ok(dir, ['reconcile', '--onto', 'main', '--json']));
    expect(r.branches[0].walked).toBe(1);
    expect(r.linked).toEqual([]);
    const after = [JSON.parse(await ok(dir, ['show', id, '--json'])), JSON.parse(await ok(dir, ['show', rejected, '--json']))];
    for (const i of [0, 1]) {
      expect(after[i].session).toEqual(before[i].session);
      expect(after[i].events).toHaveLength(before[i].events.length);
    }
  });
});
