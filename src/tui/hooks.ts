// Hooks shared by the screens: terminal size (following resizes) and on-demand loading.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

function read(stdout: NodeJS.WriteStream): Size {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The terminal's size, re-rendering on every `resize` of stdout. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState<Size>(() => read(stdout));
  useEffect(() => {
    const onResize = () => {
      const next = read(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: string };

export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0] || 'failed';
}

/**
 * Runs `load` when `key` changes (null: nothing to load) and tracks its result. Results
 * of a superseded key, or arriving after unmount, are dropped.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; value: Loaded<T> }>({ key, value: { status: 'loading' } });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((prev) => (prev.key === key && prev.value.status === 'loading' ? prev : { key, value: { status: 'loading' } }));
    load().then(
      (value) => live && setState({ key, value: { status: 'ready', value } }),
      (e: unknown) => live && setState({ key, value: { status: 'error', error: errorMessage(e) } }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure every render; `key` says when to reload
  }, [key]);
  return state.key === key ? state.value : { status: 'loading' };
}
