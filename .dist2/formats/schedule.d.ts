import type { NetworkSchedule } from '../model/schedule.js';
type Json = unknown;
/** Parses the JSON of a schedule file (structure only; `checkSchedule` checks it against a network). */
export declare function parseSchedule(text: string): NetworkSchedule;
/** A schedule from parsed JSON (a schedule file's, or a point's of a front file), checked as parseSchedule does. */
export declare function scheduleOfJson(v: Json): NetworkSchedule;
export {};
