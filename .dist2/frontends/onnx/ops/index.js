// The operators the ONNX frontend converts, by op_type, one table per family.
import { activationOps } from './activations.js';
import { channelOps } from './channels.js';
import { constantOps } from './constants.js';
import { convolutionOps } from './convolution.js';
import { elementwiseOps } from './elementwise.js';
import { poolingOps } from './pooling.js';
import { viewOps } from './views.js';
export const handlers = new Map(Object.entries({
    ...convolutionOps,
    ...poolingOps,
    ...elementwiseOps,
    ...channelOps,
    ...activationOps,
    ...viewOps,
    ...constantOps,
}));
//# sourceMappingURL=index.js.map