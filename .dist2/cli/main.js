#!/usr/bin/env node
// The memsched command: the usage, and dispatch to the command's file. Errors in the user's input end in
// one line and exit code 2; nothing else is printed for them.
import { oneLine } from '../formats/json.js';
import { InputError } from '../ir/errors.js';
import { codegenCommand } from './codegen.js';
import { parse } from './common.js';
import { evalCommand } from './eval.js';
import { exploreCommand } from './explore.js';
import { exportCommand } from './export.js';
import { inspectCommand } from './inspect.js';
import { plotCommand } from './plot.js';
import { reportCommand } from './report.js';
import { retileCommand } from './retile.js';
import { exitOnSignals, stopping } from './signals.js';
import { verifyCommand } from './verify.js';
import { zooCommand } from './zoo.js';
const commands = [
    inspectCommand,
    exploreCommand,
    evalCommand,
    plotCommand,
    reportCommand,
    retileCommand,
    codegenCommand,
    verifyCommand,
    exportCommand,
    zooCommand,
];
const modelText = '<model> is a .onnx file, a Caffe .prototxt (its .caffemodel beside it is read), or zoo:NAME.';
const outputText = `Output files are written whole and renamed into place, so none is left half-written: a
symbolic link is followed (its target is replaced); a folder, device or pipe is refused.`;
const usage = `memsched: memory-efficient schedules for CNNs

usage: memsched <command> [options]   (memsched <command> --help: that command's options)

commands:
${commands.map((c) => c.usage).join('\n')}
  help                this text

${modelText}
${outputText}`;
/** `memsched <command> --help`: a synopsis, then the command's own part of the usage. */
function commandUsage(c) {
    const synopsis = /^ {2}(.+?) {2,}/.exec(c.usage)?.[1] ?? c.name;
    const options = Object.keys(c.flags).length > 0 ? ' [options]' : '';
    const text = `usage: memsched ${synopsis}${options}\n\n${c.usage}`;
    return c.usage.includes('<model>') ? `${text}\n\n${modelText}` : text;
}
/** --help or -h among the flags (not after `--`, where everything is positional). */
function asksHelp(args) {
    const end = args.indexOf('--');
    return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
export async function main(argv) {
    const [name, ...rest] = argv;
    try {
        if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
            console.log(usage);
            return 0;
        }
        const command = commands.find((c) => c.name === name);
        if (!command)
            throw new InputError(`unknown command '${name}' (try 'memsched help')`);
        if (asksHelp(rest)) {
            console.log(commandUsage(command));
            return 0;
        }
        const { flags, positionals } = parse(rest, command.flags);
        return (await command.run(flags, positionals, rest)) ?? 0;
    }
    catch (e) {
        // stopped by a signal: the compiler or program it killed is no error of ours
        const stop = stopping();
        if (stop !== undefined)
            return stop;
        if (e instanceof InputError) {
            console.error(`memsched: error: ${oneLine(e.describe())}`);
            return 2;
        }
        // A bug of ours: one line unless asked for the stack.
        console.error(`memsched: internal error: ${oneLine(e.message)}`);
        if (process.env['MEMSCHED_DEBUG'])
            console.error(e.stack);
        return 1;
    }
}
exitOnSignals();
main(process.argv.slice(2)).then((code) => {
    if (code !== 0)
        process.exitCode = code;
});
//# sourceMappingURL=main.js.map