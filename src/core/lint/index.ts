export * from './types';
export * from './lintManifest';
export * from './precedence';
export { ENVOY_CONNECT_TIMEOUT_DOCS, ISTIO_MESH_CONFIG_DOCS, ISTIO_TCP_SETTINGS_DOCS, MESH_WIDE_SITES } from './describeFinding';
export * from './crossFile';
export * from './meshFacts';
export { RULE_DESCRIPTIONS, type RuleDescription } from './ruleDocs';
export * from './settingSites';
export * from './fixAll';
