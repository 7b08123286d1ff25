import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postRequest, takeAck, takeRequests, withdrawRequest, writeAck } from '../../../../src/adapters/state/mailbox.js';
import { tempDir } from '../../../support/cli.js';

const req = (id: string, at: number, type: 'promote' | 'abort' = 'promote') => ({ id, type, by: 'alice@laptop', at });

describe('the canary mailbox', () => {
  it('hands each request over once, oldest first', () => {
    const dir = tempDir('prodx-mailbox-');
    postRequest(dir, req('b', 20, 'abort'));
    postRequest(dir, req('a', 10));
    expect(takeRequests(dir).map((r) => r.id)).toEqual(['a', 'b']);
    expect(takeRequests(dir)).toEqual([]);
  });

  it('drops a request it cannot read or whose type it does not know, and leaves no temporary files', () => {
    const dir = tempDir('prodx-mailbox-');
    mkdirSync(join(dir, 'canary', 'requests'), { recursive: true });
    writeFileSync(join(dir, 'canary', 'requests', 'x.json'), '{not json');
    writeFileSync(join(dir, 'canary', 'requests', 'y.json'), JSON.stringify({ id: 'y', type: 'delete-everything', by: 'm', at: 1 }));
    postRequest(dir, req('ok', 1));
    expect(takeRequests(dir).map((r) => r.id)).toEqual(['ok']);
    expect(readdirSync(join(dir, 'canary', 'requests'))).toEqual([]);
  });

  it('an ack is read once; a withdrawn request is never handed over', () => {
    const dir = tempDir('prodx-mailbox-');
    expect(takeAck(dir, 'a')).toBeNull();
    writeAck(dir, { id: 'a', ok: true, message: 'promoted', at: 5 });
    expect(takeAck(dir, 'a')).toMatchObject({ ok: true, message: 'promoted' });
    expect(takeAck(dir, 'a')).toBeNull();
    postRequest(dir, req('gone', 1));
    withdrawRequest(dir, 'gone');
    expect(takeRequests(dir)).toEqual([]);
  });
});
