import { parseArgs } from 'node:util';
import type { ExploreOptions, ExploreResult } from '../dse/explore.js';
import type { FrontFile } from '../formats/front.js';
import type { Network } from '../ir/network.js';
import type { ElementBytes, NetworkSchedule } from '../model/schedule.js';
export type Flags = Record<string, string | boolean | undefined>;
export type FlagOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;
/** One command: its flags, its usage (`memsched <name> --help`) and what it does (the exit code, 0 if none). */
export interface Command {
    name: string;
    usage: string;
    flags: FlagOptions;
    run(flags: Flags, positionals: string[], args: string[]): Promise<number | undefined> | number | undefined;
}
export declare function parse(args: string[], options: FlagOptions): {
    flags: Flags;
    positionals: string[];
};
export declare function oneModel(positionals: string[], command: string): string;
export declare function widthFlag(flag: string | boolean | undefined): ElementBytes | undefined;
export declare function budgetFlag(flag: string | boolean | undefined): number | undefined;
export declare function pointFlag(flag: string | boolean | undefined): number | undefined;
/** The front's point with the fewest accesses within the budget; refused when there is none. */
export declare function chooseForBudget(front: FrontFile, budget: number): number;
/** A JSON file's text; a missing file, a folder or an unreadable one is a one-line error. */
export declare function readJsonText(file: string): string;
/** A front file's JSON, checked as far as every reader needs (frontOfJson). */
export declare function readFrontJson(file: string): Record<string, unknown>;
/** Point `point` of a front file's checked JSON; errors name the file and the point. */
export declare function frontSchedule(json: Record<string, unknown>, point: number | undefined, file: string): NetworkSchedule;
/** A schedule read from a file: a schedule file (point null) or a front file's point. */
export interface ScheduleRead {
    schedule: NetworkSchedule;
    point: number | null;
    file: string;
    /** The front's network, for a front file. */
    frontNetwork?: unknown;
}
/**
 * A schedule file, or a point of a front file (by default the point chosen for its budget). A file that
 * is not JSON is named as such: as a front file when `--point` says one was meant.
 */
export declare function readScheduleFile(file: string, point: number | undefined): ScheduleRead;
/** A schedule or front written for another network is refused, naming the file. */
export declare function checkNetwork(read: ScheduleRead, net: Network): void;
/**
 * A front file written by `explore -o`, checked as far as a plot or report reads it (not its schedules),
 * and copied field by field (frontFileOfJson).
 */
export declare function readFront(file: string): FrontFile;
/** The search, with a progress bar on a terminal. */
export declare function exploreWithProgress(net: Network, options: ExploreOptions): Promise<ExploreResult>;
