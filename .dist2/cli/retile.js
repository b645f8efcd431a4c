// `memsched retile`: a schedule with larger tiles and the same traffic (src/dse/retile.ts), written as a
// schedule file that eval, codegen and verify read.
import { retileSchedule, scheduleSteps } from '../dse/retile.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { evaluateSchedule } from '../model/evaluate.js';
import { grouped } from '../report/table.js';
import { bytesText } from '../report/units.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { budgetFlag, checkNetwork, oneModel, pointFlag, readScheduleFile } from './common.js';
export const retileCommand = {
    name: 'retile',
    usage: `  retile <model>      larger tiles for the same traffic: each segment keeps its loop order and buffer
                      levels, its tiles grown (greedily) to fewer loop steps with no more DRAM accesses
                      and MACs, within the budget: faster code for the same point (docs/release-c.md)
      --schedule FILE   a schedule or front file (with --point N, as for eval)
      --budget SIZE     on-chip bytes the retiled schedule may use (default: the schedule's own)
      -o FILE           the schedule file to write`,
    flags: {
        schedule: { type: 'string' },
        point: { type: 'string' },
        budget: { type: 'string' },
        o: { type: 'string', short: 'o' },
    },
    run(flags, positionals) {
        const model = oneModel(positionals, 'retile');
        const file = flags['schedule'];
        if (typeof file !== 'string')
            throw new InputError("'retile' needs --schedule FILE");
        const out = flags['o'];
        if (typeof out !== 'string')
            throw new InputError("'retile' needs -o FILE (the schedule to write)");
        const point = pointFlag(flags['point']);
        const budget = budgetFlag(flags['budget']);
        checkWritable(out);
        const net = loadNetwork(model);
        const read = readScheduleFile(file, point);
        checkNetwork(read, net);
        let before;
        try {
            before = evaluateSchedule(net, read.schedule);
        }
        catch (e) {
            throw e instanceof InputError ? e.inFile(file) : e;
        }
        if (budget !== undefined && budget < before.onChipBytes)
            throw new InputError(`--budget ${bytesText(budget)} is below the schedule's own ${bytesText(before.onChipBytes)} on chip`);
        const retiled = retileSchedule(net, read.schedule, budget ?? before.onChipBytes);
        const after = evaluateSchedule(net, retiled);
        writeFileAtomic(out, `${JSON.stringify(retiled, null, 2)}\n`);
        const rows = [
            ['DRAM accesses', grouped(before.dramAccesses), grouped(after.dramAccesses)],
            ['on-chip', bytesText(before.onChipBytes), bytesText(after.onChipBytes)],
            ['MACs', grouped(before.macs), grouped(after.macs)],
            [
                'innermost loop steps',
                grouped(scheduleSteps(net, read.schedule)),
                grouped(scheduleSteps(net, retiled)),
            ],
        ];
        const w = Math.max(...rows.map((r) => r[1].length), 'before'.length);
        console.log(`predicted by the model, ${read.point === null ? file : `point ${read.point} of ${file}`} -> ${out}:`);
        console.log(`${''.padEnd(22)}${'before'.padStart(w)}  ${'retiled'}`);
        for (const [what, a, b] of rows)
            console.log(`${what.padEnd(22)}${a.padStart(w)}  ${b}`);
        return 0;
    },
};
//# sourceMappingURL=retile.js.map