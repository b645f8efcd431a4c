import type { CProgram } from '../codegen/c.js';
import type { Network } from '../ir/network.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Int8Network } from '../reference/int8.js';
import type { Command } from './common.js';
export declare const codegenCommand: Command;
/** The program of a schedule; schedule errors name the file. */
export declare function programOf(net: Network, sched: NetworkSchedule, file: string, weights: boolean, release?: boolean, int8?: Int8Network): CProgram;
