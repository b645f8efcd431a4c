export { type Difference, defaultTolerance, difference, withinTolerance } from './compare.js';
export {
  type Int8Network,
  type Int8Tensor,
  type LayerInt8,
  type Multiplier,
  mulshift,
  multiplier,
  quantizeNetwork,
  quantizeTensor,
  refuseInt8Network,
  rnd,
  runInt8,
} from './int8.js';
export { readImage, readRaw } from './io.js';
export { applyPost, runLayer, type Tensor } from './layers.js';
export { inputsByName, type RunOptions, runNetwork } from './run.js';
export {
  formatTrafficDetections,
  type TrafficDetection,
  trafficDetections,
  trafficScale,
  trafficSpeeds,
  trafficThreshold,
} from './traffic.js';
export { deterministicWeights } from './weights.js';
