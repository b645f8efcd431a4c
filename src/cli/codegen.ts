// `memsched codegen`: the C program of a schedule, written into a folder with its weights and a Makefile.

import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compileFlags } from '../codegen/build.js';
import type { CProgram } from '../codegen/c.js';
import { generateC, runnableNetwork } from '../codegen/c.js';
import { generateHalide, halideInexactText } from '../codegen/halide.js';
import { int8DramPartials } from '../codegen/int8.js';
import { releaseFlags } from '../codegen/release.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Int8Network } from '../reference/int8.js';
import { quantizeNetwork, refuseInt8Network } from '../reference/int8.js';
import type { Tensor } from '../reference/layers.js';
import { inputsByName } from '../reference/run.js';
import { grouped } from '../report/table.js';
import { bytesText } from '../report/units.js';
import { defaultInputs } from '../verify/verify.js';
import type { Command, Flags } from './common.js';
import { checkNetwork, oneModel, pointFlag, readScheduleFile } from './common.js';
import { readInputs } from './verify.js';

export const codegenCommand: Command = {
  name: 'codegen',
  usage: `  codegen <model>     C code for a schedule: DIR/<net>.c, DIR/weights.bin, DIR/Makefile
      --schedule FILE   a schedule or front file (with --point N, as for eval)
      --target c|halide the backend (default c); halide: DIR/generator.cpp (Halide 14), DIR/runner.cpp,
                        DIR/weights.bin, DIR/Makefile
      --release         the release build (C only): the same schedule as plain fast C, every DRAM transfer
                        through two hooks (docs/release-c.md); computes float32 for every element
                        width; the Makefile builds with -O3 -march=native
      --int8            the release build in int8 (docs/int8.md): int8 activations and weights, int32
                        sums, fixed-point requantisation; scales calibrated on one input
      --calibrate FILE  with --int8: that input (a PNG or raw float32, as verify --input; default: the
                        seeded input verify uses without --input)
      -o DIR            the folder to write`,
  flags: {
    schedule: { type: 'string' },
    point: { type: 'string' },
    target: { type: 'string' },
    release: { type: 'boolean' },
    int8: { type: 'boolean' },
    calibrate: { type: 'string' },
    o: { type: 'string', short: 'o' },
  },
  run: codegen,
};

/** The program of a schedule; schedule errors name the file. */
export function programOf(
  net: Network,
  sched: NetworkSchedule,
  file: string,
  weights: boolean,
  release = false,
  int8?: Int8Network,
): CProgram {
  try {
    return generateC(net, sched, checkAndEvaluate(net, sched), {
      weights,
      release,
      ...(int8 ? { int8 } : {}),
    });
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
}

function makefile(p: CProgram, source: string, release: boolean): string {
  if (release)
    return [
      `# memsched codegen --release: ${p.name}. 'make' builds, 'make run' runs on input.bin (the network's`,
      `# inputs, float32 little-endian, one after the other); 'make count' builds ${p.name}-count, which`,
      "# counts each buffer's DRAM transfers and prints them as JSON (docs/release-c.md).",
      'CC ?= cc',
      `CFLAGS ?= ${releaseFlags.join(' ')}`,
      '',
      `${p.name}: ${source}`,
      `\t$(CC) $(CFLAGS) -o ${p.name} ${source} -lm`,
      '',
      `count: ${p.name}-count`,
      '',
      `${p.name}-count: ${source}`,
      `\t$(CC) $(CFLAGS) -DMEMSCHED_COUNT -o ${p.name}-count ${source} -lm`,
      '',
      `run: ${p.name}`,
      `\t./${p.name} weights.bin input.bin output.bin`,
      '',
      '.PHONY: run count',
      '',
    ].join('\n');
  return [
    `# memsched codegen: ${p.name}. 'make' builds, 'make run' runs on input.bin (the network's inputs,`,
    '# float32 little-endian, one after the other) and prints the counters as JSON.',
    'CC ?= cc',
    `CFLAGS ?= ${compileFlags.join(' ')}`,
    '',
    `${p.name}: ${source}`,
    `\t$(CC) $(CFLAGS) -o ${p.name} ${source} -lm`,
    '',
    `run: ${p.name}`,
    `\t./${p.name} weights.bin input.bin output.bin`,
    '',
    '.PHONY: run',
    '',
  ].join('\n');
}

/** The sibling folder the files are written into first; refused if the folder cannot be written. */
function folderTmp(dir: string): string {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InputError('-o: exists and is not a folder', { file: dir });
  const parent = dirname(resolve(dir));
  if (!existsSync(parent)) throw new InputError('-o: the parent folder does not exist', { file: dir });
  if (!statSync(parent).isDirectory()) throw new InputError('-o: the parent is not a folder', { file: dir });
  return join(parent, `.${basename(dir)}.${process.pid}.tmp`);
}

/** Checks before the work that the folder can be written (as writeFolder will). */
function checkFolder(dir: string): void {
  const tmp = folderTmp(dir);
  try {
    mkdirSync(tmp);
  } catch (e) {
    throw new InputError(`cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: dir,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the files into a fresh sibling folder and moves them in only when all are written. */
function writeFolder(dir: string, files: Record<string, string | Uint8Array>): void {
  const tmp = folderTmp(dir);
  try {
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
    if (!existsSync(dir)) renameSync(tmp, dir);
    else for (const name of Object.keys(files)) renameSync(join(tmp, name), join(dir, name));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: dir,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `memsched codegen <model> --schedule FILE [--point N] [--target c] -o DIR` */
async function codegen(flags: Flags, positionals: string[]): Promise<number> {
  const model = oneModel(positionals, 'codegen');
  const target = flags['target'] ?? 'c';
  if (target !== 'c' && target !== 'halide')
    throw new InputError(`--target: expected c or halide, got '${target}'`);
  const int8 = flags['int8'] === true;
  const release = flags['release'] === true || int8;
  if (release && target !== 'c')
    throw new InputError(`--${int8 ? 'int8' : 'release'}: a build of the C backend, not of --target halide`);
  const calibrate = flags['calibrate'];
  if (calibrate !== undefined && !int8) throw new InputError('--calibrate: a setting of --int8');
  const file = flags['schedule'];
  if (typeof file !== 'string')
    throw new InputError("'codegen' needs --schedule FILE (a schedule or front file)");
  const dir = flags['o'];
  if (typeof dir !== 'string') throw new InputError("'codegen' needs -o DIR (the folder to write)");
  const point = pointFlag(flags['point']);
  const read = readScheduleFile(file, point);
  checkFolder(dir);
  const loaded = loadNetwork(model);
  checkNetwork(read, loaded);
  const sched = read.schedule;
  const net = runnableNetwork(loaded);
  if (target === 'halide') return codegenHalide(net, loaded, sched, file, dir);
  if (int8) refuseInt8Network(net);
  const calibration =
    typeof calibrate === 'string' ? readInputs(net, calibrate) : int8 ? defaultInputs(net) : [];
  const quantised = int8 ? await quantizedFor(net, calibration, calibrate) : undefined;
  const p = programOf(net, sched, file, true, release, quantised);
  const source = `${p.name}.c`;
  const cflags = release ? releaseFlags : compileFlags;
  writeFolder(dir, { [source]: p.source, 'weights.bin': p.weights!, Makefile: makefile(p, source, release) });
  const inputs = p.inputs.map((t) => `${t.name} ${t.shape.c}x${t.shape.h}x${t.shape.w}`).join(', ');
  const r = p.predicted;
  console.log(
    [
      `wrote ${join(dir, source)}, ${join(dir, 'weights.bin')} (${bytesText(p.weights!.length)}), ${join(dir, 'Makefile')}`,
      `weights: ${net === loaded ? "the model's own" : 'seeded (the model has none)'}`,
      `build: make -C ${dir}   (or: cc ${cflags.join(' ')} -o ${p.name} ${source} -lm)`,
      `run:   ./${p.name} weights.bin input.bin output.bin   (input.bin: ${inputs}; float32 little-endian)`,
      `predicted: ${grouped(r.dramReads)} DRAM reads + ${grouped(r.dramWrites)} writes (elements), scratchpad ${bytesText(r.onChipBytes)}, ${grouped(r.macs)} MACs`,
      ...(int8
        ? [
            `int8 release build: scales calibrated on ${typeof calibrate === 'string' ? calibrate : 'the seeded input verify uses (no --calibrate)'}; its scratchpad array holds the schedule's elements as int8 (${bytesText(r.onChipBytes / sched.elementBytes)}); beside it, int32: the biases (${bytesText(4 * p.biasSlots)})${p.partialSlots > 0 ? ` and partial sums (${bytesText(4 * p.partialSlots)})` : ''}, which the model counts as elements`,
            ...int8DramPartials(p).map((l) => `int8: ${l}`),
          ]
        : release
          ? [
              `release build: stores and computes float32 for the schedule's ${sched.elementBytes}-byte elements (its scratchpad array: ${bytesText((r.onChipBytes / sched.elementBytes) * 4)})`,
            ]
          : []),
    ].join('\n'),
  );
  return 0;
}

