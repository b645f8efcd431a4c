import type { Network } from '../ir/network.js';
import type { NetworkResult } from '../model/evaluate.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/** Twelve light colours that keep black text readable; segments take them in turn. */
export declare const segmentPalette: readonly ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];
export declare function segmentColour(index: number): string;
export interface LayerTraffic {
    /** Elements read from DRAM for this layer: its DRAM inputs, its weights, its partial sums. */
    reads: number;
    /** Elements this layer writes to DRAM (its output, when it ends a segment or is read after it too). */
    writes: number;
}
/** Each buffer's DRAM traffic counted to the layer that reads (inputs, weights) or produces it. */
export declare function layerTraffic(segments: Segment[], results: SegmentResult[]): Map<string, LayerTraffic>;
/** The text a layer's node carries: its predicted DRAM accesses (reads + writes, elements). */
export declare function trafficNote(t: LayerTraffic): string;
export interface ScheduleDotOptions {
    caption?: string;
    /** Boxes around fused segments (the HTML report recolours one layout for every point: none there). */
    clusters?: boolean;
    layerIds?: boolean;
}
/** The dot graph of a schedule; `segments` and `result` are its checked segments and its evaluation. */
export declare function scheduleDot(net: Network, sched: NetworkSchedule, segments: Segment[], result: NetworkResult, options?: ScheduleDotOptions): string;
/** The dot graph laid out and drawn as an SVG document by Graphviz. */
export declare function renderDotSvg(dot: string): Promise<string>;
