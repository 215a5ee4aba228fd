/**
 * Generates a labelled corpus of incidents: Envoy debug chains and access logs in every layout,
 * application resets in every layout, kubectl framing, interleaved pods, clock offsets, missing
 * dates, and near misses (Envoy failures without a reset, resets without an Envoy cause, resets
 * just outside the window). Each case records the truth: for every reset record, the cause and
 * the exact Envoy lines that explain it.
 */

import { SeededRandom } from './random';
import { accessLogLine, envoyLine, ACCESS_LAYOUTS, ENVOY_LAYOUTS, type AccessLayout, type EnvoyLayout, type EnvoyLogStep } from './envoyLayouts';
import { appInfoLine, appResetRecord, APP_LAYOUTS, type AppLayout } from './appLayouts';
import type { ResetCause } from '../../src/core/correlate/types';

export interface LabelledReset {
  readonly file: string;
  /** First line of the reset's record (1-based). */
  readonly line: number;
  readonly cause: ResetCause;
  /** `file:line` of every Envoy line that explains it. */
  readonly matches: readonly string[];
}

export interface CorpusCase {
  readonly name: string;
  readonly files: { readonly file: string; readonly text: string }[];
  readonly windowSeconds: number;
  readonly clockOffsetSeconds: number;
  readonly labels: LabelledReset[];
}

type Side = 'app' | 'envoy';

/** Lines written together (one record, or one burst of one worker thread), placed in time. */
interface Entry {
  readonly pod: string;
  readonly side: Side;
  /** When the lines were written (the true time, whatever clock the application uses). */
  readonly timeMs: number;
  readonly lines: string[];
  /** False for Envoy lines the correlator must ignore (they never count as matches). */
  readonly classified: boolean;
  /** The reset these lines explain. */
  explains?: Entry;
  reset?: ResetCause;
}

type Scenario = 'connect-timeout' | 'connect-failure' | 'upstream-reset' | 'access-only-failure' | 'envoy-closed' | 'no-envoy' | 'outside-window' | 'envoy-only';
/** Response flags an access log alone may show, the cause each stands for, and whether it fails at once. */
const ACCESS_ONLY_FAILURES: readonly (readonly [string, ResetCause, boolean])[] = [
  ['UF,URX', 'upstream-connect-failure', true],
  ['UC', 'upstream-reset', false],
  ['UR', 'upstream-reset', false],
  ['UH', 'no-healthy-upstream', true],
  ['UO', 'circuit-breaker', true],
  ['NR', 'no-route', true],
  ['DC', 'downstream-closed', false],
];

/** How Envoy words the closes it decides on, by logger, and the cause each is. */
const ENVOY_CLOSES: readonly (readonly [string, string, ResetCause])[] = [
  ['idle timeout', 'http', 'idle-timeout'],
  ['Session timed out', 'filter', 'idle-timeout'],
  ['max connection duration reached', 'http', 'max-duration'],
];

export const SCENARIOS: readonly Scenario[] = ['connect-timeout', 'connect-failure', 'upstream-reset', 'access-only-failure', 'envoy-closed', 'no-envoy', 'outside-window', 'envoy-only'];

export interface PodLayouts {
  readonly envoy: EnvoyLayout;
  readonly access: AccessLayout;
  readonly app: AppLayout;
}

type Outcome = 'timeout' | 'refused' | 'reset' | 'ok';

export const CORPUS_WINDOW_SECONDS = 5;
const INCIDENT_SPACING_MS = 40_000;
const IDP_CLUSTER = 'outbound|443||idp.example.com';
const ORDERS_CLUSTER = 'outbound|8080||orders.shop.svc.cluster.local';

export class IncidentWriter {
  readonly entries: Entry[] = [];
  private nextConnection: number;

  constructor(
    private readonly rng: SeededRandom,
    private readonly clockOffsetMs: number,
  ) {
    this.nextConnection = rng.int(100, 5000);
  }

  private envoy(pod: string, layouts: PodLayouts, steps: EnvoyLogStep[], classified = true): Entry {
    const entry: Entry = { pod, side: 'envoy', timeMs: steps[0]!.timeMs, lines: steps.map((s) => envoyLine(layouts.envoy, s)), classified };
    this.entries.push(entry);
    return entry;
  }

  private access(pod: string, layouts: PodLayouts, startMs: number, durationMs: number, flags: string, cluster: string, host: string, clientPort = this.clientPort): Entry {
    const responseCode = flags === '-' ? 200 : layouts.access === 'text-http' ? 503 : 0;
    // Envoy writes the access log when the connection ends.
    const entry: Entry = {
      pod,
      side: 'envoy',
      timeMs: startMs + durationMs,
      lines: [accessLogLine(layouts.access, { startMs, durationMs, flags, cluster, upstreamHost: host, responseCode, ...(clientPort !== null ? { clientPort } : {}) })],
      classified: true,
    };
    this.entries.push(entry);
    return entry;
  }

