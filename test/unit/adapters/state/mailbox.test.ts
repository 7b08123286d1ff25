import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localMailbox } from '../../../../src/adapters/state/mailbox.js';
import { tempDir } from '../../../support/cli.js';

const req = (id: string, at: number, type: 'promote' | 'abort' = 'promote') => ({ id, type, by: 'alice@laptop', at });

describe('the canary mailbox', () => {
  it('hands each request over once, oldest first', async () => {
    const box = localMailbox(tempDir('prodx-mailbox-'));
    await box.post('production', req('b', 20, 'abort'));
    await box.post('production', req('a', 10));
    expect((await box.take('production')).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await box.take('production')).toEqual([]);
  });

  it('keeps each environment apart: a staging runner never takes production requests', async () => {
    const box = localMailbox(tempDir('prodx-mailbox-'));
    await box.post('production', req('p', 1));
    expect(await box.take('staging')).toEqual([]);
    expect((await box.take('production')).map((r) => r.id)).toEqual(['p']);
  });

  it('drops a request it cannot read or whose type it does not know, and leaves no temporary files', async () => {
    const dir = tempDir('prodx-mailbox-');
    const box = localMailbox(dir);
    const requests = join(dir, 'canary', 'production', 'requests');
    mkdirSync(requests, { recursive: true });
    writeFileSync(join(requests, 'x.json'), '{not json');
    writeFileSync(join(requests, 'y.json'), JSON.stringify({ id: 'y', type: 'delete-everything', by: 'm', at: 1 }));
    await box.post('production', req('ok', 1));
    expect((await box.take('production')).map((r) => r.id)).toEqual(['ok']);
    expect(readdirSync(requests)).toEqual([]);
  });

  it('an ack is read once; a withdrawn request is never handed over', async () => {
    const box = localMailbox(tempDir('prodx-mailbox-'));
    expect(await box.takeAck('production', 'a')).toBeNull();
    await box.ack('production', { id: 'a', ok: true, message: 'promoted', at: 5 });
    expect(await box.takeAck('production', 'a')).toMatchObject({ ok: true, message: 'promoted' });
    expect(await box.takeAck('production', 'a')).toBeNull();
    await box.post('production', req('gone', 1));
    await box.withdraw('production', 'gone');
    expect(await box.take('production')).toEqual([]);
  });
});
