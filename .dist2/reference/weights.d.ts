import type { Network } from '../ir/network.js';
/**
 * A copy of the network where every convolution gets pseudo-random weights and biases (existing ones
 * are replaced), every affine layer a scale in [0.5, 1.5] and a shift in [-0.5, 0.5], uniform in +-1/sqrt(fan-in) like PyTorch's default initialisation, so activations
 * stay finite through deep networks. Each tensor's values depend only on the seed and the tensor's
 * name (the shared-weight key when there is one), so shared tensors stay equal and editing one layer
 * leaves the others' values unchanged.
 */
export declare function deterministicWeights(net: Network, seed: number): Network;
