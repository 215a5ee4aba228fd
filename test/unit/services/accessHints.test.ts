import * as assert from 'node:assert/strict';
import { cliRemedyText } from '../../../src/cli/clusterHints';
import { accessHint, describeAccessFailure } from '../../../src/services/accessHints';
import { KubeAccessError, KubeTimeoutError } from '../../../src/kube/types';
import { REMEDY_OF_EVERY_KIND } from '../kube/remedySamples';

describe('extension access hints', () => {
  it('names the meshDoctor setting that changes what failed', () => {
    assert.match(accessHint({ kind: 'kubeconfig', problem: 'missing' }), /meshDoctor\.kubeconfig or KUBECONFIG/);
    assert.match(accessHint({ kind: 'kubeconfig', problem: 'unreadable' }), /meshDoctor\.kubeconfig setting \/ KUBECONFIG/);
    assert.match(accessHint(REMEDY_OF_EVERY_KIND.timeout), /meshDoctor\.requestTimeoutSeconds/);
    assert.match(accessHint(REMEDY_OF_EVERY_KIND['kubectl-path']), /meshDoctor\.kubectlPath.*meshDoctor\.transport to api/);
    assert.match(accessHint(REMEDY_OF_EVERY_KIND.rbac), /set meshDoctor\.transport to kubectl/);
    assert.match(accessHint(REMEDY_OF_EVERY_KIND['no-sidecar']), /Mesh explorer/);
  });

  it('never names a CLI flag, for any remedy', () => {
    for (const remedy of Object.values(REMEDY_OF_EVERY_KIND)) assert.doesNotMatch(accessHint(remedy), /(^|\s)--[a-z]/, remedy.kind);
  });

  it('words a refused permission as the CLI does, up to the front end\'s alternative', () => {
    const plain = { kind: 'rbac', action: 'list pods in namespace shop' } as const;
    assert.equal(accessHint(plain), cliRemedyText(plain));
    assert.ok(accessHint(REMEDY_OF_EVERY_KIND.rbac).startsWith('ask your cluster admin for permission to create pods/portforward in namespace shop (pods/exec is the fallback), or '));
  });

  it('describes a cluster failure with its hint, anything else by its message', () => {
    assert.equal(describeAccessFailure(new KubeTimeoutError('timed out after 3 s waiting for the API server', 3)), `timed out after 3 s waiting for the API server (${accessHint({ kind: 'timeout' })})`);
    assert.equal(describeAccessFailure(new KubeAccessError('cannot list pods', { kind: 'check', advice: 'retry' })), 'cannot list pods (retry)');
    assert.equal(describeAccessFailure(new Error('boom')), 'boom');
    assert.equal(describeAccessFailure('plain'), 'plain');
  });
});
