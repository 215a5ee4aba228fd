import * as vscode from 'vscode';
import { startStandIn, type StandIn } from '../../standin';
import type { PodRef } from '../../../src/kube/types';
import { type DebugLogging, createDebugLogging } from '../../../src/debugLogging/feature';
import { createEnvoyLogRaiser } from '../../../src/services/envoyLogRaiser';
import { type Tailing, createTailing } from '../../../src/tail/feature';
import { activateExtension, MemoryMemento, ScriptedUi, TestContext } from '../helpers';

/** A stand-in of the test's own, with a protected-looking second context, and the settings pointed at it. */
export interface IntegrationMesh {
  readonly standIn: StandIn;
  readonly context: string;
  /** The first shop pod whose name matches (a string is a prefix). */
  pod(match: string | RegExp, context?: string): Promise<PodRef>;
  checkoutPods(): Promise<PodRef[]>;
  /** Sets a meshDoctor.* user setting for this suite; `restore()` puts every one back. */
  set(key: string, value: unknown): Promise<void>;
  restore(): Promise<void>;
}

export const PROD_CONTEXT = 'eu-prod-1';

export async function setUpMesh(contextName: string): Promise<IntegrationMesh> {
  const standIn = await startStandIn({ scenario: 'incident', contextName, extraContexts: [{ name: PROD_CONTEXT }] });
  await activateExtension();
  const previous = new Map<string, unknown>();
  const config = () => vscode.workspace.getConfiguration('meshDoctor');
  const set = async (key: string, value: unknown): Promise<void> => {
    if (!previous.has(key)) previous.set(key, config().inspect(key)?.globalValue);
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  };
  await set('kubeconfig', standIn.kubeconfigPath);
  const checkoutNames = async (): Promise<string[]> =>
    standIn.model.mesh
      .listPods('shop')
      .map((p) => p.name)
      .filter((n) => n.startsWith('checkout-'))
      .sort();
  return {
    standIn,
    context: contextName,
    async pod(match, context = contextName) {
      const test = typeof match === 'string' ? (n: string) => n.startsWith(match) : (n: string) => match.test(n);
      const name = standIn.model.mesh.listPods('shop').map((p) => p.name).find(test);
      if (!name) throw new Error(`no pod matching ${String(match)} in shop`);
      return { context, namespace: 'shop', name };
    },
    async checkoutPods() {
      return (await checkoutNames()).map((name) => ({ context: contextName, namespace: 'shop', name }));
    },
    set,
    async restore() {
      for (const [key, value] of previous) await config().update(key, value, vscode.ConfigurationTarget.Global);
      await standIn.close();
    },
  };
}

/**
 * Debug logging and tailing built by the test from the product's modules, with a scripted UI,
 * an in-memory store and a status bar item of its own; `dispose()` ends all of it.
 */
export interface TestFeatures extends vscode.Disposable {
  readonly ui: ScriptedUi;
  readonly debugLogging: DebugLogging;
  readonly statusBarItem: vscode.StatusBarItem;
  readonly tailing: Tailing;
}

export function buildFeatures(): TestFeatures {
  const ctx = new TestContext();
  const ui = new ScriptedUi();
  const statusBarItem = ctx.own(vscode.window.createStatusBarItem('meshDoctor.debugLogging.integrationTest', vscode.StatusBarAlignment.Left, 50));
  return {
    ui,
    statusBarItem,
    debugLogging: createDebugLogging(ctx, ui, createEnvoyLogRaiser(ctx, new MemoryMemento()), statusBarItem),
    tailing: createTailing(ctx, ui),
    dispose: () => ctx.dispose(),
  };
}
