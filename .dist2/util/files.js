// Writing result files so that an interrupted or failed run never leaves a half-written file behind.
import { lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { InputError } from '../ir/errors.js';
const cannotWrite = (e, file) => new InputError(`cannot write: ${e.code ?? e.message}`, { file });
/**
 * The file a write to `path` replaces. A symbolic link is followed (its target is replaced, the link
 * stays); anything but a regular file or a new name (a folder, a device, a pipe) is refused, since the
 * file is written whole beside it and renamed over it.
 */
function outputFile(path) {
    let stat;
    try {
        stat = lstatSync(path);
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return path;
        throw cannotWrite(e, path);
    }
    let real = path;
    if (stat.isSymbolicLink()) {
        try {
            real = realpathSync(path);
            stat = statSync(real);
        }
        catch (e) {
            if (e.code === 'ENOENT')
                throw new InputError('cannot write: a symbolic link to nothing (its target is what is written)', {
                    file: path,
                });
            throw cannotWrite(e, path);
        }
    }
    if (!stat.isFile())
        throw new InputError('cannot write: not a regular file (memsched writes whole files, renamed into place)', {
            file: path,
        });
    return real;
}
/**
 * Checks before long work that `path` can be written as writeFileAtomic will write it: a regular file (or
 * a new one) in a folder where a file can be made.
 */
export function checkWritable(path) {
    const tmp = `${outputFile(path)}.${process.pid}.tmp`;
    try {
        writeFileSync(tmp, '');
    }
    catch (e) {
        throw cannotWrite(e, path);
    }
    finally {
        rmSync(tmp, { force: true });
    }
}
export function writeFileAtomic(path, data) {
    const target = outputFile(path);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
        writeFileSync(tmp, data);
        renameSync(tmp, target);
    }
    catch (e) {
        rmSync(tmp, { force: true });
        throw cannotWrite(e, path);
    }
}
//# sourceMappingURL=files.js.map