/**
 * `npm start`: the incident, without a cluster. Starts the stand-in mesh (incident scenario), then
 * the real VS Code (code-server) with Mesh Doctor loaded from this repository and the demo
 * workspace open, and prints the URL to open. Ctrl-C stops both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStandIn } from '../standin';
import { startStandInPrometheus } from '../standin/prometheus';
import { startCodeServer, workbenchUrl } from './codeServer';
import { ensureTestHost } from './install';
import { demoWorkspaceDir, repoRoot, testCacheDir } from './paths';

/** The port from PORT, or none (code-server then picks a free one). */
function chosenPort(): number | undefined {
  if (process.env.PORT === undefined || process.env.PORT === '') return undefined;
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT=${process.env.PORT}: expected a port number from 1 to 65535`);
  return port;
}

async function main(): Promise<void> {
  const demoDir = path.join(testCacheDir, 'demo');
  // A fresh profile each time, so the demo always starts as a newcomer sees it.
  fs.rmSync(demoDir, { recursive: true, force: true });
  fs.mkdirSync(demoDir, { recursive: true });
  // The workspace is copied, so trying a quick fix in the demo never edits a tracked file.
  const workspace = path.join(demoDir, 'workspace');
  fs.cpSync(demoWorkspaceDir, workspace, { recursive: true });
  // The demo profile (access log on, cluster stats exported) shows every feature at once; tests
  // run on the default install, which has neither.
  // Beside the incident, the `causes` namespace: one pod failing by each cause the annotator names.
  const standIn = await startStandIn({ scenario: 'incident', withCauses: true, profile: 'demo', kubeconfigOut: path.join(demoDir, 'kubeconfig'), contextName: 'demo-incident' });
  console.log(`stand-in mesh (incident scenario and the causes namespace, demo profile) on ${standIn.url}, kubeconfig ${standIn.kubeconfigPath}`);
  // The real Prometheus scraping the stand-in, also in-cluster as istio-system/prometheus:9090.
  const prometheus = await startStandInPrometheus(standIn.model);
  console.log(`prometheus ${prometheus.url} (try: node dist/cli.js overview --kubeconfig ${standIn.kubeconfigPath})`);
  const host = await ensureTestHost();
  const server = await startCodeServer({
    host,
    port: chosenPort(),
    userDataDir: path.join(demoDir, 'user-data'),
    extensionsDir: path.join(demoDir, 'extensions'),
    settings: { 'meshDoctor.kubeconfig': standIn.kubeconfigPath, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const url = workbenchUrl(server, workspace, { extensionDevelopmentPath: repoRoot });
  console.log('\nMesh Doctor demo is running. Open this URL in a browser on this machine:\n');
  console.log(`  ${url}\n`);
  console.log(`From another machine: ssh -L ${server.port}:127.0.0.1:${server.port} THIS_HOST, then open the same URL there.`);
  console.log('Then open istio/istio-operator.yaml, and the Mesh Doctor view in the activity bar. Ctrl-C stops the demo.');
  console.log('In the Mesh view, the causes namespace has one pod per failure cause, named after it: "Annotate Connection resets" on any of them explains that cause.');
  const stop = async () => {
    await server.stop();
    await prometheus.close();
    await standIn.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`mesh-doctor demo: ${err.message}`);
  process.exit(1);
});
