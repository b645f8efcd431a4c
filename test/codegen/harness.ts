// Helpers for the code generation tests: several random single-segment cases merged into one network
// (one program, one compile), running a schedule end to end, running a hand-edited program, and wide
// convolution chains (channels enough for the vector kernels).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult } from '../../src/codegen/build.js';
import { compileProgram, rawTensors, runProgram, writeProgram } from '../../src/codegen/build.js';
import type { CProgram } from '../../src/codegen/c.js';
import { runnableNetwork } from '../../src/codegen/c.js';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import type { MeasuredPoint } from '../../src/formats/verify.js';
import { buildNetwork, windowOutput } from '../../src/ir/build.js';
import type { Layer, LayerSpec, Network, Shape } from '../../src/ir/network.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import type { Tensor } from '../../src/reference/layers.js';
import { randomInt } from '../../src/util/random.js';
import type { ReleasePoint } from '../../src/verify/release.js';
import { verifyRelease } from '../../src/verify/release.js';
import type { VerifySession } from '../../src/verify/verify.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../../src/verify/verify.js';
import { conv } from '../layers.js';
import { randomSegmentNetwork } from '../model/random-network.js';

export interface Case {
  net: Network;
  schedule: SegmentSchedule;
}

/**
 * A random network forming one segment and a random schedule of it (`affine`: affine layers drawn
 * too; `draw`: another kind of random network; `options`: as randomSegmentSchedule draws schedules,
 * every intermediate at the same levels, warm-up loops, strips and raster line buffers drawn too). A schedule the check refuses (a DRAM
 * input read by several layers, without a closed form) is drawn again.
 */
export function randomCase(
  r: () => number,
  maxLayers: number,
  affine = false,
  draw: (r: () => number, maxLayers: number, affine: boolean) => Network = randomSegmentNetwork,
  options: { sharedIntermediates?: boolean; warmup?: boolean; stripsAndRaster?: boolean } = {},
): Case {
  const net = draw(r, maxLayers, affine);
  const seg = analyzeSegment(
    net,
    net.layers.map((l) => l.name),
  );
  for (;;) {
    const schedule = randomSegmentSchedule(
      seg,
      r,
      options.sharedIntermediates,
      options.warmup,
      options.stripsAndRaster,
    );
    try {
      checkSegmentSchedule(seg, schedule, 'segment');
      return { net, schedule };
    } catch {}
  }
}

function specOf(l: Layer, rename: (t: string) => string): LayerSpec {
  const { shape: _shape, ...spec } = l;
  return { ...spec, name: rename(l.name), inputs: l.inputs.map(rename) } as LayerSpec;
}

/** A network and a schedule of it (its segments). */
export interface NetworkCase {
  net: Network;
  segments: SegmentSchedule[];
}

/**
 * The networks side by side in one network (names prefixed `cN_`), their segments one after another. A
 * network declaring as outputs layers read inside it (intermediates its segments write to DRAM too)
 * keeps them: the merged network then declares every network's outputs.
 */
export function mergeNetworks(
  parts: NetworkCase[],
  elementBytes: ElementBytes,
): { net: Network; schedule: NetworkSchedule } {
  const inputs: Network['inputs'] = [];
  const specs: LayerSpec[] = [];
  const segments: SegmentSchedule[] = [];
  parts.forEach((c, i) => {
    const rename = (t: string) => `c${i}_${t}`;
    for (const t of c.net.inputs) inputs.push({ name: rename(t.name), shape: t.shape });
    for (const l of c.net.layers) specs.push(specOf(l, rename));
    for (const s of c.segments) {
      const buffers: SegmentSchedule['buffers'] = {};
      for (const [id, lv] of Object.entries(s.buffers)) {
        const renamed = id.includes('@')
          ? id.split('@').map(rename).join('@')
          : id.endsWith(':weights')
            ? `${rename(id.slice(0, -':weights'.length))}:weights`
            : rename(id);
        buffers[renamed] = lv;
      }
      segments.push({ ...s, layers: s.layers.map(rename), buffers });
    }
  });
  const read = (n: Network) => new Set(n.layers.flatMap((l) => l.inputs));
  const declared = parts.some((c) => c.net.outputs.some((o) => read(c.net).has(o)));
  const outputs = parts.flatMap((c, i) => c.net.outputs.map((o) => `c${i}_${o}`));
  return {
    net: buildNetwork('merged', inputs, specs, declared ? outputs : undefined),
    schedule: { format: scheduleFormat, version: scheduleVersion, network: 'merged', elementBytes, segments },
  };
}

