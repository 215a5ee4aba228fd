import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

/**
 * @kubernetes/client-node 1.x is ESM-only. tsc's node16 CommonJS output refuses a static import of
 * it, but Node ≥ 20.19 can `require()` an ES module synchronously, so one typed `require` here keeps
 * every caller synchronous (KubeConfig loading, API factories).
 *
 * It is loaded on first use, not at import: the library is nine tenths of the bundle, and linting a
 * manifest (what activates the extension) never touches a cluster. esbuild ships it as its own
 * file, dist/client-node.js, which this `require` reaches only when a cluster feature runs.
 */
let loaded: typeof ClientNode | undefined;

function load(): typeof ClientNode {
  loaded ??= require('@kubernetes/client-node') as typeof ClientNode;
  return loaded;
}

export const k8s = new Proxy({} as typeof ClientNode, {
  get: (_target, property) => Reflect.get(load(), property),
});

export type { ClientNode };
