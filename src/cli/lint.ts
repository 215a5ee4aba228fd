/** `mesh-doctor lint`: the editor's connect timeout checks, for CI and the terminal. */

import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import * as path from 'node:path';
import {
  configurationKey, crossFileFindings, DEFAULT_MAX_LENGTH, FINDING_CODES, findOverridingDestinationRules, lintManifest, needsWorkloadFacts, MESH_WIDE_SITES, ROOT_NAMESPACE, sizeLimitProblem,
  type ChartValues, type ConnectTimeoutSetting, type FileFacts, type FindingCode, type LintOptions, type LocatedSetting, type ManifestLintResult, type ManifestProblem, type MeshFacts, type Override, type Severity,
} from '../core/lint';
import { revealInvisible } from '../core/text/invisible';
import { readManifestFileSync, type ManifestFileRead } from '../files/manifestFile';
import {
  minimumOption, EXIT_FINDINGS, EXIT_OK, oneOf, packageVersion, parseCommandArgs, runCommand, UsageError, type CliIo,
} from './args';
import { cannotRead, ChartValuesFinder, findManifests, notRegular, type ManifestFile, type UncheckedPath } from './findManifests';
import { formatJson, formatSarif, formatText, type FileFinding, type NotChecked } from './lintFormats';

/** Some input could not be checked (in whole or in part), and nothing reached --fail-on. */
const EXIT_UNCHECKED = 3;

export const LINT_USAGE = `mesh-doctor lint [--format text|json|sarif] [--fail-on error|warning|information] [--minimum 10s] [--disable CODE[,CODE]] [--include-json] [--allow-unchecked] PATH...

Checks the Istio settings behind connection failures (connect timeouts, connection pools, outlier
detection, drain vs grace period, start-up order, protocol sniffing, mTLS conflicts) wherever they
are written: Istio resources (also in Lists and Kustomize patches), IstioOperator, Helm values and
chart templates, Argo CD and Flux releases, Sail CRs, the istio ConfigMap's mesh, pod annotations.
Folders are searched for *.yaml and *.yml, skipping node_modules and .git. Only regular files are
read (a link is followed to a regular file only), up to 10 MB each.
  --format F         text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --fail-on S        exit 1 when a finding is at least this severe (default warning)
  --minimum D        connect timeouts below this Go duration are flagged (default 10s)
  --disable CODES    rule codes not to report, comma-separated (e.g. startup-order,pool-limit-tiny)
  --include-json     also lint *.json files found in folders
  --allow-unchecked  do not exit 3 for input that could not be checked (it is still reported)

Exit status:
  0  nothing to fail on, and every input was checked (or --allow-unchecked was given)
  1  findings at or above --fail-on (this wins over 3: the findings are certain either way)
  2  bad usage
  3  some input could not be checked: unreadable, missing, not a regular file, above 10 MB,
     binary, or YAML that does not parse (its parseable documents are still checked)`;

const FORMATS = ['text', 'json', 'sarif'] as const;
const SEVERITIES = ['error', 'warning', 'information'] as const;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { information: 0, warning: 1, error: 2 };

