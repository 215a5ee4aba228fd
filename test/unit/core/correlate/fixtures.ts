import * as fs from 'node:fs';
import * as path from 'node:path';
import { correlateText } from '../../../../src/core/correlate/index';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/** A file under the shared fixtures folder (`MESH_DOCTOR_SHARED` overrides where that folder is). */
export function sharedFixture(...parts: string[]): string {
  const shared = process.env.MESH_DOCTOR_SHARED ?? path.resolve(REPO_ROOT, '../shared');
  return path.join(shared, 'fixtures', ...parts);
}

export function readSharedFixture(...parts: string[]): string {
  return fs.readFileSync(sharedFixture(...parts), 'utf8');
}

export const INCIDENT_APP = ['incident', 'app-error.txt'] as const;
export const INCIDENT_ENVOY = ['incident', 'envoy-debug.log'] as const;

/**
 * The incident's application error and Envoy log come from different reproductions (19:05:44.614
 * and 22:04): this offset moves the application's reset onto the Envoy log's `[C331] connect
 * timeout` at 22:04:06.067.
 */
export const INCIDENT_CLOCK_OFFSET_SECONDS = (Date.parse('2020-05-29T22:04:06.067Z') - Date.parse('2020-05-29T19:05:44.614Z')) / 1000;

/**
 * The verdicts (line, kind, cause) for an application log and a sidecar log read together with a
 * 5 s window: what the held-out tests assert on real-format lines.
 */
export function appEnvoyVerdicts(app: string, envoy: string): { line: number; kind: string; cause: string }[] {
  return correlateText(
    [
      { file: 'app.log', text: app },
      { file: 'istio-proxy.log', text: envoy },
    ],
    { windowSeconds: 5 },
  ).resets.map((r) => ({ line: r.line, kind: r.kind, cause: r.cause }));
}

export { REPO_ROOT };
