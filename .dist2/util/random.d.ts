/** A small deterministic generator (mulberry32), so every random case can be replayed from its seed. */
export declare function rng(seed: number): () => number;
export declare function randomInt(r: () => number, lo: number, hi: number): number;
