// One flag in full: variants, the targeting rules one per line, the rollout, the last
// evaluation, the experiment results and the audit history. Sections take the rows they need
// in that order and the audit history gets the rest, so a tall terminal shows more history.
import { Box, Text } from 'ink';
import type { ExperimentResult } from '../../../core/flags/experiment/analyze.js';
import type { AuditEntry, FlagSummary } from '../../../core/flags/types.js';
import type { FlagsEvaluationView } from '../../../core/flags/view.js';
import { formatTime } from '../../format.js';
import { ExperimentTable, experimentRows } from './ExperimentTable.js';
import { RolloutBar } from './RolloutBar.js';
import { Stack } from '../Stack.js';

export interface FlagDetailProps {
  flag: FlagSummary;
  audit: readonly AuditEntry[];
  experiment: ExperimentResult | undefined;
  evaluation: FlagsEvaluationView | null;
  evaluations: number | undefined;
  width: number;
  height: number;
}

const value = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
};

/** "if a → x; else if b → y; else z" as one line per branch. */
export const ruleLines = (words: string): string[] => words.split('; ');

/** JSON with anything that fits `width` on one line kept on one line: ["on", 25] stays a pair. */
export function compactJson(value: unknown, width: number, indent = ''): string[] {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= width || value === null || typeof value !== 'object') return [indent + flat];
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((v) => ['', v] as const)
    : Object.entries(value).map(([k, v]) => [`${JSON.stringify(k)}: `, v] as const);
  const lines = [indent + (Array.isArray(value) ? '[' : '{')];
  entries.forEach(([key, v], i) => {
    const body = compactJson(v, width - key.length, inner);
    body[0] = inner + key + body[0]!.slice(inner.length);
    if (i < entries.length - 1) body[body.length - 1] += ',';
    lines.push(...body);
  });
  lines.push(indent + (Array.isArray(value) ? ']' : '}'));
  return lines;
}

/** The rules as flagd reads them, for the rows left over. */
export const jsonLines = (rules: Record<string, unknown> | null, width: number): string[] => (rules ? compactJson(rules, width) : []);

/** How the detail shares its rows: fixed sections first, then the history, then the JSON rules. Pure. */
export function detailRows(o: Pick<FlagDetailProps, 'flag' | 'audit' | 'experiment' | 'evaluation' | 'width' | 'height'>) {
  const { flag, audit, experiment, evaluation, width, height } = o;
  const rules = ruleLines(flag.targeting);
  const mine = audit.filter((a) => a.flag === flag.key);
  const barCells = Math.max(10, Math.min(40, width - 30));
  // fixed rows: title, variants, "Targeting", rules, rollout, blank + "History"
  let left = height - 6 - rules.length;
  const evalRows = evaluation && evaluation.result.flag === flag.key ? 1 : 0;
  left -= evalRows;
  const showExperiment = experiment !== undefined && left >= experimentRows(experiment, 1) + 3;
  // as many lines as the verdict needs at this width, up to 3, as the room allows
  const verdictNeeds = experiment ? Math.min(3, Math.ceil(experiment.verdict.length / Math.max(1, width))) : 1;
  const verdictLines = showExperiment ? Math.max(1, Math.min(verdictNeeds, left - experimentRows(experiment!, 0) - 4)) : 1;
  if (showExperiment) left -= experimentRows(experiment!, verdictLines) + 1;
  // the history first (with its "… N older" line), then the JSON rules get what is left
  const historyRows = Math.max(0, mine.length > left ? left - 1 : Math.min(mine.length, left));
  left -= mine.length > historyRows ? historyRows + 1 : historyRows;
  const json = jsonLines(flag.rules, width);
  const jsonRows = left >= 3 && json.length > 0 ? Math.min(json.length, left - 2) : 0;
  return { rules, mine, barCells, evalRows, showExperiment, verdictLines, historyRows, json, jsonRows };
}

