// What a code generator does not run yet: strips, raster line buffers and segments with several outputs
// are counted by the model, executed by the simulator and run by both C builds (verification and
// release), not by Halide.
import { InputError } from '../ir/errors.js';
/**
 * Why `target` cannot run a segment schedule yet, or undefined: strips, raster line buffers and
 * intermediates written to DRAM as computed (a segment with several outputs) are counted by the model,
 * executed by the simulator and run by the C builds, not by `target`.
 */
function codegenGap(seg, s, target) {
    const raster = Object.entries(s.buffers).find(([, lv]) => lv.raster);
    const exported = seg.buffers.filter((b) => b.exported).map((b) => `'${b.tensor}'`);
    const elsewhere = `the C builds run them (memsched codegen --target c, with or without --release; memsched verify); ${target} does not yet`;
    if (s.strips)
        return `strips (strips.x ${s.strips.x}) are not generated for ${target}: ${elsewhere}`;
    if (raster)
        return `buffer '${raster[0]}' is a raster line buffer, not generated for ${target}: ${elsewhere}`;
    if (exported.length > 0)
        return `a segment with several outputs (${exported.join(', ')} read after it too, written to DRAM as computed, besides '${seg.last.name}') is not generated for ${target}: ${elsewhere}`;
    return undefined;
}
/**
 * Refuses (one line naming the segment) a schedule with a segment `target` cannot run yet; `segments`:
 * the schedule's segments as checked (checkSchedule).
 */
export function refuseCodegenGaps(sched, segments, target) {
    sched.segments.forEach((s, i) => {
        const gap = codegenGap(segments[i], s, target);
        if (gap !== undefined)
            throw new InputError(`segments[${i}]: ${gap}`);
    });
}
//# sourceMappingURL=refusals.js.map