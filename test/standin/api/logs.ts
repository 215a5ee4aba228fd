import { type LogLine } from '../logs/ring';
import { formatRfc3339Nano, parseRfc3339 } from '../logs/timestamps';
import { chooseContainer } from './containerChoice';
import { type ApiRequest, boolParam, intParam } from './request';
import { kubeStatus, sendStatus } from './status';

/**
 * GET .../pods/NAME/log with `container`, `follow`, `tailLines`, `sinceTime`, `sinceSeconds`,
 * `timestamps` and `previous`, answered as the kubelet does: text/plain, chunked while following.
 */
export function servePodLog(r: ApiRequest, namespace: string, name: string): void {
  const { res, query, model } = r;
  const pod = model.getPod(namespace, name);
  if (!pod) return sendStatus(res, kubeStatus(404, `pods "${name}" not found`, { name, kind: 'pods' }));
  const choice = chooseContainer(pod, query.get('container'));
  if (!choice.ok) return sendStatus(res, kubeStatus(400, choice.message));
  const sinceTimeText = query.get('sinceTime');
  const sinceTime = sinceTimeText ? parseRfc3339(sinceTimeText) : null;
  if (sinceTimeText && !sinceTime) return sendStatus(res, kubeStatus(400, `sinceTime: Invalid value: "${sinceTimeText}": must be an RFC3339 time`, undefined, 'BadRequest'));
  const sinceSeconds = intParam(query, 'sinceSeconds');
  const since = sinceTime ?? (sinceSeconds && sinceSeconds > 0 ? { ms: model.clock.now() - sinceSeconds * 1000, subNs: 0 } : null);
  const tail = intParam(query, 'tailLines');
  const timestamps = boolParam(query, 'timestamps');
  const follow = boolParam(query, 'follow');

  const runtime = model.runtime(pod);
  const log = runtime.log(choice.name);
  const ring = boolParam(query, 'previous') ? log.previous : log.current;
  if (!ring) return sendStatus(res, kubeStatus(400, `previous terminated container "${choice.name}" in pod "${name}" not found`));

  const render = (lines: readonly LogLine[]) => {
    let out = '';
    for (const l of lines) out += timestamps ? `${formatRfc3339Nano(l.time)} ${l.text}\n` : `${l.text}\n`;
    return out;
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  // limitBytes caps the whole answer, backlog and followed lines together, as the kubelet does.
  let bytesLeft = intParam(query, 'limitBytes') ?? Infinity;
  let unfollow = (): void => undefined;
  const send = (lines: readonly LogLine[]): void => {
    let text = render(lines);
    const size = Buffer.byteLength(text);
    if (size >= bytesLeft) {
      text = Buffer.from(text).subarray(0, bytesLeft).toString('utf8');
      bytesLeft = 0;
      unfollow();
      res.end(text);
      return;
    }
    bytesLeft -= size;
    if (text) res.write(text);
  };
  send(ring.select(since, tail !== null && tail >= 0 ? tail : null));
  if (res.writableEnded) return;
  if (!follow || boolParam(query, 'previous')) return void res.end();

  res.flushHeaders();
  unfollow = log.follow({ onLines: send, onEnd: () => res.end() });
  const drop = model.faults.take('dropLogStream', { verb: 'log', namespace, pod: name });
  const dropTimer = drop ? setTimeout(() => r.req.socket.destroy(), drop.afterMs ?? 200) : null;
  res.on('close', () => {
    unfollow();
    if (dropTimer) clearTimeout(dropTimer);
  });
}