  /** The application's reset record at true time `ms`, written with the application's clock. */
  reset(pod: string, layouts: PodLayouts, ms: number, cause: ResetCause): Entry {
    const entry: Entry = { pod, side: 'app', timeMs: ms, lines: appResetRecord(layouts.app, ms - this.clockOffsetMs, this.rng, this.clientPort ?? undefined), classified: false, reset: cause };
    this.entries.push(entry);
    return entry;
  }

  /** A downstream connection asking for an upstream one, with the given outcome; returns its entries and when it ended. */
  chain(pod: string, layouts: PodLayouts, t0: number, outcome: Outcome, cluster: string): { entries: Entry[]; endMs: number } {
    const d = this.nextConnection++;
    const u = this.nextConnection++;
    const thread = this.rng.int(20, 40);
    const address = `10.96.${this.rng.int(1, 250)}.${this.rng.int(1, 250)}:443`;
    const step = (dt: number, logger: string, id: number | null, message: string): EnvoyLogStep => ({ timeMs: t0 + dt, thread, logger, connectionId: id, message });
    const entries = [
      this.envoy(pod, layouts, [
        step(0, 'filter', d, `Creating connection to cluster ${cluster}`),
        step(0, 'pool', u, 'connecting'),
        step(0, 'connection', u, `connecting to ${address}`),
        step(1, 'connection', u, 'connection in progress'),
      ]),
      // Lines Envoy writes in between that record nothing the correlator uses.
      this.envoy(pod, layouts, [step(1, 'pool', null, 'queueing request due to no available connections')], false),
    ];
    let end: number;
    let flags: string;
    if (outcome === 'timeout') {
      const timeout = this.rng.pick([1000, 1000, 1000, 500, 2000]);
      end = timeout + 1;
      flags = 'UF,URX';
      entries.push(
        this.envoy(pod, layouts, [
          step(timeout, 'pool', u, 'connect timeout'),
          step(timeout, 'connection', u, 'closing data_to_write=0 type=1'),
          step(end, 'filter', d, 'connect timeout'),
          step(end, 'connection', d, 'closing data_to_write=0 type=1'),
        ]),
      );
    } else if (outcome === 'refused') {
      end = 3;
      flags = 'UF,URX';
      entries.push(this.envoy(pod, layouts, [step(2, 'connection', u, 'delayed connect error: 111'), step(2, 'connection', u, 'closing socket: 0'), step(3, 'connection', d, 'closing data_to_write=0 type=1')]));
    } else {
      entries.push(this.envoy(pod, layouts, [step(4, 'connection', u, 'connected')], false));
      end = this.rng.int(200, 3000);
      flags = outcome === 'reset' ? 'UC' : '-';
      const closing =
        outcome === 'reset'
          ? [step(end - 1, 'connection', u, 'remote close'), step(end - 1, 'connection', u, 'closing socket: 0'), step(end, 'connection', d, 'closing data_to_write=0 type=1')]
          : // The application closed its own connection: ordinary, and no explanation for anything.
            [step(end, 'connection', d, 'remote close'), step(end, 'connection', d, 'closing socket: 0')];
      entries.push(this.envoy(pod, layouts, closing));
    }
    entries.push(this.access(pod, layouts, t0, end, flags, cluster, address));
    return { entries, endMs: t0 + end };
  }

  /** The application's port on the incident's connection, so its reset and Envoy's access log agree on it. */
  private clientPort: number | null = null;

  incident(pod: string, layouts: PodLayouts, t0: number, scenario: Scenario): void {
    this.clientPort = this.rng.int(30000, 60000);
    try {
      this.incidentOn(pod, layouts, t0, scenario);
    } finally {
      this.clientPort = null;
    }
  }

