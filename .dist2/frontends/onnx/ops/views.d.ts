import type { Handler } from '../converter.js';
export declare const viewOps: Record<string, Handler>;
