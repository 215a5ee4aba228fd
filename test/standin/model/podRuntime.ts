import { EnvoyProxy } from '../envoy/proxy';
import { httpAccessLogLine, identityAccessLogLine, identityHttpAccessLogLine } from '../logs/accessLog';
import { ContainerLog } from '../logs/containerLog';
import { type EnvoyLineStyle, envoyLineStyle, formatEnvoyLine } from '../logs/envoyLayout';
import { parseDuration } from '../../../src/core/duration';
import { causeAppStartup, causeCallEmissions, causeSchedule } from '../logs/causeCalls';
import { type CallEmission, type IdentityCallSchedule, IDENTITY_ACCEPT_MS, callEmissions, callStart, httpCallEmissions, streamIdOf } from '../logs/identityCalls';
import { javaResetTrace } from '../logs/javaReset';
import { isAtLeast } from '../envoy/istioVersion';
import { levelEnabled } from '../envoy/loggers';
import { agentLine, appStartupLines, proxyStartupLines } from '../logs/startupLines';
import { formatMillisIso } from '../logs/timestamps';
import { stableNumber } from './ids';
import { type MeshConfig } from './meshConfig';
import { PROXY_CONTAINER, type PodRecord } from './podRecord';

/** What a pod's runtime needs from the mesh around it. */
export interface MeshSettings {
  readonly config: MeshConfig;
  /** Whether this pod's Envoy writes an access log now (mesh accessLogFile or a Telemetry resource). */
  accessLogOn(pod: PodRecord): boolean;
  /** The identity cluster's connect timeout istiod gives this pod's Envoy now (Istio config, else the scenario's). */
  identityConnectTimeout(pod: PodRecord): string;
}

/** Whether calls to the identity provider time out with this connect timeout. */
function identityCallsFail(connectTimeout: string): boolean {
  const parsed = parseDuration(connectTimeout);
  return !parsed.ok || parsed.seconds * 1000 < IDENTITY_ACCEPT_MS;
}

export const LOG_RING_CAPACITY = 20_000;

/**
 * A running pod's moving parts: its containers' logs, its Envoy, and the generators that write
 * into them as virtual time passes (the incident's identity calls, the load knob).
 */
export class PodRuntime {
  private readonly logs = new Map<string, ContainerLog>();
  private proxyState: EnvoyProxy | null = null;
  readonly schedule: IdentityCallSchedule | null;
  /** The calls of a `causes`-scenario pod (`sidecar.cause`), or null. */
  private readonly causeSchedule: IdentityCallSchedule | null;
  private readonly style: EnvoyLineStyle | null;
  /** Next identity call and the next line of it to emit. */
  private callCursor = { k: 0, i: 0 };
  /** Sequence number of the next load line; lines are spaced 1000/rate ms from `loadStartMs`. */
  private loadSeq = 0;
  private loadStartMs: number;
  private linesPerSecond: number;
  /** Identity-cluster updates istiod has yet to deliver, in delivery order. */
  private readonly pushes: { atMs: number; connectTimeout: string }[] = [];

  constructor(
    readonly pod: PodRecord,
    private readonly startMs: number,
    private readonly mesh: MeshSettings,
  ) {
    const sidecar = pod.input.sidecar;
    this.linesPerSecond = sidecar?.linesPerSecond ?? 0;
    this.loadStartMs = startMs;
    this.schedule = sidecar?.incident
      ? {
          // Pods of one Deployment fail at different moments, as real replicas would.
          firstMs: startMs + 1500 + stableNumber(pod.key, 2000),
          periodMs: 5000,
          timeoutMs: 1000,
          firstConnectionId: 300 + stableNumber(pod.key, 200) * 2,
          priorTimeouts: 40 + stableNumber(`${pod.key}/prior`, 60),
        }
      : null;
    this.causeSchedule = sidecar?.cause ? causeSchedule(pod.key, startMs) : null;
    if (this.schedule && !identityCallsFail(mesh.identityConnectTimeout(pod))) this.schedule.stopAtMs = startMs;
    this.style = sidecar ? envoyLineStyle(this.proxy!.version, !!sidecar.logAsJson, 20 + stableNumber(pod.key, 12)) : null;
    this.writeStartupLines(startMs);
  }

