import type { Network } from '../../ir/network.js';
export declare function squeezenet1_1(): Network;
