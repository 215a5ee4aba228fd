import * as assert from 'node:assert/strict';
import { explainVerdict, type VerdictFacts } from '../../../../src/core/correlate/explain';

const base: VerdictFacts = { cause: 'proxy-shutdown', cluster: null, address: null, connectionId: null, connectTimeoutSeconds: null, leadMs: 120, evidence: '`proxy-shutdown`', kind: 'reset' };

describe('explainVerdict wording', () => {
  it('says the sidecar was going away for proxy-shutdown, with no made-up connection or upstream', () => {
    const text = explainVerdict(base);
    assert.match(text, /^The sidecar was draining or exiting 120 ms before this reset \(`proxy-shutdown`\): the call was still in flight/);
    assert.doesNotMatch(text, /\[C\?\]|its upstream/);
  });

  it('names the destination, not "its upstream", when a no-route verdict has no cluster', () => {
    const text = explainVerdict({ ...base, cause: 'no-route', evidence: 'response flags NR', kind: 'http-error' });
    assert.match(text, /Envoy logged response flags NR for its destination 120 ms before this error\.$/);
  });

  it('names the cluster and address when they are known', () => {
    const text = explainVerdict({ ...base, cause: 'circuit-breaker', cluster: 'outbound|80||rates.svc', address: '10.0.0.7:80', connectionId: '42', evidence: 'response flags UO' });
    assert.match(text, /response flags UO \[C42\] for `outbound\|80\|\|rates\.svc` \(10\.0\.0\.7:80\)/);
  });

  it('words the lead of a time logged to the second as an interval, never as a fraction of a second', () => {
    const second = { ...base, precisionMs: 1000 };
    assert.match(explainVerdict({ ...second, leadMs: -300 }), /in the same second as this reset \(logged to the second\)/);
    assert.match(explainVerdict({ ...second, leadMs: 300 }), /0\.3 s to 1\.3 s before this reset \(logged to the second\)/);
    assert.match(explainVerdict({ ...second, leadMs: -1500 }), /at least 500 ms after this reset \(logged to the second\)/);
    assert.doesNotMatch(explainVerdict({ ...second, leadMs: -300 }), /300 ms/);
  });

  it('names the connection once when the evidence already names it', () => {
    const text = explainVerdict({ ...base, cause: 'connection-refused', connectionId: '21', evidence: '`connect-failure` on [C21]' });
    assert.equal(text.split('[C21]').length, 2);
  });

  it("says a UT was the route's request timeout, not a connection's age", () => {
    const text = explainVerdict({ ...base, cause: 'max-duration', cluster: 'outbound|8080||search.default.svc.cluster.local', evidence: 'response flags UT', kind: 'http-error' });
    assert.match(text, /^The route's request timeout to `outbound\|8080\|\|search\.default\.svc\.cluster\.local` ran out 120 ms before this error \(response flags UT\)/);
    assert.doesNotMatch(text, /maximum duration|GOAWAY/);
  });
});
