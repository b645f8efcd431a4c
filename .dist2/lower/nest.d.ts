// The types of nest.js (plain JavaScript: the report's page runs it too).

import type { Level, LoopName, TileSizes } from '../model/schedule.js';
import type { BufferRole } from '../model/segment.js';

/** A buffer of a segment schedule as the lowering takes it: its levels and the model's prediction. */
export interface NestBufferInput {
  id: string;
  role: BufferRole;
  /** The layers of the segment reading it (none for the output). */
  readers: string[];
  /**
   * An intermediate also read after the segment (or a network output): written to DRAM as its producer
   * computes it (docs/execution-model.md, "Segments").
   */
  exported?: boolean;
  store: Level;
  fill: Level;
  /** Storage extents, elements of its box (slots) and on-chip bytes, as the model predicts them. */
  extents: number[];
  /** A raster line buffer's run per channel (docs/execution-model.md, "Raster line buffers"). */
  raster?: number;
  slots: number;
  bytes: number;
  /** Elements made present, read from DRAM and written to DRAM over the whole run (predicted). */
  filled: number;
  dramReads: number;
  dramWrites: number;
}

export interface NestInput {
  /** Topological order; the last one's output leaves the segment. */
  layers: string[];
  dims: TileSizes;
  tile: TileSizes;
  order: readonly LoopName[];
  /** Warm-up iterations of spatial loops (docs/execution-model.md, "Warm-up loops"). */
  warmup?: { x?: number; y?: number };
  /** Vertical strips of the last layer's output columns (docs/execution-model.md, "Strips"). */
  strips?: { x: number };
  /** Producers before consumers, as the segment lists them. */
  buffers: NestBufferInput[];
}

/**
 * Where a buffer's demand comes from at its fill: the last layer's tiles (`last`), its one reader
 * computing at the same level, which accumulates it on the way (`online`), or a planning pass over the
 * loops that joins its readers' reads in advance (`planned`: several readers, or a reader computing
 * deeper than the fill).
 */
export type DemandKind = 'last' | 'online' | 'planned';

export interface NestLoop {
  dim: LoopName;
  tile: number;
  /** The dimension's extent, its tiles, and the warm-up iterations run before the first one. */
  extent: number;
  tiles: number;
  warmup: number;
  /** The first tile's start: 0, or below 0 by the warm-up tiles. */
  start: number;
}

export interface NestBuffer extends NestBufferInput {
  /** Depths of its levels: 0 root, k the body of the k-th loop. */
  storeDepth: number;
  fillDepth: number;
  demand: DemandKind;
  /** First slot of its box in the segment's part of the scratchpad (boxes follow in buffer order). */
  offset: number;
  /** Fills per store instance: the iterations of the loops between its store and fill levels. */
  fillsPerStore: number;
}

export interface NestLevel {
  /** Buffers emptied on entry into the body, and buffers made present, in buffer order (producers first). */
  stores: number[];
  fills: number[];
}

export interface LoweredSegment {
  layers: string[];
  last: string;
  /** Outermost first. */
  loops: NestLoop[];
  /** levels[d]: the body of depth d (0 root, 4 the innermost, where the last layer computes its tile). */
  levels: NestLevel[];
  buffers: NestBuffer[];
  /** Slots of all boxes together. */
  slots: number;
}

/** The loop nest of a segment schedule (see the top of nest.js). */
export function lowerSegment(s: NestInput): LoweredSegment;
