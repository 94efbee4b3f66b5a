// How the screen is divided, as pure functions of the terminal size, so key handling (page
// sizes) and rendering agree, and both can be tested without a terminal.
//
// Frames are one row shorter than the terminal: Ink clears the whole terminal before every
// frame whose previous frame filled the screen, which flickers and wipes scrollback.
import type { Size } from './hooks.js';

export function frameHeight(size: Size): number {
  return Math.max(3, size.rows - 1);
}

export function frameWidth(size: Size): number {
  return Math.max(20, size.columns);
}

export interface ListGeometry {
  width: number;
  height: number;
  /** rows of sessions on screen */
  page: number;
  /** lines of the selected session's detail under the rows (0 when too short) */
  detail: number;
}

const LIST_CHROME = 3; // title, column header, status line

export function listGeometry(size: Size): ListGeometry {
  const height = frameHeight(size);
  const detail = height >= 14 ? 4 : 0; // rule + two lines of goal + meta
  return { width: frameWidth(size), height, page: Math.max(1, height - LIST_CHROME - detail), detail };
}

export interface ListColumns {
  goal: number;
  agent: number;
  author: number;
}

/** Width of the ACTIVE column: how long ago the session last changed (as `list` shows it). */
export const ACTIVE_WIDTH = 6;

/** Fixed columns: marker 2, state 9, active 6, events 6, files 5, plus separators. */
export const FIXED_COLUMNS = 2 + 10 + (ACTIVE_WIDTH + 1) + 7 + 6;

export function listColumns(width: number): ListColumns {
  let agent = width >= 140 ? 24 : width >= 100 ? 18 : 12;
  let author = width >= 140 ? 16 : width >= 100 ? 12 : 9;
  const goal = (a: number, u: number) => width - FIXED_COLUMNS - 1 - (a ? a + 1 : 0) - (u ? u + 1 : 0);
  if (goal(agent, author) < 16) author = 0;
  if (goal(agent, author) < 16) agent = 0;
  return { goal: Math.max(4, goal(agent, author)), agent, author };
}

export interface SessionGeometry {
  width: number;
  height: number;
  /** body rows between header and status line */
  body: number;
  /** files pane beside the timeline (wide terminals) or under it */
  side: boolean;
  timelineWidth: number;
  /** rows of the timeline pane including its title rule */
  timelineHeight: number;
  /** rows of timeline text on screen (the scroll page) */
  timelineRows: number;
  filesWidth: number;
  /** rows of the files pane including its title rule */
  filesHeight: number;
  /** rows of file names on screen */
  fileRows: number;
}

/** `headerLines`: lines the session header takes; `files`: changed files (null while loading). */
export function sessionGeometry(size: Size, headerLines: number, files: number | null): SessionGeometry {
  const width = frameWidth(size);
  const height = frameHeight(size);
  const body = Math.max(4, height - headerLines - 1);
  const side = width >= 110;
  if (side) {
    const filesWidth = Math.min(48, Math.max(28, Math.floor(width * 0.3)));
    return {
      width,
      height,
      body,
      side,
      timelineWidth: width - filesWidth - 1,
      timelineHeight: body,
      timelineRows: Math.max(1, body - 1),
      filesWidth,
      filesHeight: body,
      fileRows: Math.max(1, body - 1),
    };
  }
  const rows = files === null ? 1 : Math.max(1, Math.min(files, Math.max(3, Math.floor(body / 4))));
  const filesHeight = Math.max(2, Math.min(body - 2, rows + 1));
  const timelineHeight = body - filesHeight;
  return {
    width,
    height,
    body,
    side,
    timelineWidth: width,
    timelineHeight,
    timelineRows: Math.max(1, timelineHeight - 1),
    filesWidth: width,
    filesHeight,
    fileRows: Math.max(1, filesHeight - 1),
  };
}
