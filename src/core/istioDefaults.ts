/**
 * Istio's documented defaults that more than one part of Mesh Doctor states: the linter's threshold,
 * the correlator's measure of a single attempt and the fixes it names all mean the same value.
 */

/** `meshConfig.connectTimeout` when nothing sets it (https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/). */
export const ISTIO_DEFAULT_CONNECT_TIMEOUT = { seconds: 10, text: '10s' } as const;
