import type { Network } from '../../ir/network.js';
export declare function mobilenet_v2(): Network;
export declare function mobilenet_v1(): Network;
