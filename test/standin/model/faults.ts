/** What a request does, for matching faults against it. */
export type RequestVerb = 'list' | 'get' | 'watch' | 'delete' | 'log' | 'exec' | 'portforward' | 'discovery';

/**
 * A failure the stand-in injects on demand, for one pod, one namespace or everything:
 * - `status`: answer with an error Status (401, 403, 500...) instead of serving the request
 * - `delay`: serve the request `delayMs` late
 * - `dropWebSocket`: cut an exec/port-forward WebSocket `afterMs` into the session (no close frame)
 * - `dropLogStream`: cut a log stream `afterMs` after it starts (no chunked terminator)
 * - `dropWatch`: cut a watch stream `afterMs` after it starts
 * - `stallWebSocket`: accept an exec/port-forward upgrade, then never send a byte (a hung kubelet)
 * - `deletePod`: delete the request's pod as the request arrives (deleted mid-call), then serve it
 */
export interface FaultSpec {
  readonly kind: 'status' | 'delay' | 'dropWebSocket' | 'dropLogStream' | 'dropWatch' | 'stallWebSocket' | 'deletePod';
  readonly code?: number;
  readonly message?: string;
  readonly delayMs?: number;
  readonly afterMs?: number;
  readonly namespace?: string;
  readonly pod?: string;
  /** Only requests of this verb; all when absent. */
  readonly verb?: RequestVerb;
  /** Affects this many requests, then disappears; unlimited when absent. */
  readonly times?: number;
}

export interface ActiveFault extends FaultSpec {
  readonly id: number;
  remaining: number;
}

export interface RequestScope {
  readonly verb: RequestVerb;
  readonly namespace?: string;
  readonly pod?: string;
}

const KINDS = new Set(['status', 'delay', 'dropWebSocket', 'dropLogStream', 'dropWatch', 'stallWebSocket', 'deletePod']);

export class FaultBook {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    if (!KINDS.has(spec.kind)) throw new Error(`unknown fault kind ${JSON.stringify(spec.kind)}; use one of ${[...KINDS].join(', ')}`);
    if (spec.kind === 'status' && !(Number(spec.code) >= 400 && Number(spec.code) <= 599)) throw new Error('a status fault needs code 400..599');
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: spec.times ?? Infinity };
    this.faults.push(fault);
    return fault;
  }

  remove(id: number): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i >= 0) this.faults.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  /** The first fault of `kind` that applies to the request, consumed once. */
  take(kind: FaultSpec['kind'], scope: RequestScope): ActiveFault | null {
    const f = this.faults.find(
      (x) =>
        x.kind === kind &&
        (!x.verb || x.verb === scope.verb) &&
        (!x.namespace || x.namespace === scope.namespace) &&
        (!x.pod || x.pod === scope.pod),
    );
    if (!f) return null;
    if (--f.remaining <= 0) this.remove(f.id);
    return f;
  }
}
