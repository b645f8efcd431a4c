import { describe, expect, it } from 'vitest';
import { explore } from '../../src/dse/explore.js';
import type { FrontFile } from '../../src/formats/front.js';
import type { VerifyFileRead } from '../../src/formats/verify.js';
import { parseVerify } from '../../src/formats/verify.js';
import { InputError } from '../../src/ir/errors.js';
import { evaluateSchedule } from '../../src/model/evaluate.js';
import type { ReportBody, ReportData } from '../../src/report/html-data.js';
import { checkVerify, FrontEvaluation, reportData } from '../../src/report/html-data.js';
import { pool } from '../layers.js';
import { conv, net } from '../model/fixtures.js';

const n = net({ c: 3, h: 12, w: 12 }, [conv('a', 'in', 4, 3), conv('b', 'a', 6, 1), pool('p', 'b')]);
const result = await explore(n, { space: 'full', elementBytes: 2, threads: 1 });
const front: FrontFile = { format: 'memsched.front', version: 1, ...result };

/** The page's reading of the data, written again here: point i's segments with their numbers. */
function decode(data: ReportData) {
  const lists: [number, number][][] = [];
  let previous: [number, number][] = [];
  for (const p of data.points) {
    const code = p[4];
    const parts: [number, number][] = p[3] === 0 ? [] : [...previous];
    if (p[3] === 0) for (let k = 0; k < code.length; k += 2) parts.push([code[k]!, code[k + 1]!]);
    else for (let k = 0; k < code.length; k += 3) parts[code[k]!] = [code[k + 1]!, code[k + 2]!];
    lists.push(parts);
    previous = parts;
  }
  return lists.map((parts) =>
    parts.map(([s, b]) => {
      const st = data.structs[s]!;
      const body = data.bodies[b]! as ReportBody;
      let k = 10;
      const buffers = st.buffers.map(([id]) => {
        const e = body[k] as number;
        const extents = body.slice(k + 1, k + 1 + e);
        const [bytes, filled, dramReads, dramWrites] = body.slice(k + 1 + e, k + 5 + e);
        k += 5 + e;
        return { id, extents, bytes, filled, dramReads, dramWrites };
      });
      return {
        layers: st.layers.map((i) => data.layers[i]),
        tile: { x: body[0], y: body[1], zo: body[2], zi: body[3] },
        onChipBytes: body[6],
        dramReads: body[7],
        dramWrites: body[8],
        macs: body[9],
        buffers,
      };
    }),
  );
}

describe('the report data', () => {
  const evaluation = new FrontEvaluation(n, front);
  const data = reportData(n, front, evaluation);

  it('holds every point of the front, each segment with the predictions of evaluateSchedule', () => {
    expect(front.front.length).toBeGreaterThan(5);
    const decoded = decode(data);
    expect(decoded).toHaveLength(front.front.length);
    front.front.forEach((p, i) => {
      const expected = evaluateSchedule(n, p.schedule);
      expect(data.points[i]!.slice(0, 3)).toEqual([p.bytes, p.accesses, p.macs]);
      expect(decoded[i]!.map((s) => s.layers)).toEqual(p.schedule.segments.map((s) => s.layers));
      expect(decoded[i]!.map((s) => s.tile)).toEqual(p.schedule.segments.map((s) => s.tile));
      decoded[i]!.forEach((s, k) => {
        const r = expected.segments[k]!;
        expect([s.onChipBytes, s.dramReads, s.dramWrites, s.macs]).toEqual([
          r.onChipBytes,
          r.dramReads,
          r.dramWrites,
          r.macs,
        ]);
        expect(s.buffers).toEqual(
          r.buffers.map((b) => ({
            id: b.id,
            extents: b.extents,
            bytes: b.bytes,
            filled: b.filled,
            dramReads: b.dramReads,
            dramWrites: b.dramWrites,
          })),
        );
      });
    });
  });

  it('shares segment schedules between points and encodes points as changes', () => {
    const pairs = front.front.length * 3;
    expect(data.bodies.length).toBeLessThan(pairs);
    // a point is listed whole where its number of segments differs from the point before, else as changes
    data.points.forEach((p, i) => {
      const same = i > 0 && front.front[i]!.segments === front.front[i - 1]!.segments;
      expect(p[3]).toBe(same ? 1 : 0);
    });
    expect(data.points.filter((p) => p[3] === 1).length).toBeGreaterThan(front.front.length / 2);
    expect(data.selected).toBe(front.front.length - 1);
    expect(data.network.name).toBe('test');
  });

  it('holds the least MACs every recompute factor is over, also for front files that do not record it', () => {
    // the network's two convolutions, every element computed once (the pooling computes no MACs)
    const least = 12 * 12 * 4 * 3 * 3 * 3 + 12 * 12 * 6 * 4;
    expect(front.baseline.macs).toBe(least);
    expect(data.leastMacs).toBe(least);
    const { macs: _, ...older } = front.baseline;
    const old = { ...front, baseline: older };
    expect(reportData(n, old, new FrontEvaluation(n, old)).leastMacs).toBe(least);
    // a file whose least MACs are not the model's is stale
    const stale = { ...front, baseline: { ...front.baseline, macs: least + 1 } };
    expect(() => new FrontEvaluation(n, stale)).toThrow(
      `baseline.macs: the file says ${least + 1}; the model predicts ${least} (a stale front file? explore again)`,
    );
    // no point computes less
    expect(data.points.every((p) => p[2] >= least)).toBe(true);
  });

  it('refuses a front of another network, a stale point, or a schedule that does not fit', () => {
    const refuse = (f: FrontFile, message: RegExp) => {
      expect(() => new FrontEvaluation(n, f)).toThrow(InputError);
      expect(() => new FrontEvaluation(n, f)).toThrow(message);
    };
    refuse({ ...front, network: 'other' }, /^the front is of network 'other', not 'test'$/);
    const points = structuredClone(front.front);
    points[2]!.accesses += 1;
    refuse({ ...front, front: points }, /^point 2: the file says .* the model predicts .*stale front file/);
    const bad = structuredClone(front.front);
    bad[3]!.schedule.segments[0]!.tile.x = 99;
    refuse({ ...front, front: bad }, /^point 3: segments\[0\]\.tile\.x: 99 is outside 1\.\.12/);
  });
});

