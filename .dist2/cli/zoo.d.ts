import type { Command } from './common.js';
export declare const zooCommand: Command;
