import { stableUid } from './ids';
import { type WorkloadInput } from './types';

/** A Deployment, ReplicaSet, StatefulSet or DaemonSet, with the JSON /apis/apps/v1 serves. */
export class WorkloadRecord {
  readonly uid: string;
  resourceVersion = 0;

  constructor(
    readonly input: WorkloadInput,
    readonly createdMs: number,
  ) {
    this.uid = stableUid(`${input.kind}/${input.namespace}/${input.name}`);
  }

  get key(): string {
    return `${this.input.namespace}/${this.input.name}`;
  }

  toJson(): Record<string, unknown> {
    const { kind, namespace, name, labels, replicas, owner } = this.input;
    const created = new Date(this.createdMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const template = { metadata: { labels: { ...labels } }, spec: { containers: [{ name: labels.app ?? name, image: `registry.example.com/${labels.app ?? name}:1.0.0` }] } };
    const spec: Record<string, unknown> = { selector: { matchLabels: { ...labels } }, template };
    const status: Record<string, unknown> = {};
    if (kind === 'DaemonSet') {
      Object.assign(status, { currentNumberScheduled: replicas, desiredNumberScheduled: replicas, numberReady: replicas, numberAvailable: replicas, updatedNumberScheduled: replicas, numberMisscheduled: 0, observedGeneration: 1 });
    } else {
      spec.replicas = replicas;
      if (kind === 'StatefulSet') spec.serviceName = name;
      Object.assign(status, { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1, ...(kind !== 'StatefulSet' ? { fullyLabeledReplicas: replicas } : { currentReplicas: replicas, updatedReplicas: replicas }) });
      if (kind === 'Deployment') status.updatedReplicas = replicas;
    }
    return {
      metadata: {
        name,
        namespace,
        uid: this.uid,
        resourceVersion: String(this.resourceVersion),
        generation: 1,
        creationTimestamp: created,
        labels: { ...labels },
        ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }] } : {}),
      },
      spec,
      status,
    };
  }
}
