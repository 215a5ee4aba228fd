/**
 * The three renderings of `mesh-doctor lint` results. Positions become 1-based here and only
 * here; columns count UTF-16 code units, as editors (and SARIF's default columnKind) do.
 */

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  appliedFromText, RULE_DESCRIPTIONS, type ConnectTimeoutFinding, type Override, type RelatedLocation, type Severity, type SourceRange,
} from '../core/lint';
import { revealInvisible } from '../core/text/invisible';

export interface FileFinding {
  readonly file: string;
  readonly finding: ConnectTimeoutFinding;
  /** For a mesh-wide value: the DestinationRules among the linted files that override it for their hosts. */
  readonly overriddenBy: readonly Override[];
}

/** An input that could not be checked (in whole or in part), and why: for JSON rows and SARIF notifications. */
export interface NotChecked {
  readonly file: string;
  readonly message: string;
  readonly severity: Severity;
  readonly range: SourceRange | null;
}

const FILE_START: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

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

const RULES = RULE_DESCRIPTIONS;

/**
 * Overriding rules named per mesh-wide finding. Every mesh-wide finding has the same list, so
 * without a bound the output would grow as mesh-wide findings times DestinationRules.
 */
export const MAX_OVERRIDES_SHOWN = 20;

function describeOverride(o: Override): string {
  const { resource, host, value, range } = o.setting;
  const name = resource.namespace !== null ? `${resource.namespace}/${resource.name ?? '?'}` : resource.name ?? '?';
  return `DestinationRule ${name} for ${host ?? 'its host'}${appliedFromText(o.appliedFrom)} (${value} at ${o.file}:${range.start.line + 1}:${range.start.character + 1})`;
}

/** " and 5 more DestinationRules", when the list was cut at MAX_OVERRIDES_SHOWN. */
function moreOverrides(overriddenBy: readonly Override[]): string | null {
  const more = overriddenBy.length - MAX_OVERRIDES_SHOWN;
  return more > 0 ? `and ${more} more DestinationRule${more === 1 ? '' : 's'}` : null;
}

/**
 * `file:line:col severity message [code]`, one finding per line, with precedence notes indented
 * below. Everything taken from the files (names, values, messages quoting them) is shown with its
 * control and direction-changing characters made visible, so a file cannot retitle the terminal
 * or reorder what the user reads.
 */
export function formatText(results: readonly FileFinding[]): string {
  let out = '';
  for (const { file, finding, overriddenBy } of results) {
    const { line, character } = finding.range.start;
    out += `${revealInvisible(file)}:${line + 1}:${character + 1} ${finding.severity} ${revealInvisible(finding.message)} [${finding.code}]\n`;
    for (const o of overriddenBy.slice(0, MAX_OVERRIDES_SHOWN)) out += `  note: overridden by ${revealInvisible(describeOverride(o))}\n`;
    const more = moreOverrides(overriddenBy);
    if (more !== null) out += `  note: ${more}\n`;
  }
  return out;
}

/**
 * JSON text whose strings are exact (they parse back to what the files hold) yet safe to print:
 * JSON.stringify escapes C0 controls but leaves bidi overrides and C1 controls raw, so those are
 * written as `\uXXXX` escapes too. Only non-ASCII characters (and DEL) can be such a character.
 */
function terminalSafeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (ch) =>
    revealInvisible(ch) === ch ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

const relatedRow = (file: string, r: RelatedLocation): object => ({
  file: r.file ?? file, line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message,
});

/**
 * One row per finding; inputs that could not be checked follow as `unreadable-file` information
 * rows (unless a finding already says so), so a JSON consumer sees them without reading stderr.
 */
