import { isScalar, type Node } from 'yaml';
import { parseDuration } from '../duration';
import type { ResourceRef } from './istioSites';
import type { LintContext } from './lintContext';
import { ISTIO_OUTLIER_DOCS, ISTIO_POOL_DOCS, ISTIO_PROXY_CONFIG_DOCS } from './ruleDocs';
import type { ConnectTimeoutSite } from './types';

/** An integer written literally (`2` or `"2"`), not rendered by a template; else null. */
export function literalInteger(ctx: LintContext, node: Node | null): number | null {
  if (!isScalar(node) || ctx.isTemplated(node)) return null;
  const text = typeof node.value === 'number' ? String(node.value) : typeof node.value === 'string' ? node.value.trim() : '';
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

const POOL_LIMITS: readonly { section: 'tcp' | 'http'; key: string; what: string }[] = [
  { section: 'tcp', key: 'maxConnections', what: 'TCP connections to each upstream host' },
  { section: 'http', key: 'http1MaxPendingRequests', what: 'requests waiting for a connection' },
  { section: 'http', key: 'http2MaxRequests', what: 'concurrent requests' },
];

/** Connection pool limits so small that ordinary concurrency overflows them. */
export function checkConnectionPool(ctx: LintContext, pool: Node | null, prefix: string, site: ConnectTimeoutSite, resource: ResourceRef, host: string | null): void {
  const w = ctx.walker;
  if (w.map(pool) === null) return;
  const target = host !== null ? `to ${host}` : site === 'Sidecar' ? 'into this workload' : 'here';
  for (const limit of POOL_LIMITS) {
    const node = w.get(w.get(pool, limit.section), limit.key);
    const value = literalInteger(ctx, node);
    if (node === null || value === null || value < 1 || value > 2) continue;
    ctx.report({
      code: 'pool-limit-tiny', severity: 'warning', node, site, resource, host, path: `${prefix}.${limit.section}.${limit.key}`, docs: [ISTIO_POOL_DOCS],
      summary: `${limit.key}: ${value} overflows under ordinary load: 503 UO`,
      message: `${limit.key}: ${value} allows only ${value} ${limit.what} ${target}. Envoy rejects whatever exceeds the limit at once ` +
        '(circuit breaking), so under ordinary concurrency clients get 503 with response flag UO (upstream overflow). ' +
        `Raise it to the concurrency the service really handles (Istio's default is effectively unlimited), or remove it.`,
    });
  }
  const perConnection = w.get(w.get(pool, 'http'), 'maxRequestsPerConnection');
  if (perConnection !== null && literalInteger(ctx, perConnection) === 1) {
    ctx.report({
      code: 'pool-keepalive-off', severity: 'warning', node: perConnection, site, resource, host, path: `${prefix}.http.maxRequestsPerConnection`, docs: [ISTIO_POOL_DOCS],
      summary: 'maxRequestsPerConnection: 1 turns keep-alive off',
      message: `maxRequestsPerConnection: 1 closes the upstream connection ${target} after every request, so each request pays a new TCP (and mTLS) handshake. ` +
        'Under load this churns connections and ports, and requests racing a closing connection are reset (503 UC, or UF when connects fail). ' +
        'Remove the field (0 means unlimited) unless a server really needs one request per connection.',
    });
  }
}

/** At or above this ejection time, one bad minute keeps endpoints out for a long while. */
const LONG_EJECTION_SECONDS = 300;

/** Outlier detection that can take every endpoint out of the load balancer at once. */
export function checkOutlierDetection(ctx: LintContext, outlier: Node | null, prefix: string, resource: ResourceRef, host: string | null): void {
  const w = ctx.walker;
  if (w.map(outlier) === null) return;
  const percentNode = w.get(outlier, 'maxEjectionPercent');
  if (percentNode === null || literalInteger(ctx, percentNode) !== 100) return;
  const triggers = ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'consecutiveErrors']
    .map((key) => ({ key, value: literalInteger(ctx, w.get(outlier, key)) }))
    .filter((t): t is { key: string; value: number } => t.value !== null && t.value >= 1 && t.value <= 2);
  const ejectionNode = w.get(outlier, 'baseEjectionTime');
  const ejection = isScalar(ejectionNode) && !ctx.isTemplated(ejectionNode) ? parseDuration(String(ejectionNode.value)) : null;
  const longEjection = ejection !== null && ejection.ok && ejection.seconds >= LONG_EJECTION_SECONDS ? String((ejectionNode as { value: unknown }).value) : null;
  if (triggers.length === 0 && longEjection === null) return;
  const why = [
    ...triggers.map((t) => `${t.key}: ${t.value} ejects a host after ${t.value} failure${t.value === 1 ? '' : 's'}`),
    ...(longEjection === null ? [] : [`baseEjectionTime: ${longEjection} keeps ejected hosts out for at least that long (longer on each repeat)`]),
  ].join(' and ');
  ctx.report({
    code: 'outlier-can-eject-all', severity: 'warning', node: percentNode, site: 'DestinationRule', resource, host, path: `${prefix}.maxEjectionPercent`, docs: [ISTIO_OUTLIER_DOCS],
    summary: 'outlier detection can eject every endpoint: 503 UH',
    message: `maxEjectionPercent: 100 lets outlier detection eject every endpoint of ${host ?? 'the host'}, and ${why}. ` +
      'A short blip (a deploy, a slow dependency) can then empty the pool: clients get 503 with response flag UH (no healthy upstream). ' +
      'Keep maxEjectionPercent below 100 (Istio defaults to 10%) or require more consecutive errors and a shorter baseEjectionTime.',
  });
}

