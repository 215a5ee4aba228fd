import * as assert from 'node:assert/strict';
import { cliRemedyText } from '../../../src/cli/clusterHints';
import { REMEDY_OF_EVERY_KIND } from '../kube/remedySamples';

describe('CLI cluster hints', () => {
  it('never names an editor setting, for any remedy', () => {
    for (const remedy of [...Object.values(REMEDY_OF_EVERY_KIND), { kind: 'kubeconfig', problem: 'unreadable' } as const, { kind: 'context', known: [] } as const]) {
      assert.doesNotMatch(cliRemedyText(remedy), /meshDoctor\./, remedy.kind);
    }
  });

  it('names the flag or variable that changes what failed', () => {
    assert.match(cliRemedyText({ kind: 'kubeconfig', problem: 'missing' }), /--kubeconfig FILE or KUBECONFIG/);
    assert.match(cliRemedyText({ kind: 'kubeconfig', problem: 'unreadable' }), /--kubeconfig \/ KUBECONFIG/);
    assert.match(cliRemedyText(REMEDY_OF_EVERY_KIND.context), /--context: prod, dev/);
    assert.match(cliRemedyText(REMEDY_OF_EVERY_KIND.timeout), /--timeout SECONDS/);
    assert.match(cliRemedyText(REMEDY_OF_EVERY_KIND['kubectl-path']), /--kubectl PATH.*--transport api/);
    assert.match(cliRemedyText(REMEDY_OF_EVERY_KIND.rbac), /--transport kubectl/);
  });

  it('words a refused permission once: the alternative is added only when there is one', () => {
    assert.equal(cliRemedyText({ kind: 'rbac', action: 'list pods in namespace shop' }), 'ask your cluster admin for permission to list pods in namespace shop');
  });
});
