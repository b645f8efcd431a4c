// MobileNets. V2 follows torchvision (ReLU6 exported as Clip(0, 6), batch-norm folded, names being its
// module paths with the conv-bn-activation wrapper standing for its convolution, e.g.
// `features.3.conv.1` for a depthwise convolution). V1 follows the Caffe fixture
// mobilenet_v1/mobilenet_deploy.prototxt (shicai/MobileNet-Caffe), layer names included, its BatchNorm +
// Scale pairs folded into the convolutions.
import { NetBuilder, relu, relu6 } from './builder.js';
/** torchvision's inverted-residual settings: expansion t, output channels c, repeats n, first stride s. */
const v2Settings = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
];
export function mobilenet_v2() {
    const b = new NetBuilder('mobilenet_v2', { name: 'input', shape: { c: 3, h: 224, w: 224 } });
    b.conv('features.0', 32, 3, { stride: 2, pad: 1, post: [relu6] });
    let channels = 32;
    let index = 1;
    for (const [t, c, n, s] of v2Settings) {
        for (let i = 0; i < n; i++) {
            const at = `features.${index}`;
            const stride = i === 0 ? s : 1;
            const hidden = channels * t;
            const x = b.last;
            let part = 0;
            if (t !== 1)
                b.conv(`${at}.conv.${part++}`, hidden, 1, { post: [relu6] });
            b.conv(`${at}.conv.${part++}`, hidden, 3, { stride, pad: 1, groups: hidden, post: [relu6] });
            b.conv(`${at}.conv.${part++}`, c, 1);
            if (stride === 1 && channels === c)
                b.add(`${at}.add`, [x, b.last]);
            channels = c;
            index += 1;
        }
    }
    b.conv(`features.${index}`, 1280, 1, { post: [relu6] });
    b.globalAvgPool('avgpool').fc('classifier.1', 1000);
    return b.build();
}
/** Depthwise-separable blocks of the Caffe MobileNet V1: name, output channels, depthwise stride. */
const v1Blocks = [
    ['conv2_1', 64, 1],
    ['conv2_2', 128, 2],
    ['conv3_1', 128, 1],
    ['conv3_2', 256, 2],
    ['conv4_1', 256, 1],
    ['conv4_2', 512, 2],
    ['conv5_1', 512, 1],
    ['conv5_2', 512, 1],
    ['conv5_3', 512, 1],
    ['conv5_4', 512, 1],
    ['conv5_5', 512, 1],
    ['conv5_6', 1024, 2],
    ['conv6', 1024, 1],
];
export function mobilenet_v1() {
    const b = new NetBuilder('mobilenet_v1', { name: 'data', shape: { c: 3, h: 224, w: 224 } });
    b.conv('conv1', 32, 3, { stride: 2, pad: 1, post: [relu] });
    let channels = 32;
    for (const [name, out, stride] of v1Blocks) {
        b.conv(`${name}/dw`, channels, 3, { stride, pad: 1, groups: channels, post: [relu] });
        b.conv(`${name}/sep`, out, 1, { post: [relu] });
        channels = out;
    }
    // The classifier is a 1x1 Convolution in the prototxt, not an InnerProduct.
    b.globalAvgPool('pool6').conv('fc7', 1000, 1).softmax('prob');
    return b.build();
}
//# sourceMappingURL=mobilenet.js.map