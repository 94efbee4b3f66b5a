// Prompt requests end to end (issue 19), the built binary in two clones of one remote
// served by a real git daemon on 127.0.0.1: the contributor requests and pushes; the
// maintainer pulls and comments; the contributor refines and pushes; the maintainer
// accepts, runs it with a scripted agent that edits files, lands and pushes; `why` on a
// changed line shows the original prompt and who asked, in both clones; a rejected
// request can't be run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { git, makeRepo, refsSnapshot, spawnBin } from '../support/repo.js';

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon?.stop());

const alice = { GIT_AUTHOR_NAME: 'Alice Contributor', GIT_AUTHOR_EMAIL: 'alice@example.org', GIT_COMMITTER_NAME: 'Alice Contributor', GIT_COMMITTER_EMAIL: 'alice@example.org' };
const bob = { GIT_AUTHOR_NAME: 'Bob Maintainer', GIT_AUTHOR_EMAIL: 'bob@example.org', GIT_COMMITTER_NAME: 'Bob Maintainer', GIT_COMMITTER_EMAIL: 'bob@example.org' };

/** Runs the built binary as `who`, expecting `code`; returns stdout. */
async function gs(dir: string, who: Record<string, string>, args: string[], code = 0): Promise<string> {
  const r = await spawnBin(dir, args, { env: who });
  expect(r.code, `git session ${args.join(' ')}\n${r.stderr}`).toBe(code);
  return r.stdout;
}

describe('prompt requests across two clones', () => {
  it('request, comment, refine, accept, run with a scripted agent, land; why names the prompt and who asked; a rejected request cannot run', async () => {
    const url = daemon.remote('requests');
    const maintainer = makeRepo('gs-maint-');
    git(maintainer, 'remote', 'add', 'origin', url);
    git(maintainer, 'push', '-q', 'origin', 'main');
    await gs(maintainer, bob, ['init', '--publish', 'push']);
    const contributor = realpathSync(mkdtempSync(join(tmpdir(), 'gs-contrib-')));
    git(contributor, 'clone', '-q', url, '.');
    await gs(contributor, alice, ['init', '--publish', 'push']);

    // The contributor asks, and shares the request.
    const id = (await gs(contributor, alice, ['request', 'Add a greeting to hello.txt', '--context', 'README.md'])).trim();
    await gs(contributor, alice, ['push']);

    // The maintainer sees it in the queue and comments.
    expect(JSON.parse(await gs(maintainer, bob, ['pull', '--json'])).created).toEqual([id]);
    expect(await gs(maintainer, bob, ['list', '--state', 'requested'])).toContain('Add a greeting to hello.txt (request by Alice Contributor: pending)');
    await gs(maintainer, bob, ['review', id, '--comment', 'Please say goodbye too']);
    await gs(maintainer, bob, ['push']);

    // The contributor reads the comment and refines the prompt: the next iteration.
    await gs(contributor, alice, ['pull']);
    expect(await gs(contributor, alice, ['show', id])).toContain('comment by Bob Maintainer <bob@example.org>');
    await gs(contributor, alice, ['record', 'prompt', 'Add a greeting and a farewell to hello.txt', '--session', id]);
    await gs(contributor, alice, ['push']);

    // The maintainer accepts the refined prompt and runs it with a scripted agent.
    const pulled = JSON.parse(await gs(maintainer, bob, ['pull', '--json']));
    expect(pulled.fastForwarded).toEqual([id]);
    expect(pulled.flagged).toEqual([]);
    await gs(maintainer, bob, ['review', id, '--accept']);
    const agentDir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-agent-')));
    const agent = join(agentDir, 'agent.sh');
    writeFileSync(agent, `#!/bin/sh\ncat > "${agentDir}/prompt"\nprintf 'hello\\ngoodbye\\n' > hello.txt\necho "edited hello.txt for $GIT_SESSION"\n`);
    chmodSync(agent, 0o755);
    const ran = await gs(maintainer, bob, ['run', id, '--exec', agent, '--yes', '--agent', 'scripted']);
    expect(ran).toContain('  > Add a greeting and a farewell to hello.txt');
    expect(ran).toContain(`edited hello.txt for ${id}`);
    expect(readFileSync(join(agentDir, 'prompt'), 'utf8')).toBe('Add a greeting and a farewell to hello.txt\n\nFiles this request refers to:\n- README.md\n');
    await gs(maintainer, bob, ['land', id]);
    git(maintainer, 'push', '-q', 'origin', 'main'); // the pre-push hook publishes the session

    // why on a changed line: the prompt that ran, the original one, and who asked.
    const whyM = await gs(maintainer, bob, ['why', 'hello.txt:2']);
    expect(whyM).toContain('| goodbye');
    expect(whyM).toContain('from a prompt request by Alice Contributor <alice@example.org> (accepted by Bob Maintainer <bob@example.org>, run by Bob Maintainer <bob@example.org>); its prompt, iteration 2 of 2:');
    expect(whyM).toContain('  > Add a greeting and a farewell to hello.txt');
    expect(whyM).toContain('  > Add a greeting to hello.txt'); // the original prompt, under the session's prompts
    git(contributor, 'pull', '-q', 'origin', 'main');
    await gs(contributor, alice, ['pull']);
    const whyC = JSON.parse(await gs(contributor, alice, ['why', 'hello.txt:1', '--json']));
    expect(whyC.session).toMatchObject({ id, state: 'landed' });
    expect(whyC.request).toMatchObject({ author: 'Alice Contributor <alice@example.org>', prompt: 'Add a greeting and a farewell to hello.txt', iteration: 2, iterations: 2 });
    expect(whyC.reasoning.prompts).toEqual(['Add a greeting to hello.txt', 'Add a greeting and a farewell to hello.txt']);

    // A rejected request can't be run.
    const no = (await gs(contributor, alice, ['request', 'Rewrite everything in Rust'])).trim();
    await gs(contributor, alice, ['push']);
    await gs(maintainer, bob, ['pull']);
    await gs(maintainer, bob, ['review', no, '--reject', 'Not a rewrite this year']);
    const before = refsSnapshot(maintainer);
    const refused = await spawnBin(maintainer, ['run', no, '--exec', agent, '--yes'], { env: bob });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was rejected by Bob Maintainer <bob@example.org>: Not a rewrite this year');
    expect(refsSnapshot(maintainer)).toBe(before);
    await gs(maintainer, bob, ['push']);
    await gs(contributor, alice, ['pull']);
    expect(await gs(contributor, alice, ['list', '--state', 'abandoned'])).toContain('Rewrite everything in Rust (request by Alice Contributor: rejected)');
  });
});
