import * as vscode from 'vscode';
import type { PodRef } from '../kube/types';

/** A pod whose Envoy log levels Mesh Doctor raised, as other features may show it. */
export interface RaisedLevel {
  readonly pod: PodRef;
  /** Epoch ms of the automatic restore, or null when it stays raised until restored by hand. */
  readonly revertAt: number | null;
  /** What was raised ("connection problems at debug"). */
  readonly description: string;
}

function key(pod: PodRef): string {
  return `${pod.context}/${pod.namespace}/${pod.name}`;
}

/**
 * Which pods have raised Envoy log levels: the debug-logging feature publishes its records here
 * and the explorer marks those pods, so neither imports the other.
 */
export class RaisedLevels implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private byPod = new Map<string, RaisedLevel>();

  /** Replaces the whole set (the publisher's records after each change). */
  publish(levels: readonly RaisedLevel[]): void {
    this.byPod = new Map(levels.map((l) => [key(l.pod), l]));
    this.changed.fire();
  }

  forPod(pod: PodRef): RaisedLevel | undefined {
    return this.byPod.get(key(pod));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
