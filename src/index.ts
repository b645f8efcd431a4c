// The library: every stage of the pipeline as plain functions over plain data.
export type { BuildResult, CompileOptions, ProgramCounters, RunResult } from './codegen/build.js';
export { compileProgram, InterruptedError, rawTensors, runProgram, writeProgram } from './codegen/build.js';
export type { CProgram } from './codegen/c.js';
export { generateC, runnableNetwork, weightsFile } from './codegen/c.js';
export type { ExploreOptions, ExploreResult, FrontPoint } from './dse/explore.js';
export {
  defaultMaxFuseJoins,
  defaultMaxRecompute,
  defaultOwnLevels,
  eachLevelsUpTo,
  explore,
} from './dse/explore.js';
export type { Partition, SegmentOption } from './dse/network-front.js';
export { chainOf, networkFront, wideGraph } from './dse/network-front.js';
export type { Point } from './dse/pareto.js';
export { bestWithin, paretoFront } from './dse/pareto.js';
export type { SuffixGroup } from './dse/segment-factors.js';
export type { SearchStats, SegmentFrontOptions } from './dse/segment-search.js';
export { segmentFront } from './dse/segment-search.js';
export type { SegmentSets, SpaceName } from './dse/space.js';
export { candidateSegments } from './dse/space.js';
export { parseSchedule } from './formats/schedule.js';
export type { FailedPoint, MeasuredPoint, VerifyFile, VerifyPoint, VerifyTensor } from './formats/verify.js';
export { verifyFormat } from './formats/verify.js';
export * from './frontends/index.js';
export * from './ir/index.js';
export * from './model/cost.js';
export * from './model/evaluate.js';
export * from './model/result.js';
export * from './model/schedule.js';
export * from './model/segment.js';
export { checkSchedule } from './model/validate.js';
export * from './reference/index.js';
export { networkDot } from './report/dot.js';
export type { LayerSummary, NetworkSummary } from './report/inspect.js';
export { inspectText, summarizeNetwork } from './report/inspect.js';
export { simulateSegment } from './simulate/simulate.js';
export type { VerifyOptions, VerifySession } from './verify/verify.js';
export { closeSession, defaultInputs, openSession, verifySchedule } from './verify/verify.js';
