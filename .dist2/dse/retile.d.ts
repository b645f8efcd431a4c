import type { Network } from '../ir/network.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/** Executions of the innermost loop body: the product of the loops' trip counts (warm-up included). */
export declare function innermostSteps(seg: Segment, s: SegmentSchedule): number;
/**
 * A segment schedule with the same loop order and buffer levels and tiles for fewer innermost steps,
 * while DRAM accesses and MACs stay at most the given schedule's and on-chip bytes at most `maxBytes` (or
 * the schedule's own, if larger). Tiles are grown one loop at a time, the move with the fewest steps
 * after it first. That first move can spend the bytes where they buy least (MobileNetV2's 7x7 layers:
 * reduction tiles of 80 channels at one position a step, where 32 channels by all 49 positions fit; VDSR's
 * first layer: one output channel a step), so the growth also runs with one loop held below 1, 2, 4, ...
 * (channels: 16, 32, ...) until the others have grown, then freed; channel tiles there stay whole vectors.
 * Such a result replaces the plain growth's where it takes at least 10 % less MACs + `stepMacs` per step
 * (a segment without MACs keeps the plain growth: nothing to weigh its steps against). Not the fastest
 * tiling, but every schedule it returns is costed by the model.
 */
export declare function retileSegment(seg: Segment, s: SegmentSchedule, elementBytes: ElementBytes, maxBytes: number): SegmentSchedule;
/** Every segment of a network schedule retiled within `maxBytes` (see retileSegment). */
export declare function retileSchedule(net: Network, sched: NetworkSchedule, maxBytes: number): NetworkSchedule;
/** Innermost loop steps of a whole network schedule (summed over its segments). */
export declare function scheduleSteps(net: Network, sched: NetworkSchedule): number;
