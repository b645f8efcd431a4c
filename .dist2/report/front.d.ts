import type { FrontPoint } from '../dse/explore.js';
import type { FrontFile } from '../formats/front.js';
/** Up to `count` points spread log-evenly over the front's on-chip bytes, always keeping both ends and `keep`. */
export declare function spreadPoints(front: FrontPoint[], count: number, keep?: number): number[];
/** How far a front fuses and recomputes, in words. */
export declare function fusionText({ maxFuse, maxRecompute, maxFuseJoins, maxFuseOutputs, ownLevelsUpTo, maxTiledFuse, segmentSets, }: Pick<FrontFile, 'maxFuse' | 'maxRecompute' | 'maxFuseJoins' | 'maxFuseOutputs' | 'ownLevelsUpTo' | 'maxTiledFuse' | 'segmentSets'>): string;
/**
 * A point's MACs over the least the network computes (every element once), e.g. 1.25; undefined when
 * the front file does not record the least (older files) or the point's MACs.
 */
export declare function recomputeFactor(front: Pick<FrontFile, 'baseline'>, p: FrontPoint): number | undefined;
export declare const factorText: (f: number | undefined) => string;
/**
 * The layers of a point's deepest fused segment, from its schedule (read unchecked: a plot does not
 * check schedules); undefined when the schedule does not say.
 */
export declare function fusedDepth(p: FrontPoint): number | undefined;
export declare function frontText(r: FrontFile, seconds: number): string;
