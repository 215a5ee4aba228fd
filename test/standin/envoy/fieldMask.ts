type Json = Record<string, unknown>;

interface MaskTree {
  [field: string]: MaskTree;
}

function buildTree(paths: readonly string[]): MaskTree {
  const root: MaskTree = {};
  for (const p of paths) {
    let node = root;
    for (const part of p.split('.').filter(Boolean)) node = node[part] ??= {};
  }
  return root;
}

function trim(value: unknown, tree: MaskTree): unknown {
  if (Object.keys(tree).length === 0) return value;
  // protobuf FieldMaskUtil semantics: a path through a repeated message field trims each element.
  if (Array.isArray(value)) return value.map((v) => trim(v, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [field, sub] of Object.entries(tree)) {
    if (field in (value as Json)) out[field] = trim((value as Json)[field], sub);
  }
  return out;
}

/**
 * Applies a `mask=` field mask (comma-separated dotted paths) as Envoy's /config_dump does:
 * only the listed fields survive; `@type` is kept so the result is still a typed Any.
 */
export function applyFieldMask(message: Json, mask: string): Json {
  const paths = mask.split(',').map((p) => p.trim()).filter(Boolean);
  const trimmed = trim(message, buildTree(paths)) as Json;
  return '@type' in message ? { '@type': message['@type'], ...trimmed } : trimmed;
}
