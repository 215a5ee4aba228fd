import { Document, isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, YAMLParseError, type Alias, type DocumentOptions, type Node, type ParseOptions, type Scalar, type SchemaOptions, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * parseAllDocuments, except that a text nested deeper than the parser's own stack allows (a few
 * thousand block levels) comes back as one document carrying a RESOURCE_EXHAUSTION error, as the
 * parser reports its other limits, instead of a RangeError that would end the whole run.
 */
export function parseYamlDocuments(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): Document[] {
  try {
    return parseAllDocuments(text, options) as Document[];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const doc = new Document();
    doc.errors.push(new YAMLParseError([0, Math.min(1, text.length)], 'RESOURCE_EXHAUSTION', 'nested too deeply to parse'));
    return [doc];
  }
}

/**
 * Each alias of a document and the node it refers to, found in one pass: `Alias.resolve` walks the
 * whole document per call, so a file of many aliases would cost their number times its size.
 * Kept per document, so every walker over it shares the one pass.
 */
const aliasTargetsByDocument = new WeakMap<Document, Map<Alias, Node>>();

/** YAML's rule: an alias refers to the closest anchor of its name before it, in document order. */
function aliasTargets(doc: Document): Map<Alias, Node> {
  let targets = aliasTargetsByDocument.get(doc);
  if (targets === undefined) {
    const built = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target !== undefined) built.set(node, target);
        } else if (node.anchor !== undefined) {
          anchors.set(node.anchor, node);
        }
      },
    });
    targets = built;
    aliasTargetsByDocument.set(doc, targets);
  }
  return targets;
}

/**
 * Read-only navigation of a parsed YAML document that follows aliases to their anchors, so a value
 * reached through `*alias` is located where it is written (at the anchor). Aliases are followed one
 * step at a time and never expanded, so an alias bomb costs no more than its text.
 */
export class YamlWalker {
  constructor(private readonly doc: Document) {}

  /** The node itself, or the node its alias points to. */
  deref(node: unknown): Node | null {
    if (isAlias(node)) return aliasTargets(this.doc).get(node) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  map(node: unknown): YAMLMap | null {
    const n = this.deref(node);
    return isMap(n) ? n : null;
  }

  seq(node: unknown): YAMLSeq | null {
    const n = this.deref(node);
    return isSeq(n) ? n : null;
  }

  /**
   * The value under `key` in a mapping, or null. A key written in the mapping wins; else YAML merge
   * keys (`<<: *pool`, `<<: [*a, *b]`) are followed, first source first, as kubectl's parser does.
   * `depth` bounds chains of merges, so a hostile chain costs no more than its length.
   */
  get(node: unknown, key: string, depth = 0): Node | null {
    const m = this.map(node);
    if (m === null) return null;
    let merged: Node | null = null;
    for (const pair of m.items) {
      if (!isScalar(pair.key)) continue;
      if (pair.key.value === key) return this.deref(pair.value);
      if (pair.key.value === '<<' && merged === null && depth < 8) {
        const source = this.deref(pair.value);
        const sources = isSeq(source) ? source.items.map((item) => this.deref(item)) : [source];
        for (const from of sources) {
          merged = this.get(from, key, depth + 1);
          if (merged !== null) break;
        }
      }
    }
    return merged;
  }

  /** The keys of a mapping as written (merge keys not expanded). */
  keys(node: unknown): string[] {
    const m = this.map(node);
    return m === null ? [] : m.items.flatMap((pair) => (isScalar(pair.key) && pair.key.value !== '<<' ? [String(pair.key.value)] : []));
  }

  /** The key node of `key` in a mapping, for findings that point at the key (`meshConfig:`). */
  keyNode(node: unknown, key: string): Node | null {
    const m = this.map(node);
    if (m === null) return null;
    for (const pair of m.items) if (isScalar(pair.key) && pair.key.value === key) return pair.key;
    return null;
  }

  /** Follows a dotted path of keys. */
  at(node: unknown, ...keys: string[]): Node | null {
    let n: Node | null = this.deref(node);
    for (const key of keys) {
      n = this.get(n, key);
      if (n === null) return null;
    }
    return n;
  }

  /** A scalar's value as a string (numbers and booleans too), else null. */
  string(node: unknown): string | null {
    const n = this.deref(node);
    if (!isScalar(n) || n.value === null || n.value === undefined) return null;
    return String(n.value);
  }

  /** The items of a sequence (aliases resolved), or none. */
  items(node: unknown): Node[] {
    const s = this.seq(node);
    return s === null ? [] : s.items.map((item) => this.deref(item)).filter((n): n is Node => n !== null);
  }
}

export type ScalarNode = Scalar<unknown>;
