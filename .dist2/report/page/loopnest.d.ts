// The types of loopnest.js (plain JavaScript, as the HTML report's page runs it).

import type { NestInput } from '../../lower/nest.js';

/** A segment schedule with the model's predictions, as the lowering takes it. */
/** `view`: a slice or concat alone that is a view (no loops to print). */
export type NestSegment = NestInput & { view?: boolean };

/**
 * The pseudo-code, one statement a line. On each entry into a level's body, `store B` empties buffer B
 * and `fill B` makes present the part of B's demand that is not (loading it from DRAM, or computing
 * it); the output is written to DRAM when its store level's body ends.
 */
export function loopNest(s: NestSegment): string;
