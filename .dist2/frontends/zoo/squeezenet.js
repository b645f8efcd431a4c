// SqueezeNet 1.1 as in torchvision: max pools round up (ceil_mode), each fire module is a 1x1 squeeze
// feeding a 1x1 and a 3x3 expand whose outputs are concatenated; a 1x1 classifier convolution and a
// global average pool end it. Names are torchvision's module paths.
import { NetBuilder, relu } from './builder.js';
function fire(b, at, squeeze, expand) {
    b.conv(`${at}.squeeze`, squeeze, 1, { post: [relu] });
    const s = b.last;
    b.conv(`${at}.expand1x1`, expand, 1, { post: [relu] });
    b.conv(`${at}.expand3x3`, expand, 3, { pad: 1, post: [relu], input: s });
    b.concat(`${at}.concat`, [`${at}.expand1x1`, `${at}.expand3x3`]);
}
export function squeezenet1_1() {
    const b = new NetBuilder('squeezenet1_1', { name: 'input', shape: { c: 3, h: 224, w: 224 } });
    const pool = (index) => b.maxPool(`features.${index}`, 3, { stride: 2, ceilMode: true });
    b.conv('features.0', 64, 3, { stride: 2, post: [relu] });
    pool(2);
    fire(b, 'features.3', 16, 64);
    fire(b, 'features.4', 16, 64);
    pool(5);
    fire(b, 'features.6', 32, 128);
    fire(b, 'features.7', 32, 128);
    pool(8);
    fire(b, 'features.9', 48, 192);
    fire(b, 'features.10', 48, 192);
    fire(b, 'features.11', 64, 256);
    fire(b, 'features.12', 64, 256);
    b.conv('classifier.1', 1000, 1, { post: [relu] }).globalAvgPool('classifier.3');
    return b.build();
}
//# sourceMappingURL=squeezenet.js.map