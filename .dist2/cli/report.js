// `memsched report`: a self-contained HTML page of a front (read, or searched here as explore does).
// The drawing libraries load only when something is drawn.
import { frontFileOf, scheduleOfPoint } from '../formats/front.js';
import { parseVerify } from '../formats/verify.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { bytesText } from '../report/units.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { budgetFlag, checkNetwork, chooseForBudget, exploreWithProgress, oneModel, readFront, readJsonText, widthFlag, } from './common.js';
import { searchFlagNames, searchFlags, searchOptions } from './search-flags.js';
export const reportCommand = {
    name: 'report',
    usage: `  report <model>      a self-contained HTML page: the front; per point its graph, loop nests, buffers, traffic
      -o FILE           the report (.html)
      --front FILE      a front file written by explore -o (default: explore here, as explore does)
      --budget SIZE     the point selected first: the one for this budget
      --width 1|2|4     element width for the search (default 1)
      --verify FILE     measured against predicted, from memsched verify
      --space, --max-fuse, --max-fuse-joins, --max-fuse-outputs, --own-levels, --max-recompute,
                        --max-strips, --max-tiled-fuse, --segments, --threads  as for explore
                        (without --front)`,
    flags: {
        front: { type: 'string' },
        verify: { type: 'string' },
        budget: { type: 'string' },
        width: { type: 'string' },
        ...searchFlags,
        o: { type: 'string', short: 'o' },
    },
    run: report,
};
/**
 * The schedules of a front file, checked field by field and against the network: an edited file is
 * refused naming the field.
 */
function checkFrontSchedules(front, file, net) {
    front.front.forEach((p, i) => {
        try {
            p.schedule = scheduleOfPoint(p, i);
        }
        catch (e) {
            throw e instanceof InputError ? e.inFile(file) : e;
        }
        checkNetwork({ schedule: p.schedule, point: i, file, frontNetwork: front.network }, net);
    });
}
function readVerify(file) {
    const text = readJsonText(file);
    try {
        return parseVerify(text);
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(file) : e;
    }
}
/** `memsched report <model> [--front FILE] [--verify FILE] [--budget SIZE] [--width 1|2|4] -o report.html` */
async function report(flags, positionals, args) {
    const model = oneModel(positionals, 'report');
    const out = flags['o'];
    if (typeof out !== 'string')
        throw new InputError("'report' needs -o FILE (.html)");
    if (!/\.html?$/i.test(out))
        throw new InputError(`-o: expected a file ending in .html, got '${out}'`);
    const frontFile = typeof flags['front'] === 'string' ? flags['front'] : undefined;
    const w = widthFlag(flags['width']);
    const budget = budgetFlag(flags['budget']);
    const search = searchOptions(flags);
    if (frontFile !== undefined)
        for (const f of searchFlagNames)
            if (flags[f] !== undefined)
                throw new InputError(`--${f}: applies when report searches (without --front)`);
    checkWritable(out);
    const net = loadNetwork(model);
    // the files are read before the search, so that a bad one is refused at once
    const verify = typeof flags['verify'] === 'string' ? readVerify(flags['verify']) : undefined;
    let front;
    if (frontFile !== undefined) {
        front = readFront(frontFile);
        checkFrontSchedules(front, frontFile, net);
        if (w !== undefined && w !== front.elementBytes)
            throw new InputError(`--width: the front file has ${front.elementBytes}-byte elements, not ${w}`, {
                file: frontFile,
            });
    }
    else {
        const result = await exploreWithProgress(net, { ...search, elementBytes: w ?? 1 });
        front = frontFileOf(result);
    }
    if (budget !== undefined) {
        front.budgetBytes = budget;
        front.chosen = chooseForBudget(front, budget);
    }
    const { FrontEvaluation, checkVerify } = await import('../report/html-data.js');
    let evaluation;
    try {
        evaluation = new FrontEvaluation(net, front);
    }
    catch (e) {
        throw e instanceof InputError && frontFile !== undefined ? e.inFile(frontFile) : e;
    }
    if (verify) {
        try {
            checkVerify(net, front, verify);
        }
        catch (e) {
            throw e instanceof InputError ? e.inFile(flags['verify']) : e;
        }
    }
    const { reportHtml } = await import('../report/html.js');
    const html = await reportHtml(net, front, evaluation, {
        command: `memsched report ${args.join(' ')}`,
        ...(verify ? { verify } : {}),
    });
    writeFileAtomic(out, html);
    const selected = front.chosen ?? front.front.length - 1;
    console.log(`wrote ${out} (${bytesText(Buffer.byteLength(html))}): ${front.front.length} points of ${net.name}, point ${selected} selected${verify ? `, ${verify.points.length} measured (verify file)` : ''}`);
    return 0;
}
//# sourceMappingURL=report.js.map