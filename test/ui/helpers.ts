// Shared test helpers for the Ink UI: a fresh store and fake context per test, key escape
// sequences, and waits that poll the rendered frame (with a deadline) instead of sleeping.
import { stripVTControlCharacters } from 'node:util';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { vi, type Mock } from 'vitest';
import { createAppStore, type AppStore } from '../../src/store/createAppStore.js';
import { App } from '../../src/ui/App.js';
import type { AppOperations, UiCommand, UiContext } from '../../src/ui/context.js';

export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
  ctrlR: '\x12',
} as const;

export function makeStore(): AppStore {
  return createAppStore({
    app: 'weather',
    environment: 'production',
    environments: ['production'],
    configPath: '/tmp/x',
    monitoring: true,
    protected: false,
    canOperate: true,
    targets: [
      { name: 'blue', url: 'http://127.0.0.1:1' },
      { name: 'green', url: 'http://127.0.0.1:2' },
    ],
  });
}

type Mocked<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : T[K] };

/** App operations that record their calls; each test makes them do what it needs. */
export type FakeApp = Mocked<AppOperations> & { canOperate: boolean };

export function fakeApp(): FakeApp {
  return {
    canOperate: true,
    deploy: vi.fn(async () => {}),
    canary: vi.fn(async () => {}),
    rollback: vi.fn(async () => {}),
    canaryControl: vi.fn(async (type: string) => `${type}: done`),
    changeFlag: vi.fn(async () => ({ changed: true, summary: 'changed' })),
    evaluateFlag: vi.fn(async () => ({ value: true, variant: 'on', reason: 'STATIC' }) as never),
    refresh: vi.fn(async () => {}),
    refreshRum: vi.fn(async () => {}),
    setErrorStatus: vi.fn(async (id: string, status: string) => `${status} ${id.slice(0, 8)}`),
    stop: vi.fn(async () => true),
    cancel: vi.fn(async () => {}),
  } as FakeApp;
}

export interface FakeContext extends UiContext {
  app: FakeApp;
  onQuit: Mock<(mode: string) => void>;
}

export function makeCtx(commands: UiCommand[] = [], store: AppStore = makeStore()): FakeContext {
  return { store, commands, app: fakeApp(), onQuit: vi.fn<(mode: string) => void>() };
}

/** The frame without colours, so assertions and widths see what a person sees. */
export const plain = (frame: string | undefined): string => stripVTControlCharacters(frame ?? '');

/** Polls until `predicate` holds or the deadline passes; returns the value `read` produced. */
export async function waitFor<T>(read: () => T, predicate: (value: T) => boolean, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}; last value:\n${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until `fn` has been called once, and returns the arguments of that call. */
export async function calledOnce(fn: { mock: { calls: unknown[][] } }, what: string): Promise<unknown[]> {
  await waitFor(
    () => fn.mock.calls.length,
    (n) => n === 1,
    what,
  );
  return fn.mock.calls[0]!;
}

/** Waits until the (colour-stripped) last frame satisfies `predicate`, and returns it. */
export function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  timeoutMs?: number,
): Promise<string> {
  return waitFor(() => plain(lastFrame()), predicate, 'the frame', timeoutMs);
}

/** Ink attaches its stdin listener in an effect after the first render; keys sent before are lost. */
export function waitForInput(stdin: NodeJS.EventEmitter): Promise<number> {
  return waitFor(
    () => stdin.listenerCount('readable'),
    (n) => n > 0,
    'the app to listen to stdin',
  );
}

/** Gives the test stdout a terminal size and tells the app, as a real resize would. */
export function resize(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}

/** Longest line of the frame, in terminal columns (colours stripped). */
export const widestLine = (frame: string): number => Math.max(...frame.split('\n').map((l) => [...l].length));

/** Renders the App with a fake context, sized like a terminal, and waits until keys are heard. */
export async function renderApp(ctx: UiContext, size?: { columns: number; rows: number }) {
  const result = render(createElement(App, { ctx }));
  if (size) resize(result.stdout, size.columns, size.rows);
  await waitForInput(result.stdin);
  await waitForFrame(result.lastFrame, (f) => f.includes('Dashboard'));
  /** writes one key and waits for the frame to satisfy `until` */
  const press = async (key: string, until: (frame: string) => boolean) => {
    result.stdin.write(key);
    return waitForFrame(result.lastFrame, until);
  };
  return { ...result, press };
}
