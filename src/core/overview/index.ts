export { overviewQueries, type OverviewQueries, type OverviewQueryOptions } from './queries';
export { rankOverview, outboundClusterHost, type OverviewAnswers } from './rank';
export { sparkline } from './sparkline';
export type { OverviewClusterStats, OverviewRow, PromSample, PromSeries } from './types';
export { badgeObservations, badgeQueries, scrapedPodKey, type BadgeAnswers, type BadgeQueries } from './badges';
