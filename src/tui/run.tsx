// Entry point for `git session tui`: renders the App on a terminal and resolves with the
// exit code once the user quits, leaving the terminal as it was (the browser runs on the
// alternate screen, which is always left again, also on errors and process exit).
import { render } from 'ink';
import { usage } from '../core/errors.js';
import type { BrowseData } from '../repo/browse.js';
import { App } from './App.js';
import { detachHungUp, terminalFds } from './terminal.js';
import { noColorFromEnv } from './theme.js';

export interface RunTuiOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** no colour at all; default: the NO_COLOR environment variable */
  noColor?: boolean;
  /** clock for relative ages (ms since the epoch); default Date.now */
  now?: () => number;
}

export interface MountOptions extends RunTuiOptions {
  stderr?: NodeJS.WriteStream;
  /**
   * Ink's debug mode: every frame is written in full and unthrottled, synchronously with
   * the update that caused it (for benchmarks and recordings; not for a real terminal).
   */
  debug?: boolean;
  /** route console output around the frame; default: when stdout is the process's own */
  patchConsole?: boolean;
}

export interface MountedTui {
  /** the exit code: 0 on `q`, 130 on ctrl-c */
  exitCode: Promise<number>;
  /** re-render with unchanged state (a no-op frame) */
  refresh(): void;
  /** tear down without waiting for the user */
  unmount(): void;
}

/** Renders the browser on the given streams without any terminal set-up. */
export function mountTui(data: BrowseData, opts: MountOptions = {}): MountedTui {
  const noColor = opts.noColor ?? noColorFromEnv();
  let code = 0;
  const element = () => (
    <App
      data={data}
      now={opts.now}
      noColor={noColor}
      onExit={(c) => {
        code = c;
      }}
    />
  );
  const instance = render(element(), {
    stdout: opts.stdout ?? process.stdout,
    stdin: opts.stdin ?? process.stdin,
    stderr: opts.stderr ?? process.stderr,
    debug: opts.debug ?? false,
    exitOnCtrlC: false,
    // a console.log from the data layer must not scribble over the frame; callers that
    // inject streams (tests, benchmarks) keep their console
    patchConsole: opts.patchConsole ?? opts.stdout === undefined,
  });
  return {
    exitCode: instance.waitUntilExit().then(() => code),
    refresh: () => instance.rerender(element()),
    unmount: () => instance.unmount(),
  };
}

const ENTER_ALT = '\u001B[?1049h\u001B[H';
const LEAVE_ALT = '\u001B[?1049l';
/** Exit status when the terminal goes away (as a shell reports a SIGHUP death). */
const HANGUP = 129;
/** Signals that end the browser like a quit, with the shell's exit status for them. */
const SIGNALS: [NodeJS.Signals, number][] = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', HANGUP],
];

/**
 * Runs the browser until the user quits and resolves with the exit code: 0 on `q`, 130
 * on ctrl-c (or SIGINT), 143 on SIGTERM, 129 on SIGHUP or when the terminal goes away (a
 * read error or end of input on stdin, a write error on stdout). The terminal is restored
 * in every case where it still exists; nothing is written to one that is gone, and no
 * error of its streams escapes. Rejects with a usage error (exit 2), writing nothing,
 * when stdin or stdout is not a terminal.
 */
export async function runTui(data: BrowseData, opts: RunTuiOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  if (!stdout.isTTY) throw usage('git session tui needs a terminal: stdout is not a TTY');
  if (!stdin.isTTY) throw usage('git session tui needs a terminal: stdin is not a TTY');
  /** the terminal still answers: worth restoring */
  let present = true;
  let onAltScreen = true;
  const writable = () => present && !stdout.destroyed && stdout.writable !== false;
  const leave = () => {
    if (!onAltScreen) return;
    onAltScreen = false;
    if (writable()) stdout.write(LEAVE_ALT);
  };
  let status: number | undefined;
  let tui: MountedTui | undefined;
  const end = (code: number) => {
    status ??= code;
    tui?.unmount();
  };
  // our listeners also stop Ink's signal-exit hook from re-raising the signal, so the
  // process lives on until the terminal is restored and the caller returns the status
  const handlers = SIGNALS.map(([sig, code]) => {
    const h = () => end(code);
    process.on(sig, h);
    return [sig, h] as const;
  });
  // a hung-up terminal shows up as EIO/EPIPE on its streams or the end of input: without
  // these listeners the error would be thrown, and a dead terminal must end the browser
  const gone = () => {
    present = false;
    end(HANGUP);
  };
  const streams = [
    [stdin, 'error'],
    [stdin, 'end'],
    [stdout, 'error'],
  ] as const;
  for (const [stream, event] of streams) stream.on(event, gone);
  // the process's own terminal, to let go of once it has hung up
  const own = opts.stdin === undefined && opts.stdout === undefined ? terminalFds() : [];
  stdout.write(ENTER_ALT);
  process.once('exit', leave);
  try {
    tui = mountTui(data, { ...opts, stdout, stdin, patchConsole: opts.stdout === undefined });
    const code = await tui.exitCode;
    return status ?? code;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    process.off('exit', leave);
    leave();
    // errors of writes still in flight (Ink's last frame, leaving the alternate screen)
    // arrive a tick after their callback: keep listening until they are in; a terminal
    // that is gone keeps failing whoever writes next, so its errors stay swallowed
    if (writable()) await new Promise<void>((r) => stdout.write('', () => r()));
    await new Promise<void>((r) => setImmediate(r));
    if (present) for (const [stream, event] of streams) stream.off(event, gone);
    detachHungUp(own);
  }
}
