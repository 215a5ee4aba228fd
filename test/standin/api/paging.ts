/**
 * `limit`/`continue` paging as the API server does it: items in key order, the continue token an
 * opaque base64 of where to resume and the resourceVersion the listing started at.
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
  readonly resourceVersion: number;
}

export class BadContinueError extends Error {}

interface ContinueState {
  readonly v: 'standin/v1';
  readonly rv: number;
  readonly start: string;
}

export function encodeContinue(rv: number, start: string): string {
  const state: ContinueState = { v: 'standin/v1', rv, start };
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeContinue(token: string): ContinueState {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueState;
    if (state.v === 'standin/v1' && typeof state.start === 'string' && typeof state.rv === 'number') return state;
  } catch {
    // fall through to the error below
  }
  throw new BadContinueError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/** Cuts one page out of `sorted` (already filtered, ordered by `keyOf`). */
export function paginate<T>(sorted: readonly T[], keyOf: (t: T) => string, currentRv: number, limit: number | null, continueToken: string | null): Page<T> {
  let from = 0;
  let rv = currentRv;
  if (continueToken) {
    const state = decodeContinue(continueToken);
    rv = state.rv;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid]) < state.start) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  if (!limit || limit <= 0 || from + limit >= sorted.length) return { items: sorted.slice(from), resourceVersion: rv };
  const items = sorted.slice(from, from + limit);
  return {
    items,
    continueToken: encodeContinue(rv, keyOf(sorted[from + limit])),
    remainingItemCount: sorted.length - from - limit,
    resourceVersion: rv,
  };
}

export function listBody(kind: string, apiVersion: string, page: Page<unknown>): unknown {
  return {
    kind,
    apiVersion,
    metadata: {
      resourceVersion: String(page.resourceVersion),
      ...(page.continueToken ? { continue: page.continueToken, remainingItemCount: page.remainingItemCount } : {}),
    },
    items: page.items,
  };
}
