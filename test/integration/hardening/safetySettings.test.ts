import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readConfig } from '../../../src/config';

/** Writes workspace values for the safety settings and checks that they can only tighten them. */
describe('hardening: a workspace cannot weaken the safety settings', () => {
  const keys = ['protectedContexts', 'debugLogging.autoRevertMinutes', 'tail.maxLines', 'transport'] as const;
  const config = () => vscode.workspace.getConfiguration('meshDoctor');

  async function setWorkspace(values: Partial<Record<(typeof keys)[number], unknown>>): Promise<void> {
    for (const key of keys) {
      const written = config().update(key, values[key], vscode.ConfigurationTarget.Workspace);
      // transport is application-scoped: VS Code itself may refuse the workspace write.
      await (key === 'transport' ? written.then(undefined, () => undefined) : written);
    }
  }

  afterEach(() => setWorkspace({}));

  it('ignores a workspace that drops protection, keeps levels raised forever or switches the transport', async () => {
    await setWorkspace({ protectedContexts: [], 'debugLogging.autoRevertMinutes': 0, 'tail.maxLines': 10_000_000, transport: 'kubectl' });
    assert.deepEqual(config().inspect('protectedContexts')?.workspaceValue, [], 'the workspace value was written');
    const effective = readConfig();
    assert.deepEqual(effective.protectedContexts, ['*prod*']);
    assert.equal(effective.debugLoggingAutoRevertMinutes, 10);
    assert.equal(effective.tailMaxLines, 10_000);
    assert.equal(effective.transport, 'api');
  });

  it('lets a workspace add protected contexts and shorten the limits', async () => {
    await setWorkspace({ protectedContexts: ['*live*'], 'debugLogging.autoRevertMinutes': 2, 'tail.maxLines': 500 });
    const effective = readConfig();
    assert.deepEqual(effective.protectedContexts, ['*prod*', '*live*']);
    assert.equal(effective.debugLoggingAutoRevertMinutes, 2);
    assert.equal(effective.tailMaxLines, 500);
  });
});
