/**
 * Which policy and which Service a cross-file rule joins, in the shapes real repositories write:
 * Kiali's validation test data (github.com/kiali/kiali, tests/data, Apache-2.0: one file per case,
 * each with its own mesh-wide PeerAuthentication, beside other suites' files), wildcard
 * DestinationRule hosts, and a MySQL Service in a repository that uses no Istio at all.
 */
import * as assert from 'node:assert/strict';
import { crossFileFindings, lintManifest, type FileFacts } from '../../../../src/core/lint';

const facts = (file: string, text: string): FileFacts => ({ file, facts: lintManifest(text, { minimumSeconds: 10, readWorkloads: true }).facts });
const found = (files: FileFacts[]): string[] => crossFileFindings(files).map((f) => `${f.file}:${f.finding.range.start.line + 1} ${f.finding.code}`);

const peer = (name: string, namespace: string, mode: string, selector?: string): string =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n` +
  (selector === undefined ? '' : `  selector:\n    matchLabels:\n      app: ${selector}\n`) + `  mtls:\n    mode: ${mode}\n`;
const disabledRule = (name: string, namespace: string, host: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  host: "${host}"\n` +
  '  trafficPolicy:\n    tls:\n      mode: DISABLE\n';

describe('cross-file rules join the nearest policy and only what Istio would join', () => {
  it('takes the mesh-wide policy written in the rule\'s own file over another suite\'s STRICT one', () => {
    const own = `${peer('disable-mesh-mtls', 'istio-system', 'DISABLE')}---\n${disabledRule('grafana', 'istio-system', 'grafana.istio-system.svc.cluster.local')}`;
    assert.deepEqual(found([
      facts('tests/data/loader/basic.yaml', peer('default', 'istio-system', 'STRICT')),
      facts('tests/data/validations/peerauthentications/disabled_meshwide_checker_3.yaml', own),
    ]), []);
  });

  it('does not call a host STRICT when its Service is unknown and a workload policy of the namespace relaxes mTLS', () => {
    // The Service beside the rule has labels but no name, so the host's pods are not known.
    const file = [peer('default-policy', 'bookinfo', 'STRICT'), peer('ratings-policy', 'bookinfo', 'DISABLE', 'ratings'), disabledRule('ratings-mtls', 'bookinfo', 'ratings'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: ratings\nspec:\n  ports:\n  - name: http\n    port: 9080\n  selector:\n    app: ratings\n'].join('---\n');
    assert.deepEqual(found([facts('validations/authorization/mtls_enabled_checker_19.yaml', file)]), []);
  });

  it('judges a wildcard host against the namespace or mesh-wide policy it reaches', () => {
    assert.deepEqual(found([facts('dr/meshwide.yaml', `${disabledRule('disable-mesh', 'bookinfo', '*.local')}---\n${peer('default', 'istio-system', 'STRICT')}`)]),
      ['dr/meshwide.yaml:10 mtls-disabled-under-strict']);
    assert.deepEqual(found([facts('dr/namespace.yaml', `${disabledRule('disable-ns', 'bookinfo', '*.bookinfo.svc.cluster.local')}---\n${peer('default', 'istio-system', 'STRICT')}`)]),
      ['dr/namespace.yaml:10 mtls-disabled-under-strict']);
    // The namespace's own policy agrees with the rule: nothing to report.
    assert.deepEqual(found([facts('dr/agree.yaml', [disabledRule('disable-ns', 'bookinfo', '*.bookinfo.svc.cluster.local'), peer('default', 'istio-system', 'STRICT'), peer('ns', 'bookinfo', 'DISABLE')].join('---\n'))]), []);
  });

  it('reports nothing when equally near policies for one scope disagree (Istio takes the oldest)', () => {
    const file = [peer('strict-ns', 'bookinfo', 'STRICT'), peer('disable-ns', 'bookinfo', 'DISABLE'), disabledRule('disable', 'bookinfo', '*.bookinfo.svc.cluster.local')].join('---\n');
    assert.deepEqual(found([facts('references/peer-auth-drs.yaml', file)]), []);
  });

  it('judges an unnamed MySQL port only where the configuration uses Istio', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: mysql\nspec:\n  ports:\n  - port: 3306\n  selector:\n    app: mysql\n';
    assert.deepEqual(found([facts('db/service.yaml', service)]), []);
    const gateway = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingressgateway\n  servers: []\n';
    assert.deepEqual(found([facts('db/service.yaml', service), facts('mesh/gateway.yaml', gateway)]), ['db/service.yaml:7 protocol-sniffing-server-first']);
  });
});
