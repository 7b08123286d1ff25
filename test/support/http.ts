// One HTTP request to a test server, with its status, headers and JSON body (the collector tests).
import { request as httpRequest, type Agent } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}
export function send(
  url: string,
  o: { method?: string; body?: string | Buffer; headers?: Record<string, string>; agent?: Agent; path?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${o.path ?? '/v1/rum'}`,
      { method: o.method ?? 'POST', headers: o.headers ?? {}, ...(o.agent ? { agent: o.agent } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
