import { type EnvoyLogLevel, type LoggerLevels, toEnvoyLogLevel } from './levels';
import { type LoggingChange } from './change';
import { SIDECAR_CONTAINER } from '../pods';

/** The parts of a pod the fallback reads; structural, so core needs no client-node types. */
export interface PodLogLevelSource {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly containers?: readonly { readonly name: string; readonly args?: readonly string[] }[];
    readonly initContainers?: readonly { readonly name: string; readonly args?: readonly string[] }[];
  };
}

export const LOG_LEVEL_ANNOTATION = 'sidecar.istio.io/logLevel';
export const COMPONENT_LOG_LEVEL_ANNOTATION = 'sidecar.istio.io/componentLogLevel';

/** The value of `--name=value` or `--name value` in the istio-proxy container's arguments. */
function proxyArgument(pod: PodLogLevelSource, name: string): string | undefined {
  const proxy = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === SIDECAR_CONTAINER);
  const args = proxy?.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    if (a === name) return args[i + 1];
  }
  return undefined;
}

/** `misc:error,pool:info` as one change, or undefined when it is not that form. */
function componentChange(text: string): LoggingChange | undefined {
  const parsed = parseIstioLogLevel(text);
  return parsed && parsed.length === 1 && parsed[0].kind === 'loggers' ? parsed[0] : undefined;
}

/**
 * The levels the sidecar injector gave the proxy, as `istioctl proxy-config log -r` restores them
 * when nothing was saved. The base level: the `sidecar.istio.io/logLevel` annotation, else the
 * istio-proxy container's `--proxyLogLevel` argument, else `warning`. Then the per-logger levels:
 * the `sidecar.istio.io/componentLogLevel` annotation, else `--proxyComponentLogLevel` (the
 * injector always passes `misc:error`). Both accept Istio's `level[,logger:level...]` form.
 */
export function injectorDefaultChange(pod: PodLogLevelSource): { change: LoggingChange[]; source: string } {
  const base = baseLevelChange(pod);
  const annotations = pod.metadata?.annotations ?? {};
  const annotated = annotations[COMPONENT_LOG_LEVEL_ANNOTATION];
  const fromAnnotation = annotated ? componentChange(annotated) : undefined;
  const argument = fromAnnotation ? undefined : proxyArgument(pod, '--proxyComponentLogLevel');
  const fromArgument = argument ? componentChange(argument) : undefined;
  const components = fromAnnotation ?? fromArgument;
  if (!components) return base;
  const source = fromAnnotation ? `annotation ${COMPONENT_LOG_LEVEL_ANNOTATION}=${annotated}` : `istio-proxy argument --proxyComponentLogLevel=${argument}`;
  return { change: [...base.change, components], source: `${base.source}, then ${source}` };
}

function baseLevelChange(pod: PodLogLevelSource): { change: LoggingChange[]; source: string } {
  const annotation = pod.metadata?.annotations?.[LOG_LEVEL_ANNOTATION];
  if (annotation) {
    const parsed = parseIstioLogLevel(annotation);
    if (parsed) return { change: parsed, source: `annotation ${LOG_LEVEL_ANNOTATION}=${annotation}` };
  }
  const value = proxyArgument(pod, '--proxyLogLevel');
  const parsed = value ? parseIstioLogLevel(value) : undefined;
  if (parsed) return { change: parsed, source: `istio-proxy argument --proxyLogLevel=${value}` };
  return { change: [{ kind: 'all', level: 'warning' }], source: 'Envoy default for Istio sidecars (warning)' };
}

/** `warning,misc:error` -> set all to warning, then misc to error. Undefined when unparsable. */
export function parseIstioLogLevel(text: string): LoggingChange[] | undefined {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const changes: LoggingChange[] = [];
  const loggers: Record<string, EnvoyLogLevel> = {};
  for (const part of parts) {
    const idx = part.indexOf(':');
    if (idx < 0) {
      const level = toEnvoyLogLevel(part);
      if (!level) return undefined;
      changes.push({ kind: 'all', level });
    } else {
      const level = toEnvoyLogLevel(part.slice(idx + 1));
      if (!level) return undefined;
      loggers[part.slice(0, idx)] = level;
    }
  }
  if (Object.keys(loggers).length > 0) changes.push({ kind: 'loggers', levels: loggers as LoggerLevels });
  return changes.length > 0 ? changes : undefined;
}
