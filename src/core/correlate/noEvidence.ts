/**
 * What to say when the logs hold no Envoy evidence at all. A default Istio install writes no access
 * log and runs Envoy at `warning`, so this is the common case, not an error: the user is told
 * plainly and given both ways to get evidence. Mesh Doctor never applies either by itself.
 */

/** A Telemetry resource that turns Envoy's access log on for one namespace (Istio's built-in `envoy` provider). */
export function accessLogTelemetry(namespace: string): string {
  return [
    'apiVersion: telemetry.istio.io/v1',
    'kind: Telemetry',
    'metadata:',
    '  name: mesh-doctor-access-logs',
    `  namespace: ${namespace}`,
    'spec:',
    '  accessLogging:',
    '  - providers:',
    '    - name: envoy',
  ].join('\n');
}

/** The warning for a run with neither an access-log line nor an Envoy debug line. */
export const NO_ENVOY_EVIDENCE =
  'No Envoy evidence in these logs: no access-log line and no Envoy debug line was read, so nothing can explain the failures. ' +
  'A default Istio install writes neither. To get evidence, either raise Envoy debug logging on the pod for a few minutes ' +
  '(connection, pool, router, upstream; Mesh Doctor restores the levels afterwards) and reproduce, or turn on access logging for the ' +
  "workload's namespace with a Telemetry resource (kubectl apply -f it yourself): " +
  'apiVersion: telemetry.istio.io/v1, kind: Telemetry, metadata: {name: mesh-doctor-access-logs, namespace: NAMESPACE}, ' +
  'spec: {accessLogging: [{providers: [{name: envoy}]}]}.';
