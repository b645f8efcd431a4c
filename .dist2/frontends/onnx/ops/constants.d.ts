import type { Attrs } from '../attributes.js';
import type { Converter, Handler } from '../converter.js';
import { type NodeInfo } from '../node.js';
export declare const constantOps: Record<string, Handler>;
/** Evaluates a node whose inputs are all constants (shape arithmetic); false when one is not. */
export declare function foldConstants(cx: Converter, info: NodeInfo, attrs: Attrs): boolean;
export declare function constant(cx: Converter, info: NodeInfo, attrs: Attrs): void;
