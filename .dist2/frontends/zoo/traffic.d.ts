import type { Network } from '../../ir/network.js';
export declare function traffic(): Network;