function History({ mine, rows: historyRows }: { mine: readonly AuditEntry[]; rows: number }) {
  return (
    <>
      <Text bold>
        History{' '}
        <Text dimColor>
          ({mine.length === 0 ? 'no changes recorded by prodx yet' : `${mine.length} change${mine.length === 1 ? '' : 's'}, newest first`})
        </Text>
      </Text>
      {mine.slice(0, historyRows).map((a) => (
        <Text key={`${a.at}-${a.summary}`} wrap="truncate">
          {formatTime(a.at)} <Text bold>{a.summary}</Text>{' '}
          <Text dimColor>
            by {a.by} in {a.environment}
          </Text>
        </Text>
      ))}
      {mine.length > historyRows ? <Text dimColor>… {mine.length - historyRows} older</Text> : null}
    </>
  );
}

function Rules({ json, rows: jsonRows }: { json: readonly string[]; rows: number }) {
  return (
    <Box marginTop={1} flexDirection="column">
      <Text bold>
        Rules <Text dimColor>(flagd JsonLogic, as in the file)</Text>
      </Text>
      {json.slice(0, jsonRows).map((line, i) => (
        <Text key={i} wrap="truncate" dimColor>
          {i === jsonRows - 1 && jsonRows < json.length ? '…' : line}
        </Text>
      ))}
    </Box>
  );
}

export function FlagDetail({ flag, audit, experiment, evaluation, evaluations, width, height }: FlagDetailProps) {
  const { rules, mine, barCells, evalRows, showExperiment, verdictLines, historyRows, json, jsonRows } = detailRows({
    flag,
    audit,
    experiment,
    evaluation,
    width,
    height,
  });
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Stack width={width}>
        <Text wrap="truncate">
          <Text bold color="cyan">
            {flag.key}
          </Text>{' '}
          {flag.state === 'ENABLED' ? (
            <Text color="green">● enabled</Text>
          ) : (
            <Text color="gray">○ disabled (apps get their code default)</Text>
          )}
          <Text dimColor>
            {' '}
            · {flag.type} · default {flag.defaultVariant ?? '(code default)'}
            {evaluations !== undefined ? ` · ${evaluations.toLocaleString('en-US')} evaluations served` : ''}
          </Text>
        </Text>
        <Text wrap="truncate">
          <Text dimColor>variants </Text>
          {Object.entries(flag.variants)
            .map(([k, v]) => `${k} = ${value(v)}`)
            .join(' · ')}
        </Text>
        {flag.problem !== undefined ? (
          <Text wrap="wrap" color="yellow">
            ⚠ {flag.problem} (flagd&apos;s checks fail; served as flagd serves it)
          </Text>
        ) : null}
        <Text bold>Targeting</Text>
        {rules.map((line, i) => (
          <Text key={i} wrap="truncate">
            {'  '}
            {line}
          </Text>
        ))}
        <Box>
          <Text dimColor>rollout </Text>
          <RolloutBar flag={flag} cells={barCells} showVariant />
        </Box>
        {evalRows ? (
          <Text wrap="truncate">
            <Text dimColor>last evaluation </Text>
            {evaluation!.context['targetingKey'] as string}{' '}
            <Text dimColor>
              {JSON.stringify(Object.fromEntries(Object.entries(evaluation!.context).filter(([k]) => k !== 'targetingKey')))}
            </Text>{' '}
            →{' '}
            {evaluation!.result.variant !== undefined
              ? `${value(evaluation!.result.value)} (${evaluation!.result.variant}, ${evaluation!.result.reason})`
              : `code default (${evaluation!.result.errorCode ?? evaluation!.result.reason})`}
          </Text>
        ) : null}
        {showExperiment ? (
          <Box marginTop={1}>
            <ExperimentTable result={experiment!} width={width} verdictLines={verdictLines} />
          </Box>
        ) : null}
        <Box marginTop={1} flexDirection="column">
          <History mine={mine} rows={historyRows} />
        </Box>
        {jsonRows > 0 ? <Rules json={json} rows={jsonRows} /> : null}
      </Stack>
    </Box>
  );
}
