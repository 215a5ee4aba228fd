import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/explorer/events';

describe('explorer events (Emitter)', () => {
  it('delivers to each subscription until it is disposed; a function subscribed twice needs two disposes', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const listener = (n: number) => seen.push(n);
    const first = emitter.event(listener);
    const second = emitter.event(listener);
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    second.dispose();
    emitter.fire(3);
    assert.deepEqual(seen, [1, 1, 2]);
  });

  it('a listener disposed during a delivery still gets that event, and no later one', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    let later: { dispose(): void } | undefined;
    emitter.event(() => later?.dispose());
    later = emitter.event((e) => seen.push(e));
    emitter.fire('a');
    emitter.fire('b');
    assert.deepEqual(seen, ['a']);
  });

  it('dispose drops every listener', () => {
    const emitter = new Emitter<void>();
    let calls = 0;
    emitter.event(() => calls++);
    emitter.dispose();
    emitter.fire();
    assert.equal(calls, 0);
  });
});