  /** The pod's Envoy, or null when it has no sidecar. Created on first use. */
  get proxy(): EnvoyProxy | null {
    const sidecar = this.pod.input.sidecar;
    if (!sidecar) return null;
    const pod = this.pod;
    const ports = pod.appContainers.map((c) => c.port).filter((p): p is number => p !== undefined);
    // A (re)started Envoy gets the identity cluster istiod has for it now.
    const spec = { ...sidecar, identityConnectTimeout: this.mesh.identityConnectTimeout(pod) };
    this.proxyState ??= new EnvoyProxy({ namespace: pod.namespace, name: pod.name, ip: pod.ip, annotations: pod.annotations, app: pod.labels.app, ports }, spec, this.schedule, this.startMs, this.mesh.config);
    return this.proxyState;
  }

  log(container: string): ContainerLog {
    let log = this.logs.get(container);
    if (!log) {
      log = new ContainerLog(LOG_RING_CAPACITY);
      this.logs.set(container, log);
    }
    return log;
  }

  /** Whether time passing changes anything here (the model ticks only such pods). */
  get isActive(): boolean {
    return this.schedule !== null || this.causeSchedule !== null || (this.linesPerSecond > 0 && this.log(PROXY_CONTAINER).followerCount > 0);
  }

  private writeStartupLines(atMs: number): void {
    const t = { ms: atMs, subNs: 0 };
    const app = this.pod.labels.app ?? this.pod.name;
    const cause = this.pod.input.sidecar?.cause;
    const lines = (cause && causeAppStartup(cause, atMs, app)) || appStartupLines(formatMillisIso(t), app);
    for (const c of this.pod.appContainers) this.log(c.name).append(atMs, lines);
    const proxy = this.proxy;
    if (proxy) this.log(PROXY_CONTAINER).append(atMs, proxyStartupLines(t, proxy.version, !!this.pod.input.sidecar?.logAsJson));
  }

  /** A container restarted: new log instance; a restarted Envoy is back at its default levels. */
  restart(atMs: number, container: string | null): void {
    for (const name of container ? [container] : this.pod.containerNames()) {
      this.log(name).restart();
      this.pod.restarts.set(name, (this.pod.restarts.get(name) ?? 0) + 1);
    }
    if (!container || container === PROXY_CONTAINER) this.proxyState = null;
    this.writeStartupLines(atMs);
  }

  /** Changes the load knob from `nowMs` on (what was due at the old rate is written first). */
  setLinesPerSecond(rate: number, nowMs: number): void {
    this.advanceTo(nowMs);
    this.linesPerSecond = rate;
    this.loadStartMs = nowMs;
    this.loadSeq = 0;
  }

  /** istiod delivers a new identity cluster to this Envoy at `atMs` (its push delay on the virtual clock). */
  pushIdentityConnectTimeout(connectTimeout: string, atMs: number): void {
    this.pushes.push({ atMs, connectTimeout });
    this.pushes.sort((a, b) => a.atMs - b.atMs);
  }

  /** Writes everything that happened up to `nowMs`; a push lands between the calls before and after it. */
  advanceTo(nowMs: number): void {
    while (this.pushes.length > 0 && this.pushes[0].atMs <= nowMs) {
      const push = this.pushes.shift()!;
      if (this.schedule) this.advanceCalls(this.schedule, push.atMs);
      this.proxy?.setIdentityConnectTimeout(push.connectTimeout, push.atMs);
      if (this.schedule && !identityCallsFail(push.connectTimeout)) this.schedule.stopAtMs ??= push.atMs;
    }
    const calls = this.schedule ?? this.causeSchedule;
    if (calls) this.advanceCalls(calls, nowMs);
    if (this.linesPerSecond > 0) this.advanceLoad(nowMs);
  }

