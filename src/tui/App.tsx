// The root: holds the app-wide state (route, list state, the session catalog) in hooks
// and chooses the view. Each screen maps its own keys.
import { useCallback, useMemo, useReducer } from 'react';
import { Box, useApp } from 'ink';
import type { BrowseData } from '../repo/browse.js';
import { cachedData } from './cache.js';
import { HelpView, helpLines, helpPage } from './components/HelpView.js';
import { frameHeight, frameWidth } from './geometry.js';
import { useLoad, useTerminalSize } from './hooks.js';
import { type KeyRouter, KeyTarget, useKeyQueue } from './keys.js';
import { ListScreen } from './ListScreen.js';
import { SessionScreen } from './SessionScreen.js';
import { appReducer, helpKey, initialAppState } from './state/app.js';
import { initialListState, listReducer } from './state/list.js';
import { useSearch } from './useSearch.js';
import { themeFor } from './theme.js';

export interface AppProps {
  data: BrowseData;
  /** the clock relative ages are measured against (ms since the epoch) */
  now?: () => number;
  noColor?: boolean;
  /** called with the exit code just before the app unmounts */
  onExit?: (code: number) => void;
}

export function App({ data: raw, now = Date.now, noColor = false, onExit }: AppProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const theme = useMemo(() => themeFor(noColor), [noColor]);
  const data = useMemo(() => cachedData(raw), [raw]);
  const [app, dispatchApp] = useReducer(appReducer, initialAppState);
  const [list, dispatchList] = useReducer(listReducer, initialListState);
  const sessions = useLoad('sessions', () => data.listSessions());
  useSearch(data, list.search, dispatchList);

  const quit = useCallback(
    (code: number) => {
      onExit?.(code);
      exit();
    },
    [exit, onExit],
  );
  // one input listener for the whole app, mounted once; the screen on view registers
  // itself in the router as the target for everything else
  const kick = useKeyQueue(
    (input, key) => {
      if (key.ctrl && input === 'c') quit(130);
      else if (app.help) {
        const page = helpPage(frameHeight(size));
        const intent = helpKey(input, key, page);
        if (intent.kind === 'close') dispatchApp({ type: 'help', show: false });
        else if (intent.kind === 'scroll') dispatchApp({ type: 'helpScroll', delta: intent.delta, total: helpLines(frameWidth(size)).length, page });
      } else router.handler?.(input, key);
    },
    () => !app.help && router.busy,
    (p) => Boolean(p.key.ctrl) && p.input === 'c',
  );
  const router = useMemo<KeyRouter>(() => ({ handler: null, busy: false, kick }), [kick]);

  // What both screens take: the frame, the clock, whether keys reach them, and `?`.
  const shared = { size, theme, now: now(), active: !app.help, onHelp: () => dispatchApp({ type: 'help', show: true }) };
  let screen;
  if (app.route.view === 'session') {
    const id = app.route.id;
    const summary = sessions.status === 'ready' ? sessions.value.find((s) => s.id === id) : undefined;
    screen = <SessionScreen key={id} {...shared} data={data} id={id} summary={summary} onBack={() => dispatchApp({ type: 'back' })} />;
  } else {
    screen = (
      <ListScreen
        {...shared}
        sessions={sessions}
        damaged={sessions.status === 'ready' ? data.damaged?.() : undefined}
        state={list}
        dispatch={dispatchList}
        onOpen={(s) => dispatchApp({ type: 'open', id: s.id })}
        onQuit={() => quit(0)}
      />
    );
  }
  // help hides the screen instead of unmounting it, so the screen keeps its scroll state
  return (
    <KeyTarget.Provider value={router}>
      <Box display={app.help ? 'none' : 'flex'}>{screen}</Box>
      {app.help && <HelpView width={frameWidth(size)} height={frameHeight(size)} top={app.helpTop} theme={theme} />}
    </KeyTarget.Provider>
  );
}
