/**
 * Rules that need more than one file: which PeerAuthentication covers a DestinationRule's host,
 * whether a host's workloads have sidecars, whether a Service's namespace is meshed. Files are
 * joined only by what Istio joins them by (namespace, host, selector), never by being linted together.
 */
import { ROOT_NAMESPACE, sameConfiguration } from './precedence';
import { DEFAULT_GRACE_SECONDS } from './trafficRules';
import { ROLLED_WORKLOAD_KINDS, type MeshConfigFact, type MeshFacts, type NamespaceFact, type PeerAuthenticationFact, type ServiceFact, type TlsModeFact, type WorkloadFact } from './meshFacts';
import { ISTIO_PEER_AUTHENTICATION_DOCS, ISTIO_PROTOCOL_SELECTION_DOCS, ISTIO_PROXY_CONFIG_DOCS, ISTIO_TLS_DOCS } from './ruleDocs';
import type { FindingCode, LintFinding, SourceRange } from './types';

export interface FileFacts {
  readonly file: string;
  readonly facts: MeshFacts;
}

export interface CrossFileFinding {
  readonly file: string;
  readonly finding: LintFinding;
}


/** Well-known ports of protocols where the server speaks first or Istio's sniffing cannot decide. */
export const SERVER_FIRST_PORTS: Readonly<Record<number, string>> = {
  3306: 'MySQL', 5432: 'PostgreSQL', 6379: 'Redis', 27017: 'MongoDB', 9042: 'Cassandra', 11211: 'Memcached', 5672: 'AMQP (RabbitMQ)',
};
/** Istio's port-name protocols (`<protocol>[-<suffix>]`), as protocol.Parse reads them. */
const NAMED_PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'redis', 'mysql', 'http_proxy']);

interface Located<T> { readonly file: string; readonly fact: T }

const cluster = (host: string): RegExpMatchArray | null => /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/i.exec(host);

/** The Service a DestinationRule host names, as Istio qualifies it: `name`, or `name.ns.svc[.cluster.local]`. */
function hostService(host: string | null, ruleNamespace: string | null): { name: string; namespace: string } | null {
  if (host === null) return null;
  const m = cluster(host);
  if (m !== null) return { name: m[1].toLowerCase(), namespace: m[2].toLowerCase() };
  if (/^[a-z0-9-]+$/i.test(host) && ruleNamespace !== null) return { name: host.toLowerCase(), namespace: ruleNamespace };
  return null;
}

/**
 * The namespace a wildcard host reaches all of: `*.ns.svc.cluster.local` its namespace; `*`,
 * `*.local`, `*.cluster.local` and `*.svc.cluster.local` every namespace, judged by the mesh-wide
 * policy (read from the root namespace, where no namespace policy of its own is written).
 */
function wildcardScope(host: string | null, rootNamespace: string): { name: string; namespace: string } | null {
  if (host === null) return null;
  const namespaced = /^\*\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/i.exec(host);
  if (namespaced !== null) return { name: '*', namespace: namespaced[1].toLowerCase() };
  return /^\*(?:\.local|\.cluster\.local|\.svc\.cluster\.local)?$/i.test(host) ? { name: '*', namespace: rootNamespace } : null;
}

const matches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

