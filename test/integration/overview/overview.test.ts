import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { readConfig } from '../../../src/config';
import type { PodRef } from '../../../src/kube/types';
import { createDiagnose } from '../../../src/diagnose/feature';
import { createOverview, type Overview } from '../../../src/overview/feature';
import type { OverviewNode } from '../../../src/overview/nodes';
import { SettingsPrometheus } from '../../../src/overview/settingsPrometheus';
import type { ClusterRevealer } from '../../../src/services/clusterRevealer';
import { Configuration } from '../../../src/services/configuration';
import { createEnvoyLogRaiser } from '../../../src/services/envoyLogRaiser';
import { startStandIn, type StandIn } from '../../standin';
import { freeLoopbackPort, startStandInPrometheus, waitForScrapes, type StandInPrometheus } from '../../standin/prometheus';
import { activateExtension, MemoryMemento, MemorySecretStorage, ScriptedUi, TestContext, waitFor } from '../helpers';

const CONTEXT = 'overview-incident';
/** A second cluster (another stand-in) with no Prometheus in it. */
const OTHER_CONTEXT = 'overview-other';

/** Test-only credentials for the guarded Prometheus's `--web.config.file` (bcrypt, cost 4), as in test/unit/cli/overview.test.ts. */
const BASIC_USER = 'mesh-doctor';
const BASIC_PASSWORD = 'standin-secret-pw';
const BASIC_HASH = '$2b$04$xDHhGD9kps1lbF.4nhGGzOm.muqr/3CKbBgZqkJVfTiOooBEJ4UzW';

/** The settings this suite writes (user scope), restored after it. */
const WRITTEN = ['kubeconfig', 'prometheus.url', 'prometheus.service', 'overview.minutes'] as const;

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The active context as the Mesh view's switch changes it. */
class SwitchableContext {
  name = CONTEXT;
  private readonly switched = new vscode.EventEmitter<void>();
  readonly onDidChange = this.switched.event;
  current = () => this.name;
  switchTo(name: string): void {
    this.name = name;
    this.switched.fire();
  }
  dispose(): void {
    this.switched.dispose();
  }
}

/** One kubeconfig with both stand-ins' clusters, users and contexts (kubectl's merge of two files, written as one). */
function mergeKubeconfigs(files: readonly string[], out: string): void {
  const parts = files.map((f, i) => {
    const k = parseYaml(fs.readFileSync(f, 'utf8')) as { clusters: { name: string }[]; users: { name: string }[]; contexts: { context: { cluster: string; user: string } }[] };
    const rename = (n: string) => `${n}-${i}`;
    return {
      clusters: k.clusters.map((c) => ({ ...c, name: rename(c.name) })),
      users: k.users.map((u) => ({ ...u, name: rename(u.name) })),
      contexts: k.contexts.map((c) => ({ ...c, context: { ...c.context, cluster: rename(c.context.cluster), user: rename(c.context.user) } })),
    };
  });
  const merged = { apiVersion: 'v1', kind: 'Config', 'current-context': CONTEXT, clusters: parts.flatMap((p) => p.clusters), users: parts.flatMap((p) => p.users), contexts: parts.flatMap((p) => p.contexts) };
  fs.writeFileSync(out, stringifyYaml(merged), { mode: 0o600 });
}

/** Records what the overview asks of the Mesh view. */
class RecordingRevealer implements ClusterRevealer {
  readonly namespaces: { context: string; namespace: string }[] = [];
  async revealCluster(_cluster: string, _pod: PodRef | null): Promise<boolean> {
    throw new Error('the overview reveals namespaces');
  }
  async revealNamespace(context: string, namespace: string): Promise<boolean> {
    this.namespaces.push({ context, namespace });
    return true;
  }
}


/**
 * The Mesh Overview built in the test from the product modules (real vscode API, real client-node,
 * a real Prometheus scraping the stand-in's incident in the demo profile, so Envoy's cluster stats
 * are exported), with a scripted UI, an in-memory secret storage and a recording revealer.
 */
