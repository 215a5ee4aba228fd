import * as path from 'node:path';

/** The repository root (this file compiles to out/test/host/paths.js). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Git-ignored folder for everything the tests install lazily (as @vscode/test-electron does). */
export const testCacheDir = path.join(repoRoot, '.vscode-test');

/** Where test runs leave reports and screenshots. */
export const resultsDir = path.join(repoRoot, 'test-results');

export const screenshotDir = path.join(repoRoot, 'media', 'screenshots');

/** The read-only shared fixtures beside the clone; MESH_DOCTOR_SHARED overrides. */
export const sharedDir = process.env.MESH_DOCTOR_SHARED ?? path.resolve(repoRoot, '..', 'shared');

export const workspaceDir = path.join(repoRoot, 'test', 'fixtures', 'workspace');
export const demoWorkspaceDir = path.join(repoRoot, 'test', 'demo', 'workspace');
