/**
 * The three renderings of `mesh-doctor lint` results. Positions become 1-based here and only
 * here; columns count UTF-16 code units, as editors (and SARIF's default columnKind) do.
 */

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ENVOY_CONNECT_TIMEOUT_DOCS, ISTIO_MESH_CONFIG_DOCS, ISTIO_TCP_SETTINGS_DOCS,
  type ConnectTimeoutFinding, type FindingCode, type LocatedSetting, type Severity, type SourceRange,
} from '../core/lint';

export interface FileFinding {
  readonly file: string;
  readonly finding: ConnectTimeoutFinding;
  /** For a mesh-wide value: the DestinationRules among the linted files that override it for their hosts. */
  readonly overriddenBy: readonly LocatedSetting[];
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

const region = (r: SourceRange): Region => ({
  startLine: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

const RULES: readonly { id: FindingCode; text: string; helpUri: string; level: Severity }[] = [
  { id: 'connect-timeout-low', text: 'Connect timeout below the minimum: slow TLS handshakes are reset', helpUri: ENVOY_CONNECT_TIMEOUT_DOCS, level: 'warning' },
  { id: 'connect-timeout-below-1ms', text: 'Connect timeout below 1ms: Istio rejects it', helpUri: ISTIO_TCP_SETTINGS_DOCS, level: 'error' },
  { id: 'connect-timeout-invalid', text: 'Connect timeout is not a duration', helpUri: ISTIO_TCP_SETTINGS_DOCS, level: 'error' },
  { id: 'connect-timeout-ignored-field', text: 'meshConfig.defaultConfig.connectTimeout is reserved and has no effect', helpUri: ISTIO_MESH_CONFIG_DOCS, level: 'information' },
];

function describeOverride(o: LocatedSetting): string {
  const { resource, host, value, range } = o.setting;
  const name = resource.namespace !== null ? `${resource.namespace}/${resource.name ?? '?'}` : resource.name ?? '?';
  return `DestinationRule ${name} for ${host ?? 'its host'} (${value} at ${o.file}:${range.start.line + 1}:${range.start.character + 1})`;
}

/** `file:line:col severity message [code]`, one finding per line, with precedence notes indented below. */
export function formatText(results: readonly FileFinding[]): string {
  let out = '';
  for (const { file, finding, overriddenBy } of results) {
    const { line, character } = finding.range.start;
    out += `${file}:${line + 1}:${character + 1} ${finding.severity} ${finding.message} [${finding.code}]\n`;
    for (const o of overriddenBy) out += `  note: overridden by ${describeOverride(o)}\n`;
  }
  return out;
}

export function formatJson(results: readonly FileFinding[]): string {
  const rows = results.map(({ file, finding, overriddenBy }) => {
    const r = region(finding.range);
    return {
      file,
      line: r.startLine,
      column: r.startColumn,
      endLine: r.endLine,
      endColumn: r.endColumn,
      severity: finding.severity,
      code: finding.code,
      summary: finding.summary,
      message: finding.message,
      value: finding.value,
      seconds: finding.seconds,
      site: finding.site,
      path: finding.path,
      resource: finding.resource,
      host: finding.host,
      fix: finding.fix,
      docs: finding.docs,
      overriddenBy: overriddenBy.map((o) => ({
        file: o.file,
        line: o.setting.range.start.line + 1,
        column: o.setting.range.start.character + 1,
        resource: o.setting.resource,
        host: o.setting.host,
        value: o.setting.value,
        seconds: o.setting.seconds,
      })),
    };
  });
  return `${JSON.stringify(rows, null, 2)}\n`;
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', information: 'note' };

/** SARIF artifact URIs: relative paths with forward slashes, absolute ones as file: URLs. */
function artifactUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file.split(path.sep).join('/');
}

export function formatSarif(results: readonly FileFinding[], version: string): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mesh-doctor',
            version,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.text },
              helpUri: rule.helpUri,
              defaultConfiguration: { level: SARIF_LEVEL[rule.level] },
            })),
          },
        },
        results: results.map(({ file, finding, overriddenBy }) => ({
          ruleId: finding.code,
          ruleIndex: RULES.findIndex((rule) => rule.id === finding.code),
          level: SARIF_LEVEL[finding.severity],
          message: { text: [finding.message, ...overriddenBy.map((o) => `Overridden by ${describeOverride(o)}.`)].join(' ') },
          locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(file) }, region: region(finding.range) } }],
          relatedLocations: overriddenBy.map((o, id) => ({
            id,
            message: { text: describeOverride(o) },
            physicalLocation: { artifactLocation: { uri: artifactUri(o.file) }, region: region(o.setting.range) },
          })),
          fixes: finding.fix === null ? [] : [{
            description: { text: finding.fix.title },
            artifactChanges: [{
              artifactLocation: { uri: artifactUri(file) },
              replacements: [{ deletedRegion: region(finding.range), insertedContent: { text: finding.fix.replacement } }],
            }],
          }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