export function crossFileFindings(files: readonly FileFacts[], disabled: ReadonlySet<FindingCode> = new Set()): CrossFileFinding[] {
  const all = <K extends keyof MeshFacts>(key: K): Located<MeshFacts[K][number]>[] =>
    files.flatMap(({ file, facts }) => (facts[key] as MeshFacts[K][number][]).map((fact) => ({ file, fact })));
  const peers = all('peerAuthentications');
  const tls = all('tlsModes');
  const services = all('services');
  const namespaces = all('namespaces');
  const workloads = all('workloads');
  const meshConfigs = all('meshConfigs');
  const rootNamespace = meshConfigs.find((m) => m.fact.rootNamespace !== null)?.fact.rootNamespace ?? ROOT_NAMESPACE;
  const out: CrossFileFinding[] = [];
  const namespaceMeshed = (name: string): boolean | null => {
    const found = namespaces.filter((n) => n.fact.name === name);
    return found.length === 0 ? null : found.some((n) => n.fact.meshed);
  };
  // A Service written without a namespace beside the rule (one file applied with -n) is in the rule's namespace; the nearest one counts.
  const serviceFor = (svc: { name: string; namespace: string }, ruleFile: string): Located<ServiceFact> | undefined =>
    services.filter((s) => s.fact.name === svc.name && (s.fact.namespace === svc.namespace || (s.fact.namespace === null && s.file === ruleFile)))
      .sort((x, y) => folderDistance(ruleFile, x.file) - folderDistance(ruleFile, y.file))[0];

  for (const rule of tls) {
    const host = rule.fact.host ?? hostOfNamedRule(rule.fact, tls);
    const svc = hostService(host, rule.fact.namespace);
    const scope = svc ?? wildcardScope(host, rootNamespace);
    if (scope === null) continue;
    if (rule.fact.mode === 'DISABLE' && !disabled.has('mtls-disabled-under-strict')) {
      const related = peers.filter((p) => oneConfiguration(rule.file, p.file));
      const strict = strictPeerFor(scope, related, svc === null ? null : serviceFor(svc, rule.file)?.fact ?? null, rootNamespace, rule.file);
      if (strict !== null) out.push({ file: rule.file, finding: disabledUnderStrict(rule, host ?? scope.name, strict, rootNamespace) });
    }
    if (svc === null) continue;
    if (rule.fact.mode === 'ISTIO_MUTUAL' && !disabled.has('mtls-without-sidecar')) {
      const service = serviceFor(svc, rule.file);
      if (service === undefined) continue;
      const nsMeshed = namespaceMeshed(svc.namespace);
      const selected = service.fact.selector === null ? [] : workloads.filter((w) => w.fact.namespace === svc.namespace && matches(service.fact.selector ?? {}, w.fact.podLabels));
      const why = nsMeshed === false
        ? { file: namespaces.find((n) => n.fact.name === svc.namespace)?.file ?? service.file, range: namespaces.find((n) => n.fact.name === svc.namespace)?.fact.range ?? null, text: `namespace ${svc.namespace} has no sidecar injection` }
        : selected.length > 0 && selected.every((w) => w.fact.injectionDisabled)
          ? { file: selected[0].file, range: selected[0].fact.range, text: `${selected[0].fact.kind} ${selected[0].fact.name ?? ''} sets sidecar.istio.io/inject: "false"` }
          : null;
      if (why !== null && why.range !== null && oneConfiguration(rule.file, why.file)) out.push({ file: rule.file, finding: mutualWithoutSidecar(rule, host ?? svc.name, why as { file: string; range: SourceRange; text: string }) });
    }
  }
  // Sniffing is Istio's: a Service is judged only where the configuration uses Istio (a resource, a mesh config, a meshed namespace).
  const usesIstio = files.some(({ facts }) => facts.istioResources.length > 0 || facts.meshConfigs.length > 0 || facts.namespaces.some((n) => n.meshed));
  if (!disabled.has('protocol-sniffing-server-first') && usesIstio) {
    for (const service of services) {
      if (service.fact.portsTemplated || (service.fact.namespace !== null && namespaceMeshed(service.fact.namespace) === false)) continue;
      for (const port of service.fact.ports) {
        const protocol = SERVER_FIRST_PORTS[port.port];
        if (protocol === undefined || port.appProtocol !== null) continue;
        const name = port.name?.toLowerCase() ?? '';
        const prefix = name.startsWith('grpc-web') ? 'grpc-web' : name.split('-')[0];
        if (NAMED_PROTOCOLS.has(prefix)) continue;
        out.push({ file: service.file, finding: sniffed(service.fact, port.port, port.name, protocol, port.range) });
      }
    }
  }
  if (!disabled.has('drain-exceeds-grace')) out.push(...drainFindings(meshConfigs, workloads, namespaces));
  return out;
}


/**
 * A mesh-wide terminationDrainDuration at or above a workload's grace period, for each workload of
 * the same configuration whose pods certainly get a sidecar (the pod asks for one, or its
 * namespace in the workspace has injection on) and do not set their own drain.
 */
function drainFindings(meshConfigs: readonly Located<MeshConfigFact>[], workloads: readonly Located<WorkloadFact>[], namespaces: readonly Located<NamespaceFact>[]): CrossFileFinding[] {
  const out: CrossFileFinding[] = [];
  const injected = (w: WorkloadFact): boolean => !w.injectionDisabled
    && (w.injectionRequested || namespaces.some((n) => n.fact.name === w.namespace && n.fact.sidecarInjection));
  for (const mesh of meshConfigs) {
    const drain = mesh.fact.drain;
    if (drain === null) continue;
    for (const workload of workloads) {
      const { grace } = workload.fact;
      if (grace === undefined || !ROLLED_WORKLOAD_KINDS.includes(workload.fact.kind) || !injected(workload.fact) || !sameConfiguration(mesh.file, workload.file)) continue;
      const graceSeconds = grace.seconds ?? DEFAULT_GRACE_SECONDS;
      if (drain.seconds < graceSeconds) continue;
      out.push({ file: workload.file, finding: meshDrainExceedsGrace(mesh, drain, workload.fact, graceSeconds, grace.seconds !== null) });
    }
  }
  return out;
}