export function formatJson(results: readonly FileFinding[], notChecked: readonly NotChecked[] = []): string {
  const rows: object[] = results.map(({ file, finding, overriddenBy }) => {
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
      related: (finding.related ?? []).map((r) => relatedRow(file, r)),
      overriddenByCount: overriddenBy.length,
      overriddenBy: overriddenBy.slice(0, MAX_OVERRIDES_SHOWN).map((o) => ({
        file: o.file,
        line: o.setting.range.start.line + 1,
        column: o.setting.range.start.character + 1,
        resource: o.setting.resource,
        host: o.setting.host,
        appliedFrom: o.appliedFrom,
        value: o.setting.value,
        seconds: o.setting.seconds,
      })),
    };
  });
  for (const n of notChecked) {
    const r = region(n.range ?? FILE_START);
    rows.push({
      file: n.file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'information', code: 'unreadable-file',
      summary: 'this input was not checked', message: n.message, problemLine: r.startLine, problemColumn: r.startColumn,
    });
  }
  return terminalSafeJson(rows);
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', information: 'note' };

/**
 * SARIF artifact URIs: relative paths with forward slashes and each segment percent-encoded (a
 * space, `#` or control character in a name would otherwise make an invalid or different URI),
 * absolute ones as file: URLs.
 */
function artifactUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file.split(path.sep).map(encodeURIComponent).join('/');
}

/** Relative URIs resolve against %SRCROOT%, the folder the paths were given from. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  return path.isAbsolute(file) ? { uri: artifactUri(file) } : { uri: artifactUri(file), uriBaseId: SRCROOT };
}

const SRCROOT = '%SRCROOT%';

export interface SarifContext {
  readonly version: string;
  /** The folder relative paths are relative to (the working directory). */
  readonly srcRoot: string;
  readonly notChecked?: readonly NotChecked[];
}

export function formatSarif(results: readonly FileFinding[], context: SarifContext): string {
  const { version } = context;
  const srcRootUri = pathToFileURL(context.srcRoot.endsWith(path.sep) ? context.srcRoot : `${context.srcRoot}${path.sep}`).href;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mesh-doctor',
            version,
            informationUri: 'https://istio.io/latest/docs/ops/common-problems/network-issues/',
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.short },
              fullDescription: { text: rule.full },
              help: { text: `${rule.full} See ${rule.helpUri}` },
              helpUri: rule.helpUri,
              defaultConfiguration: { level: SARIF_LEVEL[rule.level] },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: srcRootUri } },
        invocations: [{
          executionSuccessful: true,
          toolExecutionNotifications: (context.notChecked ?? []).map((n) => ({
            level: SARIF_LEVEL[n.severity],
            message: { text: revealInvisible(n.message) },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file), region: region(n.range ?? FILE_START) } }],
          })),
        }],
        results: results.map(({ file, finding, overriddenBy }) => ({
          ruleId: finding.code,
          ruleIndex: RULES.findIndex((rule) => rule.id === finding.code),
          level: SARIF_LEVEL[finding.severity],
          message: { text: sarifMessage(finding, overriddenBy) },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(file), region: region(finding.range) } }],
          relatedLocations: [
            ...overriddenBy.slice(0, MAX_OVERRIDES_SHOWN).map((o) => ({
              message: { text: revealInvisible(describeOverride(o)) },
              physicalLocation: { artifactLocation: artifactLocation(o.file), region: region(o.setting.range) },
            })),
            ...(finding.related ?? []).map((r) => ({
              message: { text: revealInvisible(r.message) },
              physicalLocation: { artifactLocation: artifactLocation(r.file ?? file), region: region(r.range) },
            })),
          ].map((location, id) => ({ id, ...location })),
          fixes: finding.fix === null ? [] : [{
            description: { text: revealInvisible(finding.fix.title) },
            artifactChanges: [{
              artifactLocation: artifactLocation(file),
              replacements: [{ deletedRegion: region(finding.range), insertedContent: { text: finding.fix.replacement } }],
            }],
          }],
        })),
      },
    ],
  };
  return terminalSafeJson(log);
}

/**
 * Code scanning shows message texts to people, as text: they get the terminal's treatment (visible
 * escapes). URIs, regions and replacements stay exact, since tools act on them.
 */
function sarifMessage(finding: ConnectTimeoutFinding, overriddenBy: readonly Override[]): string {
  const more = moreOverrides(overriddenBy);
  const notes = overriddenBy.slice(0, MAX_OVERRIDES_SHOWN).map((o) => `Overridden by ${describeOverride(o)}.`);
  return revealInvisible([finding.message, ...notes, ...(more === null ? [] : [`Also overridden ${more}.`])].join(' '));
}
