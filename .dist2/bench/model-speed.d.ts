export interface SpeedResult {
    case: string;
    /** What is counted: schedules, or segments whose factor tables were built. */
    unit: 'schedules' | 'segments';
    schedules: number;
    seconds: number;
    perSecond: number;
}
export declare function modelSpeed(minSeconds?: number): SpeedResult[];
