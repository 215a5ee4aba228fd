import * as assert from 'node:assert/strict';
import { CONFIRM_ACTION, allowChange, protectedContextQuestion } from '../../../src/services/confirmChange';
import type { UserInterface } from '../../../src/services/ui';

/** Only `confirm` is reached by the guard; the rest fail loudly if it ever is. */
function answering(answer: boolean, asked: { message: string; detail: string; action: string }[]): UserInterface {
  const unexpected = (): never => {
    throw new Error('the guard only confirms');
  };
  return {
    confirm: async (message, detail, action) => {
      asked.push({ message, detail, action });
      return answer;
    },
    notify: unexpected,
    pick: unexpected,
    pickMany: unexpected,
    input: unexpected,
    withProgress: unexpected,
    chooseSaveFile: unexpected,
  };
}

describe('protected-context confirmation', () => {
  const what = 'Raise Envoy logging (connection problems at debug) on 1 pod of shop/frontend';

  it('asks nothing for a context no pattern matches, and goes ahead', async () => {
    const asked: { message: string; detail: string; action: string }[] = [];
    assert.equal(protectedContextQuestion('dev-1', ['*prod*'], what), undefined);
    assert.equal(await allowChange(answering(false, asked), 'dev-1', ['*prod*'], what), true);
    assert.deepEqual(asked, []);
  });

  it('asks for a protected context, names the matching pattern, and follows the answer', async () => {
    const asked: { message: string; detail: string; action: string }[] = [];
    assert.equal(await allowChange(answering(false, asked), 'eu-prod-1', ['*prod*'], what), false);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].message, `"eu-prod-1" is a protected context. ${what}?`);
    assert.match(asked[0].detail, /It matches "\*prod\*" in meshDoctor\.protectedContexts/);
    assert.equal(asked[0].action, CONFIRM_ACTION);
    assert.equal(await allowChange(answering(true, asked), 'eu-prod-1', ['*prod*'], what), true);
  });

  it('asks rather than guesses when a pattern is invalid, even for a context nothing else protects', async () => {
    const question = protectedContextQuestion('dev-1', ['/(a)\\1/'], what);
    assert.ok(question, 'an invalid entry is asked about');
    assert.match(question.message, /^meshDoctor\.protectedContexts has entries that are not valid patterns \(\/\(a\)\\1\/: .+\)\. Raise Envoy logging .* in "dev-1"\?$/);
    assert.match(question.detail, /^Fix the setting/);
  });
});
