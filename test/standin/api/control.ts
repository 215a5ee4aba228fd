import type { IncomingMessage } from 'node:http';
import { type StandInControl } from '../control';
import { PodNotFoundError } from '../model/meshModel';
import { type ApiRequest } from './request';
import { kubeStatus, sendJson, sendStatus } from './status';

const MAX_BODY = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('request body must be a JSON object');
  return value as Record<string, unknown>;
}

type ControlOp = (c: StandInControl, body: Record<string, unknown>, m: RegExpExecArray, query: URLSearchParams) => unknown;

/** HTTP mirror of StandInControl for tests in another process (the VS Code extension host). */
const OPS: [string, RegExp, ControlOp][] = [
  ['GET', /^state$/, (c) => ({ now: new Date(c.now()).toISOString(), resourceVersion: c.mesh.resourceVersion, pods: c.mesh.podCount, faults: c.faults() })],
  ['GET', /^faults$/, (c) => c.faults()],
  ['POST', /^faults$/, (c, body) => ({ id: c.addFault(body as never) })],
  ['DELETE', /^faults$/, (c) => (c.clearFaults(), {})],
  ['DELETE', /^faults\/(\d+)$/, (c, _b, m) => ({ removed: c.removeFault(Number(m[1])) })],
  ['POST', /^clock\/advance$/, (c, body) => (c.advance(Number(body.ms)), { now: new Date(c.now()).toISOString() })],
  ['POST', /^pods$/, (c, body) => c.addPod(body as never)],
  ['POST', /^istio\/destinationrules\/([^/]+)$/, (c, body, m) => c.applyDestinationRule(m[1], body)],
  ['POST', /^istio\/mesh$/, (c, body) => c.applyMeshConfig(String(body.mesh ?? ''))],
  ['POST', /^pods\/([^/]+)\/([^/]+)\/delete$/, (c, _b, m) => (c.deletePod(m[1], m[2]), {})],
  ['POST', /^pods\/([^/]+)\/([^/]+)\/restart$/, (c, body, m) => c.restartPod(m[1], m[2], typeof body.container === 'string' ? body.container : undefined)],
  ['POST', /^pods\/([^/]+)\/([^/]+)\/modify$/, (c, body, m) => c.modifyPod(m[1], m[2], body)],
  ['POST', /^pods\/([^/]+)\/([^/]+)\/load$/, (c, body, m) => (c.setLoad(m[1], m[2], Number(body.linesPerSecond)), {})],
  ['GET', /^pods\/([^/]+)\/([^/]+)\/envoy\/logging$/, (c, _b, m) => c.envoyLogLevels(m[1], m[2])],
  ['GET', /^pods\/([^/]+)\/([^/]+)\/identity-schedule$/, (c, _b, m) => c.identitySchedule(m[1], m[2])],
  [
    'POST',
    /^pods\/([^/]+)\/([^/]+)\/containers\/([^/]+)\/log$/,
    (c, body, m) => {
      if (!Array.isArray(body.lines) || !body.lines.every((l) => typeof l === 'string')) throw new Error('body.lines must be an array of strings');
      c.emitLog(m[1], m[2], m[3], body.lines as string[]);
      return {};
    },
  ],
];

export async function handleControl(r: ApiRequest, path: string, control: StandInControl): Promise<void> {
  const method = r.req.method ?? 'GET';
  for (const [opMethod, pattern, op] of OPS) {
    const m = pattern.exec(path);
    if (!m || opMethod !== method) continue;
    try {
      const body = method === 'GET' ? {} : await readJson(r.req);
      return sendJson(r.res, 200, op(control, body, m, r.query) ?? {});
    } catch (err) {
      const code = err instanceof PodNotFoundError ? 404 : 400;
      return sendStatus(r.res, kubeStatus(code, `stand-in control ${method} ${path}: ${(err as Error).message}`));
    }
  }
  sendStatus(r.res, kubeStatus(404, `no stand-in control operation ${method} /standin/v1/${path}; see test/standin/README.md`));
}