interface FileProblem {
  readonly file: string;
  readonly problem: ManifestProblem;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  return runCommand('lint', LINT_USAGE, argv, io, async () => {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'warning' },
        minimum: { type: 'string', default: DEFAULT_CONNECT_TIMEOUT_MINIMUM.text },
        'allow-unchecked': { type: 'boolean', default: false },
        'include-json': { type: 'boolean', default: false },
        disable: { type: 'string', multiple: true, default: [] },
      },
    });
    const disabled = disabledCodes(values.disable ?? []);
    const format = oneOf('format', values.format, FORMATS);
    const failOn = oneOf('fail-on', values['fail-on'], SEVERITIES);
    const minimumSeconds = minimumOption(values.minimum ?? DEFAULT_CONNECT_TIMEOUT_MINIMUM.text);
    if (positionals.length === 0) throw new UsageError('no PATH given: name the manifest files or folders to check');

    const search = await findManifests(positionals, io.cwd, { includeJson: values['include-json'] });
    const charts = new TemplateValues(new ChartValuesFinder());
    const facts: FileFacts[] = [];
    const unchecked: UncheckedPath[] = [...search.unchecked];
    const findings: FileFinding[] = [];
    const problems: FileProblem[] = [];
    const settings: LocatedSetting[] = [];
    /** Files read, whose problems (parse errors, limits) mean they were checked only in part or not at all. */
    const filesWithProblems = new Set<string>();
    /** Files whose workloads and Services were left unparsed: they matter only to cross-file rules (see needsWorkloadFacts). */
    const withSkippedWorkloads: { file: ManifestFile; at: number }[] = [];
    for (const file of search.files) {
      const check = await checkFile(file, { minimumSeconds, disabled }, charts);
      if (check.kind === 'unchecked') {
        unchecked.push(check.unchecked);
        continue;
      }
      if (check.kind === 'too-large') {
        problems.push({ file: file.display, problem: check.problem });
        filesWithProblems.add(file.display);
        continue;
      }
      const { result } = check;
      for (const finding of result.findings) findings.push({ file: finding.file ?? file.display, finding, overriddenBy: [] });
      if (result.skippedWorkloads) withSkippedWorkloads.push({ file, at: facts.length });
      facts.push({ file: file.display, facts: result.facts });
      for (const problem of result.problems) problems.push({ file: file.display, problem });
      for (const setting of result.settings) settings.push({ file: file.display, setting });
      if (result.problems.length > 0) filesWithProblems.add(file.display);
    }
    if (needsWorkloadFacts(facts.map((f) => f.facts))) {
      for (const { file, at } of withSkippedWorkloads) facts[at] = { file: facts[at].file, facts: workloadFacts(file, minimumSeconds) ?? facts[at].facts };
    }
    for (const { file, finding } of crossFileFindings(facts, disabled)) findings.push({ file, finding, overriddenBy: [] });
    const withPrecedence = withOverrides(dedupe(findings), settings, meshRootNamespaces(facts));

    // Parse failures of files that matter are findings (unreadable-file) in every format; stderr keeps the rest.
    const unreadable = new Set(findings.filter((f) => f.finding.code === 'unreadable-file').map((f) => f.file));
    const notChecked: NotChecked[] = [
      ...problems.filter((p) => !unreadable.has(p.file)).map(({ file, problem }) => ({ file, message: problem.message, severity: problem.severity, range: problem.range })),
      ...unchecked.map(({ display, reason }) => ({ file: display, message: `${reason}.`, severity: 'warning' as const, range: null })),
    ];
    io.stdout(format === 'json' ? formatJson(withPrecedence, notChecked)
      : format === 'sarif' ? formatSarif(withPrecedence, { version: packageVersion(), srcRoot: io.cwd, notChecked })
        : formatText(withPrecedence));
    for (const { file, problem } of problems.filter((p) => !unreadable.has(p.file))) {
      const { line, character } = problem.range.start;
      io.stderr(`${revealInvisible(file)}:${line + 1}:${character + 1} ${problem.severity} ${revealInvisible(problem.message)}\n`);
    }
    const uncheckedCount = unchecked.length + filesWithProblems.size;
    if (format === 'text') io.stderr(`${countLine(withPrecedence, search.files.length, uncheckedCount)}\n`);
    for (const { reason } of unchecked) io.stderr(`mesh-doctor lint: ${revealInvisible(reason)}.\n`);
    if (findings.some((f) => SEVERITY_RANK[f.finding.severity] >= SEVERITY_RANK[failOn])) return EXIT_FINDINGS;
    return uncheckedCount > 0 && !values['allow-unchecked'] ? EXIT_UNCHECKED : EXIT_OK;
  });
}

function disabledCodes(lists: readonly string[]): Set<FindingCode> {
  const codes = new Set<FindingCode>();
  for (const code of lists.flatMap((l) => l.split(',')).map((c) => c.trim()).filter((c) => c !== '')) {
    if (!(FINDING_CODES as readonly string[]).includes(code)) throw new UsageError(`--disable: unknown rule code "${code}"; the codes are ${FINDING_CODES.join(', ')}`);
    codes.add(code as FindingCode);
  }
  return codes;
}

type FileCheck =
  | { readonly kind: 'unchecked'; readonly unchecked: UncheckedPath }
  | { readonly kind: 'too-large'; readonly problem: ManifestProblem }
  | { readonly kind: 'linted'; readonly result: ManifestLintResult };

/** Reads one file (a regular file within the size limit) and lints it, with its chart's values for a template. */
async function checkFile(file: ManifestFile, options: LintOptions, charts: TemplateValues): Promise<FileCheck> {
  let read: ManifestFileRead;
  try {
    // Bytes bound characters from above, so a file within the limit in bytes is within it in characters.
    read = readManifestFileSync(file.absolute, DEFAULT_MAX_LENGTH);
  } catch (err) {
    return { kind: 'unchecked', unchecked: cannotRead(file.display, err) };
  }
  if (read.kind === 'not-regular') return { kind: 'unchecked', unchecked: notRegular(file.display, read.what) };
  if (read.kind === 'too-large') return { kind: 'too-large', problem: sizeLimitProblem(read.bytes) };
  const chartValues = read.text.includes('.Values') ? await charts.valuesFor(file) : null;
  return { kind: 'linted', result: lintManifest(read.text, { ...options, chartValues }) };
}

/** The full facts (workloads and Services too) of a file whose first lint left them unparsed, read again now that a cross-file rule needs them. */
function workloadFacts(file: ManifestFile, minimumSeconds: number): MeshFacts | null {
  try {
    const read = readManifestFileSync(file.absolute, DEFAULT_MAX_LENGTH);
    return read.kind === 'text' ? lintManifest(read.text, { minimumSeconds, readWorkloads: true }).facts : null;
  } catch {
    // It was read a moment ago; a file that vanished since has no pods to judge.
    return null;
  }
}

/**
 * The chart's values.yaml for each template, named the way the template's own path is shown. Read
 * once per template folder: the lint parses a values file once per ChartValues object, and a chart
 * has many templates.
 */
