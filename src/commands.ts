/**
 * Every command Mesh Doctor contributes, with its handler, in one table (as rust-analyzer's
 * `createCommands` does): features build handlers, this module binds them to ids, and
 * `src/extension.ts` registers the table once. `COMMAND_IDS` matches package.json's
 * `contributes.commands` (a unit test checks both ways); the table's type makes a missing or extra
 * handler a compile error. Only types are imported here, so the ids are readable on plain Node.
 */
import type { AnnotatorCommands } from './annotator/register';
import type { EnableOptions } from './debugLogging/chooseChange';
import type { DebugLogging } from './debugLogging/feature';
import type { DiagnoseOptions } from './diagnose/diagnoseCommand';
import type { Diagnose } from './diagnose/feature';
import type { VerifyFixOptions } from './diagnose/verifyCommand';
import type { ExplorerCommands } from './explorer/register';
import type { LintCommands } from './lint/register';
import type { OverviewCommands } from './overview/feature';
import type { Tailing } from './tail/feature';

export const COMMAND_IDS = [
  'meshDoctor.lintWorkspace',
  'meshDoctor.raiseConnectTimeout',
  'meshDoctor.fixAllInWorkspace',
  'meshDoctor.mesh.refresh',
  'meshDoctor.mesh.showLowTimeoutsOnly',
  'meshDoctor.mesh.showAllClusters',
  'meshDoctor.mesh.switchContext',
  'meshDoctor.mesh.openClusterConfig',
  'meshDoctor.mesh.findSetting',
  'meshDoctor.annotateResets',
  'meshDoctor.debugLogging.enable',
  'meshDoctor.debugLogging.enableForWorkload',
  'meshDoctor.debugLogging.restore',
  'meshDoctor.debugLogging.restoreAll',
  'meshDoctor.debugLogging.showRaised',
  'meshDoctor.tail.envoy',
  'meshDoctor.tail.appAndEnvoy',
  'meshDoctor.tail.envoyForWorkload',
  'meshDoctor.tail.appAndEnvoyForWorkload',
  'meshDoctor.tail.stop',
  'meshDoctor.diagnose.run',
  'meshDoctor.diagnose.workload',
  'meshDoctor.diagnose.verifyFix',
  'meshDoctor.diagnose.exportReport',
  'meshDoctor.diagnose.openManifest',
  'meshDoctor.overview.refresh',
  'meshDoctor.overview.reveal',
  'meshDoctor.overview.diagnose',
  'meshDoctor.overview.setCredentials',
  'meshDoctor.overview.clearCredentials',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** A command's handler: VS Code passes the tree node, URI or arguments it was invoked with. */
export type CommandHandler = (...args: never[]) => unknown;

export interface Features {
  readonly lint: LintCommands;
  readonly explorer: ExplorerCommands;
  readonly annotator: AnnotatorCommands;
  readonly debugLogging: DebugLogging;
  readonly tailing: Tailing;
  readonly diagnose: Diagnose;
  readonly overview: OverviewCommands;
}

export function commandTable(f: Features): Readonly<Record<CommandId, CommandHandler>> {
  return {
    'meshDoctor.lintWorkspace': f.lint.lintWorkspace,
    'meshDoctor.raiseConnectTimeout': f.lint.raiseConnectTimeout,
    // The explorer passes the folder it was invoked on; the palette passes nothing (the whole workspace).
    'meshDoctor.fixAllInWorkspace': (folder?: unknown) => f.lint.fixAllInWorkspace(folder),
    'meshDoctor.mesh.refresh': f.explorer.refresh,
    'meshDoctor.mesh.showLowTimeoutsOnly': f.explorer.showLowTimeoutsOnly,
    'meshDoctor.mesh.showAllClusters': f.explorer.showAllClusters,
    'meshDoctor.mesh.switchContext': f.explorer.switchContext,
    'meshDoctor.mesh.openClusterConfig': f.explorer.openClusterConfig,
    'meshDoctor.mesh.findSetting': f.explorer.findSetting,
    'meshDoctor.annotateResets': f.annotator.annotateResets,
    // A tree node (or nothing: a picker asks), then optionally the change itself (preset, loggers, level).
    'meshDoctor.debugLogging.enable': (arg?: unknown, options?: EnableOptions) => f.debugLogging.enable(arg, options),
    'meshDoctor.debugLogging.enableForWorkload': (arg?: unknown, options?: EnableOptions) => f.debugLogging.enableForWorkload(arg, options),
    'meshDoctor.debugLogging.restore': (arg?: unknown) => f.debugLogging.restore(arg),
    'meshDoctor.debugLogging.restoreAll': () => f.debugLogging.restoreAll(),
    'meshDoctor.debugLogging.showRaised': () => f.debugLogging.showRaised(),
    'meshDoctor.tail.envoy': f.tailing.envoy,
    'meshDoctor.tail.appAndEnvoy': f.tailing.appAndEnvoy,
    'meshDoctor.tail.envoyForWorkload': f.tailing.envoyForWorkload,
    'meshDoctor.tail.appAndEnvoyForWorkload': f.tailing.appAndEnvoyForWorkload,
    'meshDoctor.tail.stop': () => f.tailing.stop(),
    // A pod or namespace node (or nothing: a picker asks), then optionally how much to read.
    'meshDoctor.diagnose.run': (arg?: unknown, options?: DiagnoseOptions) => f.diagnose.diagnose(arg, options),
    'meshDoctor.diagnose.workload': (arg?: unknown, options?: DiagnoseOptions) => f.diagnose.diagnoseWorkload(arg, options),
    'meshDoctor.diagnose.verifyFix': (options?: VerifyFixOptions) => f.diagnose.verifyFix(options),
    'meshDoctor.diagnose.exportReport': () => f.diagnose.exportReport(),
    'meshDoctor.diagnose.openManifest': () => f.diagnose.openManifest(),
    'meshDoctor.overview.refresh': () => f.overview.refresh(),
    // A row of the Mesh Overview (its click).
    'meshDoctor.overview.reveal': (node?: unknown) => f.overview.reveal(node),
    // A row of the Mesh Overview: its source workload, diagnosed by Diagnose.
    'meshDoctor.overview.diagnose': async (node?: unknown) => {
      const target = await f.overview.sourceWorkload(node);
      return target ? f.diagnose.diagnose(target) : undefined;
    },
    'meshDoctor.overview.setCredentials': () => f.overview.setCredentials(),
    'meshDoctor.overview.clearCredentials': () => f.overview.clearCredentials(),
  };
}
