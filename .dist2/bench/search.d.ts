import type { SpaceName } from '../dse/space.js';
export interface SearchResult {
    /** The segment's layers, joined by '+'. */
    layer: string;
    dims: string;
    space: SpaceName;
    seconds: number;
    frontPoints: number;
    /** The front's ends: the smallest on-chip bytes and the fewest DRAM accesses (1-byte elements). */
    smallest: {
        bytes: number;
        accesses: number;
    };
    fewest: {
        bytes: number;
        accesses: number;
    };
}
export declare function searchSpeed(): SearchResult[];
