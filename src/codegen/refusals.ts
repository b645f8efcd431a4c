// What the code generators do not run yet: strips and raster line buffers are counted by the model,
// executed by the simulator and run by the verification C build, not by the release build or Halide.

import { InputError } from '../ir/errors.js';
import type { NetworkSchedule, SegmentSchedule } from '../model/schedule.js';

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
