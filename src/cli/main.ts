#!/usr/bin/env node
// The memsched command: parses flags, calls the library, prints. Errors in the user's input end in one
// line and exit code 2; nothing else is printed for them.

import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SegmentCheck } from '../check/simulator.js';
import { checkWithSimulator, planCheck } from '../check/simulator.js';
import { explore } from '../dse/explore.js';
import { loadNetwork, zoo } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import type { ElementBytes, NetworkSchedule } from '../model/schedule.js';
import { parseSchedule } from '../model/validate.js';
import { networkDot } from '../report/dot.js';
import { checkPlanText, checkProgressText, checkText, evaluationText } from '../report/evaluation.js';
import type { FrontFile } from '../report/front.js';
import { frontFormat, frontText, pointOfFront } from '../report/front.js';
import { inspectText, summarizeNetwork } from '../report/inspect.js';
import { renderTable } from '../report/table.js';
import { bytesText, parseBytes } from '../report/units.js';
import { codegenCommand, codegenFlags } from './codegen.js';
import { progressBar, writeFileAtomic } from './output.js';
import { plotCommand, plotFlags, plotTarget, writePlot } from './plot.js';
import { graphTarget, reportCommand, reportFlags, writeGraph } from './report.js';
import { searchFlags, searchOptions } from './search-flags.js';
import { verifyCommand, verifyFlags } from './verify.js';

const usage = `memsched: memory-efficient schedules for CNNs

usage: memsched <command> [options]

commands:
  inspect <model>     per-layer table: shapes, kernels, MACs, parameters
      --json            print the summary as JSON
      --dot FILE        write the network graph (Graphviz dot)
  explore <model>     the Pareto front of on-chip memory versus DRAM accesses (layer fusion included)
      --budget SIZE     pick the point with the fewest accesses within SIZE (e.g. 256KiB)
      --width 1|2|4     element width in bytes (default 1)
      --space full|seed every tile size, or the paper tool's space: powers of two, one tile loop
                        innermost, no reuse except line buffers between fused layers, weights stored no
                        deeper than data, only convolutions fused (default full)
      --max-fuse N      fuse chains of up to N layers (default 2; 1: layer by layer)
      --max-recompute F only schedules computing at most F times each segment's least MACs
                        (1: fused layers never recompute; default: no limit)
      -o FILE           write every point with its schedule (read by eval --schedule FILE --point N)
      --threads N       worker threads (default: all cores; the result does not depend on it)
      --plot FILE       plot the front (.svg or .png)
      --graph FILE      the network graph of the chosen point (.svg, .png or .dot; needs --budget)
  eval <model>        predicted DRAM traffic, buffer sizes and MACs of a schedule
      --schedule FILE   the schedule (JSON, see docs/schedule-format.md), or a front file
      --point N         which point of a front file (default: the one chosen for its budget)
      --baseline        evaluate the layer-by-layer baseline instead
      --width 1|2|4     element width in bytes (default: the schedule's; baseline 4)
      --check           also run the element-wise simulator and compare (segments estimated above
                        a billion element reads are skipped; a progress bar on a terminal)
      --json            print the result as JSON
      --graph FILE      the network graph: segments coloured, predicted DRAM per layer (.svg, .png or .dot)
  plot <front>...     overlay fronts written by explore -o in one plot
      -o FILE           the plot (.svg or .png)
      --labels A,B      a label per front (default: the file names)
      --y accesses|bytes DRAM traffic in elements (default) or in bytes
  report <model>      a self-contained HTML page: the front; per point its graph, loop nests, buffers, traffic
      -o FILE           the report (.html)
      --front FILE      a front file written by explore -o (default: explore here, as explore does)
      --budget SIZE     the point selected first: the one for this budget
      --width 1|2|4     element width for the search (default 1)
      --verify FILE     measured against predicted, from memsched verify
      --space, --max-fuse, --max-recompute, --threads  as for explore (without --front)
  codegen <model>     C code for a schedule: DIR/<net>.c, DIR/weights.bin, DIR/Makefile
      --schedule FILE   a schedule or front file (with --point N, as for eval)
      --target c        the backend (only C)
      -o DIR            the folder to write
  verify <model>      generate, build and run schedules: outputs against the reference, measured DRAM
                      traffic, scratchpad and MACs against the prediction; exit code 1 on any difference
      --schedule FILE   a schedule or front file (with --point N), or
      --front FILE      a front file, with --points all|N[,M...] (default all)
      --input FILE      a PNG, or raw float32 of the network's inputs (default: seeded values in [0, 1))
      --json            print the result as JSON (format: docs/verify-format.md)
      -o FILE           write the result as JSON
      --sanitize        build with AddressSanitizer and UBSan (unoptimised: slow, for checking)
      --cflags=FLAGS    more compiler flags after memsched's (e.g. --cflags="-O3 -march=native"; CC picks
                        the compiler)
  zoo                 list the built-in networks (use them as zoo:NAME)
  help                this text

<model> is a .onnx file, a Caffe .prototxt (its .caffemodel beside it is read), or zoo:NAME.`;

