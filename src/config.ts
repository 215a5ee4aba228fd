import * as vscode from 'vscode';
import { MAX_DEBUG_MINUTES } from './kube/diagnoseEvidence';
import { DEFAULT_PROMETHEUS_SERVICE } from './kube/prometheus';

/**
 * Every setting Mesh Doctor reads, in one typed place (as rust-analyzer's client does), so a
 * feature never spells a setting key itself and a rename is a one-line change.
 */
export const SECTION = 'meshDoctor';

export interface MeshDoctorConfig {
  /** The lint threshold, as written by the user (a Go duration such as `10s`). */
  readonly connectTimeoutMinimum: string;
  /** Seconds either side of a connection reset in which Envoy events may explain it. */
  readonly correlateWindowSeconds: number;
  /** Added to application log times before correlating, when app and Envoy clocks disagree. */
  readonly correlateClockOffsetSeconds: number;
  /** Manifests larger than this many megabytes are not linted (keeps huge generated files off the typing path). */
  readonly lintMaxFileSizeMB: number;
  /** Workspace scans (Lint Workspace, the background index) also read `*.json` manifests. */
  readonly lintIncludeJson: boolean;
  /** `meshDoctor.lint.background`: lint the workspace's manifests in the background, on activation and as files change. */
  readonly lintBackground: boolean;
  /** `meshDoctor.kubeconfig`: kubeconfig file(s) to use instead of KUBECONFIG / ~/.kube/config; empty for the default. */
  readonly kubeconfig: string;
  /** How Envoy admin requests and logs reach the cluster: client-node or the user's kubectl. */
  readonly transport: 'api' | 'kubectl';
  /** The kubectl binary for the `kubectl` transport (machine scope: untrusted workspaces cannot set it). */
  readonly kubectlPath: string;
  /** Minutes after which raised Envoy log levels are restored; 0 keeps them raised until asked. */
  readonly debugLoggingAutoRevertMinutes: number;
  /** Minutes of Envoy debug logging Diagnose raises on a pod or workload (user settings only: it changes the cluster's log levels); 0 for none. */
  readonly diagnoseDebugMinutes: number;
  /** Context names (globs, or regexes between slashes) that need a confirmation before any change. */
  readonly protectedContexts: readonly string[];
  /** Lines the tail editor keeps (older ones are dropped). */
  readonly tailMaxLines: number;
  /** Seconds one call to the cluster (API request, port-forward, exec, kubectl) may take. */
  readonly requestTimeoutSeconds: number;
  /** The Prometheus base URL (user settings only, so a workspace cannot send the stored credentials elsewhere); empty: the in-cluster Service. */
  readonly prometheusUrl: string;
  /** The in-cluster Prometheus Service as written, `NAMESPACE/NAME[:PORT]`, reached through the API server's service proxy. */
  readonly prometheusService: string;
  /** Extra headers on every Prometheus request (user settings only; string values only). */
  readonly prometheusHeaders: Readonly<Record<string, string>>;
  /** PEM file of the CA that signs the Prometheus certificate (user settings only); empty: Node's roots. */
  readonly prometheusCaFile: string;
  /** The Mesh Overview's window, whole minutes. */
  readonly overviewMinutes: number;
}

