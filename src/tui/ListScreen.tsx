// Wires the list: key presses → pure key map → reducer; renders the pure ListView.
import { type Dispatch, useMemo } from 'react';
import type { DamagedSession, SessionSummary } from '../core/types.js';
import { ListView } from './components/ListView.js';
import { listGeometry } from './geometry.js';
import type { Loaded, Size } from './hooks.js';
import { useKeyTarget } from './keys.js';
import { follow } from './state/keys.js';
import { type ListAction, type ListState, listKey, visibleSessions } from './state/list.js';
import type { Theme } from './theme.js';

export interface ListScreenProps {
  size: Size;
  theme: Theme;
  now: number;
  sessions: Loaded<SessionSummary[]>;
  /** sessions that cannot be read, named in the title line with why */
  damaged?: DamagedSession[];
  state: ListState;
  dispatch: Dispatch<ListAction>;
  onOpen: (s: SessionSummary) => void;
  onQuit: () => void;
  onHelp: () => void;
  /** false while another view (help) covers this one: keys are not handled */
  active: boolean;
}

const EMPTY: SessionSummary[] = [];

export function ListScreen(p: ListScreenProps) {
  const geometry = listGeometry(p.size);
  const all = p.sessions.status === 'ready' ? p.sessions.value : EMPTY;
  const { filter } = p.state;
  const { matches } = p.state.search;
  const visible = useMemo(() => visibleSessions(all, filter, matches), [all, filter, matches]);
  const count = visible.length;
  // the window follows the cursor, also after a resize changed the page size
  const cursor = Math.min(p.state.cursor, Math.max(0, count - 1));
  const top = follow(p.state.top, cursor, geometry.page, count);

  useKeyTarget((input, key) => {
    const intent = listKey(input, key, { ...p.state, cursor, top }, count, geometry.page);
    if (intent.kind === 'action') p.dispatch(intent.action);
    else if (intent.kind === 'open' && visible[cursor]) p.onOpen(visible[cursor]);
    else if (intent.kind === 'quit') p.onQuit();
    else if (intent.kind === 'help') p.onHelp();
    // keys typed ahead wait for the catalog and for search results: they act on those rows
  }, p.active, p.sessions.status === 'loading' || p.state.search.pending);

  return (
    <ListView
      geometry={geometry}
      theme={p.theme}
      now={p.now}
      total={p.sessions.status === 'ready' ? all.length : null}
      error={p.sessions.status === 'error' ? p.sessions.error : null}
      visible={visible}
      cursor={cursor}
      top={top}
      filter={filter}
      search={p.state.search}
      damaged={p.damaged}
    />
  );
}
