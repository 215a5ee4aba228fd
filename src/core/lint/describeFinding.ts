import { formatDuration } from '../duration';
import type { ConnectTimeoutFinding, ConnectTimeoutSite, FindingCode, Severity } from './types';
import type { ConnectTimeoutSetting } from './lintManifest';
import { ENVOY_CONNECT_TIMEOUT_DOCS, ISTIO_ANNOTATIONS_DOCS, ISTIO_MESH_CONFIG_DOCS, ISTIO_PROXY_CONFIG_DOCS, ISTIO_TCP_SETTINGS_DOCS } from './ruleDocs';

export { ENVOY_CONNECT_TIMEOUT_DOCS, ISTIO_MESH_CONFIG_DOCS, ISTIO_TCP_SETTINGS_DOCS } from './ruleDocs';

/** Sites whose value is the default for every cluster that no DestinationRule overrides. */
export const MESH_WIDE_SITES: ReadonlySet<ConnectTimeoutSite> = new Set(['IstioOperator', 'HelmValues', 'MeshConfigMap', 'MeshConfig']);

const MECHANISM =
  "Envoy's connect timeout covers the TCP connect and, for mTLS upstreams, the TLS handshake. " +
  "When it fires, Envoy abandons the upstream connection and closes the client's connection, so the application " +
  'sees "Connection reset" (java.net.SocketException: Connection reset) and the access log shows UF,URX.';

const AMBIENT = " In ambient mode meshConfig.connectTimeout also governs the waypoint's HBONE connections to destinations.";

/** What a setting needs besides itself to be judged: why it does not parse, and the fix's text. */
export interface SettingVerdictInput {
  readonly setting: ConnectTimeoutSetting;
  /** The key as written (`connectTimeout` or `connect_timeout`). */
  readonly key: string;
  /** Why the value is not a duration, when `setting.seconds` is null. */
  readonly invalidReason: string | null;
  /** The value's text after raising it to the minimum, keeping its style; null when it cannot be rewritten in place. */
  readonly raisedValue: string | null;
  readonly minimumSeconds: number;
}

/** Judges one connect timeout: null when it is fine, else the finding to show. */
export function describeFinding(input: SettingVerdictInput): ConnectTimeoutFinding | null {
  const { setting, key, invalidReason, raisedValue, minimumSeconds } = input;
  const minimum = formatDuration(minimumSeconds);
  // The value as quoted in a sentence: a megabyte value must not make a megabyte message (the finding keeps it whole).
  const shown = `${key} ${setting.value.length <= 60 ? setting.value : `${setting.value.slice(0, 60)}… (${setting.value.length} characters)`}`;
  const scope = scopeSentence(setting);
  const base = { range: setting.range, value: setting.value, seconds: setting.seconds, site: setting.site, path: setting.path, resource: setting.resource, host: setting.host };
  const finding = (code: FindingCode, severity: Severity, summary: string, message: string, fixTitle: string | null): ConnectTimeoutFinding => ({
    ...base,
    code,
    severity,
    summary,
    message,
    fix: fixTitle !== null && raisedValue !== null ? { replacement: raisedValue, title: fixTitle } : null,
    docs: docsFor(setting.site),
  });

  if (setting.site === 'LegacyProxyConfig' || setting.site === 'PodProxyConfig') {
    const where = setting.site === 'PodProxyConfig' ? "The pod's proxy.istio.io/config annotation (a ProxyConfig)" : 'meshConfig.defaultConfig (ProxyConfig)';
    return finding(
      'connect-timeout-ignored-field',
      'information',
      `${key} in a ProxyConfig has no effect: the field is reserved in current Istio`,
      `${where} sets connectTimeout, a reserved field current Istio ignores, so ${shown} changes nothing. ` +
        'To change the connect timeout, move the setting: meshConfig.connectTimeout for the whole mesh, or a DestinationRule\'s ' +
        'trafficPolicy.connectionPool.tcp.connectTimeout for one host.',
      null,
    );
  }
  if (setting.seconds === null) {
    return finding(
      'connect-timeout-invalid',
      'error',
      `${shown} is not a duration: ${invalidReason ?? 'unreadable value'}`,
      `${shown} is not a duration (${invalidReason ?? 'unreadable value'}), so Istio rejects this configuration. ` +
        `Write a Go duration such as 10s, 500ms or 1m30s. ${scope}`,
      `Replace with ${minimum}`,
    );
  }
  if (setting.seconds < 0.001) {
    return finding(
      'connect-timeout-below-1ms',
      'error',
      `${shown} is below 1ms: Istio rejects it`,
      `${shown} is below 1ms, the smallest connect timeout Istio's validation accepts, so this configuration is rejected. ` +
        `${scope} Set it to ${minimum} or more.`,
      `Raise to ${minimum}`,
    );
  }
  if (setting.seconds < minimumSeconds) {
    return finding(
      'connect-timeout-low',
      'warning',
      `${shown} is below ${minimum}: TLS handshakes slower than this are reset`,
      `${shown} is below the ${minimum} minimum. ${MECHANISM} ${scope} Raise it to ${minimum} or more (Istio's default is 10s).${MESH_WIDE_SITES.has(setting.site) ? AMBIENT : ''}`,
      `Raise to ${minimum}`,
    );
  }
  return null;
}

function scopeSentence(setting: ConnectTimeoutSetting): string {
  switch (setting.site) {
    case 'DestinationRule':
      return `This DestinationRule sets it for connections to ${setting.host ?? 'its host'}.`;
    case 'Sidecar':
      return "This Sidecar sets it for connections from the sidecar to its own application.";
    case 'EnvoyFilter':
      return 'This EnvoyFilter sets it on the cluster it patches.';
    case 'LegacyProxyConfig':
    case 'PodProxyConfig':
    case 'Workload':
    case 'Service':
    case 'File':
      return '';
    default:
      return 'This is the mesh-wide default for every cluster that no DestinationRule overrides.';
  }
}

function docsFor(site: ConnectTimeoutSite): string[] {
  if (site === 'DestinationRule' || site === 'Sidecar') return [ISTIO_TCP_SETTINGS_DOCS, ENVOY_CONNECT_TIMEOUT_DOCS];
  if (site === 'EnvoyFilter') return [ENVOY_CONNECT_TIMEOUT_DOCS];
  if (site === 'PodProxyConfig') return [ISTIO_PROXY_CONFIG_DOCS, ISTIO_ANNOTATIONS_DOCS];
  if (site === 'LegacyProxyConfig') return [ISTIO_PROXY_CONFIG_DOCS, ISTIO_MESH_CONFIG_DOCS];
  return [ISTIO_MESH_CONFIG_DOCS, ENVOY_CONNECT_TIMEOUT_DOCS];
}
