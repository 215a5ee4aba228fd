import * as assert from 'node:assert/strict';
import { appContainers, detectSidecar, hasEnvoySidecar, imageTag, summarizePod, type PodLike } from '../../../src/core/pods';

function pod(partial: PodLike): PodLike {
  return { metadata: { name: 'p', namespace: 'shop', ...partial.metadata }, spec: partial.spec, status: partial.status };
}

describe('sidecar detection', () => {
  it('finds an istio-proxy container and reads the version from the image tag', () => {
    const p = pod({ spec: { containers: [{ name: 'app', image: 'shop/checkout:3' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.3' }] } });
    assert.deepEqual(detectSidecar(p), { kind: 'container', version: '1.22.3' });
  });

  it('finds a native sidecar (init container with restartPolicy Always) but not a plain init container', () => {
    const native = pod({ spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'istio-proxy', image: 'gcr.io/istio-release/proxyv2:1.24.0-distroless', restartPolicy: 'Always' }] } });
    assert.deepEqual(detectSidecar(native), { kind: 'native', version: '1.24.0' });
    const plainInit = pod({ spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'istio-proxy' }] } });
    assert.equal(detectSidecar(plainInit), null);
  });

  it('takes the injection annotation alone for no sidecar (no istio-proxy to ask), as every feature does', () => {
    const annotated = pod({ metadata: { annotations: { 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}', 'sidecar.istio.io/proxyImage': 'reg.local:5000/istio/proxyv2:1.21.1' } }, spec: { containers: [{ name: 'app' }] } });
    assert.equal(detectSidecar(annotated), null);
    assert.equal(hasEnvoySidecar(annotated), false);
    assert.deepEqual(appContainers(annotated), ['app']);
    assert.equal(detectSidecar(pod({ spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } })), null);
  });

  it('reads image tags past a registry port and digest; `latest` is not a version', () => {
    assert.equal(imageTag('reg.local:5000/istio/proxyv2:1.22.3@sha256:abc'), '1.22.3');
    assert.equal(imageTag('reg.local:5000/istio/proxyv2'), null);
    assert.deepEqual(detectSidecar(pod({ spec: { containers: [{ name: 'istio-proxy', image: 'istio/proxyv2:latest' }] } })), { kind: 'container', version: null });
  });

  it('summarizes phase, readiness (native sidecar included) and termination', () => {
    const s = summarizePod(pod({
      spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'istio-proxy', restartPolicy: 'Always', image: 'istio/proxyv2:1.24.0' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true }], initContainerStatuses: [{ name: 'istio-proxy', ready: false }] },
    }));
    assert.equal(s.phase, 'Running');
    assert.equal(s.ready, 1);
    assert.equal(s.total, 2);
    const terminating = summarizePod(pod({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } }));
    assert.equal(terminating.phase, 'Terminating');
  });
});
