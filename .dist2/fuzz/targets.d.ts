import { Chooser } from './mutate.js';
/** The checkout (from src/fuzz or dist/fuzz alike). */
export declare const repoRoot: string;
/**
 * One case: files written into an empty folder that is the command's working directory (so every path a
 * case names, outputs included, stays inside it), and the command's arguments.
 */
export interface FuzzCase {
    files: {
        name: string;
        data: Uint8Array;
    }[];
    args: string[];
}
export interface Target {
    name: string;
    what: string;
    /** Share of the cases of a run. */
    weight: number;
    /** Run in the real CLI (a process per case) instead of a long-lived worker. */
    spawn?: boolean;
    build(c: Chooser): FuzzCase;
}
export declare const targets: Target[];
export declare function target(name: string): Target | undefined;
/** The case `target:seed:index`, the same on every run. */
export declare function buildCase(t: Target, runSeed: number, index: number): FuzzCase;
