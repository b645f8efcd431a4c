// ResNets as in torchvision (v1.5: a bottleneck strides in its 3x3 convolution). Batch-norm is folded into
// the convolutions, which therefore carry a bias, and each ReLU into its producer; the block's ReLU
// follows the residual add. Names are torchvision's module paths (`layer2.0.downsample.0`), the add being
// `<block>.add`.
import { NetBuilder, relu } from './builder.js';
const expansion = { basic: 1, bottleneck: 4 };
function block(b, at, kind, planes, stride, downsample) {
    const x = b.last;
    if (kind === 'basic') {
        b.conv(`${at}.conv1`, planes, 3, { stride, pad: 1, post: [relu] });
        b.conv(`${at}.conv2`, planes, 3, { pad: 1 });
    }
    else {
        b.conv(`${at}.conv1`, planes, 1, { post: [relu] })
            .conv(`${at}.conv2`, planes, 3, { stride, pad: 1, post: [relu] })
            .conv(`${at}.conv3`, planes * 4, 1);
    }
    const main = b.last;
    const shortcut = downsample
        ? b.conv(`${at}.downsample.0`, planes * expansion[kind], 1, { stride, input: x }).last
        : x;
    b.add(`${at}.add`, [main, shortcut], [relu]);
}
function resnet(name, kind, depths) {
    const b = new NetBuilder(name, { name: 'input', shape: { c: 3, h: 224, w: 224 } });
    b.conv('conv1', 64, 7, { stride: 2, pad: 3, post: [relu] }).maxPool('maxpool', 3, { stride: 2, pad: 1 });
    let channels = 64;
    depths.forEach((count, stage) => {
        const planes = 64 << stage;
        for (let i = 0; i < count; i++) {
            const stride = i === 0 && stage > 0 ? 2 : 1;
            const out = planes * expansion[kind];
            block(b, `layer${stage + 1}.${i}`, kind, planes, stride, stride !== 1 || channels !== out);
            channels = out;
        }
    });
    b.globalAvgPool('avgpool').fc('fc', 1000);
    return b.build();
}
export const resnet18 = () => resnet('resnet18', 'basic', [2, 2, 2, 2]);
export const resnet50 = () => resnet('resnet50', 'bottleneck', [3, 4, 6, 3]);
export const resnet101 = () => resnet('resnet101', 'bottleneck', [3, 4, 23, 3]);
export const resnet152 = () => resnet('resnet152', 'bottleneck', [3, 8, 36, 3]);
//# sourceMappingURL=resnet.js.map