  private incidentOn(pod: string, layouts: PodLayouts, t0: number, scenario: Scenario): void {
    const delay = this.rng.int(1, 40);
    switch (scenario) {
      case 'connect-timeout':
      case 'connect-failure':
      case 'upstream-reset': {
        const outcome = scenario === 'connect-timeout' ? 'timeout' : scenario === 'connect-failure' ? 'refused' : 'reset';
        const { entries, endMs } = this.chain(pod, layouts, t0, outcome, IDP_CLUSTER);
        const reset = this.reset(pod, layouts, endMs + delay, scenario === 'connect-failure' ? 'connection-refused' : scenario);
        for (const e of entries) if (e.classified) e.explains = reset;
        return;
      }
      case 'access-only-failure': {
        // Only the access log saw it: its response flags name the cause.
        const [flags, cause, quick] = this.rng.pick(ACCESS_ONLY_FAILURES);
        const duration = quick ? this.rng.int(0, 5) : this.rng.int(300, 4000);
        const access = this.access(pod, layouts, t0, duration, flags, IDP_CLUSTER, '10.96.7.7:443');
        access.explains = this.reset(pod, layouts, t0 + duration + delay, cause);
        return;
      }
      case 'envoy-closed': {
        // Envoy closes the application's connection itself: idle, or at its maximum duration.
        const [message, logger, cause] = this.rng.pick(ENVOY_CLOSES);
        const d = this.nextConnection++;
        const thread = this.rng.int(20, 40);
        const lifetime = this.rng.int(1000, 30_000);
        const step = (dt: number, lg: string, text: string): EnvoyLogStep => ({ timeMs: t0 + dt, thread, logger: lg, connectionId: d, message: text });
        const envoy = this.envoy(pod, layouts, [step(0, 'filter', `Creating connection to cluster ${IDP_CLUSTER}`), step(lifetime, logger, message), step(lifetime, 'connection', 'closing data_to_write=0 type=1')]);
        envoy.explains = this.reset(pod, layouts, t0 + lifetime + delay, cause);
        return;
      }
      case 'no-envoy':
        this.reset(pod, layouts, t0, 'unexplained');
        return;
      case 'outside-window': {
        const { endMs } = this.chain(pod, layouts, t0, 'timeout', IDP_CLUSTER);
        // Another connection of the application: nothing links it to the failure but time.
        this.clientPort = null;
        this.reset(pod, layouts, endMs + CORPUS_WINDOW_SECONDS * 1000 + 1500 + delay, 'unexplained');
        return;
      }
      case 'envoy-only':
        this.chain(pod, layouts, t0, this.rng.pick(['timeout', 'refused', 'reset'] as const), IDP_CLUSTER);
        return;
    }
  }

  /** Ordinary traffic: info records, successful connections, successful requests, unrelated Envoy lines. */
  noise(pod: string, layouts: PodLayouts, fromMs: number, toMs: number, count: number, mix: NoiseMix = CORPUS_NOISE): void {
    for (let i = 0; i < count; i++) {
      const t = this.rng.int(fromMs, toMs);
      let roll = this.rng.next();
      if ((roll -= mix.appInfo) < 0) {
        const line = appInfoLine(layouts.app, t - this.clockOffsetMs, this.rng, this.rng.chance(mix.nearMiss));
        this.entries.push({ pod, side: 'app', timeMs: t, lines: [line], classified: false });
      } else if ((roll -= mix.connection) < 0) {
        this.chain(pod, layouts, t, 'ok', ORDERS_CLUSTER);
      } else if ((roll -= mix.request) < 0) {
        // Each request on a connection of its own, as a busy client's are: below the ports incidents use, so none is taken for theirs.
        this.access(pod, layouts, t, this.rng.int(1, 80), '-', ORDERS_CLUSTER, '10.44.3.9:8080', this.rng.int(10000, 29999));
      } else {
        this.envoy(pod, layouts, [{ timeMs: t, thread: this.rng.int(20, 40), logger: 'http', connectionId: this.nextConnection++, message: 'new stream' }], false);
      }
    }
  }
}

/** Shares of noise entries (the rest are unrelated Envoy debug lines). */
export interface NoiseMix {
  readonly appInfo: number;
  /** Share of the application records that mention connections or resets without being one. */
  readonly nearMiss: number;
  /** Whole successful connections in Envoy's debug log (about nine lines each). */
  readonly connection: number;
  /** Access-log lines of successful requests. */
  readonly request: number;
}

const CORPUS_NOISE: NoiseMix = { appInfo: 0.45, nearMiss: 0.4, connection: 0.25, request: 0.15 };

export type Framing = 'none' | 'timestamps' | 'prefix' | 'prefix+timestamps';

function kubectlTime(ms: number, rng: SeededRandom): string {
  // RFC3339Nano as kubectl prints it: nanoseconds with trailing zeros trimmed.
  const nanos = String(rng.int(100_000_000, 999_999_999)).replace(/0+$/, '');
  return new Date(ms).toISOString().replace(/\.\d+Z$/, `.${nanos}Z`);
}

function frame(line: string, entry: Entry, framing: Framing, rng: SeededRandom): string {
  const container = entry.side === 'app' ? 'app' : 'istio-proxy';
  const prefix = framing === 'prefix' || framing === 'prefix+timestamps' ? `[pod/${entry.pod}/${container}] ` : '';
  const stamp = framing === 'timestamps' || framing === 'prefix+timestamps' ? `${kubectlTime(entry.timeMs, rng)} ` : '';
  return prefix + stamp + line;
}

