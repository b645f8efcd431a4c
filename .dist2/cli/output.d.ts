export declare function progressBar(done: number, total: number): string;