const verifyFile = (points: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'memsched.verify',
    version: 1,
    network: 'test',
    elementBytes: 2,
    points,
    ...extra,
  });
const goodPoint = {
  point: 1,
  ok: true,
  output: { maxAbsError: 0, maxRelError: 0 },
  tensors: [
    {
      buffer: 'in@a',
      tensor: 'in',
      predictedReads: 10,
      measuredReads: 10,
      predictedWrites: 0,
      measuredWrites: 0,
    },
  ],
  macs: { predicted: 5, measured: 5 },
  scratchpadBytes: { predicted: 64, measured: 64 },
  buildSeconds: 0.5,
  runSeconds: 0.01,
};

describe('verify files', () => {
  it('reads the fields the report shows, and null for what a failed program did not measure', () => {
    // memsched verify writes more than the report reads (here: conflicts)
    const failed = {
      ...goodPoint,
      point: null,
      ok: false,
      output: { maxAbsError: null, maxRelError: null },
      tensors: [],
      macs: { predicted: 5, measured: null },
      scratchpadBytes: { predicted: 64, measured: null },
      conflicts: null,
      mismatches: ['the build failed'],
      error: 'cc: exit code 1',
    };
    const v = parseVerify(verifyFile([{ ...goodPoint, conflicts: 0 }, failed]));
    const { conflicts: _, ...shown } = failed;
    expect(v.points).toEqual([{ ...goodPoint, mismatches: [] }, shown]);
    // a failed program's measurements are not read, whatever the file says
    const v2 = parseVerify(verifyFile([{ ...failed, macs: { predicted: 5, measured: 7 } }]));
    expect(v2.points[0]!.macs).toEqual({ predicted: 5, measured: null });
    // a program that ran with an output not a number
    const nan = { ...goodPoint, ok: false, output: { maxAbsError: null, maxRelError: null } };
    expect(parseVerify(verifyFile([nan])).points[0]!.output).toEqual({
      maxAbsError: null,
      maxRelError: null,
    });
    expect(v.elementBytes).toBe(2);
  });

  it('refuses a broken file with one line naming the field', () => {
    const refuse = (text: string, message: RegExp) => expect(() => parseVerify(text)).toThrow(message);
    refuse('{', /^not a verify file \(not JSON: /);
    refuse('{"format": "memsched.front"}', /^not a verify file \(format 'memsched.verify'/);
    refuse(verifyFile([], { version: 2 }), /^version: expected 1, got 2$/);
    refuse(verifyFile([], { elementBytes: 3 }), /^elementBytes: expected 1, 2 or 4, got 3$/);
    refuse(verifyFile([], { network: 7 }), /^network: expected a string, got 7$/);
    refuse(
      verifyFile([{ ...goodPoint, point: 1.5 }]),
      /^points\[0\]\.point: expected a point number or null, got 1\.5$/,
    );
    refuse(verifyFile([{ ...goodPoint, ok: 'yes' }]), /^points\[0\]\.ok: expected true or false$/);
    refuse(verifyFile([{ ...goodPoint, error: 3 }]), /^points\[0\]\.error: expected a string$/);
    refuse(
      verifyFile([{ ...goodPoint, mismatches: [1] }]),
      /^points\[0\]\.mismatches: expected a list of strings$/,
    );
    refuse(
      verifyFile([{ ...goodPoint, macs: { predicted: null, measured: 1 } }]),
      /^points\[0\]\.macs\.predicted: expected a number >= 0, got null$/,
    );
    const { measuredReads: _, ...noMeasured } = goodPoint.tensors[0]!;
    refuse(
      verifyFile([goodPoint, { ...goodPoint, tensors: [noMeasured] }]),
      /^points\[1\]\.tensors\[0\]\.measuredReads: expected a number >= 0, got nothing$/,
    );
    refuse(
      verifyFile([{ ...goodPoint, macs: { predicted: 5 } }]),
      /^points\[0\]\.macs\.measured: expected a number/,
    );
    refuse(
      verifyFile([{ ...goodPoint, runSeconds: -1 }]),
      /^points\[0\]\.runSeconds: expected a number >= 0, got -1$/,
    );
  });

  it('must be of the same network, element width and front', () => {
    const v = parseVerify(verifyFile([goodPoint])) as VerifyFileRead;
    expect(() => checkVerify(n, front, v)).not.toThrow();
    expect(() => checkVerify(n, front, { ...v, network: 'x' })).toThrow(
      /^network: the verify file is of 'x', not 'test'$/,
    );
    expect(() => checkVerify(n, front, { ...v, elementBytes: 1 })).toThrow(
      /^elementBytes: the verify file measured 1-byte elements, the front has 2-byte elements$/,
    );
    expect(() => checkVerify(n, front, { ...v, points: [{ ...v.points[0]!, point: 5000 }] })).toThrow(
      /^points\[0\]\.point: 5000 is not a point of the front \(0\.\.\d+\)$/,
    );
  });
});
