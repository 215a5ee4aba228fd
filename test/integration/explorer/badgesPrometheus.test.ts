import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { KubeSession } from '../../../src/explorer/kubeSession';
import { MeshModel } from '../../../src/explorer/meshModel';
import { MeshTreeProvider } from '../../../src/explorer/meshTreeProvider';
import type { MeshNode } from '../../../src/explorer/nodes';
import { sessionAccess } from '../../../src/explorer/sessionAccess';
import { SettingsPrometheus } from '../../../src/overview/settingsPrometheus';
import { BADGE_QUERY_COUNT } from '../../../src/kube/prometheusSampleSource';
import { Configuration } from '../../../src/services/configuration';
import { RaisedLevels } from '../../../src/services/raisedLevels';
import { startStandIn, type StandIn } from '../../standin';
import { freeLoopbackPort, startStandInPrometheus, waitForScrapes, type StandInPrometheus } from '../../standin/prometheus';
import { activateExtension, MemoryMemento, MemorySecretStorage, waitFor } from '../helpers';

const CONTEXT = 'badges-prometheus';
const WRITTEN = ['kubeconfig', 'prometheus.url'] as const;

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}


/**
 * The Mesh view's badges when the overview's Prometheus answers: the explorer's model with the
 * settings' Prometheus (real vscode API, real client-node, a real Prometheus scraping the
 * stand-in's incident in the demo profile), then with that Prometheus unreachable.
 */
describe('mesh explorer badges from Prometheus', function () {
  this.timeout(180_000);
  let standIn: StandIn;
  let prometheus: StandInPrometheus;
  let configuration: Configuration;
  let metrics: SettingsPrometheus;
  let secrets: MemorySecretStorage;
  let model: MeshModel;
  let provider: MeshTreeProvider;
  let raised: RaisedLevels;
  const previous = new Map<string, unknown>();
  const config = () => vscode.workspace.getConfiguration('meshDoctor');
  const logged: string[] = [];

  const childrenOf = async (parent: MeshNode | undefined) => (await provider.getChildren(parent)).map((node) => ({ node, item: provider.getTreeItem(node) }));
  const namespaceRows = async () => childrenOf((await childrenOf(undefined)).find((c) => labelOf(c.item) === CONTEXT)!.node);
  /** The pods the scan reads (meshed and running), from the namespace badges. */
  const scannedPods = async () => (await namespaceRows()).reduce((n, c) => n + (model.badges.namespace(`${CONTEXT}/${labelOf(c.item)}`)?.meshed ?? 0), 0);
  async function setUser(key: (typeof WRITTEN)[number], value: unknown): Promise<void> {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(`${key} read`, () => (JSON.stringify(configuration.current[key === 'kubeconfig' ? 'kubeconfig' : 'prometheusUrl']) === JSON.stringify(value ?? '') ? true : undefined));
  }
  const allScanned = async () =>
    waitFor('every namespace scanned', async () => {
      const rows = await namespaceRows();
      return rows.every((c) => !String(c.item.description).includes('scanning')) ? rows : undefined;
    }, 60_000);

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', profile: 'demo', contextName: CONTEXT });
    prometheus = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1 });
    await waitForScrapes(prometheus, 3);
    await activateExtension();
    for (const key of WRITTEN) previous.set(key, config().inspect(key)?.globalValue);
    configuration = new Configuration();
    await setUser('kubeconfig', standIn.kubeconfigPath);
    await setUser('prometheus.url', prometheus.url);
    secrets = new MemorySecretStorage();
    metrics = new SettingsPrometheus(configuration, secrets);
    const log = { info: (m: string) => void logged.push(`info ${m}`), warn: (m: string) => void logged.push(`warn ${m}`) };
    model = new MeshModel(sessionAccess(new KubeSession(new MemoryMemento())), log, { minimumSeconds: () => configuration.minimum.seconds, metrics });
    raised = new RaisedLevels();
    provider = new MeshTreeProvider(model, () => configuration.minimum, raised);
  });

  after(async () => {
    provider?.dispose();
    model?.dispose();
    raised?.dispose();
    metrics?.dispose();
    secrets?.dispose();
    for (const key of WRITTEN) await config().update(key, previous.get(key), vscode.ConfigurationTarget.Global);
    configuration?.dispose();
    await prometheus?.close();
    await standIn?.close();
  });

  it('badges shop from one reading of the whole mesh: 3 queries instead of 2-3 admin requests per pod', async () => {
    await namespaceRows();
    model.badges.resume();
    await waitFor('the shop badge', async () => {
      const row = (await namespaceRows()).find((c) => labelOf(c.item) === 'shop');
      return row && /^⚠ 3 pods: connect-timeout · \d+ meshed \/ \d+ pods$/.test(String(row.item.description)) ? row : undefined;
    }, 60_000);
    const rows = await allScanned();
    const description = (ns: string) => String(rows.find((c) => labelOf(c.item) === ns)!.item.description);
    assert.equal(description('identity'), '2 meshed / 2 pods');
    const pods = await scannedPods();
    assert.ok(pods >= 7, `${pods} pods scanned`);
    assert.ok(model.badges.requests <= 2 * BADGE_QUERY_COUNT, `${model.badges.requests} requests for ${pods} pods (per pod it is at least ${2 * pods})`);
    assert.ok(logged.some((l) => l.includes(`badges of ${CONTEXT} from Prometheus at ${prometheus.url}`)), logged.join('\n'));
  });

  it('falls back to each pod’s Envoy when Prometheus cannot be reached, with the same shop badge', async () => {
    const before = model.badges.requests;
    await setUser('prometheus.url', `http://127.0.0.1:${await freeLoopbackPort()}`);
    const pods = await scannedPods();
    await waitFor('every pod read from its Envoy', () => (model.badges.requests - before >= 2 * pods ? true : undefined), 60_000);
    const rows = await allScanned();
    assert.match(String(rows.find((c) => labelOf(c.item) === 'shop')!.item.description), /^⚠ 3 pods: connect-timeout · /);
    assert.ok(logged.some((l) => /warn Mesh explorer: no Prometheus for the badges of badges-prometheus \(cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused\); each pod's Envoy is read instead/.test(l)), logged.join('\n'));
  });
});
