/** What `on` returns: disposing it removes the listener. */
export interface Subscription {
  dispose(): void;
}

/** Subscribes a listener (the shape of vscode.Event, without needing vscode). */
export type Listen<T> = (listener: (event: T) => void) => Subscription;

/**
 * A typed event for the parts of the explorer that run without VS Code (the mesh model), so they
 * can be tested on plain Node. Each subscription is its own entry: subscribing a function twice
 * needs two disposes, as with vscode.EventEmitter.
 */
export class Emitter<T> {
  private readonly listeners = new Set<{ readonly listener: (event: T) => void }>();

  readonly event: Listen<T> = (listener) => {
    const entry = { listener };
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  fire(event: T): void {
    for (const entry of [...this.listeners]) entry.listener(event);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
