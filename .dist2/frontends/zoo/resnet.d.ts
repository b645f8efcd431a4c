import type { Network } from '../../ir/network.js';
export declare const resnet18: () => Network;
export declare const resnet50: () => Network;
export declare const resnet101: () => Network;
export declare const resnet152: () => Network;
