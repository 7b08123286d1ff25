// A request body as Sentry's ingestion reads it: decompressed (gzip, deflate, br; zstd and others
// get a clear 415), with the size limit enforced while it streams, before and after
// decompression, so a small gzip bomb is refused at the limit instead of filling memory.
import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';

/** an answer that is not 200: status, a stable reason, and the detail a person reads */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** the body, decompressed, with the limits enforced while it streams */
export function readBody(req: IncomingMessage, max: number, done: (err: Refusal | null, body?: Buffer) => void): void {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  let stream: IncomingMessage | Gunzip;
  if (encoding === 'identity' || encoding === '') stream = req;
  else if (encoding === 'gzip' || encoding === 'x-gzip') stream = req.pipe(createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(createInflate());
  else if (encoding === 'br') stream = req.pipe(createBrotliDecompress());
  else {
    req.resume();
    return done(
      new Refusal(
        415,
        'unsupported-encoding',
        `Content-Encoding ${encoding.slice(0, 20)} is not supported${encoding === 'zstd' ? ' (zstd)' : ''}: send gzip, deflate, br or none`,
      ),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return done(new Refusal(413, 'too-large', `the body is over ${max} bytes`, { connection: 'close' }));
  }
  let raw = 0;
  if (stream !== req)
    req.on('data', (c: Buffer) => {
      raw += c.length;
      if (raw > max) fail(new Refusal(413, 'too-large', `the body is over ${max} bytes`, { connection: 'close' }));
    });
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const fail = (r: Refusal) => {
    if (finished) return;
    finished = true;
    if (stream !== req) (stream as Gunzip).destroy();
    req.resume();
    done(r);
  };
  stream.on('data', (c: Buffer) => {
    if (finished) return;
    size += c.length;
    if (size > max) fail(new Refusal(413, 'too-large', `the envelope is over ${max} bytes after decompression`, { connection: 'close' }));
    else chunks.push(c);
  });
  stream.on('error', () => fail(new Refusal(400, 'bad-encoding', `the body is not valid ${encoding}`)));
  stream.on('end', () => {
    if (finished) return;
    finished = true;
    done(null, Buffer.concat(chunks));
  });
}
