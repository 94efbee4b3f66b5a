// Keys: the App's one input listener and the queue that hands each key press to the
// screen on view only once the screen shows what the previous press did.
import { type RefObject, createContext, useContext, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { useInput } from 'ink';
import { type KeyInfo, type KeyPress, splitKeys } from './state/keys.js';

export type KeyHandler = (input: string, key: KeyInfo) => void;

/** The screen on view: who gets the keys, and whether it is still loading what they act on. */
export interface KeyRouter {
  handler: KeyHandler | null;
  /** keys wait while true (a search in flight, a session loading) and go on after */
  busy: boolean;
  /** hands queued keys on: called after every commit of the screen */
  kick(): void;
}

/** Where the App's one input listener sends keys it does not handle itself. */
export const KeyTarget = createContext<KeyRouter>({ handler: null, busy: false, kick: () => {} });

/**
 * The App's one input listener. Every input Ink reports is split into key presses
 * (`splitKeys`) and queued; presses go to `handler` one at a time, each only after the
 * App has committed the render the previous one caused (React schedules Ink's renders
 * as tasks of their own, so a press handled earlier would see the old screen). A key
 * thus acts on the screen the key before it left: "jjj" moves three rows and a pasted
 * "/query⏎⏎" opens the match. While `busy()` the queue waits; `kick` resumes it.
 * `urgent` presses (ctrl-c) skip the queue and drop what is waiting.
 */
export function useKeyQueue(handler: KeyHandler, busy: () => boolean, urgent: (p: KeyPress) => boolean): () => void {
  const latest = useRef({ handler, busy, urgent });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [queue] = useState(() => new KeyQueue(latest, rerender));
  useLayoutEffect(() => {
    latest.current = { handler, busy, urgent };
    queue.committed();
  });
  useEffect(() => () => queue.stop(), [queue]);
  useInput(queue.onInput);
  return queue.kick;
}

interface QueueTarget {
  handler: KeyHandler;
  busy: () => boolean;
  urgent: (p: KeyPress) => boolean;
}

class KeyQueue {
  private presses: KeyPress[] = [];
  /** a press was handled and the App has not committed since */
  private inFlight = false;
  private timer: NodeJS.Immediate | undefined;
  constructor(
    private readonly to: RefObject<QueueTarget>,
    /** makes the App render (and so commit) even when a press changed nothing */
    private readonly rerender: () => void,
  ) {}

  readonly onInput: KeyHandler = (input, key) => {
    const presses = splitKeys(input, key);
    const urgent = presses.find((p) => this.to.current.urgent(p));
    if (urgent) {
      this.stop();
      this.to.current.handler(urgent.input, urgent.key);
      return;
    }
    this.presses.push(...presses);
    this.pump();
  };

  /** Sends queued presses on, once the screen is no longer busy. */
  readonly kick = (): void => this.schedule();

  /** The App committed: everything the last press caused is on screen and in the handlers. */
  committed(): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    this.schedule();
  }

  stop(): void {
    clearImmediate(this.timer);
    this.timer = undefined;
    this.presses = [];
  }

  private pump(): void {
    if (this.inFlight || !this.presses.length || this.to.current.busy()) return;
    const p = this.presses.shift()!;
    this.inFlight = true;
    this.to.current.handler(p.input, p.key);
    this.rerender();
  }

  // out of the commit: a press handled inside a layout effect would render synchronously,
  // nested in the commit, and a long paste would nest past React's limit
  private schedule(): void {
    if (this.inFlight || !this.presses.length) return;
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      this.pump();
    });
  }
}

/**
 * Makes `handler` receive the keys while `active`; queued keys wait while `busy`.
 * Registered during the commit (a layout effect), so a screen that just appeared gets
 * the very next key: a `useInput` of its own would only start listening in a passive
 * effect, after the frame is already on screen, and a key typed in between would be lost.
 */
export function useKeyTarget(handler: KeyHandler, active = true, busy = false): void {
  const router = useContext(KeyTarget);
  useLayoutEffect(() => {
    if (!active) return;
    router.handler = handler;
    router.busy = busy;
    router.kick();
    return () => {
      if (router.handler === handler) {
        router.handler = null;
        router.busy = false;
      }
    };
  });
}