type Flags = Record<string, string | boolean | undefined>;

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(args: string[], options: Options) {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { flags: values as Flags, positionals };
  } catch (e) {
    const message = (e as Error).message;
    const dash = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (dash) throw new InputError(`${dash[1]}: a value starting with '-' is written ${dash[1]}=VALUE`);
    throw new InputError(message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}

function oneModel(positionals: string[], command: string): string {
  if (positionals.length !== 1)
    throw new InputError(
      `'${command}' takes one model (a .onnx, .prototxt or zoo:NAME), got ${positionals.length}`,
    );
  return positionals[0]!;
}

function inspect(args: string[]): void {
  const { flags, positionals } = parse(args, { json: { type: 'boolean' }, dot: { type: 'string' } });
  const net = loadNetwork(oneModel(positionals, 'inspect'));
  const summary = summarizeNetwork(net);
  if (typeof flags['dot'] === 'string') writeFileAtomic(flags['dot'], networkDot(net));
  console.log(flags['json'] ? JSON.stringify(summary, null, 2) : inspectText(summary));
}

function width(flag: string | boolean | undefined): ElementBytes | undefined {
  if (flag === undefined) return undefined;
  if (flag !== '1' && flag !== '2' && flag !== '4')
    throw new InputError(`--width: expected 1, 2 or 4, got '${flag}'`);
  return Number(flag) as ElementBytes;
}

function readSchedule(file: string, point: number | undefined): NetworkSchedule {
  if (!existsSync(file)) throw new InputError('no such file', { file });
  try {
    const text = readFileSync(file, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const obj = json as Record<string, unknown> | undefined;
    if (obj?.['format'] === frontFormat) return parseSchedule(JSON.stringify(pointOfFront(obj, point)));
    if (point !== undefined) throw new InputError('--point applies to front files (written by explore -o)');
    return parseSchedule(text);
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
}

/** `eval --check`: on a terminal, the estimate first and a progress bar while it runs. */
function simulatorCheck(net: Network, sched: NetworkSchedule): SegmentCheck[] {
  const plan = planCheck(net, sched);
  if (!process.stderr.isTTY) return checkWithSimulator(net, sched, {}, plan);
  process.stderr.write(`${checkPlanText(plan)}\n`);
  const start = performance.now();
  const checks = checkWithSimulator(
    net,
    sched,
    {
      onProgress: (reads, estimated) =>
        process.stderr.write(
          `\r${checkProgressText(reads, estimated, (performance.now() - start) / 1000)}\x1b[K`,
        ),
    },
    plan,
  );
  process.stderr.write('\r\x1b[K');
  return checks;
}

async function evaluate(args: string[]): Promise<void> {
  const { flags, positionals } = parse(args, {
    schedule: { type: 'string' },
    baseline: { type: 'boolean' },
    width: { type: 'string' },
    json: { type: 'boolean' },
    check: { type: 'boolean' },
    point: { type: 'string' },
    graph: { type: 'string' },
  });
  const graph = typeof flags['graph'] === 'string' ? graphTarget(flags['graph']) : undefined;
  const net = loadNetwork(oneModel(positionals, 'eval'));
  const point = flags['point'] === undefined ? undefined : Number(flags['point']);
  if (point !== undefined && !Number.isInteger(point))
    throw new InputError(`--point: expected an integer, got '${flags['point']}'`);
  const w = width(flags['width']);
  const file = flags['schedule'];
  if ((typeof file === 'string') === Boolean(flags['baseline']))
    throw new InputError("'eval' needs exactly one of --schedule FILE or --baseline");
  let sched = typeof file === 'string' ? readSchedule(file, point) : baselineSchedule(net, w ?? 4);
  if (w !== undefined) sched = { ...sched, elementBytes: w };
  let result: ReturnType<typeof evaluateSchedule>;
  try {
    result = evaluateSchedule(net, sched);
  } catch (e) {
    throw e instanceof InputError && typeof file === 'string' ? e.inFile(file) : e;
  }
  const checks = flags['check'] ? simulatorCheck(net, sched) : undefined;
  if (flags['json'])
    console.log(JSON.stringify({ schedule: sched, predicted: result, simulatorCheck: checks }, null, 2));
  else {
    console.log(evaluationText(sched, result));
    if (checks) console.log(`\n${checkText(checks)}`);
  }
  if (graph) await writeGraph(graph, net, sched);
  if (checks?.some((c) => c.status === 'differ')) process.exitCode = 1;
}

async function exploreCommand(args: string[]): Promise<void> {
  const { flags, positionals } = parse(args, {
    budget: { type: 'string' },
    width: { type: 'string' },
    o: { type: 'string', short: 'o' },
    plot: { type: 'string' },
    graph: { type: 'string' },
    ...searchFlags,
  });
  const net = loadNetwork(oneModel(positionals, 'explore'));
  const w = width(flags['width']) ?? 1;
  const search = searchOptions(flags);
  let budget: number | undefined;
  if (typeof flags['budget'] === 'string') {
    budget = parseBytes(flags['budget']);
    if (budget === undefined)
      throw new InputError(`--budget: expected a size like 256KiB, got '${flags['budget']}'`);
  }
  // a bad plot name is refused before the search, not after
  const plot = typeof flags['plot'] === 'string' ? plotTarget(flags['plot']) : undefined;
  const graph = typeof flags['graph'] === 'string' ? graphTarget(flags['graph']) : undefined;
  if (graph && budget === undefined)
    throw new InputError('--graph draws the point chosen for the budget: give --budget SIZE');
  const tty = process.stderr.isTTY;
  const t0 = process.hrtime.bigint();
  const result = await explore(net, {
    ...search,
    elementBytes: w,
    progress: (done, total) => {
      if (tty) process.stderr.write(`\r${progressBar(done, total)} segments searched `);
    },
  });
  if (tty) process.stderr.write('\r\x1b[K');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const file: FrontFile = { format: frontFormat, version: 1, ...result };
  if (budget !== undefined) {
    let chosen: number | undefined;
    result.front.forEach((p, i) => {
      if (p.bytes <= budget) chosen = i;
    });
    if (chosen === undefined)
      throw new InputError(
        `--budget: ${bytesText(budget)} is below the smallest feasible schedule (${bytesText(result.front[0]!.bytes)})`,
      );
    file.budgetBytes = budget;
    file.chosen = chosen;
  }
  if (typeof flags['o'] === 'string') writeFileAtomic(flags['o'], `${JSON.stringify(file)}\n`);
  if (plot)
    await writePlot(plot, [{ label: `${file.network} (${file.space}, ${w}-byte)`, file }], 'accesses');
  if (graph && file.chosen !== undefined) await writeGraph(graph, net, file.front[file.chosen]!.schedule);
  console.log(frontText(file, seconds));
}

function listZoo(args: string[]): void {
  parse(args, {});
  const rows = zoo.map((z) => [`zoo:${z.name}`, z.description]);
  console.log(renderTable(['network', 'description'], rows, ['left', 'left']));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        inspect(rest);
        return 0;
      case 'explore':
        await exploreCommand(rest);
        return 0;
      case 'plot': {
        const { flags, positionals } = parse(rest, plotFlags);
        await plotCommand(flags, positionals);
        return 0;
      }
      case 'eval':
        await evaluate(rest);
        return 0;
      case 'report': {
        const { flags, positionals } = parse(rest, reportFlags);
        await reportCommand(flags, positionals, rest);
        return 0;
      }
      case 'codegen': {
        const { flags, positionals } = parse(rest, codegenFlags);
        codegenCommand(flags, positionals);
        return 0;
      }
      case 'verify': {
        const { flags, positionals } = parse(rest, verifyFlags);
        return await verifyCommand(flags, positionals);
      }
      case 'zoo':
        listZoo(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return 0;
      default:
        throw new InputError(`unknown command '${command}' (try 'memsched help')`);
    }
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`memsched: error: ${e.describe()}`);
      return 2;
    }
    // A bug of ours: one line unless asked for the stack.
    console.error(`memsched: internal error: ${(e as Error).message}`);
    if (process.env['MEMSCHED_DEBUG']) console.error((e as Error).stack);
    return 1;
  }
}

// Ctrl-C: stop at once (worker threads too); outputs are written whole by rename, so none is left half-written.
process.on('SIGINT', () => {
  process.stderr.write('\nmemsched: interrupted\n');
  process.exit(130);
});

main(process.argv.slice(2)).then((code) => {
  // eval --check may have set 1 already
  if (code !== 0) process.exitCode = code;
});
