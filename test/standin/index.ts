import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { startApiServer } from './api/server';
import { StandInControl } from './control';
import { type StandInContext, renderKubeconfig, writeKubeconfig } from './kubeconfig';
import { VirtualClock } from './logs/clock';
import { MESH_PROFILES, type MeshProfileName, meshConfigFor } from './model/meshConfig';
import { MeshModel } from './model/meshModel';
import { buildCausesScenario } from './scenarios/causes';
import { buildIncidentScenario } from './scenarios/incident';
import { DEFAULT_SCALE, type ScaleKnobs, buildScaleScenario } from './scenarios/scale';
import { standInCertificates } from './tls/certs';

export type ScenarioName = 'incident' | 'scale' | 'causes';
const SCENARIOS: readonly ScenarioName[] = ['incident', 'scale', 'causes'];

export interface StandInOptions {
  readonly scenario: ScenarioName;
  /**
   * `default` (the default): a default Istio install: no access log, only the bootstrap's stats
   * inclusion list, Envoy at the injector's levels. `demo`: the demo's richer mesh (access log on
   * and every `cluster.` stat exported through proxyStatsMatcher).
   */
  readonly profile?: MeshProfileName;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Where to write the kubeconfig; default a fresh temp folder. */
  readonly kubeconfigOut?: string;
  /** Name of the first (current) context; default `standin-<scenario>`. */
  readonly contextName?: string;
  /**
   * More contexts in the same kubeconfig, each with its own user and token, on the same server
   * (e.g. a second user, or a name containing `prod` for protected-context tests).
   */
  readonly extraContexts?: readonly { readonly name: string; readonly user?: string; readonly namespace?: string }[];
  readonly scaleKnobs?: Partial<ScaleKnobs>;
  /** Also build the `causes` scenario's namespace beside the scenario's own (the demo shows both). */
  readonly withCauses?: boolean;
  /** Virtual time at start (epoch ms or ISO text); default now. */
  readonly startTime?: number | string;
  /** Only `model.advance()` moves time (deterministic tests); default false (follows the wall clock). */
  readonly manualClock?: boolean;
  /** BOOKMARK period of watches with allowWatchBookmarks; default 60 s as the API server. */
  readonly bookmarkIntervalMs?: number;
  /** Mint a CA of its own instead of sharing this process's (tests of "wrong CA"). */
  readonly freshCertificates?: boolean;
}

export interface StandIn {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly kubeconfigPath: string;
  /** Bearer token of the first context's user. */
  readonly token: string;
  readonly contextName: string;
  /** Every context written to the kubeconfig, with its user and token. */
  readonly contexts: readonly StandInContext[];
  /** PEM of the CA that signed the server certificate. */
  readonly caCertPem: string;
  readonly model: StandInControl;
  close(): Promise<void>;
}

function startMsOf(t: number | string | undefined): number {
  if (t === undefined) return Date.now();
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`startTime ${JSON.stringify(t)} is not a time`);
  return ms;
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Starts the stand-in mesh: a Kubernetes API server over HTTPS on 127.0.0.1 (fresh CA, bearer
 * tokens) with the scenario's pods, and their Envoys behind exec and port-forward; writes a
 * kubeconfig for it. Resolves once it accepts connections.
 */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  if (!SCENARIOS.includes(options.scenario)) {
    throw new Error(`unknown scenario ${JSON.stringify(options.scenario)}: use ${SCENARIOS.map((s) => `"${s}"`).join(', ')}`);
  }
  const profile = options.profile ?? 'default';
  if (!MESH_PROFILES.includes(profile)) throw new Error(`unknown profile ${JSON.stringify(profile)}: use ${MESH_PROFILES.map((p) => `"${p}"`).join(' or ')}`);
  const clock = new VirtualClock(startMsOf(options.startTime), options.manualClock ?? false);
  const mesh = new MeshModel(clock, meshConfigFor(profile));
  if (options.bookmarkIntervalMs !== undefined) mesh.bookmarkIntervalMs = options.bookmarkIntervalMs;
  if (options.scenario === 'incident') buildIncidentScenario(mesh);
  else if (options.scenario === 'causes') buildCausesScenario(mesh);
  else buildScaleScenario(mesh, { ...DEFAULT_SCALE, ...options.scaleKnobs });
  if (options.withCauses && options.scenario !== 'causes') buildCausesScenario(mesh);

  const contextName = options.contextName ?? `standin-${options.scenario}`;
  const contexts: StandInContext[] = [
    { name: contextName, user: 'mesh-doctor', token: newToken() },
    ...(options.extraContexts ?? []).map((c, i) => ({ name: c.name, user: c.user ?? `standin-user-${i + 2}`, token: newToken(), namespace: c.namespace })),
  ];
  const tokens = new Map(contexts.map((c) => [c.token, `system:serviceaccount:mesh-doctor:${c.user}`]));
  const certificates = await standInCertificates(options.freshCertificates ?? false);
  const control = new StandInControl(mesh);
  const api = await startApiServer({ model: mesh, control, certificates, tokens, port: options.port ?? 0 });

  let tempDir: string | null = null;
  let kubeconfigPath = options.kubeconfigOut;
  if (!kubeconfigPath) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-doctor-standin-'));
    kubeconfigPath = path.join(tempDir, 'kubeconfig');
  }
  await writeKubeconfig(kubeconfigPath, renderKubeconfig(api.url, certificates.caCertPem, contexts));

  return {
    url: api.url,
    kubeconfigPath: path.resolve(kubeconfigPath),
    token: contexts[0].token,
    contextName,
    contexts,
    caCertPem: certificates.caCertPem,
    model: control,
    close: async () => {
      mesh.close();
      await api.close();
      if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
    },
  };
}

export { StandInControl } from './control';
export type { FaultSpec } from './model/faults';
export type { PodSpecInput, SidecarSpec } from './model/types';
export type { MeshProfileName } from './model/meshConfig';
export type { ScaleKnobs } from './scenarios/scale';
