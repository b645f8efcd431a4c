// The verify file (`memsched.verify`, written by `memsched verify`, read by the HTML report): per point,
// what the generated program measured against what the model predicted. docs/verify-format.md documents it.
// A reader checks the fields it shows; a bad file is one line naming the field. A measurement that could
// not be made (a program that failed) is null.

import { InputError } from '../ir/errors.js';
import type { ElementBytes } from '../model/schedule.js';
import { jsonErrorText, valueText } from './json.js';

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
  /** Reads that did not find their element in its slot of the scratchpad; null: not checked (Halide). */
  conflicts: number | null;
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

/** A verify file's text, as memsched verify writes it. */
export const verifyFileText = (file: VerifyFile) => `${JSON.stringify(file, null, 1)}\n`;

/** What a reader (the HTML report) takes of a buffer's traffic. */
export type VerifyTensorRead = Pick<
  VerifyTensor,
  'buffer' | 'tensor' | 'predictedReads' | 'measuredReads' | 'predictedWrites' | 'measuredWrites'
>;

/** What a reader takes of a point: a measured one, or one whose program failed. */
export type VerifyPointRead =
  | (Omit<MeasuredPoint, 'tensors' | 'conflicts'> & { tensors: VerifyTensorRead[] })
  | Omit<FailedPoint, 'conflicts'>;

/** What a reader takes of a verify file: the fields the HTML report shows, each checked. */
export interface VerifyFileRead extends Omit<VerifyFile, 'points' | 'tolerance' | 'build'> {
  points: VerifyPointRead[];
}

function fail(path: string, message: string): never {
  throw new InputError(`${path}: ${message}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, unknown>;
}

/** A value for an error message, whatever its size and nesting. */
const shown = (v: unknown) => (v === undefined ? 'nothing' : valueText(v));

const field = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function number(o: Record<string, unknown>, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(field(path, key), `expected a number >= 0, got ${shown(v)}`);
  return v;
}

/** An output error: null when an output was not a number. */
function outputError(o: Record<string, unknown>, key: string, path: string): number | null {
  return o[key] === null ? null : number(o, key, path);
}

function string(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(field(path, key), `expected a string, got ${shown(v)}`);
  return v;
}

function pair(o: Record<string, unknown>, key: string, path: string): Measured {
  const p = object(o[key], `${path}.${key}`);
  return {
    predicted: number(p, 'predicted', `${path}.${key}`),
    measured: number(p, 'measured', `${path}.${key}`),
  };
}

function parsePoint(v: unknown, path: string): VerifyPointRead {
  const o = object(v, path);
  const point = o['point'];
  if (point !== null && (typeof point !== 'number' || !Number.isInteger(point) || point < 0))
    fail(`${path}.point`, `expected a point number or null, got ${shown(point)}`);
  if (typeof o['ok'] !== 'boolean') fail(`${path}.ok`, 'expected true or false');
  const mismatches = o['mismatches'] ?? [];
  if (!Array.isArray(mismatches) || mismatches.some((m) => typeof m !== 'string'))
    fail(`${path}.mismatches`, 'expected a list of strings');
  const error = o['error'];
  const common = {
    point,
    buildSeconds: number(o, 'buildSeconds', path),
    runSeconds: number(o, 'runSeconds', path),
    mismatches: mismatches as string[],
  };
  const predicted = (key: string) => {
    const p = object(o[key], `${path}.${key}`);
    return { predicted: number(p, 'predicted', `${path}.${key}`), measured: null };
  };
  // a program that could not be built or run measured nothing
  if (error !== undefined) {
    if (typeof error !== 'string') fail(`${path}.error`, 'expected a string');
    return {
      ...common,
      ok: false,
      output: { maxAbsError: null, maxRelError: null },
      tensors: [],
      macs: predicted('macs'),
      scratchpadBytes: predicted('scratchpadBytes'),
      error,
    };
  }
  const out = object(o['output'], `${path}.output`);
  const tensors = o['tensors'];
  if (!Array.isArray(tensors)) fail(`${path}.tensors`, 'expected a list');
  return {
    ...common,
    ok: o['ok'],
    output: {
      maxAbsError: outputError(out, 'maxAbsError', `${path}.output`),
      maxRelError: outputError(out, 'maxRelError', `${path}.output`),
    },
    tensors: tensors.map((t, i) => {
      const p = `${path}.tensors[${i}]`;
      const r = object(t, p);
      return {
        buffer: string(r, 'buffer', p),
        tensor: string(r, 'tensor', p),
        predictedReads: number(r, 'predictedReads', p),
        measuredReads: number(r, 'measuredReads', p),
        predictedWrites: number(r, 'predictedWrites', p),
        measuredWrites: number(r, 'measuredWrites', p),
      };
    }),
    macs: pair(o, 'macs', path),
    scratchpadBytes: pair(o, 'scratchpadBytes', path),
  };
}

/** Parses a verify file's text; errors name the field (the caller adds the file). */
export function parseVerify(text: string): VerifyFileRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not a verify file (not JSON: ${jsonErrorText(e)})`);
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as Record<string, unknown>)['format'] !== verifyFormat
  )
    throw new InputError(`not a verify file (format '${verifyFormat}', written by memsched verify)`);
  const o = json as Record<string, unknown>;
  if (o['version'] !== 1) fail('version', `expected 1, got ${shown(o['version'])}`);
  const w = o['elementBytes'];
  if (w !== 1 && w !== 2 && w !== 4) fail('elementBytes', `expected 1, 2 or 4, got ${shown(w)}`);
  const points = o['points'];
  if (!Array.isArray(points)) fail('points', 'expected a list');
  return {
    format: verifyFormat,
    version: 1,
    network: string(o, 'network', ''),
    elementBytes: w,
    points: points.map((p, i) => parsePoint(p, `points[${i}]`)),
  };
}
