/**
 * Hostile input for the extension's pure parts: text that tries to become a command link or an
 * icon, protectedContexts entries that try to freeze the extension host, a webview state that
 * tries to widen what the annotator may open, and a kubeconfig that tries to leak its token.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { restoredSummary, type PersistedAnnotatorState, type RunGrants } from '../../../src/annotator/protocol';
import { invalidContextPatterns, matchingProtectedPattern } from '../../../src/core/envoyLogging/protectedContexts';
import { LinearPattern } from '../../../src/core/text/linearPattern';
import { iconSafeText, notificationText } from '../../../src/core/text/markupEscape';
import { runCliBounded } from './bounded';

/**
 * The link pattern of VS Code's notification renderer (parseLinkedText, vs/base/common/linkedText.ts,
 * 1.139), applied after the renderer's own steps (cut at 1000 characters, line breaks to spaces).
 */
function notificationLinks(message: string): string[] {
  const shown = (message.length > 1000 ? `${message.slice(0, 1000)}...` : message).replace(/(\r\n|\n|\r)/gm, ' ').trim();
  return [...shown.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi)].map((m) => m[2]);
}

const HOSTILE = [
  'outbound|443||[Fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
  '[Fix](COMMAND:workbench.action.quit "title")',
  '[a](file:///etc/passwd)',
  '[x](https://evil.example)',
  '[nested [x](command:a)](command:b)',
  '[x]\n(command:a)',
  '[x]\r\n(command:a)',
  '[x]\u200b(command:a)',
  '[x]: command:workbench.action.quit',
  '<command:workbench.action.quit>',
  'command:workbench.action.quit',
  `${'a'.repeat(990)}[x](command:a)`,
];

describe('adversarial: extension', () => {
  describe('notification text', () => {
    it('leaves no link VS Code would render, whatever the untrusted part holds', () => {
      for (const hostile of HOSTILE) {
        const message = notificationText(`Mesh Doctor: cluster ${hostile} is not shown under shop/checkout in the Mesh view.`);
        assert.deepEqual(notificationLinks(message), [], JSON.stringify(hostile));
      }
      // The oracle itself does see the links the escape removes.
      assert.deepEqual(notificationLinks(HOSTILE[0]), ['command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D']);
    });

    it('keeps a link from forming across two concatenated untrusted values', () => {
      assert.deepEqual(notificationLinks(notificationText(`${'[Fix]'}${'(command:workbench.action.quit)'}`)), []);
    });

    it('reveals direction overrides and zero-width characters instead of passing them on', () => {
      assert.equal(notificationText('pod \u202Egol.exe'), 'pod \\u202Egol.exe');
      assert.equal(notificationText('a]\u200b(b'), 'a]\\u200B(b');
    });
  });

  it('quick-pick, status bar and lens text: icon syntax is escaped, lines flattened', () => {
    assert.equal(iconSafeText('$(loading~spin) upstream\n$(zap)'), '\\$(loading~spin) upstream \\$(zap)');
  });

  describe('protectedContexts patterns', () => {
    it('matches a catastrophic-backtracking pattern in linear time instead of freezing', () => {
      // RegExp needs seconds for 29 characters and doubles per character; 20 000 would never end.
      const name = 'a'.repeat(20_000);
      assert.equal(matchingProtectedPattern(name, ['/^([a-z0-9-]+)+!$/']), undefined);
      assert.equal(matchingProtectedPattern(`${name}!`, ['/^([a-z0-9-]+)+!$/']), '/^([a-z0-9-]+)+!$/');
      assert.equal(matchingProtectedPattern(name, ['/(a|a)*b/', '/(a*)*b/', '*a*a*a*a*a*a*a*a*b']), undefined);
    });

    it('refuses backreferences, lookaround and huge counts with the reason', () => {
      const invalid = invalidContextPatterns(['/(a+)\\1/', '/^(?=prod)/', '/(?<n>x)/', '/a{1000}/', '/\\bprod/', '/prod/q']);
      assert.deepEqual(invalid.map((i) => i.pattern), ['/(a+)\\1/', '/^(?=prod)/', '/(?<n>x)/', '/a{1000}/', '/\\bprod/', '/prod/q']);
      assert.match(invalid[0].reason, /backreferences/);
      assert.match(invalid[1].reason, /lookaround/);
    });

    it('agrees with RegExp on the supported subset', () => {
      const patterns = ['^gke_.*_prod', 'prod$', '(eu|us)-(west|east)-\\d+', '^[a-z]+-[^-]+$', 'a{2,3}b', 'x?y+z*', '^(?:ab|cd){2}$', '[\\w.-]+\\/live', '.', '^$', 'p[r-t]o\\.d'];
      const names = ['', 'gke_acme_eu_prod', 'prod', 'my-prod', 'eu-west-12', 'us-north-1', 'abc-def', 'abc-d-f', 'aab', 'aaab', 'ab', 'yz', 'xxyz', 'abcd', 'ababab', 'cluster/live', 'p.o.d', 'pso.d', 'Prod'];
      for (const p of patterns) {
        for (const flags of ['', 'i']) {
          const linear = LinearPattern.regex(p, flags === 'i');
          const native = new RegExp(p, flags);
          for (const n of names) assert.equal(linear.test(n), native.test(n), `/${p}/${flags} on ${JSON.stringify(n)}`);
        }
      }
    });
  });

  it('a restored annotator panel gets its files and pods from the extension, not from the webview state', () => {
    const state = (runId: number): PersistedAnnotatorState => ({
      version: 2,
      run: {
        runId,
        title: 't',
        sources: [{ file: 'file:///home/me/.kube/config', label: 'app.log', firstLine: 1 }],
        pods: [{ context: 'prod', namespace: 'kube-system', name: 'etcd' }],
        totalResets: 0, linesRead: 0, envoyEvents: 0, appRecords: 0, warnings: [], windowSeconds: 5, clockOffsetSeconds: 0, totalTimelineEvents: 0,
      },
      resets: [],
      groups: [],
      timeline: [],
      selected: 0,
    });
    const grants: RunGrants[] = [{ runId: 7, sources: [{ file: 'file:///w/app.log', label: 'app.log', firstLine: 1 }], pods: [] }];
    assert.deepEqual(restoredSummary(state(7), grants).sources, grants[0].sources);
    assert.deepEqual(restoredSummary(state(7), grants).pods, []);
    assert.deepEqual(restoredSummary(state(8), grants).sources, []);
    assert.deepEqual(restoredSummary(state(8), grants).pods, []);
  });

  describe('kubeconfig with a token and a syntax error', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.SECRET-bearer-token';
    let dir: string;
    let bad: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-adv-kubeconfig-'));
      bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, ['apiVersion: v1', 'kind: Config', 'users:', '- name: admin', '  user:', `    token: ${token}`, '    x: [unclosed', 'clusters: {', ''].join('\n'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('mesh-doctor clusters names the file and line but prints no line of it', async () => {
      const run = await runCliBounded(['clusters', '--pod', 'shop/checkout', '--kubeconfig', bad]);
      assert.equal(run.timedOut, false);
      assert.equal(run.code, 1);
      const all = run.stdout + run.stderr;
      assert.ok(!all.includes('SECRET-bearer-token'), all);
      assert.ok(!all.includes('unclosed'), all);
      assert.match(run.stderr, new RegExp(`cannot read kubeconfig ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* at line \\d+, column \\d+`));
      assert.doesNotMatch(all, /\n\s+at /);
    });
  });
});