/** The cases side by side in one network (names prefixed `cN_`), one segment each (mergeNetworks). */
export function mergeCases(
  cases: Case[],
  elementBytes: ElementBytes,
): { net: Network; schedule: NetworkSchedule } {
  return mergeNetworks(
    cases.map((c) => ({ net: c.net, segments: [c.schedule] })),
    elementBytes,
  );
}

/** Runs the cases as one program; fails with the cases' descriptions on any difference. */
export function verifyCases(
  cases: Case[],
  width: ElementBytes,
  sanitize = false,
  extraFlags: string[] = [],
): Promise<MeasuredPoint> {
  return runCases(cases, width, (session, schedule) =>
    verifySchedule(session, schedule, null, { sanitize, extraFlags }),
  ) as Promise<MeasuredPoint>;
}

/**
 * The cases merged into one network and schedule, run by `verify` (a build of it, checked); fails with
 * the descriptions of the cases its mismatches name.
 */
export async function runCases<V extends { ok: boolean; mismatches: string[]; error?: string }>(
  cases: Case[],
  width: ElementBytes,
  verify: (session: VerifySession, schedule: NetworkSchedule) => Promise<V>,
): Promise<V> {
  const { net, schedule } = mergeCases(cases, width);
  const n = runnableNetwork(net);
  const session = await openSession(n, defaultInputs(n));
  try {
    const v = await verify(session, schedule);
    if (!v.ok || v.error !== undefined) {
      const bad = new Set(v.mismatches.map((m) => Number(/c(\d+)_/.exec(m)?.[1] ?? -1)));
      const text = [...bad]
        .filter((i) => i >= 0)
        .map((i) => `case ${i}: ${JSON.stringify(cases[i]!.net)} ${JSON.stringify(cases[i]!.schedule)}`);
      throw new Error(`${v.mismatches.join('\n')}\n${v.error ?? ''}\n${text.join('\n')}`);
    }
    return v;
  } finally {
    closeSession(session);
  }
}

/** A chain of 1-3 convolutions (a pooling sometimes between), 1-40 channels, odd sizes. */
export function wideChain(r: () => number): Network {
  for (;;) {
    let s: Shape = { c: randomInt(r, 1, 40), h: randomInt(r, 5, 17), w: randomInt(r, 5, 17) };
    const input = { name: 'in', shape: s };
    const specs: LayerSpec[] = [];
    let x = 'in';
    const n = randomInt(r, 1, 3);
    for (let i = 0; i < n && s.h > 0 && s.w > 0; i++) {
      const name = `l${i}`;
      // a 2x2 pooling needs two rows and columns (the guard comes after the draw: earlier chains stay)
      if (i > 0 && r() < 0.15 && s.h > 1 && s.w > 1) {
        specs.push({
          kind: 'pool',
          name,
          inputs: [x],
          post: [],
          mode: 'max',
          kernel: [2, 2],
          stride: [2, 2],
          pads: { top: 0, left: 0, bottom: 0, right: 0 },
          ceilMode: true,
          countIncludePad: false,
          global: false,
        });
        s = { c: s.c, h: Math.ceil(s.h / 2), w: Math.ceil(s.w / 2) };
        x = name;
        continue;
      }
      const k: [number, number] = [randomInt(r, 1, 3), randomInt(r, 1, 3)];
      const stride: [number, number] = [r() < 0.25 ? 2 : 1, r() < 0.25 ? 2 : 1];
      const dilation: [number, number] = [r() < 0.15 ? 2 : 1, r() < 0.15 ? 2 : 1];
      const pads = {
        top: randomInt(r, 0, k[0] - 1),
        bottom: randomInt(r, 0, k[0] - 1),
        left: randomInt(r, 0, k[1] - 1),
        right: randomInt(r, 0, k[1] - 1),
      };
      let out = randomInt(r, 1, 40);
      let groups = 1;
      const mode = r();
      if (mode < 0.12) {
        groups = s.c;
        out = s.c;
      } else if (mode < 0.25) {
        const g = [2, 3, 4].filter((v) => s.c % v === 0);
        if (g.length > 0) {
          groups = g[randomInt(r, 0, g.length - 1)]!;
          out = groups * randomInt(r, 1, 8);
        }
      }
      const h = windowOutput(s.h, k[0], stride[0], dilation[0], pads.top, pads.bottom, false);
      const w = windowOutput(s.w, k[1], stride[1], dilation[1], pads.left, pads.right, false);
      if (h < 1 || w < 1) break;
      specs.push(
        conv(name, x, out, 1, {
          kernel: k,
          stride,
          dilation,
          pads,
          groups,
          hasBias: r() < 0.7,
          post: r() < 0.5 ? [{ op: 'relu' }] : [],
        }),
      );
      s = { c: out, h, w };
      x = name;
    }
    if (specs.length === 0) continue;
    return buildNetwork('wide', [input], specs);
  }
}

