/**
 * Where Istio configuration lives in real repositories, and how each place is reached: resources
 * (also as `List` items and Kustomize patches), mesh configs (IstioOperator, Helm values in any
 * wrapper, Argo CD and Flux releases, Sail CRs, the mesh ConfigMap), and pod annotations.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { parseDuration } from '../duration';
import { lintConnectTimeouts } from './connectTimeouts';
import { embeddedDocuments, parseProblem } from './documentSource';
import { scanDocumentTimeouts, scanMeshConfig, isBareMeshConfig, type ConnectTimeoutNode, type ResourceRef } from './istioSites';
import type { LintContext } from './lintContext';
import { checkConnectionPool, checkDrain, DEFAULT_GRACE_SECONDS, checkOutlierDetection, checkStartupOrder, proxyHoldsApplications, valuesHoldApplications } from './trafficRules';
import type { ConnectTimeoutSite } from './types';
import { SERVER_FIRST_PORTS } from './crossFile';

const NETWORKING_VERSIONS = new Set(['v1', 'v1beta1', 'v1alpha3']);
/** ConfigMap `istio`, `istio-<revision>`, and dump names such as `istio-cp-v117x.istio-system`. */
const MESH_CONFIGMAP_NAME = /^istio(-[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Rollout', 'DeploymentConfig']);
/** Wrappers of istiod's chart values: the 1.22+ defaults, and subchart keys of umbrella charts. */
const ISTIOD_VALUES_HINTS = ['pilot', 'global', 'revision', 'sidecarInjectorWebhook', 'istiodRemote', 'telemetry', 'meshConfig'];
const DEPTH_LIMIT = 6;

/** Top-level kinds visitDocument reads besides those of Istio's own API groups (see documentYield). */
const KINDS_READ: ReadonlySet<string> = new Set([
  ...WORKLOAD_KINDS, 'ConfigMap', 'Service', 'Namespace', 'Application', 'ApplicationSet', 'HelmRelease', 'Kustomization', 'Component', 'IstioControlPlane', 'IstioMesh',
]);
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?([A-Za-z0-9]+)/m;
const ISTIO_API_VERSION = /^apiVersion:[ \t]*["']?[^\s"']*(?:istio\.io|sailoperator\.io)\//m;
/** A workload or Service anywhere in a text (also as a List item): what a cross-file rule may judge against. */
export const WORKLOAD_OR_SERVICE_KIND = new RegExp(`^[ \\t-]*kind:[ \\t]*["']?(?:${[...WORKLOAD_KINDS, 'Service'].join('|')})\\b`, 'm');
/** The only annotation of a workload a rule reads (visitWorkload); without it a workload yields facts only. */
const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';
/** Double-quoted escapes can spell any name (`"\x69stio"`): a ConfigMap using them may still be the mesh's. */
const QUOTED_ESCAPE = /\\[xuU]/;
const SERVER_FIRST_PORT_TEXTS = Object.keys(SERVER_FIRST_PORTS);

/** A Service that may list a server-first protocol's port (the protocol rule's only input). */
export const mayListServerFirstPort = (text: string): boolean => SERVER_FIRST_PORT_TEXTS.some((port) => text.includes(port));

/**
 * What parsing one document can give, judged from its text by its top-level kind: `nothing` (a
 * kind no rule reads, such as a CustomResourceDefinition whose schema mentions connectTimeout, a
 * Secret, or a ConfigMap that cannot be the mesh's, which must be named istio…), `findings`, or
 * only `facts` for other files' rules (a workload without a proxy.istio.io/config annotation, a
 * Service without a server-first port): a caller parses those only when a cross-file rule needs
 * them. A document without a top-level `kind:` line (values, a bare MeshConfig, JSON) and a List
 * are read for findings.
 */
export function documentYield(text: string): 'nothing' | 'findings' | 'facts' {
  const kind = TOP_LEVEL_KIND.exec(text)?.[1];
  if (kind === undefined || kind.endsWith('List') || ISTIO_API_VERSION.test(text)) return 'findings';
  if (!KINDS_READ.has(kind)) return 'nothing';
  if (kind === 'ConfigMap') return text.includes('istio') || QUOTED_ESCAPE.test(text) ? 'findings' : 'nothing';
  if (WORKLOAD_KINDS.has(kind)) return text.includes(PROXY_CONFIG_ANNOTATION) ? 'findings' : 'facts';
  if (kind === 'Service') return mayListServerFirstPort(text) ? 'findings' : 'facts';
  return 'findings';
}
const MAX_PATCH_SEGMENTS = 16;

const join = (prefix: string, key: string): string => (prefix === '' ? key : `${prefix}.${key}`);

function resourceOf(ctx: LintContext, root: unknown, inheritedNamespace: string | null): ResourceRef {
  const w = ctx.walker;
  return {
    kind: w.string(w.get(root, 'kind')) ?? 'unknown',
    name: w.string(w.at(root, 'metadata', 'name')),
    namespace: w.string(w.at(root, 'metadata', 'namespace')) ?? inheritedNamespace,
  };
}

/** Lints one YAML node that may be a resource, a list, a Kustomization, Helm values or a bare MeshConfig. */
export function visitDocument(ctx: LintContext, node: Node | null, namespace: string | null, depth = 0): void {
  const w = ctx.walker;
  if (depth > DEPTH_LIMIT) return;
  if (isSeq(w.deref(node))) {
    visitJsonPatch(ctx, node, null, namespace);
    return;
  }
  const root = w.map(node);
  if (root === null) return;
  const apiVersion = w.string(w.get(root, 'apiVersion'));
  const kind = w.string(w.get(root, 'kind'));
  if (apiVersion === null && kind === null) {
    if (isKustomization(ctx, root)) visitKustomization(ctx, root, depth);
    else visitUntyped(ctx, root);
    return;
  }
  const [group, version] = apiVersion !== null && apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion ?? ''];
  const resource = resourceOf(ctx, root, namespace);
  if (group.endsWith('istio.io') || group === 'sailoperator.io') {
    ctx.result.isIstio = true;
    ctx.result.facts.istioResources.push(resource);
  }
  if ((kind === 'List' || (kind?.endsWith('List') ?? false)) && isSeq(w.get(root, 'items'))) {
    for (const item of w.items(w.get(root, 'items'))) visitDocument(ctx, item, namespace, depth + 1);
    return;
  }
  if (group === 'networking.istio.io' && NETWORKING_VERSIONS.has(version)) {
    visitNetworking(ctx, root, resource, kind);
    return;
  }
  if (group === 'security.istio.io' && kind === 'PeerAuthentication') {
    collectPeerAuthentication(ctx, root, resource);
    return;
  }
  if (group === 'install.istio.io' && kind === 'IstioOperator') {
    ctx.result.isIstio = true;
    const ordered = valuesHoldApplications(ctx, w.at(root, 'spec', 'values'));
    visitMeshConfig(ctx, w.at(root, 'spec', 'meshConfig'), w.keyNode(w.get(root, 'spec'), 'meshConfig'), 'spec.meshConfig', 'IstioOperator', resource, ordered);
    visitMeshConfig(ctx, w.at(root, 'spec', 'values', 'meshConfig'), w.keyNode(w.at(root, 'spec', 'values'), 'meshConfig'), 'spec.values.meshConfig', 'IstioOperator', resource, ordered);
    visitOverlays(ctx, w.at(root, 'spec', 'components'), resource, depth);
    return;
  }
  if (group === 'servicemesh.cisco.com' && (kind === 'IstioControlPlane' || kind === 'IstioMesh')) {
    visitCiscoControlPlane(ctx, root, resource, kind);
    return;
  }
  if (group === 'sailoperator.io' && (kind === 'Istio' || kind === 'IstioRevision')) {
    visitHelmValues(ctx, w.at(root, 'spec', 'values'), 'spec.values', resource);
    return;
  }
  if (group === 'argoproj.io' && (kind === 'Application' || kind === 'ApplicationSet')) {
    const spec = kind === 'ApplicationSet' ? w.at(root, 'spec', 'template', 'spec') : w.get(root, 'spec');
    const prefix = kind === 'ApplicationSet' ? 'spec.template.spec' : 'spec';
    visitArgoSource(ctx, w.get(spec, 'source'), `${prefix}.source`, resource, depth);
    w.items(w.get(spec, 'sources')).forEach((source, i) => visitArgoSource(ctx, source, `${prefix}.sources[${i}]`, resource, depth));
    return;
  }
  if (group === 'helm.toolkit.fluxcd.io' && kind === 'HelmRelease') {
    visitHelmValues(ctx, w.at(root, 'spec', 'values'), 'spec.values', resource);
    return;
  }
  if (group === 'kustomize.config.k8s.io') {
    visitKustomization(ctx, root, depth);
    return;
  }
  if (apiVersion === 'v1' && kind === 'ConfigMap' && MESH_CONFIGMAP_NAME.test(resource.name ?? '')) {
    const mesh = w.at(root, 'data', 'mesh');
    if (isScalar(mesh) && typeof mesh.value === 'string') {
      ctx.result.isIstio = true;
      const opener = w.keyNode(w.get(root, 'data'), 'mesh') ?? mesh;
      visitEmbedded(ctx, mesh, depth, 'data.mesh of this ConfigMap', (inner, doc) => visitMeshConfig(inner, doc, opener, 'data.mesh', 'MeshConfigMap', resource, false, ctx));
    }
    return;
  }
  if (apiVersion === 'v1' && kind === 'Service') {
    collectService(ctx, root, resource);
    return;
  }
  if (apiVersion === 'v1' && kind === 'Namespace') {
    collectNamespace(ctx, root, resource);
    return;
  }
  if (kind !== null && WORKLOAD_KINDS.has(kind)) visitWorkload(ctx, root, resource, kind, depth);
}

function visitNetworking(ctx: LintContext, root: Node, ref: ResourceRef, kind: string | null): void {
  const w = ctx.walker;
  ctx.result.isIstio = true;
  const resource = kind === 'DestinationRule' ? withExportTo(ctx, root, ref) : ref;
  const timeouts: ConnectTimeoutNode[] = [];
  scanDocumentTimeouts(w, root, kind, timeouts);
  lintConnectTimeouts(ctx, resource, timeouts);
  if (kind === 'DestinationRule') {
    const host = w.string(w.at(root, 'spec', 'host'));
    const hostTemplated = (() => { const n = w.at(root, 'spec', 'host'); return n !== null && ctx.isTemplated(n); })();
    const policies: { policy: Node | null; prefix: string }[] = [{ policy: w.at(root, 'spec', 'trafficPolicy'), prefix: 'spec.trafficPolicy' }];
    w.items(w.at(root, 'spec', 'subsets')).forEach((subset, i) => policies.push({ policy: w.get(subset, 'trafficPolicy'), prefix: `spec.subsets[${i}].trafficPolicy` }));
    for (const { policy, prefix } of policies) {
      checkConnectionPool(ctx, w.get(policy, 'connectionPool'), `${prefix}.connectionPool`, 'DestinationRule', resource, host);
      checkOutlierDetection(ctx, w.get(policy, 'outlierDetection'), `${prefix}.outlierDetection`, resource, host);
      collectTlsMode(ctx, w.at(policy, 'tls', 'mode'), `${prefix}.tls.mode`, resource, hostTemplated ? null : host);
      w.items(w.get(policy, 'portLevelSettings')).forEach((port, j) => {
        const portPrefix = `${prefix}.portLevelSettings[${j}]`;
        checkConnectionPool(ctx, w.get(port, 'connectionPool'), `${portPrefix}.connectionPool`, 'DestinationRule', resource, host);
        checkOutlierDetection(ctx, w.get(port, 'outlierDetection'), `${portPrefix}.outlierDetection`, resource, host);
        collectTlsMode(ctx, w.at(port, 'tls', 'mode'), `${portPrefix}.tls.mode`, resource, hostTemplated ? null : host);
      });
    }
  } else if (kind === 'Sidecar') {
    checkConnectionPool(ctx, w.at(root, 'spec', 'inboundConnectionPool'), 'spec.inboundConnectionPool', 'Sidecar', resource, null);
    w.items(w.at(root, 'spec', 'ingress')).forEach((ingress, i) => {
      checkConnectionPool(ctx, w.get(ingress, 'connectionPool'), `spec.ingress[${i}].connectionPool`, 'Sidecar', resource, null);
    });
  }
}

/**
 * A DestinationRule's `exportTo` decides from which namespaces Istio applies it (precedence.ts).
 * A list with a templated or non-string entry cannot be known: the rule is taken as exported everywhere.
 */
function withExportTo(ctx: LintContext, root: Node, resource: ResourceRef): ResourceRef {
  const w = ctx.walker;
  const list = w.seq(w.at(root, 'spec', 'exportTo'));
  if (list === null || ctx.isTemplated(list)) return resource;
  const entries = w.items(list).map((item) => (ctx.isTemplated(item) ? null : w.string(item)));
  if (entries.some((e) => e === null)) return resource;
  return { ...resource, exportTo: entries as string[] };
}

/** A MeshConfig: its connect timeouts and the start-up order it leaves. */
function visitMeshConfig(
  ctx: LintContext, meshConfig: Node | null, opener: Node | null, prefix: string, site: ConnectTimeoutSite, resource: ResourceRef, startupOrdered: boolean,
  openerContext: LintContext = ctx,
): void {
  if (ctx.walker.map(meshConfig) === null) return;
  ctx.result.isIstio = true;
  const timeouts: ConnectTimeoutNode[] = [];
  scanMeshConfig(ctx.walker, meshConfig, prefix, site, timeouts);
  lintConnectTimeouts(ctx, resource, timeouts);
  collectMeshConfig(ctx, meshConfig, prefix, resource);
  if (opener === null) return;
  // The finding points at the key that opens the mesh config, which may sit in the outer document (`mesh: |-`).
  checkStartupOrder(ctx, meshConfig, { opener, resource, path: prefix, site, startupOrdered }, openerContext);
}

/**
 * The Cisco (banzaicloud) istio-operator: an IstioControlPlane's `spec.meshConfig`, with
 * `spec.proxy` holding applications, and an IstioMesh's `spec.config`, merged into the control
 * planes that use it (its start-up order is theirs, reported there).
 */
function visitCiscoControlPlane(ctx: LintContext, root: Node, resource: ResourceRef, kind: 'IstioControlPlane' | 'IstioMesh'): void {
  const w = ctx.walker;
  ctx.result.isIstio = true;
  ctx.result.facts.istioResources.push(resource);
  const key = kind === 'IstioMesh' ? 'config' : 'meshConfig';
  const opener = kind === 'IstioMesh' ? null : w.keyNode(w.get(root, 'spec'), key);
  visitMeshConfig(ctx, w.at(root, 'spec', key), opener, `spec.${key}`, 'IstioOperator', resource, proxyHoldsApplications(ctx, w.at(root, 'spec', 'proxy')));
}

/** What other files' rules read from a mesh config: its root namespace and the mesh-wide drain. */
function collectMeshConfig(ctx: LintContext, meshConfig: Node | null, prefix: string, resource: ResourceRef): void {
  const w = ctx.walker;
  const rootNode = w.get(meshConfig, 'rootNamespace');
  const drainNode = w.at(meshConfig, 'defaultConfig', 'terminationDrainDuration');
  const drainParse = isScalar(drainNode) && !ctx.isTemplated(drainNode) ? parseDuration(String(drainNode.value)) : null;
  const [s, e] = drainNode?.range ?? [0, 0];
  ctx.result.facts.meshConfigs.push({
    resource,
    rootNamespace: rootNode !== null && !ctx.isTemplated(rootNode) ? w.string(rootNode) : null,
    drain: drainNode !== null && drainParse?.ok === true
      ? { seconds: drainParse.seconds, value: ctx.source.text.slice(s, e), path: join(prefix, 'defaultConfig.terminationDrainDuration'), range: ctx.where(drainNode).range }
      : null,
  });
}

/**
 * `spec.components.<name>.k8s.overlays` (gateways: a list of components) patch rendered
 * resources by dotted path. A patch of the mesh ConfigMap's `data.mesh` replaces the mesh config
 * with its value, a YAML string linted in place. Its start-up order is the operator's own
 * meshConfig's (reported there once), so only the values are judged here.
 */
function visitOverlays(ctx: LintContext, components: Node | null, resource: ResourceRef, depth: number): void {
  const w = ctx.walker;
  for (const name of w.keys(components)) {
    const component = w.get(components, name);
    const entries = isSeq(component) ? w.items(component).map((c, i) => ({ c, at: `spec.components.${name}[${i}]` })) : [{ c: component, at: `spec.components.${name}` }];
    for (const { c, at } of entries) {
      w.items(w.at(c, 'k8s', 'overlays')).forEach((overlay, i) => {
        if (w.string(w.get(overlay, 'kind')) !== 'ConfigMap' || !MESH_CONFIGMAP_NAME.test(w.string(w.get(overlay, 'name')) ?? '')) return;
        w.items(w.get(overlay, 'patches')).forEach((patch, j) => {
          const value = w.get(patch, 'value');
          if (w.string(w.get(patch, 'path')) !== 'data.mesh' || !isScalar(value) || typeof value.value !== 'string') return;
          const prefix = `${at}.k8s.overlays[${i}].patches[${j}].value`;
          visitEmbedded(ctx, value, depth, prefix, (inner, doc) => visitMeshConfig(inner, doc, null, prefix, 'IstioOperator', resource, false));
        });
      });
    }
  }
}

/** Helm values for istiod: at the top, under the 1.22+ defaults wrapper, or under an umbrella chart's subchart key. */
function visitHelmValues(ctx: LintContext, values: Node | null, prefix: string, resource: ResourceRef): void {
  const w = ctx.walker;
  if (w.map(values) === null) return;
  const visit = (holder: Node | null, path: string): void => {
    const ordered = valuesHoldApplications(ctx, holder) || valuesHoldApplications(ctx, values);
    visitMeshConfig(ctx, w.get(holder, 'meshConfig'), w.keyNode(holder, 'meshConfig'), join(path, 'meshConfig'), 'HelmValues', resource, ordered);
  };
  visit(values, prefix);
  visit(w.get(values, '_internal_defaults_do_not_set'), join(prefix, '_internal_defaults_do_not_set'));
  for (const key of w.keys(values)) {
    if (key === 'meshConfig' || key === '_internal_defaults_do_not_set') continue;
    const sub = w.get(values, key);
    if (w.map(w.get(sub, 'meshConfig')) === null) continue;
    // A subchart key holds istiod's values when its meshConfig sits among istiod's other keys, or it is named so.
    if (/istio/i.test(key) || w.keys(sub).some((k) => k !== 'meshConfig' && ISTIOD_VALUES_HINTS.includes(k))) visit(sub, join(prefix, key));
  }
}

function visitUntyped(ctx: LintContext, root: Node): void {
  const w = ctx.walker;
  const helm: ResourceRef = { kind: 'HelmValues', name: null, namespace: null };
  const before = ctx.result.findings.length + ctx.result.settings.length;
  const hadMesh = ['meshConfig', '_internal_defaults_do_not_set'].some((k) => w.map(w.get(root, k)) !== null);
  visitHelmValues(ctx, root, '', helm);
  if (hadMesh || ctx.result.findings.length + ctx.result.settings.length > before) return;
  if (!isBareMeshConfig(w, root)) return;
  const first = w.map(root)?.items[0]?.key;
  visitMeshConfig(ctx, root, isScalar(first) ? first : null, '', 'MeshConfig', { kind: 'MeshConfig', name: null, namespace: null }, false);
}

function visitArgoSource(ctx: LintContext, source: Node | null, prefix: string, resource: ResourceRef, depth: number): void {
  const w = ctx.walker;
  const helm = w.get(source, 'helm');
  if (helm === null) return;
  visitHelmValues(ctx, w.get(helm, 'valuesObject'), `${prefix}.helm.valuesObject`, resource);
  const values = w.get(helm, 'values');
  if (isScalar(values) && typeof values.value === 'string') {
    visitEmbedded(ctx, values, depth, `${prefix}.helm.values`, (inner, doc) => visitHelmValues(inner, doc, `${prefix}.helm.values`, resource));
  } else {
    visitHelmValues(ctx, values, `${prefix}.helm.values`, resource);
  }
}

/** Parses a string holding YAML and visits each of its documents, positions mapped back into the file. */
function visitEmbedded(ctx: LintContext, scalar: Scalar, depth: number, what: string, visit: (inner: LintContext, root: Node | null) => void): void {
  if (depth > DEPTH_LIMIT) return;
  const { docs, source } = embeddedDocuments(scalar, ctx.source);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      ctx.result.problems.push(parseProblem(doc.errors[0], source, ctx.lines, `${what} does not parse as YAML`));
      continue;
    }
    visit(ctx.embedded(doc, source), doc.contents as Node | null);
  }
}

