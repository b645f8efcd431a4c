import type { Network } from '../ir/network.js';
export { loadCaffe, loadCaffeFile } from './caffe/load.js';
export { exportOnnx, exportOpset } from './onnx/export.js';
export { loadOnnx, loadOnnxFile } from './onnx/load.js';
export { zoo, zooNetwork } from './zoo/index.js';
/**
 * Loads `zoo:NAME`, a `.onnx` file or a Caffe `.prototxt` (its `.caffemodel` beside it is picked up).
 * Every problem is an InputError naming the file.
 */
export declare function loadNetwork(source: string): Network;
