// Peemen's speed-sign detector, layer for layer as in the Caffe fixture traffic/traffic.prototxt:
// two strided convolutions, a channel Slice into two halves, one 5x5 convolution per half, a Concat and a
// 1x1 classifier. Every layer but the last is followed by an in-place Sigmoid.
import { NetBuilder, sigmoid } from './builder.js';
export function traffic() {
    const b = new NetBuilder('traffic', { name: 'data', shape: { c: 1, h: 720, w: 1280 } });
    b.conv('conv1', 6, 6, { stride: 2, post: [sigmoid] }).conv('conv2', 16, 6, { stride: 2, post: [sigmoid] });
    // Caffe's Slice has two tops; the IR has one slice layer per top, named as the top.
    b.slice('conv2a', 0, 8, { input: 'conv2' }).slice('conv2b', 8, 16, { input: 'conv2' });
    b.conv('conv3a', 40, 5, { input: 'conv2a', post: [sigmoid] });
    b.conv('conv3b', 40, 5, { input: 'conv2b', post: [sigmoid] });
    b.concat('conv3', ['conv3a', 'conv3b']).conv('fc4_traffic_output', 8, 1);
    return b.build();
}
//# sourceMappingURL=traffic.js.map