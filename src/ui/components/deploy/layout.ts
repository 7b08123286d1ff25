// How the Deploy screen shares its rows: the colour boxes, the current deploy (or a note), the
// log tail and the history table. Pure, so the 80x24 and 200x50 budgets are tested directly.

export type MiddleSection =
  | { kind: 'progress'; plan: number; log: number; outcome: boolean }
  /** an unfinished deploy this dashboard did not start: two lines */
  | { kind: 'active' }
  /** nothing running: one line */
  | { kind: 'idle' };

export interface DeployLayoutInput {
  width: number;
  height: number;
  colours: number;
  /** one-line notes under the boxes (router error, state error) */
  notes: number;
  middle: MiddleSection;
  history: number;
}

export interface DeployLayout {
  boxesPerRow: number;
  boxWidth: number;
  /** two lines per box instead of four */
  compactBoxes: boolean;
  /** blank rows between sections */
  gap: 0 | 1;
  /** the plan one step per line, or one line of step names */
  planAsList: boolean;
  /** the current deploy and the log side by side (wide terminals) */
  split: boolean;
  logLines: number;
  /** rows of history entries (under its title and column header) */
  historyRows: number;
}

const MIN_BOX_WIDTH = 30;
export const BOX_GAP = 1;
const SPLIT_WIDTH = 140;
/** while a deploy runs, fewer body rows than this: compact boxes */
const ROOMY_HEIGHT = 26;
/** at least this many: blank rows between sections */
const GAP_HEIGHT = 30;
/** history title + column header */
const HISTORY_CHROME = 2;

const perRowFor = (colours: number, width: number) =>
  Math.max(1, Math.min(colours, Math.floor((width + BOX_GAP) / (MIN_BOX_WIDTH + BOX_GAP))));

const fullBoxesHeight = (colours: number, width: number) => Math.ceil(colours / perRowFor(colours, width)) * 6;

export function deployLayout(input: DeployLayoutInput): DeployLayout {
  const { width, height, colours, notes, middle, history } = input;
  const historyMin = HISTORY_CHROME + Math.min(Math.max(1, history), 3);
  // a running deploy's plan and log matter more than tall boxes; otherwise boxes are full-size
  // whenever everything else still gets its minimum
  const compactBoxes =
    middle.kind === 'progress'
      ? height < ROOMY_HEIGHT
      : fullBoxesHeight(colours, width) + notes + (middle.kind === 'active' ? 2 : 1) + historyMin > height;
  const boxesPerRow = perRowFor(colours, width);
  const boxWidth = Math.floor((width - BOX_GAP * (boxesPerRow - 1)) / boxesPerRow);
  const boxesHeight = colours === 0 ? 1 : Math.ceil(colours / boxesPerRow) * (compactBoxes ? 4 : 6);
  const gap: 0 | 1 = height >= GAP_HEIGHT ? 1 : 0;
  const fixed = boxesHeight + notes;
  const historyWant = Math.max(1, history);
  const base = { boxesPerRow, boxWidth, compactBoxes, gap };

  if (middle.kind !== 'progress') {
    const middleHeight = middle.kind === 'active' ? 2 : 1;
    const historyRows = Math.max(0, height - fixed - middleHeight - 2 * gap - HISTORY_CHROME);
    return { ...base, planAsList: false, split: false, logLines: 0, historyRows };
  }

  const header = 1 + (middle.outcome ? 1 : 0);
  const planHeight = (asList: boolean) => (middle.plan === 0 ? 0 : asList ? middle.plan : 1);

  if (width >= SPLIT_WIDTH && middle.log > 0) {
    const planAsList = middle.plan > 0 && fixed + header + middle.plan + 2 * gap + historyMin <= height;
    const left = header + planHeight(planAsList);
    const rest = height - fixed - 2 * gap - HISTORY_CHROME;
    // the log may grow past the panel on its left, up to half of what is left
    const logLines = Math.max(0, Math.min(middle.log, Math.max(left - 1, Math.floor(rest / 2) - 1)));
    const middleHeight = Math.max(left, 1 + logLines);
    return { ...base, planAsList, split: true, logLines, historyRows: Math.max(0, rest - middleHeight) };
  }

  const hasLog = middle.log > 0;
  const gaps = gap * (hasLog ? 3 : 2);
  const logMin = hasLog ? 1 + Math.min(middle.log, 3) : 0;
  const planAsList = middle.plan > 0 && fixed + header + middle.plan + gaps + logMin + historyMin <= height;
  const avail = Math.max(0, height - fixed - header - planHeight(planAsList) - gaps - HISTORY_CHROME - (hasLog ? 1 : 0));
  if (!hasLog) return { ...base, planAsList, split: false, logLines: 0, historyRows: avail };
  // history takes up to half; the log takes the rest (more when the history is short)
  const historyHalf = Math.min(historyWant, Math.ceil(avail / 2));
  const logLines = Math.min(middle.log, Math.max(0, avail - historyHalf));
  return { ...base, planAsList, split: false, logLines, historyRows: avail - logLines };
}
