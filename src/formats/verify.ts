// The verify file (`memsched.verify`, written by `memsched verify`, read by the HTML report): per point,
// what the generated program measured against what the model predicted. docs/verify-format.md documents it.

import type { ElementBytes } from '../model/schedule.js';

export const verifyFormat = 'memsched.verify';

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
  output: { maxAbsError: number | null; maxRelError: number | null };
  tensors: VerifyTensor[];
  macs: Measured;
  scratchpadBytes: Measured;
  /** Reads that did not find their element in its slot of the scratchpad. */
  conflicts: number;
  error?: undefined;
}

/** A program that could not be built or run: nothing is measured. */
export interface FailedPoint extends PointCommon {
  ok: false;
  output: { maxAbsError: null; maxRelError: null };
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
