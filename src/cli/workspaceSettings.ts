/**
 * The CLI's view of where a workspace sets the values behind a diagnosis: the folder's Istio
 * manifests walked as `mesh-doctor lint` walks them, each read within the size limit and run
 * through the linting core once. Shared by `diagnose` (and meant for `correlate`).
 */

import * as path from 'node:path';
import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import type { SettingLocator } from '../core/diagnose/rank';
import { DEFAULT_MAX_LENGTH, lintManifest, mayHoldRuleSettings, settingSitesFor, type ManifestSettings } from '../core/lint';
import { readManifestFile } from '../files/manifestFile';
import { findManifests } from './findManifests';

/** Manifests read per workspace at most: a diagnosis should not wait on a monorepo's every YAML file. */
const MAX_FILES = 5000;

/** The settings of every manifest under `workspace` (unreadable files are skipped: they set nothing we can show). */
export async function workspaceSettings(workspace: string): Promise<ManifestSettings[]> {
  const search = await findManifests([workspace], workspace);
  const out: ManifestSettings[] = [];
  for (const f of search.files.slice(0, MAX_FILES)) {
    let read;
    try {
      read = await readManifestFile(f.absolute, DEFAULT_MAX_LENGTH);
    } catch {
      continue;
    }
    if (read.kind !== 'text' || !mayHoldRuleSettings(read.text)) continue;
    const result = lintManifest(read.text, { minimumSeconds: DEFAULT_CONNECT_TIMEOUT_MINIMUM.seconds });
    if (result.settings.length > 0) out.push({ file: path.relative(workspace, f.absolute) || path.basename(f.absolute), settings: result.settings });
  }
  return out;
}

/** A SettingLocator over the workspace's manifests, read once. */
export async function workspaceSettingLocator(workspace: string): Promise<SettingLocator> {
  const manifests = await workspaceSettings(workspace);
  return (cause, clusters) => settingSitesFor(cause, clusters, manifests);
}
