// VGG-16 and VGG-19 in torchvision's layout, names being torchvision's module paths. The adaptive average
// pool to 7x7 is an identity at 224x224 but PyTorch exports it as a 1x1 AveragePool (see the vgg16 ONNX
// fixture), so it is kept as a layer to match imported models layer for layer.
import { NetBuilder, relu } from './builder.js';
const configs = {
    vgg16: [
        [64, 64],
        [128, 128],
        [256, 256, 256],
        [512, 512, 512],
        [512, 512, 512],
    ],
    vgg19: [
        [64, 64],
        [128, 128],
        [256, 256, 256, 256],
        [512, 512, 512, 512],
        [512, 512, 512, 512],
    ],
};
function vgg(name) {
    const b = new NetBuilder(name, { name: 'input', shape: { c: 3, h: 224, w: 224 } });
    // Index in torchvision's `features` Sequential: each conv is followed by its ReLU module.
    let index = 0;
    for (const stage of configs[name]) {
        for (const channels of stage) {
            b.conv(`features.${index}`, channels, 3, { pad: 1, post: [relu] });
            index += 2;
        }
        b.maxPool(`features.${index}`, 2);
        index += 1;
    }
    b.avgPool('avgpool', 1);
    b.fc('classifier.0', 4096, { post: [relu] })
        .fc('classifier.3', 4096, { post: [relu] })
        .fc('classifier.6', 1000);
    return b.build();
}
export const vgg16 = () => vgg('vgg16');
export const vgg19 = () => vgg('vgg19');
//# sourceMappingURL=vgg.js.map