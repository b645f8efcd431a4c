import type { SegmentResult } from '../model/result.js';
import type { SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { NestInput } from './nest.js';
/** The segment's schedule with the model's numbers per buffer; slots are the predicted bytes over the width. */
export declare function nestInput(seg: Segment, s: SegmentSchedule, r: SegmentResult, elementBytes: number): NestInput;
