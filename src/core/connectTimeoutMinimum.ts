/**
 * The low-connect-timeout threshold: one default and one validity rule for the editor's setting
 * (`meshDoctor.connectTimeout.minimum`) and the CLI's `--minimum`, so both flag the same values.
 */
import { parseDuration } from './duration';
import { ISTIO_DEFAULT_CONNECT_TIMEOUT } from './istioDefaults';

/** A connect timeout below `seconds` is flagged; `text` is the threshold as the user wrote it. */
export interface ConnectTimeoutMinimum {
  readonly seconds: number;
  readonly text: string;
}

/** Istio's own default connect timeout, the threshold when none is set. */
export const DEFAULT_CONNECT_TIMEOUT_MINIMUM: ConnectTimeoutMinimum = ISTIO_DEFAULT_CONNECT_TIMEOUT;

export type MinimumParse = { readonly ok: true; readonly minimum: ConnectTimeoutMinimum } | { readonly ok: false; readonly reason: string };

/**
 * Only a positive Go duration string is a threshold: a bare number would be read as nanoseconds,
 * and zero or a negative value would flag nothing, which is never what a user means.
 */
export function parseConnectTimeoutMinimum(raw: unknown): MinimumParse {
  if (typeof raw !== 'string') return { ok: false, reason: 'it must be a string such as "10s"' };
  const parsed = parseDuration(raw);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (parsed.seconds <= 0) return { ok: false, reason: 'it must be more than 0s' };
  return { ok: true, minimum: { seconds: parsed.seconds, text: raw } };
}
