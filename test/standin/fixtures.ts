import * as path from 'node:path';

/**
 * The shared fixtures folder: `MESH_DOCTOR_SHARED`, else `../shared` beside the repository.
 * Compiled files live in out/test/standin, so the repository root is three levels up.
 */
export function sharedFolder(): string {
  return process.env.MESH_DOCTOR_SHARED ?? path.resolve(__dirname, '../../..', '../shared');
}

export function realFixture(relative: string): string {
  return path.join(sharedFolder(), 'fixtures/real', relative);
}
