import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, runInteractive } from '../../src/ui/run.js';
import { makeCtx, plain, waitForInput } from './helpers.js';

/** A terminal-like stdout that records what is written. */
class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  writes: string[] = [];
  write = (chunk: string) => {
    this.writes.push(chunk);
    return true;
  };
}

/** Enough of a TTY stdin for Ink: raw mode is a no-op, keys are pushed with `type`. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read = () => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  type(data: string) {
    this.pending = data;
    this.emit('readable');
  }
}

const io = () => {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  return {
    stdout,
    stdin,
    streams: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: stdout as unknown as NodeJS.WriteStream,
      patchConsole: false,
    },
  };
};

describe('runInteractive', () => {
  it('draws on the alternate screen, quits on q, restores the screen and calls onQuit once', async () => {
    const { stdout, stdin, streams } = io();
    const ctx = makeCtx();
    const done = runInteractive(ctx, streams);
    expect(stdout.writes[0]).toBe(ENTER_ALT_SCREEN);
    await waitForInput(stdin);
    stdin.type('q');
    await done;
    // Ink writes frames as they change, or only the last one when it thinks it runs in CI
    expect(plain(stdout.writes.join(''))).toContain('1 Dashboard');
    expect(stdout.writes.at(-1)).toBe(LEAVE_ALT_SCREEN);
    expect(stdout.writes.filter((w) => w === LEAVE_ALT_SCREEN)).toHaveLength(1);
    expect(ctx.onQuit).toHaveBeenCalledTimes(1);
  });

  it('quits on ctrl+c', async () => {
    const { stdin, streams } = io();
    const ctx = makeCtx();
    const done = runInteractive(ctx, streams);
    await waitForInput(stdin);
    stdin.type('\x03');
    await done;
    expect(ctx.onQuit).toHaveBeenCalledTimes(1);
  });

  it('restores the screen when the app crashes, and still reports the quit', async () => {
    const { stdout, streams } = io();
    const ctx = makeCtx();
    const broken = {
      ...ctx,
      store: {
        ...ctx.store,
        getState: () => {
          throw new Error('state is corrupt');
        },
      },
    };
    await expect(runInteractive(broken, streams)).rejects.toThrow('state is corrupt');
    expect(stdout.writes[0]).toBe(ENTER_ALT_SCREEN);
    expect(stdout.writes.at(-1)).toBe(LEAVE_ALT_SCREEN);
    expect(ctx.onQuit).toHaveBeenCalledTimes(1);
  });

  it('does not touch the alternate screen when stdout is not a terminal', async () => {
    const { stdout, stdin, streams } = io();
    stdout.isTTY = false;
    const done = runInteractive(makeCtx(), streams);
    await waitForInput(stdin);
    stdin.type('q');
    await done;
    expect(stdout.writes).not.toContain(ENTER_ALT_SCREEN);
    expect(stdout.writes).not.toContain(LEAVE_ALT_SCREEN);
  });
});