/** Writes entries to one file in time order and records each entry's first line. */
function writeFile(entries: Entry[], framing: Framing, rng: SeededRandom, lineOf: Map<Entry, number>): string {
  const sorted = [...entries].sort((a, b) => a.timeMs - b.timeMs);
  const out: string[] = [];
  for (const entry of sorted) {
    lineOf.set(entry, out.length + 1);
    for (const line of entry.lines) out.push(frame(line, entry, framing, rng));
  }
  return out.join('\n') + '\n';
}

function labelsOf(entries: Entry[], fileOf: Map<Entry, string>, lineOf: Map<Entry, number>): LabelledReset[] {
  return entries
    .filter((e) => e.reset !== undefined)
    .map((reset) => {
      const matches: string[] = [];
      for (const e of entries) {
        if (e.explains !== reset) continue;
        const first = lineOf.get(e)!;
        e.lines.forEach((_, i) => matches.push(`${fileOf.get(e)}:${first + i}`));
      }
      return { file: fileOf.get(reset)!, line: lineOf.get(reset)!, cause: reset.reset!, matches };
    });
}

function randomLayouts(rng: SeededRandom): PodLayouts {
  return { envoy: rng.pick(ENVOY_LAYOUTS), access: rng.pick(ACCESS_LAYOUTS), app: rng.pick(APP_LAYOUTS) };
}

/**
 * One case: `incidents` incidents of random kinds. Either two files (application, sidecar) for
 * one pod, or one `kubectl logs --prefix` file in which two pods interleave, each pod's sidecar
 * failing at the same moment as the other's so that only pod identity tells them apart.
 */
export function generateCase(seed: number, incidents: number): CorpusCase {
  const rng = new SeededRandom(seed);
  const clockOffsetSeconds = rng.chance(0.3) ? rng.int(-7200, 7200) + rng.int(0, 999) / 1000 : 0;
  const writer = new IncidentWriter(rng, clockOffsetSeconds * 1000);
  const start = Date.UTC(rng.int(2019, 2025), rng.int(0, 11), rng.int(1, 28), rng.int(0, 23), rng.int(0, 59), rng.int(0, 59));
  const interleaved = rng.chance(0.4);
  const pods = interleaved ? ['idp-client-7d9f-a1', 'idp-client-7d9f-b2'] : ['idp-client-7d9f-a1'];
  const layouts = new Map(pods.map((pod) => [pod, randomLayouts(rng)]));
  for (let i = 0; i < incidents; i++) {
    const t0 = start + i * INCIDENT_SPACING_MS;
    const [pod, other] = interleaved && rng.chance(0.5) ? [pods[1]!, pods[0]!] : [pods[0]!, pods[1]];
    writer.incident(pod, layouts.get(pod)!, t0, rng.pick(SCENARIOS));
    // The other pod's sidecar fails at the same moment, with no reset of its own.
    if (other !== undefined && rng.chance(0.5)) writer.chain(other, layouts.get(other)!, t0 + rng.int(0, 30), 'timeout', IDP_CLUSTER);
    for (const p of pods) writer.noise(p, layouts.get(p)!, t0 - INCIDENT_SPACING_MS / 2, t0 + INCIDENT_SPACING_MS / 2, rng.int(5, 25));
  }
  const fileOf = new Map<Entry, string>();
  const lineOf = new Map<Entry, number>();
  const files: { file: string; text: string }[] = [];
  if (interleaved) {
    const name = 'pods.log';
    writer.entries.forEach((e) => fileOf.set(e, name));
    files.push({ file: name, text: writeFile(writer.entries, rng.pick(['prefix', 'prefix+timestamps'] as const), rng, lineOf) });
  } else {
    const framing = rng.pick(['none', 'none', 'timestamps'] as const);
    for (const side of ['app', 'envoy'] as const) {
      const name = side === 'app' ? 'app.log' : 'istio-proxy.log';
      const entries = writer.entries.filter((e) => e.side === side);
      entries.forEach((e) => fileOf.set(e, name));
      files.push({ file: name, text: writeFile(entries, framing, rng, lineOf) });
    }
  }
  const describe = [...layouts.values()].map((l) => `${l.app}/${l.envoy}/${l.access}`).join('+');
  return {
    name: `seed ${seed}: ${describe}${interleaved ? ' interleaved' : ''}${clockOffsetSeconds ? ` offset ${clockOffsetSeconds}s` : ''}`,
    files,
    windowSeconds: CORPUS_WINDOW_SECONDS,
    clockOffsetSeconds,
    labels: labelsOf(writer.entries, fileOf, lineOf),
  };
}

export function generateCorpus(seed: number, cases: number, incidentsPerCase: number): CorpusCase[] {
  return Array.from({ length: cases }, (_, i) => generateCase(seed * 1000 + i, incidentsPerCase));
}
