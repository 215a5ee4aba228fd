import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { type RaisedStore } from '../services/raisedStore';
import { type RestoreSummary, restoreRaised } from '../services/restoreRaised';

/**
 * Restores pods left raised by a window that closed or crashed (its session stopped beating).
 * Runs at activation and once more when a just-crashed window's heartbeat has gone stale. Pods that
 * no longer exist are mentioned once and dropped; unreachable ones are adopted by this window, so
 * its status bar shows them and auto-revert retries them (which covers a cluster that comes back).
 */
export async function recoverRaisedLevels(ctx: FeatureContext, ui: UserInterface, store: RaisedStore): Promise<RestoreSummary> {
  const orphans = store.orphans();
  if (orphans.length === 0) return { restored: [], gone: [], failed: [] };
  ctx.output.info(`Restoring Envoy log levels left raised by an earlier session: ${orphans.map((o) => `${o.pod.namespace}/${o.pod.name}`).join(', ')}`);
  const summary = await restoreRaised(ctx, store, orphans);
  const failedNames = new Set(summary.failed.map((f) => f.pod));
  for (const o of orphans) if (failedNames.has(`${o.pod.namespace}/${o.pod.name}`)) await store.adopt({ ...o });
  const parts: string[] = [];
  if (summary.restored.length) parts.push(`restored ${summary.restored.map((r) => r.pod.name).join(', ')}`);
  if (summary.gone.length) parts.push(`${summary.gone.map((r) => r.pod.name).join(', ')} no longer exist${summary.gone.length === 1 ? 's' : ''} (dropped)`);
  if (summary.failed.length) parts.push(`could not reach ${summary.failed.map((f) => f.pod).join(', ')} (will retry; see Output)`);
  for (const f of summary.failed) ctx.output.warn(`${f.pod}: ${f.reason}`);
  void ui.notify('info', `Envoy log levels from the last session: ${parts.join('; ')}.`);
  return summary;
}
