export { defaultTolerance, difference, withinTolerance } from './compare.js';
export { mulshift, multiplier, quantizeNetwork, quantizeTensor, refuseInt8Network, rnd, runInt8, } from './int8.js';
export { readImage, readRaw } from './io.js';
export { applyPost, runLayer } from './layers.js';
export { runNetwork } from './run.js';
export { formatTrafficDetections, trafficDetections, trafficScale, trafficSpeeds, trafficThreshold, } from './traffic.js';
export { deterministicWeights } from './weights.js';
//# sourceMappingURL=index.js.map