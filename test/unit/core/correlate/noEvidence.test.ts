import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { accessLogTelemetry, NO_ENVOY_EVIDENCE } from '../../../../src/core/correlate/noEvidence';

// What Mesh Doctor offers (and never applies) when a default install's logs hold no Envoy evidence.
describe('no Envoy evidence', () => {
  it('offers a Telemetry resource that turns on the envoy access-log provider for the namespace', () => {
    const telemetry = parse(accessLogTelemetry('shop')) as Record<string, unknown>;
    assert.deepEqual(telemetry, {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'mesh-doctor-access-logs', namespace: 'shop' },
      spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
    });
  });

  it('names both ways to get evidence in its warning', () => {
    assert.match(NO_ENVOY_EVIDENCE, /debug logging/);
    assert.match(NO_ENVOY_EVIDENCE, /Telemetry/);
    assert.match(NO_ENVOY_EVIDENCE, /yourself/);
  });
});
