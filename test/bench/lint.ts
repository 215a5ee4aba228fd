/**
 * Benchmark for the manifest linter: a generated bundle of 20,000+ lines mixing every kind of
 * document the linter reads (and plenty it must skip), linted vs. a bare `parseAllDocuments` of
 * the same text, in the same run. Target: lint costs at most 1.5x the bare parse.
 */

import { parseAllDocuments } from 'yaml';
import { lintManifest } from '../../src/core/lint';
import { medianMilliseconds, type BenchFigure } from './harness';

const TARGET_RATIO = 1.5;
const BUNDLE_LINES = 20_000;

/** One document per kind, `i` making names and values vary; several carry a low connect timeout. */
const DOCUMENTS: readonly ((i: number) => string)[] = [
  (i) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc-${i}
  namespace: team-${i % 7}
spec:
  host: svc-${i}.team-${i % 7}.svc.cluster.local
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: ${i % 100}
        connectTimeout: ${(i % 12) + 1}s
    portLevelSettings:
    - port: {number: 8443}
      connectionPool: {tcp: {connectTimeout: "${i % 900}ms"}}
  subsets:
  - name: v1
    labels: {version: v1}
    trafficPolicy:
      connectionPool:
        tcp:
          connectTimeout: '15s'
`,
  (i) => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: sidecar-${i}
  namespace: team-${i % 7}
spec:
  workloadSelector:
    labels: {app: app-${i}}
  inboundConnectionPool:
    tcp:
      connectTimeout: 5s
  ingress:
  - port: {number: 8080, protocol: HTTP, name: http}
    defaultEndpoint: 127.0.0.1:8080
    connectionPool:
      tcp: {connectTimeout: 30s}
  egress:
  - hosts: ["./*", "istio-system/*"]
`,
  (i) => `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: control-plane-${i}
  namespace: istio-system
spec:
  profile: default
  meshConfig:
    accessLogFile: /dev/stdout
    # the incident's value
    connectTimeout: 1s
    defaultConfig:
      holdApplicationUntilProxyStarts: true
      connectTimeout: 2s
  values:
    global: {proxy: {logLevel: warning}}
`,
  (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: istio${i % 2 === 0 ? '' : `-rev-${i}`}
  namespace: istio-system
data:
  mesh: |-
    accessLogFile: /dev/stdout
    connectTimeout: ${(i % 20) + 1}s
    defaultConfig:
      discoveryAddress: istiod.istio-system.svc:15012
      tracing: {zipkin: {address: zipkin.istio-system:9411}}
    enablePrometheusMerge: true
    rootNamespace: istio-system
  meshNetworks: 'networks: {}'
`,
  (i) => `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: filter-${i}
  namespace: team-${i % 7}
spec:
  workloadSelector:
    labels: {app: app-${i}}
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
    patch:
      operation: INSERT_BEFORE
      value:
        name: envoy.lua
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
          inlineCode: |
            -- connect_timeout: 1s in a comment is not config
            function envoy_on_request(handle) end
  - applyTo: CLUSTER
    patch:
      operation: ADD
      value:
        name: ext-${i}
        type: STRICT_DNS
        connect_timeout: 0.${(i % 9) + 1}s
        load_assignment:
          cluster_name: ext-${i}
          endpoints:
          - lb_endpoints:
            - endpoint:
                address:
                  socket_address: {address: ext-${i}.example.com, port_value: 443}
`,
  (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels: {app: app-${i}}
spec:
  replicas: ${(i % 5) + 1}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}, version: v1}
      annotations:
        sidecar.istio.io/logLevel: warning
    spec:
      containers:
      - name: app
        image: registry.example.com/app-${i}:1.${i % 10}.0
        ports:
        - containerPort: 8080
        env:
        - name: CONNECT_TIMEOUT
          value: 1s
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: 500m, memory: 256Mi}
`,
  (i) => `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 7}
spec:
  selector: {app: app-${i}}
  ports:
  - name: http
    port: 80
    targetPort: 8080
`,
  (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
  namespace: team-${i % 7}
data:
  application.yaml: |
    http:
      connectTimeout: 1s
      readTimeout: 30s
`,
];

/** The Istio kinds only: every document holds connect timeouts, so none is skipped unparsed. */
const ISTIO_DOCUMENTS = DOCUMENTS.slice(0, 5);

/** A deterministic bundle of at least `lines` lines, cycling through the document kinds. */
export function generateManifestBundle(lines: number, kinds = DOCUMENTS): string {
  const docs: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const doc = kinds[i % kinds.length](i);
    docs.push(doc);
    count += doc.split('\n').length;
  }
  return docs.join('---\n');
}

/** Lints `text` and a bare parse of it in alternation; checks the lint did its work first. */
async function compareToBareParse(label: string, text: string): Promise<BenchFigure[]> {
  const lines = text.split('\n').length;
  const check = lintManifest(text, { minimumSeconds: 10 });
  // A benchmark of a linter that finds nothing would measure nothing.
  if (check.problems.length > 0 || check.findings.length < lines / 40) {
    throw new Error(`lint bench (${label}): unexpected result (${check.findings.length} findings, ${check.problems.length} problems)`);
  }
  const medians = await medianMilliseconds({
    lint: () => lintManifest(text, { minimumSeconds: 10 }),
    parse: () => parseAllDocuments(text),
  });
  const ratio = medians.lint / medians.parse;
  return [
    { bench: 'lint', name: `${label}: lines (${check.settings.length} timeouts)`, value: lines, unit: 'lines' },
    { bench: 'lint', name: `${label}: lintManifest median`, value: medians.lint, unit: 'ms' },
    { bench: 'lint', name: `${label}: bare parseAllDocuments median`, value: medians.parse, unit: 'ms' },
    { bench: 'lint', name: `${label}: ratio lint / bare parse`, value: ratio, unit: 'x', target: `<= ${TARGET_RATIO}`, ok: ratio <= TARGET_RATIO },
  ];
}

export async function runLintBench(): Promise<BenchFigure[]> {
  return [
    // The required figure: a realistic mix, where documents without a connect timeout are skipped unparsed.
    ...(await compareToBareParse('mixed bundle', generateManifestBundle(BUNDLE_LINES))),
    // The worst case: every document must be parsed and walked.
    ...(await compareToBareParse('Istio-only bundle', generateManifestBundle(BUNDLE_LINES, ISTIO_DOCUMENTS))),
  ];
}
