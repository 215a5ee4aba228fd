import * as http from 'node:http';
import { promises as fs } from 'node:fs';
import { renderMergedMetrics } from './envoy/istioMetrics';
import { type MeshModel } from './model/meshModel';
import { type PodRecord } from './model/podRecord';

/**
 * Every sidecar pod's merged metrics endpoint (pilot-agent's `:15020/stats/prometheus`), each on
 * a loopback port of its own, and a Prometheus file-based service-discovery file listing them
 * (`[{ "targets": ["127.0.0.1:PORT"], "labels": { "namespace": …, "pod": … } }]`, the labels
 * Istio's `kubernetes-pods` scrape job gives). Pods added or deleted later are added to or removed
 * from the file, written to a temporary name and renamed, as Prometheus asks of file_sd writers.
 */
export interface MetricsTargets {
  readonly sdFile: string;
  /** `namespace/pod` → the loopback `host:port` Prometheus scrapes. */
  readonly targets: ReadonlyMap<string, string>;
  /** Resolves once the file lists every current sidecar pod. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Node closes idle keep-alive connections after this long. Prometheus keeps one connection per
 * target; closing them between scrapes keeps 10,000 targets within the process's file limit.
 */
const IDLE_KEEP_ALIVE_MS = 1000;

export async function startMetricsTargets(model: MeshModel, sdFile: string): Promise<MetricsTargets> {
  const servers = new Map<string, { server: http.Server; address: string }>();
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;

  async function listen(pod: PodRecord): Promise<void> {
    const key = pod.key;
    const server = http.createServer((req, res) => {
      req.resume();
      const current = model.getPod(pod.namespace, pod.name);
      const proxy = current ? model.runtime(current).proxy : null;
      if (!proxy || (req.url ?? '').split('?')[0] !== '/stats/prometheus') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderMergedMetrics(proxy, model.clock.now()));
    });
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.set(key, { server, address: `127.0.0.1:${(server.address() as { port: number }).port}` });
  }

  function stop(key: string): void {
    const s = servers.get(key);
    if (!s) return;
    servers.delete(key);
    s.server.close();
    s.server.closeAllConnections();
  }

  async function writeFile(): Promise<void> {
    const groups = [...servers].map(([key, s]) => {
      const [namespace, pod] = key.split('/');
      return { targets: [s.address], labels: { namespace, pod } };
    });
    const temp = `${sdFile}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(groups));
    await fs.rename(temp, sdFile);
  }

  function scheduleWrite(): Promise<void> {
    if (closed) return writing;
    if (dirty) return writing;
    dirty = true;
    writing = writing.then(async () => {
      dirty = false;
      if (!closed) await writeFile();
    });
    return writing;
  }

  let pending: Promise<unknown> = Promise.resolve();
  const subscription = model.watchPods(model.resourceVersion, (e) => {
    if (!e.pod.input.sidecar) return;
    if (e.type === 'DELETED') {
      stop(e.pod.key);
      pending = pending.then(scheduleWrite);
    } else if (e.type === 'ADDED') {
      pending = pending.then(() => (closed ? undefined : listen(e.pod))).then(scheduleWrite);
    }
  });

  // Listening sockets are opened a few at a time: 10,000 at once would only queue in libuv.
  const sidecars = model.listPods(null).filter((p) => p.input.sidecar);
  for (let i = 0; i < sidecars.length; i += 200) await Promise.all(sidecars.slice(i, i + 200).map(listen));
  await writeFile();

  return {
    sdFile,
    get targets() {
      return new Map([...servers].map(([k, s]) => [k, s.address]));
    },
    settled: async () => {
      await pending;
      await writing;
    },
    close: async () => {
      closed = true;
      subscription?.cancel();
      await pending.catch(() => undefined);
      for (const key of [...servers.keys()]) stop(key);
    },
  };
}
