import * as assert from 'node:assert/strict';
import { applyFix, lintText, span, textAt } from './fixtures';

const DR_HEAD = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\n';

const meshConfigMap = (meshLines: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n${meshLines}`;

describe('lintManifest: YAML edge cases', () => {
  it('lints every document of a multi-document file, with comments and document end markers', () => {
    const text = [
      '# leading comment',
      '---',
      DR_HEAD + 'metadata: {name: a}\nspec:\n  host: a # the host\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}} # low',
      '...',
      '--- # second',
      DR_HEAD + 'metadata: {name: b}\nspec:\n  host: b\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 2s}}}',
      '',
    ].join('\n');
    const result = lintText(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.findings.map((f) => [f.resource.name, f.value, span(f.range)]), [
      ['a', '1s', [7, 57, 7, 59]],
      ['b', '2s', [15, 57, 15, 59]],
    ]);
  });

  it('keeps directives with their documents and leaves tags out of the value', () => {
    const rule = (name: string): string => `${DR_HEAD}metadata: {name: ${name}}\nspec: {host: ${name}, trafficPolicy: {connectionPool: {tcp: {connectTimeout: !!str 1s}}}}\n`;
    const text = `%YAML 1.2\n%TAG !k! tag:example.com,2026:\n---\n${rule('a')}---\n${rule('b')}`;
    const result = lintText(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.findings.map((f) => [f.resource.name, f.value, f.range.start.line]), [['a', '1s', 6], ['b', '1s', 11]], 'the tag is not part of the value');
  });

  it('reports a value reached through aliases once, at the anchor, where the fix applies', () => {
    const text = [
      DR_HEAD + 'metadata: {name: reviews}',
      'spec:',
      '  host: reviews',
      '  trafficPolicy: &policy',
      '    connectionPool:',
      '      tcp:',
      '        connectTimeout: &timeout 1s',
      '  subsets:',
      '  - name: v1',
      '    trafficPolicy: *policy',
      '  - name: v2',
      '    trafficPolicy:',
      '      connectionPool: {tcp: {connectTimeout: *timeout}}',
      '',
    ].join('\n');
    const result = lintText(text);
    assert.equal(result.findings.length, 1);
    assert.equal(result.settings.length, 1);
    const [finding] = result.findings;
    assert.deepEqual(span(finding.range), [8, 33, 8, 35]);
    assert.equal(finding.path, 'spec.trafficPolicy.connectionPool.tcp.connectTimeout');
    assert.deepEqual(lintText(applyFix(text, finding.range, finding.fix?.replacement ?? '')).findings, []);
  });

  it('reads flow style maps and sequences', () => {
    const text = DR_HEAD + 'metadata: {name: r}\nspec: {host: r, trafficPolicy: {portLevelSettings: [{connectionPool: {tcp: {connectTimeout: 1s}}}]}}\n';
    const [finding] = lintText(text).findings;
    assert.equal(finding.path, 'spec.trafficPolicy.portLevelSettings[0].connectionPool.tcp.connectTimeout');
    assert.equal(textAt(text, finding.range), '1s');
  });

  it('counts positions on CRLF files without the carriage returns', () => {
    const text = (DR_HEAD + 'spec:\n  host: r\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: "1s"\n').replace(/\n/g, '\r\n');
    const [finding] = lintText(text).findings;
    assert.deepEqual(span(finding.range), [7, 24, 7, 28]);
    assert.equal(finding.value, '"1s"');
    const fixed = applyFix(text, finding.range, finding.fix?.replacement ?? '');
    assert.ok(fixed.includes('connectTimeout: "10s"\r\n'));
    assert.deepEqual(lintText(fixed).findings, []);
  });

  it('counts a lone CR as a line end, as YAML and editors do, instead of misparsing the file', () => {
    const text = (DR_HEAD + 'metadata: {name: r}\nspec:\n  host: r\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n').replace(/\n/g, '\r');
    const result = lintText(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.findings.map((f) => span(f.range)), [[5, 57, 5, 59]]);
  });

  it('follows an alias to the closest anchor of its name before it, even when the name is reused later', () => {
    const text = 'x: &t 20s\ny: &t 1s\nmeshConfig: {connectTimeout: *t}\nz: &t 30s\n';
    const result = lintText(text);
    assert.deepEqual(result.findings.map((f) => [f.value, span(f.range)]), [['1s', [1, 6, 1, 8]]]);
  });

  it('resolves 20,000 aliases in one pass over the document', function () {
    this.timeout(60_000);
    const subsets = Array.from({ length: 20_000 }, (_, i) => `  - {name: s${i}, trafficPolicy: {connectionPool: {tcp: {connectTimeout: *low}}}}`).join('\n');
    const text = `${DR_HEAD}metadata: {name: r}\nspec:\n  host: &low 1s\n  subsets:\n${subsets}\n`;
    const started = Date.now();
    const result = lintText(text);
    // Per-alias resolution took about a minute here; one pass takes well under a second plus the parse.
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.equal(result.findings.length, 1);
  });

  it('counts UTF-16 characters, so text before the value with astral characters shifts it by two', () => {
    const text = DR_HEAD + 'metadata: {name: "🚀"}\nspec: {host: "🚀", trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}}\n';
    const [finding] = lintText(text).findings;
    assert.equal(finding.range.start.character, '{host: "🚀", trafficPolicy: {connectionPool: {tcp: {connectTimeout: '.length + 'spec: '.length);
    assert.equal(textAt(text, finding.range), '1s');
  });

  it('takes a tab inside a quoted value as part of the value', () => {
    const [finding] = lintText(DR_HEAD + 'spec:\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: "1\ts"}}}\n').findings;
    assert.equal(finding.code, 'connect-timeout-invalid');
    assert.match(finding.summary, /unknown unit "\\ts"/);
  });

  it('separates a plain value from a trailing comment by a tab', () => {
    const text = DR_HEAD + 'spec:\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout:\t1s\t# too low\n';
    const [finding] = lintText(text).findings;
    assert.equal(finding.value, '1s');
    assert.deepEqual(span(finding.range), [6, 24, 6, 26]);
  });

  it('still lints the other documents when one does not parse mid-edit, and reports the parse problem separately', () => {
    const text = [
      DR_HEAD + 'metadata: {name: a}\nspec: {host: a, trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}}',
      '---',
      DR_HEAD + 'metadata: {name: b}\nspec:\n  host: b\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 2s',
      '---',
      DR_HEAD + 'metadata: {name: c}\nspec: {host: c, trafficPolicy: {connectionPool: {tcp: {connectTimeout: 3s}}}}',
      '',
    ].join('\n');
    const result = lintText(text);
    assert.deepEqual(result.findings.map((f) => f.resource.name), ['a', 'c']);
    assert.equal(result.problems.length, 1);
    const [problem] = result.problems;
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /YAML does not parse here: .*not checked until it parses/);
    assert.ok(problem.range.start.line >= 5 && problem.range.start.line <= 10, JSON.stringify(problem.range));
  });

  it('maps data.mesh written with |, |+ and an explicit indentation indicator', () => {
    for (const header of ['|', '|+', '|2', '|-2']) {
      const text = meshConfigMap(`  mesh: ${header}\n    # comment\n    connectTimeout: 1s\n\n`);
      const [finding] = lintText(text).findings;
      assert.ok(finding, header);
      assert.deepEqual(span(finding.range), [8, 20, 8, 22], header);
      assert.deepEqual(finding.fix?.replacement, '10s');
    }
  });

  it('maps data.mesh in a CRLF file and in a more-indented block', () => {
    const crlf = meshConfigMap('  mesh: |-\n      enableTracing: true\n      connectTimeout: 1s\n').replace(/\n/g, '\r\n');
    const [finding] = lintText(crlf).findings;
    assert.deepEqual(span(finding.range), [8, 22, 8, 24]);
    const fixed = applyFix(crlf, finding.range, finding.fix?.replacement ?? '');
    assert.deepEqual(lintText(fixed).findings, []);
  });

  it('maps data.mesh written as a double-quoted, single-quoted, plain or folded scalar', () => {
    const cases: [string, string, string | null][] = [
      ['  mesh: "connectTimeout: 1s\\ntrustDomain: cluster.local"\n', '1s', '10s'],
      ["  mesh: 'connectTimeout: \"1s\"'\n", '"1s"', '"10s"'],
      ['  mesh: "connectTimeout: \\"1s\\""\n', '\\"1s\\"', null],
      ['  mesh: >\n    connectTimeout: 1s\n', '1s', '10s'],
      ['  mesh: "{connectTimeout: 1s,\n    trustDomain: x}"\n', '1s', '10s'],
    ];
    for (const [lines, written, replacement] of cases) {
      const text = meshConfigMap(lines);
      const result = lintText(text);
      assert.deepEqual(result.problems, [], lines);
      const [finding] = result.findings;
      assert.ok(finding, lines);
      assert.equal(textAt(text, finding.range), written, lines);
      assert.equal(finding.fix?.replacement ?? null, replacement, lines);
    }
  });

  it('reports a data.mesh that does not parse as a problem at the mesh value', () => {
    const text = meshConfigMap('  mesh: |\n    connectTimeout: [1s\n');
    const result = lintText(text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /data\.mesh of this ConfigMap does not parse/);
    assert.ok(result.problems[0].range.start.line >= 6);
  });
});
