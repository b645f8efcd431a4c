import type { Converter, Handler } from '../converter.js';
import { type NodeInfo } from '../node.js';
export declare const activationOps: Record<string, Handler>;
/**
 * Folds an activation written as several nodes that read one feature map x into x's producer:
 * x * Sigmoid(x) (SiLU), x * HardSigmoid(x; 1/6, 0.5) and x * Clip(x + 3, 0, 6) / 6 (hard-swish, the
 * division anywhere), Clip(x + 3, 0, 6) / 6 (hard-sigmoid). `info` is the pattern's first node.
 * False when it starts none, or x has a reader outside it (then each node converts on its own).
 */
export declare function writtenOutActivation(cx: Converter, info: NodeInfo): boolean;
