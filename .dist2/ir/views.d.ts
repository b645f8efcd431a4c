import type { Network } from './network.js';
/** Where a tensor lives in DRAM when it is not a storage of its own: inside `in` from channel `channel` on. */
export interface Placement {
    in: string;
    channel: number;
}
export interface DramViews {
    /** The slice and concat layers that are views. */
    views: Set<string>;
    /** The tensors living inside another: a slice's output in its input, a view concat's inputs in it. */
    placed: Map<string, Placement>;
}
/**
 * The views of a network: slices and concats without folded point-wise operators. Every such slice is one. A concat is one when each of its inputs can be written into
 * it: the inputs are distinct tensors, none of them is a slice (already living inside another tensor),
 * and none is an input of an earlier view concat (a tensor lives in one place; the first concat in
 * network order claims it, and a later one reading it copies like any layer).
 */
export declare function dramViews(net: Network): DramViews;
/**
 * Where a tensor's channel 0 lives in DRAM: the tensor holding the storage and the channel offset in it,
 * following placements (a concat's input inside a concat, a slice of it...) into tensors that are in
 * DRAM in the schedule at hand (`inDram`): a concat fused into a segment is no storage.
 */
export declare function storageOf(views: DramViews, tensor: string, inDram: (t: string) => boolean): Placement;
