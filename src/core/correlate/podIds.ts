/**
 * Pod names the correlator has met, each kept once: as a small number where a window keeps one
 * per line, and as one shared string where a remembered connection keeps its pod (a name cut from
 * its log line would keep the whole line alive).
 */

/** A pod list this long is no real input: past it, the table stops growing. */
const MAX_PODS = 10_000;

export class PodIds {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  /** The pod's id, -1 for no pod (and for a pod past the bound: such a line is then taken as any pod's). */
  idOf(pod: string | null): number {
    if (pod === null) return -1;
    let id = this.ids.get(pod);
    if (id === undefined) {
      if (this.names.length >= MAX_PODS) return -1;
      id = this.names.length;
      this.ids.set(pod, id);
      this.names.push(pod);
    }
    return id;
  }

  /** The id of a pod met before, or -2 for one never met (no line of it is kept). */
  known(pod: string): number {
    return this.ids.get(pod) ?? -2;
  }

  /** The pod of an id idOf gave; null for -1. */
  nameOf(id: number): string | null {
    return id < 0 ? null : this.names[id]!;
  }
}