export function readConfig(scope?: vscode.ConfigurationScope): MeshDoctorConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    connectTimeoutMinimum: c.get<string>('connectTimeout.minimum', '10s'),
    correlateWindowSeconds: c.get<number>('correlate.windowSeconds', 5),
    correlateClockOffsetSeconds: c.get<number>('correlate.clockOffsetSeconds', 0),
    lintMaxFileSizeMB: c.get<number>('lint.maxFileSizeMB', 2),
    lintIncludeJson: c.get<boolean>('lint.includeJson', false) === true,
    lintBackground: c.get<boolean>('lint.background', true) !== false,
    kubeconfig: c.get<string>('kubeconfig', ''),
    transport: userValue<string>(c, 'transport', 'api') === 'kubectl' ? 'kubectl' : 'api',
    kubectlPath: c.get<string>('kubectlPath', '') || 'kubectl',
    debugLoggingAutoRevertMinutes: autoRevertMinutes(c),
    protectedContexts: protectedContexts(c),
    diagnoseDebugMinutes: diagnoseDebugMinutes(userValue<unknown>(c, 'diagnose.debugMinutes', 0)),
    tailMaxLines: Math.max(100, Math.floor(smallest(c, 'tail.maxLines', 10_000))),
    requestTimeoutSeconds: Math.min(3600, Math.max(1, c.get<number>('requestTimeoutSeconds', 30) || 30)),
    prometheusUrl: stringOr(userValue<unknown>(c, 'prometheus.url', ''), '').trim(),
    prometheusService: stringOr(c.get<unknown>('prometheus.service'), DEFAULT_PROMETHEUS_SERVICE_TEXT).trim() || DEFAULT_PROMETHEUS_SERVICE_TEXT,
    prometheusHeaders: stringRecord(userValue<unknown>(c, 'prometheus.headers', {})),
    prometheusCaFile: stringOr(userValue<unknown>(c, 'prometheus.caFile', ''), '').trim(),
    overviewMinutes: overviewMinutes(c.get<unknown>('overview.minutes', 5)),
  };
}

/*
 * Safety settings: a workspace (a cloned repository) must not be able to weaken them, trusted or
 * not. Untrusted workspaces cannot set them at all (package.json restrictedConfigurations); in a
 * trusted one the rule per setting is:
 * - protectedContexts: the user's list (or the default) plus the workspace's; a workspace only adds;
 * - debugLogging.autoRevertMinutes and tail.maxLines: a workspace may only lower the user's value
 *   (and for autoRevertMinutes, 0 = never, so a workspace 0 is ignored);
 * - transport: the user's value only (it decides which program talks to the cluster);
 * - prometheus.url, prometheus.headers, prometheus.caFile: the user's values only (the stored
 *   Prometheus credentials go to that URL, with those headers, trusting that CA).
 */

const DEFAULT_PROMETHEUS_SERVICE_TEXT = `${DEFAULT_PROMETHEUS_SERVICE.namespace}/${DEFAULT_PROMETHEUS_SERVICE.name}:${DEFAULT_PROMETHEUS_SERVICE.port}`;
const MAX_OVERVIEW_MINUTES = 7 * 24 * 60;

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** The string-valued entries of a settings object (anything else is not a header). */
function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function overviewMinutes(v: unknown): number {
  return isNumber(v) ? Math.min(MAX_OVERVIEW_MINUTES, Math.max(1, Math.round(v))) : 5;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function userValue<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

function workspaceValues<T>(c: vscode.WorkspaceConfiguration, key: string): T[] {
  const i = c.inspect<T>(key);
  return [i?.workspaceValue, i?.workspaceFolderValue].filter((v): v is T => v !== undefined);
}

function protectedContexts(c: vscode.WorkspaceConfiguration): string[] {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : []);
  const all = [...strings(userValue<unknown>(c, 'protectedContexts', ['*prod*'])), ...workspaceValues<unknown>(c, 'protectedContexts').flatMap(strings)];
  return [...new Set(all)];
}

/** The user's value, lowered (never raised) by a workspace's. */
function smallest(c: vscode.WorkspaceConfiguration, key: string, fallback: number): number {
  const user = userValue<unknown>(c, key, fallback);
  return Math.min(isNumber(user) ? user : fallback, ...workspaceValues<unknown>(c, key).filter(isNumber));
}

function autoRevertMinutes(c: vscode.WorkspaceConfiguration): number {
  const user = userValue<unknown>(c, 'debugLogging.autoRevertMinutes', 10);
  const base = isNumber(user) ? Math.max(0, user) : 10;
  const shorter = workspaceValues<unknown>(c, 'debugLogging.autoRevertMinutes').filter((v): v is number => isNumber(v) && v > 0);
  if (shorter.length === 0) return base;
  return Math.min(base === 0 ? Infinity : base, ...shorter);
}

function diagnoseDebugMinutes(v: unknown): number {
  return isNumber(v) && v > 0 ? Math.min(v, MAX_DEBUG_MINUTES) : 0;
}

/** True when a configuration change touches any of the given `meshDoctor.*` keys. */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
