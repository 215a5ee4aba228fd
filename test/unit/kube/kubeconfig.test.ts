import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKubeClients } from '../../../src/kube/clients';
import { kubeconfigPaths, loadKubeConfig } from '../../../src/kube/kubeconfig';
import { listPodsPaged } from '../../../src/kube/pods';
import { ClusterAccessPool, type ClusterAccessSettings } from '../../../src/kube/transport';
import { KubeAccessError } from '../../../src/kube/types';

function kubeconfig(current: string | null, contexts: { name: string; cluster: string; server: string; user: string; token: string }[]): string {
  const lines = ['apiVersion: v1', 'kind: Config', ...(current ? [`current-context: ${current}`] : []), 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.cluster}`, '  cluster:', `    server: ${c.server}`);
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.user}`, '  user:', `    token: ${c.token}`);
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.cluster}`, `    user: ${c.user}`);
  return lines.join('\n') + '\n';
}

describe('kubeconfig loading', () => {
  let dir: string;
  let first: string;
  let second: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-kubeconfig-'));
    first = path.join(dir, 'first.yaml');
    second = path.join(dir, 'second.yaml');
    fs.writeFileSync(first, kubeconfig('prod', [{ name: 'prod', cluster: 'shared', server: 'https://127.0.0.1:6443', user: 'alice', token: 'a' }]));
    fs.writeFileSync(second, kubeconfig('staging', [
      { name: 'staging', cluster: 'staging', server: 'https://127.0.0.1:7443', user: 'bob', token: 'b' },
      // Same cluster name as the first file: kubectl keeps the first file's definition.
      { name: 'other', cluster: 'shared', server: 'https://127.0.0.1:9999', user: 'alice', token: 'z' },
    ]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('merges KUBECONFIG with two files as kubectl does: first file wins names and current-context', () => {
    const kc = loadKubeConfig({}, { KUBECONFIG: [first, second].join(path.delimiter) });
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['other', 'prod', 'staging']);
    assert.equal(kc.getCurrentContext(), 'prod');
    assert.equal(kc.getCluster('shared')?.server, 'https://127.0.0.1:6443');
    assert.equal(kc.getUser('alice')?.token, 'a');
    assert.equal(createKubeClients(kc, 'staging').server, 'https://127.0.0.1:7443');
  });

  it('lets the setting win over KUBECONFIG, skips missing files in a list, and falls back to ~/.kube/config', () => {
    const kc = loadKubeConfig({ kubeconfigSetting: `${path.join(dir, 'missing.yaml')}${path.delimiter}${second}` }, { KUBECONFIG: first });
    assert.equal(kc.getCurrentContext(), 'staging');
    assert.deepEqual(kubeconfigPaths({}, {}), [path.join(os.homedir(), '.kube', 'config')]);
  });

  it('opens each context once from one load of the settings, and reads them again after reset', () => {
    let settings: ClusterAccessSettings = { kubeconfig: second, transport: 'api', kubectlPath: 'kubectl', requestTimeoutSeconds: 7 };
    let reads = 0;
    const pool = new ClusterAccessPool(() => (reads++, settings));
    const staging = pool.accessFor('staging');
    assert.equal(pool.accessFor('staging'), staging, 'the same access for the same context');
    assert.equal(pool.accessFor('other').clients.kubeConfig.getCurrentContext(), 'other');
    assert.deepEqual([reads, staging.clients.server, staging.clients.requestTimeoutSeconds, staging.transport.kind], [1, 'https://127.0.0.1:7443', 7, 'api']);
    settings = { kubeconfig: first, transport: 'kubectl', kubectlPath: 'kubectl' };
    assert.equal(pool.kubeConfig().getCurrentContext(), 'staging', 'a settings change waits for reset');
    pool.reset();
    assert.equal(pool.kubeConfig().getCurrentContext(), 'prod');
    assert.deepEqual([reads, pool.accessFor('prod').transport.kind], [2, 'kubectl']);
  });

  it('explains a missing kubeconfig, an unknown context and broken YAML', () => {
    assert.throws(() => loadKubeConfig({ kubeconfigSetting: path.join(dir, 'nope.yaml') }, {}), (err: unknown) => err instanceof KubeAccessError && /no kubeconfig found/.test(err.message) && err.remedy.kind === 'kubeconfig' && err.remedy.problem === 'missing');
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'clusters: [unterminated\n');
    assert.throws(() => loadKubeConfig({ kubeconfigSetting: broken }, {}), (err: unknown) => err instanceof KubeAccessError && err.message.includes(broken) && err.remedy.kind === 'kubeconfig' && err.remedy.problem === 'unreadable');
    assert.throws(() => createKubeClients(loadKubeConfig({ kubeconfigSetting: first }, {}), 'nope'), (err: unknown) => err instanceof KubeAccessError && err.remedy.kind === 'context' && err.remedy.known.join() === 'prod');
  });

  it('names the place of a YAML error but never quotes the file (it holds tokens)', () => {
    const broken = path.join(dir, 'token-and-typo.yaml');
    fs.writeFileSync(broken, 'users:\n- name: admin\n  user:\n    token: sekrit-bearer-token\n    x: "unterminated\n');
    assert.throws(
      () => loadKubeConfig({ kubeconfigSetting: broken }, {}),
      (err: unknown) =>
        err instanceof KubeAccessError && err.message.includes(broken) && /at line \d+, column \d+/.test(err.message) && !err.message.includes('sekrit') && !err.message.includes('unterminated'),
    );
  });

  it('reports an unreachable API server with its address and a kubeconfig hint', async () => {
    const dead = path.join(dir, 'dead.yaml');
    fs.writeFileSync(dead, kubeconfig('dead', [{ name: 'dead', cluster: 'dead', server: 'https://127.0.0.1:1', user: 'u', token: 't' }]));
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: dead }, {}));
    await assert.rejects(listPodsPaged(clients, null, () => undefined), (err: unknown) =>
      err instanceof KubeAccessError && /cannot reach the API server at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/.test(err.message) && err.remedy.kind === 'check' && /check the kubeconfig/.test(err.remedy.advice));
  });
});
