export declare const loopNames: readonly ['x', 'y', 'zo', 'zi'];
export type LoopName = (typeof loopNames)[number];
/** A loop level: `root` is outside all tile loops, a loop name is that loop's body. */
export type Level = 'root' | LoopName;
export type ElementBytes = 1 | 2 | 4;
export interface BufferLevels {
    /** Where the buffer starts empty: reuse happens only between store and fill. */
    store: Level;
    /** Where its demand is made present (loaded, computed or brought in). */
    fill: Level;
    /**
     * A raster line buffer: sliding along rows, then columns, it keeps per channel one circular run of
     * (rows - 1) x band + columns elements instead of a box (docs/execution-model.md, "Raster line
     * buffers"). Needs `y` directly above `x` in the order, store right above `y`, fill at `x`.
     */
    raster?: true;
}
export interface TileSizes {
    x: number;
    y: number;
    zo: number;
    zi: number;
}
export interface SegmentSchedule {
    /** Layer names in topological order; the last one's output leaves the segment. */
    layers: string[];
    /** Tile sizes over the last layer's output (x, y, output channels) and its reduction (zi). */
    tile: TileSizes;
    /** The tile loops, outermost first. */
    order: [LoopName, LoopName, LoopName, LoopName];
    /** Levels per buffer id (see bufferIds in segment.ts). */
    buffers: Record<string, BufferLevels>;
    /**
     * Warm-up iterations of spatial loops: such a loop starts at -W, and its dimension gets virtual
     * coordinates below 0 (docs/execution-model.md, "Warm-up loops"). Absent: none.
     */
    warmup?: Warmup;
    /**
     * Vertical strips: the last layer's output columns in strips of `x`; the four loops run once per
     * strip, every buffer starting empty but weights stored at root (docs/execution-model.md,
     * "Strips"). Absent: one strip.
     */
    strips?: Strips;
}
export interface Strips {
    x: number;
}
/** The column ranges of the strips of a segment whose last layer's output is `width` wide. */
export declare function stripRanges(s: SegmentSchedule, width: number): {
    lo: number;
    hi: number;
}[];
export declare const warmupLoops: readonly ['x', 'y'];
export type WarmupLoop = (typeof warmupLoops)[number];
export type Warmup = Partial<Record<WarmupLoop, number>>;
/** Warm-up iterations of a loop (0 without). */
export declare function warmupOf(s: SegmentSchedule, l: LoopName): number;
export interface NetworkSchedule {
    format: typeof scheduleFormat;
    version: typeof scheduleVersion;
    network: string;
    elementBytes: ElementBytes;
    segments: SegmentSchedule[];
}
export declare const scheduleFormat = "memsched.schedule";
export declare const scheduleVersion = 1;
/** Position of a level in the nest: root 0, order[0] 1, ..., order[3] 4. */
export declare function levelDepth(order: readonly LoopName[], level: Level): number;
/** The level at a depth: 0 root, 1..4 the loops of the order. */
export declare function levelAt(order: readonly LoopName[], depth: number): Level;
