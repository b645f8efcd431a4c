export interface Point<T> {
    bytes: number;
    accesses: number;
    /** Tie-break among equal (bytes, accesses): fewer MACs win. */
    macs: number;
    item: T;
}
/**
 * The points no other point dominates (no more bytes and no more accesses, one strictly fewer), sorted
 * by bytes ascending (so accesses descending). Among equal (bytes, accesses) the fewest MACs stays;
 * further ties keep the earliest point, so the result does not depend on anything but the input order.
 */
export declare function paretoFront<T>(points: Iterable<Point<T>>): Point<T>[];
/** For a budget, the point with the fewest accesses within it (fronts are sorted by bytes). */
export declare function bestWithin<P extends {
    bytes: number;
}>(front: P[], budget: number): P | undefined;
/**
 * A Pareto staircase of (bytes, accesses) for fast dominance tests: points sorted by bytes ascending,
 * accesses strictly descending.
 */
export declare class Staircase {
    private bytes;
    private accesses;
    size: number;
    /** The index of the last point with no more than `bytes` (the fewest accesses of those), or -1. */
    private lastWithin;
    /** Whether some point has no more bytes and no more accesses. */
    dominates(bytes: number, accesses: number): boolean;
    /** Whether some point has no more bytes and no more accesses, and fewer of one of them. */
    dominatesStrictly(bytes: number, accesses: number): boolean;
    /** Adds a point unless it is dominated (then returns false), dropping the points it dominates. */
    add(bytes: number, accesses: number): boolean;
}