function isKustomization(ctx: LintContext, root: Node): boolean {
  const w = ctx.walker;
  return ['patches', 'patchesStrategicMerge', 'patchesJson6902'].some((k) => w.get(root, k) !== null) && ['resources', 'bases', 'components', 'namespace'].some((k) => w.get(root, k) !== null)
    || ['patches', 'patchesStrategicMerge', 'patchesJson6902'].some((k) => isSeq(w.get(root, k)) && w.items(w.get(root, k)).some((p) => w.get(p, 'patch') !== null || w.get(p, 'target') !== null));
}

/** Kustomize patches written inline: strategic-merge documents and JSON6902 operations, each for its target. */
function visitKustomization(ctx: LintContext, root: Node, depth: number): void {
  const w = ctx.walker;
  const namespace = w.string(w.get(root, 'namespace'));
  const patches = [...w.items(w.get(root, 'patches')), ...w.items(w.get(root, 'patchesJson6902'))];
  for (const entry of patches) {
    const patch = w.get(entry, 'patch');
    if (!isScalar(patch) || typeof patch.value !== 'string') continue;
    const target = w.get(entry, 'target');
    visitEmbedded(ctx, patch, depth, 'this Kustomize patch', (inner, doc) => {
      if (isSeq(inner.walker.deref(doc))) visitJsonPatch(inner, doc, targetOf(ctx, target), namespace);
      else visitDocument(inner, doc, namespace, depth + 1);
    });
  }
  for (const entry of w.items(w.get(root, 'patchesStrategicMerge'))) {
    if (isScalar(entry) && typeof entry.value === 'string' && entry.value.includes('\n')) {
      visitEmbedded(ctx, entry, depth, 'this strategic-merge patch', (inner, doc) => visitDocument(inner, doc, namespace, depth + 1));
    }
  }
}

