import { type IstioVersion, formatIstioVersion } from '../envoy/istioVersion';
import { type NanoTime, formatMicros } from './timestamps';

/** pilot-agent's own (zap) log line: tab-separated, or JSON when the proxy logs as JSON. */
export function agentLine(time: NanoTime, level: string, message: string, asJson: boolean): string {
  return asJson ? JSON.stringify({ level, time: formatMicros(time), msg: message }) : `${formatMicros(time)}\t${level}\t${message}`;
}

/** What istio-proxy prints as it starts: flags, version, readiness. */
export function proxyStartupLines(time: NanoTime, version: IstioVersion, asJson: boolean): string[] {
  const v = formatIstioVersion(version);
  return [
    agentLine(time, 'info', 'FLAG: --concurrency="2"', asJson),
    agentLine(time, 'info', `Version ${v}-6d5b4f1a0c2e9b8d7f3a1c5e4b2d0f9a8c7e6b5d-Clean`, asJson),
    agentLine(time, 'info', 'Apply proxy config from env {"connectTimeout":"10s"}', asJson),
    agentLine(time, 'info', 'Envoy proxy is ready', asJson),
  ];
}

/** A Spring Boot service starting. */
export function appStartupLines(timeIso: string, app: string): string[] {
  return [
    `${timeIso}  INFO 1 --- [${app}] [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)`,
    `${timeIso}  INFO 1 --- [${app}] [           main] com.example.Application                  : Started Application in 4.183 seconds (process running for 4.9)`,
  ];
}
