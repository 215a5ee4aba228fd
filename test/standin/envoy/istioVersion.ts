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

/** The Envoy release each Istio minor shipped with (Istio's release notes), for /server_info. */
export function envoyVersionFor(v: IstioVersion): string {
  // Istio 1.5 shipped Envoy 1.14; every Istio minor since moved Envoy one minor forward, give or take.
  const envoyMinor = v.major === 1 ? Math.max(13, v.minor + 9) : 30;
  return `1.${envoyMinor}.0`;
}