/**
 * Text anywhere in a file that orders start-up for the whole installation it describes: native
 * sidecars turned on in istiod's environment (a values `env` map, a Deployment's env list, a
 * Kustomize JSON patch of it, a command-line flag), the sidecar injector's rendered values (a
 * `kubectl get`/`istioctl manifest generate` dump) holding applications until the proxy starts, or
 * the ambient profile, whose node's ztunnel carries pods' traffic from before they start.
 */
const STARTUP_ORDERED_IN_FILE = new RegExp([
  String.raw`ENABLE_NATIVE_SIDECARS["']?\s*[:=]\s*["']?true`,
  String.raw`name:\s*["']?ENABLE_NATIVE_SIDECARS["']?\s*\r?\n\s*value:\s*["']?true`,
  String.raw`["']name["']\s*:\s*["']ENABLE_NATIVE_SIDECARS["']\s*,\s*["']value["']\s*:\s*["']?true`,
  String.raw`"holdApplicationUntilProxyStarts"\s*:\s*true`,
  String.raw`\bprofile["']?\s*:\s*["']?ambient\b`,
].join('|'), 'i');

/** Per file (its line index): a bundle of thousands of mesh configs scans its text once. */
const orderedByFile = new WeakMap<LintContext['lines'], boolean>();

/** True when the file (every document of it, see STARTUP_ORDERED_IN_FILE) already orders sidecar start-up. */
function startupOrderedInFile(ctx: LintContext): boolean {
  let ordered = orderedByFile.get(ctx.lines);
  if (ordered === undefined) {
    ordered = STARTUP_ORDERED_IN_FILE.test(ctx.lines.text);
    orderedByFile.set(ctx.lines, ordered);
  }
  return ordered;
}

/**
 * True when a proxy settings block holds applications for every injected pod through its
 * `holdApplicationUntilProxyStarts` (the injection template ORs it with the mesh's defaultConfig
 * value), or leaves it to a template: istiod's Helm values' `global.proxy`, a Cisco (banzaicloud)
 * IstioControlPlane's `spec.proxy`.
 */
export function proxyHoldsApplications(ctx: LintContext, proxy: Node | null): boolean {
  const hold = ctx.walker.get(proxy, 'holdApplicationUntilProxyStarts');
  return hold !== null && (ctx.isTemplated(hold) || (isScalar(hold) && /^true$/i.test(String(hold.value))));
}

