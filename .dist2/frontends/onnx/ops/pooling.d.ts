import type { Handler } from '../converter.js';
export declare const poolingOps: Record<string, Handler>;
