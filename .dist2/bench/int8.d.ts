export interface Int8Bench {
    network: string;
    model: string;
    budget: string;
    maxRecompute: number;
    /** The retiled point's innermost steps, on-chip bytes at 4 bytes an element (int8 holds a quarter), accesses, MACs. */
    steps: number;
    pointBytes: number;
    predictedAccesses: number;
    macs: number;
    /** Partial sums the point moves through DRAM (int32 in the int8 build). */
    dramPartials: number;
    runs: number;
    floatMs: number;
    int8Ms: number;
    ortMs: number;
    /** Medians: int8 over float, int8 over ONNX Runtime. */
    int8OverFloat: number;
    int8OverOrt: number;
    /** int8: every output element equal to the int8 reference's; the difference to the float reference. */
    exact: boolean;
    floatDifference: number;
    /** The int8 counting build's reads, writes, filled elements and MACs equal the model's. */
    countsEqual: boolean;
}
export declare function int8Bench(models?: string[], rounds?: number, runs?: number, onResult?: (r: Int8Bench) => void): Promise<Int8Bench[]>;
export declare function int8SummaryLine(r: Int8Bench): string;
