import type { OverviewClusterStats, OverviewRow } from '../core/overview/types';

/** One source workload → upstream of the active context's overview. */
export interface OverviewRowNode {
  readonly kind: 'row';
  readonly context: string;
  readonly minutes: number;
  readonly endpoint: string;
  readonly row: OverviewRow;
}

/** One response flag of a row, with its rate. */
export interface OverviewFlagNode {
  readonly kind: 'flag';
  readonly parent: OverviewRowNode;
  readonly flag: string;
  readonly ratePerSecond: number;
}

/** One Envoy cluster's stats under a row. */
export interface OverviewClusterNode {
  readonly kind: 'cluster';
  readonly parent: OverviewRowNode;
  readonly stats: OverviewClusterStats;
}

/** A row that says something instead of data: loading, no failures, a warning, no Prometheus. */
export interface OverviewMessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly icon: 'loading~spin' | 'pass' | 'warning' | 'error' | 'info';
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** The setting a click opens, when one fixes what the row says. */
  readonly setting?: string;
}

export type OverviewNode = OverviewRowNode | OverviewFlagNode | OverviewClusterNode | OverviewMessageNode;
