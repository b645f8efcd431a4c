import type { ElementBytes } from '../model/schedule.js';
export declare const verifyFormat = "memsched.verify";
export interface VerifyTensor {
    /** Buffer id as in the schedule file. */
    buffer: string;
    tensor: string;
    role: string;
    segment: number;
    predictedReads: number;
    measuredReads: number;
    predictedWrites: number;
    measuredWrites: number;
    /** Elements made present (loaded, computed or brought in). */
    predictedFilled: number;
    measuredFilled: number;
    /** Storage box per dimension: predicted, and the largest span the run kept on chip at once. */
    predictedExtents: number[];
    measuredExtents: number[];
    predictedBytes: number;
    measuredBytes: number;
}
/** A predicted number and its measurement. */
export interface Measured<M = number> {
    predicted: number;
    measured: M;
}
interface PointCommon {
    /** Index in the front file; null for a single schedule file. */
    point: number | null;
    buildSeconds: number;
    runSeconds: number;
    /** Every number that differs, as `what: measured M, predicted P`; and the output error if too large. */
    mismatches: string[];
}
/** A program that was built and ran. An output error is null when an output is not a number. */
export interface MeasuredPoint extends PointCommon {
    ok: boolean;
    output: {
        maxAbsError: number | null;
        maxRelError: number | null;
    };
    tensors: VerifyTensor[];
    macs: Measured;
    scratchpadBytes: Measured;
    /** Reads that did not find their element in its slot of the scratchpad; null: not checked (Halide). */
    conflicts: number | null;
    error?: undefined;
}
/** A program that could not be built or run: nothing is measured. */
export interface FailedPoint extends PointCommon {
    ok: false;
    output: {
        maxAbsError: null;
        maxRelError: null;
    };
    tensors: [];
    macs: Measured<null>;
    scratchpadBytes: Measured<null>;
    conflicts: null;
    error: string;
}
export type VerifyPoint = MeasuredPoint | FailedPoint;
export interface VerifyFile {
    format: typeof verifyFormat;
    version: 1;
    network: string;
    elementBytes: ElementBytes;
    tolerance: number;
    /** The compiler command every point was built with (NET.c to NET). */
    build: string;
    points: VerifyPoint[];
}
/** A verify file's text, as memsched verify writes it. */
export declare const verifyFileText: (file: VerifyFile) => string;
/** What a reader (the HTML report) takes of a buffer's traffic. */
export type VerifyTensorRead = Pick<VerifyTensor, 'buffer' | 'tensor' | 'predictedReads' | 'measuredReads' | 'predictedWrites' | 'measuredWrites'>;
/** What a reader takes of a point: a measured one, or one whose program failed. */
export type VerifyPointRead = (Omit<MeasuredPoint, 'tensors' | 'conflicts'> & {
    tensors: VerifyTensorRead[];
}) | Omit<FailedPoint, 'conflicts'>;
/** What a reader takes of a verify file: the fields the HTML report shows, each checked. */
export interface VerifyFileRead extends Omit<VerifyFile, 'points' | 'tolerance' | 'build'> {
    points: VerifyPointRead[];
}
/** Parses a verify file's text; errors name the field (the caller adds the file). */
export declare function parseVerify(text: string): VerifyFileRead;
export {};
