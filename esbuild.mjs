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

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The linter's worker thread, started by src/lint/lintWorkerClient.ts from next to extension.js.
  esbuild.build({ ...common, entryPoints: ['src/lint/lintWorker.ts'], outfile: 'dist/lintWorker.js' }),
  esbuild.build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
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
