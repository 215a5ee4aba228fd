import * as assert from 'node:assert/strict';
import { applyFix, lintText, span } from './fixtures';

const destinationRule = (value: string): string =>
  [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata: {name: idp, namespace: payments}',
    'spec:',
    '  host: idp.example.com',
    '  trafficPolicy:',
    '    connectionPool:',
    '      tcp:',
    `        connectTimeout: ${value}`,
    '',
  ].join('\n');

/** Applies the single finding's fix and checks that linting the result finds nothing. */
function fixAndRelint(text: string, minimumSeconds = 10): string {
  const [finding, ...rest] = lintText(text, minimumSeconds).findings;
  assert.deepEqual(rest, []);
  assert.ok(finding?.fix, 'expected a fix');
  const fixed = applyFix(text, finding.range, finding.fix.replacement);
  assert.deepEqual(lintText(fixed, minimumSeconds).findings, [], fixed);
  return fixed;
}

describe('lintManifest: severities', () => {
  it('warns below the minimum and is silent at or above it', () => {
    assert.equal(lintText(destinationRule('9.999s')).findings[0].code, 'connect-timeout-low');
    assert.deepEqual(lintText(destinationRule('10s')).findings, []);
    assert.deepEqual(lintText(destinationRule('1m')).findings, []);
  });

  it('errors below 1ms, since Istio rejects it', () => {
    for (const value of ['0s', '999us', '-1s']) {
      const [finding] = lintText(destinationRule(value)).findings;
      assert.equal(finding.code, 'connect-timeout-below-1ms', value);
      assert.equal(finding.severity, 'error');
      assert.match(finding.summary, /is below 1ms: Istio rejects it/);
    }
    assert.equal(lintText(destinationRule('1ms')).findings[0].code, 'connect-timeout-low');
  });

  it('errors on values that are not durations, with the reason', () => {
    const cases: [string, RegExp][] = [
      ['10', /missing unit in duration "10"/],
      ['"10sec"', /unknown unit "sec"/],
      ['true', /invalid duration "true"/],
      ['[1s]', /got a list/],
    ];
    for (const [value, reason] of cases) {
      const [finding] = lintText(destinationRule(value)).findings;
      assert.equal(finding.code, 'connect-timeout-invalid', value);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.seconds, null);
      assert.match(finding.summary, reason);
      assert.match(finding.message, /Istio rejects/);
    }
  });

  it('leaves an empty value alone while it is being typed (protobuf reads null as unset)', () => {
    const result = lintText(destinationRule(''));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.problems, []);
  });
});

describe('lintManifest: fixes keep the quoting style', () => {
  it('rewrites plain, double-quoted, single-quoted and protobuf-JSON values', () => {
    assert.match(fixAndRelint(destinationRule('1s')), /connectTimeout: 10s\n/);
    assert.match(fixAndRelint(destinationRule('"1s"')), /connectTimeout: "10s"\n/);
    assert.match(fixAndRelint(destinationRule("'1s'")), /connectTimeout: '10s'\n/);
    assert.match(fixAndRelint(destinationRule('"0.250s"')), /connectTimeout: "10s"\n/);
  });

  it('raises to the configured minimum, in Go duration syntax', () => {
    const [finding] = lintText(destinationRule('1s'), 90).findings;
    assert.deepEqual(finding.fix, { replacement: '1m30s', title: 'Raise to 1m30s' });
    assert.equal(finding.summary, 'connectTimeout 1s is below 1m30s: TLS handshakes slower than this are reset');
    fixAndRelint(destinationRule('500ms'), 1.5);
  });

  it('replaces an invalid value and a sub-millisecond one', () => {
    assert.equal(lintText(destinationRule('10')).findings[0].fix?.title, 'Replace with 10s');
    assert.match(fixAndRelint(destinationRule('10')), /connectTimeout: 10s\n/);
    assert.match(fixAndRelint(destinationRule("'0s'")), /connectTimeout: '10s'\n/);
  });

  it('rewrites seconds and nanos of a {seconds, nanos} map, quoting kept', () => {
    const fixed = fixAndRelint(destinationRule('{seconds: "1", nanos: 500000000}'));
    assert.match(fixed, /connectTimeout: \{seconds: "10", nanos: 0\}\n/);
    const [finding] = lintText(destinationRule('{seconds: 1, nanos: 0}')).findings;
    assert.equal(finding.seconds, 1);
    assert.deepEqual(span(finding.range), [8, 24, 8, 46]);
  });

  it('rewrites a block-style {seconds} map and gives no fix when the minimum needs nanos the map lacks', () => {
    const block = destinationRule('\n          seconds: 2');
    assert.match(fixAndRelint(block), /seconds: 10\n/);
    assert.equal(lintText(block, 2.5).findings[0].fix, null);
  });
});
