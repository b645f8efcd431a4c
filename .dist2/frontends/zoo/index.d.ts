import type { Network } from '../../ir/network.js';
export interface ZooEntry {
    name: string;
    description: string;
    build(): Network;
}
export declare const zoo: ReadonlyArray<ZooEntry>;
/** Builds a zoo network by name; an unknown name is an InputError listing the known ones. */
export declare function zooNetwork(name: string): Network;
