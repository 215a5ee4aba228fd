import { readConfig } from '../config';
import { parseDuration } from '../core/duration';

/** The low-timeout threshold: a connect timeout below `seconds` is flagged; `text` is the setting as written. */
export interface ConnectTimeoutMinimum {
  readonly seconds: number;
  readonly text: string;
}

const ISTIO_DEFAULT: ConnectTimeoutMinimum = { seconds: 10, text: '10s' };

/**
 * The low-timeout threshold for the explorer. An invalid setting falls back to Istio's default
 * silently here: the linting feature already tells the user about it once.
 */
export function readMinimum(): ConnectTimeoutMinimum {
  const text = readConfig().connectTimeoutMinimum;
  const parsed = parseDuration(text);
  return parsed.ok && parsed.seconds >= 0 ? { seconds: parsed.seconds, text } : ISTIO_DEFAULT;
}
