// The library: every stage of the pipeline as plain functions over plain data.
export type { BuildResult, CompileOptions, ProgramCounters, RunResult } from './codegen/build.js';
export { compileProgram, InterruptedError, rawTensors, runProgram, writeProgram } from './codegen/build.js';
export type { CProgram } from './codegen/c.js';
export { generateC, runnableNetwork, weightsFile } from './codegen/c.js';
export type {
  FailedPoint,
  MeasuredPoint,
  VerifyFile,
  VerifyOptions,
  VerifyPoint,
  VerifySession,
  VerifyTensor,
} from './codegen/verify.js';
export { closeSession, defaultInputs, openSession, verifyFormat, verifySchedule } from './codegen/verify.js';
export type { ExploreOptions, ExploreResult, FrontPoint } from './dse/explore.js';
export { defaultMaxRecompute, eachLevelsUpTo, explore } from './dse/explore.js';
export type { Partition, SegmentOption } from './dse/network-front.js';
export { networkFront } from './dse/network-front.js';
export type { Point } from './dse/pareto.js';
export { bestWithin, paretoFront } from './dse/pareto.js';
export type { SearchStats, SegmentFrontOptions } from './dse/segment-search.js';
export { segmentFront } from './dse/segment-search.js';
export type { SpaceName } from './dse/space.js';
export { candidateSegments } from './dse/space.js';
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
