import type { ExploreResult } from '../dse/explore.js';
import type { NetworkSchedule } from '../model/schedule.js';
export declare const frontFormat = "memsched.front";
export interface FrontFile extends ExploreResult {
    format: typeof frontFormat;
    version: 1;
    budgetBytes?: number;
    /** Index of the point chosen for the budget. */
    chosen?: number;
}
/** A search's result as a front file. */
export declare const frontFileOf: (result: ExploreResult) => FrontFile;
/** A front file's text, as explore -o writes it. */
export declare const frontFileText: (file: FrontFile) => string;
/** Parsed JSON that says it is a front file (whatever else it holds). */
export declare const isFront: (json: unknown) => boolean;
/** A front file's parsed JSON, checked as far as every reader needs: its format and version. */
export declare function frontOfJson(json: unknown): Record<string, unknown>;
/** The schedule of point `index` (default: the chosen one) of a front file's checked JSON (frontOfJson). */
export declare function pointOfFront(json: Record<string, unknown>, index: number | undefined): NetworkSchedule;
/** Point `i`'s schedule, checked field by field; an error names the point. */
export declare function scheduleOfPoint(point: unknown, i: number): NetworkSchedule;
/**
 * A front file's JSON (checked by frontOfJson), checked as far as a plot or report reads it (not its
 * schedules), and copied field by field: what a reader sees is what was checked, whatever else the file
 * holds.
 */
export declare function frontFileOfJson(json: Record<string, unknown>): FrontFile;