/** The network quantised on the calibration input (errors name the model's layer; the input's file if given). */
async function quantizedFor(net: Network, calibration: Tensor[], file: unknown): Promise<Int8Network> {
  try {
    return await quantizeNetwork(net, inputsByName(net, calibration));
  } catch (e) {
    throw e instanceof InputError && typeof file === 'string' ? e.inFile(file) : e;
  }
}

/** `codegen --target halide`: the generator, the runner, the weights and a Makefile. */
function codegenHalide(
  net: Network,
  loaded: Network,
  sched: NetworkSchedule,
  file: string,
  dir: string,
): number {
  let p: ReturnType<typeof generateHalide>;
  let checked: ReturnType<typeof checkAndEvaluate>;
  try {
    checked = checkAndEvaluate(net, sched);
    p = generateHalide(net, sched, checked);
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
  writeFolder(dir, {
    'generator.cpp': p.generator,
    'runner.cpp': p.runner,
    'weights.bin': p.weights!,
    Makefile: p.makefile,
  });
  const inputs = p.inputs.map((t) => `${t.name} ${t.shape.c}x${t.shape.h}x${t.shape.w}`).join(', ');
  const r = p.predicted;
  console.log(
    [
      `wrote ${join(dir, 'generator.cpp')}, ${join(dir, 'runner.cpp')}, ${join(dir, 'weights.bin')} (${bytesText(p.weights!.length)}), ${join(dir, 'Makefile')}`,
      `weights: ${net === loaded ? "the model's own" : 'seeded (the model has none)'}`,
      `build: make -C ${dir}   (Halide 14: generator -> seg0..seg${p.segments.length - 1}.a + runtime.o -> ./${p.name}; TRACE=--trace counts the copies)`,
      `run:   ./${p.name} weights.bin input.bin output.bin [RUNS]   (input.bin: ${inputs}; float32 little-endian)`,
      `predicted: ${grouped(r.dramReads)} DRAM reads + ${grouped(r.dramWrites)} writes (elements), scratchpad ${bytesText(r.onChipBytes)}, ${grouped(r.macs)} MACs`,
      ...p.notes.map((n) => `note: ${n}`),
      ...halideInexactText(checked, sched).map((n) => `counts may differ from the model: ${n}`),
    ].join('\n'),
  );
  return 0;
}
