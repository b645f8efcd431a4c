// AlexNet as in torchvision (the single-tower 64-192-384-256-256 variant), names being its module paths.
// The adaptive average pool to 6x6 is an identity at 224x224; like VGG's it is kept as the 1x1 AveragePool
// PyTorch exports.
import { NetBuilder, relu } from './builder.js';
export function alexnet() {
    const b = new NetBuilder('alexnet', { name: 'input', shape: { c: 3, h: 224, w: 224 } });
    b.conv('features.0', 64, 11, { stride: 4, pad: 2, post: [relu] })
        .maxPool('features.2', 3, { stride: 2 })
        .conv('features.3', 192, 5, { pad: 2, post: [relu] })
        .maxPool('features.5', 3, { stride: 2 })
        .conv('features.6', 384, 3, { pad: 1, post: [relu] })
        .conv('features.8', 256, 3, { pad: 1, post: [relu] })
        .conv('features.10', 256, 3, { pad: 1, post: [relu] })
        .maxPool('features.12', 3, { stride: 2 })
        .avgPool('avgpool', 1)
        .fc('classifier.1', 4096, { post: [relu] })
        .fc('classifier.4', 4096, { post: [relu] })
        .fc('classifier.6', 1000);
    return b.build();
}
//# sourceMappingURL=alexnet.js.map