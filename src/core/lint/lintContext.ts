import type { Document, Node } from 'yaml';
import type { DocumentSource } from './documentSource';
import type { ResourceRef } from './istioSites';
import type { ManifestLintResult, LintOptions } from './lintManifest';
import type { LineIndex } from './sourceText';
import type { ConnectTimeoutSite, FindingCode, LintFinding, RelatedLocation, Severity, SourceRange } from './types';
import { YamlWalker } from './yamlNodes';
import { templateAt } from './helmTemplate';

/** What every rule needs about one parsed document: how to walk it, where it is, where results go. */
export class LintContext {
  readonly walker: YamlWalker;

  constructor(
    readonly doc: Document,
    readonly source: DocumentSource,
    readonly lines: LineIndex,
    readonly options: LintOptions,
    readonly result: ManifestLintResult,
  ) {
    this.walker = new YamlWalker(doc);
  }

  /** The same context for a document parsed from a string inside this one. */
  embedded(doc: Document, source: DocumentSource): LintContext {
    return new LintContext(doc, source, this.lines, this.options, this.result);
  }

  /** The node's range in the file, and whether its text there is exactly the node's text. */
  where(node: Node): { range: SourceRange; start: number; end: number; exact: boolean } {
    const [s, e] = node.range ?? [0, 0];
    const at = this.source.locate(s, e);
    return { range: this.lines.range(at.start, at.end), start: at.start, end: at.end, exact: at.exact };
  }

  /** True when a Helm action renders (part of) this node: its value is not known here. */
  isTemplated(node: Node): boolean {
    const at = this.where(node);
    return templateAt(this.source.templates, at.start, at.end) !== null;
  }

  enabled(code: FindingCode): boolean {
    return !(this.options.disabled?.has(code) ?? false);
  }

  /** Records a finding of a rule other than the connect timeout ones (which carry their own setting). */
  report(input: {
    code: FindingCode; severity: Severity; node: Node; site: ConnectTimeoutSite; path: string; resource: ResourceRef; host: string | null;
    summary: string; message: string; docs: readonly string[]; related?: readonly RelatedLocation[];
  }): void {
    if (!this.enabled(input.code)) return;
    const at = this.where(input.node);
    const [s, e] = input.node.range ?? [0, 0];
    const finding: LintFinding = {
      code: input.code, severity: input.severity, summary: input.summary, message: input.message, range: at.range,
      value: this.source.text.slice(s, e), seconds: null, site: input.site, path: input.path, resource: input.resource,
      host: input.host, fix: null, docs: input.docs, related: input.related ?? [],
    };
    this.result.findings.push(finding);
  }
}
