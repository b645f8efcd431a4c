// `memsched eval`: the model's prediction for one schedule (a schedule file, a front point or the
// layer-by-layer baseline), optionally checked against the element-wise simulator.
import { checkWithSimulator, planCheck } from '../check/simulator.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { nestInput } from '../lower/input.js';
import { baselineSchedule, checkAndEvaluate } from '../model/evaluate.js';
import { checkPlanText, checkProgressText, checkText, evaluationText } from '../report/evaluation.js';
import { loopNest } from '../report/page/loopnest.js';
import { checkNetwork, oneModel, pointFlag, readScheduleFile, widthFlag } from './common.js';
import { graphTarget, writeGraph } from './graph.js';
export const evalCommand = {
    name: 'eval',
    usage: `  eval <model>        predicted DRAM traffic, buffer sizes and MACs of a schedule
      --schedule FILE   the schedule (JSON, see docs/schedule-format.md), or a front file
      --point N         which point of a front file (default: the one chosen for its budget)
      --baseline        evaluate the layer-by-layer baseline instead
      --width 1|2|4     element width in bytes (default: the schedule's; baseline 4)
      --check           also run the element-wise simulator and compare (segments estimated above
                        a billion element reads are skipped; a progress bar on a terminal)
      --check-limit N   with --check: skip segments estimated above N element reads instead (about
                        10^8 a second; its memory is bounded whatever N)
      --loop-nest       print each segment's loop nest: where every buffer is stored and filled
                        (with --json: loopNests, one text per segment)
      --json            print the result as JSON
      --graph FILE      the network graph: segments coloured, predicted DRAM per layer (.svg, .png or .dot)`,
    flags: {
        schedule: { type: 'string' },
        baseline: { type: 'boolean' },
        width: { type: 'string' },
        json: { type: 'boolean' },
        'loop-nest': { type: 'boolean' },
        check: { type: 'boolean' },
        'check-limit': { type: 'string' },
        point: { type: 'string' },
        graph: { type: 'string' },
    },
    async run(flags, positionals) {
        const graph = typeof flags['graph'] === 'string' ? graphTarget(flags['graph']) : undefined;
        const model = oneModel(positionals, 'eval');
        const point = pointFlag(flags['point']);
        const w = widthFlag(flags['width']);
        const file = flags['schedule'];
        if ((typeof file === 'string') === Boolean(flags['baseline']))
            throw new InputError("'eval' needs exactly one of --schedule FILE or --baseline");
        if (point !== undefined && typeof file !== 'string')
            throw new InputError('--point applies to front files (written by explore -o)');
        const limitFlag = flags['check-limit'];
        const limit = limitFlag === undefined ? undefined : Number(limitFlag);
        if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
            throw new InputError(`--check-limit: expected a number of element reads, got '${limitFlag}'`);
        if (limit !== undefined && !flags['check'])
            throw new InputError('--check-limit applies to --check');
        const read = typeof file === 'string' ? readScheduleFile(file, point) : undefined;
        const net = loadNetwork(model);
        if (read)
            checkNetwork(read, net);
        let sched = read?.schedule ?? baselineSchedule(net, w ?? 4);
        if (w !== undefined)
            sched = { ...sched, elementBytes: w };
        let checked;
        try {
            checked = checkAndEvaluate(net, sched);
        }
        catch (e) {
            throw e instanceof InputError && typeof file === 'string' ? e.inFile(file) : e;
        }
        const checks = flags['check'] ? simulatorCheck(net, sched, { maxReads: limit }) : undefined;
        const result = checked.predicted;
        const nests = flags['loop-nest']
            ? checked.segments.map((seg, i) => seg.view
                ? undefined
                : loopNest(nestInput(seg, sched.segments[i], result.segments[i], sched.elementBytes)))
            : undefined;
        if (flags['json'])
            console.log(JSON.stringify({
                schedule: sched,
                predicted: result,
                simulatorCheck: checks,
                ...(nests ? { loopNests: nests } : {}),
            }, null, 2));
        else {
            console.log(evaluationText(sched, result, 'predicted', nests));
            if (checks)
                console.log(`\n${checkText(checks)}`);
        }
        if (graph)
            await writeGraph(graph, net, sched);
        return checks?.some((c) => c.status === 'differ') ? 1 : 0;
    },
};
/** `eval --check`: on a terminal, the estimate first and a progress bar while it runs. */
function simulatorCheck(net, sched, limits) {
    const plan = planCheck(net, sched, limits);
    if (!process.stderr.isTTY)
        return checkWithSimulator(net, sched, {}, plan);
    process.stderr.write(`${checkPlanText(plan)}\n`);
    const start = performance.now();
    const checks = checkWithSimulator(net, sched, {
        onProgress: (reads, estimated) => process.stderr.write(`\r${checkProgressText(reads, estimated, (performance.now() - start) / 1000)}\x1b[K`),
    }, plan);
    process.stderr.write('\r\x1b[K');
    return checks;
}
//# sourceMappingURL=eval.js.map