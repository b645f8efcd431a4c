import type { Command } from './common.js';
export declare const retileCommand: Command;
