/** The exit code of the signal that is stopping memsched, if one is. */
export declare function stopping(): number | undefined;
export declare function exitOnSignals(): void;
