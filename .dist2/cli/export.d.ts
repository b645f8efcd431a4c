import type { Command } from './common.js';
export declare const exportCommand: Command;
