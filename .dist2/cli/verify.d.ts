import type { Network } from '../ir/network.js';
import type { Tensor } from '../reference/layers.js';
import type { Command } from './common.js';
export declare const verifyCommand: Command;
/** A PNG for a one-input network, or a raw float32 file holding every input one after the other. */
export declare function readInputs(net: Network, file: string): Tensor[];
