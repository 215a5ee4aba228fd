/** `mesh-doctor lint`: the editor's connect timeout checks, for CI and the terminal. */

import { readFile, stat } from 'node:fs/promises';
import {
  DEFAULT_MAX_LENGTH, findOverridingDestinationRules, lintManifest, MESH_WIDE_SITES, sizeLimitProblem,
  type LocatedSetting, type ManifestProblem, type Severity,
} from '../core/lint';
import {
  durationOption, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, oneOf, packageVersion, parseCommandArgs, runCommand, UsageError, type CliIo,
} from './args';
import { describeFsError, findManifests } from './findManifests';
import { formatJson, formatSarif, formatText, type FileFinding } from './lintFormats';

export const LINT_USAGE = `mesh-doctor lint [--format text|json|sarif] [--fail-on error|warning|information] [--minimum 10s] PATH...

Checks the connect timeouts set in Istio manifests (DestinationRule, Sidecar, IstioOperator, Helm
values, the istio ConfigMap's mesh, EnvoyFilter cluster patches). Folders are searched for *.yaml
and *.yml, skipping node_modules and .git.
  --format F     text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --fail-on S    exit 1 when a finding is at least this severe (default warning)
  --minimum D    connect timeouts below this Go duration are flagged (default 10s)

Exit status: 0 nothing to fail on, 1 findings at or above --fail-on, 2 bad usage or unreadable input.`;

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
        minimum: { type: 'string', default: '10s' },
      },
    });
    const format = oneOf('format', values.format, FORMATS);
    const failOn = oneOf('fail-on', values['fail-on'], SEVERITIES);
    const minimumSeconds = durationOption('minimum', values.minimum);
    if (positionals.length === 0) throw new UsageError('no PATH given: name the manifest files or folders to check');

    const search = await findManifests(positionals, io.cwd);
    const unreadable = [...search.unreadable];
    const findings: FileFinding[] = [];
    const problems: FileProblem[] = [];
    const settings: LocatedSetting[] = [];
    for (const file of search.files) {
      let text: string;
      try {
        // Decline before reading: a huge file would cost the memory the size limit exists to save.
        const size = (await stat(file.absolute)).size;
        if (size > DEFAULT_MAX_LENGTH) {
          problems.push({ file: file.display, problem: sizeLimitProblem(size) });
          continue;
        }
        // Editors do not count a byte order mark as a character; neither do the reported columns.
        text = (await readFile(file.absolute, 'utf8')).replace(/^\uFEFF/, '');
      } catch (err) {
        unreadable.push({ display: file.display, reason: describeFsError(err) });
        continue;
      }
      const result = lintManifest(text, { minimumSeconds });
      for (const finding of result.findings) findings.push({ file: file.display, finding, overriddenBy: [] });
      for (const problem of result.problems) problems.push({ file: file.display, problem });
      for (const setting of result.settings) settings.push({ file: file.display, setting });
    }
    const withPrecedence = findings.map((f) =>
      MESH_WIDE_SITES.has(f.finding.site) ? { ...f, overriddenBy: onePerResource(findOverridingDestinationRules(f.finding, settings)) } : f,
    );

    io.stdout(format === 'json' ? formatJson(withPrecedence) : format === 'sarif' ? formatSarif(withPrecedence, packageVersion()) : formatText(withPrecedence));
    for (const { file, problem } of problems) {
      const { line, character } = problem.range.start;
      io.stderr(`${file}:${line + 1}:${character + 1} ${problem.severity} ${problem.message}\n`);
    }
    if (format === 'text') io.stderr(`${countLine(withPrecedence, search.files.length)}\n`);
    for (const { display, reason } of unreadable) {
      io.stderr(`mesh-doctor lint: cannot read ${display}: ${reason}. Check the path and its permissions.\n`);
    }
    if (unreadable.length > 0) return EXIT_USAGE;
    return findings.some((f) => SEVERITY_RANK[f.finding.severity] >= SEVERITY_RANK[failOn]) ? EXIT_FINDINGS : EXIT_OK;
  });
}

function countLine(findings: readonly FileFinding[], files: number): string {
  const bySeverity = SEVERITIES.map((s) => [s, findings.filter((f) => f.finding.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(findings.length, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''} in ${plural(files, 'file')}`;
}

/** A DestinationRule with subsets or port-level values is named once, at its first value. */
function onePerResource(settings: readonly LocatedSetting[]): LocatedSetting[] {
  const seen = new Set<string>();
  return settings.filter(({ file, setting: { resource } }) => {
    const key = JSON.stringify([file, resource.namespace, resource.name]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
