#!/usr/bin/env node
// The memsched command: parses flags, calls the library, prints. Errors in the user's input end in one
// line and exit code 2; nothing else is printed for them.

import { parseArgs } from 'node:util';
import { loadNetwork, zoo } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { networkDot } from '../report/dot.js';
import { inspectText, summarizeNetwork } from '../report/inspect.js';
import { renderTable } from '../report/table.js';
import { writeFileAtomic } from './output.js';

const usage = `memsched: memory-efficient schedules for CNNs

usage: memsched <command> [options]

commands:
  inspect <model>     per-layer table: shapes, kernels, MACs, parameters
      --json            print the summary as JSON
      --dot FILE        write the network graph (Graphviz dot)
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
    throw new InputError((e as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}

function oneModel(positionals: string[], command: string): string {
  if (positionals.length !== 1)
    throw new InputError(`'${command}' takes one model (a .onnx, .prototxt or zoo:NAME), got ${positionals.length}`);
  return positionals[0]!;
}

function inspect(args: string[]): void {
  const { flags, positionals } = parse(args, { json: { type: 'boolean' }, dot: { type: 'string' } });
  const net = loadNetwork(oneModel(positionals, 'inspect'));
  const summary = summarizeNetwork(net);
  if (typeof flags['dot'] === 'string') writeFileAtomic(flags['dot'], networkDot(net));
  console.log(flags['json'] ? JSON.stringify(summary, null, 2) : inspectText(summary));
}

function listZoo(args: string[]): void {
  parse(args, {});
  const rows = zoo.map((z) => [`zoo:${z.name}`, z.description]);
  console.log(renderTable(['network', 'description'], rows, ['left', 'left']));
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        inspect(rest);
        return 0;
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

process.exitCode = main(process.argv.slice(2));
