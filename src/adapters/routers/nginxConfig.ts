// Pure rendering and parsing of the nginx upstream file prodx manages. Hand-written because no
// maintained JS library parses nginx config (crossplane is Python); the subset needed here —
// statements, one level of blocks, comments, quotes — is small. No I/O, so it is unit-tested.

export interface UpstreamServer {
  /** host:port exactly as written, e.g. `127.0.0.1:8081` or `unix:/run/app.sock` */
  address: string;
  /** nginx's weight (1 when not written); 0 is never written, `down` is */
  weight: number;
  down: boolean;
  backup: boolean;
  /** other parameters (max_fails=3, fail_timeout=10s …), kept when the file is rewritten */
  params: string[];
}

export interface ParsedUpstreamFile {
  /** the servers of the named upstream block; undefined when the file has no such block */
  servers: UpstreamServer[] | undefined;
  /** directives in the block other than `server` (keepalive 16, zone …), as written */
  directives: string[];
  /** top-level statements other than the block, e.g. another upstream: prodx would drop them */
  others: string[];
}

export const DEFAULT_DIRECTIVES = ['keepalive 16'];
const HEADER = '# managed by prodx: rewritten whole on every switch; change weights with prodx, not by hand.';

/** A syntax problem, with the line it is on; the caller turns it into a ProdxError. */
export class UpstreamSyntaxError extends Error {}

interface Token {
  text: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === '\n') line += 1;
    if (/\s/.test(ch)) i += 1;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i += 1;
    else if (ch === '{' || ch === '}' || ch === ';') {
      tokens.push({ text: ch, line });
      i += 1;
    } else {
      const start = i;
      if (ch === '"' || ch === "'") {
        i += 1;
        while (i < text.length && text[i] !== ch) i += text[i] === '\\' ? 2 : 1;
        if (i >= text.length) throw new UpstreamSyntaxError(`unterminated quote on line ${line}`);
        i += 1;
      } else while (i < text.length && !/[\s{};#]/.test(text[i]!)) i += 1;
      tokens.push({ text: text.slice(start, i), line });
    }
  }
  return tokens;
}

/** Splits tokens into top-level statements: `words;` or `words { statements }`. */
function statements(tokens: Token[]): Array<{ words: Token[]; block?: Token[][] }> {
  const out: Array<{ words: Token[]; block?: Token[][] }> = [];
  let words: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === ';') {
      out.push({ words });
      words = [];
    } else if (t.text === '}') throw new UpstreamSyntaxError(`unexpected "}" on line ${t.line}`);
    else if (t.text === '{') {
      const block: Token[][] = [];
      let inner: Token[] = [];
      for (i += 1; i < tokens.length && tokens[i]!.text !== '}'; i++) {
        const u = tokens[i]!;
        if (u.text === '{') throw new UpstreamSyntaxError(`nested block on line ${u.line} is not expected in an upstream file`);
        if (u.text !== ';') inner.push(u);
        else {
          block.push(inner);
          inner = [];
        }
      }
      if (i >= tokens.length) throw new UpstreamSyntaxError(`block opened on line ${t.line} is never closed with "}"`);
      if (inner.length > 0)
        throw new UpstreamSyntaxError(`missing ";" after "${inner.map((w) => w.text).join(' ')}" on line ${inner[0]!.line}`);
      out.push({ words, block });
      words = [];
    } else words.push(t);
  }
  if (words.length > 0)
    throw new UpstreamSyntaxError(`missing ";" after "${words.map((w) => w.text).join(' ')}" on line ${words[0]!.line}`);
  return out;
}

function parseServer(words: string[]): UpstreamServer {
  const [address = '', ...rest] = words;
  const server: UpstreamServer = { address, weight: 1, down: false, backup: false, params: [] };
  for (const p of rest) {
    if (p === 'down') server.down = true;
    else if (p === 'backup') server.backup = true;
    else if (/^weight=\d+$/.test(p)) server.weight = Number(p.slice('weight='.length));
    else server.params.push(p);
  }
  return server;
}

