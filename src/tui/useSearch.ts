// Runs `data.search` whenever the list reducer submits a query (a new `seq`), and feeds
// the result back tagged with that seq, so the reducer drops results of a stale query.
import { type Dispatch, useEffect } from 'react';
import type { BrowseData } from '../repo/browse.js';
import { errorMessage } from './hooks.js';
import type { ListAction, SearchState } from './state/list.js';

export function useSearch(data: BrowseData, search: SearchState, dispatch: Dispatch<ListAction>): void {
  const { pending, seq, query } = search;
  useEffect(() => {
    if (!pending) return;
    data.search(query).then(
      (ids) => dispatch({ type: 'searchResult', seq, ids }),
      (e: unknown) => dispatch({ type: 'searchError', seq, message: errorMessage(e) }),
    );
  }, [data, pending, seq, query, dispatch]);
}
