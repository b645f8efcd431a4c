import type { Network } from '../../ir/network.js';
export declare const vgg16: () => Network;
export declare const vgg19: () => Network;
