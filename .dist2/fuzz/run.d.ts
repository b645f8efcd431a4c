#!/usr/bin/env node
import { type Outcome, type Run } from './classify.js';
import { buildCase, type Target } from './targets.js';
export interface Limits {
    timeoutMs: number;
    /** Resident memory cap of a case's process (MiB); the JS heap is capped below it. */
    memoryMiB: number;
}
/** Runs a case in the real CLI, one process, in the case folder. */
export declare function runInCli(c: ReturnType<typeof buildCase>, dir: string, limits: Limits): Promise<Run & {
    stdout: string;
}>;
export interface CaseResult {
    target: string;
    index: number;
    outcome: Outcome;
    stderr: string;
    ms: number;
}
export declare const replayCommand: (t: string, seed: number, index: number) => string;
/** The cases of a run, interleaved over the targets so that any prefix covers every parser. */
export declare function plan(total: number, chosen: Target[]): {
    target: Target;
    index: number;
}[];
/** Runs the plan on `jobs` workers; `onResult` sees every case as it ends. */
export declare function fuzz(cases: {
    target: Target;
    index: number;
}[], seed: number, jobs: number, limits: Limits, onResult?: (r: CaseResult) => void, deadline?: number): Promise<CaseResult[]>;
