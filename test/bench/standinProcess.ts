/** The stand-in in its own process, shared by the benchmarks that need a cluster. */

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKubeClients, type KubeClients } from '../../src/kube/clients';
import { loadKubeConfig } from '../../src/kube/kubeconfig';

export interface SimProcess {
  readonly kubeconfig: string;
  /** What it printed up to `ready` (`url …`, `prometheus …`). */
  readonly banner: string;
  readonly clients: KubeClients;
  stop(): Promise<void>;
}

/**
 * Its own process, so the event-loop delay and memory measured in the bench are Mesh Doctor's
 * alone, not the stand-in's work of producing 20,000 lines a second.
 */
export async function startSim(args: string[]): Promise<SimProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-bench-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '../standin/main.js'), ...args, '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready$/m.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code} before it was ready`)));
  });
  const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: kubeconfig }));
  return {
    kubeconfig,
    banner: out,
    clients,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST to the stand-in's control API (/standin/v1/...) with the kubeconfig's credentials. */
export async function control(clients: KubeClients, route: string, body: object): Promise<void> {
  const url = new URL(`/standin/v1/${route}`, clients.server);
  const opts: https.RequestOptions = { method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { 'content-type': 'application/json' } };
  await clients.kubeConfig.applyToHTTPSOptions(opts);
  await new Promise<void>((resolve, reject) => {
    const req = https.request(opts, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`control ${route}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