interface PatchTarget { kind: string | null; name: string | null; namespace: string | null }

function targetOf(ctx: LintContext, target: Node | null): PatchTarget | null {
  const w = ctx.walker;
  if (w.map(target) === null) return null;
  return { kind: w.string(w.get(target, 'kind')), name: w.string(w.get(target, 'name')), namespace: w.string(w.get(target, 'namespace')) };
}

/**
 * JSON6902 operations (`op`, `path`, `value`): each `add`/`replace` is rebuilt as the resource it
 * would produce, holding the original value node (so positions are where the value is written),
 * and linted as that kind. Without a target, a path under `/spec/trafficPolicy` or `/spec/subsets`
 * can only be a DestinationRule's.
 */
function visitJsonPatch(ctx: LintContext, ops: Node | null, target: PatchTarget | null, namespace: string | null): void {
  const w = ctx.walker;
  for (const op of w.items(ops)) {
    const kind = w.string(w.get(op, 'op'));
    const path = w.string(w.get(op, 'path'));
    const value = w.get(op, 'value');
    if ((kind !== 'add' && kind !== 'replace') || path === null || !path.startsWith('/') || value === null) continue;
    const segments = path.slice(1).split('/', MAX_PATCH_SEGMENTS + 1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    // No Istio field is this deep: a longer path is not one the rules read, and rebuilding it would cost its length.
    if (segments.length > MAX_PATCH_SEGMENTS) continue;
    const targetKind = target?.kind ?? (segments[0] === 'spec' && ['trafficPolicy', 'subsets', 'host'].includes(segments[1] ?? '') ? 'DestinationRule' : null);
    if (targetKind !== 'DestinationRule' && targetKind !== 'Sidecar') continue;
    let built: Node = value;
    for (let i = segments.length - 1; i >= 0; i--) {
      const segment = segments[i];
      if (/^(\d+|-)$/.test(segment)) {
        const seq = new YAMLSeq();
        seq.items.push(built);
        built = seq;
      } else {
        const map = new YAMLMap();
        map.items.push(new Pair(new Scalar(segment), built));
        built = map;
      }
    }
    const resource = new YAMLMap();
    resource.items.push(new Pair(new Scalar('apiVersion'), new Scalar('networking.istio.io/v1')));
    resource.items.push(new Pair(new Scalar('kind'), new Scalar(targetKind)));
    const metadata = new YAMLMap();
    if (target?.name) metadata.items.push(new Pair(new Scalar('name'), new Scalar(target.name)));
    const ns = target?.namespace ?? namespace;
    if (ns) metadata.items.push(new Pair(new Scalar('namespace'), new Scalar(ns)));
    resource.items.push(new Pair(new Scalar('metadata'), metadata));
    if (!isMap(built)) continue;
    for (const pair of built.items) resource.items.push(pair);
    visitNetworking(ctx, resource, { kind: targetKind, name: target?.name ?? null, namespace: ns }, targetKind);
  }
}

function stringMap(ctx: LintContext, node: Node | null): Record<string, string> | null {
  const w = ctx.walker;
  const map = w.map(node);
  if (map === null) return null;
  const out: Record<string, string> = {};
  for (const key of w.keys(map)) {
    const value = w.string(w.get(map, key));
    if (value !== null) out[key] = value;
  }
  return out;
}

function collectPeerAuthentication(ctx: LintContext, root: Node, resource: ResourceRef): void {
  const w = ctx.walker;
  const modeNode = w.at(root, 'spec', 'mtls', 'mode');
  const mode = w.string(modeNode);
  if (mode === null || modeNode === null || ctx.isTemplated(modeNode)) return;
  const selectorNode = w.at(root, 'spec', 'selector', 'matchLabels');
  ctx.result.facts.peerAuthentications.push({
    name: resource.name, namespace: resource.namespace, selector: stringMap(ctx, selectorNode), mode: mode.toUpperCase(), range: ctx.where(modeNode).range,
  });
}

function collectTlsMode(ctx: LintContext, modeNode: Node | null, path: string, resource: ResourceRef, host: string | null): void {
  const mode = ctx.walker.string(modeNode);
  if (mode === null || modeNode === null || ctx.isTemplated(modeNode)) return;
  const [s, e] = modeNode.range ?? [0, 0];
  ctx.result.facts.tlsModes.push({
    mode: mode.toUpperCase(), host, name: resource.name, namespace: resource.namespace, path, range: ctx.where(modeNode).range, value: ctx.source.text.slice(s, e),
  });
}

function collectService(ctx: LintContext, root: Node, resource: ResourceRef): void {
  const w = ctx.walker;
  const portsNode = w.at(root, 'spec', 'ports');
  const ports = w.items(portsNode).flatMap((port) => {
    const portNode = w.get(port, 'port');
    if (!isScalar(portNode) || ctx.isTemplated(portNode) || typeof portNode.value !== 'number') return [];
    const nameNode = w.get(port, 'name');
    const protocolNode = w.get(port, 'appProtocol');
    if ((nameNode !== null && ctx.isTemplated(nameNode)) || (protocolNode !== null && ctx.isTemplated(protocolNode))) return [];
    return [{ port: portNode.value, name: w.string(nameNode), appProtocol: w.string(protocolNode), range: ctx.where(portNode).range }];
  });
  ctx.result.facts.services.push({
    name: resource.name, namespace: resource.namespace, selector: stringMap(ctx, w.at(root, 'spec', 'selector')), ports,
    portsTemplated: portsNode !== null && ctx.isTemplated(portsNode),
  });
}

function collectNamespace(ctx: LintContext, root: Node, resource: ResourceRef): void {
  if (resource.name === null) return;
  const labels = stringMap(ctx, ctx.walker.at(root, 'metadata', 'labels')) ?? {};
  const sidecarInjection = labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled');
  const meshed = sidecarInjection || labels['istio.io/dataplane-mode'] === 'ambient';
  ctx.result.facts.namespaces.push({ name: resource.name, meshed, sidecarInjection, range: ctx.where(root).range });
}

/** A workload: its pod's proxy.istio.io/config annotation, its drain against its grace period, and facts for mTLS. */
function visitWorkload(ctx: LintContext, root: Node, resource: ResourceRef, kind: string, depth: number): void {
  const w = ctx.walker;
  const podTemplate = kind === 'Pod' ? root : kind === 'CronJob' ? w.at(root, 'spec', 'jobTemplate', 'spec', 'template') : w.at(root, 'spec', 'template');
  const metadata = w.get(podTemplate, 'metadata');
  const labels = stringMap(ctx, w.get(metadata, 'labels')) ?? {};
  const annotations = stringMap(ctx, w.get(metadata, 'annotations')) ?? {};
  const inject = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  const proxyConfig = w.get(w.get(metadata, 'annotations'), 'proxy.istio.io/config');
  const podPath = kind === 'Pod' ? '' : kind === 'CronJob' ? 'spec.jobTemplate.spec.template.' : 'spec.template.';
  const graceNode = w.get(w.get(podTemplate, 'spec'), 'terminationGracePeriodSeconds');
  const grace = isScalar(graceNode) && typeof graceNode.value === 'number' && !ctx.isTemplated(graceNode) ? graceNode.value : null;
  const graceKnown = graceNode === null || grace !== null;
  // The pod's own drain (proxy.istio.io/config) wins over the mesh's: then the mesh value says nothing about this pod.
  const podMaySetDrain = proxyConfig !== null && (!isScalar(proxyConfig) || typeof proxyConfig.value !== 'string' || ctx.isTemplated(proxyConfig) || proxyConfig.value.includes('terminationDrainDuration'));
  const specKey = w.keyNode(podTemplate, 'spec');
  const graceAt = graceNode ?? specKey;
  ctx.result.facts.workloads.push({
    kind, name: resource.name, namespace: resource.namespace, podLabels: labels,
    injectionDisabled: inject !== undefined && /^false$/i.test(inject),
    injectionRequested: (inject !== undefined && /^true$/i.test(inject)) || labels['istio.io/rev'] !== undefined,
    range: ctx.where(root).range,
    ...(graceKnown && !podMaySetDrain && graceAt !== null
      ? { grace: { seconds: grace, range: ctx.where(graceAt).range, path: `${podPath}spec${graceNode !== null ? '.terminationGracePeriodSeconds' : ''}` } }
      : {}),
  });
  if (!isScalar(proxyConfig) || typeof proxyConfig.value !== 'string' || ctx.isTemplated(proxyConfig)) return;
  ctx.result.isIstio = true;
  if (!graceKnown) return visitProxyConfigTimeouts(ctx, proxyConfig, resource, depth);
  const annotationPath = `${kind === 'Pod' ? '' : 'spec.template.'}metadata.annotations.proxy.istio.io/config`;
  visitEmbedded(ctx, proxyConfig, depth, 'the proxy.istio.io/config annotation', (inner, doc) => {
    const timeouts: ConnectTimeoutNode[] = [];
    const node = inner.walker.get(doc, 'connectTimeout');
    if (node !== null && !(isScalar(node) && node.value === null)) timeouts.push({ site: 'PodProxyConfig', path: `${annotationPath}.connectTimeout`, key: 'connectTimeout', node, host: null });
    lintConnectTimeouts(inner, resource, timeouts);
    const drain = inner.walker.get(doc, 'terminationDrainDuration');
    if (drain !== null) checkDrain(inner, drain, grace ?? DEFAULT_GRACE_SECONDS, grace !== null, resource, `${annotationPath}.terminationDrainDuration`);
  });
}

function visitProxyConfigTimeouts(ctx: LintContext, proxyConfig: Scalar, resource: ResourceRef, depth: number): void {
  visitEmbedded(ctx, proxyConfig, depth, 'the proxy.istio.io/config annotation', (inner, doc) => {
    const node = inner.walker.get(doc, 'connectTimeout');
    if (node !== null) lintConnectTimeouts(inner, resource, [{ site: 'PodProxyConfig', path: 'proxy.istio.io/config.connectTimeout', key: 'connectTimeout', node, host: null }]);
  });
}