describe('mesh overview view (a real Prometheus scraping the stand-in)', function () {
  this.timeout(180_000);
  let standIn: StandIn;
  let prometheus: StandInPrometheus;
  let guarded: StandInPrometheus;
  let configuration: Configuration;
  let ctx: TestContext;
  let ui: ScriptedUi;
  let secrets: MemorySecretStorage;
  let revealer: RecordingRevealer;
  let overview: Overview;
  let activeContext: SwitchableContext;
  const previous = new Map<string, unknown>();
  const config = () => vscode.workspace.getConfiguration('meshDoctor');

  const rows = () => overview.provider.getChildren().map((node) => ({ node, item: overview.provider.getTreeItem(node) }));
  const childrenOf = (node: OverviewNode) => overview.provider.getChildren(node).map((n) => overview.provider.getTreeItem(n));
  /** Sets a user setting and waits until the configuration service has read it. */
  async function setUser(key: (typeof WRITTEN)[number], value: unknown): Promise<void> {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(`${key} read`, () => (JSON.stringify(config().get(key)) === JSON.stringify(value ?? config().inspect(key)?.defaultValue) ? true : undefined));
  }

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', profile: 'demo', contextName: CONTEXT });
    prometheus = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1 });
    // Basic auth checked by the real server, and a dead remote read that makes it warn (a partial result).
    guarded = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1, basicAuthUsers: { [BASIC_USER]: BASIC_HASH }, remoteReadUrls: ['http://127.0.0.1:9/api/v1/read'], service: null });
    await waitForScrapes(prometheus, 10);
    await waitForScrapes(guarded, 10, { Authorization: `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}` });
    await activateExtension();
    for (const key of WRITTEN) previous.set(key, config().inspect(key)?.globalValue);
    configuration = new Configuration();
    await setUser('kubeconfig', standIn.kubeconfigPath);
    await setUser('overview.minutes', 1);
    ctx = new TestContext();
    ui = new ScriptedUi();
    secrets = ctx.own(new MemorySecretStorage());
    revealer = new RecordingRevealer();
    overview = createOverview(ctx, { config: configuration, ui, prometheus: ctx.own(new SettingsPrometheus(configuration, secrets)), revealer, activeContext: (activeContext = ctx.own(new SwitchableContext())) });
  });

  after(async () => {
    ctx?.dispose();
    configuration?.dispose();
    for (const key of WRITTEN) await config().update(key, previous.get(key), vscode.ConfigurationTarget.Global);
    await guarded?.close();
    await prometheus?.close();
    await standIn?.close();
  });

  function assertIncidentFirst(): void {
    const shown = rows().filter((r) => r.node.kind === 'row');
    assert.ok(shown.length > 0, JSON.stringify(rows().map((r) => labelOf(r.item))));
    const first = shown[0];
    assert.equal(labelOf(first.item), 'shop/checkout → idp.example.com');
    assert.match(String(first.item.description), /^[\d.]+\/s {2}UF → connect-timeout [▁▂▃▄▅▆▇█]{1,8}$/);
  }

  it('lists shop/checkout → idp.example.com first with UF → connect-timeout, its flags and Envoy cluster below, the click reveals shop', async () => {
    await setUser('prometheus.url', prometheus.url);
    await overview.commands.refresh();
    assertIncidentFirst();
    const first = rows().find((r) => r.node.kind === 'row')!;
    const tooltip = String(first.item.tooltip);
    for (const text of ['UF', 'URX', 'outbound|443||idp.example.com', 'connect timeouts', 'last 1 min', `context ${CONTEXT}`, prometheus.url]) assert.ok(tooltip.includes(text), `${text} in ${tooltip}`);
    const children = childrenOf(first.node);
    assert.deepEqual(children.slice(0, 2).map((c) => labelOf(c)).sort(), ['UF', 'URX']);
    assert.match(String(children.find((c) => labelOf(c) === 'UF')!.description), /\/s → connect-timeout$/);
    const cluster = children.find((c) => labelOf(c) === 'outbound|443||idp.example.com');
    assert.ok(cluster, children.map(labelOf).join(', '));
    assert.match(String(cluster.description), /connect timeouts/);
    for (const healthy of ['shop/frontend', 'shop/cart', 'identity/idp']) assert.ok(!rows().some((r) => labelOf(r.item).startsWith(`${healthy} →`)), `${healthy} did not fail`);
    assert.deepEqual(first.item.command?.command, 'meshDoctor.overview.reveal');
    await overview.commands.reveal(...(first.item.command!.arguments as [unknown]));
    assert.deepEqual(revealer.namespaces, [{ context: CONTEXT, namespace: 'shop' }]);
    assert.deepEqual(ui.notifications, [], 'a refresh that works says nothing');
  });

  it('Diagnose on a row diagnoses its source workload (the Deployment shop/checkout): connect-timeout first', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('meshDoctor.overview.diagnose'), 'registered by the extension');
    await setUser('prometheus.url', prometheus.url);
    await overview.commands.refresh();
    const first = rows().find((r) => r.node.kind === 'row')!;
    assert.equal(first.item.contextValue, 'overviewRow', 'the row carries the Diagnose menu');
    const target = await overview.commands.sourceWorkload(first.node);
    assert.deepEqual(target, { workload: { context: CONTEXT, namespace: 'shop', kind: 'Deployment', name: 'checkout' } });
    // What the command table does with it (src/commands.ts meshDoctor.overview.diagnose).
    const diagnose = createDiagnose(ctx, ui, configuration, { workspaceSettings: async () => [] }, createEnvoyLogRaiser(ctx, new MemoryMemento()));
    const run = await diagnose.diagnose(target, { sampleSeconds: 1, minutes: 5 });
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.equal(run.diagnosis.target, 'deployment shop/checkout');
    assert.equal(run.diagnosis.causes[0]?.cause, 'connect-timeout', JSON.stringify(run.diagnosis.causes.map((c) => c.cause)));
    ui.notifications.length = 0;
  });

  it('Diagnose on a row whose source_workload is no workload of the cluster says so, and diagnoses nothing', async () => {
    await setUser('prometheus.url', prometheus.url);
    await overview.commands.refresh();
    const first = rows().find((r) => r.node.kind === 'row')!;
    const node = first.node as Extract<OverviewNode, { kind: 'row' }>;
    const stray = { ...node, row: { ...node.row, sourceWorkload: 'no-such-workload' } };
    assert.equal(await overview.commands.sourceWorkload(stray), undefined);
    assert.match(ui.notifications.at(-1)!.message, /^Mesh Doctor: no Deployment, StatefulSet or DaemonSet named no-such-workload in namespace shop of context overview-incident \(Istio's source_workload\)/);
    assert.equal(await overview.commands.sourceWorkload({ kind: 'flag' }), undefined, 'not a row: nothing');
    ui.notifications.length = 0;
  });

  it('without a URL, finds the in-cluster Prometheus through the API server service proxy', async () => {
    await setUser('prometheus.url', undefined);
    await overview.commands.refresh();
    assertIncidentFirst();
  });

  it('no Prometheus reachable: one message row saying so and how to set it, no pop-up, also on every later refresh', async () => {
    const port = await freeLoopbackPort();
    await setUser('prometheus.url', `http://127.0.0.1:${port}`);
    for (let i = 0; i < 3; i++) await overview.model.refresh();
    const shown = rows();
    assert.equal(shown.length, 1, shown.map((r) => labelOf(r.item)).join(', '));
    assert.equal(labelOf(shown[0].item), 'No Prometheus reachable');
    assert.match(String(shown[0].item.tooltip), /connection refused[\s\S]*What to do: check meshDoctor\.prometheus\.url/);
    assert.deepEqual(shown[0].item.command?.arguments, ['meshDoctor.prometheus.url'], 'a click opens the setting');

    await setUser('prometheus.url', undefined);
    await setUser('prometheus.service', 'monitoring/prometheus-k8s:9090');
    await overview.model.refresh();
    const viaService = rows();
    assert.equal(viaService.length, 1);
    assert.equal(labelOf(viaService[0].item), 'No Prometheus reachable');
    assert.match(String(viaService[0].item.tooltip), /prometheus-k8s[\s\S]*set meshDoctor\.prometheus\.url .*or name the in-cluster Service with meshDoctor\.prometheus\.service/);
    assert.ok(!String(viaService[0].item.tooltip).includes(standIn.token), 'the kubeconfig token is not shown');

    await setUser('prometheus.service', 'not a service');
    await overview.model.refresh();
    assert.equal(labelOf(rows()[0].item), 'Prometheus setting not usable');
    assert.deepEqual(rows()[0].item.command?.arguments, ['meshDoctor.prometheus.service']);
    await setUser('prometheus.service', undefined);
    assert.deepEqual(ui.notifications, [], 'never a pop-up');
  });

  it('credentials set by the command reach Prometheus (basic auth checked by the real server), are in no setting, and Clear removes them', async () => {
    await setUser('prometheus.url', guarded.url);
    await overview.commands.refresh();
    assert.equal(labelOf(rows()[0].item), 'No Prometheus reachable');
    assert.match(String(rows()[0].item.tooltip), /401[\s\S]*Set Prometheus Credentials/);

    ui.answerPick((items) => items.find((i) => i.label === 'Username and password'));
    ui.answerInput(BASIC_USER);
    ui.answerInput(BASIC_PASSWORD);
    await overview.commands.setCredentials();
    assert.equal(ui.inputs.find((i) => i.title === 'Prometheus password')?.password, true, 'the password is typed masked');
    await overview.commands.refresh();
    assertIncidentFirst();
    const warnings = rows()[0];
    assert.equal(labelOf(warnings.item), 'Partial result', 'the dead remote read makes Prometheus warn');
    assert.match(String(warnings.item.tooltip), /remote/i);

    const everySetting = JSON.stringify(vscode.workspace.getConfiguration());
    assert.ok(!everySetting.includes(BASIC_PASSWORD), 'the password is in no setting');
    assert.ok([...secrets.stored.values()].some((v) => v.includes(BASIC_PASSWORD)), 'it is in secret storage');
    const everythingShown = [...ui.notifications.map((n) => n.message), ...rows().flatMap((r) => [labelOf(r.item), String(r.item.description), String(r.item.tooltip)])].join('\n');
    assert.ok(!everythingShown.includes(BASIC_PASSWORD), 'nor shown');

    await overview.commands.clearCredentials();
    assert.equal(secrets.stored.size, 0);
    await overview.commands.refresh();
    assert.equal(labelOf(rows()[0].item), 'No Prometheus reachable');
  });

  it('refreshes while visible and stops while hidden: hiding aborts the queries in flight and keeps what is shown', async () => {
    await setUser('prometheus.url', prometheus.url);
    await overview.commands.refresh();
    assertIncidentFirst();
    overview.model.invalidate();
    overview.model.setVisible(true);
    assert.equal(overview.model.busy, true, 'shown and stale: asked at once');
    overview.model.setVisible(false);
    await waitFor('the aborted refresh to end', () => (overview.model.busy ? undefined : true));
    assertIncidentFirst();
  });

  it('a workspace cannot redirect the credentials: URL, headers and CA file come from user settings only', async () => {
    const target = vscode.ConfigurationTarget.Workspace;
    const keys = ['prometheus.url', 'prometheus.headers', 'prometheus.caFile'];
    const values: Record<string, unknown> = { 'prometheus.url': 'https://attacker.example.com', 'prometheus.headers': { 'X-Steal': '1' }, 'prometheus.caFile': '/tmp/attacker-ca.pem' };
    // Machine-scoped: VS Code itself may refuse the workspace write.
    for (const key of keys) await config().update(key, values[key], target).then(undefined, () => undefined);
    try {
      const effective = readConfig();
      assert.equal(effective.prometheusUrl, prometheus.url);
      assert.deepEqual(effective.prometheusHeaders, {});
      assert.equal(effective.prometheusCaFile, '');
    } finally {
      for (const key of keys) await config().update(key, undefined, target).then(undefined, () => undefined);
    }
  });

  it('follows a switch of the active context: the new context is asked, its in-cluster Prometheus found through its own API server, and back', async () => {
    const other = await startStandIn({ scenario: 'incident', contextName: OTHER_CONTEXT });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-overview-contexts-'));
    try {
      const kubeconfig = path.join(dir, 'kubeconfig');
      mergeKubeconfigs([standIn.kubeconfigPath, other.kubeconfigPath], kubeconfig);
      await setUser('kubeconfig', kubeconfig);
      await setUser('prometheus.url', undefined);
      await overview.commands.refresh();
      assertIncidentFirst();
      overview.model.setVisible(true);
      activeContext.switchTo(OTHER_CONTEXT);
      const state = await waitFor('the other context asked', () => (overview.model.state.kind === 'problem' && !overview.model.busy ? overview.model.state : undefined), 30_000);
      assert.equal(state.context, OTHER_CONTEXT);
      const shown = rows();
      assert.equal(labelOf(shown[0].item), 'No Prometheus reachable');
      assert.match(String(shown[0].item.tooltip), new RegExp(`Service istio-system/prometheus:9090 through the API server of context ${OTHER_CONTEXT}`));
      activeContext.switchTo(CONTEXT);
      await waitFor('the first context asked again', () => (overview.model.state.kind === 'loaded' && !overview.model.busy ? true : undefined), 30_000);
      assertIncidentFirst();
      assert.ok(String(rows().find((r) => r.node.kind === 'row')!.item.tooltip).includes(`context ${CONTEXT}`));
    } finally {
      overview.model.setVisible(false);
      activeContext.switchTo(CONTEXT);
      await setUser('kubeconfig', standIn.kubeconfigPath);
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
