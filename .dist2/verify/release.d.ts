import type { VerifyTensor } from '../formats/verify.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { VerifySession } from './verify.js';
/** The flag that makes a release program count (its default build has no counters). */
export declare const countFlag = "-DMEMSCHED_COUNT";
/** A buffer's counts as the verify format has them, without storage (the release build measures none). */
export interface ReleaseTensor extends Omit<VerifyTensor, 'predictedExtents' | 'measuredExtents' | 'predictedBytes' | 'measuredBytes'> {
    /**
     * Demanded elements the release build's presence took as present that were not (checked element by
     * element in the counting build; 0 where its presence is exact).
     */
    missing: number;
}
export interface ReleasePoint {
    point: number | null;
    ok: boolean;
    /** Against the reference inference (the int8 build: the int8 reference's, which it must equal exactly). */
    output: {
        maxAbsError: number | null;
        maxRelError: number | null;
    };
    /** The int8 build: its outputs' largest difference to the float reference, relative to its largest value. */
    floatDifference?: number;
    tensors: ReleaseTensor[];
    macs: {
        predicted: number;
        measured: number | null;
    };
    buildSeconds: number;
    runSeconds: number;
    mismatches: string[];
    error?: string;
}
export interface ReleaseVerifyOptions {
    /** More compiler arguments after memsched's (e.g. -O3 -march=native). */
    extraFlags?: string[];
    keep?: boolean;
    signal?: AbortSignal;
}
/**
 * Generates the release build of one schedule, builds it counting (-DMEMSCHED_COUNT), runs it and
 * judges it. Never rejects for a failing build or run (see `error`); aborting `signal` rejects.
 */
export declare function verifyRelease(session: VerifySession, sched: NetworkSchedule, point: number | null, options?: ReleaseVerifyOptions): Promise<ReleasePoint>;
