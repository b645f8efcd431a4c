// Verify files (`memsched.verify`, written by `memsched verify`): measured against predicted traffic of
// generated code, read for the HTML report. The fields the report shows are checked; a bad file is one
// line naming the field. A measurement that could not be made (a program that failed) is null.

import type {
  FailedPoint,
  Measured,
  MeasuredPoint,
  VerifyFile as WrittenFile,
  VerifyTensor as WrittenTensor,
} from '../formats/verify.js';
import { verifyFormat } from '../formats/verify.js';
import { InputError } from '../ir/errors.js';
import { valueText } from '../model/validate.js';

/** What the report shows of a buffer's traffic. */
export type VerifyTensor = Pick<
  WrittenTensor,
  'buffer' | 'tensor' | 'predictedReads' | 'measuredReads' | 'predictedWrites' | 'measuredWrites'
>;

/** What the report shows of a point: a measured one, or one whose program failed. */
export type VerifyPoint =
  | (Omit<MeasuredPoint, 'tensors' | 'conflicts'> & { tensors: VerifyTensor[] })
  | Omit<FailedPoint, 'conflicts'>;

export interface VerifyFile extends Omit<WrittenFile, 'points' | 'tolerance' | 'build'> {
  points: VerifyPoint[];
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

function parsePoint(v: unknown, path: string): VerifyPoint {
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
export function parseVerify(text: string): VerifyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not a verify file (not JSON: ${(e as Error).message})`);
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
