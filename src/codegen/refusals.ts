// What a code generator does not run yet: strips and raster line buffers are counted by the model,
// executed by the simulator and run by both C builds (verification and release), not by Halide.

import { InputError } from '../ir/errors.js';
import type { NetworkSchedule, SegmentSchedule } from '../model/schedule.js';

/** The code generators that do not run strips and raster line buffers yet. */
export type CodegenTarget = 'Halide';

/**
 * Why `target` cannot run a segment schedule yet, or undefined: strips and raster line buffers are
 * counted by the model, executed by the simulator and run by the C builds, not by `target`.
 */
function codegenGap(s: SegmentSchedule, target: CodegenTarget): string | undefined {
  const raster = Object.entries(s.buffers).find(([, lv]) => lv.raster);
  const elsewhere = `the C builds run them (memsched codegen --target c, with or without --release; memsched verify); ${target} does not yet`;
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
