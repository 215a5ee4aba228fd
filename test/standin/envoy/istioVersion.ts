/** An Istio release as `major.minor.patch`, parsed from a proxy image tag or sidecar annotation. */
export interface IstioVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseIstioVersion(text: string): IstioVersion {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`not an Istio version: ${JSON.stringify(text)}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function formatIstioVersion(v: IstioVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function isAtLeast(v: IstioVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/**
 * The Envoy minor each Istio minor shipped with (Istio's release notes and the `proxy` repo's
 * envoy pin): 1.5 and 1.6 shipped Envoy 1.14, 1.7 shipped 1.15, and from there each Istio minor
 * moved one Envoy minor on (1.12: 1.20, 1.22: 1.30).
 */
export function envoyMinorFor(v: IstioVersion): number {
  if (v.major !== 1) return 30;
  return v.minor <= 6 ? 14 : v.minor + 8;
}

/**
 * Envoy's version as `/server_info` prints it for an Istio proxy build: Istio builds Envoy from
 * its own fork at a dev tag, `<sha>/<major.minor.patch>-dev/Clean/RELEASE/BoringSSL`.
 */
export function envoyVersionFor(v: IstioVersion): string {
  return `1.${envoyMinorFor(v)}.${v.minor <= 6 ? 1 : 0}-dev`;
}
