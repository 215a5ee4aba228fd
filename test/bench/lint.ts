/**
 * Benchmark for the manifest linter: a generated bundle of 20,000+ lines mixing every kind of
 * document the linter reads (and plenty it must skip), linted vs. a bare `parseAllDocuments` of
 * the same text, in the same run. Target: lint costs at most 1.5x the bare parse.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { run as runLintCli } from '../../src/cli/lint';
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

/** A CRD of about 1 MB whose schema, like Istio's own CRDs, describes connectTimeout and other timeouts at every level. */
function largeCrd(i: number): string {
  const property = (n: number): string => `                field${n}:
                  description: Connection pool settings; connectTimeout is the TCP connection timeout, maxConnections the limit.
                  properties:
                    connectTimeout:
                      description: TCP connection timeout. format: 1h/1m/1s/1ms. MUST be >=1ms. Default is 10s.
                      type: string
                    maxConnections:
                      format: int32
                      type: integer
                  type: object
`;
  const head = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets${i}.example.com
spec:
  group: example.com
  names: {kind: Widget${i}, plural: widgets${i}}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
`;
  const parts = [head];
  for (let n = 0, size = head.length; size < 1024 * 1024; n++) {
    const p = property(n);
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

/** A chart template rendering a DestinationRule, with control lines and templated values. */
const helmIstioTemplate = (i: number): string => `{{- if .Values.istio.enabled }}
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {{ include "app.fullname" . }}-${i}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  host: {{ .Values.service.name }}
  trafficPolicy:
    connectionPool:
      tcp:
        connectTimeout: {{ .Values.istio.connectTimeout | default "5s" }}
        maxConnections: ${(i % 50) + 10}
{{- end }}
`;

/** A chart template with no Istio kind: a Deployment with values and control lines. */
const helmAppTemplate = (i: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}-${i}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
      - name: app
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
        {{- with .Values.resources }}
        resources:
          {{- toYaml . | nindent 10 }}
        {{- end }}
`;

/**
 * A tree of several thousand files of a realistic mix, written into a temporary folder: 1 MB
 * CRDs, chart templates with and without Istio kinds, application YAML (Deployments, Services,
 * ConfigMaps) and Istio manifests, each file marked with whether it holds an Istio kind.
 */
function writeTree(root: string): { files: { file: string; istio: boolean }[] } {
  const files: { file: string; istio: boolean }[] = [];
  const put = (relative: string, text: string, istio: boolean): void => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push({ file, istio });
  };
  for (let i = 0; i < 8; i++) put(`crds/widgets-${i}.yaml`, largeCrd(i), false);
  for (let i = 0; i < 600; i++) put(`charts/app-${i % 40}/templates/dr-${i}.yaml`, helmIstioTemplate(i), true);
  for (let i = 0; i < 1200; i++) put(`charts/app-${i % 40}/templates/deployment-${i}.yaml`, helmAppTemplate(i), false);
  for (let i = 0; i < 1600; i++) put(`apps/team-${i % 30}/app-${i}.yaml`, [DOCUMENTS[5](i), DOCUMENTS[6](i), DOCUMENTS[7](i)].join('---\n'), false);
  for (let i = 0; i < 800; i++) put(`istio/team-${i % 30}/istio-${i}.yaml`, ISTIO_DOCUMENTS[i % ISTIO_DOCUMENTS.length](i), true);
  return { files };
}

/**
 * The whole CLI lint of the tree (folder walk, reads, lint, cross-file rules, JSON out), in
 * process, vs the least any linter must do: read every file (as the lint does) and parse those
 * that hold Istio kinds. The rest of the lint's time is its substring scans, rules and output.
 */
async function compareTreeToBareParse(): Promise<BenchFigure[]> {
  // MESH_DOCTOR_BENCH_LINT_TREE names a folder to write the tree into and keep, to profile the CLI on it.
  const kept = process.env.MESH_DOCTOR_BENCH_LINT_TREE;
  const root = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-lint-tree-'));
  const { files } = writeTree(root);
  const istioFiles = files.filter((f) => f.istio).length;
  try {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => undefined, cwd: root };
    const lintTree = async (): Promise<void> => {
      out = '';
      await runLintCli(['--format', 'json', '--allow-unchecked', '.'], io);
    };
    await lintTree();
    const found = (JSON.parse(out) as unknown[]).length;
    if (found < 600) throw new Error(`lint bench (tree): expected findings in the Istio files, got ${found}`);
    const medians = await medianMilliseconds({
      lint: lintTree,
      parse: () => {
        for (const { file, istio } of files) {
          const text = fs.readFileSync(file, 'utf8');
          if (istio) parseAllDocuments(text);
        }
      },
    }, { warmup: 1, runs: 5 });
    const ratio = medians.lint / medians.parse;
    return [
      { bench: 'lint', name: `tree: files (${istioFiles} with Istio kinds, 8 CRDs of 1 MB; ${found} findings)`, value: files.length, unit: 'files' },
      { bench: 'lint', name: 'tree: mesh-doctor lint (walk + read + lint) median', value: medians.lint, unit: 'ms' },
      { bench: 'lint', name: 'tree: bare read of every file + parseAllDocuments of the Istio files median', value: medians.parse, unit: 'ms' },
      { bench: 'lint', name: 'tree: ratio lint / bare parse of the Istio files', value: ratio, unit: 'x', target: `<= ${TARGET_RATIO}`, ok: ratio <= TARGET_RATIO },
    ];
  } finally {
    if (kept === undefined) fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function runLintBench(): Promise<BenchFigure[]> {
  return [
    // Several thousand files as a repository holds them: what is not Istio must cost a substring scan.
    ...(await compareTreeToBareParse()),
    // The required figure: a realistic mix, where documents without a connect timeout are skipped unparsed.
    ...(await compareToBareParse('mixed bundle', generateManifestBundle(BUNDLE_LINES))),
    // The worst case: every document must be parsed and walked.
    ...(await compareToBareParse('Istio-only bundle', generateManifestBundle(BUNDLE_LINES, ISTIO_DOCUMENTS))),
  ];
}
