// Time of the exact segment search (src/dse/segment-search.ts) on some VGG-16 layers and fused pairs,
// and the traffic-sign detector's first two layers fused.
import { segmentFront } from '../dse/segment-search.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import { analyzeSegment } from '../model/segment.js';
export function searchSpeed() {
    const out = [];
    const cases = [
        ['vgg16', ['features.0']],
        ['vgg16', ['features.10']],
        ['vgg16', ['features.28']],
        ['vgg16', ['features.0', 'features.2']],
        ['vgg16', ['features.10', 'features.12']],
        ['traffic', ['conv1', 'conv2']],
    ];
    for (const [network, layers] of cases)
        for (const space of ['seed', 'full']) {
            const seg = analyzeSegment(zooNetwork(network), layers);
            const t0 = process.hrtime.bigint();
            const front = segmentFront(seg, { space, elementBytes: 1 });
            const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
            const d = seg.dims;
            const end = (i) => ({ bytes: front.at(i).bytes, accesses: front.at(i).accesses });
            out.push({
                layer: `${network}:${layers.join('+')}`,
                dims: `x${d.x} y${d.y} zo${d.zo} zi${d.zi}`,
                space,
                seconds,
                frontPoints: front.length,
                smallest: end(0),
                fewest: end(-1),
            });
        }
    return out;
}
//# sourceMappingURL=search.js.map