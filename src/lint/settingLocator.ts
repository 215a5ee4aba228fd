import * as vscode from 'vscode';
import { findSettingForHost, MESH_WIDE_SITES } from '../core/lint';
import type { SettingLocator, SettingSites, WorkspaceManifestSettings } from '../services/settingLocator';
import type { IndexedSetting, WorkspaceSettingsIndex } from './workspaceIndex';

/** The manifest that produces a timeout: a DestinationRule for the host, else the mesh-wide value. */
async function locate(index: WorkspaceSettingsIndex, host: string | null, namespace: string | null): Promise<IndexedSetting | null> {
  await index.ready();
  const all = index.all();
  // Clusters without a service host (PassthroughCluster, BlackHoleCluster) take the mesh-wide value.
  const found = host ? findSettingForHost(host, namespace, all) : all.find((l) => MESH_WIDE_SITES.has(l.setting.site)) ?? null;
  return found as IndexedSetting | null;
}

async function reveal(located: IndexedSetting): Promise<void> {
  const { start, end } = located.setting.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const editor = await vscode.window.showTextDocument(located.uri, { selection: range, preview: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The SettingLocator over the lint feature's workspace index. */
export function workspaceSettingLocator(index: WorkspaceSettingsIndex): SettingLocator {
  return {
    async revealConnectTimeoutSetting(host, namespace) {
      const located = await locate(index, host, namespace);
      if (located) await reveal(located);
      return located !== null;
    },
  };
}

/** The SettingSites over the same index: each file's settings, once its first scan is done. */
export function workspaceSettingSites(index: WorkspaceSettingsIndex): SettingSites {
  return {
    async workspaceSettings() {
      await index.ready();
      const byFile = new Map<string, { file: string; uri: vscode.Uri; settings: IndexedSetting['setting'][] }>();
      for (const s of index.all()) {
        const key = s.uri.toString();
        const entry = byFile.get(key) ?? { file: s.file, uri: s.uri, settings: [] };
        entry.settings.push(s.setting);
        byFile.set(key, entry);
      }
      return [...byFile.values()] satisfies WorkspaceManifestSettings[];
    },
  };
}
