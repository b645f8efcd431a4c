// `memsched report` (the HTML report) and `--graph` of explore and eval (the graph of one schedule).
// The drawing libraries load only when something is drawn.

import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { explore } from '../dse/explore.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { evaluateSchedule } from '../model/evaluate.js';
import type { ElementBytes, NetworkSchedule } from '../model/schedule.js';
import { checkSchedule, parseSchedule } from '../model/validate.js';
import type { FrontFile } from '../report/front.js';
import { frontFormat } from '../report/front.js';
import type { VerifyFile } from '../report/html-verify.js';
import { parseVerify } from '../report/html-verify.js';
import { bytesText, parseBytes } from '../report/units.js';
import { writeFileAtomic } from './output.js';
import { readFront } from './plot.js';
import { searchFlagNames, searchFlags, searchOptions } from './search-flags.js';

export interface GraphTarget {
  file: string;
  kind: 'svg' | 'png' | 'dot';
}

/** The output file of a graph, refused unless it ends in .svg, .png or .dot. */
export function graphTarget(file: string): GraphTarget {
  const kind = extname(file).toLowerCase().slice(1);
  if (kind !== 'svg' && kind !== 'png' && kind !== 'dot')
    throw new InputError(`--graph: expected a file ending in .svg, .png or .dot, got '${file}'`);
  return { file, kind };
}

/** The network graph of a schedule, segments coloured, layers with their predicted DRAM traffic. */
export async function writeGraph(target: GraphTarget, net: Network, sched: NetworkSchedule): Promise<void> {
  const { renderDotSvg, scheduleDot } = await import('../report/graph.js');
  const dot = scheduleDot(net, sched, checkSchedule(net, sched), evaluateSchedule(net, sched), {
    clusters: true,
  });
  if (target.kind === 'dot') return writeFileAtomic(target.file, dot);
  const svg = await renderDotSvg(dot);
  if (target.kind === 'svg') return writeFileAtomic(target.file, svg);
  const { renderPng } = await import('../report/plot.js');
  writeFileAtomic(target.file, renderPng(svg));
}

/** The last point within the budget (the front is sorted by bytes); refused when there is none. */
export function chooseForBudget(front: FrontFile, budget: number): number {
  let chosen: number | undefined;
  front.front.forEach((p, i) => {
    if (p.bytes <= budget) chosen = i;
  });
  if (chosen === undefined)
    throw new InputError(
      `--budget: ${bytesText(budget)} is below the smallest feasible schedule (${bytesText(front.front[0]!.bytes)})`,
    );
  return chosen;
}

export const reportFlags = {
  front: { type: 'string' },
  verify: { type: 'string' },
  budget: { type: 'string' },
  width: { type: 'string' },
  ...searchFlags,
  o: { type: 'string', short: 'o' },
} as const;

/** The schedules of a front file, checked field by field: an edited file is refused naming the field. */
function checkFrontSchedules(front: FrontFile, file: string): void {
  front.front.forEach((p, i) => {
    try {
      if (typeof p.schedule !== 'object' || p.schedule === null) throw new InputError('no schedule');
      p.schedule = parseSchedule(JSON.stringify(p.schedule));
    } catch (e) {
      throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`, { file }) : e;
    }
  });
}

function readVerify(file: string): VerifyFile {
  if (!existsSync(file)) throw new InputError('no such file', { file });
  try {
    return parseVerify(readFileSync(file, 'utf8'));
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
}

/** `memsched report <model> [--front FILE] [--verify FILE] [--budget SIZE] [--width 1|2|4] -o report.html` */
export async function reportCommand(
  flags: Record<string, string | boolean | undefined>,
  positionals: string[],
  args: string[],
): Promise<void> {
  if (positionals.length !== 1)
    throw new InputError(
      `'report' takes one model (a .onnx, .prototxt or zoo:NAME), got ${positionals.length}`,
    );
  const out = flags['o'];
  if (typeof out !== 'string') throw new InputError("'report' needs -o FILE (.html)");
  if (!/\.html?$/i.test(out)) throw new InputError(`-o: expected a file ending in .html, got '${out}'`);
  const frontFile = typeof flags['front'] === 'string' ? flags['front'] : undefined;
  const w = flags['width'];
  if (w !== undefined && w !== '1' && w !== '2' && w !== '4')
    throw new InputError(`--width: expected 1, 2 or 4, got '${w}'`);
  let budget: number | undefined;
  if (typeof flags['budget'] === 'string') {
    budget = parseBytes(flags['budget']);
    if (budget === undefined)
      throw new InputError(`--budget: expected a size like 256KiB, got '${flags['budget']}'`);
  }
  const search = searchOptions(flags);
  if (frontFile !== undefined)
    for (const f of searchFlagNames)
      if (flags[f] !== undefined)
        throw new InputError(`--${f}: applies when report searches (without --front)`);
  const net = loadNetwork(positionals[0]!);
  // the files are read before the search, so that a bad one is refused at once
  const verify = typeof flags['verify'] === 'string' ? readVerify(flags['verify']) : undefined;
  let front: FrontFile;
  if (frontFile !== undefined) {
    front = readFront(frontFile);
    checkFrontSchedules(front, frontFile);
    if (w !== undefined && Number(w) !== front.elementBytes)
      throw new InputError(`--width: the front file has ${front.elementBytes}-byte elements, not ${w}`, {
        file: frontFile,
      });
  } else {
    const tty = process.stderr.isTTY;
    const result = await explore(net, {
      ...search,
      elementBytes: (w === undefined ? 1 : Number(w)) as ElementBytes,
      progress: (done, total) => {
        if (tty) process.stderr.write(`\rsearching: ${done} of ${total} segments `);
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    front = { format: frontFormat, version: 1, ...result };
  }
  if (budget !== undefined) {
    front.budgetBytes = budget;
    front.chosen = chooseForBudget(front, budget);
  }
  const { FrontEvaluation, checkVerify } = await import('../report/html-data.js');
  let evaluation: InstanceType<typeof FrontEvaluation>;
  try {
    evaluation = new FrontEvaluation(net, front);
  } catch (e) {
    throw e instanceof InputError && frontFile !== undefined ? e.inFile(frontFile) : e;
  }
  if (verify) {
    try {
      checkVerify(net, front, verify);
    } catch (e) {
      throw e instanceof InputError ? e.inFile(flags['verify'] as string) : e;
    }
  }
  const { reportHtml } = await import('../report/html.js');
  const html = await reportHtml(net, front, evaluation, {
    command: `memsched report ${args.join(' ')}`,
    ...(verify ? { verify } : {}),
  });
  writeFileAtomic(out, html);
  const selected = front.chosen ?? front.front.length - 1;
  console.log(
    `wrote ${out} (${bytesText(Buffer.byteLength(html))}): ${front.front.length} points of ${net.name}, point ${selected} selected${verify ? `, ${verify.points.length} measured (verify file)` : ''}`,
  );
}
