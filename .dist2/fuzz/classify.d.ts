import type { FuzzCase } from './targets.js';
export declare const acceptable: readonly ['exit 0', 'exit 2'];
export type Outcome = (typeof acceptable)[number] | 'exit 2, not one line' | 'output left on exit 2' | 'internal error' | 'stack trace' | 'other exit code' | 'crash' | 'timeout' | 'memory cap';
export interface Run {
    /** Exit code, or undefined when the process (or worker) was killed or died. */
    code: number | undefined;
    stderr: string;
    /** Files in the case folder that the case did not start with. */
    created: string[];
    /** Set when the harness stopped the case. */
    killed?: 'timeout' | 'memory cap' | 'crash';
}
export declare function isFailure(o: Outcome): boolean;
export declare function classify(run: Run): Outcome;
/** A message with its file names, numbers and quoted parts blanked: failures with one cause share it. */
export declare function signature(outcome: Outcome, stderr: string): string;
/** Writes the case's files into a new empty folder. */
export declare function writeCase(dir: string, c: FuzzCase): void;
export declare function createdFiles(dir: string, c: FuzzCase): string[];
