import type { Network } from '../../ir/network.js';
export declare function alexnet(): Network;
