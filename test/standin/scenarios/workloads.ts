import { podTemplateHash } from '../model/ids';
import { type MeshModel } from '../model/meshModel';
import { type ContainerSpec, type SidecarSpec } from '../model/types';

export interface WorkloadPlan {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly containers?: readonly ContainerSpec[];
  /** Sidecar of replica i (undefined: no sidecar). */
  readonly sidecar?: (replica: number) => SidecarSpec | undefined;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

function appLabels(plan: WorkloadPlan): Record<string, string> {
  return { app: plan.name, ...(plan.labels ?? {}) };
}

function javaApp(name: string): ContainerSpec[] {
  return [{ name, image: `registry.example.com/shop/${name}:2.4.1`, port: 8080 }];
}

/** Deployment -> ReplicaSet -> pods, named and owned as the controllers name and own them. */
export function addDeployment(model: MeshModel, plan: WorkloadPlan): void {
  const labels = appLabels(plan);
  const hash = podTemplateHash(`${plan.namespace}/${plan.name}`).slice(0, 10);
  const deploy = model.addWorkload({ kind: 'Deployment', namespace: plan.namespace, name: plan.name, labels, replicas: plan.replicas });
  const rsName = `${plan.name}-${hash}`;
  const rs = model.addWorkload({
    kind: 'ReplicaSet',
    namespace: plan.namespace,
    name: rsName,
    labels: { ...labels, 'pod-template-hash': hash },
    replicas: plan.replicas,
    owner: { kind: 'Deployment', name: deploy.input.name, uid: deploy.uid },
  });
  for (let i = 0; i < plan.replicas; i++) {
    model.addPod({
      namespace: plan.namespace,
      name: `${rsName}-${podTemplateHash(`${rsName}/${i}`).slice(0, 5)}`,
      labels: { ...labels, 'pod-template-hash': hash },
      annotations: plan.annotations,
      containers: plan.containers ?? javaApp(plan.name),
      sidecar: plan.sidecar?.(i),
      owner: { kind: 'ReplicaSet', name: rs.input.name, uid: rs.uid },
    });
  }
}

/** StatefulSet pods `name-0..n-1`, owned by the StatefulSet itself. */
export function addStatefulSet(model: MeshModel, plan: WorkloadPlan): void {
  const labels = appLabels(plan);
  const sts = model.addWorkload({ kind: 'StatefulSet', namespace: plan.namespace, name: plan.name, labels, replicas: plan.replicas });
  for (let i = 0; i < plan.replicas; i++) {
    model.addPod({
      namespace: plan.namespace,
      name: `${plan.name}-${i}`,
      labels: { ...labels, 'statefulset.kubernetes.io/pod-name': `${plan.name}-${i}` },
      containers: plan.containers ?? javaApp(plan.name),
      sidecar: plan.sidecar?.(i),
      owner: { kind: 'StatefulSet', name: plan.name, uid: sts.uid },
    });
  }
}

/** DaemonSet pods, one per node, owned by the DaemonSet. */
export function addDaemonSet(model: MeshModel, plan: WorkloadPlan): void {
  const labels = appLabels(plan);
  const ds = model.addWorkload({ kind: 'DaemonSet', namespace: plan.namespace, name: plan.name, labels, replicas: plan.replicas });
  for (let i = 0; i < plan.replicas; i++) {
    model.addPod({
      namespace: plan.namespace,
      name: `${plan.name}-${podTemplateHash(`${plan.name}/${i}`).slice(0, 5)}`,
      labels: { ...labels, 'controller-revision-hash': podTemplateHash(plan.name).slice(0, 10) },
      containers: plan.containers ?? javaApp(plan.name),
      sidecar: plan.sidecar?.(i),
      owner: { kind: 'DaemonSet', name: plan.name, uid: ds.uid },
      nodeName: `node-${i + 1}`,
    });
  }
}
