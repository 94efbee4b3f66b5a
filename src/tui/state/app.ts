// Which view is on screen. The list's own state lives in its reducer and survives a visit
// to a session, so going back lands on the same row with the same filter and search.
export type Route = { view: 'list' } | { view: 'session'; id: string };

export interface AppState {
  route: Route;
  help: boolean;
}

export const initialAppState: AppState = { route: { view: 'list' }, help: false };

export type AppAction = { type: 'open'; id: string } | { type: 'back' } | { type: 'help'; show: boolean };

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case 'open':
      return { ...s, route: { view: 'session', id: a.id }, help: false };
    case 'back':
      return { ...s, route: { view: 'list' }, help: false };
    case 'help':
      return { ...s, help: a.show };
  }
}
