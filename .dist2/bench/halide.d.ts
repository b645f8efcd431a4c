export declare const halideBudgets: {
    readonly '256KiB': number;
    readonly '4MiB': number;
};
export interface HalideBenchPoint {
    budget: keyof typeof halideBudgets;
    /** Index in the explored front; the model's prediction of the schedule run (bytes, accesses in elements, MACs). */
    point: number;
    /** The front point's schedule, or the point retiled within the budget (larger tiles, no more traffic). */
    schedule: 'point' | 'retiled';
    /** Innermost loop steps of the schedule run. */
    steps: number;
    bytes: number;
    accesses: number;
    macs: number;
    segments: number;
    /** Better points within the budget that the backend refuses (their reasons): none when it took the best. */
    refusedBetter: string[];
    /** Store levels the backend moved (see generateHalide's notes). */
    notes: number;
    /** Segments with a feature whose counts may differ from the model (halideInexact). */
    inexactSegments: number;
    buildSeconds: number;
    runs: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
    /** max |Halide - reference| / max |reference|; within 1e-4 or the point is marked failed. */
    relativeDifference: number;
    ok: boolean;
    ortMedianMs: number | null;
    /** medianMs / ortMedianMs: below 1 is faster than ONNX Runtime. */
    ratio: number | null;
}
export interface HalideBenchResult {
    network: string;
    model: string;
    weights: 'own' | 'seeded';
    frontPoints: number;
    exploreSeconds: number;
    points: HalideBenchPoint[];
}
export declare function halideBench(models?: string[], runs?: number): Promise<HalideBenchResult[]>;
export declare function halideSummaryLines(r: HalideBenchResult): string[];
