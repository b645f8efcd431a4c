import type { FrontFile } from '../formats/front.js';
import type { VerifyFileRead } from '../formats/verify.js';
import type { Network } from '../ir/network.js';
import { type FrontEvaluation } from './html-data.js';
/**
 * ES modules as the text of one classic script, as the one-file page has nothing to import from. Each
 * may import only modules before it in the list, which are then in its scope: its imports and `export`
 * keywords go, nothing else changes.
 */
export declare function embedModules(modules: string[]): string;
export interface ReportOptions {
    /** The command that made the report, shown in it. */
    command?: string;
    verify?: VerifyFileRead;
}
/** The report as one HTML document. `evaluation` is the front checked against the network. */
export declare function reportHtml(net: Network, front: FrontFile, evaluation: FrontEvaluation, options?: ReportOptions): Promise<string>;