/** A random schedule of the whole network as one segment. */
export function wholeSegmentCase(net: Network, r: () => number): Case {
  const seg = analyzeSegment(
    net,
    net.layers.map((l) => l.name),
  );
  return { net, schedule: randomSegmentSchedule(seg, r) };
}

/** A wide convolution chain and a random schedule of it (reduction tiles of 1 often). */
export function wideCase(r: () => number): Case {
  const { net, schedule } = wholeSegmentCase(wideChain(r), r);
  // reduction tiles of one channel (a layout of rows of columns, and four positions at a time) often
  const last = net.layers.at(-1)!;
  // (a grouped convolution reduces over whole groups: only an ungrouped one takes tiles of one channel;
  // the draw stays where it was, so the seeds keep their cases)
  if (last.kind === 'conv' && (last.groups === 1 || last.groups === last.outChannels) && r() < 0.3)
    if (last.groups === 1) schedule.tile.zi = 1;
  return { net, schedule };
}

/** A verified run matches exactly: outputs within 1e-4, every count and the scratchpad as predicted. */
export function expectExact(v: MeasuredPoint): void {
  expect(v.conflicts).toBe(0);
  expect(v.output.maxRelError).toBeLessThanOrEqual(1e-4);
  for (const t of v.tensors) {
    expect(t.measuredReads).toBe(t.predictedReads);
    expect(t.measuredWrites).toBe(t.predictedWrites);
    expect(t.measuredFilled).toBe(t.predictedFilled);
    expect(t.measuredExtents).toEqual(t.predictedExtents);
  }
  expect(v.macs.measured).toBe(v.macs.predicted);
  expect(v.scratchpadBytes.measured).toBe(v.scratchpadBytes.predicted);
}

/** The cases as one release program with -DMEMSCHED_COUNT (and `extraFlags`), checked against the model. */
export function releaseCases(
  cases: Case[],
  width: ElementBytes,
  extraFlags: string[] = [],
): Promise<ReleasePoint> {
  return runCases(cases, width, (session, schedule) =>
    verifyRelease(session, schedule, null, { extraFlags }),
  );
}

/** A release run matches exactly: outputs within 1e-4, every transfer, element made present and MAC as predicted. */
export function expectReleaseExact(v: ReleasePoint): void {
  expect(v.mismatches).toEqual([]);
  expect(v.output.maxRelError).toBeLessThanOrEqual(1e-4);
  for (const t of v.tensors) {
    expect(t.measuredReads).toBe(t.predictedReads);
    expect(t.measuredWrites).toBe(t.predictedWrites);
    expect(t.measuredFilled).toBe(t.predictedFilled);
    expect(t.missing).toBe(0);
  }
  expect(v.macs.measured).toBe(v.macs.predicted);
  expect(v.tensors.reduce((n, t) => n + t.measuredReads + t.measuredWrites, 0)).toBeGreaterThan(0);
}

/**
 * Builds and runs program `p` with its C source replaced by `source` (an edit the test made) on `inputs`,
 * its files named after `tag` in `dir`. The counters are read against `p`'s prediction.
 */
export async function runEdited(
  dir: string,
  p: CProgram,
  source: string,
  tag: string,
  inputs: Tensor[],
): Promise<RunResult> {
  const files = writeProgram(dir, { ...p, name: tag, source });
  const { exe } = await compileProgram(files.source, join(dir, tag));
  const input = join(dir, `${tag}-input.bin`);
  writeFileSync(input, rawTensors(inputs));
  return runProgram(exe, files.weights, input, join(dir, `${tag}-output.bin`), p);
}

/** Runs a network schedule in both C builds: the verification build's every count and the release build's transfers as predicted, outputs within 1e-4. */
export async function expectBothBuildsExact(session: VerifySession, sched: NetworkSchedule): Promise<void> {
  const v = await verifySchedule(session, sched, null);
  if (v.error !== undefined || v.macs.measured === null) throw new Error(v.error ?? 'not run');
  expectExact(v as MeasuredPoint);
  const rel = await verifyRelease(session, sched, null);
  expect(rel.mismatches).toEqual([]);
  expect(rel.ok).toBe(true);
  expect(rel.output.maxRelError).toBeLessThanOrEqual(1e-4);
}

/** Runs each network's schedule in both C builds (a session each): outputs and every count as predicted. */
export async function expectSchedulesRunExact(
  found: readonly { net: Network; schedule: NetworkSchedule }[],
): Promise<void> {
  for (const { net, schedule } of found) {
    const session = await openSession(runnableNetwork(net), defaultInputs(net));
    try {
      await expectBothBuildsExact(session, schedule);
    } finally {
      closeSession(session);
    }
  }
}
