import type { Network } from '../../ir/network.js';
/** The opset the export writes: HardSwish needs 14; 17 is read by every recent runtime. */
export declare const exportOpset = 17;
/** The network as ONNX model bytes; a network without weights is refused, naming the first such layer. */
export declare function exportOnnx(net: Network): Uint8Array;
