/**
 * Pod facts the explorer shows, from the pod object alone (pure: no client-node, no network).
 * The types below are the subset of V1Pod that is read, so core stays independent of client-node.
 */

export interface ContainerLike {
  readonly name: string;
  readonly image?: string;
  readonly restartPolicy?: string;
}

export interface ContainerStatusLike {
  readonly name: string;
  readonly ready: boolean;
}

export interface PodLike {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly deletionTimestamp?: unknown;
  };
  readonly spec?: {
    readonly containers?: readonly ContainerLike[];
    readonly initContainers?: readonly ContainerLike[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly containerStatuses?: readonly ContainerStatusLike[];
    readonly initContainerStatuses?: readonly ContainerStatusLike[];
  };
}

export const SIDECAR_CONTAINER = 'istio-proxy';
const VERSION_ANNOTATIONS = ['sidecar.istio.io/proxyImage', 'istio.io/rev'];

export type SidecarKind = 'container' | 'native';

export interface SidecarInfo {
  /** `container`: a regular `istio-proxy` container; `native`: an init container with restartPolicy Always. */
  readonly kind: SidecarKind;
  /** Istio version from the proxy image tag (`proxyv2:1.22.3` -> `1.22.3`), or null when unknown. */
  readonly version: string | null;
}

export interface PodSummary {
  readonly name: string;
  readonly namespace: string;
  /** `Running`, `Pending`, ..., or `Terminating` when a deletion is in progress. */
  readonly phase: string;
  readonly ready: number;
  readonly total: number;
  readonly sidecar: SidecarInfo | null;
}

/** The tag of an image reference, ignoring a registry port and a digest (`reg:5000/istio/proxyv2:1.22.3@sha256:...`). */
export function imageTag(image: string): string | null {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? null : withoutDigest.slice(colon + 1) || null;
}

/** A version-looking tag (`1.22.3`, `1.22.3-distroless`) becomes the version; `latest` and digests do not. */
function versionFromImage(image: string | undefined): string | null {
  const tag = image ? imageTag(image) : null;
  const m = tag ? /^v?(\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.-]+)?)$/.exec(tag) : null;
  if (!m) return null;
  return m[1].replace(/-distroless$/, '');
}

function versionFromAnnotations(annotations: Readonly<Record<string, string>>): string | null {
  for (const key of VERSION_ANNOTATIONS) {
    const v = annotations[key];
    if (!v) continue;
    const fromImage = versionFromImage(v);
    if (fromImage) return fromImage;
  }
  return null;
}

export function detectSidecar(pod: PodLike): SidecarInfo | null {
  const annotations = pod.metadata?.annotations ?? {};
  const container = pod.spec?.containers?.find((c) => c.name === SIDECAR_CONTAINER);
  if (container) return { kind: 'container', version: versionFromImage(container.image) ?? versionFromAnnotations(annotations) };
  const native = pod.spec?.initContainers?.find((c) => c.name === SIDECAR_CONTAINER && c.restartPolicy === 'Always');
  if (native) return { kind: 'native', version: versionFromImage(native.image) ?? versionFromAnnotations(annotations) };
  // The injection annotation alone is no sidecar: with no istio-proxy container there is no Envoy to
  // ask, and every feature (tree, debug logging, tail, annotator) must agree on that.
  return null;
}

/** The one rule for "has a sidecar": an istio-proxy container, regular or native. */
export function hasEnvoySidecar(pod: PodLike): boolean {
  return detectSidecar(pod) !== null;
}

/** The app containers: regular containers other than the sidecar. */
export function appContainers(pod: PodLike): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string' && n !== SIDECAR_CONTAINER);
}

export function summarizePod(pod: PodLike): PodSummary {
  const sidecar = detectSidecar(pod);
  const statuses = pod.status?.containerStatuses ?? [];
  // A native sidecar's readiness is reported among the init container statuses.
  const nativeStatus = sidecar?.kind === 'native' ? pod.status?.initContainerStatuses?.find((s) => s.name === SIDECAR_CONTAINER) : undefined;
  const total = (pod.spec?.containers?.length ?? statuses.length) + (sidecar?.kind === 'native' ? 1 : 0);
  const ready = statuses.filter((s) => s.ready).length + (nativeStatus?.ready ? 1 : 0);
  return {
    name: pod.metadata?.name ?? '?',
    namespace: pod.metadata?.namespace ?? '?',
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : pod.status?.reason ?? pod.status?.phase ?? 'Unknown',
    ready,
    total,
    sidecar,
  };
}
