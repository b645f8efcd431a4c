import type { Network } from '../../ir/network.js';
export declare function vdsr(): Network;
