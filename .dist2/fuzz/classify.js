// The verdict on one case. Only two are acceptable for any input: success (exit 0), or exactly one
// `memsched: error:` line on stderr with exit code 2 and no output file left behind.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const acceptable = ['exit 0', 'exit 2'];
export function isFailure(o) {
    return !acceptable.includes(o);
}
export function classify(run) {
    if (run.killed)
        return run.killed;
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    if (lines.some((l) => /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/.test(l)))
        return 'stack trace';
    if (run.code === 0)
        return 'exit 0';
    if (run.code === 2) {
        if (lines.length !== 1 || !lines[0].startsWith('memsched: error: '))
            return 'exit 2, not one line';
        if (run.created.length > 0)
            return 'output left on exit 2';
        return 'exit 2';
    }
    if (run.code === 1 && lines.some((l) => l.startsWith('memsched: internal error: ')))
        return 'internal error';
    if (run.code === undefined)
        return 'crash';
    return 'other exit code';
}
/** A message with its file names, numbers and quoted parts blanked: failures with one cause share it. */
export function signature(outcome, stderr) {
    const first = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
    const text = first
        .replace(/^memsched: (internal )?error: /, '')
        // V8's JSON messages quote the text around the error: the cause is what comes before
        .replace(/(Unexpected (token|end|non-whitespace character)|is not valid JSON|Bad control character).*/, '$1')
        .replace(/'[^']*'|"[^"]*"/g, "'_'")
        .replace(/\b[\w.-]+\.(onnx|prototxt|caffemodel|json|png|bin|svg|html|dot)\b/g, 'FILE')
        .replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, 'N')
        .slice(0, 160);
    return `${outcome}: ${text}`;
}
/** Writes the case's files into a new empty folder. */
export function writeCase(dir, c) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of c.files)
        writeFileSync(join(dir, f.name), f.data);
}
export function createdFiles(dir, c) {
    const had = new Set(c.files.map((f) => f.name));
    return readdirSync(dir).filter((f) => !had.has(f));
}
//# sourceMappingURL=classify.js.map