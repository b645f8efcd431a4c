import type { Network } from '../ir/network.js';
import { type Tensor } from './layers.js';
export interface RunOptions {
    /** Return every layer's output, not only the network's outputs (for debugging). */
    keepAll?: boolean;
    /** Called after each layer with the layers done and their number. */
    onLayer?: (done: number, total: number) => void;
}
/**
 * Runs the network on one input tensor per network input (keyed by input name) and returns the
 * network's outputs keyed by name (with `keepAll`, every layer's output). Every convolution must
 * carry weights. It yields to the event loop after each layer, so that a large network's seconds of
 * inference can show progress and be interrupted (Ctrl-C).
 */
export declare function runNetwork(net: Network, inputs: Record<string, Tensor>, options?: RunOptions): Promise<Record<string, Tensor>>;
