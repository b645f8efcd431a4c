// One entry point for every model source: a file (ONNX or Caffe prototxt) or a built-in network.
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../ir/errors.js';
import { loadCaffeFile } from './caffe/load.js';
import { loadOnnxFile } from './onnx/load.js';
import { zooNetwork } from './zoo/index.js';
export { loadCaffe, loadCaffeFile } from './caffe/load.js';
export { exportOnnx, exportOpset } from './onnx/export.js';
export { loadOnnx, loadOnnxFile } from './onnx/load.js';
export { zoo, zooNetwork } from './zoo/index.js';
/**
 * Loads `zoo:NAME`, a `.onnx` file or a Caffe `.prototxt` (its `.caffemodel` beside it is picked up).
 * Every problem is an InputError naming the file.
 */
export function loadNetwork(source) {
    if (source.startsWith('zoo:'))
        return zooNetwork(source.slice(4));
    if (!existsSync(source))
        throw new InputError('no such file', { file: source });
    const st = statSync(source);
    if (!st.isFile())
        throw new InputError('not a file', { file: source });
    if (st.size === 0)
        throw new InputError('the file is empty', { file: source });
    const ext = extname(source).toLowerCase();
    try {
        if (ext === '.onnx')
            return loadOnnxFile(source);
        if (ext === '.prototxt' || ext === '.pbtxt')
            return loadCaffeFile(source);
        if (ext === '.caffemodel')
            throw new InputError('a .caffemodel holds only weights: give the .prototxt (the weights beside it are read)');
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(source) : e;
    }
    throw new InputError(`unknown model format '${ext || '(no extension)'}': expected .onnx, .prototxt or zoo:NAME`, {
        file: source,
    });
}
//# sourceMappingURL=index.js.map