import * as assert from 'node:assert/strict';
import { dns1123LabelProblem, dns1123SubdomainProblem, parseNamespacedPod, podNameProblem } from '../../../src/core/kubeNames';
import { kubectlLogsArgs, pilotAgentRequestArgs } from '../../../src/kube/kubectl';
import { KubeAccessError } from '../../../src/kube/types';

describe('Kubernetes name validation', () => {
  it('accepts what the API server accepts', () => {
    assert.equal(dns1123LabelProblem('shop'), null);
    assert.equal(dns1123LabelProblem('a'.repeat(63)), null);
    assert.equal(dns1123SubdomainProblem('checkout-7d9f-abcde'), null);
    assert.equal(dns1123SubdomainProblem('cart-redis-0.v2'), null);
    assert.equal(dns1123SubdomainProblem(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`), null);
    assert.deepEqual(parseNamespacedPod('shop/checkout-1'), { namespace: 'shop', name: 'checkout-1' });
  });

  it('refuses flags, paths, dots at the edges, upper case, unicode, empty and over-long names', () => {
    for (const bad of ['--filename=x', '-x', '../x', 'x/..', 'a/b', '.x', 'x.', 'a..b', 'Checkout', 'chéckout', 'ｃheckout', 'a\u202eb', 'a b', 'a%2fb', 'a?b', '', 'a'.repeat(254)]) {
      assert.notEqual(dns1123SubdomainProblem(bad), null, JSON.stringify(bad));
    }
    assert.notEqual(dns1123LabelProblem('a.b'), null, 'a namespace has no dots');
    assert.notEqual(dns1123LabelProblem('a'.repeat(64)), null);
    assert.match(dns1123SubdomainProblem('a'.repeat(300))!, /300 characters long \(at most 253\)/);
  });

  it('says which name is wrong, quoted, cut short and with control characters made visible', () => {
    assert.match(podNameProblem('shop', '--filename=http://x')!, /^pod name "--filename=http:\/\/x" must be lowercase/);
    assert.match(podNameProblem('..', 'x')!, /^namespace "\.\." /);
    const long = podNameProblem('shop', `${'x'.repeat(300)}`)!;
    assert.ok(long.length < 200, long);
    assert.doesNotMatch(podNameProblem('shop', 'a\u001b[2Jb')!, /\u001b/);
    assert.doesNotMatch(podNameProblem('shop', 'a\u202eb')!, /\u202e/);
    assert.match(parseNamespacedPod('shop/a/b') as string, /pod name "a\/b"/);
    assert.equal(typeof parseNamespacedPod('nopod'), 'string');
  });

  it('kubectl arguments: options before operands, the pod as pod/NAME, logs end options with --, bad names refused', () => {
    const pod = { context: '-ctx', namespace: 'shop', name: 'checkout-1' };
    assert.deepEqual(pilotAgentRequestArgs(pod, 'GET', '/clusters'), ['--context=-ctx', '--namespace=shop', 'exec', '--container=istio-proxy', 'pod/checkout-1', '--', 'pilot-agent', 'request', 'GET', 'clusters']);
    assert.deepEqual(kubectlLogsArgs(pod, { container: 'istio-proxy', follow: true, timestamps: false, tailLines: 5 }), ['--context=-ctx', '--namespace=shop', 'logs', '--container=istio-proxy', '--follow', '--tail=5', '--', 'pod/checkout-1']);
    for (const name of ['--filename=http://x', '../x', '-o']) {
      assert.throws(() => pilotAgentRequestArgs({ ...pod, name }, 'GET', '/clusters'), (err: unknown) => err instanceof KubeAccessError && err.reason === 'Invalid');
      assert.throws(() => kubectlLogsArgs({ ...pod, name }, { container: 'x', follow: false, timestamps: false }), KubeAccessError);
    }
  });
});
