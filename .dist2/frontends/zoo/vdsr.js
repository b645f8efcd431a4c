// VDSR super-resolution (Kim et al.): 20 convolutions 3x3 with padding 1 and a global residual, named as
// in the Caffe fixture vdsr/VDSR_net_deploy.prototxt (the ONNX fixture has the same structure).
import { NetBuilder, relu } from './builder.js';
export function vdsr() {
    const depth = 20;
    const b = new NetBuilder('vdsr', { name: 'data', shape: { c: 1, h: 256, w: 256 } });
    for (let i = 1; i <= depth; i++) {
        const last = i === depth;
        b.conv(`conv${i}`, last ? 1 : 64, 3, { pad: 1, post: last ? [] : [relu] });
    }
    b.add('sum', ['data', b.last]);
    return b.build();
}
//# sourceMappingURL=vdsr.js.map