class TemplateValues {
  private readonly byFolder = new Map<string, Promise<{ readonly absolute: string; readonly values: ChartValues } | null>>();

  constructor(private readonly charts: ChartValuesFinder) {}

  async valuesFor(file: ManifestFile): Promise<ChartValues | null> {
    // Both folders: the name shown is relative to where the template's own path is shown from.
    const key = `${path.dirname(file.absolute)}\0${path.dirname(file.display)}`;
    let found = this.byFolder.get(key);
    if (found === undefined) {
      found = this.read(file);
      this.byFolder.set(key, found);
    }
    const values = await found;
    // values.yaml itself is no template of its own values.
    return values === null || values.absolute === file.absolute ? null : values.values;
  }

  private async read(file: ManifestFile): Promise<{ absolute: string; values: ChartValues } | null> {
    const absolute = await this.charts.find(file);
    if (absolute === null) return null;
    try {
      const read = readManifestFileSync(absolute, DEFAULT_MAX_LENGTH);
      if (read.kind !== 'text') return null;
      return { absolute, values: { file: path.join(path.dirname(file.display), path.relative(path.dirname(file.absolute), absolute)), text: read.text } };
    } catch {
      return null;
    }
  }
}

/** Several templates may resolve to the same values.yaml line: it is one finding. */
function dedupe(findings: readonly FileFinding[]): FileFinding[] {
  const seen = new Set<string>();
  return findings.filter(({ file, finding }) => {
    const key = JSON.stringify([file, finding.code, finding.range.start, finding.range.end]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `rootNamespace` the mesh configs of the run set: per file, and per configuration (see configurationKey). */
interface MeshRootNamespaces {
  readonly byFile: ReadonlyMap<string, string>;
  readonly byConfiguration: ReadonlyMap<string, string>;
}

function meshRootNamespaces(facts: readonly FileFacts[]): MeshRootNamespaces {
  const byFile = new Map<string, string>();
  const byConfiguration = new Map<string, string>();
  for (const { file, facts: { meshConfigs } } of facts) {
    const root = meshConfigs.find((m) => m.rootNamespace !== null)?.rootNamespace;
    if (root === undefined || root === null) continue;
    if (!byFile.has(file)) byFile.set(file, root);
    if (!byConfiguration.has(configurationKey(file))) byConfiguration.set(configurationKey(file), root);
  }
  return { byFile, byConfiguration };
}

/**
 * The root namespace of the mesh a mesh-wide finding's file configures: the one its own mesh
 * config sets, else one another mesh config of its configuration sets (Helm values beside an
 * IstioOperator), else Istio's istio-system. Findings do not carry it; precedence needs it.
 */
const rootNamespaceFor = (file: string, roots: MeshRootNamespaces): string =>
  roots.byFile.get(file) ?? roots.byConfiguration.get(configurationKey(file)) ?? ROOT_NAMESPACE;

/**
 * The mesh-wide findings of one file are overridden by the same DestinationRules (those of the same
 * configuration that Istio applies), so the list is computed once per file, from its first
 * mesh-wide finding. It depends only on the file's configuration and root namespace, so files
 * that share both (every mesh config of one repository) share one computation: per file, a tree
 * of hundreds of mesh configs would cost mesh files x settings.
 */
function withOverrides(findings: readonly FileFinding[], settings: readonly LocatedSetting[], roots: MeshRootNamespaces): FileFinding[] {
  const byMeshFile = new Map<string, Override[]>();
  const byConfiguration = new Map<string, Override[]>();
  return findings.map((f) => {
    if (!MESH_WIDE_SITES.has(f.finding.site)) return f;
    let overriding = byMeshFile.get(f.file);
    if (overriding === undefined) {
      const meshSetting: ConnectTimeoutSetting = { ...f.finding, meshRootNamespace: rootNamespaceFor(f.file, roots) };
      const key = JSON.stringify([configurationKey(f.file), meshSetting.meshRootNamespace]);
      overriding = byConfiguration.get(key);
      if (overriding === undefined) {
        overriding = onePerResource(findOverridingDestinationRules(meshSetting, settings, f.file));
        byConfiguration.set(key, overriding);
      }
      byMeshFile.set(f.file, overriding);
    }
    return { ...f, overriddenBy: overriding };
  });
}

function countLine(findings: readonly FileFinding[], files: number, unchecked: number): string {
  const counts = new Map<Severity, number>();
  for (const { finding } of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  const bySeverity = SEVERITIES.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => `${counts.get(s)} ${s}`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const notChecked = unchecked > 0 ? `; ${plural(unchecked, 'input')} not checked (in whole or in part)` : '';
  return `${plural(findings.length, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''} in ${plural(files, 'file')}${notChecked}`;
}

/** A DestinationRule with subsets or port-level values is named once, at its first value. */
function onePerResource(settings: readonly Override[]): Override[] {
  const seen = new Set<string>();
  return settings.filter(({ file, setting: { resource } }) => {
    const key = JSON.stringify([file, resource.namespace, resource.name]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
