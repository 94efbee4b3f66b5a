// Runs an agent command (`run --exec`): through `sh -c`, in a worktree, the prompt on its
// stdin, in its own process group so a stop (Ctrl-C, an agent harness's SIGTERM) reaches
// everything the agent started.
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

/** How an agent run ended. */
export interface AgentExit {
  /** The exit status (128 + the signal when a signal ended it). */
  exitCode: number;
  /** The signal that ended it, if one did. */
  signal?: NodeJS.Signals;
  /** A signal git-session received and passed on (then the agent was stopped). */
  stoppedBy?: NodeJS.Signals;
  durationMs: number;
}

/** What the agent gets: where it runs, its environment, its stdin, where its output goes. */
export interface AgentIo {
  cwd: string;
  env: Record<string, string | undefined>;
  input: string;
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Runs `command` through `sh -c` (see the file header) and resolves when it has exited. */
export function runAgent(command: string, io: AgentIo): Promise<AgentExit> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let stoppedBy: NodeJS.Signals | undefined;
    const child = spawn('/bin/sh', ['-c', command], { cwd: io.cwd, env: io.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        /* the group is gone already */
      }
    };
    const forward = (sig: NodeJS.Signals) => {
      stoppedBy ??= sig;
      group(sig);
    };
    for (const sig of STOP_SIGNALS) process.on(sig, forward);
    // An agent that never reads its stdin closes it: that is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(io.input);
    child.stdout.on('data', io.stdout);
    child.stderr.on('data', io.stderr);
    let done = false;
    const finish = (exitCode: number, signal?: NodeJS.Signals) => {
      if (done) return;
      done = true;
      for (const sig of STOP_SIGNALS) process.off(sig, forward);
      resolve({ exitCode, ...(signal ? { signal } : {}), ...(stoppedBy ? { stoppedBy } : {}), durationMs: Math.round(performance.now() - t0) });
    };
    child.on('error', (e) => {
      io.stderr(Buffer.from(`${e.message}\n`));
      finish(127);
    });
    child.on('exit', () => {
      if (!stoppedBy) return;
      // What the agent left running in its group is stopped too: SIGTERM, then SIGKILL.
      group('SIGTERM');
      setTimeout(() => group('SIGKILL'), 2000).unref();
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1), signal ?? undefined));
  });
}
