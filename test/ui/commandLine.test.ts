import { describe, expect, it } from 'vitest';
import { browse, complete, parseLine } from '../../src/ui/commandLine.js';
import { listOfScreen, screenDefinition } from '../../src/ui/screens/index.js';
import { verbTable } from '../../src/ui/verbs/table.js';
import { makeStore } from './helpers.js';

const table = verbTable(
  {
    commands: [
      { name: 'fault', description: 'break a target', usage: '<target> …', complete: () => ['blue', 'green'], run: () => undefined },
    ],
  },
  listOfScreen,
  (id) => screenDefinition(id).title,
);
const v = () => {
  const store = makeStore();
  store.getState().actions.setDeployment({
    live: { colour: 'blue', version: '1.4.0', since: 0 },
    colours: {},
    history: [
      { id: 'a', kind: 'deploy', version: '1.3.0', strategy: 'blue-green', by: 'a', startedAt: 1, result: 'succeeded' },
      { id: 'b', kind: 'deploy', version: '1.4.0', strategy: 'blue-green', by: 'a', startedAt: 2, result: 'succeeded' },
    ],
  });
  return { s: store.getState(), now: 0 };
};

describe('the `:` line', () => {
  it('runs any verb with its arguments, aliases included', () => {
    expect(parseLine('deploy 1.5.0', table)).toMatchObject({ verb: { name: 'deploy' }, args: ['1.5.0'] });
    expect(parseLine('  rollback ', table)).toMatchObject({ verb: { name: 'rollback' }, args: [] });
    expect(parseLine('q', table)).toMatchObject({ verb: { name: 'quit' } });
    expect(parseLine('promote full', table)).toMatchObject({ verb: { name: 'promote' }, args: ['full'] });
    expect(parseLine('screen canary', table)).toMatchObject({ verb: { name: 'screen' }, args: ['canary'] });
    expect(parseLine('evaluate user-1 country=DE plan=pro', table)).toMatchObject({ args: ['user-1', 'country=DE', 'plan=pro'] });
    expect(parseLine('', table)).toBeNull();
  });

  it('an unknown verb or an argument too many is an error, never ignored', () => {
    expect(parseLine('deplyo 1.5.0', table)).toEqual({ error: 'unknown command "deplyo" (did you mean :deploy?): :help lists them' });
    expect(parseLine('rollback now', table)).toEqual({ error: ':rollback takes no arguments (got "now")' });
    expect(parseLine('deploy 1.5.0 2.0.0', table)).toEqual({ error: ':deploy takes <version>, not "1.5.0 2.0.0"' });
  });

  it('completes verbs and their arguments', () => {
    expect(complete('dep', table, v())).toEqual({ text: 'deploy ', candidates: [] });
    expect(complete('r', table, v()).candidates).toEqual(expect.arrayContaining(['rollback', 'refresh', 'resume', 'rollout', 'rb', 'rum']));
    expect(complete('re', table, v())).toMatchObject({ text: 're', candidates: ['refresh', 'resume'] });
    expect(complete('deploy 1.', table, v())).toEqual({ text: 'deploy 1.', candidates: ['1.3.0', '1.4.0'] });
    expect(complete('deploy 1.3', table, v())).toEqual({ text: 'deploy 1.3.0 ', candidates: [] });
    expect(complete('fault g', table, v())).toEqual({ text: 'fault green ', candidates: [] });
    expect(complete('screen ca', table, v())).toEqual({ text: 'screen canary ', candidates: [] });
    expect(complete('xyz', table, v())).toEqual({ text: 'xyz', candidates: [] });
  });

  it('walks the history with up and down, back to what was typed', () => {
    const h = ['deploy 1.4.0', 'rollback'];
    expect(browse(h, null, -1)).toEqual({ index: 1 });
    expect(browse(h, 1, -1)).toEqual({ index: 0 });
    expect(browse(h, 0, -1)).toEqual({ index: 0 });
    expect(browse(h, 0, 1)).toEqual({ index: 1 });
    expect(browse(h, 1, 1)).toEqual({ index: null });
    expect(browse([], null, -1)).toEqual({ index: null });
  });
});
