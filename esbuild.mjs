// Bundles what ships in the .vsix: the extension (vscode stays external, the host provides it)
// and the CLI. Tests run from tsc's out/ folder instead, so they see the same modules unbundled.
import * as esbuild from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.env.MESH_DOCTOR_MINIFY === '1',
  logLevel: 'warning',
};

/**
 * @kubernetes/client-node is most of the bundle and only the cluster features need it, so the
 * extension and the CLI load it lazily (src/kube/clientNode.ts) from its own file beside them.
 */
const clientNodeBesideBundle = {
  name: 'client-node-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './client-node.js', external: true }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [clientNodeBesideBundle] }),
  esbuild.build({ ...common, entryPoints: ['@kubernetes/client-node'], outfile: 'dist/client-node.js', minify: true }),
  // The linter's worker thread, started by src/lint/lintWorkerClient.ts from next to extension.js.
  esbuild.build({ ...common, entryPoints: ['src/lint/lintWorker.ts'], outfile: 'dist/lintWorker.js' }),
  esbuild.build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [clientNodeBesideBundle] }),
  // `mesh-doctor correlate` finds each file's relevant lines on this worker thread, started from next to cli.js.
  esbuild.build({ ...common, entryPoints: ['src/cli/correlateScanWorker.ts'], outfile: 'dist/correlateScanWorker.js' }),
  // The annotator webview runs in a browser frame whose CSP allows only files from media/dist.
  esbuild.build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['media/annotator/annotator.ts', 'media/annotator/annotator.css'],
    outdir: 'media/dist',
  }),
]);
