import { type EnvoyAdminClient, type PodRef } from '../podAccess';
import { type LoggerLevels, parseEnvoyLoggingListing } from './levels';
import { type LoggingChange, loggingRequests, restrictToAvailable, unknownLoggers } from './change';
import { planRestore, restoreMismatches } from './restorePlan';

/** Reads a pod's current levels (a bare `POST /logging` lists them without changing anything). */
export async function readPodLevels(admin: EnvoyAdminClient, pod: PodRef, signal?: AbortSignal): Promise<LoggerLevels> {
  return parseEnvoyLoggingListing(await admin.request(pod, 'POST', '/logging', signal));
}

export interface RaiseOutcome {
  /** The levels before any change: what a restore puts back. */
  readonly before: LoggerLevels;
  /** The levels Envoy reported after the last request. */
  readonly after: LoggerLevels;
  /** Requested loggers this Envoy does not have (not sent). */
  readonly unknown: string[];
}

/**
 * Reads the pod's levels, then applies the change. The read comes first and its failure aborts
 * before anything is changed, so a caller that saves `before` only on success never holds a pod
 * it changed without knowing what to restore.
 *
 * If a request fails midway the pod may be partly raised; the error carries `before` so the
 * caller can still record (and later restore) it.
 */
export async function raisePodLevels(
  admin: EnvoyAdminClient,
  pod: PodRef,
  change: LoggingChange,
  signal?: AbortSignal,
  /** Called with the read levels before the first change, so a caller can persist them first (crash safety). */
  beforeChange?: (before: LoggerLevels) => Promise<void>,
): Promise<RaiseOutcome> {
  const before = await readPodLevels(admin, pod, signal);
  const unknown = unknownLoggers(change, before);
  await beforeChange?.(before);
  let after = before;
  try {
    for (const req of loggingRequests(restrictToAvailable(change, before))) {
      after = parseEnvoyLoggingListing(await admin.request(pod, 'POST', req, signal));
    }
  } catch (err) {
    throw new PartialRaiseError(err, before);
  }
  return { before, after, unknown };
}

/** A raise that failed after the levels were read: the pod may be partly changed. */
export class PartialRaiseError extends Error {
  constructor(
    readonly cause: unknown,
    readonly before: LoggerLevels,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'PartialRaiseError';
  }
}

export interface RestoreOutcome {
  readonly requests: number;
  readonly after: LoggerLevels;
  /** Loggers still not at the saved level (empty when the restore is exact). */
  readonly mismatches: string[];
}

/** Puts back `saved` with the fewest requests, then checks Envoy's answer. */
export async function restorePodLevels(
  admin: EnvoyAdminClient,
  pod: PodRef,
  saved: LoggerLevels,
  signal?: AbortSignal,
): Promise<RestoreOutcome> {
  let after = await readPodLevels(admin, pod, signal);
  const requests = planRestore(saved, after);
  for (const req of requests) {
    after = parseEnvoyLoggingListing(await admin.request(pod, 'POST', req, signal));
  }
  return { requests: requests.length, after, mismatches: restoreMismatches(saved, after) };
}
