import type { VerifySession } from '../verify/verify.js';
import type { ScheduleRead } from './common.js';
/** Verifies the chosen schedules' release builds in `session`; prints (or writes) the result; the exit code. */
export declare function verifyReleaseRun(session: VerifySession, chosen: ScheduleRead[], extraFlags: string[], output: {
    json: boolean;
    file?: string;
    heading: string;
}): Promise<number>;
