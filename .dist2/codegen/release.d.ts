/** The flags the release build is made for (the Makefile's); it also builds warning-free with -O2 alone. */
export declare const releaseFlags: string[];
/** The program's opening comment and the feature macro its clock needs (before any #include). */
export declare function releaseHeader(title: string, name: string, segments: number, width: number, int8?: boolean): string[];
/** main(): reads the files, runs the network (timed), writes the outputs. */
export declare function releaseMain(weighted: number, inputs: number, owned: number, placements: string[], outputs: number, 
/** The segments that are not views (they have loop nests and weights to pack). */
nests: number[], segments: number, int8?: boolean): string[];
