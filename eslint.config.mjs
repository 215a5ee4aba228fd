// ESLint for the product and its tests, with type information, run by `npm test` before the suites.
// Besides the promise and type-import rules, it enforces the layers of ARCHITECTURE.md: features →
// services → kube → core, with core pure and nothing below the features importing `vscode`.
import tseslint from 'typescript-eslint';

/** Imports no module of a lower layer may make, by layer. */
const FEATURE_FOLDERS = ['annotator', 'debugLogging', 'diagnose', 'explorer', 'lint', 'overview', 'tail', 'cli', 'services'];
const featureImports = FEATURE_FOLDERS.map((f) => `**/${f}/**`);
/** Folders of src/core named like a feature: inside core, `../diagnose` is core's own, and the feature is `../../diagnose`. */
const CORE_NAMESAKES = ['diagnose', 'overview'];
const coreBans = FEATURE_FOLDERS.flatMap((f) => (CORE_NAMESAKES.includes(f) ? [`../../${f}`, `../../${f}/**`] : [`**/${f}/**`]));
const IO_MODULES = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'http2', 'node:http2', 'child_process', 'node:child_process', 'dgram', 'node:dgram', 'tls', 'node:tls',
  'worker_threads', 'node:worker_threads', 'execa', '@kubernetes/client-node', 'ws',
];

function layer(files, message, { paths = [], patterns = [] }) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: paths.map((name) => ({ name, message })),
        // Core is below every layer, so a core folder named like a feature (core/overview) is not that feature.
        patterns: [{ group: [...patterns, '!**/core/**'], message }],
      }],
    },
  };
}

/** Features meet only through services: none imports another (ARCHITECTURE.md). */
const FEATURES = ['annotator', 'debugLogging', 'diagnose', 'explorer', 'lint', 'overview', 'tail'];
const featureRules = FEATURES.map((feature) =>
  layer([`src/${feature}/**/*.ts`], `Features meet through services, never by importing each other: src/${feature} may not import another feature (ARCHITECTURE.md).`, {
    patterns: FEATURES.filter((f) => f !== feature).flatMap((f) => [`../${f}/**`, `../../${f}/**`, `../${f}`, `../../${f}`]),
  }),
);

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'media/dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'test/fixtures/**', 'scripts/**', '*.mjs', 'wasm/**', 'src/core/logs/logScanWasm.ts'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'media/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  layer(['src/core/**/*.ts'], 'src/core is pure: no vscode, no I/O, and nothing from kube, services, features or the CLI (ARCHITECTURE.md).', {
    paths: ['vscode', ...IO_MODULES],
    patterns: ['**/kube/**', '**/kube', ...coreBans, '**/extension', '**/ctx', '**/config'],
  }),
  layer(['src/kube/**/*.ts'], 'src/kube sits below the services and features: no vscode, nothing from them (ARCHITECTURE.md).', {
    paths: ['vscode'],
    patterns: [...featureImports, '**/extension', '**/ctx', '**/config'],
  }),
  layer(['src/files/**/*.ts'], 'src/files reads and writes local files for the CLI and the extension: no vscode, nothing from services or features (ARCHITECTURE.md).', {
    paths: ['vscode'],
    patterns: [...featureImports, '**/extension', '**/ctx', '**/config'],
  }),
  ...featureRules,
  layer(['src/services/**/*.ts'], 'Services sit below the features: no feature import (ARCHITECTURE.md).', {
    patterns: [...FEATURES.flatMap((f) => [`../${f}/**`, `../${f}`]), '**/extension', '**/cli/**'],
  }),
  layer(['src/cli/**/*.ts', 'src/cli.ts'], 'The CLI runs without VS Code: no vscode and no extension features (ARCHITECTURE.md).', {
    paths: ['vscode'],
    patterns: FEATURE_FOLDERS.filter((f) => f !== 'cli' && f !== 'services').map((f) => `**/${f}/**`).concat(['**/extension', '**/ctx']),
  }),
);
