export * from './types';
export { parseClusterName } from './clusterName';
export { collectClusterConfigs } from './configDump';
export { collectClusterStatuses } from './clusterStatuses';
export { parseConnectStats, CONNECT_STATS_FILTER } from './stats';
export { buildClusterRows, ENVOY_ADMIN_REQUESTS, EnvoyPayloadError, type ClusterPayloads } from './clusterRows';
