import type { Shape } from '../../ir/network.js';
import { type NodeInfo } from './node.js';
import type { Graph, ValueInfo } from './schema.js';
import type { Rank } from './values.js';
/** Nodes in dependency order (the file's order where possible); rejects undefined inputs and cycles. */
export declare function sortNodes(graph: Graph, known: (name: string) => boolean): NodeInfo[];
/** Drops Identity and Dropout (inference), pointing their consumers at the source tensor. */
export declare function removeAliases(order: NodeInfo[], graph: Graph, aliases: Map<string, string>): NodeInfo[];
/** Batch bound to 1: [N,C,H,W] gives C x H x W, [N,F] gives F x 1 x 1. */
export declare function inputShape(vi: ValueInfo): {
    shape: Shape;
    rank: Rank;
};
