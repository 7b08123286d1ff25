// How the Canary screen shares its rows: the stage bar, the two colour panels, the charts and
// the analysis table. Pure, so the 80x24 and 200x50 budgets are tested directly. The table
// always keeps a few rows: the latest verdicts matter more than the shape of the curves.

export interface CanaryLayoutInput {
  width: number;
  height: number;
  /** lines of the stage bar (steps, phase, last verdict) */
  stageLines: number;
  /** one-line notes under it (router error, state error) */
  notes: number;
  /** analysis intervals recorded: a chart needs two points */
  intervals: number;
}

export interface CanaryLayout {
  /** three lines per colour panel (no weight bar, latencies on the traffic line) instead of four */
  compactPanels: boolean;
  /** blank rows between sections */
  gap: 0 | 1;
  /** rows of each chart's plot area; 0 when there is no room for charts */
  chartHeight: number;
  /** the error-rate and p95 charts beside each other rather than one above the other */
  chartsSideBySide: boolean;
  /** rows of the analysis table under its title and column header */
  tableRows: number;
}

/** From this many body rows: full panels and blank rows between sections. */
const ROOMY_HEIGHT = 30;
/** From this width the two charts sit side by side. */
const CHARTS_SIDE_BY_SIDE = 100;
/** a plot lower than this says too little to be worth the table rows it costs */
const MIN_CHART_HEIGHT = 4;
const MAX_CHART_HEIGHT = 12;
/** table rows kept before any chart is drawn */
const TABLE_MIN = 5;
/** table title + column header */
const TABLE_CHROME = 2;
/** panel border (2) + content lines */
const panelHeight = (compact: boolean) => (compact ? 5 : 6);
/** chart title line + plot (height + 1 lines, as asciichart draws them) */
const chartBlock = (plot: number) => plot + 2;

export function canaryLayout(input: CanaryLayoutInput): CanaryLayout {
  const { width, height, stageLines, notes, intervals } = input;
  const roomy = height >= ROOMY_HEIGHT;
  const gap: 0 | 1 = roomy ? 1 : 0;
  const compactPanels = !roomy;
  const fixed = stageLines + notes + panelHeight(compactPanels) + 2 * gap + TABLE_CHROME;
  const chartsSideBySide = width >= CHARTS_SIDE_BY_SIDE;
  let chartHeight = 0;
  if (intervals >= 2) {
    const room = height - fixed - TABLE_MIN - gap;
    const perChart = chartsSideBySide ? room : Math.floor(room / 2);
    // charts stacked cost twice the rows: let them take less of the height each
    const share = Math.ceil(height / (chartsSideBySide ? 4 : 6));
    const plot = Math.min(MAX_CHART_HEIGHT, share, perChart - 2);
    if (plot >= MIN_CHART_HEIGHT) chartHeight = plot;
  }
  const charts = chartHeight === 0 ? 0 : (chartsSideBySide ? 1 : 2) * chartBlock(chartHeight) + gap;
  return { compactPanels, gap, chartHeight, chartsSideBySide, tableRows: Math.max(0, height - fixed - charts) };
}