  private advanceCalls(s: IdentityCallSchedule, nowMs: number): void {
    while (callStart(s, this.callCursor.k) <= nowMs && (s.stopAtMs === undefined || callStart(s, this.callCursor.k) < s.stopAtMs)) {
      const emissions = this.callEmissions(s, this.callCursor.k);
      while (this.callCursor.i < emissions.length && emissions[this.callCursor.i].atMs <= nowMs) {
        this.emit(emissions[this.callCursor.i], this.callCursor.k);
        this.callCursor.i++;
      }
      if (this.callCursor.i < emissions.length) return;
      this.callCursor = { k: this.callCursor.k + 1, i: 0 };
    }
  }

  private callEmissions(s: IdentityCallSchedule, k: number): CallEmission[] {
    const sidecar = this.pod.input.sidecar;
    if (sidecar?.cause) return causeCallEmissions(sidecar.cause, s, k, { name: this.pod.name, ip: this.pod.ip });
    return (sidecar?.incidentProtocol === 'http' ? httpCallEmissions : callEmissions)(s, k);
  }

  private emit(e: CallEmission, k: number): void {
    const proxy = this.proxy;
    if (!proxy || !this.style) return;
    switch (e.kind) {
      case 'envoy': {
        const level = proxy.levels.get(e.event.logger) ?? 'warning';
        if (levelEnabled(level, e.event.level)) this.log(PROXY_CONTAINER).append(e.atMs, [formatEnvoyLine(this.style, { ms: e.atMs, subNs: 0 }, e.event)]);
        return;
      }
      case 'access': {
        // A default install has no accessLogFile: Envoy writes no access log at all.
        if (!this.mesh.accessLogOn(this.pod)) return;
        const port = 45000 + ((k * 7) % 20000);
        const requestId = `${streamIdOf(this.schedule!, k).toString(16).padStart(8, '0')}-5f7f-4731-8471-ca5bcd650a72`;
        const line = e.http ? identityHttpAccessLogLine(e.startMs, e.durationMs, this.pod.ip, port, requestId) : identityAccessLogLine(e.startMs, e.durationMs, this.pod.ip, port, isAtLeast(proxy.version, 1, 6));
        this.log(PROXY_CONTAINER).append(e.atMs, [line]);
        return;
      }
      case 'accessText':
        if (this.mesh.accessLogOn(this.pod)) this.log(PROXY_CONTAINER).append(e.atMs, [e.text]);
        return;
      case 'agent':
        this.log(PROXY_CONTAINER).append(e.atMs, [agentLine({ ms: e.atMs, subNs: 0 }, e.level, e.message, !!this.pod.input.sidecar?.logAsJson)]);
        return;
      case 'app':
        this.log(this.pod.appContainers[0].name).append(e.atMs, e.lines);
        return;
      case 'appReset':
        this.log(this.pod.appContainers[0].name).append(e.atMs, javaResetTrace(formatMillisIso({ ms: e.atMs, subNs: 0 }), this.pod.labels.app ?? this.pod.name));
        return;
    }
  }

  /**
   * Load-knob lines up to `nowMs`, built in one batch, so an unwatched noisy pod costs nothing
   * however long it "ran".
   */
  private advanceLoad(nowMs: number): void {
    const due = Math.floor(((nowMs - this.loadStartMs) * this.linesPerSecond) / 1000);
    if (due <= this.loadSeq) return;
    // Unwatched, lines that would fall straight out of the ring need not exist; a follower gets them all.
    if (this.log(PROXY_CONTAINER).followerCount === 0) this.loadSeq = Math.max(this.loadSeq, due - LOG_RING_CAPACITY);
    const spacing = 1000 / this.linesPerSecond;
    const batch: { ms: number; text: string }[] = [];
    for (; this.loadSeq < due; this.loadSeq++) {
      const ms = Math.floor(this.loadStartMs + this.loadSeq * spacing);
      batch.push({ ms, text: httpAccessLogLine(ms, this.loadSeq, this.pod.ip) });
    }
    this.log(PROXY_CONTAINER).appendTimed(batch);
  }
}
