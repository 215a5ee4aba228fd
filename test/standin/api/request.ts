import type { IncomingMessage, ServerResponse } from 'node:http';
import { type MeshModel } from '../model/meshModel';

/** One authenticated API request, parsed once and handed to the route handlers. */
export interface ApiRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly query: URLSearchParams;
  /** The user the bearer token belongs to (for RBAC-style messages). */
  readonly user: string;
  readonly model: MeshModel;
}

export function intParam(query: URLSearchParams, name: string): number | null {
  const v = query.get(name);
  if (v === null || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1';
}
