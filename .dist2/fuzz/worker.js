// A long-lived fuzz worker (a child process of run.ts): builds each case it is sent, runs it through the
// CLI's own `main(argv)` in the case folder with console output captured, and reports what happened.
// The parent enforces the time and memory caps by killing this process.
import { join } from 'node:path';
import { format } from 'node:util';
import { createdFiles, writeCase } from './classify.js';
import { buildCase, target } from './targets.js';
// stdout is dropped; of stderr the head is kept: the first line is what the user reads (and a long one-line
// message must stay whole to be judged one line)
const keep = 1 << 20;
let err = '';
const toStderr = (chunk) => {
    if (err.length < keep)
        err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
};
console.log = () => { };
console.info = console.log;
console.error = (...a) => toStderr(`${format(...a)}\n`);
console.warn = console.error;
process.stdout.write = (() => true);
process.stderr.write = toStderr;
// An exception that escapes `main` (a callback, a rejected promise nobody awaited) kills the real CLI with a
// stack trace: report it for the case running, then die so the parent starts a fresh worker.
const fatal = (e) => {
    process.send?.({ fatal: String(e?.stack ?? e) }, () => process.exit(70));
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// main.js runs itself on import with this process's (empty) arguments: that prints the usage, captured here.
const { main } = await import('../cli/main.js');
const home = process.cwd();
process.on('message', async (m) => {
    const t = target(m.target);
    if (!t)
        throw new Error(`unknown target ${m.target}`);
    const dir = join(m.dir, `${m.target}-${m.index}`);
    let c;
    try {
        c = buildCase(t, m.seed, m.index);
        writeCase(dir, c);
    }
    catch (e) {
        // the fuzzer's own fault, not memsched's: the parent stops the run
        process.send?.({ harness: `${m.target}:${m.seed}:${m.index}: ${e.stack}` });
        return;
    }
    err = '';
    process.exitCode = undefined;
    process.chdir(dir);
    const t0 = performance.now();
    let code = await main(c.args);
    // eval --check reports differences through process.exitCode, as the CLI's own launcher reads it
    if (code === 0 && typeof process.exitCode === 'number')
        code = process.exitCode;
    process.exitCode = undefined;
    const ms = performance.now() - t0;
    process.chdir(home);
    const reply = { code, stderr: err, created: createdFiles(dir, c), ms };
    process.send?.(reply);
});
process.send?.({ ready: true });
//# sourceMappingURL=worker.js.map