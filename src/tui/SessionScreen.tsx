// Wires one session: loads its events and files on demand, lays the timeline out for the
// current width, maps keys through the pure key map into the reducer, renders SessionView.
import { useMemo, useReducer } from 'react';
import type { SessionSummary } from '../core/types.js';
import type { BrowseData } from '../repo/browse.js';
import { conflictBanner, conflictPaneLines } from './conflicts.js';
import { diffLines, diffStat } from './diff.js';
import { type ConflictsPane, type DiffPane, type SessionViewProps, SessionView, sessionHeader } from './components/SessionView.js';
import { sessionGeometry } from './geometry.js';
import { type Size, useLoad } from './hooks.js';
import { useKeyTarget } from './keys.js';
import { follow } from './state/keys.js';
import { type TimelineMetrics, clampAnchor, initialSessionState, maxTop, sessionKey, sessionReducer } from './state/session.js';
import type { Theme } from './theme.js';
import { Timeline } from './timeline.js';

export interface SessionScreenProps {
  data: BrowseData;
  id: string;
  summary: SessionSummary | undefined;
  size: Size;
  theme: Theme;
  now: number;
  onBack: () => void;
  onHelp: () => void;
  /** false while another view (help) covers this one: keys are not handled */
  active: boolean;
}

export function SessionScreen(p: SessionScreenProps) {
  const { data, id } = p;
  const [ui, dispatch] = useReducer(sessionReducer, initialSessionState);
  const events = useLoad(id, () => data.loadEvents(id));
  // Signed checks are judged in the background; the timeline shows them once known.
  const verdicts = useLoad(id, () => (data.verifyChecks ? data.verifyChecks(id) : Promise.resolve(undefined)));
  const verdictMap = verdicts.status === 'ready' ? verdicts.value : undefined;
  const files = useLoad(id, () => data.changedFiles(id));
  // A conflicted session's paths with both sides' reasoning (undefined when not conflicted).
  const conflicts = useLoad(id, () => (data.conflicts ? data.conflicts(id) : Promise.resolve(undefined)));
  const conflictView = conflicts.status === 'ready' ? conflicts.value : undefined;
  const banner = useMemo(() => (conflictView ? conflictBanner(conflictView, Math.max(20, p.size.columns)) : []), [conflictView, p.size.columns]);
  const diffPath = ui.diff?.path ?? null;
  const diffText = useLoad(diffPath === null ? null : `${id}\0${diffPath}`, () => data.fileDiff(id, diffPath!));

  const header = useMemo(() => sessionHeader(p.summary, id, Math.max(20, p.size.columns), p.now), [p.summary, id, p.size.columns, p.now]);
  const fileList = files.status === 'ready' ? files.value : null;
  // the conflict banner is part of the header: under the facts, above the panes
  const g = sessionGeometry(p.size, header.length + banner.length, fileList ? fileList.length : null);

  const eventList = events.status === 'ready' ? events.value : null;
  const flagged = useMemo(() => new Map((p.summary?.flagged ?? []).map((f) => [f.id, f.reason])), [p.summary]);
  // laid out lazily: only the blocks scrolled through are ever wrapped
  const layout = useMemo(
    () => (eventList ? new Timeline(eventList, g.timelineWidth, { expand: ui.expand, flagged, verdicts: verdictMap }) : null),
    [eventList, g.timelineWidth, ui.expand, flagged, verdictMap],
  );
  const m: TimelineMetrics = {
    count: layout?.count ?? 0,
    blockLength: (i) => layout!.blockLength(i),
    page: g.timelineRows,
  };
  const anchor = clampAnchor(ui.anchor, m);

  const diffRendered = useMemo(() => (diffText.status === 'ready' ? diffLines(diffText.value) : null), [diffText]);
  const diffPage = Math.max(1, g.body - 1);
  let diff: DiffPane | null = null;
  if (ui.diff) {
    const lines: DiffPane['lines'] =
      diffText.status === 'ready' ? { status: 'ready', value: diffRendered ?? [] } : diffText.status === 'error' ? diffText : { status: 'loading' };
    diff = { path: ui.diff.path, lines, ...(diffRendered ? diffStat(diffRendered) : { added: 0, deleted: 0 }) };
  }

  const conflictLines = useMemo(() => (conflictView ? conflictPaneLines(conflictView, g.width) : []), [conflictView, g.width]);
  const conflictsPane: ConflictsPane | null = ui.conflicts && conflictView ? { lines: conflictLines, top: Math.min(ui.conflicts.top, maxTop(conflictLines.length, diffPage)) } : null;

  const filePage = g.fileRows;
  const fileCount = fileList?.length ?? 0;
  const fileCursor = Math.min(ui.fileCursor, Math.max(0, fileCount - 1));
  const view = { ...ui, fileCursor, fileTop: follow(ui.fileTop, fileCursor, filePage, fileCount) };

  useKeyTarget((input, key) => {
    const intent = sessionKey(input, key, view, {
      m,
      files: fileList ?? [],
      filePage,
      diffTotal: diffRendered?.length ?? 0,
      diffPage,
      conflictsTotal: conflictLines.length,
    });
    if (intent.kind === 'action') dispatch(intent.action);
    else if (intent.kind === 'back') p.onBack();
    else if (intent.kind === 'help') p.onHelp();
    // keys typed ahead wait for what they scroll through
  }, p.active, events.status === 'loading' || files.status === 'loading' || (ui.diff !== null && diffText.status === 'loading'));

  let timeline: SessionViewProps['timeline'];
  if (events.status !== 'ready') timeline = events;
  else timeline = { status: 'ready', value: { lines: layout!.window(anchor, g.timelineRows), event: anchor.event, events: layout!.count } };

  return <SessionView geometry={g} theme={p.theme} header={banner.length ? [...header, ...banner] : header} ui={view} timeline={timeline} files={files} diff={diff} conflicts={conflictsPane} />;
}