function meshDrainExceedsGrace(
  mesh: Located<MeshConfigFact>, drain: NonNullable<MeshConfigFact['drain']>, workload: WorkloadFact, graceSeconds: number, graceWritten: boolean,
): LintFinding {
  const name = `${workload.kind} ${workload.namespace !== null ? `${workload.namespace}/` : ''}${workload.name ?? '?'}`;
  const grace = graceWritten ? `terminationGracePeriodSeconds: ${graceSeconds}` : `the default terminationGracePeriodSeconds of ${graceSeconds}`;
  const range = workload.grace?.range ?? workload.range;
  return {
    code: 'drain-exceeds-grace', severity: 'warning',
    summary: `the mesh-wide terminationDrainDuration ${drain.value} is not shorter than this pod's ${graceSeconds}s grace period`,
    message: `The mesh config (${mesh.file}:${line(drain.range)}, ${drain.path}) sets terminationDrainDuration ${drain.value} for every sidecar, ` +
      `at or above ${grace} of ${name}. Kubernetes kills the pod when the grace period ends, so Envoy is killed mid-drain and the connections ` +
      'it still holds are reset (clients see connection reset / 503 UC) during every rollout. Make terminationGracePeriodSeconds longer than the drain ' +
      '(by a few seconds), or shorten the drain (mesh-wide, or for this pod in its proxy.istio.io/config annotation).',
    range, value: graceWritten ? String(graceSeconds) : '', seconds: graceSeconds, site: 'Workload', path: workload.grace?.path ?? 'spec.template.spec',
    resource: { kind: workload.kind, name: workload.name, namespace: workload.namespace }, host: null, fix: null, docs: [ISTIO_PROXY_CONFIG_DOCS],
    related: [{ file: mesh.file, range: drain.range, message: `terminationDrainDuration ${drain.value} (${mesh.fact.resource.kind})` }],
  };
}

/**
 * Two files that may describe one mesh (see sameConfiguration, either way round): files of
 * unrelated folders (test data of different suites, other environments) are never joined, even
 * when they name the same namespace.
 */
const oneConfiguration = (a: string, b: string): boolean => sameConfiguration(a, b) || sameConfiguration(b, a);

/** A Kustomize patch names its DestinationRule; the rule's host is in the base the patch targets. */
function hostOfNamedRule(fact: TlsModeFact, all: readonly Located<TlsModeFact>[]): string | null {
  const hosts = new Set(all.filter((t) => t.fact.host !== null && t.fact.name === fact.name && (fact.namespace === null || t.fact.namespace === fact.namespace)).map((t) => t.fact.host));
  return hosts.size === 1 ? [...hosts][0] : null;
}

/**
 * How far apart two files are in the folder tree (0 for the same file): of several policies for
 * one scope, the one written nearest the DestinationRule is the one its configuration applies
 * (a test file's own mesh-wide policy, not another suite's).
 */
function folderDistance(a: string, b: string): number {
  if (a === b) return 0;
  const pa = a.split(/[\\/]/).slice(0, -1);
  const pb = b.split(/[\\/]/).slice(0, -1);
  let common = 0;
  while (common < pa.length && common < pb.length && pa[common] === pb[common]) common++;
  return 1 + (pa.length - common) + (pb.length - common);
}

/**
 * The STRICT PeerAuthentication that governs the Service's workloads, as Istio picks one: a
 * workload selector in the namespace, else the namespace's policy, else the root namespace's. A
 * closer policy that is not STRICT wins over a STRICT one further out; of several for one scope,
 * the one nearest the rule's file counts.
 */
function strictPeerFor(
  svc: { name: string; namespace: string }, all: readonly Located<PeerAuthenticationFact>[], service: ServiceFact | null, rootNamespace: string, ruleFile: string,
): Located<PeerAuthenticationFact> | null {
  const inNamespace = all.filter((p) => p.fact.namespace === svc.namespace);
  const bySelector = inNamespace.filter((p) => p.fact.selector !== null && Object.keys(p.fact.selector).length > 0);
  // A wildcard host (`*.ns.svc.cluster.local`) reaches every workload of the namespace: those its namespace policy covers are enough.
  const wildcard = svc.name === '*';
  // Without the Service's selector, a workload policy that is not STRICT may be the one its pods get: nothing is certain.
  if (!wildcard && !service?.selector && bySelector.some((p) => p.fact.mode !== 'STRICT')) return null;
  const selectorMatch = !wildcard && service?.selector ? nearest(bySelector.filter((p) => matches(p.fact.selector ?? {}, service.selector ?? {})), ruleFile) : undefined;
  const namespaceWide = nearest(inNamespace.filter((p) => p.fact.selector === null), ruleFile);
  const meshWide = nearest(all.filter((p) => p.fact.namespace === rootNamespace && p.fact.selector === null), ruleFile);
  const governing = selectorMatch ?? namespaceWide ?? meshWide;
  return governing !== undefined && governing !== null && governing.fact.mode === 'STRICT' ? governing : null;
}