/** The same for istiod's Helm values (`global.proxy`). */
export const valuesHoldApplications = (ctx: LintContext, values: Node | null): boolean => proxyHoldsApplications(ctx, ctx.walker.at(values, 'global', 'proxy'));

/** Where the mesh config's opening key is, and what else decides the start-up order. */
export interface MeshConfigPlace {
  readonly opener: Node;
  readonly resource: ResourceRef;
  readonly path: string;
  readonly site: ConnectTimeoutSite;
  /** The values around the mesh config order start-up themselves (global.proxy.holdApplicationUntilProxyStarts). */
  readonly startupOrdered: boolean;
}

/** A mesh config that lets applications start before their sidecar: information, once per mesh config. */
/** `reportIn` is the document holding the opening key, when the mesh config is a string inside it. */
export function checkStartupOrder(ctx: LintContext, meshConfig: Node | null, place: MeshConfigPlace, reportIn: LintContext = ctx): void {
  const w = ctx.walker;
  if (!ctx.enabled('startup-order') || w.map(meshConfig) === null || place.startupOrdered || startupOrderedInFile(ctx)) return;
  const holds = (node: Node | null): boolean => node !== null && (ctx.isTemplated(node) || (isScalar(node) && /^true$/i.test(String(node.value))));
  if (holds(w.get(w.get(meshConfig, 'defaultConfig'), 'holdApplicationUntilProxyStarts'))) return;
  // proxyMetadata becomes the proxy's environment: the key written there is not read as the setting.
  const misplaced = holds(w.at(meshConfig, 'defaultConfig', 'proxyMetadata', 'holdApplicationUntilProxyStarts'))
    ? 'Its holdApplicationUntilProxyStarts sits under defaultConfig.proxyMetadata, which only sets environment variables of the proxy: Istio does not read it there. '
    : '';
  reportIn.report({
    code: 'startup-order', severity: 'information', node: place.opener, site: place.site, resource: place.resource, host: null, path: place.path, docs: [ISTIO_PROXY_CONFIG_DOCS],
    summary: 'applications may start before their sidecar is ready',
    message: 'This mesh config sets neither defaultConfig.holdApplicationUntilProxyStarts: true nor native sidecars (ENABLE_NATIVE_SIDECARS), ' +
      'so an application container can start before its Envoy sidecar. Anything it calls while starting fails with "connection refused" ' +
      `(or 503 UF) until the sidecar is ready. ${misplaced}Set meshConfig.defaultConfig.holdApplicationUntilProxyStarts: true (or a pod's ` +
      'proxy.istio.io/config), or enable native sidecars on Kubernetes 1.29+.',
  });
}

/** Kubernetes' terminationGracePeriodSeconds when a pod sets none. */
export const DEFAULT_GRACE_SECONDS = 30;

/** A pod's drain outlasting its grace period: Kubernetes kills Envoy mid-drain. */
export function checkDrain(ctx: LintContext, drain: Node, graceSeconds: number, graceWritten: boolean, resource: ResourceRef, path: string): void {
  if (!isScalar(drain) || ctx.isTemplated(drain)) return;
  const parsed = parseDuration(String(drain.value));
  if (!parsed.ok || parsed.seconds < graceSeconds) return;
  const grace = graceWritten ? `terminationGracePeriodSeconds: ${graceSeconds}` : `the default terminationGracePeriodSeconds of ${graceSeconds}`;
  ctx.report({
    code: 'drain-exceeds-grace', severity: 'warning', node: drain, site: 'PodProxyConfig', resource, host: null, path, docs: [ISTIO_PROXY_CONFIG_DOCS],
    summary: `terminationDrainDuration ${String(drain.value)} is not shorter than the ${graceSeconds}s grace period`,
    message: `terminationDrainDuration ${String(drain.value)} is at or above ${grace} of ${resource.kind} ${resource.name ?? ''}`.trimEnd() +
      '. Kubernetes kills the pod when the grace period ends, so Envoy is killed mid-drain and the connections it still holds are reset ' +
      '(clients see connection reset / 503 UC) during every rollout. Make terminationGracePeriodSeconds longer than the drain (by a few seconds), or shorten the drain.',
  });
}
