export interface SharedLevelsLoss {
    chain: string;
    dims: string;
    /** Seconds of each search (per-intermediate levels and every tile size; shared levels and ceil(D/n) sizes). */
    eachSeconds: number;
    sharedSeconds: number;
    eachPoints: number;
    sharedPoints: number;
    /** Points of the per-intermediate front the shared search reaches exactly (bytes and accesses). */
    matched: number;
    /** Points of the per-intermediate front with fewer bytes than any shared point. */
    unreached: number;
    /** Over the other points: the shared front's fewest accesses within the point's bytes, divided by its accesses. */
    worstRatio: number | null;
    medianRatio: number | null;
}
export declare function sharedLevelsLoss(): SharedLevelsLoss[];
