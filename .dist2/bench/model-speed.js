// How many segment schedules the cost model evaluates per second on one core.
import { randomSegmentSchedule } from '../dse/random.js';
import { costFromTables, segmentTables } from '../dse/segment-factors.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import { segmentCost } from '../model/cost.js';
import { analyzeSegment } from '../model/segment.js';
import { rng } from '../util/random.js';
function measure(name, cases, minSeconds) {
    let n = 0;
    let sink = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < minSeconds) {
        for (const c of cases)
            sink += segmentCost(c.seg, c.s, 1).dramReads;
        n += cases.length;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    if (sink < 0)
        console.log(sink);
    return {
        case: name,
        unit: 'schedules',
        schedules: n,
        seconds: elapsed,
        perSecond: Math.round(n / elapsed),
    };
}
function randomCases(net, segments, count, seed) {
    const r = rng(seed);
    const segs = segments.map((names) => analyzeSegment(net, names));
    return Array.from({ length: count }, (_, i) => {
        const seg = segs[i % segs.length];
        return { seg, s: randomSegmentSchedule(seg, r) };
    });
}
/**
 * The search's pattern: factor tables built once per tile choice, then many orders and level
 * assignments evaluated from them (single-layer segments).
 */
/** The search's factor tables of a segment (every tile size of every loop), and schedules costed from them. */
function measureTables(name, net, segments, minSeconds) {
    const r = rng(3);
    const segs = segments.map((names) => analyzeSegment(net, names));
    let built = 0;
    let evaluated = 0;
    let sink = 0;
    let tableSeconds = 0;
    let evalSeconds = 0;
    while (tableSeconds + evalSeconds < minSeconds) {
        for (const seg of segs) {
            const schedules = Array.from({ length: 500 }, () => randomSegmentSchedule(seg, r));
            const t0 = process.hrtime.bigint();
            const tables = segmentTables(seg, 'full', true);
            const t1 = process.hrtime.bigint();
            // a schedule the model refuses (a shared input without a closed form) counts as evaluated too
            for (const s of schedules)
                sink += costFromTables(tables, s, 1)?.accesses ?? 0;
            const t2 = process.hrtime.bigint();
            tableSeconds += Number(t1 - t0) / 1e9;
            evalSeconds += Number(t2 - t1) / 1e9;
            built++;
            evaluated += schedules.length;
        }
    }
    if (sink < 0)
        console.log(sink);
    return [
        {
            case: `${name}: factor tables built (every tile size of every loop)`,
            unit: 'segments',
            schedules: built,
            seconds: tableSeconds,
            perSecond: Math.round((built / tableSeconds) * 10) / 10,
        },
        {
            case: `${name}: schedules costed from the tables`,
            unit: 'schedules',
            schedules: evaluated,
            seconds: evalSeconds,
            perSecond: Math.round(evaluated / evalSeconds),
        },
    ];
}
export function modelSpeed(minSeconds = 2) {
    const vgg = zooNetwork('vgg16');
    const convs = vgg.layers.filter((l) => l.kind === 'conv' && !l.fullyConnected).map((l) => [l.name]);
    const single = randomCases(vgg, convs, 2000, 1);
    const chain = vgg.layers.slice(0, 3).map((l) => l.name);
    const fused = randomCases(vgg, [chain], 2000, 2);
    return [
        measure('VGG-16 conv layers, random schedules', single, minSeconds),
        ...measureTables('VGG-16 conv layers', vgg, convs, minSeconds),
        measure(`VGG-16 fused chain ${chain.join(' + ')}, random schedules`, fused, minSeconds),
        ...measureTables(`VGG-16 fused chain ${chain.join(' + ')}`, vgg, [chain], minSeconds),
    ];
}
//# sourceMappingURL=model-speed.js.map