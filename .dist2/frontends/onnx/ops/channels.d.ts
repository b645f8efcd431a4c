import type { Handler } from '../converter.js';
export declare const channelOps: Record<string, Handler>;
