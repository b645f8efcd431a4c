import type { Handler } from '../converter.js';
export declare const handlers: Map<string, Handler>;
