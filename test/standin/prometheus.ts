import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type StandInControl } from './control';
import { type MetricsTargets, startMetricsTargets } from './prometheusTargets';
import { registerServiceProxy } from './api/serviceProxy';

/** Debian 12's `prometheus` package (2.42), installed by scripts/preflight.mjs. */
export const PROMETHEUS_BINARY = process.env.MESH_DOCTOR_PROMETHEUS ?? '/usr/bin/prometheus';

export interface StandInPrometheusOptions {
  /** How often every target is scraped; default 1 s (small scenarios). */
  readonly scrapeIntervalSeconds?: number;
  /**
   * `--web.config.file` basic-auth users (name → bcrypt hash), so clients' credentials are
   * checked by the real server.
   */
  readonly basicAuthUsers?: Readonly<Record<string, string>>;
  /**
   * `remote_read` endpoints. Prometheus turns a failing remote read into `warnings` on the
   * answer (a partial result), so a dead one makes the real server warn.
   */
  readonly remoteReadUrls?: readonly string[];
  /** Also reachable as this Service through the stand-in API server's service proxy; default istio-system/prometheus:9090. */
  readonly service?: { readonly namespace: string; readonly name: string; readonly port: number } | null;
}

export interface StandInPrometheus {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly targets: MetricsTargets;
  readonly scrapeIntervalSeconds: number;
  close(): Promise<void>;
}

/** A loopback port nothing listens on (now): for Prometheus, and for tests that need a refused connection. */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function renderConfig(sdFile: string, intervalSeconds: number, remoteReadUrls: readonly string[]): string {
  // scrape_timeout may not exceed the interval; the file_sd refresh is a fallback to inotify.
  return [
    'global:',
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${intervalSeconds}s`,
    `  evaluation_interval: ${intervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: kubernetes-pods',
    '    metrics_path: /stats/prometheus',
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(sdFile)}]`,
    '        refresh_interval: 5s',
    ...(remoteReadUrls.length > 0 ? ['remote_read:', ...remoteReadUrls.flatMap((u) => [`  - url: ${JSON.stringify(u)}`, '    read_recent: true', '    remote_timeout: 1s'])] : []),
    '',
  ].join('\n');
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr().slice(-2000)}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`prometheus not ready within ${withinMs} ms: ${stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the real Prometheus scraping the stand-in's sidecars: their merged metrics endpoints on
 * loopback, found through a file_sd file; a temporary TSDB; a free loopback port. Resolves once
 * `/-/ready` answers. `close()` stops it (SIGTERM, then SIGKILL) and removes every file.
 */
export async function startStandInPrometheus(control: StandInControl, options: StandInPrometheusOptions = {}): Promise<StandInPrometheus> {
  const interval = options.scrapeIntervalSeconds ?? 1;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-doctor-prometheus-'));
  const targets = await startMetricsTargets(control.mesh, path.join(dir, 'targets.json'));
  const configFile = path.join(dir, 'prometheus.yml');
  await fs.writeFile(configFile, renderConfig(targets.sdFile, interval, options.remoteReadUrls ?? []));
  const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, '--storage.tsdb.retention.time=2h', '--log.level=warn'];
  if (options.basicAuthUsers) {
    const users = Object.entries(options.basicAuthUsers).map(([u, hash]) => `  ${JSON.stringify(u)}: ${JSON.stringify(hash)}`);
    await fs.writeFile(path.join(dir, 'web.yml'), `basic_auth_users:\n${users.join('\n')}\n`);
    args.push(`--web.config.file=${path.join(dir, 'web.yml')}`);
  }
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(PROMETHEUS_BINARY, [...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`cannot start ${PROMETHEUS_BINARY}: ${err.message} (run scripts/preflight.mjs test)`))));
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await targets.close();
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitReady(url, child, () => stderr, 30_000), spawnFailed]);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const service = options.service === undefined ? { namespace: 'istio-system', name: 'prometheus', port: 9090 } : options.service;
  const unregister = service ? registerServiceProxy(control.mesh, service, url) : () => undefined;
  return {
    url,
    targets,
    scrapeIntervalSeconds: interval,
    close: async () => {
      unregister();
      await cleanup();
    },
  };
}

/**
 * Waits until Prometheus holds `scrapes` samples of checkout's failed-connection series (the
 * incident's workload), so rates over the window have points behind them. `headers` for a
 * Prometheus with basic auth.
 */
export async function waitForScrapes(prometheus: StandInPrometheus, scrapes: number, headers: Record<string, string> = {}): Promise<void> {
  const query = `min(count_over_time(istio_tcp_connections_closed_total{source_workload="checkout"}[5m])) >= ${scrapes}`;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`, { headers });
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Prometheus did not scrape checkout ${scrapes} times within 60 s`);
}
