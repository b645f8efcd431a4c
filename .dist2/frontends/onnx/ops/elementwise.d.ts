import type { Handler } from '../converter.js';
export declare const elementwiseOps: Record<string, Handler>;
