// What sharing one (store, fill) among a deep chain's intermediates loses (docs/search-design.md): on
// random chains of three and four convolution and pooling layers, small enough for the per-intermediate search, both fronts are
// searched and compared point by point.
import { segmentFront } from '../dse/segment-search.js';
import { NetBuilder, relu } from '../frontends/zoo/builder.js';
import { analyzeSegment } from '../model/segment.js';
import { rng } from '../util/random.js';
function compare(name, seg) {
    const run = (intermediates) => {
        const t0 = process.hrtime.bigint();
        const front = segmentFront(seg, { space: 'full', elementBytes: 1, intermediates });
        return { front, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
    };
    const each = run('each');
    const shared = run('shared');
    const ratios = each.front.map((p) => {
        let best = Number.POSITIVE_INFINITY;
        for (const q of shared.front)
            if (q.bytes <= p.bytes)
                best = Math.min(best, q.accesses);
        return best / p.accesses;
    });
    const sorted = ratios.filter((r) => r !== Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const d = seg.dims;
    return {
        chain: name,
        dims: `x${d.x} y${d.y} zo${d.zo} zi${d.zi}`,
        eachSeconds: each.seconds,
        sharedSeconds: shared.seconds,
        eachPoints: each.front.length,
        sharedPoints: shared.front.length,
        matched: ratios.filter((r) => r === 1).length,
        unreached: ratios.length - sorted.length,
        worstRatio: sorted.at(-1) ?? null,
        medianRatio: sorted[Math.floor(sorted.length / 2)] ?? null,
    };
}
/** A chain of 3x3 convolutions (stride 1 or 2) and 2x2 max pooling, random channel counts, small feature maps. */
function randomChain(seed, depth) {
    const r = rng(seed);
    const size = 6 + Math.floor(r() * 6);
    const b = new NetBuilder(`chain${seed}`, { name: 'in', shape: { c: 3, h: size, w: size } });
    for (let i = 0; i < depth; i++) {
        if (r() < 0.2)
            b.maxPool(`l${i}`, 2, { stride: 2 });
        else
            b.conv(`l${i}`, 2 + Math.floor(r() * 6), 3, { pad: 1, stride: r() < 0.2 ? 2 : 1, post: [relu] });
    }
    return b.build();
}
export function sharedLevelsLoss() {
    const out = [];
    for (let seed = 1; seed <= 8; seed++) {
        const depth = seed <= 4 ? 3 : 4;
        const net = randomChain(seed, depth);
        out.push(compare(`random chain ${seed} (${depth} layers)`, analyzeSegment(net, net.layers.map((l) => l.name))));
    }
    return out;
}
//# sourceMappingURL=deep.js.map