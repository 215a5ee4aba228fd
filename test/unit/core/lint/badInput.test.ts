import * as assert from 'node:assert/strict';
import { lintManifest } from '../../../../src/core/lint';
import { lintText, span } from './fixtures';

const destinationRule = (name: string, value: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}}\nspec: {host: ${name}, trafficPolicy: {connectionPool: {tcp: {connectTimeout: ${value}}}}}\n`;

describe('lintManifest: bad input', function () {
  // Megabytes of YAML on a shared machine: allow time, assert behaviour only (speed is `npm run bench`'s job).
  this.timeout(60_000);

  it('lints a 5 MB single-line JSON manifest', () => {
    const padding = 'x'.repeat(5 * 1024 * 1024);
    const text = `{"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"big","annotations":{"pad":"${padding}"}},"spec":{"host":"big","trafficPolicy":{"connectionPool":{"tcp":{"connectTimeout":"1s"}}}}}`;
    const result = lintText(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].range.start.line, 0);
    assert.equal(result.findings[0].value, '"1s"');
  });

  it('refuses a text over the size limit with a clear problem instead of parsing it', () => {
    const result = lintManifest(destinationRule('a', '1s') + '#'.repeat(2000), { minimumSeconds: 10, maxLength: 1000 });
    assert.deepEqual(result.findings, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /Mesh Doctor checks manifests up to .* MB\. Split it to lint it\./);
  });

  it('reports a binary file named .yaml as not YAML', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const text = bytes.toString('utf8') + 'connectTimeout: 1s';
    const result = lintText(text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.isIstio, false);
    assert.match(result.problems[0].message, /looks binary/);
  });

  it('survives an alias bomb without expanding it and still finds the timeout in that document', () => {
    const levels = ['lol0: &lol0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`lol${i}: &lol${i} [${Array(10).fill(`*lol${i - 1}`).join(',')}]`);
    const text = destinationRule('bomb', '1s').replace('metadata: {name: bomb}', `metadata:\n  name: bomb\n  labels:\n    ${levels.join('\n    ')}`);
    const result = lintText(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].resource.name, 'bomb');
  });

  it('reports YAML nested too deeply for the parser as a problem that says so', () => {
    const text = `meshConfig: {connectTimeout: 1s}\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const result = lintText(text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /^YAML does not parse here: it is nested too deeply \(or too large\) to parse\./);
  });

  it('reports block maps nested deeper than the parser\'s stack as a problem instead of crashing', () => {
    // 3,000 indented levels: the yaml package's parser recurses per level and throws a RangeError.
    const nested = Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('');
    const result = lintText(`meshConfig:\n${nested}  connectTimeout: 1s\n`);
    assert.deepEqual(result.findings, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /^YAML does not parse here: it is nested too deeply \(or too large\) to parse\./);
  });

  it('reads a chart values.yaml nested deeper than the parser\'s stack as unknown, not a crash', () => {
    const nested = Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('');
    const template = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec:\n  host: a\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: {{ .Values.timeout }}\n';
    const result = lintManifest(template, { minimumSeconds: 10, chartValues: { file: 'values.yaml', text: `timeout: 1s\ndeep:\n${nested}` } });
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity]), [['connect-timeout-templated', 'information']]);
  });

  it('reports 10,000 connect timeouts in one file, each with its own line', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => destinationRule(`r${i}`, i % 2 === 0 ? '1s' : '10s')).join('---\n');
    const result = lintText(text);
    assert.equal(result.settings.length, 10_000);
    assert.equal(result.findings.length, 5_000);
    assert.equal(result.findings[4_999].resource.name, 'r9998');
    assert.equal(result.findings[4_999].range.start.line, 9998 * 5 + 3);
  });

  it('handles a half-typed file: an unfinished value is a finding, an unclosed quote a problem', () => {
    const typing = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nspec:\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: 1';
    const [finding] = lintText(typing).findings;
    assert.equal(finding.code, 'connect-timeout-invalid');
    assert.deepEqual(span(finding.range), [6, 24, 6, 25]);
    const unclosed = lintText(typing.replace(': 1', ': "1'));
    assert.deepEqual(unclosed.findings, []);
    assert.equal(unclosed.problems.length, 1);
    assert.equal(unclosed.isIstio, true, 'the problem is shown because the text is plainly Istio config');
  });

  it('does not parse YAML that cannot mention a connect timeout', () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\ndata: {unclosed: [\n';
    const result = lintText(broken);
    assert.deepEqual(result.problems, [], 'a parse would have reported the unclosed flow sequence');
    assert.equal(result.isIstio, false);
    assert.equal(lintText('apiVersion: networking.istio.io/v1\nkind: VirtualService\n').isIstio, true);
  });

  it('stops between documents when cancelled and says so', () => {
    const text = [destinationRule('a', '1s'), destinationRule('b', '1s'), destinationRule('c', '1s')].join('---\n');
    let checks = 0;
    const result = lintManifest(text, { minimumSeconds: 10, isCancelled: () => ++checks > 1 });
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.findings.map((f) => f.resource.name), ['a']);
  });

  it('lints an empty file and a file of only comments without problems', () => {
    for (const text of ['', '# connectTimeout: 1s\n', '---\n---\n']) {
      const result = lintText(text);
      assert.deepEqual([result.findings, result.problems], [[], []], JSON.stringify(text));
    }
  });
});
