import type { Tensor } from '../reference/layers.js';
import type { CProgram } from './c.js';
/** The flags every generated program must compile with, without a single warning. */
export declare const compileFlags: string[];
/**
 * For runs under AddressSanitizer and UBSan: any access outside an array or undefined behaviour aborts
 * the run. Unoptimised (-O0 replaces -O2): such builds are for checking, and build several times faster.
 */
export declare const sanitizeFlags: string[];
export declare function compilerCommand(cc: string, source: string, exe: string, sanitize?: boolean, extra?: string[]): string[];
export interface CompileOptions {
    sanitize?: boolean;
    cc?: string;
    /** More compiler arguments, e.g. -DMEMSCHED_NO_VECTORS for the plain C kernels. */
    extraFlags?: string[];
}
/** The program's counters, in the order of CProgram.segments[].buffers and .layers. */
export interface ProgramCounters {
    segments: {
        /** raster: a raster line buffer's measured run per channel. */
        buffers: {
            reads: number;
            writes: number;
            filled: number;
            extents: number[];
            raster?: number;
        }[];
        macs: number[];
    }[];
    /** Reads that did not find their element in its slot (0 in a correct run). */
    conflicts: number;
}
export interface BuildResult {
    exe: string;
    seconds: number;
}
export interface RunResult {
    counters: ProgramCounters;
    outputs: Tensor[];
    seconds: number;
}
/** Writes the source and weights into `dir` (which must exist). */
export declare function writeProgram(dir: string, p: CProgram): {
    source: string;
    weights: string;
};
/** The compiler command for program `name` (name.c to name), as text: what a verify file records. */
export declare function compileCommandText(name: string, options?: CompileOptions): string;
/** A compiler or program ended by SIGINT or SIGTERM (Ctrl-C, kill): not a result of the program. */
export declare class InterruptedError extends Error {
}
/**
 * Stops every compiler and program running (SIGTERM to their process groups, SIGKILL after two seconds)
 * and resolves when they have exited: for a process stopped by a signal sent to it alone, whose
 * children would otherwise run on.
 */
export declare function stopChildren(): Promise<void>;
/**
 * A child process to completion: its exit status, signal and output (rejects when it cannot start or is
 * aborted). It runs in a process group of its own, so that stopping it stops its children too.
 */
export declare function runChild(cmd: string, args: string[], signal?: AbortSignal): Promise<{
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}>;
/**
 * Compiles a written program; a compiler message (even a warning) is an error. It does not block, so
 * several programs can build and run at once; aborting `signal` kills the compiler.
 */
export declare function compileProgram(source: string, exe: string, options?: CompileOptions & {
    signal?: AbortSignal;
}): Promise<BuildResult>;
/** The tensors as the program's input file: each CHW float32, little-endian, one after the other. */
export declare function rawTensors(tensors: Tensor[]): Uint8Array;
/**
 * Runs a built program on an input file (written by rawTensors) and reads its counters and outputs.
 * A run that fails (non-zero exit, a sanitizer report) throws with the program's message; aborting
 * `signal` kills the program.
 */
export declare function runProgram(exe: string, weights: string, input: string, output: string, p: CProgram, signal?: AbortSignal): Promise<RunResult>;
/** The program's output file: the network's outputs in order, CHW float32 each. */
export declare function readOutputs(file: string, p: Pick<CProgram, 'outputs'>): Tensor[];
