/**
 * Kubernetes object names as the API server validates them. A name that passes cannot start with
 * `-` (so kubectl never reads it as a flag), holds no `/`, `..`, `%` or `?` (so it cannot walk out
 * of a URL path), and is plain lowercase ASCII (no look-alike or direction-changing characters).
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 label (namespaces), or null when it is one. */
export function dns1123LabelProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long (at most 63)`;
  return LABEL.test(name) ? null : 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
}

/** Why `name` is not a DNS-1123 subdomain (pods), or null when it is one. */
export function dns1123SubdomainProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > 253) return `is ${name.length} characters long (at most 253)`;
  return SUBDOMAIN.test(name) ? null : 'must be lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
}

/** At most this much of a rejected name is echoed back, so a huge argument stays a short message. */
const SHOWN = 60;

function shown(name: string): string {
  const cut = name.length > SHOWN ? `${name.slice(0, SHOWN)}…` : name;
  // JSON quoting turns control characters into visible escapes; the rest is replaced.
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, '?');
}

/** Why a namespace and pod name cannot be sent to a cluster, or null when both are valid. */
export function podNameProblem(namespace: string, name: string): string | null {
  const ns = dns1123LabelProblem(namespace);
  if (ns) return `namespace ${shown(namespace)} ${ns}`;
  const pod = dns1123SubdomainProblem(name);
  return pod ? `pod name ${shown(name)} ${pod}` : null;
}

/** Parses `NAMESPACE/POD` as typed on a command line; a string result says what is wrong. */
export function parseNamespacedPod(value: string): { namespace: string; name: string } | string {
  const slash = value.indexOf('/');
  if (slash < 0) return `${shown(value)} is not NAMESPACE/POD`;
  const namespace = value.slice(0, slash);
  const name = value.slice(slash + 1);
  return podNameProblem(namespace, name) ?? { namespace, name };
}
