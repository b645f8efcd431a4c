import type { Network } from '../../ir/network.js';
/**
 * Reads a Caffe network. When `caffemodelPath` is not given, a `.caffemodel` with the prototxt's base
 * name in the same folder is used if it exists.
 */
export declare function loadCaffeFile(prototxtPath: string, caffemodelPath?: string): Network;
/**
 * Converts a Caffe prototxt (text) with optional caffemodel bytes. `file` and `caffemodelFile` name the
 * sources in errors.
 */
export declare function loadCaffe(prototxt: string, file: string, caffemodel?: Uint8Array, caffemodelFile?: string): Network;
