import { type LabelSelector, matchesLabels, type parsePodFieldSelector } from '../model/labelSelector';
import { type PodEvent } from '../model/meshModel';
import { type PodRecord } from '../model/podRecord';
import { type ApiRequest, boolParam, intParam } from './request';
import { kubeStatus, sendStatus } from './status';

export interface PodFilter {
  readonly namespace: string | null;
  readonly labels: LabelSelector;
  readonly fields: ReturnType<typeof parsePodFieldSelector>;
}

export function podMatches(f: PodFilter, pod: PodRecord): boolean {
  return (
    (f.namespace === null || pod.namespace === f.namespace) &&
    matchesLabels(f.labels, pod.labels) &&
    f.fields({ namespace: pod.namespace, name: pod.name, nodeName: pod.nodeName, phase: pod.phase })
  );
}

/** A watch event line, spliced from the pod's cached JSON text rather than re-serialized. */
function eventLine(type: string, objectText: string): string {
  return `{"type":"${type}","object":{"kind":"Pod","apiVersion":"v1",${objectText.slice(1)}}\n`;
}

/**
 * `?watch=true`: a chunked stream of JSON lines. Without a resourceVersion (or with "0") the
 * current pods come first as ADDED, as the API server does; with one, missed events are replayed,
 * or a 410 Expired ERROR event ends the stream when they are no longer kept. `allowWatchBookmarks`
 * adds a BOOKMARK with the current resourceVersion every `bookmarkIntervalMs`.
 */
export function servePodWatch(r: ApiRequest, filter: PodFilter): void {
  const { res, model, query } = r;
  const rvParam = query.get('resourceVersion');
  const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : null;
  if (fromRv !== null && !Number.isSafeInteger(fromRv)) {
    return sendStatus(res, kubeStatus(400, `resourceVersion: Invalid value: "${rvParam}": must be a number`, undefined, 'BadRequest'));
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  if (fromRv === null) for (const pod of model.listPods(filter.namespace)) if (podMatches(filter, pod)) res.write(eventLine('ADDED', pod.toJsonText()));
  const onEvent = (e: PodEvent) => {
    if (!res.writableEnded && podMatches(filter, e.pod)) res.write(eventLine(e.type, e.objectText()));
  };
  const sub = model.watchPods(fromRv ?? model.resourceVersion, onEvent);
  if (!sub) {
    const status = kubeStatus(410, `too old resource version: ${fromRv} (${model.resourceVersion})`, undefined, 'Expired');
    res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    return;
  }
  // Like the API server, only clients that allow bookmarks get them: periodic progress markers.
  const bookmarks = boolParam(query, 'allowWatchBookmarks')
    ? setInterval(() => {
        // The stream may have ended (timeoutSeconds) a moment before its 'close' clears this timer.
        if (!res.writableEnded) res.write(`{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"${model.resourceVersion}"}}}\n`);
      }, model.bookmarkIntervalMs)
    : null;
  const timeout = intParam(query, 'timeoutSeconds');
  const timer = timeout && timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : null;
  const drop = model.faults.take('dropWatch', { verb: 'watch', namespace: filter.namespace ?? undefined });
  const dropTimer = drop ? setTimeout(() => r.req.socket.destroy(), drop.afterMs ?? 200) : null;
  res.on('close', () => {
    sub.cancel();
    if (timer) clearTimeout(timer);
    if (dropTimer) clearTimeout(dropTimer);
    if (bookmarks) clearInterval(bookmarks);
  });
}
