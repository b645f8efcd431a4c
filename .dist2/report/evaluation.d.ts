import type { CheckPlan, SegmentCheck } from '../check/simulator.js';
import type { NetworkResult } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
/** `nests`: per segment its loop nest (loopNest), printed under its table. */
export declare function evaluationText(sched: NetworkSchedule, result: NetworkResult, label?: string, nests?: (string | undefined)[]): string;
/** The simulator comparison, one line per segment, then the work it took. */
export declare function checkText(checks: SegmentCheck[]): string;
/** What the check is about to do: printed before it starts. */
export declare function checkPlanText(plan: CheckPlan): string;
/** One line of progress: a bar, the share of the estimated reads done, and the time left at the rate so far. */
export declare function checkProgressText(reads: number, estimatedReads: number, seconds: number): string;
