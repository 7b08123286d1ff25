// Reads prodx.config.json text: JSON with comments (jsonc-parser, which says where the syntax
// breaks), then the zod schema. Its own module so that `loadConfig` imports the schema (and zod)
// only when the config cache does not already hold this exact text's result.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { configSchema, type Config } from '../../core/config/schema.js';
import { describeIssue, knownKeysAt, type ConfigProblem } from '../../core/config/issues.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { MAX_JSON_DEPTH, textDeeperThan } from '../../core/jsonDepth.js';

/** "PropertyNameExpected" → "property name expected" */
const words = (code: string) => code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length} column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * The config is JSON with comments allowed (like tsconfig.json), so `prodx init` can explain
 * every field in place; jsonc-parser reads it and reports where the syntax breaks.
 */
export function parseConfig(text: string, file: string): Config {
  if (textDeeperThan(text))
    throw new ProdxError(
      'config-invalid',
      `${file} nests deeper than ${MAX_JSON_DEPTH} levels: no prodx config needs that. Fix the file and run the command again.`,
    );
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || raw === undefined) {
    const e = errors[0];
    const where = e ? ` (${lineColumn(text, e.offset)}: ${words(printParseErrorCode(e.error))})` : ' (the file is empty)';
    throw new ProdxError('config-invalid-json', `${file} is not valid JSON${where}. Fix the syntax and run the command again.`);
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.flatMap((i) => describeIssue(i, raw, (p) => knownKeysAt(configSchema, p)));
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new ProdxError('config-invalid', `${file}: ${first.path}: ${first.message}${more}`, ExitCode.badInput, { file, problems });
}
