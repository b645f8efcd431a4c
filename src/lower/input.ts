// What the lowering takes (nest.js), from a checked segment, its schedule and the model's prediction.

import { InputError } from '../ir/errors.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { NestInput } from './nest.js';

/** The segment's schedule with the model's numbers per buffer; slots are the predicted bytes over the width. */
export function nestInput(
  seg: Segment,
  s: SegmentSchedule,
  r: SegmentResult,
  elementBytes: number,
): NestInput {
  return {
    // topological, whatever order the schedule lists them in
    layers: seg.layers.map((l) => l.name),
    dims: seg.dims,
    tile: s.tile,
    order: s.order,
    ...(s.warmup ? { warmup: s.warmup } : {}),
    ...(s.strips ? { strips: s.strips } : {}),
    buffers: seg.buffers.map((b, bi) => {
      const p = r.buffers[bi]!;
      return {
        id: b.id,
        role: b.role,
        readers: b.readers,
        store: s.buffers[b.id]!.store,
        fill: s.buffers[b.id]!.fill,
        extents: p.extents,
        ...(p.raster === undefined ? {} : { raster: p.raster }),
        slots: p.bytes / elementBytes,
        bytes: p.bytes,
        filled: p.filled,
        dramReads: p.dramReads,
        dramWrites: p.dramWrites,
      };
    }),
  };
}

/** The code generators that do not run strips and raster line buffers yet. */
export type CodegenTarget = 'the release C build (--release)' | 'Halide';

/**
 * Why `target` cannot run a segment schedule yet, or undefined: strips and raster line buffers are
 * counted by the model, executed by the simulator and run by the verification C build, not by `target`.
 */
function codegenGap(s: SegmentSchedule, target: CodegenTarget): string | undefined {
  const raster = Object.entries(s.buffers).find(([, lv]) => lv.raster);
  const elsewhere = `the verification C build runs them (memsched codegen --target c, memsched verify); ${target} does not yet`;
  if (s.strips) return `strips (strips.x ${s.strips.x}) are not generated for ${target}: ${elsewhere}`;
  if (raster)
    return `buffer '${raster[0]}' is a raster line buffer, not generated for ${target}: ${elsewhere}`;
  return undefined;
}

/** Refuses (one line naming the segment) a schedule with a segment `target` cannot run yet. */
export function refuseCodegenGaps(sched: NetworkSchedule, target: CodegenTarget): void {
  sched.segments.forEach((s, i) => {
    const gap = codegenGap(s, target);
    if (gap !== undefined) throw new InputError(`segments[${i}]: ${gap}`);
  });
}
