// Writing result files so that an interrupted or failed run never leaves a half-written file behind, and
// the progress bar of long work on a terminal.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { InputError } from '../ir/errors.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: path,
    });
  }
}

export function progressBar(done: number, total: number): string {
  const width = 30;
  const full = Math.round((done / Math.max(1, total)) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total}`;
}