/** Reads the named upstream block out of a file's text. Throws UpstreamSyntaxError. */
export function parseUpstreamFile(text: string, upstream: string): ParsedUpstreamFile {
  const result: ParsedUpstreamFile = { servers: undefined, directives: [], others: [] };
  for (const st of statements(tokenize(text))) {
    const words = st.words.map((w) => w.text);
    if (st.block && words[0] === 'upstream' && words[1] === upstream && words.length === 2 && result.servers === undefined) {
      result.servers = [];
      for (const inner of st.block) {
        const iw = inner.map((w) => w.text);
        if (iw[0] === 'server') result.servers.push(parseServer(iw.slice(1)));
        else if (iw.length > 0) result.directives.push(iw.join(' '));
      }
    } else result.others.push(st.block ? `${words.join(' ')} { … }` : words.join(' '));
  }
  return result;
}

/** `http://127.0.0.1:8081` → `127.0.0.1:8081`: how nginx names the same server. */
export function addressOf(targetUrl: string): string {
  const url = new URL(targetUrl);
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`.toLowerCase();
}

/** nginx's default port is 80 when a server line has none; unix sockets are left as written. */
function normalisedAddress(address: string): string {
  const a = address.toLowerCase();
  if (a.startsWith('unix:')) return a;
  return /:\d+$/.test(a) ? a : `${a}:80`;
}

/** The colour whose target is this server, or undefined when it is no target of prodx's. */
export function colourOfServer(address: string, targets: Record<string, string>): string | undefined {
  const a = normalisedAddress(address);
  return Object.keys(targets).find((colour) => addressOf(targets[colour]!) === a);
}

/**
 * Whole percentages that add up to 100 (largest remainder), keyed by colour; servers of no
 * colour (key null) count toward the total, so a colour's share is its real share of traffic.
 */
export function toPercent(entries: ReadonlyArray<readonly [string | null, number]>): Record<string, number> {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const byKey = new Map<string | null, number>();
  for (const [k, w] of entries) byKey.set(k, (byKey.get(k) ?? 0) + w);
  const rows = [...byKey].map(([k, w]) => {
    const exact = total > 0 ? (w * 100) / total : 0;
    return { k, value: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let missing = total > 0 ? 100 - rows.reduce((s, r) => s + r.value, 0) : 0;
  for (const r of [...rows].sort((a, b) => b.rest - a.rest)) if (missing-- > 0) r.value += 1;
  return Object.fromEntries(rows.filter((r) => r.k !== null).map((r) => [r.k!, r.value]));
}

/** Traffic share per colour from parsed servers: `down` and `backup` carry none. */
export function weightsOfServers(servers: readonly UpstreamServer[], targets: Record<string, string>): Record<string, number> {
  const entries = servers.map((s) => [colourOfServer(s.address, targets) ?? null, s.down || s.backup ? 0 : s.weight] as const);
  const percent = toPercent(entries);
  // A target listed only with `down` still shows, at 0, so the caller knows nginx has it.
  for (const [colour] of entries) if (colour !== null) percent[colour] ??= 0;
  return percent;
}

export interface RenderInput {
  upstream: string;
  /** colour → percent; colours of `targets` missing here are written `down` */
  weights: Record<string, number>;
  targets: Record<string, string>;
  /** from the previous file, so a user's keepalive/zone settings survive a switch */
  directives?: string[];
  /** extra server parameters per address from the previous file (max_fails=… and the like) */
  params?: Record<string, string[]>;
}

/** The whole upstream file for these weights; weight 0 becomes `down` (nginx weights are ≥ 1). */
export function renderUpstreamFile(input: RenderInput): string {
  const summary = Object.keys(input.targets)
    .map((c) => `${c}=${input.weights[c] ?? 0}`)
    .join(' ');
  const lines = Object.keys(input.targets).map((colour) => {
    const address = addressOf(input.targets[colour]!);
    const weight = input.weights[colour] ?? 0;
    const params = input.params?.[address] ?? [];
    return `    server ${[address, weight > 0 ? `weight=${weight}` : 'down', ...params].join(' ')};`;
  });
  const directives = (input.directives && input.directives.length > 0 ? input.directives : DEFAULT_DIRECTIVES).map((d) => `    ${d};`);
  return `${HEADER}\n# weights: ${summary}\nupstream ${input.upstream} {\n${[...lines, ...directives].join('\n')}\n}\n`;
}
