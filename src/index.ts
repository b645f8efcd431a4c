// The library: every stage of the pipeline as plain functions over plain data.
export * from './frontends/index.js';
export * from './ir/index.js';
export * from './model/cost.js';
export * from './model/evaluate.js';
export * from './model/result.js';
export * from './model/schedule.js';
export * from './model/segment.js';
export { checkSchedule, parseSchedule } from './model/validate.js';
export * from './reference/index.js';
export { networkDot } from './report/dot.js';
export type { LayerSummary, NetworkSummary } from './report/inspect.js';
export { inspectText, summarizeNetwork } from './report/inspect.js';
export { simulateSegment } from './simulate/simulate.js';
