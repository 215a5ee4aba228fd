import type { ServerResponse } from 'node:http';

/** A Kubernetes `Status` object, the body of every API error. */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  readonly code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export function kubeStatus(code: number, message: string, details?: Record<string, unknown>, reason?: string): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reason ?? REASONS[code] ?? 'Unknown', ...(details ? { details } : {}), code };
}

/** The API server's answer to a forbidden verb, word for word as RBAC denials read. */
export function forbiddenStatus(user: string, verb: string, resource: string, name: string | undefined, namespace: string | undefined): KubeStatus {
  const group = resource.split('/')[0];
  const what = name ? `${group} "${name}"` : group;
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return kubeStatus(
    403,
    `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group ""${scope}`,
    { ...(name ? { name } : {}), kind: group },
  );
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: KubeStatus): void {
  sendJson(res, status.code, status);
}

/** Writes a Status as a raw HTTP response on an upgrade socket (no ServerResponse there). */
export function statusResponseBytes(status: KubeStatus): string {
  const body = JSON.stringify(status);
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status.code] ?? 'Error';
  return `HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
