import { Document, isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { formatDuration, parseDuration, type DurationParse } from '../duration';
import { describeFinding } from './describeFinding';
import { defaultLiteral, valuesPath, type TemplateSpan } from './helmTemplate';
import type { ConnectTimeoutNode, ResourceRef } from './istioSites';
import type { LintContext } from './lintContext';
import type { ChartValues, ConnectTimeoutSetting } from './lintManifest';
import { ISTIO_HELM_DOCS } from './ruleDocs';
import { LineIndex } from './sourceText';
import type { LintFinding } from './types';
import { parseYamlDocuments, YamlWalker } from './yamlNodes';

const CONNECT_TIMEOUT_CODES = ['connect-timeout-low', 'connect-timeout-below-1ms', 'connect-timeout-invalid', 'connect-timeout-ignored-field'] as const;

/** Turns the connect timeout nodes of one parsed document into settings and findings. */
export function lintConnectTimeouts(ctx: LintContext, resource: ResourceRef, timeouts: readonly ConnectTimeoutNode[]): void {
  const seen = new Set<Node>();
  for (const timeout of timeouts) {
    if (seen.has(timeout.node)) continue;
    seen.add(timeout.node);
    lintOne(ctx, resource, timeout);
  }
}

const meshScope = (timeout: ConnectTimeoutNode): { meshRootNamespace?: string } =>
  timeout.meshRootNamespace === undefined ? {} : { meshRootNamespace: timeout.meshRootNamespace };

function push(ctx: LintContext, finding: LintFinding | null): void {
  if (finding !== null && ctx.enabled(finding.code)) ctx.result.findings.push(finding);
}

function lintOne(ctx: LintContext, resource: ResourceRef, timeout: ConnectTimeoutNode): void {
  const [start, end] = timeout.node.range ?? [0, 0];
  const written = ctx.source.text.slice(start, end);
  const at = ctx.where(timeout.node);
  const template = ctx.source.templates.find((span) => span.start < Math.max(at.end, at.start + 1) && at.start < span.end);
  if (template !== undefined) {
    lintTemplated(ctx, resource, timeout, template);
    return;
  }
  const parsed = parseValue(ctx.walker, timeout.node, written);
  const setting: ConnectTimeoutSetting = {
    site: timeout.site, path: timeout.path, range: at.range, value: written, seconds: parsed.ok ? parsed.seconds : null, resource, host: timeout.host,
    ...meshScope(timeout),
  };
  ctx.result.settings.push(setting);
  push(ctx, describeFinding({
    setting, key: timeout.key, invalidReason: parsed.ok ? null : parsed.reason,
    raisedValue: at.exact ? raisedValue(ctx.walker, timeout.node, written, start, ctx.options.minimumSeconds) : null,
    minimumSeconds: ctx.options.minimumSeconds,
  }));
}

/**
 * A value Helm renders. It is judged only when it can be known without rendering: a `default`
 * literal in the action's pipeline (found at the template), or the `.Values` path it reads, in the
 * chart's own values.yaml (found there, naming the template). Otherwise it is information. No fix
 * is offered: rewriting template text would change the chart's logic.
 */
function lintTemplated(ctx: LintContext, resource: ResourceRef, timeout: ConnectTimeoutNode, template: TemplateSpan): void {
  const templateRange = ctx.lines.range(template.start, template.end);
  const shownTemplate = template.text.length <= 80 ? template.text : `${template.text.slice(0, 80)}…`;
  const fromValues = lookUpChartValue(ctx.options.chartValues ?? null, valuesPath(template.text));
  const literal = defaultLiteral(template.text);
  const judge = (value: string, range: typeof templateRange, file: string | undefined, note: string): void => {
    const parsed = parseDuration(value);
    const setting: ConnectTimeoutSetting = {
      site: timeout.site, path: timeout.path, range, value, seconds: parsed.ok ? parsed.seconds : null, resource, host: timeout.host, ...meshScope(timeout),
    };
    if (file === undefined) ctx.result.settings.push(setting);
    const finding = describeFinding({ setting, key: timeout.key, invalidReason: parsed.ok ? null : parsed.reason, raisedValue: null, minimumSeconds: ctx.options.minimumSeconds });
    if (finding === null) return;
    push(ctx, {
      ...finding, message: `${finding.message} ${note}`, fix: null,
      ...(file === undefined ? {} : { file }),
      related: [{ file: null, range: templateRange, message: `rendered by the template ${shownTemplate}` }],
    });
  };
  if (fromValues !== null) {
    judge(fromValues.value, fromValues.range, fromValues.file, `The value comes from the chart's ${fromValues.file} (${fromValues.path}), rendered by ${shownTemplate} at line ${templateRange.start.line + 1} of the template.`);
    return;
  }
  if (literal !== null) {
    judge(literal, templateRange, undefined, `The value is the default "${literal}" of the template ${shownTemplate}, rendered when the chart's values leave it unset.`);
    return;
  }
  if (!CONNECT_TIMEOUT_CODES.some((code) => ctx.enabled(code)) || !ctx.enabled('connect-timeout-templated')) return;
  ctx.result.findings.push({
    code: 'connect-timeout-templated', severity: 'information',
    summary: `${timeout.key} is rendered by a Helm template: unknown until rendered`,
    message: `${timeout.key} is set by the Helm template ${shownTemplate}, so its value is unknown until the chart is rendered. ` +
      'Lint the rendered manifests (helm template … | mesh-doctor lint -) or set a literal default in values.yaml to have it checked.',
    range: templateRange, value: template.text, seconds: null, site: timeout.site, path: timeout.path, resource, host: timeout.host,
    fix: null, docs: [ISTIO_HELM_DOCS], related: [],
  });
}

const parsedValues = new WeakMap<ChartValues, { doc: Document; lines: LineIndex }>();

/** The scalar at `path` in the chart's values.yaml, with its place there. */
function lookUpChartValue(values: ChartValues | null, path: string[] | null): { value: string; range: ConnectTimeoutSetting['range']; file: string; path: string } | null {
  if (values === null || path === null) return null;
  let parsed = parsedValues.get(values);
  if (parsed === undefined) {
    // One document is read, as Helm reads values.yaml; a stream of several is not a values file.
    const docs = parseYamlDocuments(values.text, { prettyErrors: false, uniqueKeys: false });
    parsed = { doc: docs.length === 1 ? docs[0] : new Document(), lines: new LineIndex(values.text) };
    parsedValues.set(values, parsed);
  }
  if (parsed.doc.errors.length > 0) return null;
  const node = new YamlWalker(parsed.doc).at(parsed.doc.contents, ...path);
  if (!isScalar(node) || node.value === null || node.value === '' || node.range === undefined || node.range === null) return null;
  return { value: String(node.value), range: parsed.lines.range(node.range[0], node.range[1]), file: values.file, path: `.Values.${path.join('.')}` };
}

/**
 * Istio reads durations as protobuf JSON strings, so a plain YAML number (`10`) is judged by its
 * text ("missing unit"), not as nanoseconds; a `{seconds, nanos}` map is read field by field.
 */
function parseValue(walker: YamlWalker, node: Node, written: string): DurationParse {
  if (isScalar(node)) {
    return parseDuration(node.type === Scalar.PLAIN && typeof node.value !== 'string' ? written : String(node.value));
  }
  if (isMap(node)) {
    const fields: Record<string, unknown> = {};
    for (const pair of node.items) {
      const value = walker.deref(pair.value);
      fields[String(isScalar(pair.key) ? pair.key.value : pair.key)] = isScalar(value) ? value.value : value;
    }
    return parseDuration(fields);
  }
  // Aliases are resolved by now, so this is a sequence: parseDuration explains that a list is not a
  // duration. Its items are not converted, so a list of aliases (an alias bomb) is never expanded.
  return parseDuration(isSeq(node) ? node.items : null);
}

/** The value's text raised to the minimum in the same style, or null when it cannot be rewritten in place. */
function raisedValue(walker: YamlWalker, node: Node, written: string, start: number, minimumSeconds: number): string | null {
  const minimum = formatDuration(minimumSeconds);
  if (isScalar(node)) {
    if (node.type === Scalar.QUOTE_DOUBLE) return `"${minimum}"`;
    if (node.type === Scalar.QUOTE_SINGLE) return `'${minimum}'`;
    return node.type === Scalar.PLAIN ? minimum : null;
  }
  return isMap(node) ? raisedSecondsNanos(walker, node, written, start, minimumSeconds) : null;
}

/** Rewrites `seconds` (and `nanos`, when the minimum needs it) inside a `{seconds, nanos}` map. */
function raisedSecondsNanos(walker: YamlWalker, node: Node, written: string, start: number, minimumSeconds: number): string | null {
  const seconds = walker.get(node, 'seconds');
  const nanos = walker.get(node, 'nanos');
  const wholeSeconds = Math.floor(minimumSeconds);
  const minimumNanos = Math.round((minimumSeconds - wholeSeconds) * 1e9);
  const edits: { node: Node; text: string }[] = [];
  if (!isScalar(seconds) || seconds.range === null || seconds.range === undefined) return null;
  edits.push({ node: seconds, text: String(wholeSeconds) });
  if (isScalar(nanos) && nanos.range) edits.push({ node: nanos, text: String(minimumNanos) });
  else if (minimumNanos !== 0) return null;
  let out = written;
  for (const edit of edits.sort((a, b) => (b.node.range?.[0] ?? 0) - (a.node.range?.[0] ?? 0))) {
    const [s, e] = edit.node.range ?? [0, 0];
    // An alias points outside this map; such a value cannot be rewritten here.
    if (s < start || e > start + written.length) return null;
    const quote = isScalar(edit.node) && edit.node.type === Scalar.QUOTE_DOUBLE ? '"' : isScalar(edit.node) && edit.node.type === Scalar.QUOTE_SINGLE ? "'" : '';
    out = out.slice(0, s - start) + quote + edit.text + quote + out.slice(e - start);
  }
  return out;
}
