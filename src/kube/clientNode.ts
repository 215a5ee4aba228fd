import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

/**
 * @kubernetes/client-node 1.x is ESM-only. tsc's node16 CommonJS output refuses a static import of
 * it, but Node ≥ 20.19 can `require()` an ES module synchronously and esbuild bundles the call, so
 * one typed `require` here keeps every caller synchronous (KubeConfig loading, API factories).
 */
export const k8s = require('@kubernetes/client-node') as typeof ClientNode;
export type { ClientNode };
