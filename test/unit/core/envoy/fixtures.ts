import * as fs from 'node:fs';
import * as path from 'node:path';

/** The shared fixtures folder: `MESH_DOCTOR_SHARED`, else `../shared` beside the repo. */
export function sharedFolder(): string {
  const repoRoot = path.resolve(__dirname, '../../../../..');
  return process.env.MESH_DOCTOR_SHARED ?? path.resolve(repoRoot, '../shared');
}

export function readRealIstio(file: string): string {
  return fs.readFileSync(path.join(sharedFolder(), 'fixtures/real/istio', file), 'utf8');
}
