import { type Pads, type Shape } from '../../../ir/network.js';
import type { Attrs } from '../attributes.js';
import { type NodeInfo } from '../node.js';
/** Explicit or automatic padding of a sliding window, plus the padding of a folded Pad node. */
export declare function windowPads(info: NodeInfo, attrs: Attrs, x: Shape, extra: Pads, kernel: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number]): Pads;
