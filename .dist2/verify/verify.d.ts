import type { FailedPoint, VerifyPoint, VerifyTensor } from '../formats/verify.js';
import type { Network } from '../ir/network.js';
import type { BufferResult } from '../model/result.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Int8Network } from '../reference/int8.js';
import type { Tensor } from '../reference/layers.js';
/** Seeded inputs in [0, 1) for networks verified without a given input. */
/** What a backend measured of one buffer: elements read from and written to DRAM, and made present. */
export interface MeasuredCounts {
    reads: number;
    writes: number;
    filled: number;
}
/**
 * A buffer's predicted and measured counts as the verify formats record them, and a mismatch line per
 * count that differs (prefixed with `where`; `delta`: with the signed difference).
 */
export declare function comparedCounts(b: BufferResult, segment: number, m: MeasuredCounts, mismatches: string[], where?: string, delta?: boolean): Pick<VerifyTensor, 'buffer' | 'tensor' | 'role' | 'segment' | 'predictedReads' | 'measuredReads' | 'predictedWrites' | 'measuredWrites' | 'predictedFilled' | 'measuredFilled'>;
export declare function defaultInputs(net: Network): Tensor[];
/** What every point of one network shares: its weights and input files and the expected outputs. */
export interface VerifySession {
    net: Network;
    dir: string;
    weightsFile: string;
    inputFile: string;
    expected: Tensor[];
    /** Whether `dir` was made here (and is removed by closeSession). */
    ownDir: boolean;
    /**
     * The int8 release build's session (int8Session): weightsFile holds the int8 weights, expected the
     * int8 reference's outputs (dequantised), which the program must equal exactly; float: the float
     * reference's, to say what quantisation costs.
     */
    int8?: {
        network: Int8Network;
        float: Tensor[];
    };
}
/**
 * The session for the int8 release build: the network quantised on `calibration` (docs/int8.md), its
 * int8 weights beside the float ones, and the int8 reference's outputs on the session's input.
 */
export declare function int8Session(session: VerifySession, inputs: Tensor[], calibration: Tensor[]): Promise<VerifySession>;
export interface SessionOptions {
    /** Where the shared files go (kept by closeSession); a new temporary folder otherwise. */
    dir?: string;
    /** Progress of the reference inference: layers done and their number. */
    onLayer?: (done: number, total: number) => void;
}
/**
 * `net` must carry weights (runnableNetwork); `inputs` one tensor per network input. The reference
 * inference runs before any file is written, so a run interrupted during it leaves nothing behind.
 */
export declare function openSession(net: Network, inputs: Tensor[], options?: SessionOptions): Promise<VerifySession>;
export declare function closeSession(s: VerifySession): void;
export interface VerifyOptions {
    /** Build with AddressSanitizer and UBSan. */
    sanitize?: boolean;
    /** More compiler arguments (e.g. -DMEMSCHED_NO_VECTORS). */
    extraFlags?: string[];
    /** Keep the program's folder (source, executable, output) instead of removing it. */
    keep?: boolean;
    /** Called with the program's outputs (network outputs in order). */
    onOutputs?: (outputs: Tensor[]) => void;
}
/** A point that could not be built or run. */
export declare function failedPoint(predicted: {
    macs: number;
    onChipBytes: number;
}, point: number | null, error: string, buildSeconds?: number, runSeconds?: number): FailedPoint;
/**
 * A program's outputs against the reference inference: the largest absolute and relative errors (null
 * when not a number), and one line per output beyond the tolerance.
 */
export declare function compareOutputs(outputs: Tensor[], expected: Tensor[], names: string[], 
/** Every element equal (the int8 build against the int8 reference), not within the tolerance. */
exact?: boolean): {
    maxAbsError: number | null;
    maxRelError: number | null;
    mismatches: string[];
};
/**
 * Generates, builds and runs one schedule, without blocking, so that several points build and run at
 * once. It never rejects for a failing build or run (see `error`); aborting `signal` kills the compiler
 * or the program and rejects (nothing is judged), as does a compiler or program stopped by SIGINT or
 * SIGTERM (InterruptedError).
 */
export declare function verifySchedule(session: VerifySession, sched: NetworkSchedule, point: number | null, options?: VerifyOptions & {
    signal?: AbortSignal;
}): Promise<VerifyPoint>;