/**
 * Of several policies for one scope, the one written nearest the rule's file (a test file's own
 * mesh-wide policy, not another suite's); null when equally near ones disagree (Istio then takes
 * the oldest, which files do not tell), undefined when there is none.
 */
function nearest(candidates: readonly Located<PeerAuthenticationFact>[], ruleFile: string): Located<PeerAuthenticationFact> | null | undefined {
  if (candidates.length === 0) return undefined;
  const distance = Math.min(...candidates.map((p) => folderDistance(ruleFile, p.file)));
  const closest = candidates.filter((p) => folderDistance(ruleFile, p.file) === distance);
  return closest.every((p) => p.fact.mode === closest[0].fact.mode) ? closest[0] : null;
}

const peerName = (p: PeerAuthenticationFact): string => `${p.namespace ?? '?'}/${p.name ?? '?'}`;
const line = (r: SourceRange): number => r.start.line + 1;

function disabledUnderStrict(rule: Located<TlsModeFact>, host: string, strict: Located<PeerAuthenticationFact>, rootNamespace: string): LintFinding {
  const scope = strict.fact.selector !== null ? 'its workloads' : strict.fact.namespace === rootNamespace ? 'the whole mesh' : `namespace ${strict.fact.namespace ?? '?'}`;
  return {
    code: 'mtls-disabled-under-strict', severity: 'error',
    summary: `tls.mode DISABLE to ${host}, which PeerAuthentication ${peerName(strict.fact)} makes STRICT`,
    message: `This DestinationRule (${rule.fact.path}) sends plain text to ${host}, but PeerAuthentication ${peerName(strict.fact)} ` +
      `(${strict.file}:${line(strict.fact.range)}) requires mTLS for ${scope}. The server sidecar refuses the plain-text connection, so clients ` +
      'see "upstream connect error or disconnect/reset before headers" (503 UF, URX). Use tls.mode ISTIO_MUTUAL (or remove the tls block) or relax the PeerAuthentication to PERMISSIVE.',
    range: rule.fact.range, value: rule.fact.value, seconds: null, site: 'DestinationRule', path: rule.fact.path,
    resource: { kind: 'DestinationRule', name: rule.fact.name, namespace: rule.fact.namespace }, host, fix: null,
    docs: [ISTIO_TLS_DOCS, ISTIO_PEER_AUTHENTICATION_DOCS],
    related: [{ file: strict.file, range: strict.fact.range, message: `PeerAuthentication ${peerName(strict.fact)} mode STRICT` }],
  };
}

function mutualWithoutSidecar(rule: Located<TlsModeFact>, host: string, why: { file: string; range: SourceRange; text: string }): LintFinding {
  return {
    code: 'mtls-without-sidecar', severity: 'warning',
    summary: `tls.mode ISTIO_MUTUAL to ${host}, whose workloads run without a sidecar`,
    message: `This DestinationRule (${rule.fact.path}) makes clients start Istio mTLS to ${host}, but ${why.text} (${why.file}:${line(why.range)}), ` +
      'so nothing on the server side answers the handshake: connections are reset (503 UF, "upstream connect error"). ' +
      'Inject a sidecar into the workload, or set tls.mode DISABLE for this host.',
    range: rule.fact.range, value: rule.fact.value, seconds: null, site: 'DestinationRule', path: rule.fact.path,
    resource: { kind: 'DestinationRule', name: rule.fact.name, namespace: rule.fact.namespace }, host, fix: null,
    docs: [ISTIO_TLS_DOCS], related: [{ file: why.file, range: why.range, message: why.text }],
  };
}

function sniffed(service: ServiceFact, port: number, name: string | null, protocol: string, range: SourceRange): LintFinding {
  return {
    code: 'protocol-sniffing-server-first', severity: 'warning',
    summary: `port ${port} (${protocol}) has no protocol: Istio sniffs it and ${protocol} clients stall`,
    message: `Service ${service.namespace ?? ''}${service.namespace ? '/' : ''}${service.name ?? '?'} port ${port} (${protocol}) is ${name === null ? 'unnamed' : `named "${name}"`} ` +
      'with no protocol prefix and no appProtocol, so Istio detects the protocol by waiting for the client\'s first bytes. ' +
      `${protocol} is a server-first (or undetectable) protocol: the client waits for the server, the detection times out, and connections are delayed or reset. ` +
      'Name the port tcp-… (or mysql-, redis-, mongo-) or set appProtocol: tcp.',
    range, value: String(port), seconds: null, site: 'Service', path: 'spec.ports', resource: { kind: 'Service', name: service.name, namespace: service.namespace },
    host: null, fix: null, docs: [ISTIO_PROTOCOL_SELECTION_DOCS], related: [],
  };
}
