import * as vscode from 'vscode';
import { appliedFromText, findOverridingDestinationRules, MESH_WIDE_SITES, sameConfiguration, type ConnectTimeoutSetting, type Override } from '../core/lint';
import { iconSafeText } from '../core/text/markupEscape';
import { toRange } from './toVscode';
import type { IndexedSetting } from './workspaceIndex';
import { displayName } from './workspaceFiles';

/** More overriding rules than this collapse into one lens, so a big repository does not bury the line. */
const MAX_OVERRIDE_LENSES = 3;
const MAX_HOSTS_NAMED = 4;

/**
 * Precedence, said where the user looks: on a mesh-wide value, the DestinationRules that override
 * it for their hosts (a mesh-wide fix does not reach those); on a DestinationRule, the mesh-wide
 * value it replaces. Each lens opens the other side. The overriding set is computed once per
 * document, so a file with thousands of rules stays linear.
 */
export function precedenceLenses(
  document: vscode.TextDocument,
  settings: readonly ConnectTimeoutSetting[],
  all: readonly IndexedSetting[],
): vscode.CodeLens[] {
  // Only the mesh config of this file's configuration (see sameConfiguration), never one of an unrelated folder.
  const file = displayName(document.uri);
  const mesh = all.find((l) => MESH_WIDE_SITES.has(l.setting.site) && sameConfiguration(l.file, file));
  if (!mesh) return [];
  const overriding = overridingRules(mesh.setting, mesh.file, all);
  const ruleHere = new Map(overriding.filter((r) => r.uri.toString() === document.uri.toString()).map((r) => [positionKey(r.setting), r]));
  return settings.flatMap((setting) => {
    if (MESH_WIDE_SITES.has(setting.site)) return overriddenBy(document, setting, overridingRules(setting, file, all));
    const rule = ruleHere.get(positionKey(setting));
    return rule === undefined ? [] : [overridesMesh(rule, mesh)];
  });
}

function overridingRules(mesh: ConnectTimeoutSetting, meshFile: string, all: readonly IndexedSetting[]): IndexedOverride[] {
  return findOverridingDestinationRules(mesh, all, meshFile)
    .sort((a, b) => (a.setting.host ?? '').localeCompare(b.setting.host ?? '') || a.file.localeCompare(b.file));
}

type IndexedOverride = IndexedSetting & Override;

function positionKey(setting: ConnectTimeoutSetting): string {
  return `${setting.range.start.line}:${setting.range.start.character}`;
}

function overriddenBy(document: vscode.TextDocument, setting: ConnectTimeoutSetting, rules: readonly IndexedOverride[]): vscode.CodeLens[] {
  const range = toRange(setting.range);
  if (rules.length === 0) return [];
  if (rules.length <= MAX_OVERRIDE_LENSES) {
    return rules.map((rule) => {
      const name = rule.setting.resource.name ?? '(unnamed)';
      return new vscode.CodeLens(range, {
        title: iconSafeText(`Overridden for ${rule.setting.host}${appliedFromText(rule.appliedFrom)} by DestinationRule ${name} (${rule.file})`),
        tooltip: `DestinationRule ${name} sets connectTimeout ${rule.setting.value} for ${rule.setting.host}${appliedFromText(rule.appliedFrom)}, which takes precedence over this mesh-wide value. Click to open it.`,
        command: 'vscode.open',
        arguments: [rule.uri, { selection: toRange(rule.setting.range) } satisfies vscode.TextDocumentShowOptions],
      });
    });
  }
  const hosts = [...new Set(rules.map((r) => r.setting.host ?? ''))];
  const named = hosts.slice(0, MAX_HOSTS_NAMED).join(', ') + (hosts.length > MAX_HOSTS_NAMED ? `, and ${hosts.length - MAX_HOSTS_NAMED} more` : '');
  return [
    new vscode.CodeLens(range, {
      title: iconSafeText(`Overridden by ${rules.length} DestinationRules for ${named}`),
      tooltip: 'DestinationRule connect timeouts take precedence over this mesh-wide value for their hosts. Click to see them.',
      command: 'editor.action.peekLocations',
      arguments: [document.uri, range.start, rules.map((r) => new vscode.Location(r.uri, toRange(r.setting.range))), 'peek'],
    }),
  ];
}

function overridesMesh(rule: IndexedOverride, mesh: IndexedSetting): vscode.CodeLens {
  const { setting } = rule;
  return new vscode.CodeLens(toRange(setting.range), {
    title: iconSafeText(`Overrides the mesh-wide ${mesh.setting.value} (${mesh.file}) for ${setting.host}${appliedFromText(rule.appliedFrom)}`),
    tooltip: 'For this host, this value wins over the mesh-wide connectTimeout. Click to open the mesh-wide setting.',
    command: 'vscode.open',
    arguments: [mesh.uri, { selection: toRange(mesh.setting.range) } satisfies vscode.TextDocumentShowOptions],
  });
}
