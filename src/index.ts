// The library: every stage of the pipeline as plain functions over plain data.
export * from './frontends/index.js';
export * from './ir/index.js';
export { networkDot } from './report/dot.js';
export type { LayerSummary, NetworkSummary } from './report/inspect.js';
export { inspectText, summarizeNetwork } from './report/inspect.js';
