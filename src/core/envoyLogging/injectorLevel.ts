import { EnvoyLogLevel, LoggerLevels, toEnvoyLogLevel } from './levels';
import { LoggingChange } from './change';

/** The parts of a pod the fallback reads; structural, so core needs no client-node types. */
export interface PodLogLevelSource {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly containers?: readonly { readonly name: string; readonly args?: readonly string[] }[];
    readonly initContainers?: readonly { readonly name: string; readonly args?: readonly string[] }[];
  };
}

export const LOG_LEVEL_ANNOTATION = 'sidecar.istio.io/logLevel';

/**
 * The levels the sidecar injector gave the proxy, as `istioctl proxy-config log -r` restores them
 * when nothing was saved: the `sidecar.istio.io/logLevel` annotation, else the istio-proxy
 * container's `--proxyLogLevel` argument, else `warning`. Both accept Istio's
 * `level[,logger:level...]` form (e.g. `warning,misc:error`).
 */
export function injectorDefaultChange(pod: PodLogLevelSource): { change: LoggingChange[]; source: string } {
  const annotation = pod.metadata?.annotations?.[LOG_LEVEL_ANNOTATION];
  if (annotation) {
    const parsed = parseIstioLogLevel(annotation);
    if (parsed) return { change: parsed, source: `annotation ${LOG_LEVEL_ANNOTATION}=${annotation}` };
  }
  const proxy = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === 'istio-proxy');
  const args = proxy?.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a.startsWith('--proxyLogLevel=') ? a.slice('--proxyLogLevel='.length) : a === '--proxyLogLevel' ? args[i + 1] : undefined;
    const parsed = value ? parseIstioLogLevel(value) : undefined;
    if (parsed) return { change: parsed, source: `istio-proxy argument --proxyLogLevel=${value}` };
  }
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
