// The types of loopnest.js (plain JavaScript, as the HTML report's page runs it).

import type { Level, LoopName, TileSizes } from '../../model/schedule.js';
import type { BufferRole } from '../../model/segment.js';

export interface NestBuffer {
  id: string;
  role: BufferRole;
  store: Level;
  fill: Level;
  /** Storage extents and on-chip bytes, as BufferResult has them. */
  extents: number[];
  bytes: number;
  /** Elements computed (intermediates), DRAM reads and writes over the whole run (predicted). */
  filled: number;
  dramReads: number;
  dramWrites: number;
}

export interface NestSegment {
  /** Topological order; the last one's output leaves the segment. */
  layers: string[];
  dims: TileSizes;
  tile: TileSizes;
  order: readonly LoopName[];
  /** Warm-up iterations of spatial loops (docs/execution-model.md, "Warm-up loops"). */
  warmup?: { x?: number; y?: number };
  /** Producers before consumers, as the segment lists them. */
  buffers: NestBuffer[];
}

/**
 * The pseudo-code, one statement a line. On each entry into a level's body, `store B` empties buffer B
 * and `fill B` makes present the part of B's demand that is not (loading it from DRAM, or computing
 * it); the output is written to DRAM when its store level's body ends.
 */
export function loopNest(s: NestSegment): string;
