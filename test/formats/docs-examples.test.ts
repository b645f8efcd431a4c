// Every JSON example in docs/ is a file memsched accepts, read by the format's own reader and checked
// against the zoo network it names as `eval` and `report` check it: the docs may show neither a file the
// tool rejects nor a number its model does not predict.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frontFileOfJson, frontOfJson, scheduleOfPoint } from '../../src/formats/front.js';
import { parseSchedule } from '../../src/formats/schedule.js';
import type { VerifyFile } from '../../src/formats/verify.js';
import { parseVerify } from '../../src/formats/verify.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { networkStats } from '../../src/ir/stats.js';
import { baselineSchedule, evaluateSchedule } from '../../src/model/evaluate.js';
import type { NetworkSchedule } from '../../src/model/schedule.js';
import { repo } from '../cli/helpers.js';

const docs = resolve(repo, 'docs');

interface Example {
  file: string;
  index: number;
  text: string;
  format: unknown;
}

function jsonExamples(): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
    const blocks = readFileSync(resolve(docs, file), 'utf8')
      .split(/^```json\n/m)
      .slice(1);
    blocks.forEach((b, index) => {
      const text = b.split(/^```$/m)[0]!;
      out.push({ file, index, text, format: (JSON.parse(text) as { format?: unknown }).format });
    });
  }
  return out;
}

const examples = jsonExamples();
const schedules = examples.filter((e) => e.format === 'memsched.schedule').map((e) => parseSchedule(e.text));

/** The verify file's predictions and measurements of a schedule, against the model's predictions. */
function expectVerifiedAsPredicted(v: VerifyFile, sched: NetworkSchedule): void {
  const predicted = evaluateSchedule(loadNetwork(`zoo:${v.network}`), sched);
  const point = v.points[0]!;
  expect(point.ok).toBe(true);
  expect(point.mismatches).toEqual([]);
  expect(point.macs).toEqual({ predicted: predicted.macs, measured: predicted.macs });
  expect(point.scratchpadBytes).toEqual({
    predicted: predicted.onChipBytes,
    measured: predicted.onChipBytes,
  });
  const buffers = predicted.segments.flatMap((s, segment) =>
    s.buffers.map((b) => ({
      buffer: b.id,
      tensor: b.tensor,
      role: b.role,
      segment,
      predictedReads: b.dramReads,
      measuredReads: b.dramReads,
      predictedWrites: b.dramWrites,
      measuredWrites: b.dramWrites,
      predictedFilled: b.filled,
      measuredFilled: b.filled,
      predictedExtents: b.extents,
      measuredExtents: b.extents,
      predictedBytes: b.bytes,
      measuredBytes: b.bytes,
    })),
  );
  expect(point.tensors).toEqual(buffers);
}

/** A front file's points, baseline and lower bound, as the model predicts them. */
function expectFrontAsPredicted(text: string): void {
  const f = frontFileOfJson(frontOfJson(JSON.parse(text)));
  const net = loadNetwork(`zoo:${f.network}`);
  f.front.forEach((p, i) => {
    const r = evaluateSchedule(net, scheduleOfPoint(p, i));
    expect([p.bytes, p.accesses, p.macs, p.segments]).toEqual([
      r.onChipBytes,
      r.dramAccesses,
      r.macs,
      r.segments.length,
    ]);
  });
  const base = evaluateSchedule(net, baselineSchedule(net, f.elementBytes));
  expect(f.baseline).toEqual({ bytes: base.onChipBytes, accesses: base.dramAccesses, macs: base.macs });
  const stats = networkStats(net);
  const outputs = net.layers.filter((l) => net.outputs.includes(l.name));
  expect(f.lowerBound.accesses).toBe(
    stats.inputElements +
      stats.parameters +
      outputs.reduce((n, l) => n + l.shape.c * l.shape.h * l.shape.w, 0),
  );
  // the chosen point: the one with the fewest accesses within the budget
  const within = f.front.filter((p) => p.bytes <= f.budgetBytes!);
  expect(f.front[f.chosen!]).toBe(within.at(-1));
}

describe('the JSON examples in docs/', () => {
  it('are found: a schedule, a front and a verify file', () => {
    expect(examples.map((e) => e.format).sort()).toEqual([
      'memsched.front',
      'memsched.schedule',
      'memsched.verify',
    ]);
  });

  for (const e of examples)
    it(`${e.file} example ${e.index + 1} is accepted, with the model's numbers`, () => {
      if (e.format === 'memsched.schedule') {
        const sched = parseSchedule(e.text);
        // a whole schedule of the network, checked and evaluated as eval does
        const r = evaluateSchedule(loadNetwork(`zoo:${sched.network}`), sched);
        expect(r.segments.length).toBe(sched.segments.length);
        expect(r.dramAccesses).toBeGreaterThan(0);
        return;
      }
      if (e.format === 'memsched.front') {
        expectFrontAsPredicted(e.text);
        return;
      }
      expect(e.format).toBe('memsched.verify');
      // the report's reader, then every field the verify command writes
      expect(parseVerify(e.text).points.length).toBe(1);
      const v = JSON.parse(e.text) as VerifyFile;
      expect(v.points[0]!.point).toBeNull();
      // a verify of a schedule file: the docs' schedule of its network and width
      const of = schedules.filter((s) => s.network === v.network && s.elementBytes === v.elementBytes);
      expect(of.length).toBe(1);
      expectVerifiedAsPredicted(v, of[0]!);
    });
});
