/**
 * Kubernetes label selectors as the API server accepts them in `labelSelector`:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist),
 * joined by commas (AND).
 */
export type LabelRequirement =
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | 'notexists' };

export type LabelSelector = readonly LabelRequirement[];

export class LabelSelectorError extends Error {}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?$/;

/** Splits on commas that are not inside `( )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function checkKey(key: string, whole: string): string {
  if (!KEY.test(key)) throw new LabelSelectorError(`unable to parse requirement: invalid label key "${key}" in "${whole}"`);
  return key;
}

function checkValues(values: string[], whole: string): string[] {
  for (const v of values) {
    if (!VALUE.test(v)) throw new LabelSelectorError(`unable to parse requirement: invalid label value "${v}" in "${whole}"`);
  }
  return values;
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text || !text.trim()) return [];
  return splitTopLevel(text).map((raw): LabelRequirement => {
    const part = raw.trim();
    let m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) {
      const values = checkValues([m[3]], part);
      return { key: checkKey(m[1], part), op: m[2] === '!=' ? 'notin' : 'in', values };
    }
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = checkValues(m[3].split(',').map((v) => v.trim()), part);
      return { key: checkKey(m[1], part), op: m[2] as 'in' | 'notin', values };
    }
    m = /^(!?)\s*(\S+)$/.exec(part);
    if (m) return { key: checkKey(m[2], part), op: m[1] ? 'notexists' : 'exists' };
    throw new LabelSelectorError(`unable to parse requirement: "${part}"`);
  });
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

/** Field selectors the stand-in understands on pods: equality on a few well-known fields. */
export function parsePodFieldSelector(text: string | null | undefined): (pod: { namespace: string; name: string; nodeName: string; phase: string }) => boolean {
  if (!text || !text.trim()) return () => true;
  const checks = text.split(',').map((raw) => {
    const m = /^\s*([\w.]+)\s*(==|=|!=)\s*(\S*)\s*$/.exec(raw);
    if (!m) throw new LabelSelectorError(`invalid field selector: "${raw}"`);
    const [, field, op, value] = m;
    const pick = {
      'metadata.name': (p: { name: string }) => p.name,
      'metadata.namespace': (p: { namespace: string }) => p.namespace,
      'spec.nodeName': (p: { nodeName: string }) => p.nodeName,
      'status.phase': (p: { phase: string }) => p.phase,
    }[field];
    if (!pick) throw new LabelSelectorError(`field label not supported: ${field}`);
    return { pick, negate: op === '!=', value };
  });
  return (pod) => checks.every((c) => (c.pick(pod as never) === c.value) !== c.negate);
}
