import type { Network } from '../ir/network.js';
import type { NetworkSchedule } from '../model/schedule.js';
export interface GraphTarget {
    file: string;
    kind: 'svg' | 'png' | 'dot';
}
/** The output file of a graph, refused unless it ends in .svg, .png or .dot and can be written. */
export declare function graphTarget(file: string): GraphTarget;
/** The network graph of a schedule, segments coloured, layers with their predicted DRAM traffic. */
export declare function writeGraph(target: GraphTarget, net: Network, sched: NetworkSchedule): Promise<void>;
