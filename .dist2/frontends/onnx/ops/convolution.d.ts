import type { Handler } from '../converter.js';
export declare const convolutionOps: Record<string, Handler>;
